"""Maintainer commands: build the source notebooks from the library, generate the student releases."""

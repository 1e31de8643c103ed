"""Sample submissions bundled with the course (used by `make demo` and the tests)."""

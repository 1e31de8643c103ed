"""Shared pytest set-up: trax is imported through coursekit (fast, quiet, with fixes)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

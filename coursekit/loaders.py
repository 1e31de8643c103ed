"""Checks and cleaning shared by the weeks' loaders of user-supplied files (SQuAD JSON, CSV, TSV, JSON lines)."""
import os


def clean_whitespace(text):
    """Collapse all whitespace (newlines included) to single spaces and strip the ends."""
    return " ".join(text.split())


def check_max_examples(max_examples):
    """Refuse anything but None or an int >= 0 (ValueError)."""
    if max_examples is not None and (not isinstance(max_examples, int)
                                     or isinstance(max_examples, bool) or max_examples < 0):
        raise ValueError(f"max_examples must be None or an int >= 0, but got {max_examples!r}")


def check_file(path, what):
    """`path` as a str when it names an existing file; FileNotFoundError naming `what` otherwise."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no {what} file at {path!r}")
    return path

"""Checks and cleaning shared by the weeks' loaders of user-supplied files (SQuAD JSON, CSV, TSV, JSON lines)."""
import json
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


def decode_line(path, number, raw):
    """Line `number` (1-based) of the file at `path`, bytes -> str, as the line-by-line loaders read it: a
    byte-order mark is dropped from the first line; ValueError naming the file and line if it is not UTF-8."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: line {number} is not valid UTF-8 ({error.reason} at "
                         f"byte {error.start}); convert the file to UTF-8") from None
    return line.lstrip("\ufeff") if number == 1 else line


def json_line(path, number, line):
    """The JSON value on line `number` of a JSON-lines file; ValueError naming the file, line and column if
    the line is not valid JSON."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: line {number} is not valid JSON ({error.msg} at "
                         f"column {error.colno}): {line.strip()[:60]!r}") from None


def tfds_is_prepared(builder):
    """Whether a TensorFlow Datasets builder's data (its dataset_info.json) is on disk: nothing is ever
    downloaded, so an unprepared dataset is the user's to build elsewhere and copy here."""
    return os.path.isfile(os.path.join(builder.data_dir, "dataset_info.json"))


def tfds_text(value):
    """A TFDS text feature (bytes from `tfds.as_numpy`, or str) as str."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)

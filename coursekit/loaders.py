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


def text_lines(path, more=None):
    """(line number, text) of each non-blank line of the file at `path`, read as UTF-8 (see `decode_line`;
    the text keeps its line end). `more`: a function of no argument, called before each line is read; the
    lines stop when it returns False (a loader's "until max_examples are kept")."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if more is not None and not more():
                return
            line = decode_line(path, number, raw)
            if line.strip():
                yield number, line


def json_records(path, expected, more=None):
    """(line number, dict) of each non-blank line of the JSON-lines file at `path` (as `text_lines`, with
    `more`); ValueError naming the file and line for a line that is not valid JSON (`json_line`) or not a JSON
    object, saying what was `expected` (e.g. "an object with a 'text' field")."""
    for number, line in text_lines(path, more):
        record = json_line(path, number, line)
        if not isinstance(record, dict):
            raise ValueError(f"{path}: line {number} is a JSON {type(record).__name__}, expected {expected}")
        yield number, record


def record_text(path, number, record, key, role):
    """The text in field `key` of the JSON object `record` (line `number` of `path`), whitespace cleaned
    (`clean_whitespace`); ValueError naming the file, line and field when it is not a string or is empty
    (`role` names it in the message: "article", "text")."""
    value = record[key]
    if not isinstance(value, str):
        raise ValueError(f"{path}: line {number}: field {key!r} must be a string, but it is a JSON "
                         f"{type(value).__name__}")
    text = clean_whitespace(value)
    if not text:
        raise ValueError(f"{path}: line {number} has an empty {role} (field {key!r})")
    return text


def tfds_is_prepared(builder):
    """Whether a TensorFlow Datasets builder's data (its dataset_info.json) is on disk: nothing is ever
    downloaded, so an unprepared dataset is the user's to build elsewhere and copy here."""
    return os.path.isfile(os.path.join(builder.data_dir, "dataset_info.json"))


def prepared_tfds_builder(name, data_dir):
    """(the `tensorflow_datasets` module, the builder of dataset `name`) for a dataset already prepared in the
    folder `data_dir`: nothing is downloaded. FileNotFoundError saying how to prepare it elsewhere when the
    folder does not exist, tfds cannot open the dataset there, or its data is not on disk."""
    data_dir = os.fspath(data_dir)
    if not os.path.isdir(data_dir):
        raise FileNotFoundError(f"TFDS data directory {data_dir!r} does not exist (nothing is downloaded)")
    import tensorflow_datasets as tfds  # heavy: only imported when used

    try:
        builder = tfds.builder(name, data_dir=data_dir)
    except Exception as error:  # tfds raises several types for unknown names / missing data
        raise FileNotFoundError(f"cannot open TFDS dataset {name!r} in {data_dir!r}: {error}") from error
    if not tfds_is_prepared(builder):
        raise FileNotFoundError(
            f"TFDS dataset {name!r} is not prepared in {data_dir!r} (looked in {builder.data_dir!r}) and nothing "
            f"is downloaded; prepare it where there is internet access, e.g. `tfds build {name} --data_dir "
            f"{data_dir}`, and copy the directory here")
    return tfds, builder


def not_utf8(path, error):
    """The ValueError for a whole file (CSV, TSV, JSON) at `path` that failed to decode with `error` (a
    UnicodeDecodeError)."""
    return ValueError(f"{path}: the file is not valid UTF-8 ({error.reason}); convert it to UTF-8")


def tfds_text(value):
    """A TFDS text feature (bytes from `tfds.as_numpy`, or str) as str."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)

"""Loaders for your own (article, summary) data: JSON lines, CSV and an already prepared TensorFlow
Datasets ``cnn_dailymail`` directory (nothing is downloaded). Each returns example dicts with the same
keys as the generator's, ``topic`` and ``facts`` set to None.
"""
import csv

from coursekit.loaders import (check_file, check_max_examples, clean_whitespace, json_records, not_utf8,
                               prepared_tfds_builder, record_text, tfds_text)


def _record(article, summary):
    return {"article": article, "summary": summary, "topic": None, "facts": None}


_SUMMARY_FALLBACKS = ("summary", "highlights")


def load_jsonl(path, article_key="article", summary_key="highlights", max_examples=None):
    """Read (article, summary) examples from a JSON lines file (one JSON object per line).

    Args:
        path: str or os.PathLike, a UTF-8 text file; blank lines are skipped and a byte-order
            mark at the start is ignored.
        article_key: the field that holds the article text.
        summary_key: the field that holds the summary. With the default ("highlights", as in
            CNN/DailyMail), "summary" or None, a record without that field may use the other of
            "summary" and "highlights" instead (None tries "summary" first). Any other name is
            required as given.
        max_examples: optional int, stop after this many examples.

    Returns:
        list of dicts ``{"article": str, "summary": str, "topic": None, "facts": None}``; runs
        of whitespace (newlines included) in the texts become single spaces.

    Raises:
        FileNotFoundError: no such file.
        ValueError: a line is not valid JSON or not an object, lacks a field, holds a non-string
            or empty article or summary, or is not UTF-8 (the message names the file and line).
    """
    check_max_examples(max_examples)
    if summary_key is None or summary_key in _SUMMARY_FALLBACKS:
        first = summary_key or _SUMMARY_FALLBACKS[0]
        summary_keys = (first,) + tuple(key for key in _SUMMARY_FALLBACKS if key != first)
    else:
        summary_keys = (summary_key,)
    path = check_file(path, "JSON lines")
    examples = []
    expected = f"an object with {article_key!r} and {summary_keys[0]!r} fields"
    for number, record in json_records(path, expected, lambda: max_examples is None or len(examples) < max_examples):
        found = [key for key in summary_keys if key in record]
        if article_key not in record or not found:
            missing = repr(article_key) if article_key not in record else " or ".join(
                repr(key) for key in summary_keys)
            raise ValueError(f"{path}: line {number} has no {missing} field; its fields "
                             f"are {sorted(record)}")
        examples.append(_record(record_text(path, number, record, article_key, "article"),
                                record_text(path, number, record, found[0], "summary")))
    return examples


def load_csv(path, article_column="article", summary_column="highlights", max_examples=None):
    """Read (article, summary) examples from a CSV file with a header row.

    The file is parsed with :class:`csv.DictReader`, so quoted fields may hold commas, quotes
    ("" inside quotes) and newlines.

    Args:
        path: str or os.PathLike, a UTF-8 CSV file (a byte-order mark is ignored).
        article_column, summary_column: header names of the article and summary columns.
        max_examples: optional int, stop after this many examples.

    Returns:
        list of dicts ``{"article": str, "summary": str, "topic": None, "facts": None}``; runs
        of whitespace (newlines included) in the texts become single spaces.

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file has no header, lacks a column (the message lists the columns
            found), a row has an empty article or summary (the message names the line), the
            CSV is malformed or the file is not UTF-8.
    """
    check_max_examples(max_examples)
    path = check_file(path, "CSV")
    examples = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            columns = reader.fieldnames
            if not columns:
                raise ValueError(f"{path}: the file is empty; expected a header row with "
                                 f"{article_column!r} and {summary_column!r} columns")
            missing = [name for name in (article_column, summary_column) if name not in columns]
            if missing:
                raise ValueError(f"{path}: missing column(s) {missing}; the columns found are "
                                 f"{list(columns)}")
            for row in reader:
                if max_examples is not None and len(examples) >= max_examples:
                    break
                if not any((value or "").strip() for value in row.values()
                           if isinstance(value, str)):
                    continue  # a blank line
                texts = {}
                for role, name in (("article", article_column), ("summary", summary_column)):
                    texts[role] = clean_whitespace(row.get(name) or "")
                    if not texts[role]:
                        raise ValueError(f"{path}: the row ending on line {reader.line_num} has "
                                         f"an empty {role} (column {name!r})")
                examples.append(_record(texts["article"], texts["summary"]))
        except csv.Error as error:
            raise ValueError(f"{path}: malformed CSV near line {reader.line_num}: "
                             f"{error}") from None
        except UnicodeDecodeError as error:
            raise not_utf8(path, error) from None
    return examples


_CNN_DAILYMAIL = "cnn_dailymail"


def load_tfds_cnn_dailymail(data_dir, split="train", max_examples=None):
    """Read CNN/DailyMail from a TensorFlow Datasets directory prepared beforehand.

    Nothing is downloaded: ``cnn_dailymail`` must already be prepared under ``data_dir``, for
    example with ``tfds build cnn_dailymail --data_dir DATA_DIR`` (or
    ``tfds.builder("cnn_dailymail", data_dir=DATA_DIR).download_and_prepare()``) on a machine
    with internet access, then copied.

    Args:
        data_dir: str or os.PathLike, the TFDS data directory.
        split: the split to read, e.g. 'train', 'validation', 'test' or 'train[:1000]'.
        max_examples: optional int, stop after this many examples.

    Returns:
        list of dicts ``{"article": str, "summary": str, "topic": None, "facts": None}``; the
        summary is the "highlights" feature with its lines joined by spaces.

    Raises:
        FileNotFoundError: ``data_dir`` does not exist or does not hold the prepared dataset.
    """
    check_max_examples(max_examples)
    tfds, builder = prepared_tfds_builder(_CNN_DAILYMAIL, data_dir)
    dataset = builder.as_dataset(split=split, shuffle_files=False)
    if max_examples is not None:
        dataset = dataset.take(max_examples)
    return [_record(clean_whitespace(tfds_text(example["article"])), clean_whitespace(tfds_text(example["highlights"])))
            for example in tfds.as_numpy(dataset)]

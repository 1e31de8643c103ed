"""Tokens and a user's own sentence pairs.

:func:`split_tokens` splits text into words and punctuation marks (the generator's lengths are
counted this way); :func:`load_tsv_pairs` reads tab-separated files and :func:`load_tfds_pairs` an
already prepared TensorFlow Datasets directory (nothing is downloaded).
"""
import re

from coursekit.loaders import check_file, prepared_tfds_builder, text_lines, tfds_text

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+|[^\w\s]")


def split_tokens(text):
    """Split text into words and punctuation marks: 'Heute liest er, weil ...' ->
    ['Heute', 'liest', 'er', ',', 'weil', ...]. Returns a list of str."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, but got {type(text).__name__}")
    return _TOKEN_RE.findall(text)


# ---------------------------------------------------------------------------------------------
# Loaders for your own data
# ---------------------------------------------------------------------------------------------

def load_tsv_pairs(path, source_column=0, target_column=1, max_pairs=None):
    """Read sentence pairs from a tab-separated UTF-8 file.

    Args:
        path: str or os.PathLike, a text file with one example per line, columns split by tabs.
        source_column, target_column: int column indices of the source and target sentence.
        max_pairs: optional int, stop after this many pairs.

    Returns:
        list of (source, target) str tuples, stripped of surrounding whitespace. Blank lines are
        skipped; a UTF-8 byte-order mark at the start is ignored.

    Raises:
        FileNotFoundError: no such file.
        ValueError: a line has too few columns or an empty sentence (the message names the line
            number), or the file is not UTF-8.
    """
    for name, value in (("source_column", source_column), ("target_column", target_column)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name} must be an int >= 0, but got {value!r}")
    if max_pairs is not None and (not isinstance(max_pairs, int) or max_pairs < 0):
        raise ValueError(f"max_pairs must be None or an int >= 0, but got {max_pairs!r}")
    path = check_file(path, "sentence-pair")
    needed = max(source_column, target_column) + 1
    pairs = []
    for number, line in text_lines(path, lambda: max_pairs is None or len(pairs) < max_pairs):
        line = line.rstrip("\r\n")
        columns = line.split("\t")
        if len(columns) < needed:
            raise ValueError(f"{path}: line {number} has {len(columns)} tab-separated "
                             f"column(s), expected at least {needed}: {line[:60]!r}")
        source = columns[source_column].strip()
        target = columns[target_column].strip()
        if not source or not target:
            raise ValueError(f"{path}: line {number} has an empty "
                             f"{'source' if not source else 'target'} sentence")
        pairs.append((source, target))
    return pairs


def load_tfds_pairs(data_dir, name="opus/medical", split="train", keys=("en", "de"),
                    max_pairs=None):
    """Read sentence pairs from a TensorFlow Datasets directory prepared beforehand.

    Nothing is downloaded: the dataset must already be prepared under ``data_dir`` (for example
    with ``tfds build`` or ``tfds.builder(name, data_dir=...).download_and_prepare()`` on a
    machine with internet access, then copied).

    Args:
        data_dir: str or os.PathLike, the TFDS data directory.
        name: the TFDS dataset name, e.g. 'opus/medical' or 'wmt14_translate/de-en'.
        split: the split to read, e.g. 'train' or 'train[:1000]'.
        keys: (source_key, target_key) feature names of the two sentences.
        max_pairs: optional int, stop after this many pairs.

    Returns:
        list of (source, target) str tuples.

    Raises:
        FileNotFoundError: ``data_dir`` does not hold the prepared dataset.
        ValueError: ``keys`` are not features of the dataset.
    """
    tfds, builder = prepared_tfds_builder(name, data_dir)
    features = set(builder.info.features.keys())
    missing = [key for key in keys if key not in features]
    if missing:
        raise ValueError(f"keys {missing} are not features of {name!r}; expected some of "
                         f"{sorted(features)}")
    dataset = builder.as_dataset(split=split, shuffle_files=False)
    if max_pairs is not None:
        dataset = dataset.take(max_pairs)
    source_key, target_key = keys
    pairs = []
    for example in tfds.as_numpy(dataset):
        pairs.append((tfds_text(example[source_key]), tfds_text(example[target_key])))
    return pairs

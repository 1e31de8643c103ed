"""Loaders for your own data, never downloading anything: :func:`load_squad_json` (SQuAD
v1.1/v2.0 JSON), :func:`load_c4_jsonl` (C4-style JSON lines) and :func:`load_mnli_tsv` (GLUE's
MNLI TSV).
"""
import csv
import json

from coursekit.loaders import check_file, check_max_examples, json_records, not_utf8, record_text
from w3_qa.data.nli import NLI_LABELS


def _expect(value, type_, where, what):
    if not isinstance(value, type_):
        expected = {list: "list", dict: "object", str: "string"}.get(type_, type_.__name__)
        raise ValueError(f"{where}: {what} must be a JSON {expected}, but it is a "
                         f"{type(value).__name__}")
    return value


def load_squad_json(path, max_examples=None):
    """Read question/answer examples from a SQuAD JSON file (v1.1, or v2.0).

    The file is ``{"version": ..., "data": [{"title": str, "paragraphs": [{"context": str,
    "qas": [{"id": str, "question": str, "answers": [{"text": str, "answer_start": int},
    ...]}]}]}]}``. The first answer of each question is used (SQuAD's dev set lists several).
    Questions without answers (SQuAD v2.0's ``"is_impossible": true``) are skipped without a
    warning: only answerable questions are returned, so ``len(result)`` is the number of
    answerable questions read. Texts are kept exactly as in the file (offsets stay valid).

    Args:
        path: str or os.PathLike, a UTF-8 JSON file (a byte-order mark is ignored).
        max_examples: optional int, stop after this many (answerable) examples.

    Returns:
        list of dicts ``{"id", "title", "question", "context", "answer", "answer_start"}`` like
        :func:`qa_examples`' (the title is the article's title, "" if it has none).

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file is not valid JSON or UTF-8, a record lacks a field or has the
            wrong type (the message names the article and question), or an answer's text is
            not at its answer_start in the context (the message names the question id).
    """
    check_max_examples(max_examples)
    path = check_file(path, "SQuAD JSON")
    try:
        with open(path, encoding="utf-8-sig") as handle:
            root = json.load(handle)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column "
                         f"{error.colno})") from None
    except UnicodeDecodeError as error:
        raise not_utf8(path, error) from None
    if not isinstance(root, dict) or "data" not in root:
        raise ValueError(f"{path}: expected a JSON object with a 'data' list (SQuAD format), "
                         f"but got a {type(root).__name__}"
                         + (f" with fields {sorted(root)}" if isinstance(root, dict) else ""))
    examples = []
    for a, article in enumerate(_expect(root["data"], list, path, "'data'")):
        where = f"{path}: data[{a}]"
        _expect(article, dict, where, "an article")
        title = article.get("title", "")
        if "paragraphs" not in article:
            raise ValueError(f"{where} (title {title!r}) has no 'paragraphs' field")
        for p, paragraph in enumerate(_expect(article["paragraphs"], list, where, "'paragraphs'")):
            at = f"{where}.paragraphs[{p}]"
            _expect(paragraph, dict, at, "a paragraph")
            for field in ("context", "qas"):
                if field not in paragraph:
                    raise ValueError(f"{at} (title {title!r}) has no {field!r} field")
            context = _expect(paragraph["context"], str, at, "'context'")
            for q, qa in enumerate(_expect(paragraph["qas"], list, at, "'qas'")):
                if max_examples is not None and len(examples) >= max_examples:
                    return examples
                _expect(qa, dict, f"{at}.qas[{q}]", "a question")
                missing = [field for field in ("id", "question") if field not in qa]
                if missing:
                    raise ValueError(f"{at}.qas[{q}] has no {missing[0]!r} field")
                qid = str(qa["id"])
                answers = qa.get("answers") or []
                if qa.get("is_impossible") or not answers:
                    continue  # unanswerable (SQuAD v2.0): skipped
                answer = _expect(answers[0], dict, f"{path}: question {qid!r}", "an answer")
                text, start = answer.get("text"), answer.get("answer_start")
                if not isinstance(text, str) or not text or isinstance(start, bool) \
                        or not isinstance(start, int):
                    raise ValueError(f"{path}: question {qid!r}: the first answer needs a "
                                     f"non-empty 'text' and an int 'answer_start', but got "
                                     f"{answer!r}")
                if context[start:start + len(text)] != text:
                    raise ValueError(f"{path}: question {qid!r}: the answer {text!r} is not at "
                                     f"answer_start {start} of its context (found "
                                     f"{context[start:start + len(text)]!r} there)")
                examples.append({"id": qid, "title": title,
                                 "question": _expect(qa["question"], str, f"{path}: question "
                                                     f"{qid!r}", "'question'"),
                                 "context": context, "answer": text, "answer_start": start})
    return examples


def load_c4_jsonl(path, text_key="text", max_examples=None):
    """Read texts from a C4-style JSON lines file, e.g. ``{"text": ..., "url": ...,
    "timestamp": ...}`` per line, for pre-training.

    Args:
        path: str or os.PathLike, a UTF-8 text file; blank lines are skipped and a byte-order
            mark at the start is ignored.
        text_key: the field that holds the text.
        max_examples: optional int, stop after this many texts.

    Returns:
        list of str; runs of whitespace (newlines included) become single spaces.

    Raises:
        FileNotFoundError: no such file.
        ValueError: a line is not valid JSON or not an object, lacks ``text_key``, holds a
            non-string or empty text, or is not UTF-8 (the message names the file and line).
    """
    check_max_examples(max_examples)
    path = check_file(path, "JSON lines")
    texts = []
    expected = f"an object with a {text_key!r} field"
    for number, record in json_records(path, expected, lambda: max_examples is None or len(texts) < max_examples):
        if text_key not in record:
            raise ValueError(f"{path}: line {number} has no {text_key!r} field; its fields "
                             f"are {sorted(record)}")
        texts.append(record_text(path, number, record, text_key, "text"))
    return texts


_MNLI_COLUMNS = ("sentence1", "sentence2", "gold_label")


def load_mnli_tsv(path, max_examples=None):
    """Read NLI pairs from an MNLI TSV file as GLUE distributes it (train.tsv, dev_matched.tsv).

    The file is tab-separated with a header row naming (at least) the columns "sentence1",
    "sentence2" and "gold_label"; it is read with ``csv.QUOTE_NONE``, as GLUE's files need (a
    sentence may hold a lone quote character). Rows whose gold_label is not one of
    :data:`NLI_LABELS` (e.g. "-", no consensus) are skipped, and so are blank lines.

    Args:
        path: str or os.PathLike, a UTF-8 TSV file (a byte-order mark is ignored).
        max_examples: optional int, stop after this many pairs.

    Returns:
        list of dicts ``{"premise": str, "hypothesis": str, "label": str}`` like
        :func:`nli_examples`'.

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file is empty or not UTF-8, lacks a column (the message lists the
            columns found), or a row is too short for the needed columns (the message names
            the line).
    """
    check_max_examples(max_examples)
    path = check_file(path, "MNLI TSV")
    examples = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        try:
            header = next(reader, None)
            if not header:
                raise ValueError(f"{path}: the file is empty; expected a header row with "
                                 f"columns {list(_MNLI_COLUMNS)}")
            missing = [name for name in _MNLI_COLUMNS if name not in header]
            if missing:
                raise ValueError(f"{path}: missing column(s) {missing}; the columns found are "
                                 f"{header}")
            index = {name: header.index(name) for name in _MNLI_COLUMNS}
            needed = max(index.values()) + 1
            for row in reader:
                if max_examples is not None and len(examples) >= max_examples:
                    break
                if not any(field.strip() for field in row):
                    continue  # a blank line
                if len(row) < needed:
                    raise ValueError(f"{path}: line {reader.line_num} has {len(row)} "
                                     f"tab-separated fields, but the header needs at least "
                                     f"{needed}")
                label = row[index["gold_label"]].strip()
                if label not in NLI_LABELS:
                    continue
                examples.append({"premise": row[index["sentence1"]].strip(),
                                 "hypothesis": row[index["sentence2"]].strip(),
                                 "label": label})
        except csv.Error as error:  # pragma: no cover - QUOTE_NONE accepts almost anything
            raise ValueError(f"{path}: malformed TSV near line {reader.line_num}: "
                             f"{error}") from None
        except UnicodeDecodeError as error:
            raise not_utf8(path, error) from None
    return examples

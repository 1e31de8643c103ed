"""The loaders' shared checks: a user's file that is missing, not UTF-8 or not JSON gets a message naming the
file and the line; TFDS text features come back as str; nothing is downloaded."""
import pytest

from coursekit import loaders


def test_clean_whitespace():
    assert loaders.clean_whitespace(" a\n\tb  c ") == "a b c"


def test_the_loaders_checks(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("x")
    assert loaders.check_file(path, "text") == str(path)
    with pytest.raises(FileNotFoundError, match="no text file at"):
        loaders.check_file(tmp_path / "missing.txt", "text")
    loaders.check_max_examples(None)
    loaders.check_max_examples(0)
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="max_examples must be None or an int >= 0"):
            loaders.check_max_examples(bad)


def test_decode_line_drops_a_byte_order_mark_from_the_first_line_only():
    assert loaders.decode_line("f.tsv", 1, "\ufeffa\tb\n".encode("utf-8")) == "a\tb\n"
    assert loaders.decode_line("f.tsv", 2, "\ufeffa".encode("utf-8")) == "\ufeffa"
    assert loaders.decode_line("f.tsv", 3, "Straße".encode("utf-8")) == "Straße"
    with pytest.raises(ValueError, match=r"f.tsv: line 4 is not valid UTF-8 .*at byte 1.*convert the file"):
        loaders.decode_line("f.tsv", 4, b"a\xff")


def test_json_line_names_the_line_and_column():
    assert loaders.json_line("f.jsonl", 1, '{"text": "x"}\n') == {"text": "x"}
    expected = r"f.jsonl: line 7 is not valid JSON \(.* at column 10\): '\{\"text\": x\}'"
    with pytest.raises(ValueError, match=expected):
        loaders.json_line("f.jsonl", 7, '{"text": x}\n')


def test_tfds_helpers(tmp_path):
    class Builder:
        data_dir = str(tmp_path)

    assert not loaders.tfds_is_prepared(Builder())
    (tmp_path / "dataset_info.json").write_text("{}")
    assert loaders.tfds_is_prepared(Builder())
    assert loaders.tfds_text(b"Stra\xc3\x9fe") == "Straße" and loaders.tfds_text("x") == "x"


def test_text_lines_skip_blank_lines_and_stop_before_reading_past_the_limit(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes(b"\xef\xbb\xbfone\n\n  \ntwo\r\nthree\n\xff\n")
    kept = []
    for number, line in loaders.text_lines(str(path), lambda: len(kept) < 3):
        kept.append((number, line))
    assert kept == [(1, "one\n"), (4, "two\r\n"), (5, "three\n")]  # line 6 (not UTF-8) is never read
    with pytest.raises(ValueError, match="line 6 is not valid UTF-8"):
        list(loaders.text_lines(str(path)))


def test_json_records_and_record_text(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text('{"text": " a  b\\n c "}\n\n{"text": 3}\n{"text": " "}\n[1]\n', encoding="utf-8")
    records = loaders.json_records(str(path), "an object with a 'text' field")
    number, record = next(records)
    assert number == 1 and loaders.record_text(str(path), number, record, "text", "text") == "a b c"
    number, record = next(records)
    with pytest.raises(ValueError, match="line 3: field 'text' must be a string, but it is a JSON int"):
        loaders.record_text(str(path), number, record, "text", "text")
    number, record = next(records)
    with pytest.raises(ValueError, match=r"line 4 has an empty article \(field 'text'\)"):
        loaders.record_text(str(path), number, record, "text", "article")
    with pytest.raises(ValueError, match="line 5 is a JSON list, expected an object with a 'text' field"):
        next(records)

"""Tests for w2_summarizer.data: the article/summary generator, the splits and the loaders."""
import collections
import csv
import json
import re

import pytest

from coursekit.names import FIRST_NAMES
from w2_summarizer import data

_TOPIC_PATTERNS = {
    # Numbers of the same kind as a topic's key facts, used to find distractors.
    "match": r"\b\d+-\d+\b",
    "weather": r"\b\d+ degrees\b",
    "company": r"\$[\d,]+ million\b",
    "event": r"\b\d{1,2},\d{3}\b|\b\d{1,2} (?:January|February|March|April|May|June|July|August"
             r"|September|October|November|December)\b",
}


@pytest.fixture(scope="module")
def corpus():
    """2,000 generated examples (seed 3), shared by the corpus-level tests."""
    return data.generate_examples(2000, seed=3)


@pytest.fixture(scope="module")
def default_splits():
    """make_splits() with its defaults (about 2.5 s on a 2-core CPU; timed by no test: speed belongs
    in benchmarks)."""
    return data.make_splits()


def _contains(text, value):
    """Whether ``value`` occurs in ``text`` as whole words (case-sensitive)."""
    return re.search(r"(?<![\w$-])" + re.escape(value) + r"(?![\w-]|[.,]\d)", text) is not None


def _skeleton(text, facts):
    """``text`` with every fact value replaced by its key and other digits by '#'."""
    for key, value in sorted(facts.items(), key=lambda item: -len(item[1])):
        text = text.replace(value, "{" + key + "}")
    return re.sub(r"\d", "#", text)


def _sentences(article):
    return re.split(r"(?<=\.) (?=[A-Z$0-9])", article)


# --- the examples ---------------------------------------------------------------------------------

def test_examples_have_the_documented_fields(corpus):
    for example in corpus[:200]:
        assert set(example) == {"article", "summary", "topic", "facts"}
        assert isinstance(example["article"], str) and isinstance(example["summary"], str)
        assert example["topic"] in data.TOPICS
        assert example["facts"] and all(isinstance(key, str) and isinstance(value, str) and value
                                        for key, value in example["facts"].items())
        assert example["article"].isascii() and example["summary"].isascii()
        assert example["summary"].endswith(".") and example["article"].endswith(".")


def test_topics_constant():
    assert data.TOPICS == ("match", "weather", "company", "event")


def test_same_seed_same_examples_and_different_seed_different():
    first = data.generate_examples(50, seed=1)
    assert data.generate_examples(50, seed=1) == first
    other = data.generate_examples(50, seed=2)
    assert [e["article"] for e in other] != [e["article"] for e in first]
    assert len({e["article"] for e in first} & {e["article"] for e in other}) == 0


def test_examples_are_a_stream_whatever_n():
    many = data.generate_examples(40, seed=5)
    assert data.generate_examples(10, seed=5) == many[:10]
    assert data.generate_examples(0, seed=5) == []
    stream = data.iter_examples(seed=5)
    assert [next(stream) for _ in range(40)] == many


def test_topics_appear_in_about_equal_proportion(corpus):
    counts = collections.Counter(example["topic"] for example in corpus)
    assert set(counts) == set(data.TOPICS)
    for topic in data.TOPICS:
        assert 0.2 < counts[topic] / len(corpus) < 0.3, counts


def test_topics_argument_restricts_topics_and_ignores_order():
    examples = data.generate_examples(20, seed=0, topics=["weather"])
    assert {example["topic"] for example in examples} == {"weather"}
    assert (data.generate_examples(20, seed=0, topics=("event", "match"))
            == data.generate_examples(20, seed=0, topics=["match", "event", "match"]))
    assert {e["topic"] for e in data.generate_examples(40, topics=("event", "match"))} == {
        "event", "match"}


def test_lengths_are_within_bounds(corpus):
    assert (data.MAX_ARTICLE_WORDS, data.MAX_SUMMARY_WORDS) == (110, 30)
    article_words = [len(example["article"].split()) for example in corpus]
    summary_words = [len(example["summary"].split()) for example in corpus]
    assert 45 <= min(article_words) and max(article_words) <= data.MAX_ARTICLE_WORDS
    assert 10 <= min(summary_words) and max(summary_words) <= data.MAX_SUMMARY_WORDS
    # The summary is much shorter than the article, and lengths vary.
    assert all(s < a / 2 for s, a in zip(summary_words, article_words))
    assert max(article_words) - min(article_words) > 30


def test_every_fact_appears_in_the_article_and_the_summary(corpus):
    expected_keys = {
        "match": {"winner", "loser", "score", "venue", "day", "scorer", "goals"},
        "weather": {"region", "day", "conditions", "high", "low"},
        "company": {"company", "quarter", "revenue", "change", "ceo"},
        "event": {"event", "town", "date", "attendance", "organiser"},
    }
    for example in corpus:
        facts = example["facts"]
        assert expected_keys[example["topic"]] <= set(facts)
        for key, value in facts.items():
            assert _contains(example["article"], value), (key, value, example["article"])
            assert _contains(example["summary"], value), (key, value, example["summary"])
    # Optional facts: company results have a profit or a loss, some forecasts a warning.
    company = [e["facts"] for e in corpus if e["topic"] == "company"]
    assert all(("profit" in facts) != ("loss" in facts) for facts in company)
    warnings = [("warning" in e["facts"]) for e in corpus if e["topic"] == "weather"]
    assert 0.1 < sum(warnings) / len(warnings) < 0.9


def test_summary_numbers_and_names_come_from_the_article(corpus):
    for example in corpus:
        for number in re.findall(r"\d[\d,.-]*\d|\d", example["summary"]):
            assert re.search(r"(?<![\d,.-])" + re.escape(number) + r"(?!\d|[,.-]\d)",
                             example["article"]), (number, example)
        # Capitalised words inside a sentence are names from the article.
        for word in re.findall(r"(?<=[^.] )[A-Z][a-z]*", example["summary"]):
            assert _contains(example["article"], word), (word, example)


def test_matches_worked_example():
    match = next(e for e in data.generate_examples(20, seed=0) if e["topic"] == "match")
    facts = match["facts"]
    winner_goals, loser_goals = (int(part) for part in facts["score"].split("-"))
    assert winner_goals > loser_goals >= 0
    assert facts["winner"] != facts["loser"]
    assert facts["winner"] in data.TEAMS and facts["loser"] in data.TEAMS
    assert facts["venue"] in data.VENUES


def test_summary_is_one_of_a_few_phrasings_of_the_facts(corpus):
    by_topic = collections.defaultdict(set)
    leads = collections.defaultdict(set)
    for example in corpus:
        by_topic[example["topic"]].add(_skeleton(example["summary"], example["facts"]))
        leads[example["topic"]].add(_skeleton(_sentences(example["article"])[0], example["facts"]))
    for topic in data.TOPICS:
        # At least 2 summary phrasings, and no words beyond the facts and a fixed phrasing.
        assert 2 <= len(by_topic[topic]) <= 16, by_topic[topic]
        # At least 3 article openings (the match openings also vary with the crowd size).
        assert len(leads[topic]) >= 3, leads[topic]


def test_sentence_order_is_partly_shuffled(corpus):
    for topic, key in (("match", "scorer"), ("weather", "low"), ("company", "ceo"),
                       ("event", "organiser")):
        positions = collections.Counter()
        for example in corpus:
            if example["topic"] != topic:
                continue
            sentences = _sentences(example["article"])
            found = [i for i, s in enumerate(sentences) if _contains(s, example["facts"][key])]
            if found and found[0] > 0:
                positions[found[0]] += 1
        assert len(positions) >= 4, (topic, positions)


def test_every_article_has_distractors_of_the_facts_kind(corpus):
    for example in corpus:
        pattern = _TOPIC_PATTERNS[example["topic"]]
        mentioned = set(re.findall(pattern, example["article"]))
        in_summary = set(re.findall(pattern, example["summary"]))
        assert in_summary and in_summary <= mentioned
        assert mentioned - in_summary, example["article"]
    # For matches in particular: another score than the true one.
    for example in corpus:
        if example["topic"] == "match":
            scores = set(re.findall(r"\b\d+-\d+\b", example["article"]))
            assert scores - {example["facts"]["score"]}


def test_articles_mention_other_people_and_teams(corpus):
    matches = [e for e in corpus if e["topic"] == "match"]
    name = re.compile(r"\b(?:" + "|".join(FIRST_NAMES) + r") [A-Z][a-z]+")
    other_people = sum(1 for e in matches
                       if set(name.findall(e["article"])) - {e["facts"]["scorer"]})
    other_teams = sum(1 for e in matches
                      if any(team in e["article"] for team in data.TEAMS
                             if team not in (e["facts"]["winner"], e["facts"]["loser"])))
    assert other_people / len(matches) > 0.4
    assert other_teams / len(matches) > 0.5


def test_vocabulary_is_modest(default_splits):
    words = set()
    for example in default_splits["train"]:
        for text in (example["article"], example["summary"]):
            words.update(word.strip(".,:;") for word in text.lower().split())
    assert 500 < len(words) < 3000


# --- bad arguments -------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": -1}, ValueError, "n must be >= 0"),
    ({"n": 2.0}, TypeError, "n must be an int"),
    ({"n": True}, TypeError, "n must be an int"),
    ({"n": 1, "seed": -3}, ValueError, "seed must be >= 0"),
    ({"n": 1, "seed": "0"}, TypeError, "seed must be an int"),
    ({"n": 1, "topics": ()}, ValueError, "at least one"),
    ({"n": 1, "topics": ("match", "sports")}, ValueError, r"unknown topic\(s\) \['sports'\]"),
    ({"n": 1, "topics": "match"}, TypeError, "not a str"),
    ({"n": 1, "topics": 3}, TypeError, "sequence of topic names"),
])
def test_generate_examples_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        data.generate_examples(**kwargs)


def test_iter_examples_validates_eagerly():
    with pytest.raises(ValueError, match="unknown topic"):
        data.iter_examples(topics=["news"])


# --- splits --------------------------------------------------------------------------------------

def test_default_splits_are_sized_and_disjoint(default_splits):
    splits = default_splits
    assert {name: len(split) for name, split in splits.items()} == {
        "train": 20000, "eval": 500, "test": 500}
    articles = [e["article"] for split in splits.values() for e in split]
    assert len(set(articles)) == len(articles)


def test_small_splits_are_deterministic_and_stable():
    splits = data.make_splits(n_train=60, n_eval=20, n_test=20, seed=4)
    assert splits == data.make_splits(n_train=60, n_eval=20, n_test=20, seed=4)
    assert [len(splits[name]) for name in ("train", "eval", "test")] == [60, 20, 20]
    sets = [{e["article"] for e in splits[name]} for name in ("train", "eval", "test")]
    assert sum(len(s) for s in sets) == len(set.union(*sets)) == 100
    # eval and test do not depend on n_train; the test split is the head of the stream.
    bigger = data.make_splits(n_train=90, n_eval=20, n_test=20, seed=4)
    assert bigger["eval"] == splits["eval"] and bigger["test"] == splits["test"]
    assert splits["test"] == data.generate_examples(20, seed=4)
    assert data.make_splits(10, 5, 5, seed=5)["test"] != splits["test"][:5]


@pytest.mark.parametrize("kwargs, message", [
    ({"n_train": -1}, "n_train must be an int >= 0"),
    ({"n_eval": 1.5}, "n_eval must be an int >= 0"),
    ({"n_test": None}, "n_test must be an int >= 0"),
])
def test_make_splits_rejects_bad_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.make_splits(**kwargs)


# --- loaders -------------------------------------------------------------------------------------

def _write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def _record(article, summary):
    return {"article": article, "summary": summary, "topic": None, "facts": None}


def test_load_jsonl_round_trip(tmp_path):
    rows = [
        {"article": "Rovers won again.\nFans cheered.", "highlights": "Rovers won.", "id": "1"},
        {"article": "  It rained all day.  ", "summary": "Rain.", "url": "x"},
        {"article": "Shares rose.", "highlights": "Up.", "summary": "Shares up."},
    ]
    text = "\n".join(json.dumps(row) for row in rows[:2]) + "\n\n" + json.dumps(rows[2]) + "\n"
    path = _write(tmp_path / "news.jsonl", "\ufeff" + text)
    expected = [_record("Rovers won again. Fans cheered.", "Rovers won."),
                _record("It rained all day.", "Rain."),
                _record("Shares rose.", "Up.")]
    assert data.load_jsonl(path) == expected
    assert data.load_jsonl(str(path), max_examples=2) == expected[:2]
    assert data.load_jsonl(path, max_examples=0) == []
    # summary_key=None tries "summary" first, then "highlights".
    assert data.load_jsonl(path, summary_key=None)[2] == _record("Shares rose.", "Shares up.")
    assert data.load_jsonl(path, summary_key="summary")[0]["summary"] == "Rovers won."


def test_load_jsonl_custom_keys(tmp_path):
    path = _write(tmp_path / "papers.jsonl", json.dumps({"text": "A long text.", "abstract": "Short."}))
    assert data.load_jsonl(path, article_key="text", summary_key="abstract") == [
        _record("A long text.", "Short.")]
    # A custom summary key is required as given: no fallback.
    path = _write(tmp_path / "other.jsonl", json.dumps({"text": "A long text.", "summary": "S."}))
    with pytest.raises(ValueError, match=r"line 1 has no 'abstract' field; its fields are "
                                         r"\['summary', 'text'\]"):
        data.load_jsonl(path, article_key="text", summary_key="abstract")


@pytest.mark.parametrize("text, message", [
    ('{"article": "a", "highlights": "b"}\n{"article": oops}\n', r"bad\.jsonl: line 2 is not valid JSON"),
    ('["a", "b"]\n', r"bad\.jsonl: line 1 is a JSON list"),
    ('{"article": "a", "highlights": "  "}\n', r"bad\.jsonl: line 1 has an empty summary"),
    ('\n{"article": "", "highlights": "b"}\n', r"bad\.jsonl: line 2 has an empty article"),
    ('{"article": "a", "highlights": ["b"]}\n', r"line 1: field 'highlights' must be a string"),
    ('{"text": "a", "highlights": "b"}\n', r"line 1 has no 'article' field"),
    ('{"article": "a", "title": "b"}\n', r"line 1 has no 'highlights' or 'summary' field"),
])
def test_load_jsonl_reports_bad_lines(tmp_path, text, message):
    path = _write(tmp_path / "bad.jsonl", text)
    with pytest.raises(ValueError, match=message):
        data.load_jsonl(path)


def test_load_jsonl_file_and_argument_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no JSON lines file"):
        data.load_jsonl(tmp_path / "missing.jsonl")
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"article": "caf\xe9", "highlights": "b"}\n'.encode("latin-1"))
    with pytest.raises(ValueError, match="line 1 is not valid UTF-8"):
        data.load_jsonl(path)
    with pytest.raises(ValueError, match="max_examples"):
        data.load_jsonl(path, max_examples=-1)


def test_load_csv_round_trip_with_quoted_fields(tmp_path):
    path = tmp_path / "news.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "article", "highlights"])
        writer.writerow(["1", 'Rovers won, again.\nFans cheered "loudly".', "Rovers won."])
        writer.writerow(["2", "It rained.", "Rain, then sun."])
    text = path.read_text(encoding="utf-8")
    assert '"Rovers won, again.\nFans cheered ""loudly""."' in text  # quoted, multi-line
    expected = [_record('Rovers won, again. Fans cheered "loudly".', "Rovers won."),
                _record("It rained.", "Rain, then sun.")]
    assert data.load_csv(path) == expected
    assert data.load_csv(str(path), max_examples=1) == expected[:1]
    assert data.load_csv(path, article_column="highlights", summary_column="id")[1] == _record(
        "Rain, then sun.", "2")


def test_load_csv_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no CSV file"):
        data.load_csv(tmp_path / "missing.csv")
    path = _write(tmp_path / "columns.csv", "text,highlights\nA,B\n")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['article'\]; the columns found are "
                                         r"\['text', 'highlights'\]"):
        data.load_csv(path)
    path = _write(tmp_path / "empty_field.csv", 'article,highlights\nA,B\n"",C\n')
    with pytest.raises(ValueError, match="line 3 has an empty article"):
        data.load_csv(path)
    path = _write(tmp_path / "short_row.csv", "article,highlights\nA,B\nC\n")
    with pytest.raises(ValueError, match="line 3 has an empty summary"):
        data.load_csv(path)
    with pytest.raises(ValueError, match="empty"):
        data.load_csv(_write(tmp_path / "nothing.csv", ""))
    path = tmp_path / "latin1.csv"
    path.write_bytes("article,highlights\ncaf\xe9,b\n".encode("latin-1"))
    with pytest.raises(ValueError, match="not valid UTF-8"):
        data.load_csv(path)


def test_load_tfds_cnn_dailymail_without_prepared_data(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        data.load_tfds_cnn_dailymail(tmp_path / "missing")
    pytest.importorskip("tensorflow_datasets")
    with pytest.raises(FileNotFoundError, match="not prepared.*nothing is downloaded.*tfds build "
                                                "cnn_dailymail"):
        data.load_tfds_cnn_dailymail(tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing was written, let alone downloaded


# --- command line --------------------------------------------------------------------------------

def test_main_prints_examples(capsys):
    data.main(["--n", "2", "--seed", "0", "--facts"])
    out = capsys.readouterr().out
    assert out.count("ARTICLE: ") == 2 and out.count("SUMMARY: ") == 2 and "FACTS:" in out
    first = data.generate_examples(1, seed=0)[0]
    assert first["summary"] in out

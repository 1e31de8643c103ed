"""Tests for w3_qa.data: the paragraph generator, questions, NLI pairs, splits and loaders."""
import collections
import json
import re
import subprocess
import sys

import pytest

from coursekit.synthetic import Draws
from w3_qa import data
from w3_qa.data import draws as data_draws
from w3_qa.data import kinds as data_kinds
from w3_qa.data import questions as data_questions

# The facts each kind's text mentions at least twice, by design (a person's name, teacher,
# founder or leader through the surname).
_REPEATED = {
    "person": ("name", "birth_town", "birth_year", "death_year", "mentor", "work"),
    "place": ("name", "founding_year", "founder", "river", "twin_town"),
    "organisation": ("name", "founding_year", "founder", "headquarters", "leader"),
    "event": ("name", "year", "town", "leader"),
}
_BY_SURNAME = {("person", "name"), ("person", "mentor"), ("place", "founder"),
               ("organisation", "founder"), ("organisation", "leader"), ("event", "leader")}
_YEAR_FACTS = {"birth_year", "death_year", "founding_year", "year"}
_PERSON = re.compile(r"\b(?:" + "|".join(data.FIRST_NAMES) + r") (?:"
                     + "|".join(data.LAST_NAMES) + r")\b")
_YEAR = re.compile(r"(?<![\d,])1[6-9]\d\d(?!\d|,\d)")


@pytest.fixture(scope="module")
def corpus():
    """2,000 generated paragraphs (seed 3), shared by the corpus-level tests."""
    return data.generate_paragraphs(2000, seed=3)


@pytest.fixture(scope="module")
def questions(corpus):
    return [example for paragraph in corpus for example in data.qa_examples(paragraph, seed=1)]


@pytest.fixture(scope="module")
def default_splits():
    """make_splits() with its defaults (about 2.5 s on a 2-core CPU)."""
    return data.make_splits()


def _count(text, value):
    """How often ``value`` occurs in ``text`` as whole words."""
    count, offset = 0, 0
    while True:
        found = data_questions._find(text[offset:], value)
        if found < 0:
            return count
        count += 1
        offset += found + len(value)


def _contains(text, value):
    return _count(text, value) > 0


def _skeleton(text, facts):
    """``text`` with every fact value replaced by its key and other digits by '#'."""
    for key, value in sorted(facts.items(), key=lambda item: -len(item[1])):
        text = text.replace(value, "{" + key + "}")
    return re.sub(r"\d", "#", text)


def _sentences(text):
    return re.split(r"(?<=\.) (?=[A-Z0-9])", text)


# --- constants and name lists ---------------------------------------------------------------------

def test_constants():
    assert data.KINDS == ("person", "place", "organisation", "event")
    assert data.NLI_LABELS == ("entailment", "neutral", "contradiction")
    assert (data.MIN_PARAGRAPH_WORDS, data.MAX_PARAGRAPH_WORDS) == (50, 110)
    assert set(data.QUESTION_TYPES) == set(data.KINDS)
    for kind, types in data.QUESTION_TYPES.items():
        assert len(types) >= 5, kind
        for key, phrasings in types.items():
            assert len(phrasings) >= 2 and len(set(phrasings)) == len(phrasings), (kind, key)
            assert all(p.endswith("?") and "{name}" in p or "{leader_question}" in p
                       for p in phrasings), (kind, key)


def test_name_lists_are_ascii_distinct_and_disjoint():
    lists = {"first": data.FIRST_NAMES, "last": data.LAST_NAMES, "towns": data.TOWNS}
    for name, names in lists.items():
        assert len(set(names)) == len(names), name
        assert all(n.isascii() and n.isalpha() and n[0].isupper() for n in names), name
    assert not set(data.FIRST_NAMES) & set(data.LAST_NAMES)
    assert not set(data.TOWNS) & (set(data.FIRST_NAMES) | set(data.LAST_NAMES))
    assert len(data.TOWNS) > 300 and len(data.FIRST_NAMES) > 100 and len(data.LAST_NAMES) > 150
    for spec in data.EVENT_TYPES.values():  # no outcome is part of another
        for a in spec["outcomes"]:
            assert not any(a != b and _contains(b, a) for b in spec["outcomes"]), a


# --- the paragraphs -------------------------------------------------------------------------------

def test_paragraphs_have_the_documented_fields(corpus):
    for paragraph in corpus[:300]:
        assert set(paragraph) == {"title", "kind", "text", "facts"}
        assert paragraph["kind"] in data.KINDS
        assert paragraph["text"].isascii() and paragraph["text"].endswith(".")
        facts = paragraph["facts"]
        assert facts["name"] == paragraph["title"]
        assert set(facts) == {"name"} | set(data.QUESTION_TYPES[paragraph["kind"]])
        assert all(isinstance(v, str) and v for v in facts.values())


def test_same_seed_same_paragraphs_and_different_seed_different():
    first = data.generate_paragraphs(50, seed=1)
    assert data.generate_paragraphs(50, seed=1) == first
    other = data.generate_paragraphs(50, seed=2)
    assert not {p["text"] for p in first} & {p["text"] for p in other}


def test_paragraphs_are_a_stream_whatever_n():
    many = data.generate_paragraphs(40, seed=5)
    assert data.generate_paragraphs(10, seed=5) == many[:10]
    assert data.generate_paragraphs(0, seed=5) == []
    stream = data.iter_paragraphs(seed=5)
    assert [next(stream) for _ in range(40)] == many


def test_kinds_appear_in_about_equal_proportion(corpus):
    counts = collections.Counter(p["kind"] for p in corpus)
    assert set(counts) == set(data.KINDS)
    assert all(0.2 < counts[kind] / len(corpus) < 0.3 for kind in data.KINDS), counts


def test_kinds_argument_restricts_kinds_and_ignores_order():
    assert {p["kind"] for p in data.generate_paragraphs(20, kinds=["event"])} == {"event"}
    assert (data.generate_paragraphs(20, seed=0, kinds=("event", "person"))
            == data.generate_paragraphs(20, seed=0, kinds=["person", "event", "person"]))


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": -1}, ValueError, "n must be >= 0"),
    ({"n": 2.0}, TypeError, "n must be an int"),
    ({"n": True}, TypeError, "n must be an int"),
    ({"n": 1, "seed": -3}, ValueError, "seed must be >= 0"),
    ({"n": 1, "seed": "0"}, TypeError, "seed must be an int"),
    ({"n": 1, "kinds": ()}, ValueError, "at least one"),
    ({"n": 1, "kinds": ("person", "city")}, ValueError, r"unknown kind\(s\) \['city'\]"),
    ({"n": 1, "kinds": "person"}, TypeError, "not a str"),
    ({"n": 1, "kinds": 3}, TypeError, "sequence of kind names"),
])
def test_generate_paragraphs_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        data.generate_paragraphs(**kwargs)


def test_iter_paragraphs_validates_eagerly():
    with pytest.raises(ValueError, match="unknown kind"):
        data.iter_paragraphs(kinds=["town"])


def test_lengths_are_within_bounds(corpus):
    words = [len(p["text"].split()) for p in corpus]
    assert data.MIN_PARAGRAPH_WORDS <= min(words) and max(words) <= data.MAX_PARAGRAPH_WORDS
    assert max(words) - min(words) >= 20


def test_every_fact_appears_in_the_text(corpus):
    for paragraph in corpus:
        for key, value in paragraph["facts"].items():
            assert _contains(paragraph["text"], value), (key, value, paragraph["text"])


def test_fact_values_do_not_overlap(corpus):
    """No fact value is part of another's, so a value's first mention is a mention of it."""
    for paragraph in corpus:
        values = set(paragraph["facts"].values())
        for value in values:
            assert not any(other != value and _contains(other, value) for other in values), (
                value, paragraph["facts"])


def test_every_mention_of_a_fact_value_is_that_fact():
    """In every phrasing of every sentence a paragraph may use, a fact value occurs only where
    its placeholder (or a field derived from it, like "a painter") was filled: never inside a
    distractor's name or the template's own words. So the first mention is the right one."""
    derived = {"a_profession", "the_work", "work_subject", "work_ref"}
    d = Draws(12)
    for i in range(800):
        kind = data.KINDS[i % 4]
        built = data_kinds._KIND_BUILDERS[kind](d, data_draws._Pool(d))
        _, facts, fill, leads, units, extra, details = built
        marked = dict(fill)
        for field, value in fill.items():
            for key, fact in facts.items():
                if key != "name" and (field == key or field in derived and _contains(value, fact)):
                    marked[field] = value.replace(fact, "\0", 1)
        templates = [lead for lead, _ in leads] + [p for _, ph in units for p in ph]
        for template in templates + list(extra) + list(details):
            sentence = template.format(**marked)
            for key, fact in facts.items():
                assert key == "name" or not _contains(sentence, fact), (key, fact, sentence)


def test_key_facts_appear_at_least_twice(corpus):
    for paragraph in corpus:
        kind, text = paragraph["kind"], paragraph["text"]
        for key in _REPEATED[kind]:
            value = paragraph["facts"][key]
            if (kind, key) in _BY_SURNAME:
                value = value.split()[-1]
            assert _count(text, value) >= 2, (key, value, text)


def test_paragraphs_hold_distractors_of_the_facts_types(corpus):
    for paragraph in corpus:
        text, facts, kind = paragraph["text"], paragraph["facts"], paragraph["kind"]
        years = set(_YEAR.findall(text))
        people = set(_PERSON.findall(text))
        fact_years = {value for key, value in facts.items() if key in _YEAR_FACTS}
        assert years - fact_years, text  # a year that is not a fact
        assert people - set(facts.values()), text  # a person that is not a fact
        if kind == "person":
            assert len(years) >= 2 and len(people) >= 2
            assert len(years) >= 4, text  # birth, death and at least two other years
    # Numbers of the counted kind: a rival's count, the old population, earlier membership.
    number_key = {"person": "count", "place": "population", "organisation": "members",
                  "event": "number"}
    found = collections.Counter()
    for paragraph in corpus:
        key = number_key[paragraph["kind"]]
        numbers = set(re.findall(r"(?<![\d,])\d[\d,]*\d(?!\d|,\d)|(?<![\d,])\d(?!\d|,\d)",
                                 paragraph["text"]))
        years = set(_YEAR.findall(paragraph["text"]))
        found[paragraph["kind"]] += bool(numbers - years - {paragraph["facts"][key]})
    kinds = collections.Counter(p["kind"] for p in corpus)
    assert all(found[kind] == kinds[kind] for kind in ("person", "place", "organisation")), found
    assert found["event"] > 0.3 * kinds["event"], found


def test_leads_vary_and_the_other_sentences_are_shuffled(corpus):
    leads = collections.defaultdict(set)
    positions = collections.defaultdict(collections.Counter)
    probe = {"person": "death_year", "place": "twin_town", "organisation": "leader",
             "event": "outcome"}
    for paragraph in corpus:
        sentences = _sentences(paragraph["text"])
        leads[paragraph["kind"]].add(_skeleton(sentences[0], paragraph["facts"]).split(" ", 1)[1])
        value = paragraph["facts"][probe[paragraph["kind"]]]
        found = [i for i, s in enumerate(sentences[1:], 1) if _contains(s, value)]
        positions[paragraph["kind"]][found[0]] += 1
    for kind in data.KINDS:
        assert len(leads[kind]) >= 3, leads[kind]
        assert len(positions[kind]) >= 5, positions[kind]


def test_vocabulary_is_modest(default_splits):
    # = make_splits(n_pretrain=5000): the pre-training split is filled last, from the same stream.
    splits = default_splits
    texts = [p["text"] for p in splits["pretrain"][:5000]]
    texts += [e["context"] + " " + e["question"] for name in ("train", "eval", "test")
              for e in splits[name]]
    words = set()
    for text in texts:
        words.update(re.findall(r"[a-z]+", text.lower()))  # numbers aside
    assert 800 < len(words) < 3000, len(words)


# --- questions ------------------------------------------------------------------------------------

def test_questions_are_squad_style_with_answers_copied_from_the_context(corpus, questions):
    assert len(questions) == sum(len(data.QUESTION_TYPES[p["kind"]]) for p in corpus)
    for example in questions:
        assert set(example) == {"id", "title", "question", "context", "answer", "answer_start"}
        start, answer, context = example["answer_start"], example["answer"], example["context"]
        assert context[start:start + len(answer)] == answer
        assert start == data_questions._find(context, answer)  # the first whole-word mention
        assert 1 <= len(answer.split()) <= 4, answer
        assert example["question"].endswith("?") and example["title"] in example["question"]
        assert not _contains(example["question"], answer), example  # no answer in the question


def test_qa_examples_of_one_paragraph():
    paragraph = data.generate_paragraphs(1, seed=0, kinds=["person"])[0]
    examples = data.qa_examples(paragraph)
    assert sorted(e["id"].rsplit("-", 1)[1] for e in examples) == sorted(
        data.QUESTION_TYPES["person"])
    title = paragraph["title"]
    assert all(e["id"].startswith(title.lower().replace(" ", "-") + "-") for e in examples)
    assert {e["answer"] for e in examples} == {v for k, v in paragraph["facts"].items()
                                               if k != "name"}
    assert data.qa_examples(paragraph) == examples
    assert data.qa_examples(paragraph, max_questions=3) == examples[:3]
    assert data.qa_examples(paragraph, max_questions=0) == []
    by_key = {e["id"]: e for e in examples}
    born = by_key[f"{data_questions._slug(title)}-birth_year"]
    assert born["question"] in [q.format(name=title)
                                for q in data.QUESTION_TYPES["person"]["birth_year"]]


def test_question_phrasings_vary_with_the_seed_and_the_paragraph(corpus):
    phrasings = collections.defaultdict(set)
    for paragraph in corpus[:400]:
        for example in data.qa_examples(paragraph):
            key = example["id"].rsplit("-", 1)[1]
            phrasings[(paragraph["kind"], key)].add(example["question"].split(
                paragraph["title"])[0])
    assert sum(len(p) >= 2 for p in phrasings.values()) >= 0.9 * len(phrasings)
    paragraph = corpus[0]
    assert any(data.qa_examples(paragraph, seed=s) != data.qa_examples(paragraph)
               for s in range(1, 5))


def test_qa_examples_rejects_bad_paragraphs():
    paragraph = data.generate_paragraphs(1, seed=0, kinds=["place"])[0]
    with pytest.raises(ValueError, match=r"lacks key\(s\) \['facts'\]"):
        data.qa_examples({k: v for k, v in paragraph.items() if k != "facts"})
    with pytest.raises(ValueError, match="unknown kind 'city'"):
        data.qa_examples(dict(paragraph, kind="city"))
    facts = {k: v for k, v in paragraph["facts"].items() if k != "river"}
    with pytest.raises(ValueError, match=r"lacks the fact\(s\) \['river'\]"):
        data.qa_examples(dict(paragraph, facts=facts))
    facts = dict(paragraph["facts"], river="River Nowhere")
    with pytest.raises(ValueError, match="fact 'river' = 'River Nowhere' is not in the text"):
        data.qa_examples(dict(paragraph, facts=facts))
    person = data.generate_paragraphs(1, seed=0, kinds=["person"])[0]
    facts = dict(person["facts"], profession="juggler")
    with pytest.raises(ValueError, match="unknown profession 'juggler'"):
        data.qa_examples(dict(person, facts=facts))
    with pytest.raises(ValueError, match="max_questions must be >= 0"):
        data.qa_examples(paragraph, max_questions=-1)
    with pytest.raises(TypeError, match="must be a dict"):
        data.qa_examples(paragraph["text"])


# --- NLI ------------------------------------------------------------------------------------------

def test_nli_examples_are_balanced_and_deterministic(corpus):
    examples = data.nli_examples(corpus[:200], seed=2)
    assert examples == data.nli_examples(corpus[:200], seed=2)
    assert len(examples) == sum(len(data.QUESTION_TYPES[p["kind"]]) for p in corpus[:200])
    counts = collections.Counter(e["label"] for e in examples)
    assert set(counts) == set(data.NLI_LABELS)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert [e["label"] for e in examples[:6]] == list(data.NLI_LABELS) * 2
    for example in examples:
        assert set(example) == {"premise", "hypothesis", "label"}
        assert example["premise"] != example["hypothesis"]
        assert example["premise"].endswith(".") and example["hypothesis"].endswith(".")


def test_nli_hypotheses_relate_to_the_premise_as_labelled(corpus):
    paragraphs = corpus[:300]
    examples = iter(data.nli_examples(paragraphs))
    for paragraph in paragraphs:
        values = set(paragraph["facts"].values()) - {paragraph["title"]}
        for _ in data.QUESTION_TYPES[paragraph["kind"]]:
            example = next(examples)
            premise, hypothesis = example["premise"], example["hypothesis"]
            assert paragraph["title"] in premise and paragraph["title"] in hypothesis
            stated = {v for v in values if _contains(premise, v)}
            assert stated, premise  # the premise states a fact of the paragraph
            in_hypothesis = {v for v in values if _contains(hypothesis, v)}
            if example["label"] == "entailment":
                assert stated <= in_hypothesis
            elif example["label"] == "contradiction":  # same wording, another value
                assert not stated & in_hypothesis
                assert len(premise.split()) - 3 <= len(hypothesis.split())
                assert premise.split()[:2] == hypothesis.split()[:2] or \
                    premise.split()[-2:] == hypothesis.split()[-2:]
            else:  # another true fact of the same entity
                assert in_hypothesis and not stated & in_hypothesis, example


def test_nli_contradictions_are_found_when_rounding_leaves_no_other_value():
    # These paragraphs once looped for ever: a round number's rounded alternatives were all in the text.
    paragraphs = data.generate_paragraphs(40, seed=7, kinds=("event", "person"))
    examples = data.nli_examples(paragraphs, seed=0)
    assert len(examples) == sum(len(data.QUESTION_TYPES[p["kind"]]) for p in paragraphs)
    for example in examples:
        if example["label"] == "contradiction":
            assert example["hypothesis"] != example["premise"]


def test_nli_gives_up_with_a_clear_message_when_no_other_value_exists():
    from w3_qa.data import nli
    paragraph = {"title": "Battle of Nowhere", "kind": "event", "facts": {"year": "1800"},
                 "text": " ".join(str(year) for year in range(1600, 1991))}
    with pytest.raises(RuntimeError, match="found no year for fact 'year' of 'Battle of Nowhere'"):
        nli._other_value(Draws(0), paragraph, "year")


# --- splits ---------------------------------------------------------------------------------------

def _split_titles(splits):
    titles = {"pretrain": {p["title"] for p in splits["pretrain"]}}
    for name in ("train", "eval", "test"):
        titles[name] = {e["title"] for e in splits[name]}
    return titles


def test_default_splits_are_sized_and_disjoint(default_splits):
    splits = default_splits
    assert {name: len(split) for name, split in splits.items()} == {
        "pretrain": 20000, "train": 4000, "eval": 300, "test": 300}
    titles = _split_titles(splits)
    assert sum(len(t) for t in titles.values()) == len(set.union(*titles.values()))
    texts = [{p["text"] for p in splits["pretrain"]}] + [
        {e["context"] for e in splits[name]} for name in ("train", "eval", "test")]
    assert sum(len(t) for t in texts) == len(set.union(*texts))
    assert len(titles["pretrain"]) == 20000  # titles are unique within a split too
    ids = [e["id"] for name in ("train", "eval", "test") for e in splits[name]]
    assert len(set(ids)) == len(ids)


def test_small_splits_are_deterministic_and_stable():
    splits = data.make_splits(n_pretrain=30, n_train=40, n_eval=15, n_test=10, seed=4)
    assert splits == data.make_splits(n_pretrain=30, n_train=40, n_eval=15, n_test=10, seed=4)
    assert [len(splits[n]) for n in ("pretrain", "train", "eval", "test")] == [30, 40, 15, 10]
    # The test split holds the first paragraphs' questions, the last list cut short.
    first = data.generate_paragraphs(2, seed=4)
    expected = [e for p in first for e in data.qa_examples(p, seed=4)][:10]
    assert splits["test"] == expected
    # eval and test do not depend on n_train or n_pretrain.
    bigger = data.make_splits(n_pretrain=5, n_train=90, n_eval=15, n_test=10, seed=4)
    assert bigger["eval"] == splits["eval"] and bigger["test"] == splits["test"]
    assert bigger["train"][:40] == splits["train"]
    titles = _split_titles(bigger)
    assert sum(len(t) for t in titles.values()) == len(set.union(*titles.values()))
    assert data.make_splits(5, 5, 5, 5, seed=5)["test"] != splits["test"][:5]
    assert data.make_splits(0, 0, 0, 0) == {"pretrain": [], "train": [], "eval": [], "test": []}


@pytest.mark.parametrize("kwargs, message", [
    ({"n_pretrain": -1}, "n_pretrain must be an int >= 0"),
    ({"n_train": 1.5}, "n_train must be an int >= 0"),
    ({"n_eval": None}, "n_eval must be an int >= 0"),
    ({"n_test": True}, "n_test must be an int >= 0"),
])
def test_make_splits_rejects_bad_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.make_splits(**kwargs)


# --- loaders --------------------------------------------------------------------------------------

def _squad(articles):
    return {"version": "v2.0", "data": articles}


def _write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_load_squad_json_round_trip(tmp_path):
    context_a = "Ada Lorimer was born in Lorvik in 1843.\nShe painted Grey Harbour."
    context_b = "The Corvane Society is based in Ashbury."
    articles = [
        {"title": "Ada_Lorimer", "paragraphs": [{"context": context_a, "qas": [
            {"id": "q1", "question": "Where was Ada Lorimer born?",
             "answers": [{"text": "Lorvik", "answer_start": 24},
                         {"text": "in Lorvik", "answer_start": 21}]},
            {"id": "q2", "question": "What did she paint?", "answers": [],
             "is_impossible": True,
             "plausible_answers": [{"text": "Grey Harbour", "answer_start": 52}]},
            {"id": "q3", "question": "When was she born?",
             "answers": [{"text": "1843", "answer_start": 34}]},
        ]}]},
        {"title": "Corvane_Society", "paragraphs": [{"context": context_b, "qas": [
            {"id": "q4", "question": "Where is the Corvane Society based?",
             "answers": [{"text": "Ashbury", "answer_start": 32}], "is_impossible": False},
        ]}]},
    ]
    path = _write(tmp_path / "squad.json", json.dumps(_squad(articles)))
    examples = data.load_squad_json(path)
    assert [e["id"] for e in examples] == ["q1", "q3", "q4"]  # q2 has no answer: skipped
    assert examples[0] == {"id": "q1", "title": "Ada_Lorimer",
                           "question": "Where was Ada Lorimer born?", "context": context_a,
                           "answer": "Lorvik", "answer_start": 24}
    for e in examples:
        assert e["context"][e["answer_start"]:e["answer_start"] + len(e["answer"])] == e["answer"]
    assert examples[2]["title"] == "Corvane_Society"
    assert data.load_squad_json(str(path), max_examples=2) == examples[:2]
    assert data.load_squad_json(path, max_examples=0) == []


def test_load_squad_json_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no SQuAD JSON file"):
        data.load_squad_json(tmp_path / "missing.json")
    wrong = _squad([{"title": "T", "paragraphs": [{"context": "Born in Lorvik.", "qas": [
        {"id": "bad-7", "question": "Where?", "answers": [{"text": "Lorvik", "answer_start": 3}]},
    ]}]}])
    path = _write(tmp_path / "wrong.json", json.dumps(wrong))
    with pytest.raises(ValueError, match=r"question 'bad-7': the answer 'Lorvik' is not at "
                                         r"answer_start 3"):
        data.load_squad_json(path)
    with pytest.raises(ValueError, match="not valid JSON"):
        data.load_squad_json(_write(tmp_path / "broken.json", '{"data": ['))
    with pytest.raises(ValueError, match="'data' list"):
        data.load_squad_json(_write(tmp_path / "list.json", "[]"))
    no_context = _squad([{"title": "T", "paragraphs": [{"qas": []}]}])
    with pytest.raises(ValueError, match=r"data\[0\]\.paragraphs\[0\] \(title 'T'\) has no "
                                         r"'context' field"):
        data.load_squad_json(_write(tmp_path / "noctx.json", json.dumps(no_context)))


def test_load_c4_jsonl(tmp_path):
    rows = [{"text": "First page.\nSecond line.", "url": "https://a.example", "timestamp": "t"},
            {"text": "Another page.", "url": "https://b.example", "timestamp": "t"}]
    text = json.dumps(rows[0]) + "\n\n" + json.dumps(rows[1]) + "\n"
    path = _write(tmp_path / "c4.jsonl", "\ufeff" + text)
    assert data.load_c4_jsonl(path) == ["First page. Second line.", "Another page."]
    assert data.load_c4_jsonl(str(path), max_examples=1) == ["First page. Second line."]
    path = _write(tmp_path / "custom.jsonl", json.dumps({"body": "B."}) + "\n")
    assert data.load_c4_jsonl(path, text_key="body") == ["B."]
    with pytest.raises(ValueError, match=r"line 1 has no 'text' field; its fields are \['body'\]"):
        data.load_c4_jsonl(path)
    path = _write(tmp_path / "bad.jsonl", json.dumps(rows[0]) + "\n\n{not json}\n")
    with pytest.raises(ValueError, match=r"bad\.jsonl: line 3 is not valid JSON"):
        data.load_c4_jsonl(path)
    path = _write(tmp_path / "number.jsonl", '{"text": 3}\n')
    with pytest.raises(ValueError, match="line 1: field 'text' must be a string"):
        data.load_c4_jsonl(path)
    with pytest.raises(FileNotFoundError, match="no JSON lines file"):
        data.load_c4_jsonl(tmp_path / "missing.jsonl")
    with pytest.raises(ValueError, match="max_examples"):
        data.load_c4_jsonl(path, max_examples=-1)


_MNLI_HEADER = ("index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\t"
                "sentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label\n")


def test_load_mnli_tsv(tmp_path):
    rows = [
        ("0", "31193", "31193n", "government", "( ( x ) )", "( y )", "(ROOT x)", "(ROOT y)",
         'He said "yes, of course.', "He agreed.", "entailment", "entailment"),
        ("1", "1", "1e", "fiction", "-", "-", "-", "-", "The sky is blue.",
         "It is raining.", "neutral", "-"),
        ("2", "2", "2c", "travel", "-", "-", "-", "-", "Ada's house is red.",
         "Ada's house is green.", "contradiction", "contradiction"),
    ]
    text = _MNLI_HEADER + "".join("\t".join(row) + "\n" for row in rows)
    path = _write(tmp_path / "dev_matched.tsv", text)
    expected = [
        {"premise": 'He said "yes, of course.', "hypothesis": "He agreed.", "label": "entailment"},
        {"premise": "Ada's house is red.", "hypothesis": "Ada's house is green.",
         "label": "contradiction"},
    ]
    assert data.load_mnli_tsv(path) == expected  # the row labelled "-" is skipped
    assert data.load_mnli_tsv(str(path), max_examples=1) == expected[:1]
    with pytest.raises(FileNotFoundError, match="no MNLI TSV file"):
        data.load_mnli_tsv(tmp_path / "missing.tsv")
    path = _write(tmp_path / "test.tsv", "index\tsentence1\tsentence2\n0\ta\tb\n")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['gold_label'\]"):
        data.load_mnli_tsv(path)
    path = _write(tmp_path / "short.tsv", _MNLI_HEADER + "0\t1\t2\n")
    with pytest.raises(ValueError, match="line 2 has 3 tab-separated fields"):
        data.load_mnli_tsv(path)
    with pytest.raises(ValueError, match="empty"):
        data.load_mnli_tsv(_write(tmp_path / "nothing.tsv", ""))


# --- command line and imports ---------------------------------------------------------------------

def test_main_prints_paragraphs_and_questions(capsys):
    data.main(["--n", "2", "--seed", "0", "--facts"])
    out = capsys.readouterr().out
    first = data.generate_paragraphs(1, seed=0)[0]
    assert first["text"] in out and out.count("--- paragraph") == 2 and "FACTS:" in out
    assert data.qa_examples(first)[0]["question"] in out


def test_module_does_not_import_trax_or_jax():
    code = "import sys, w3_qa.data; print(sorted({'trax', 'jax'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"

"""Tests for w1_nmt.data: the English -> German generator, the splits and the loaders."""
import re

import pytest

from w1_nmt import data
from w1_nmt.data import grammar, vocabulary
from w1_nmt.data import splits as data_splits


@pytest.fixture(scope="module")
def corpus():
    """2,000 generated pairs (seed 7), shared by the corpus-level tests."""
    return data.generate_pairs(2000, seed=7)


# --- worked examples: the grammar, by hand -------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (("man", "the", ("old",), False, "nom"), ("the old man", "der alte Mann")),
    (("man", "a", ("old",), False, "nom"), ("an old man", "ein alter Mann")),
    (("man", "the", ("old",), False, "acc"), ("the old man", "den alten Mann")),
    (("man", "the", ("old",), False, "dat"), ("the old man", "dem alten Mann")),
    (("man", "a", ("old",), False, "dat"), ("an old man", "einem alten Mann")),
    (("man", "", ("old",), True, "nom"), ("old men", "alte Männer")),
    (("man", "the", ("old",), True, "dat"), ("the old men", "den alten Männern")),
    (("child", "a", ("small",), False, "acc"), ("a small child", "ein kleines Kind")),
    (("woman", "this", ("tired",), False, "dat"), ("this tired woman", "dieser müden Frau")),
    (("house", "our", ("big",), False, "dat"), ("our big house", "unserem großen Haus")),
    (("car", "their", (), True, "dat"), ("their cars", "ihren Autos")),
])
def test_noun_phrase_inflects_article_adjective_and_noun(args, expected):
    assert data.noun_phrase(*args) == expected


def test_noun_phrase_rejects_unknown_words():
    with pytest.raises(ValueError, match="noun"):
        data.noun_phrase("spaceship")
    with pytest.raises(ValueError, match="plural"):
        data.noun_phrase("man", "a", plural=True)
    with pytest.raises(ValueError, match="case"):
        data.noun_phrase("man", case="gen")


def test_clause_orders_main_inverted_and_verb_final():
    # "the man calls the woman": a separable verb (ruft ... an) in the present tense.
    clause = {"subj": ["der", "Mann"], "fin": "ruft", "mid": ["die", "Frau"], "rb": ["an"],
              "join": True, "tail": []}
    assert grammar._order(clause, "main") == "der Mann ruft die Frau an".split()
    assert grammar._order(clause, "inv") == "ruft der Mann die Frau an".split()
    assert grammar._order(clause, "sub") == "der Mann die Frau anruft".split()
    # "the man has read the book": the participle closes the clause, the auxiliary goes last.
    perfect = {"subj": ["der", "Mann"], "fin": "hat", "mid": ["das", "Buch"],
               "rb": ["gelesen"], "join": False, "tail": []}
    assert grammar._order(perfect, "main") == "der Mann hat das Buch gelesen".split()
    assert grammar._order(perfect, "sub") == "der Mann das Buch gelesen hat".split()


def test_finish_joins_punctuation_and_capitalises():
    assert grammar._finish(["heute", "liest", "er", ",", ",", "weil", "sie", "schläft", ","]) == (
        "Heute liest er, weil sie schläft.")


# --- the generator ----------------------------------------------------------------------------

def test_generate_pairs_is_deterministic():
    assert data.generate_pairs(50, seed=1) == data.generate_pairs(50, seed=1)
    assert data.generate_pairs(50, seed=1) != data.generate_pairs(50, seed=2)
    assert data.generate_pairs(0) == []


def test_pairs_are_non_empty_strings_ending_in_a_period(corpus):
    for english, german in corpus:
        assert isinstance(english, str) and isinstance(german, str)
        assert english.endswith(".") and german.endswith(".")
        assert english[0].isupper() and german[0].isupper()
        assert "  " not in english and " ," not in german and ",," not in german


def test_lengths_are_within_bounds_and_spread_out(corpus):
    lengths = [len(data.split_tokens(english)) for english, _ in corpus]
    assert min(lengths) >= 3 and max(lengths) <= 60
    assert max(lengths) >= 58
    # Roughly uniform over 3..60: plenty of long sentences, some short ones.
    assert sum(length >= 40 for length in lengths) > 0.3 * len(lengths)
    assert sum(length <= 12 for length in lengths) > 0.1 * len(lengths)


def test_length_bounds_are_respected():
    pairs = data.generate_pairs(200, seed=3, min_tokens=10, max_tokens=20)
    lengths = [len(data.split_tokens(english)) for english, _ in pairs]
    assert min(lengths) >= 10 and max(lengths) <= 20


def test_translation_is_a_function_of_the_english(corpus):
    short = data.generate_pairs(3000, seed=11, max_tokens=6)  # short ones repeat often
    translations = {}
    for english, german in corpus + short:
        assert translations.setdefault(english, german) == german


def test_german_reorders_words(corpus):
    joined = "\n".join(german for _, german in corpus)
    # Verb-final subordinate clauses, verb-second after "Heute", separable particles.
    assert re.search(r", weil [^,.]* (liest|ruft|hat|ist|kann|wird)\b", joined)
    assert re.search(r"^Heute (liest|hat|ist|kann|will|wird|\w+t) ", joined, re.MULTILINE)
    assert re.search(r"\b(ruft|lädt|holt|schaut) [^,.]* (an|ein|ab)\b", joined)
    assert re.search(r"\bhat [^,.]* gelesen\b", joined)
    assert re.search(r", (der|die|das) [^,.]*,", joined)  # relative clauses


def test_english_word_classes_do_not_overlap():
    nouns = {form for entries in vocabulary._NOUN_TABLE.values() for entry in entries
             for form in entry[:2]}
    verbs = {word for entries in vocabulary._VERB_TABLE.values() for verb in entries
             for form in verb["en"] for word in form}
    adjectives = {english for english, _ in vocabulary._ADJECTIVE_TABLE}
    adverbs = {english[0] for english, _ in vocabulary._ADVERB_TABLE}
    groups = [nouns, verbs - {"up", "at", "away", "back", "on", "off", "asleep"}, adjectives,
              adverbs]
    for i, first in enumerate(groups):
        for second in groups[i + 1:]:
            assert not first & second


def test_vocabulary_is_moderate(corpus):
    english = {word.lower() for en, _ in corpus for word in data.split_tokens(en)}
    assert 300 <= len(english) <= 700


@pytest.mark.parametrize("kwargs, error", [
    ({"n": -1}, ValueError), ({"n": 2.0}, TypeError), ({"n": 1, "min_tokens": 2}, ValueError),
    ({"n": 1, "min_tokens": 10, "max_tokens": 5}, ValueError),
])
def test_generate_pairs_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        data.generate_pairs(**kwargs)


def test_split_tokens_separates_punctuation():
    assert data.split_tokens("Heute liest er, weil sie schläft.") == [
        "Heute", "liest", "er", ",", "weil", "sie", "schläft", "."]
    with pytest.raises(TypeError):
        data.split_tokens(3)


# --- splits ------------------------------------------------------------------------------------

def test_make_splits_sizes_disjoint_and_deterministic():
    splits = data.make_splits(n_train=500, n_eval=50, n_test=60, seed=5)
    assert [len(splits[name]) for name in ("train", "eval", "test")] == [500, 50, 60]
    english = [en for name in ("train", "eval", "test") for en, _ in splits[name]]
    assert len(set(english)) == len(english)
    assert splits == data.make_splits(n_train=500, n_eval=50, n_test=60, seed=5)


def test_eval_and_test_do_not_depend_on_train_size():
    small = data.make_splits(n_train=10, n_eval=30, n_test=30, seed=0)
    large = data.make_splits(n_train=300, n_eval=30, n_test=30, seed=0)
    assert small["eval"] == large["eval"] and small["test"] == large["test"]


def test_make_splits_rejects_impossible_requests(monkeypatch):
    with pytest.raises(ValueError, match="n_train"):
        data.make_splits(n_train=-5)
    monkeypatch.setattr(data_splits, "_MAX_REPEATS", 20)  # give up sooner than by default
    with pytest.raises(ValueError, match="distinct"):
        data.make_splits(n_train=5000, n_eval=0, n_test=0, min_tokens=3, max_tokens=3)


# --- loaders -----------------------------------------------------------------------------------

def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_load_tsv_pairs_reads_columns_skips_blank_lines_and_bom(tmp_path):
    path = _write(tmp_path / "pairs.tsv",
                  "\ufeffHello.\tHallo.\r\n\n  \nGood night.\tGute Nacht.\textra\n")
    assert data.load_tsv_pairs(path) == [("Hello.", "Hallo."), ("Good night.", "Gute Nacht.")]
    assert data.load_tsv_pairs(str(path), source_column=1, target_column=0, max_pairs=1) == [
        ("Hallo.", "Hello.")]


def test_load_tsv_pairs_names_the_malformed_line(tmp_path):
    path = _write(tmp_path / "bad.tsv", "a\tb\n\nno tab here\n")
    with pytest.raises(ValueError, match="line 3"):
        data.load_tsv_pairs(path)
    empty = _write(tmp_path / "empty_target.tsv", "a\t \n")
    with pytest.raises(ValueError, match="line 1 has an empty target"):
        data.load_tsv_pairs(empty)


def test_load_tsv_pairs_reports_non_utf8(tmp_path):
    path = _write(tmp_path / "latin1.tsv", "ok\tok\nSchön\tschön\n", encoding="latin-1")
    with pytest.raises(ValueError, match="line 2 is not valid UTF-8"):
        data.load_tsv_pairs(path)


def test_load_tsv_pairs_missing_file_and_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError):
        data.load_tsv_pairs(tmp_path / "nope.tsv")
    path = _write(tmp_path / "pairs.tsv", "a\tb\n")
    with pytest.raises(ValueError, match="source_column"):
        data.load_tsv_pairs(path, source_column=-1)


def test_load_tfds_pairs_without_prepared_data(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        data.load_tfds_pairs(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="not prepared"):
        data.load_tfds_pairs(tmp_path, name="opus/medical")


def test_load_tfds_pairs_unknown_dataset(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_such_pairs"):
        data.load_tfds_pairs(tmp_path, name="no_such_pairs")


def test_load_tfds_pairs_reads_a_prepared_dataset(tmp_path):
    """Prepare a three-pair dataset with a local builder, then read it by name (about 6 s)."""
    tfds = pytest.importorskip("tensorflow_datasets")
    pairs = [("Hello.", "Hallo."), ("Good night.", "Gute Nacht."), ("Thank you.", "Danke.")]

    class TinyPairs(tfds.core.GeneratorBasedBuilder, skip_registration=True):
        VERSION = tfds.core.Version("1.0.0")
        # tfds looks for checksum files next to the builder's code with importlib_resources,
        # which is not installed; a builder without code path skips that.
        code_path = None

        def _info(self):
            features = tfds.features.FeaturesDict({"en": tfds.features.Text(),
                                                   "de": tfds.features.Text()})
            return tfds.core.DatasetInfo(builder=self, features=features)

        def _split_generators(self, dl_manager):
            return {"train": self._generate_examples()}

        def _generate_examples(self):
            for index, (english, german) in enumerate(pairs):
                yield index, {"en": english, "de": german}

    TinyPairs(data_dir=str(tmp_path)).download_and_prepare()
    assert data.load_tfds_pairs(tmp_path, name="tiny_pairs") == pairs
    assert data.load_tfds_pairs(tmp_path, name="tiny_pairs", keys=("de", "en"), max_pairs=1) == [
        ("Hallo.", "Hello.")]
    with pytest.raises(ValueError, match="not features"):
        data.load_tfds_pairs(tmp_path, name="tiny_pairs", keys=("en", "fr"))


def test_sentence_token_count_matches_split_tokens():
    import random
    rng = random.Random(0)
    for target in range(3, 61, 3):
        english, _, n_tokens = grammar._sentence(rng, target)
        assert n_tokens == len(data.split_tokens(english))

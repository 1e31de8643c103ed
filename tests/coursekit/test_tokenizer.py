"""The shared SentencePiece tokenizer: training (deterministic, options checked), the reserved ids and the
Tokenizer class (tokenize, detokenize, unknown characters). The tests train a small model on sentences of
their own; each week's tests check its packaged model."""
import itertools

import numpy as np
import pytest

from coursekit import tokenizer
from coursekit.tokenizer import EOS_ID, PAD_ID, UNK_ID

VOCAB_SIZE = 300
SUBJECTS = ("Der Mann", "Die Frau", "Das Kind", "Der Hund", "Die Katze", "Der Lehrer", "Die Mutter", "Der Vater",
            "Das Mädchen", "Der Junge", "Die Ärztin", "Der Koch")
VERBS = ("liest", "kauft", "sieht", "findet", "schreibt", "trägt", "öffnet", "sucht", "bringt", "malt")
OBJECTS = ("das Buch", "den Brief", "die Zeitung", "den Apfel", "das Haus", "die Tür", "den Ball", "das Bild",
           "die Tasche", "den Schlüssel")


def sentences():
    """German sentences without '€': every subject-verb-object, every subject asleep, and some prices."""
    texts = [f"{s} {v} {o}." for s, v, o in itertools.product(SUBJECTS, VERBS, OBJECTS)]
    texts += [f"{s} schläft." for s in SUBJECTS]
    texts += [f"{SUBJECTS[n % 12]} {VERBS[n % 10]} {OBJECTS[n % 7]} für {n} Euro." for n in range(1, 30)]
    return texts


@pytest.fixture(scope="module")
def tok(tmp_path_factory):
    path = tokenizer.train_tokenizer(sentences(), tmp_path_factory.mktemp("spm") / "spm", vocab_size=VOCAB_SIZE)
    return tokenizer.Tokenizer(path)


def test_reserved_ids_and_vocab_size(tok):
    assert (PAD_ID, EOS_ID, UNK_ID) == (0, 1, 2)
    assert tok.vocab_size == VOCAB_SIZE
    assert [tok.id_to_piece(i) for i in range(3)] == ["<pad>", "</s>", "<unk>"]
    assert tok.piece_to_id("▁Mann") not in (PAD_ID, EOS_ID, UNK_ID)


def test_round_trip_on_the_training_sentences(tok):
    for sentence in sentences():
        ids = tok.tokenize(sentence)
        assert all(isinstance(i, int) and 3 <= i < tok.vocab_size for i in ids)
        assert tok.detokenize(ids) == sentence


def test_detokenize_stops_at_eos_and_drops_pad(tok):
    ids = tok.tokenize("Der Hund schläft.")
    assert tok.detokenize([PAD_ID] + ids + [EOS_ID] + ids) == "Der Hund schläft."
    assert tok.detokenize([EOS_ID] + ids) == ""


def test_detokenize_accepts_numpy_and_jax_arrays(tok):
    jnp = pytest.importorskip("jax.numpy")
    ids = tok.tokenize("Der Hund schläft.") + [EOS_ID, PAD_ID]
    for array in (np.array(ids, np.int32), np.array(ids, np.int64), jnp.array(ids), tuple(ids)):
        assert tok.detokenize(array) == "Der Hund schläft."


@pytest.mark.parametrize("ids, error, message", [
    (np.zeros((2, 3), np.int32), ValueError, "1-D"),
    (np.array([3.0, 4.0]), TypeError, "integer dtype"),
    ([3, 4.5], TypeError, "int"),
    ("3 4", TypeError, "sequence of ints"),
    ([3, 999999], ValueError, rf"\[0, {VOCAB_SIZE}\)"),
    (None, TypeError, "list, tuple or array"),
])
def test_detokenize_rejects_bad_ids(tok, ids, error, message):
    with pytest.raises(error, match=message):
        tok.detokenize(ids)


def test_as_id_list_is_what_detokenize_accepts():
    assert tokenizer.as_id_list(np.array([3, 4], np.int64), 5) == [3, 4]
    with pytest.raises(ValueError, match=r"\[0, 5\)"):
        tokenizer.as_id_list([3, 5], 5)


def test_tokenize_names_unknown_characters(tok):
    with pytest.raises(ValueError, match="€"):
        tok.tokenize("Der Mann kauft das Buch für 5 €.")
    ids = tok.tokenize("Der Mann € liest.", allow_unknown=True)
    assert UNK_ID in ids
    assert "€" in tok.unknown_characters("Der Mann € liest.")
    assert tok.unknown_characters("Der Mann liest.") == []


@pytest.mark.parametrize("text, error", [("", ValueError), ("   ", ValueError),
                                         (None, TypeError), (["Hallo"], TypeError),
                                         (b"Hallo", TypeError)])
def test_tokenize_rejects_empty_and_non_strings(tok, text, error):
    with pytest.raises(error):
        tok.tokenize(text)


def test_missing_model_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no SentencePiece model"):
        tokenizer.Tokenizer(tmp_path / "missing.model")


def test_training_is_byte_reproducible(tmp_path):
    texts = sentences()
    first = tokenizer.train_tokenizer(texts, tmp_path / "a" / "spm", vocab_size=VOCAB_SIZE)
    second = tokenizer.train_tokenizer(texts, tmp_path / "b" / "spm", vocab_size=VOCAB_SIZE)
    assert open(first, "rb").read() == open(second, "rb").read()
    vocab_a, vocab_b = tmp_path / "a" / "spm.vocab", tmp_path / "b" / "spm.vocab"
    assert vocab_a.read_bytes() == vocab_b.read_bytes()
    assert tokenizer.file_sha256(first) == tokenizer.file_sha256(second)
    small = tokenizer.Tokenizer(first)
    assert small.vocab_size == VOCAB_SIZE
    assert small.detokenize(small.tokenize(texts[0])) == texts[0]


def test_split_digits_makes_every_digit_a_piece(tmp_path):
    sentences = [f"Sie zahlten {n} Euro fuer {n + 7} Karten." for n in range(1000, 1400)]
    whole = tokenizer.Tokenizer(tokenizer.train_tokenizer(sentences, tmp_path / "whole" / "spm", vocab_size=60))
    split = tokenizer.Tokenizer(tokenizer.train_tokenizer(sentences, tmp_path / "split" / "spm", vocab_size=60,
                                                          split_digits=True))
    pieces = [split.id_to_piece(i).lstrip("\u2581") for i in split.tokenize("1234")]
    assert [p for p in pieces if p] == ["1", "2", "3", "4"]
    assert len(whole.tokenize("1234")) < len(split.tokenize("1234"))
    assert split.detokenize(split.tokenize(sentences[5])) == sentences[5]
    with pytest.raises(TypeError, match="split_digits"):
        tokenizer.train_tokenizer(sentences, tmp_path / "bad" / "spm", vocab_size=60, split_digits="yes")


def test_train_tokenizer_rejects_bad_input(tmp_path):
    with pytest.raises(TypeError, match="single str"):
        tokenizer.train_tokenizer("Hallo Welt", tmp_path / "spm")
    with pytest.raises(ValueError, match="empty"):
        tokenizer.train_tokenizer(["  ", ""], tmp_path / "spm")
    with pytest.raises(ValueError, match="model_type"):
        tokenizer.train_tokenizer(["Hallo"], tmp_path / "spm", model_type="word")


def test_a_packaged_tokenizer_loads_once_on_first_use(tok):
    loads = []

    class Counting(tokenizer.Tokenizer):
        def __init__(self, path):
            loads.append(path)
            super().__init__(path)

    packaged = tokenizer.PackagedTokenizer(tok.model_path, Counting)
    assert loads == []
    ids = packaged.tokenize("Der Mann liest das Buch.")
    assert ids == tok.tokenize("Der Mann liest das Buch.")
    assert packaged.detokenize(ids + [EOS_ID, 5]) == "Der Mann liest das Buch."
    assert isinstance(packaged.load(), Counting) and packaged.load() is packaged.load() and len(loads) == 1

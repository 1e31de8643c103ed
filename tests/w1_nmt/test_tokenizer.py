"""Tests for w1_nmt.tokenizer: training, the packaged model, tokenize/detokenize."""
import numpy as np
import pytest

from w1_nmt import data, tokenizer
from w1_nmt.tokenizer import EOS_ID, PAD_ID, UNK_ID


@pytest.fixture(scope="module")
def tok():
    return tokenizer.default_tokenizer()


@pytest.fixture(scope="module")
def eval_pairs():
    return data.make_splits(n_train=0, n_eval=200, n_test=0)["eval"]


def test_reserved_ids_and_vocab_size(tok):
    assert (PAD_ID, EOS_ID, UNK_ID) == (0, 1, 2)
    assert tok.vocab_size == tokenizer.DEFAULT_VOCAB_SIZE == 2000
    assert [tok.id_to_piece(i) for i in range(3)] == ["<pad>", "</s>", "<unk>"]
    assert tok.piece_to_id("▁Mann") not in (PAD_ID, EOS_ID, UNK_ID)


def test_worked_example_round_trip(tok):
    ids = tokenizer.tokenize("Heute liest der Mann das Buch.")
    assert all(isinstance(i, int) and 3 <= i < tok.vocab_size for i in ids)
    assert EOS_ID not in ids
    pieces = [tok.id_to_piece(i) for i in ids]
    assert "".join(pieces).replace("▁", " ").strip() == "Heute liest der Mann das Buch."
    assert {"▁liest", "▁der", "▁Mann", "▁das", "▁Buch"} <= set(pieces)
    assert tokenizer.detokenize(ids + [EOS_ID, PAD_ID, PAD_ID]) == "Heute liest der Mann das Buch."


def test_round_trip_on_held_out_sentences(tok, eval_pairs):
    n_pieces = n_words = 0
    for english, german in eval_pairs:
        for sentence in (english, german):
            ids = tok.tokenize(sentence)
            assert tok.detokenize(ids) == sentence
            n_pieces += len(ids)
            n_words += len(data.split_tokens(sentence))
    assert n_pieces < 1.2 * n_words  # almost every word is one piece


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
    ([3, 999999], ValueError, r"\[0, 2000\)"),
    (None, TypeError, "list, tuple or array"),
])
def test_detokenize_rejects_bad_ids(tok, ids, error, message):
    with pytest.raises(error, match=message):
        tok.detokenize(ids)


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
    sentences = tokenizer.corpus_sentences(data.generate_pairs(300, seed=4))
    first = tokenizer.train_tokenizer(sentences, tmp_path / "a" / "spm", vocab_size=300)
    second = tokenizer.train_tokenizer(sentences, tmp_path / "b" / "spm", vocab_size=300)
    assert open(first, "rb").read() == open(second, "rb").read()
    vocab_a, vocab_b = tmp_path / "a" / "spm.vocab", tmp_path / "b" / "spm.vocab"
    assert vocab_a.read_bytes() == vocab_b.read_bytes()
    small = tokenizer.Tokenizer(first)
    assert small.vocab_size == 300
    assert small.detokenize(small.tokenize(sentences[0])) == sentences[0]


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


def test_packaged_model_is_what_the_command_writes(tmp_path):
    """The asset in w1_nmt/assets is reproducible from code (about 10 s)."""
    tokenizer.main(["--out", str(tmp_path)])
    written = tmp_path / (tokenizer.DEFAULT_MODEL_NAME + ".model")
    assert tokenizer.file_sha256(written) == tokenizer.file_sha256(tokenizer.DEFAULT_MODEL_PATH)

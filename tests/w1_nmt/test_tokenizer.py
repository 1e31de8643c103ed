"""Tests for w1_nmt.tokenizer: Week 1's packaged model and its tokenize/detokenize (the Tokenizer class and
train_tokenizer are coursekit's: tests/coursekit/test_tokenizer.py)."""
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


def test_the_packaged_tokenizer_knows_the_corpus_characters_only(tok):
    with pytest.raises(ValueError, match="€"):
        tok.tokenize("Der Mann kauft das Buch für 5 €.")
    assert tok.unknown_characters("Der Mann liest.") == []


def test_corpus_sentences_take_english_then_german():
    pairs = data.generate_pairs(3, seed=4)
    assert tokenizer.corpus_sentences(pairs) == [sentence for pair in pairs for sentence in pair]


def test_packaged_model_is_what_the_command_writes(tmp_path):
    """The asset in w1_nmt/assets is reproducible from code (about 10 s)."""
    tokenizer.main(["--out", str(tmp_path)])
    written = tmp_path / (tokenizer.DEFAULT_MODEL_NAME + ".model")
    assert tokenizer.file_sha256(written) == tokenizer.file_sha256(tokenizer.DEFAULT_MODEL_PATH)

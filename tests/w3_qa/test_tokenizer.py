"""The packaged Week 3 tokenizer: reproducible, Week 1's ids plus [MASK]/[CLS]/[SEP] and sentinels."""
import os

import pytest

from coursekit.tokenizer import EOS_ID, PAD_ID, UNK_ID, file_sha256
from w3_qa import config as cfg
from w3_qa.data import generate_paragraphs, qa_examples
from w3_qa.tokenizer import (CLS_ID, FIRST_ORDINARY_ID, MASK_ID, N_SENTINELS, SENTINEL_PIECES, SEP_ID,
                             default_tokenizer, detokenize, main, tokenize)


def test_special_ids():
    tokenizer = default_tokenizer()
    assert tokenizer.vocab_size == cfg.DEFAULT.vocab_size
    assert [tokenizer.id_to_piece(i) for i in (PAD_ID, EOS_ID, UNK_ID, MASK_ID, CLS_ID, SEP_ID)] == \
        ["<pad>", "</s>", "<unk>", "[MASK]", "[CLS]", "[SEP]"]
    assert [tokenizer.id_to_piece(tokenizer.sentinel_id(k)) for k in range(3)] == ["<X>", "<Y>", "<Z>"]
    assert tokenizer.sentinel_id(N_SENTINELS - 1) == FIRST_ORDINARY_ID - 1
    assert tokenizer.is_sentinel(tokenizer.sentinel_id(5)) and not tokenizer.is_sentinel(FIRST_ORDINARY_ID)
    assert len(SENTINEL_PIECES) == N_SENTINELS
    with pytest.raises(ValueError, match="sentinel"):
        tokenizer.sentinel_id(N_SENTINELS)
    assert tokenize("[MASK]") == [MASK_ID] or tokenize("[MASK]")[-1] == MASK_ID


def test_round_trip_on_held_out_paragraphs_and_questions():
    for paragraph in generate_paragraphs(100, seed=11):  # seed 11: not the training stream
        ids = tokenize(paragraph["text"])  # raises on an unknown character
        assert UNK_ID not in ids and min(ids) >= FIRST_ORDINARY_ID
        assert detokenize(ids + [EOS_ID, 5, 6]) == paragraph["text"]
        for example in qa_examples(paragraph):
            assert detokenize(tokenize(example["question"])) == example["question"]


def test_special_pieces_stand_between_spaces():
    tokenizer = default_tokenizer()
    ids = tokenize("Thank you") + [tokenizer.sentinel_id(0)] + tokenize("me") + [MASK_ID, PAD_ID]
    assert detokenize(ids) == "Thank you <X> me [MASK]"


def test_training_is_reproducible(tmp_path):
    main(["--out", str(tmp_path)])
    built = tmp_path / (cfg.TOKENIZER_NAME + ".model")
    assert file_sha256(built) == file_sha256(cfg.TOKENIZER_MODEL), \
        "the packaged tokenizer is stale: run `python -m w3_qa.tokenizer`"
    assert os.path.exists(tmp_path / (cfg.TOKENIZER_NAME + ".vocab"))

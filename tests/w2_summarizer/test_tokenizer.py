"""The packaged Week 2 tokenizer: reproducible, Week 1's ids, no unknown pieces on the generated corpus."""
import os

from coursekit.tokenizer import EOS_ID, PAD_ID, UNK_ID, file_sha256
from w2_summarizer import config as cfg
from w2_summarizer.data import generate_examples
from w2_summarizer.tokenizer import default_tokenizer, detokenize, main, tokenize


def test_round_trip_and_ids():
    tokenizer = default_tokenizer()
    assert tokenizer.vocab_size == cfg.DEFAULT.vocab_size
    assert (tokenizer.id_to_piece(PAD_ID), tokenizer.id_to_piece(EOS_ID), tokenizer.id_to_piece(UNK_ID)) == \
        ("<pad>", "</s>", "<unk>")
    for example in generate_examples(200, seed=11):  # seed 11: not the training split's stream
        for text in (example["article"], example["summary"]):
            ids = tokenize(text)  # raises on an unknown character
            assert UNK_ID not in ids
            assert detokenize(ids + [EOS_ID, 5, 6]) == text.strip()


def test_training_is_reproducible(tmp_path):
    main(["--out", str(tmp_path)])
    built = tmp_path / (cfg.TOKENIZER_NAME + ".model")
    assert file_sha256(built) == file_sha256(cfg.TOKENIZER_MODEL), \
        "the packaged tokenizer is stale: run `python -m w2_summarizer.tokenizer`"
    assert os.path.exists(tmp_path / (cfg.TOKENIZER_NAME + ".vocab"))

"""Subword tokenizer of Week 2: a SentencePiece BPE model trained by our code on the generated articles
and summaries, with the course's ids (PAD 0, EOS 1, UNK 2, no BOS) and `Tokenizer` class (numbers keep
their BPE pieces: see `config.TOKENIZER_SPLIT_DIGITS`).

    python -m w2_summarizer.tokenizer --out w2_summarizer/assets

writes ``w2_summarizer_spm.model``/``.vocab`` from the train split of :func:`w2_summarizer.data.make_splits`
(deterministic: byte-identical files every time).
"""
import argparse
import os

from coursekit.tokenizer import EOS_ID, PAD_ID, UNK_ID, PackagedTokenizer, Tokenizer, file_sha256, train_tokenizer
from w2_summarizer import config as cfg

__all__ = ["Tokenizer", "train_tokenizer", "default_tokenizer", "tokenize", "detokenize", "corpus_texts",
           "PAD_ID", "EOS_ID", "UNK_ID"]


_PACKAGED = PackagedTokenizer(cfg.TOKENIZER_MODEL)
# The packaged model's Week 2 tokenizer (loaded on first use): default_tokenizer() -> the tokenizer, tokenize(text) ->
# list of int ids (no EOS), detokenize(ids) -> str (stops at EOS, drops PAD).
default_tokenizer, tokenize, detokenize = _PACKAGED.load, _PACKAGED.tokenize, _PACKAGED.detokenize


def corpus_texts(examples):
    """The article then the summary of every example: list of str, the tokenizer's training input."""
    return [text for example in examples for text in (example["article"], example["summary"])]


def main(argv=None):
    """Train the default model on the train split of make_splits() and write it to --out."""
    from w2_summarizer.data import make_splits

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", default=str(cfg.ASSETS_DIR), help="output directory (default: assets)")
    parser.add_argument("--vocab-size", type=int, default=cfg.DEFAULT.vocab_size)
    args = parser.parse_args(argv)
    examples = make_splits(n_train=cfg.DEFAULT.n_train, n_eval=cfg.DEFAULT.n_eval, n_test=cfg.DEFAULT.n_test,
                           seed=cfg.DEFAULT.seed)["train"]
    path = train_tokenizer(corpus_texts(examples), os.path.join(args.out, cfg.TOKENIZER_NAME),
                           vocab_size=args.vocab_size, split_digits=cfg.TOKENIZER_SPLIT_DIGITS)
    print(f"wrote {path} (sha256 {file_sha256(path)}) from {len(examples)} examples")


if __name__ == "__main__":
    main()

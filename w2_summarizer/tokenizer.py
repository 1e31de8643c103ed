"""Subword tokenizer of Week 2: a SentencePiece BPE model trained by our code on the generated articles
and summaries, with the course's ids (PAD 0, EOS 1, UNK 2, no BOS) and `Tokenizer` class (numbers keep
their BPE pieces: see `config.TOKENIZER_SPLIT_DIGITS`).

    python -m w2_summarizer.tokenizer --out w2_summarizer/assets

writes ``w2_summarizer_spm.model``/``.vocab`` from the train split of :func:`w2_summarizer.data.make_splits`
(deterministic: byte-identical files every time).
"""
import argparse
import functools
import os

from coursekit.tokenizer import EOS_ID, PAD_ID, UNK_ID, Tokenizer, file_sha256, train_tokenizer
from w2_summarizer import config as cfg

__all__ = ["Tokenizer", "train_tokenizer", "default_tokenizer", "tokenize", "detokenize", "corpus_texts",
           "PAD_ID", "EOS_ID", "UNK_ID"]


@functools.lru_cache(maxsize=None)
def _load_default():
    return Tokenizer(cfg.TOKENIZER_MODEL)


def default_tokenizer():
    """The packaged Week 2 tokenizer (loaded once): a :class:`coursekit.tokenizer.Tokenizer`."""
    return _load_default()


def tokenize(text, allow_unknown=False):
    """str -> list of int ids (no EOS) with the packaged model."""
    return default_tokenizer().tokenize(text, allow_unknown=allow_unknown)


def detokenize(ids):
    """1-D ints -> str with the packaged model; stops at the first EOS, drops PAD."""
    return default_tokenizer().detokenize(ids)


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

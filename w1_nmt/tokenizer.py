"""Subword tokenizer for Week 1: one SentencePiece model shared by English and German.

Text becomes a list of integer ids and back::

    >>> ids = tokenize("Heute liest der Mann das Buch.")   # list of int, no EOS
    >>> detokenize(ids + [EOS_ID, PAD_ID])                 # stops at EOS, drops PAD
    'Heute liest der Mann das Buch.'

Reserved ids: ``PAD_ID = 0`` (padding), ``EOS_ID = 1`` (end of sentence), ``UNK_ID = 2`` (unknown);
there is no BOS. The `Tokenizer` class, `train_tokenizer` and the ids are the course's shared ones
(:mod:`coursekit.tokenizer`); this module holds Week 1's model. The packaged model
``w1_nmt/assets/w1_nmt_spm.model`` is trained on the train split of :func:`w1_nmt.data.make_splits` by::

    python -m w1_nmt.tokenizer --out w1_nmt/assets

Training is deterministic (one thread, fixed seed, no sampling or shuffling of the input), so the
command writes byte-identical files every time. This module does not import trax (trax's own
sentencepiece wrapper needs the absent ``t5`` package).
"""
import argparse
import os

from coursekit.tokenizer import EOS_ID, PAD_ID, UNK_ID, PackagedTokenizer, Tokenizer, file_sha256, train_tokenizer

__all__ = ["Tokenizer", "train_tokenizer", "default_tokenizer", "tokenize", "detokenize", "corpus_sentences",
           "file_sha256", "PAD_ID", "EOS_ID", "UNK_ID", "DEFAULT_VOCAB_SIZE", "DEFAULT_MODEL_PATH"]

DEFAULT_VOCAB_SIZE = 2000
ASSETS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")
DEFAULT_MODEL_NAME = "w1_nmt_spm"
DEFAULT_MODEL_PATH = os.path.join(ASSETS_DIR, DEFAULT_MODEL_NAME + ".model")


_PACKAGED = PackagedTokenizer(DEFAULT_MODEL_PATH)
# The packaged model's Week 1 tokenizer (loaded on first use): default_tokenizer() -> the tokenizer, tokenize(text) ->
# list of int ids (no EOS), detokenize(ids) -> str (stops at EOS, drops PAD).
default_tokenizer, tokenize, detokenize = _PACKAGED.load, _PACKAGED.tokenize, _PACKAGED.detokenize


def corpus_sentences(pairs):
    """English then German sentence of every pair, as one list of str (joint model input)."""
    return [sentence for pair in pairs for sentence in pair]


def main(argv=None):
    """Train the default model on the train split of make_splits() and write it to --out."""
    from w1_nmt.data import make_splits

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", default=ASSETS_DIR, help="output directory (default: assets)")
    parser.add_argument("--vocab-size", type=int, default=DEFAULT_VOCAB_SIZE)
    parser.add_argument("--seed", type=int, default=0, help="seed of the data splits")
    args = parser.parse_args(argv)
    pairs = make_splits(seed=args.seed)["train"]
    model_path = train_tokenizer(corpus_sentences(pairs),
                                 os.path.join(args.out, DEFAULT_MODEL_NAME),
                                 vocab_size=args.vocab_size)
    print(f"wrote {model_path} (sha256 {file_sha256(model_path)}) from {len(pairs)} pairs")


if __name__ == "__main__":
    main()

"""Subword tokenizer of Week 3: SentencePiece BPE on the generated paragraphs and questions, with the special
pieces that BERT and T5 need.

Ids: PAD 0, EOS 1, UNK 2 (the course's, `coursekit.tokenizer`), then the user-defined pieces, never split::

    3 "[MASK]"  4 "[CLS]"  5 "[SEP]"  6.. the sentinels "<X>", "<Y>", "<Z>", "<S3>", ..., "<S63>"

Sentinel k (0-based) stands for the k-th masked span of a span-corrupted text, as in the course's
"Thank you <X> me to your party <Y> week." The pieces can also be typed in text: ``tokenize("<X> last")``
gives the sentinel's id.

    python -m w3_qa.tokenizer --out w3_qa/assets

writes ``w3_qa_spm.model``/``.vocab`` from the pre-training paragraphs and the training questions of
:func:`w3_qa.data.make_splits` (deterministic: byte-identical files every time).
"""
import argparse
import os

from coursekit.tokenizer import EOS_ID, PAD_ID, UNK_ID, PackagedTokenizer, Tokenizer, as_id_list, file_sha256, train_tokenizer
from w3_qa import config as cfg

MASK_PIECE, CLS_PIECE, SEP_PIECE = "[MASK]", "[CLS]", "[SEP]"
N_SENTINELS = 64
SENTINEL_PIECES = ("<X>", "<Y>", "<Z>") + tuple(f"<S{k}>" for k in range(3, N_SENTINELS))
SPECIAL_PIECES = (MASK_PIECE, CLS_PIECE, SEP_PIECE) + SENTINEL_PIECES
MASK_ID, CLS_ID, SEP_ID = 3, 4, 5
FIRST_SENTINEL_ID = 6
# Ids of ordinary pieces (words and sub-words) are FIRST_ORDINARY_ID .. vocab_size - 1.
FIRST_ORDINARY_ID = FIRST_SENTINEL_ID + N_SENTINELS

__all__ = ["QATokenizer", "train_tokenizer", "default_tokenizer", "tokenize", "detokenize", "corpus_texts",
           "PAD_ID", "EOS_ID", "UNK_ID", "MASK_ID", "CLS_ID", "SEP_ID", "SENTINEL_PIECES", "N_SENTINELS",
           "FIRST_ORDINARY_ID", "train_default"]


class QATokenizer(Tokenizer):
    """The course's :class:`~coursekit.tokenizer.Tokenizer` plus the ids of [MASK], [CLS], [SEP] and the sentinels.

    Args:
        model_path: a ``.model`` file trained with ``user_defined_symbols=SPECIAL_PIECES``.
    """

    def __init__(self, model_path=cfg.TOKENIZER_MODEL):
        super().__init__(model_path)
        for expected, piece in enumerate(SPECIAL_PIECES, start=MASK_ID):
            got = self._sp.piece_to_id(piece)
            if got != expected:
                raise ValueError(f"{self.model_path}: expected the piece {piece!r} at id {expected} but it is at "
                                 f"{got}; train the model with `python -m w3_qa.tokenizer`")
        self.mask_id, self.cls_id, self.sep_id = MASK_ID, CLS_ID, SEP_ID
        self.n_sentinels = N_SENTINELS
        self.first_ordinary_id = FIRST_ORDINARY_ID

    def detokenize(self, ids):
        """Decode ids into text, stopping at the first EOS and dropping PAD; the special pieces ([MASK],
        sentinels...) stand as words between spaces: "Thank you <X> me to your party <Y> week."."""
        ids = as_id_list(ids, self.vocab_size)
        if EOS_ID in ids:
            ids = ids[:ids.index(EOS_ID)]
        parts, run = [], []
        for token_id in ids:
            if token_id == PAD_ID:
                continue
            if MASK_ID <= token_id < FIRST_ORDINARY_ID:
                parts.append(self._sp.decode(run))
                parts.append(self._sp.id_to_piece(token_id))
                run = []
            else:
                run.append(token_id)
        parts.append(self._sp.decode(run))
        return " ".join(part for part in parts if part)

    def sentinel_id(self, k):
        """The id of sentinel k (0-based): k = 0, 1, 2 are "<X>", "<Y>", "<Z>"."""
        if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < N_SENTINELS:
            raise ValueError(f"sentinel number must be an int in [0, {N_SENTINELS}), but got {k!r}; a text needs "
                             f"one sentinel per masked span, so lower the noise or shorten the text")
        return FIRST_SENTINEL_ID + k

    def is_sentinel(self, token_id):
        """True if `token_id` (int) is one of the sentinels."""
        return FIRST_SENTINEL_ID <= int(token_id) < FIRST_ORDINARY_ID

    def is_special(self, token_id):
        """True for PAD, EOS, UNK, [MASK], [CLS], [SEP] and the sentinels."""
        return int(token_id) < FIRST_ORDINARY_ID


_PACKAGED = PackagedTokenizer(cfg.TOKENIZER_MODEL, QATokenizer)
# The packaged model's Week 3 tokenizer, a QATokenizer (loaded on first use): default_tokenizer() -> the tokenizer, tokenize(text) ->
# list of int ids (no EOS), detokenize(ids) -> str (stops at EOS, drops PAD).
default_tokenizer, tokenize, detokenize = _PACKAGED.load, _PACKAGED.tokenize, _PACKAGED.detokenize


def corpus_texts(splits):
    """The tokenizer's training text: every pre-training paragraph, then each training question with its
    answer (contexts are paragraphs of the same generator, so they add nothing new)."""
    texts = [paragraph["text"] for paragraph in splits["pretrain"]]
    texts += [f"question: {example['question']} answer: {example['answer']}" for example in splits["train"]]
    return texts


def train_default(out_dir, config=cfg.DEFAULT):
    """Train the packaged model on the generated corpus; returns the path of the .model file."""
    from w3_qa.data import make_splits

    splits = make_splits(n_pretrain=config.n_pretrain, n_train=config.n_train, n_eval=config.n_eval,
                         n_test=config.n_test, seed=config.seed)
    return train_tokenizer(corpus_texts(splits), os.path.join(out_dir, cfg.TOKENIZER_NAME),
                           vocab_size=config.vocab_size, user_defined_symbols=SPECIAL_PIECES)


def main(argv=None):
    """Train the default model on the generated corpus and write it to --out."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", default=str(cfg.ASSETS_DIR), help="output directory (default: assets)")
    args = parser.parse_args(argv)
    path = train_default(args.out)
    print(f"wrote {path} (sha256 {file_sha256(path)})")


if __name__ == "__main__":
    main()

"""SentencePiece tokenizers for every week: training one on our own text, and text <-> integer ids.

Reserved ids, the same in every week: ``PAD_ID = 0`` (padding), ``EOS_ID = 1`` (end of sentence),
``UNK_ID = 2`` (unknown); there is no BOS. A week's own pieces (Week 3's "[MASK]", sentinels...) take the ids
right after UNK through ``train_tokenizer(user_defined_symbols=...)``.

Training is deterministic (one thread, fixed seed, no sampling or shuffling of the input), so the same
arguments write byte-identical files every time. Each week trains and packages its own model on its own
corpus (``python -m w1_nmt.tokenizer``, ``python -m w2_summarizer.tokenizer``, ``python -m w3_qa.tokenizer``).
This module does not import trax (trax's own sentencepiece wrapper needs the absent ``t5`` package).
"""
import hashlib
import io
import os

import numpy as np
import sentencepiece as spm

__all__ = ["PAD_ID", "EOS_ID", "UNK_ID", "DEFAULT_VOCAB_SIZE", "Tokenizer", "PackagedTokenizer", "train_tokenizer",
           "as_id_list", "file_sha256"]

PAD_ID = 0
EOS_ID = 1
UNK_ID = 2

DEFAULT_VOCAB_SIZE = 2000  # train_tokenizer's default (each week passes its own)

_TRAINER_OPTIONS = {
    "character_coverage": 1.0,
    "pad_id": PAD_ID,
    "eos_id": EOS_ID,
    "unk_id": UNK_ID,
    "bos_id": -1,
    # Determinism: one thread, no random sampling or shuffling of the input sentences.
    "num_threads": 1,
    "input_sentence_size": 0,
    "shuffle_input_sentence": False,
    "seed_sentencepiece_size": 1000000,
    "max_sentence_length": 4192,
    "hard_vocab_limit": True,
}


def train_tokenizer(sentences, model_prefix, vocab_size=DEFAULT_VOCAB_SIZE, model_type="bpe",
                    seed=0, user_defined_symbols=(), split_digits=False):
    """Train a SentencePiece model on ``sentences`` and write ``<model_prefix>.model``/``.vocab``.

    Args:
        sentences: iterable of str (English and German sentences together for a joint model).
        model_prefix: str or os.PathLike; the files are ``model_prefix + '.model'`` and
            ``model_prefix + '.vocab'`` (the directory is created if needed).
        vocab_size: int, number of pieces including PAD, EOS and UNK.
        model_type: 'bpe' (default; on the Week 1 corpus it keeps almost every word whole) or
            'unigram'.
        seed: int seed of SentencePiece's random generator.
        user_defined_symbols: sequence of str pieces that are never split and get the ids right
            after UNK, in order (3, 4, ...), e.g. Week 3's "[MASK]" and sentinels "<X>", "<Y>".
            Empty (the default) trains exactly as before.
        split_digits: bool; True makes every digit its own piece ("1984" -> "1", "9", "8", "4"), so a
            number tokenizes alike wherever it stands. False (the default) trains exactly as before.

    Returns:
        str, the path of the written .model file. The same arguments give byte-identical files.
    """
    if isinstance(sentences, str):
        raise TypeError("sentences must be an iterable of str, but got a single str")
    if not isinstance(vocab_size, int) or isinstance(vocab_size, bool) or vocab_size < 4:
        raise ValueError(f"vocab_size must be an int >= 4, but got {vocab_size!r}")
    if model_type not in ("unigram", "bpe"):
        raise ValueError(f"model_type must be 'unigram' or 'bpe', but got {model_type!r}")
    if isinstance(user_defined_symbols, str):
        raise TypeError("user_defined_symbols must be a sequence of str, not a single str")
    symbols = list(user_defined_symbols)
    if any(not isinstance(symbol, str) or not symbol or any(c.isspace() for c in symbol)
           for symbol in symbols) or len(set(symbols)) != len(symbols):
        raise ValueError(f"user_defined_symbols must be distinct non-empty str without spaces, but got "
                         f"{symbols!r}")
    extra = {"user_defined_symbols": symbols} if symbols else {}
    if not isinstance(split_digits, bool):
        raise TypeError(f"split_digits must be a bool, but got {type(split_digits).__name__}")
    if split_digits:
        extra["split_digits"] = True
    lines = []
    for index, sentence in enumerate(sentences):
        if not isinstance(sentence, str):
            raise TypeError(f"sentences[{index}] must be a str, but got "
                            f"{type(sentence).__name__}")
        if sentence.strip():
            lines.append(sentence)
    if not lines:
        raise ValueError("sentences is empty: expected at least one non-blank sentence")

    model_prefix = os.fspath(model_prefix)
    directory = os.path.dirname(model_prefix)
    if directory:
        os.makedirs(directory, exist_ok=True)
    model = io.BytesIO()
    spm.set_random_generator_seed(seed)
    # Training from an iterator into memory keeps file paths out of the model's trainer spec,
    # so the bytes do not depend on where the files are written.
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=model,
                                   vocab_size=vocab_size,
                                   model_type=model_type, **_TRAINER_OPTIONS, **extra,
                                   minloglevel=2)
    model_path = model_prefix + ".model"
    with open(model_path, "wb") as handle:
        handle.write(model.getvalue())
    _write_vocab(model_path, model_prefix + ".vocab")
    return model_path


def _write_vocab(model_path, vocab_path):
    """Write the ``piece<TAB>score`` listing that spm_train writes next to a model."""
    processor = spm.SentencePieceProcessor(model_file=model_path)
    with open(vocab_path, "w", encoding="utf-8", newline="\n") as handle:
        for index in range(processor.get_piece_size()):
            handle.write(f"{processor.id_to_piece(index)}\t{processor.get_score(index):g}\n")


class Tokenizer:
    """A SentencePiece model: text <-> list of int ids (PAD 0, EOS 1, UNK 2, no BOS).

    Args:
        model_path: str or os.PathLike of a ``.model`` file trained by :func:`train_tokenizer` (each
            week's ``default_tokenizer()`` loads the one it packages).
    """

    def __init__(self, model_path):
        model_path = os.fspath(model_path)
        if not os.path.isfile(model_path):
            raise FileNotFoundError(f"no SentencePiece model at {model_path!r}; train one with "
                                    f"train_tokenizer() (a week's packaged model: `python -m "
                                    f"<week>.tokenizer --out DIR`, e.g. w1_nmt.tokenizer)")
        self.model_path = model_path
        self._sp = spm.SentencePieceProcessor(model_file=model_path)
        expected = {"PAD": (self._sp.pad_id(), PAD_ID), "EOS": (self._sp.eos_id(), EOS_ID),
                    "UNK": (self._sp.unk_id(), UNK_ID), "BOS": (self._sp.bos_id(), -1)}
        for name, (got, want) in expected.items():
            if got != want:
                raise ValueError(f"{model_path}: expected {name} id {want} but the model has "
                                 f"{got}; train it with train_tokenizer()")

    def __repr__(self):
        return f"Tokenizer({self.model_path!r}, vocab_size={self.vocab_size})"

    @property
    def vocab_size(self):
        """int, the number of ids (pieces), PAD/EOS/UNK included."""
        return self._sp.get_piece_size()

    def id_to_piece(self, token_id):
        """The piece (str) of one id, e.g. '▁Mann'; '<pad>', '</s>', '<unk>' for 0, 1, 2."""
        token_id = _as_int(token_id, "token_id")
        if not 0 <= token_id < self.vocab_size:
            raise ValueError(f"token_id must be in [0, {self.vocab_size}), but got {token_id}")
        return self._sp.id_to_piece(token_id)

    def piece_to_id(self, piece):
        """The id (int) of a piece; UNK_ID if the model does not have it."""
        if not isinstance(piece, str):
            raise TypeError(f"piece must be a str, but got {type(piece).__name__}")
        return self._sp.piece_to_id(piece)

    def unknown_characters(self, text):
        """Characters of ``text`` that the model can only map to UNK: sorted list of str."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, but got {type(text).__name__}")
        proto = self._sp.encode(text, return_type="proto")
        unknown = {char for piece in proto.pieces if piece.id == UNK_ID for char in piece.surface}
        return sorted(char for char in unknown if not char.isspace())

    def tokenize(self, text, allow_unknown=False):
        """Encode text into ids.

        Args:
            text: str, a non-empty sentence.
            allow_unknown: if False (default), characters that the model does not know raise
                ValueError; if True they become UNK_ID as SentencePiece does.

        Returns:
            list of int ids in [0, vocab_size), without EOS.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, but got {type(text).__name__}")
        if not text.strip():
            raise ValueError(f"text must contain at least one non-space character, but got "
                             f"{text!r}")
        ids = self._sp.encode(text)
        if UNK_ID in ids and not allow_unknown:
            unknown = self.unknown_characters(text)
            raise ValueError(f"the tokenizer does not know the character(s) {unknown} in "
                             f"{text[:60]!r}; remove them or pass allow_unknown=True to map "
                             f"them to UNK_ID={UNK_ID}")
        return ids

    def detokenize(self, ids):
        """Decode ids into text, stopping at the first EOS and dropping PAD.

        Args:
            ids: 1-D sequence of ints: list, tuple, numpy array or jax array of integer dtype.

        Returns:
            str.
        """
        ids = as_id_list(ids, self.vocab_size)
        if EOS_ID in ids:
            ids = ids[:ids.index(EOS_ID)]
        return self._sp.decode([i for i in ids if i != PAD_ID])


class PackagedTokenizer:
    """A week's packaged tokenizer model, loaded on first use and then kept.

    A week's ``tokenizer`` module exposes its methods as functions::

        _PACKAGED = PackagedTokenizer(path)
        default_tokenizer, tokenize, detokenize = _PACKAGED.load, _PACKAGED.tokenize, _PACKAGED.detokenize
    """

    def __init__(self, path, tokenizer_class=Tokenizer):
        """path: the SentencePiece model file; tokenizer_class: the class that loads it (a `Tokenizer`)."""
        self.path, self.tokenizer_class, self._loaded = path, tokenizer_class, None

    def load(self):
        """The packaged tokenizer (loaded once, then cached): an instance of the week's tokenizer class."""
        if self._loaded is None:
            self._loaded = self.tokenizer_class(self.path)
        return self._loaded

    def tokenize(self, text, allow_unknown=False):
        """:meth:`Tokenizer.tokenize` with the packaged model: str -> list of int ids (no EOS)."""
        return self.load().tokenize(text, allow_unknown=allow_unknown)

    def detokenize(self, ids):
        """:meth:`Tokenizer.detokenize` with the packaged model: 1-D ints -> str; stops at the first EOS, drops
        PAD."""
        return self.load().detokenize(ids)


def _as_int(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, but got {type(value).__name__}")
    return int(value)


def as_id_list(ids, vocab_size):
    """Check that ``ids`` is a 1-D integer sequence in [0, vocab_size) and return a list of int (what
    ``detokenize`` accepts: list, tuple, numpy or jax array of integer dtype)."""
    if isinstance(ids, (str, bytes)):
        raise TypeError(f"ids must be a 1-D sequence of ints, but got {type(ids).__name__}")
    if isinstance(ids, (list, tuple)):
        values = [_as_int(value, "ids[i]") for value in ids]
    else:
        if not hasattr(ids, "shape") or not hasattr(ids, "dtype"):
            raise TypeError(f"ids must be a list, tuple or array of ints, but got "
                            f"{type(ids).__name__}")
        array = np.asarray(ids)
        if array.ndim != 1:
            raise ValueError(f"ids must be 1-D, but got shape {array.shape}; decode one row at "
                             f"a time")
        if not np.issubdtype(array.dtype, np.integer):
            raise TypeError(f"ids must have an integer dtype, but got {array.dtype}")
        values = array.tolist()
    bad = [value for value in values if not 0 <= value < vocab_size]
    if bad:
        raise ValueError(f"ids must be in [0, {vocab_size}), but got {bad[:5]}")
    return values


def file_sha256(path):
    """Hex SHA-256 of a file (to check that training is reproducible)."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()

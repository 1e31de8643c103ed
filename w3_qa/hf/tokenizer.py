"""A BERT WordPiece tokenizer trained on the course's paragraphs, as a `transformers` tokenizer.

    tokenizer = train_wordpiece(texts, vocab_size=4000)
    tokenizer.save_pretrained(folder)                  # tokenizer.json, tokenizer_config.json, ...
    AutoTokenizer.from_pretrained(folder)              # what a user does with a hub checkpoint's name
    default_tokenizer()                                # the packaged one (w3_qa/hf/assets/tokenizer)

The packaged tokenizer is committed, as Week 3's sentencepiece model is: `tokenizers`' trainer breaks ties
between equally frequent merges in a hash order that changes from run to run, so two trainings on the same
texts can differ in a few tokens at the end of the vocabulary. Rebuild it with
`python -m w3_qa.hf.tokenizer` (the default corpus: Week 3's pre-training paragraphs and training questions).

Cased (names and towns keep their capitals), BERT's special tokens: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3,
[MASK] 4. A pair is encoded "[CLS] question [SEP] context [SEP]" with token types 0 then 1.
"""
import argparse
import pathlib
import string

from w3_qa import hf  # noqa: F401  (offline switches)

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
DEFAULT_VOCAB_SIZE = 4000
DEFAULT_MAX_LENGTH = 384  # the question-answering pipeline's max_seq_len is min(this, 384)


def train_wordpiece(texts, vocab_size=DEFAULT_VOCAB_SIZE, model_max_length=DEFAULT_MAX_LENGTH):
    """A `transformers` BertTokenizer whose WordPiece vocabulary is learned from `texts` (list of str).

    Given the same vocabulary, ids are the same (special tokens first, then the tokens sorted); see the
    module doc for why the vocabulary itself may differ in tied tokens between runs. Every printable ASCII
    character is in the vocabulary even if `texts` lack it (a question mark in a corpus of statements), so
    ASCII text never becomes [UNK].

    Raises ValueError for no texts or a vocabulary too small to hold the special tokens and the characters.
    """
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertTokenizer

    texts = list(texts)
    if not texts or not any(isinstance(text, str) and text.strip() for text in texts):
        raise ValueError("train_wordpiece needs a list of non-empty texts")
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size < 100:
        raise ValueError(f"vocab_size must be an int >= 100, but got {vocab_size!r}")
    wordpiece = BertWordPieceTokenizer(lowercase=False, strip_accents=False)
    wordpiece.train_from_iterator(texts, vocab_size=vocab_size, min_frequency=1,
                                  special_tokens=list(SPECIAL_TOKENS), show_progress=False,
                                  initial_alphabet=list(string.ascii_letters + string.digits + string.punctuation))
    # The trainer numbers tokens in a hash order that changes from run to run. Renumbered (special tokens
    # first, then the rest sorted), equal vocabularies get equal ids; WordPiece splits words by the
    # vocabulary alone, so the numbering changes nothing else.
    learned = sorted(set(wordpiece.get_vocab()) - set(SPECIAL_TOKENS))
    vocab = {token: index for index, token in enumerate(list(SPECIAL_TOKENS) + learned)}
    ordered = BertWordPieceTokenizer(vocab, lowercase=False, strip_accents=False)
    return BertTokenizer(tokenizer_object=ordered._tokenizer, do_lower_case=False, model_max_length=model_max_length)


def load_tokenizer(folder):
    """`AutoTokenizer.from_pretrained(folder)`, with a clear error if the folder holds no tokenizer."""
    from transformers import AutoTokenizer

    folder = pathlib.Path(folder)
    if not (folder / "tokenizer.json").exists() and not (folder / "vocab.txt").exists():
        raise FileNotFoundError(f"no tokenizer in {folder}: build one with `python -m w3_qa.hf.train`")
    return AutoTokenizer.from_pretrained(str(folder))


DEFAULT_FOLDER = pathlib.Path(__file__).resolve().parent / "assets" / "tokenizer"


def default_tokenizer():
    """The packaged tokenizer (trained by `main` on the default corpus)."""
    return load_tokenizer(DEFAULT_FOLDER)


def main(argv=None):
    """Train the default tokenizer on Week 3's corpus and save it to --out."""
    from w3_qa.config import DEFAULT
    from w3_qa.data import make_splits
    from w3_qa.tokenizer import corpus_texts

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", default=str(DEFAULT_FOLDER))
    parser.add_argument("--vocab-size", type=int, default=DEFAULT_VOCAB_SIZE)
    args = parser.parse_args(argv)
    splits = make_splits(n_pretrain=DEFAULT.n_pretrain, n_train=DEFAULT.n_train, n_eval=DEFAULT.n_eval,
                         n_test=DEFAULT.n_test, seed=DEFAULT.seed)
    tokenizer = train_wordpiece(corpus_texts(splits), args.vocab_size)
    tokenizer.save_pretrained(args.out)
    print(f"wrote {args.out} ({len(tokenizer)} tokens)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

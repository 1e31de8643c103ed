"""Disjoint, seeded train/eval/test splits of generated sentence pairs: :func:`make_splits`."""
from coursekit.synthetic import check_split_sizes, distinct_splits
from w1_nmt.data.grammar import iter_pairs

# make_splits gives up after this many repeated sentences in a row.
_MAX_REPEATS = 2000


def make_splits(n_train=60000, n_eval=1000, n_test=1000, seed=0, min_tokens=3, max_tokens=60):
    """Disjoint train/eval/test splits of generated pairs.

    Test is filled first, then eval, then train, from one stream of unique English sentences, so
    the eval and test sets do not change when ``n_train`` changes.

    Returns:
        dict with keys 'train', 'eval', 'test', each a list of (english, german) str tuples of the
        requested size; no English sentence occurs twice, within or across splits.
    """
    sizes = {"test": n_test, "eval": n_eval, "train": n_train}
    check_split_sizes(sizes)
    splits = distinct_splits(
        iter_pairs(seed, min_tokens, max_tokens), sizes, key=lambda pair: pair[0], max_repeats=_MAX_REPEATS,
        failure=lambda found: (f"could not find {n_train + n_eval + n_test} distinct sentences with "
                               f"{min_tokens}..{max_tokens} tokens (found {found}); ask for fewer "
                               f"or allow longer sentences"))
    return {"train": splits["train"], "eval": splits["eval"], "test": splits["test"]}

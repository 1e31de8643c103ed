"""Seeded, disjoint train/eval/test splits of Week 2's generated examples, without repeated articles."""
from coursekit.synthetic import check_split_sizes, distinct_splits
from w2_summarizer.data.articles import iter_examples

# make_splits gives up after this many repeated articles in a row.
_MAX_REPEATS = 1000


def make_splits(n_train=20000, n_eval=500, n_test=500, seed=0):
    """Disjoint train/eval/test splits of generated examples (all topics).

    Test is filled first, then eval, then train, from one stream of examples with unique
    article texts, so the eval and test sets do not change when ``n_train`` changes.

    Returns:
        dict with keys "train", "eval", "test", each a list of example dicts (see
        :func:`generate_examples`) of the requested size; no article text occurs twice, within
        or across splits.
    """
    sizes = {"test": n_test, "eval": n_eval, "train": n_train}
    check_split_sizes(sizes)
    splits = distinct_splits(
        iter_examples(seed), sizes, key=lambda example: example["article"], max_repeats=_MAX_REPEATS,
        failure=lambda found: f"could not find {sum(sizes.values())} distinct articles (found {found})")
    return {"train": splits["train"], "eval": splits["eval"], "test": splits["test"]}

"""Seeded, disjoint train/eval/test splits of Week 2's generated examples, without repeated articles."""
import numpy as np

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
    for name, size in sizes.items():
        if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or size < 0:
            raise ValueError(f"n_{name} must be an int >= 0, but got {size!r}")
    stream = iter_examples(seed)
    seen = set()
    splits = {}
    misses = 0  # draws since the last new article
    for name, size in sizes.items():
        split = []
        while len(split) < size:
            example = next(stream)
            if example["article"] in seen:
                misses += 1
                if misses > _MAX_REPEATS:  # pragma: no cover - the generator has ample variety
                    raise ValueError(f"could not find {sum(sizes.values())} distinct articles "
                                     f"(found {len(seen)})")
                continue
            misses = 0
            seen.add(example["article"])
            split.append(example)
        splits[name] = split
    return {"train": splits["train"], "eval": splits["eval"], "test": splits["test"]}

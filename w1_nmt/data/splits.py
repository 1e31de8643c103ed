"""Disjoint, seeded train/eval/test splits of generated sentence pairs: :func:`make_splits`."""
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
    for name, size in sizes.items():
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValueError(f"n_{name} must be an int >= 0, but got {size!r}")
    stream = iter_pairs(seed, min_tokens, max_tokens)
    seen = set()
    splits = {}
    misses = 0  # draws since the last new sentence
    for name, size in sizes.items():
        split = []
        while len(split) < size:
            en, de = next(stream)
            if en in seen:
                misses += 1
                if misses > _MAX_REPEATS:
                    raise ValueError(
                        f"could not find {n_train + n_eval + n_test} distinct sentences with "
                        f"{min_tokens}..{max_tokens} tokens (found {len(seen)}); ask for fewer "
                        f"or allow longer sentences")
                continue
            misses = 0
            seen.add(en)
            split.append((en, de))
        splits[name] = split
    return {"train": splits["train"], "eval": splits["eval"], "test": splits["test"]}

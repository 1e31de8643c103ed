"""Helpers of the weeks' seeded text generators: fast Python-level random draws, small wording helpers, the
endless stream of generated items and disjoint splits of it without repeats.

Everything is deterministic given the seed: the generated corpora (and so the committed checkpoints and
reference outputs) depend on the exact sequence of draws, so change nothing here without regenerating them.
"""
import numpy as np


class Draws:
    """Python-level random draws from a numpy Generator, read in blocks for speed."""

    _BLOCK = 256

    def __init__(self, seed):
        self._rng = np.random.default_rng(seed)
        self._buffer = []

    def random(self):
        """A float in [0, 1)."""
        if not self._buffer:
            self._buffer = self._rng.random(self._BLOCK).tolist()
            self._buffer.reverse()
        return self._buffer.pop()

    def index(self, n):
        """An int in [0, n)."""
        return min(int(self.random() * n), n - 1)

    def randint(self, low, high):
        """An int in [low, high], both inclusive."""
        return low + self.index(high - low + 1)

    def pick(self, seq):
        return seq[self.index(len(seq))]

    def other(self, seq, exclude):
        """An element of ``seq`` that is not in ``exclude``."""
        while True:
            item = self.pick(seq)
            if item not in exclude:
                return item

    def sample(self, seq, k):
        """``k`` distinct elements of ``seq`` (a list), in random order."""
        pool = list(seq)
        for i in range(k):
            j = i + self.index(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    def shuffle(self, items):
        """Shuffle a list in place (Fisher-Yates)."""
        for i in range(len(items) - 1, 0, -1):
            j = self.index(i + 1)
            items[i], items[j] = items[j], items[i]


def a_or_an(phrase):
    """The phrase with 'a' or 'an' before it: 'an art fair', 'a marathon'."""
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


def word_count(text):
    """The number of whitespace-separated words in `text`."""
    return len(text.split())


def capitalized(sentence):
    """`sentence` with its first character upper-cased (the rest unchanged)."""
    return sentence[0].upper() + sentence[1:]


def draw_forever(seed, draw, choices):
    """The endless stream behind a week's generator: item i is ``draw(d, choice)``, where ``d`` is one
    `Draws(seed)` shared by all items and ``choice`` is picked uniformly from `choices` (topics, kinds)."""
    d = Draws(seed)
    while True:
        yield draw(d, d.pick(choices))


def check_split_sizes(sizes):
    """Refuse a split size that is not an int >= 0 (ValueError naming it as `n_<split>`)."""
    for name, size in sizes.items():
        if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or size < 0:
            raise ValueError(f"n_{name} must be an int >= 0, but got {size!r}")


def distinct_splits(stream, sizes, key, max_repeats, failure, take=None):
    """Fill the splits from one stream of generated items, skipping any item whose `key` came before.

    Args:
        stream: iterator of items (an endless generator's).
        sizes: dict {split name: size} (see `check_split_sizes`), filled in this order (fill test and eval
            first, so that they do not change with the size of train).
        key: item -> hashable; two items with equal keys are repeats. Or a tuple of such functions: an item
            is a repeat when any of its keys came before (a title or a text seen already).
        max_repeats: give up after this many repeats in a row.
        failure: int -> str, the ValueError's message given how many distinct items were found.
        take: optional (split name, item, room) -> list, what a new item adds to a split that has `room`
            entries left (default: the item itself; Week 3 adds a paragraph's questions).

    Returns:
        dict {split name: list of entries}, in the order of `sizes`; no key occurs twice within or across
        splits.
    """
    keys = key if isinstance(key, tuple) else (key,)
    seen = [set() for _ in keys]
    splits = {}
    misses = 0  # draws since the last new item
    for name, size in sizes.items():
        split = []
        while len(split) < size:
            item = next(stream)
            values = [get(item) for get in keys]
            if any(value in known for value, known in zip(values, seen)):
                misses += 1
                if misses > max_repeats:
                    raise ValueError(failure(len(seen[0])))
                continue
            misses = 0
            for value, known in zip(values, seen):
                known.add(value)
            split.extend([item] if take is None else take(name, item, size - len(split)))
        splits[name] = split
    return splits

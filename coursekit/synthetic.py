"""Helpers of the weeks' seeded text generators: fast Python-level random draws and small wording helpers.

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

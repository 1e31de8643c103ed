"""Endless seeded streams over a list, the start of every week's training input pipeline."""
import numpy as np

__all__ = ["repeat_shuffled"]


def repeat_shuffled(items, seed=0, shuffle=True, repeat=True):
    """Yield the items of a list, in a new seeded random order every epoch; forever if `repeat`.

    Args:
        items: non-empty sequence (ValueError at the first draw if it is empty).
        seed: int, the seed of numpy's Generator that draws each epoch's permutation.
        shuffle: bool, False keeps the list's order.
        repeat: bool, start a new epoch after the last item (endless stream).
    """
    if not items:
        raise ValueError("there are no items to iterate over")
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(len(items)) if shuffle else range(len(items))
        for index in order:
            yield items[index]
        if not repeat:
            return

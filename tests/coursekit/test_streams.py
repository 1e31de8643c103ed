import itertools

import pytest

from coursekit.streams import repeat_shuffled


def test_repeat_shuffled_visits_every_item_each_epoch():
    items = list(range(7))
    stream = list(itertools.islice(repeat_shuffled(items, seed=1), 21))
    for epoch in range(3):
        assert sorted(stream[7 * epoch:7 * epoch + 7]) == items
    assert list(repeat_shuffled(items, shuffle=False, repeat=False)) == items
    with pytest.raises(ValueError):
        next(repeat_shuffled([]))


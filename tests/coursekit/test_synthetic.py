"""The generators' shared helpers: seeded draws that repeat exactly, the wording helpers, and distinct splits."""
import collections
import itertools

import numpy as np
import pytest

from coursekit import names
from coursekit.synthetic import (Draws, a_or_an, capitalized, check_split_sizes, distinct_splits, draw_forever,
                                 word_count)


def test_draws_repeat_exactly_for_a_seed_and_stay_in_range():
    def run(seed):
        d = Draws(seed)
        items = list(range(10))
        d.shuffle(items)
        return ([d.random() for _ in range(300)], [d.randint(3, 5) for _ in range(300)], d.pick("abc"),
                d.sample(list(range(20)), 5), d.other(range(3), (0, 1)), items)

    first, second = run(7), run(7)
    assert first == second and first != run(8)
    floats, ints, _, sample, other, items = first
    assert all(0.0 <= x < 1.0 for x in floats) and set(ints) == {3, 4, 5}
    assert len(set(sample)) == 5 and other == 2 and sorted(items) == list(range(10))


def test_draws_read_the_generator_in_blocks_in_order():
    """The first draws are numpy's own, in order: the corpora depend on this exact sequence."""
    expected = np.random.default_rng(3).random(Draws._BLOCK + 2).tolist()
    d = Draws(3)
    assert [d.random() for _ in range(Draws._BLOCK + 2)] == expected


def test_the_wording_helpers():
    assert a_or_an("art fair") == "an art fair" and a_or_an("marathon") == "a marathon"
    assert word_count("  three  short\nwords ") == 3 and capitalized("the Lowlands") == "The Lowlands"


def test_the_shared_names_are_distinct_and_ascii():
    for values in (names.FIRST_NAMES, names.LAST_NAMES, names.TOWNS, names.REGIONS):
        assert len(set(values)) == len(values) and all(v.isascii() for v in values)


def test_distinct_splits_fill_in_order_without_repeats_and_give_up_on_a_dry_stream():
    stream = iter([1, 1, 2, 3, 2, 4, 5, 6])
    splits = distinct_splits(stream, {"test": 2, "train": 3}, key=lambda x: x, max_repeats=5,
                             failure=lambda found: f"found {found}")
    assert splits == {"test": [1, 2], "train": [3, 4, 5]} and list(splits) == ["test", "train"]
    with pytest.raises(ValueError, match="^found 2$"):
        distinct_splits(itertools.cycle("ab"), {"x": 3}, key=str.upper, max_repeats=4,
                        failure=lambda found: f"found {found}")
    check_split_sizes({"train": 0, "eval": np.int64(3)})
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="n_eval must be an int >= 0"):
            check_split_sizes({"train": 1, "eval": bad})


def test_distinct_splits_with_several_keys_and_a_take_function():
    items = iter([("a", 1), ("b", 1), ("a", 2), ("c", 2), ("d", 3), ("e", 4), ("f", 5)])
    splits = distinct_splits(items, {"test": 1, "train": 3}, key=(lambda x: x[0], lambda x: x[1]), max_repeats=5,
                             failure=lambda found: f"found {found}",
                             take=lambda name, item, room: [item[0]] * min(room, 2))
    # ("b", 1) repeats 1 and ("a", 2) repeats "a"; each new item adds up to two entries, never past the size
    assert splits == {"test": ["a"], "train": ["c", "c", "d"]}


def test_draw_forever_shares_one_draws_and_picks_the_choice_uniformly():
    stream = draw_forever(4, lambda d, choice: (choice, d.randint(0, 9)), ("x", "y"))
    first = list(itertools.islice(stream, 400))
    assert first == list(itertools.islice(draw_forever(4, lambda d, c: (c, d.randint(0, 9)), ("x", "y")), 400))
    counts = collections.Counter(choice for choice, _ in first)
    assert set(counts) == {"x", "y"} and abs(counts["x"] - counts["y"]) < 80
    assert len({value for _, value in first}) == 10

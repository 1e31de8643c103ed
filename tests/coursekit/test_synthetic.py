"""The generators' shared helpers: seeded draws that repeat exactly, and the wording helpers."""
import numpy as np
import pytest

from coursekit import loaders, names
from coursekit.synthetic import Draws, a_or_an, capitalized, word_count


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
    assert loaders.clean_whitespace(" a\n\tb  c ") == "a b c"


def test_the_loaders_checks(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("x")
    assert loaders.check_file(path, "text") == str(path)
    with pytest.raises(FileNotFoundError, match="no text file at"):
        loaders.check_file(tmp_path / "missing.txt", "text")
    loaders.check_max_examples(None)
    loaders.check_max_examples(0)
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="max_examples must be None or an int >= 0"):
            loaders.check_max_examples(bad)


def test_the_shared_names_are_distinct_and_ascii():
    for values in (names.FIRST_NAMES, names.LAST_NAMES, names.TOWNS, names.REGIONS):
        assert len(set(values)) == len(values) and all(v.isascii() for v in values)

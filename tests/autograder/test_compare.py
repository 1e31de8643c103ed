"""compare/to_plain: type first, then shape, dtype, values; nothing a student controls is trusted."""
import numpy as np
import pytest

from autograder.compare import EXACT, NotPlain, Tolerance, compare, to_plain


class EqualsEverything:
    def __eq__(self, other):
        return True


class Subclass(np.ndarray):
    pass


def test_plain_values_pass_through():
    assert to_plain([1, "a", None, 2.5, {"k": (1, 2)}]) == [1, "a", None, 2.5, {"k": [1, 2]}]


@pytest.mark.parametrize("value, needle", [
    (EqualsEverything(), "EqualsEverything"),
    (np.zeros(3).view(Subclass), "subclass"),
    (np.array(["a"], dtype=object), "not numeric"),
    ((x for x in range(2)), "generator"),
])
def test_untrusted_types_are_refused(value, needle):
    with pytest.raises(NotPlain, match=needle):
        to_plain(value)


def test_messages_name_type_then_shape_then_dtype_then_value():
    expected = np.zeros((2, 5, 16), np.float32)
    assert "expected array float32 (2, 5, 16) but got list" in compare(expected, to_plain([1, 2]))
    assert "expected shape (2, 5, 16) but got (2, 16, 5)" in compare(expected, np.zeros((2, 16, 5)))
    assert "expected dtype bool but got float32" in compare(np.ones(2, bool), np.ones(2, np.float32))
    got = expected.copy()
    got[1, 2, 3] = 1.0
    message = compare(expected, got)
    assert "expected 0 but got 1 at index (1, 2, 3)" in message and "1 of 160" in message


def test_scalars_and_tolerance():
    assert compare(0.5, 0.5 + 1e-12, Tolerance(1e-9, 0)) is None
    assert compare(0.5, 0.51, Tolerance(1e-9, 0)) == "output: expected 0.5 but got 0.51"
    assert compare(1, True) == "output: expected a number but got a bool (True)"
    assert compare(3, 3, EXACT) is None


def test_nan_is_named():
    assert "got NaN at index (1,)" in compare(np.zeros(2), np.array([0.0, np.nan]))
    assert compare(0.5, float("nan")) == "output: got NaN"


def test_hidden_cases_reveal_no_expected_value():
    message = compare(np.array([0.123456]), np.array([0.9]), reveal=False)
    assert "0.123" not in message and "differs from the reference" in message


def test_sequences_and_dicts():
    assert compare([1, 2], [1, 2, 3]) == "output: expected a sequence of length 2 but got length 3"
    assert compare({0: 1.0, 1: 2.0}, {0: 1.0}) == "output: missing keys [1]"
    assert compare({0: 1.0}, {0: 2.0}) == "output[0]: expected 1 but got 2"
    assert compare(["Serial[", "Dense_4"], ["Serial[", "Dense_8"]) == \
        "output[1]: expected 'Dense_4' but got 'Dense_8'"
    assert compare(["Serial[", "Dense_4"], ["Serial["]) == "output: missing 'Dense_4' after line 1"

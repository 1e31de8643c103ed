"""The shared argument checks: the type error and the range error name the argument, numpy scalars count as
numbers and bools do not, NaN is out of every range, and each check returns the plain Python value."""
import numpy as np
import pytest

from coursekit.validation import (as_rng, check_dropout, check_int, check_mode, check_names, check_positive_int,
                                  check_temperature)


def test_check_int_takes_python_and_numpy_ints_and_returns_an_int():
    assert check_int("n", 0) == 0
    value = check_int("n", np.int64(7), minimum=3)
    assert value == 7 and type(value) is int
    assert type(check_positive_int("d_model", np.int32(4))) is int


@pytest.mark.parametrize("bad", [True, np.bool_(True), 2.0, "3", None, np.float32(1)])
def test_check_int_refuses_non_integers_by_name(bad):
    with pytest.raises(TypeError, match="beam_width must be an int"):
        check_int("beam_width", bad, 1)


def test_check_int_refuses_values_below_the_minimum():
    with pytest.raises(ValueError, match="eos_id must be >= 0, but got -1"):
        check_int("eos_id", -1)
    with pytest.raises(ValueError, match="d_ff must be >= 1, but got 0"):
        check_positive_int("d_ff", 0)


def test_check_mode():
    assert check_mode("predict") == "predict"
    with pytest.raises(ValueError, match=r"mode must be one of \('train', 'eval', 'predict'\), but got 'test'"):
        check_mode("test")
    assert check_mode("a", modes=("a", "b")) == "a"


def test_check_dropout():
    assert check_dropout(0) == 0.0 and type(check_dropout(np.float32(0.25))) is float
    for bad in (1.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\)"):
            check_dropout(bad)
    for bad in (True, "0.1", None):
        with pytest.raises(TypeError, match="dropout must be a float"):
            check_dropout(bad)


def test_check_temperature():
    assert check_temperature(0) == 0.0 and check_temperature(np.float64(0.7)) == pytest.approx(0.7)
    for bad in (-0.5, float("nan")):
        with pytest.raises(ValueError, match="temperature must be >= 0"):
            check_temperature(bad)
    for bad in (False, "hot", None):
        with pytest.raises(TypeError, match="temperature must be a float"):
            check_temperature(bad)


def test_as_rng():
    assert as_rng(None) is None
    generator = np.random.default_rng(0)
    assert as_rng(generator) is generator
    assert as_rng(np.int64(5)).integers(1000) == np.random.default_rng(5).integers(1000)
    for bad in ("seed", 1.5, True):
        with pytest.raises(TypeError, match="rng must be None, an int seed"):
            as_rng(bad)


def test_check_names_keeps_the_allowed_order_without_repeats():
    allowed = ("match", "weather", "company")
    assert check_names("topics", ["company", "match", "company"], allowed) == ("match", "company")
    assert check_names("topics", iter(allowed), allowed) == allowed
    with pytest.raises(TypeError, match=r"topics must be a sequence of topic names such as \('match',\), not a str"):
        check_names("topics", "match", allowed)
    with pytest.raises(TypeError, match="topics must be a sequence of topic names, but got int"):
        check_names("topics", 3, allowed)
    with pytest.raises(ValueError, match="topics must name at least one of"):
        check_names("topics", (), allowed)
    with pytest.raises(ValueError, match=r"unknown topic\(s\) \['sports'\]; choose from"):
        check_names("topics", ("match", "sports"), allowed)

"""The shared linear cool-down: 1 until the last part of the run, then linear to exactly 0 at its end."""
import numpy as np
import pytest

from coursekit.schedules import cooldown_steps, with_linear_cooldown


def test_the_cooldown_keeps_the_schedule_then_falls_linearly_to_zero_at_the_last_step():
    cooled = with_linear_cooldown(lambda step: np.float32(0.5), n_steps=100, fraction=0.25)
    assert cooldown_steps(100, 0.25) == 25
    assert [float(cooled(s)) for s in (0, 50, 75)] == [0.5, 0.5, 0.5]
    np.testing.assert_allclose([float(cooled(s)) for s in (80, 90, 99, 100, 120)],
                               [0.5 * 20 / 25, 0.5 * 10 / 25, 0.5 / 25, 0.0, 0.0], rtol=1e-6)


def test_the_cooldown_multiplies_a_schedule_that_changes_with_the_step():
    cooled = with_linear_cooldown(lambda step: 1.0 / (1.0 + step), n_steps=10, fraction=0.5)
    np.testing.assert_allclose([float(cooled(s)) for s in (4, 5, 8)], [1 / 5, 1 / 6, 1 / 9 * 2 / 5], rtol=1e-6)


def test_a_fraction_of_one_cools_over_the_whole_run_and_a_tiny_one_over_one_step():
    assert cooldown_steps(10, 1.0) == 10
    assert cooldown_steps(10, 0.01) == 1
    cooled = with_linear_cooldown(lambda step: 1.0, n_steps=10, fraction=0.01)
    assert [float(cooled(s)) for s in (8, 9, 10)] == [1.0, 1.0, 0.0]


@pytest.mark.parametrize("n_steps, fraction, message", [
    (0, 0.25, "n_steps"), (None, 0.25, "n_steps"), (True, 0.25, "n_steps"), (10.0, 0.25, "n_steps"),
    (10, 0.0, r"\(0, 1\]"), (10, 1.5, r"\(0, 1\]"), (10, "0.5", r"\(0, 1\]"), (10, -0.1, r"\(0, 1\]"),
])
def test_bad_lengths_and_fractions_are_refused(n_steps, fraction, message):
    with pytest.raises(ValueError, match=message):
        with_linear_cooldown(lambda step: 1.0, n_steps, fraction)

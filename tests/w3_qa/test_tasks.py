"""Text-to-text formats and the mixing rates of multi-task training."""
import numpy as np
import pytest

from w3_qa.tasks import format_nli, format_qa, mixing_rates, sample_tasks


def test_format_qa_is_the_t5_format():
    assert format_qa(" What is it?\n", "It is  a test.") == "question: What is it? context: It is a test."


def test_format_nli_is_the_course_example():
    assert format_nli("I hate pigeons.", "My feelings towards pigeons are filled with animosity.") == (
        "mnli premise: I hate pigeons. hypothesis: My feelings towards pigeons are filled with animosity.")


@pytest.mark.parametrize("question, context, error", [("", "c", ValueError), ("q", "  ", ValueError),
                                                      (None, "c", TypeError), ("q", 3, TypeError)])
def test_format_qa_rejects_empty_or_non_text(question, context, error):
    with pytest.raises(error):
        format_qa(question, context)


def test_mixing_rates_by_hand():
    sizes = [100, 300, 600]
    np.testing.assert_allclose(mixing_rates(sizes), [0.1, 0.3, 0.6])
    np.testing.assert_allclose(mixing_rates(sizes, "equal"), [1 / 3] * 3)
    np.testing.assert_allclose(mixing_rates(sizes, "proportional", limit=300), [1 / 7, 3 / 7, 3 / 7])
    expected = np.sqrt([0.1, 0.3, 0.6]) / np.sqrt([0.1, 0.3, 0.6]).sum()
    np.testing.assert_allclose(mixing_rates(sizes, "temperature", temperature=2.0), expected)
    np.testing.assert_allclose(mixing_rates(sizes, "temperature", temperature=1.0), [0.1, 0.3, 0.6])
    np.testing.assert_allclose(mixing_rates([5, 0, 5], "equal"), [0.5, 0.0, 0.5])


def test_temperature_moves_from_proportional_to_equal():
    sizes = [10, 1000, 100000]
    rates = [mixing_rates(sizes, "temperature", temperature=t) for t in (1, 2, 4, 8, 1e6)]
    smallest = [r[0] for r in rates]
    assert smallest == sorted(smallest)  # the smallest task gains as T grows
    np.testing.assert_allclose(rates[-1], [1 / 3] * 3, atol=1e-4)
    for r in rates:
        assert r.sum() == pytest.approx(1.0) and (r >= 0).all()


@pytest.mark.parametrize("kwargs", [dict(sizes=[]), dict(sizes=[0, 0]), dict(sizes=[-1, 2]), dict(sizes="12"),
                                    dict(strategy="uniform"), dict(temperature=0.5), dict(limit=0),
                                    dict(sizes=[1, float("nan")])])
def test_mixing_rates_reject_bad_arguments(kwargs):
    arguments = dict(sizes=[1, 2], strategy="temperature", temperature=2.0)
    arguments.update(kwargs)
    with pytest.raises((TypeError, ValueError)):
        mixing_rates(**arguments)


def test_sampled_tasks_follow_the_rates():
    rates = mixing_rates([100, 300, 600])
    draws = sample_tasks(rates, 60000, np.random.default_rng(0))
    np.testing.assert_allclose(np.bincount(draws) / draws.size, rates, atol=0.01)

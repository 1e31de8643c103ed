"""The Week 2 checks: the library's solutions score full marks; each typical mistake costs exactly its own
function's points, with a message naming it; broken outputs never score."""

import numpy as np
import pytest

from autograder.checks.w2_summarizer import CHECKS
from autograder.samples import make
from autograder.samples.w2_summarizer_mistakes import MISTAKES


def solution_namespace():
    return make.solution_namespace("w2_summarizer")


def test_every_graded_function_has_a_mistake():
    assert set(MISTAKES) == set(CHECKS)


@pytest.mark.cost(10)
def test_solutions_score_full_marks_and_each_mistake_loses_exactly_its_points():
    namespace = solution_namespace()
    results = {name: CHECKS.grade(name, namespace.get(name)) for name in CHECKS}
    failures = {name: r.messages for name, r in results.items() if not r.passed}
    assert not failures
    assert sum(r.score for r in results.values()) == CHECKS.total_points
    for source in MISTAKES.values():
        exec(source, namespace)
    for name in CHECKS:
        result = CHECKS.grade(name, namespace[name])
        assert result.score == 0, f"the mistake in {name} was not caught"
        assert result.messages and all(m.startswith(name) for m in result.messages), result.messages


@pytest.mark.parametrize("bad, needle", [
    (lambda q, k, v, m: np.full(np.shape(q)[:-1] + np.shape(v)[-1:], np.nan, np.float32), "NaN"),
    (lambda *a, **k: np.zeros((2, 3, 2), np.float32), "shape"),
    (lambda *a, **k: 1 / 0, "raised ZeroDivisionError"),
])
def test_broken_outputs_never_score(bad, needle):
    result = CHECKS.grade("DotProductAttention", bad)
    assert result.score == 0
    assert any(needle in message for message in result.messages), result.messages


def test_a_layer_that_is_not_a_layer_is_reported():
    result = CHECKS.grade("CausalAttention", lambda *a, **k: "a layer")
    assert result.score == 0 and "expected a trax layer but got str" in result.messages[0]
    result = CHECKS.grade("DecoderBlock", lambda *a, **k: None)
    assert result.score == 0 and "expected a list of trax layers" in result.messages[0]

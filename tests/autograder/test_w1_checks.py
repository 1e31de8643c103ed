"""The Week 1 checks: the library's solutions score full marks; each typical mistake costs exactly its
own function's points, with a message naming it; broken outputs never score."""

import numpy as np
import pytest

from autograder.checks.w1_nmt import CHECKS
from autograder.samples import make
from autograder.samples.w1_nmt_mistakes import MISTAKES


def solution_namespace():
    return make.solution_namespace("w1_nmt")


def grade_all(namespace):
    return {name: CHECKS.grade(name, namespace.get(name)) for name in CHECKS}


def test_solutions_score_full_marks():
    results = grade_all(solution_namespace())
    failures = {name: r.messages for name, r in results.items() if not r.passed}
    assert not failures
    assert sum(r.score for r in results.values()) == CHECKS.total_points


def test_each_typical_mistake_loses_exactly_its_points():
    namespace = solution_namespace()
    for source in MISTAKES.values():
        exec(source, namespace)
    results = grade_all(namespace)
    for name, result in results.items():
        if name in MISTAKES:
            assert result.score == 0, f"the mistake in {name} was not caught"
            assert result.messages and all(m.startswith(name) for m in result.messages)
        else:
            assert result.passed, f"{name} lost points for another function's mistake: {result.messages}"


@pytest.mark.parametrize("bad, needle", [
    (lambda *a, **k: float("nan"), "NaN"),
    (lambda *a, **k: np.array([0.5], dtype=object), "not numeric"),
    (lambda *a, **k: "0.5", "expected float but got str"),
    (lambda *a, **k: 1 / 0, "raised ZeroDivisionError"),
])
def test_broken_outputs_never_score(bad, needle):
    result = CHECKS.grade("modified_precision", bad)
    assert result.score == 0
    assert any(needle in message for message in result.messages), result.messages


def test_object_that_equals_everything_does_not_score():
    class Liar:
        def __eq__(self, other):
            return True

    result = CHECKS.grade("bleu", lambda *a, **k: Liar())
    assert result.score == 0 and "Liar" in result.messages[0]


def test_missing_function_is_reported():
    result = CHECKS.grade("bleu", None)
    assert result.score == 0 and "not a function" in result.messages[0]


def test_visible_run_prints_feedback_and_raises(capsys):
    with pytest.raises(AssertionError, match="modified_precision"):
        CHECKS.run("modified_precision", lambda c, r, n=1: 1.0)
    out = capsys.readouterr().out
    assert "expected 0.5 but got 1" in out

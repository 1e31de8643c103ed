"""autograder/referee.py: which uses of the course's reference implementations a graded function is refused
for, and which it is not (the checks' own substitutes, provided code that calls an earlier function)."""
import functools

import pytest

from autograder import referee
from w1_nmt import metrics

REFEREE = referee.Referee({"f1": metrics.f1, "bleu": metrics.bleu, "rouge_n": metrics.rouge_n})
CANDIDATE, REFERENCES = "I I am I".split(), ["Younes said I am hungry".split()]


def student(source, name="graded"):
    """A function defined by submitted code (its frames are not the course's)."""
    namespace = {"metrics": metrics, "functools": functools, "CANDIDATE": CANDIDATE, "REFERENCES": REFERENCES}
    exec(compile(source, "<student cell>", "exec"), namespace)
    return namespace[name]


def used_while(graded, fn, allowed=()):
    with REFEREE.watching(graded, allowed) as used:
        fn()
    return used


def test_the_graded_functions_own_reference_is_refused_at_any_depth():
    # rouge_l is provided code; it calls the reference f1, so it cannot stand in for f1.
    fn = student("def graded():\n    return metrics.rouge_l(CANDIDATE, REFERENCES)[2]\n")
    assert used_while("f1", fn) == {"f1"}
    assert referee.verdict({"f1"}, "f1") == "uses the course's reference implementation of f1"


def test_another_reference_called_directly_is_refused_unless_the_check_hands_it_over():
    fn = student("def graded():\n    return metrics.bleu(CANDIDATE, REFERENCES)\n")
    assert used_while("f1", fn) == {"bleu"}
    assert used_while("f1", fn, allowed=("bleu",)) == set()


def test_provided_code_may_call_an_earlier_reference():
    # While bleu is graded, rouge_l (the course's code) calling the reference f1 is not the student's doing.
    fn = student("def graded():\n    return metrics.rouge_l(CANDIDATE, REFERENCES)\n")
    assert used_while("bleu", fn) == set()


def test_own_code_is_not_refused():
    fn = student("def graded():\n    return 2 * 0.5 * 0.4 / (0.5 + 0.4)\n")
    assert used_while("f1", fn) == set()


def test_turning_the_monitor_off_is_noticed():
    fn = student("def graded():\n    import sys\n    sys.settrace(None)\n    return 1.0\n")
    used = used_while("f1", fn)
    assert "<monitor>" in used and "turned off" in referee.verdict(used, "f1")


@pytest.mark.parametrize("source", [
    "graded = metrics.f1\n",
    "@functools.wraps(metrics.f1)\ndef graded(*args):\n    return 0.0\n",
    "import types\ngraded = types.FunctionType(metrics.f1.__code__, {})\n",
])
def test_a_reference_object_or_its_code_is_recognised_before_it_runs(source):
    assert REFEREE.identity(student(source)) == "f1"


def test_the_hook_is_restored():
    import sys

    before = sys.gettrace()
    used_while("f1", student("def graded():\n    return metrics.f1(0.5, 0.4)\n"))
    assert sys.gettrace() is before


@pytest.mark.slow
@pytest.mark.cost(25)
def test_nbgrader_hidden_cells_refuse_each_reference_use(tmp_path):
    """The hostile corpus's uses of the reference f1 (tests/autograder/hostile_corpus.py), each followed by
    f1's hidden grade cell, in one notebook that nbgrader's own Execute preprocessor runs in a kernel: nbgrader
    gives every such cell 0 points, its error names the reason, and an honest f1 after them scores."""
    import logging

    import nbformat
    from nbgrader.preprocessors import Execute
    from nbgrader.utils import determine_grade

    from tests.autograder.hostile_corpus import REFERENCE_USES

    grade = {"grade": True, "locked": True, "points": 1, "schema_version": 3, "solution": False, "task": False}
    cells = [nbformat.v4.new_code_cell("from autograder.checks.w1_nmt import CHECKS as checks\n"
                                       "from w1_nmt.metrics import _check_fraction")]
    attempts = {**REFERENCE_USES, "honest": "def f1(precision, recall):\n    _check_fraction(precision, 'precision')\n"
                "    _check_fraction(recall, 'recall')\n"
                "    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)\n"}
    for name, source in attempts.items():
        cells.append(nbformat.v4.new_code_cell(source))
        cells.append(nbformat.v4.new_code_cell("checks.run('f1', f1, hidden=True)",
                                               metadata={"nbgrader": {**grade, "grade_id": f"test_{name}"}}))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executed, _ = Execute(timeout=300).preprocess(notebook, {"metadata": {"path": str(tmp_path)}})
    log = logging.getLogger("test")
    scores, errors = {}, {}
    for cell in executed.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id:
            name = grade_id[len("test_"):]
            scores[name] = determine_grade(cell, log)[0]
            errors[name] = " ".join(o.get("evalue", "") for o in cell.outputs if o.output_type == "error")
    assert scores == {**{name: 0 for name in REFERENCE_USES}, "honest": 1}
    for name in REFERENCE_USES:
        expected = "turned off the grader's monitor" if name == "monitor_off" else "reference implementation of f1"
        assert expected in errors[name], (name, errors[name])

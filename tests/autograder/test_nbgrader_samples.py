"""The bundled sample submissions of every week: up to date with the release, and graded by nbgrader as the
checks grade them in-process (the typical mistakes cost exactly their functions' points)."""
import importlib
import json
import pathlib

import pytest

from autograder import nbgrader_driver as driver
from autograder.checks import WEEKS
from autograder.samples import make

SAMPLES = pathlib.Path(make.__file__).resolve().parent


def _checks(week):
    return importlib.import_module(f"autograder.checks.{week}").CHECKS


def _mistakes(week):
    return importlib.import_module(f"autograder.samples.{week}_mistakes").MISTAKES


@pytest.mark.parametrize("week", WEEKS)
def test_samples_are_regenerated_from_the_release(week):
    for student, notebook in make.samples(week).items():
        committed = (SAMPLES / week / f"{student}.ipynb").read_text(encoding="utf-8")
        assert committed == make.render(notebook), f"{week}/{student}.ipynb is stale: python -m autograder.samples.make"


@pytest.mark.parametrize("week", WEEKS)
def test_samples_differ_only_in_solution_cells(week):
    correct = json.loads((SAMPLES / week / "correct.ipynb").read_text())
    mistakes = json.loads((SAMPLES / week / "mistakes.ipynb").read_text())
    changed = [a["metadata"]["nbgrader"]["grade_id"] for a, b in zip(correct["cells"], mistakes["cells"])
               if a["source"] != b["source"]]
    assert sorted(changed) == sorted(_mistakes(week))


# Seconds each comparison takes on two busy cores (tests/conftest.py deals the longest groups out first).
COST = {"w1_nmt": 125, "w2_summarizer": 180, "w3_qa": 190}


@pytest.mark.slow
@pytest.mark.parametrize("week", [pytest.param(week, marks=[pytest.mark.xdist_group(f"samples-{week}"),
                                                           pytest.mark.cost(COST.get(week, 300))])
                                  for week in WEEKS])
def test_nbgrader_and_the_isolating_runner_give_identical_scores(week, tmp_path):
    """The correct sample scores full marks and the typical mistakes lose exactly their functions' points,
    through nbgrader (hidden test cells calling the checks) and through the runner, function by function."""
    from autograder.runner import grade

    checks, mistakes, samples = _checks(week), _mistakes(week), SAMPLES / week
    course = driver.make_course(tmp_path / "course", week)
    driver.release(course, week)
    students = ("correct", "mistakes")
    before = {s: driver.sha256(samples / f"{s}.ipynb") for s in students}
    for student in students:
        driver.submit(course, week, student, samples / f"{student}.ipynb", f"{week}.ipynb")
    rc, log = driver.autograde(course, week, None, env=driver.FAST_ENV, cell_timeout=120)
    assert rc == 0, log[-4000:]
    grader = grade.Grader(week, tmp_path / "runner", grade.Options(timeout=60, cell_timeout=120),
                          hide=[(course / "submitted").resolve()])
    subs = grade.find_submissions(course)
    runner = {s.id: {t["name"]: t["score"] for t in d["tests"]} for s, d in zip(subs, grader.grade_all(subs))}
    for student in students:
        scores = driver.gradebook_scores(course, week, student)
        nbgrader = {name[len("test_"):]: score for name, (score, _) in scores.items()}
        assert nbgrader == runner[student], student
        for name, check in checks.checks.items():
            assert scores[f"test_{name}"][1] == check.points
            lost = student == "mistakes" and name in mistakes
            assert nbgrader[name] == (0 if lost else check.points), f"{student} {name}: {nbgrader[name]}"
    assert {s: driver.sha256(samples / f"{s}.ipynb") for s in students} == before

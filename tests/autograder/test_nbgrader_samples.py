"""The bundled sample submissions: up to date with the release, and graded by nbgrader as the checks
grade them in-process (the typical mistakes cost exactly their functions' points)."""
import json
import pathlib

import pytest

from autograder import nbgrader_driver as driver
from autograder.checks.w1_nmt import CHECKS
from autograder.samples import make
from autograder.samples.w1_nmt_mistakes import MISTAKES

SAMPLES = pathlib.Path(make.__file__).resolve().parent / "w1_nmt"


def test_samples_are_regenerated_from_the_release():
    for student, notebook in make.samples("w1_nmt").items():
        committed = (SAMPLES / f"{student}.ipynb").read_text(encoding="utf-8")
        assert committed == make.render(notebook), f"{student}.ipynb is stale: python -m autograder.samples.make"


def test_samples_differ_only_in_solution_cells():
    correct = json.loads((SAMPLES / "correct.ipynb").read_text())
    mistakes = json.loads((SAMPLES / "mistakes.ipynb").read_text())
    changed = [a["metadata"]["nbgrader"]["grade_id"] for a, b in zip(correct["cells"], mistakes["cells"])
               if a["source"] != b["source"]]
    assert sorted(changed) == sorted(MISTAKES)


@pytest.mark.slow
def test_nbgrader_and_the_isolating_runner_give_identical_scores(tmp_path):
    """The correct sample scores full marks and the typical mistakes lose exactly their functions' points,
    through nbgrader (hidden test cells calling the checks) and through the runner, function by function."""
    from autograder.runner import grade

    course = driver.make_course(tmp_path / "course", "w1_nmt")
    driver.release(course, "w1_nmt")
    students = ("correct", "mistakes")
    before = {s: driver.sha256(SAMPLES / f"{s}.ipynb") for s in students}
    for student in students:
        driver.submit(course, "w1_nmt", student, SAMPLES / f"{student}.ipynb", "w1_nmt.ipynb")
    rc, log = driver.autograde(course, "w1_nmt", None, env={"W1_NMT_FAST": "1"}, cell_timeout=120)
    assert rc == 0, log[-4000:]
    grader = grade.Grader("w1_nmt", tmp_path / "runner", grade.Options(timeout=60, cell_timeout=120),
                          hide=[(course / "submitted").resolve()])
    subs = grade.find_submissions(course)
    runner = {s.id: {t["name"]: t["score"] for t in d["tests"]} for s, d in zip(subs, grader.grade_all(subs))}
    for student in students:
        scores = driver.gradebook_scores(course, "w1_nmt", student)
        nbgrader = {name[len("test_"):]: score for name, (score, _) in scores.items()}
        assert nbgrader == runner[student], student
        for name, check in CHECKS.checks.items():
            assert scores[f"test_{name}"][1] == check.points
            lost = student == "mistakes" and name in MISTAKES
            assert nbgrader[name] == (0 if lost else check.points), f"{student} {name}: {nbgrader[name]}"
    assert {s: driver.sha256(SAMPLES / f"{s}.ipynb") for s in students} == before

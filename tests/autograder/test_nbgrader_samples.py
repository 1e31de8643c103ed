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
def test_nbgrader_autograde_of_the_mistakes_sample(tmp_path):
    course = driver.make_course(tmp_path / "course", "w1_nmt")
    driver.release(course, "w1_nmt")
    sample = SAMPLES / "mistakes.ipynb"
    before = driver.sha256(sample)
    driver.submit(course, "w1_nmt", "mistakes", sample, "w1_nmt.ipynb")
    rc, log = driver.autograde(course, "w1_nmt", "mistakes", env={"W1_NMT_FAST": "1"}, cell_timeout=120)
    assert rc == 0, log[-4000:]
    scores = driver.gradebook_scores(course, "w1_nmt", "mistakes")
    assert driver.sha256(sample) == before
    for name, check in CHECKS.checks.items():
        score, max_score = scores[f"test_{name}"]
        assert max_score == check.points
        assert score == (0 if name in MISTAKES else check.points), f"{name}: {score}/{max_score}"

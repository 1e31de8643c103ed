"""`pytest --grade` (autograder/pytest_plugin.py), run as users run it: a pytest of its own, in a subprocess.

The cheap tests grade malformed notebooks (no child is started) and read the notebooks' weeks. The slow ones
run the plugin on every bundled sample of each week with the isolating runner, and compare the items with
the runner's results.json (`--grade-out`: `autograde`'s documents) and with what each sample was built to
score (autograder/samples/make.py). Each sample is graded once per session (test_nbgrader_samples.py's
SampleGrading, which shows that nbgrader and the runner give those scores for the correct and the mistakes
samples): the plugin reuses those results, and grades Week 1's broken samples itself. test_runner.py covers
the runner's handling of the broken ones. The student edition's self-check runs in a freshly built edition.
"""
import importlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from autograder.checks import WEEKS
from autograder.nbgrader_driver import FAST_ENV
from autograder.notebook import parse, week_of
from autograder.samples import make
from tests.autograder import test_nbgrader_samples as sample_tests

REPO = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = REPO / "autograder" / "samples"


def _checks(week):
    return importlib.import_module(f"autograder.checks.{week}").CHECKS


def _pytest(args, cwd, timeout=900, env=None):
    """Run `python -m pytest ARGS` in `cwd` (without nbval, whose import alone takes ~5 s); (exit status,
    output)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS" and not k.startswith("PYTEST_XDIST")}
    environment.update(FAST_ENV, **(env or {}))
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:nbval", *map(str, args)]
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout + result.stderr


def _junit(path):
    """{nodeid: (properties, failure text or None)} of a --junitxml file."""
    items = {}
    for case in ElementTree.parse(path).iter("testcase"):
        properties = {p.get("name"): p.get("value") for p in case.iter("property")}
        failure = case.find("failure")
        items[f"{case.get('classname')}::{case.get('name')}"] = (properties, None if failure is None else failure.text)
    return items


# ------------------------------------------------------------------------------------------ cheap

def test_the_week_is_read_from_the_notebooks_metadata():
    names = {week: list(_checks(week)) for week in WEEKS}
    for week in WEEKS:
        for sample in (SAMPLES / week).glob("*.ipynb"):
            assert week_of(parse(sample.read_bytes()), names) == week, sample
    released = parse((SAMPLES / "w1_nmt" / "correct.ipynb").read_bytes())
    assert week_of(dict(released, metadata={"course": {"week": "w2_summarizer"}}), names) == "w2_summarizer"
    assert week_of({"cells": [], "metadata": {}}, names) is None


def test_without_grade_the_plugin_adds_nothing(tmp_path):
    (tmp_path / "test_one.py").write_text("def test_one():\n    pass\n")
    rc, out = _pytest(["-q", "test_one.py"], tmp_path)
    assert rc == 0 and "1 passed" in out and "course grader" not in out and "points" not in out, out


@pytest.mark.cost(12)
def test_a_malformed_notebook_fails_every_function_with_its_reason(tmp_path):
    """Where the week is unknown (the file says nothing), one item says so; with --week, each of the week's
    functions fails with the runner's reason. Under `-n 2` each notebook is graded on one worker, and the
    summary and the JUnit properties come back to the controller."""
    (tmp_path / "broken.ipynb").write_text('{"cells": [')
    (tmp_path / "other.ipynb").write_text('{"nbformat": 4}')
    rc, out = _pytest(["--grade", "broken.ipynb", "--junitxml", "unknown.xml"], tmp_path)
    assert rc == 1, out
    [(nodeid, (properties, failure))] = _junit(tmp_path / "unknown.xml").items()
    assert nodeid == "broken::notebook" and "cannot tell which week" in failure and "--week" in failure

    rc, out = _pytest(["--grade", tmp_path, "--week", "w1_nmt", "-n", "2", "-v", "--junitxml", "week.xml"], tmp_path)
    assert rc == 1, out
    items = _junit(tmp_path / "week.xml")
    checks = _checks("w1_nmt")
    assert sorted(items) == sorted(f"{sub}::{name}" for sub in ("broken", "other") for name in checks)
    for nodeid, (properties, failure) in items.items():
        name = nodeid.split("::")[1]
        assert properties["points"] == str(checks[name].points) and properties["score"] == "0"
        assert properties["mode"] == "runner" and properties["status"] == "malformed"
        assert "not graded: the file is" in failure, failure
    workers = {line.split()[0] for line in out.splitlines() if "broken::" in line and line.startswith("[gw")}
    assert len(workers) == 1, out
    assert re.search(rf"^  total +0/{checks.total_points}$", out, re.M), out


@pytest.mark.cost(12)
def test_from_the_checkout_only_grading_items_are_collected(tmp_path):
    """At the repository root (testpaths, tests/conftest.py) nothing of tests/ is collected, by pytest or
    by xdist's workers; a positional argument selects items by their id."""
    (tmp_path / "broken.ipynb").write_text("not json")
    rc, out = _pytest(["--grade", tmp_path / "broken.ipynb", "--week", "w1_nmt", "--collect-only", "-q"], REPO)
    assert rc == 0, out
    listed = [line for line in out.splitlines() if "::" in line]
    assert listed == [f"broken::{name}" for name in _checks("w1_nmt")], out
    rc, out = _pytest(["--grade", tmp_path / "broken.ipynb", "--week", "w1_nmt", "broken::bleu", "-q",
                       "-m", "points", "-n", "2"], REPO)
    assert rc == 1 and "1 failed" in out and "FAILED broken::bleu" in out, out


def test_the_classroom_workflow_has_a_test_per_function_that_reuses_one_grading(tmp_path):
    """The generated GitHub Classroom workflow: one command-grader step per graded function, worth its
    points, whose command selects that function's item; a rerun with --grade-out reuses the result of an
    unchanged notebook instead of grading it again (here a malformed one, which starts no child)."""
    import yaml

    from autograder import classroom

    steps = yaml.safe_load(classroom.workflow("w1_nmt"))["jobs"]["run-autograding-tests"]["steps"]
    tests = [s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-command-grader")]
    checks = _checks("w1_nmt")
    assert [(t["with"]["test-name"], t["with"]["max-score"]) for t in tests] == \
        [(name, check.points) for name, check in checks.checks.items()]
    assert all(t["with"]["command"].endswith(f" w1_nmt::{t['with']['test-name']}") for t in tests)
    reporter = steps[-1]
    assert reporter["with"]["runners"].split(",") == [t["id"] for t in tests]
    assert set(reporter["env"]) == {f"{t['id'].upper()}_RESULTS" for t in tests}

    (tmp_path / "w1_nmt.ipynb").write_text("[]")
    args = ["--grade", "w1_nmt.ipynb", "--grade-out", "results", "--junitxml", "junit.xml"]
    rc, out = _pytest(args, tmp_path)
    assert rc == 1 and (tmp_path / "results" / "w1_nmt" / "results.json").exists(), out
    assert (tmp_path / "results" / "grades.csv").read_text().count("\n") == 2
    rc, out = _pytest(args + ["w1_nmt::bleu"], tmp_path)
    [(nodeid, (properties, failure))] = _junit(tmp_path / "junit.xml").items()
    assert rc == 1 and nodeid == "w1_nmt::bleu" and properties["status"] == "reused", out
    assert "not graded: the file is JSON but not a Jupyter notebook" in failure


# ------------------------------------------------------------------------------------------ slow

# Seconds each week's run takes on two busy cores: the plugin grades the broken samples of one week itself
# (its spawner, three children); of the others it reuses every result.
COST = {sample_tests.PLUGIN_GRADES_LIVE: 45}


def _expected_losses(week, sample):
    checks = _checks(week)
    if sample == "kernel_death":
        return set(checks)
    lost = {"correct": {}, "mistakes": importlib.import_module(f"autograder.samples.{week}_mistakes").MISTAKES,
            "raises": make.RAISES[week], "infinite_loop": make.INFINITE_LOOP[week]}[sample]
    return set(lost)


@pytest.mark.slow
@pytest.mark.parametrize("week", [pytest.param(week, marks=[pytest.mark.xdist_group(f"samples-{week}"),
                                                           pytest.mark.cost(COST.get(week, 10))])
                                  for week in WEEKS])
def test_grading_every_sample_gives_the_runners_scores(week, tmp_path, sample_grading):
    """One `pytest --grade samples/<week> --grade-out DIR` run, DIR holding the runner's results of this
    session's grading of the samples (test_nbgrader_samples.py's SampleGrading, the same Grader that
    `autograde` runs): of every week the correct and mistakes samples, and of all weeks but one the broken
    ones too. The plugin reuses those (status "reused": the resume of an interrupted `autograde` run) and
    grades the rest itself, with children it starts (Week 1's raises, infinite loop and kernel death). An
    item per sample and graded function, each scoring what the results.json says, which is what the sample
    was built to score; the kernel death and the infinite loop fail with their reasons; grades.csv as
    `autograde` writes it, over both kinds."""
    samples = sorted(p.stem for p in (SAMPLES / week).glob("*.ipynb"))
    seeded = [s for s in samples if week != sample_tests.PLUGIN_GRADES_LIVE or s in sample_tests.STUDENTS]
    assert set(samples) == set(sample_tests.STUDENTS + sample_tests.BROKEN)
    documents = sample_grading.results(week, seeded)
    out = tmp_path / "results"
    for sample in seeded:
        shutil.copytree(sample_grading.results_dir(week) / sample, out / sample)
    rc, log = _pytest(["--grade", SAMPLES / week, "--grade-out", out,
                       "--grade-timeout", sample_tests.BROKEN_TIMEOUT, "--junitxml", tmp_path / "junit.xml"], tmp_path)
    assert rc == 1, log[-3000:]
    items = _junit(tmp_path / "junit.xml")
    checks = _checks(week)
    assert sorted(items) == sorted(f"{s}::{name}" for s in samples for name in checks)
    for sample in samples:
        document = json.loads((out / sample / "results.json").read_text())
        if sample in seeded:
            assert document == documents[sample], sample
        else:       # graded in this run, by the plugin's own runner
            assert not document["extra_data"]["skipped"] and document["extra_data"]["seconds"] > 0, sample
        statuses = {items[f"{sample}::{name}"][0]["status"] for name in checks}
        assert statuses == {"reused" if sample in seeded else document["extra_data"]["status"]}, (sample, statuses)
        runner = {t["name"]: t["score"] for t in document["tests"]}
        plugin = {name: int(items[f"{sample}::{name}"][0]["score"]) for name in checks}
        assert plugin == runner, sample
        assert {name for name, score in plugin.items() if score < checks[name].points} == \
            _expected_losses(week, sample), sample
        for name in checks:
            properties, failure = items[f"{sample}::{name}"]
            assert properties["points"] == str(checks[name].points)
            assert (failure is None) == (plugin[name] == checks[name].points), (sample, name)
            if failure is not None:
                output = next(t["output"] for t in document["tests"] if t["name"] == name)
                assert output in failure, (sample, name)
        assert re.search(rf"^  total +{document['score']}/{document['max_score']}$",
                         log.split(f"\n{sample} ({week}", 1)[1], re.M), sample
    death = items[f"kernel_death::{next(iter(checks))}"][1]
    assert "exited with status 1" in death, death
    [loop] = make.INFINITE_LOOP[week]
    assert f"ran past its {sample_tests.BROKEN_TIMEOUT} s CPU time limit" in items[f"infinite_loop::{loop}"][1]
    rows = (out / "grades.csv").read_text().splitlines()
    assert rows[0].split(",")[:4] == ["submission", "status", "score", "max_score"] and len(rows) == 1 + len(samples)


@pytest.mark.slow
@pytest.mark.cost(60)
def test_the_student_edition_self_checks_the_public_cases(tmp_path):
    """In the student edition (no runner, public cases only), the same command self-checks and says so:
    the typical mistakes fail their public cases with the notebook tests' feedback (and the functions that
    use them say so, as there), a notebook whose process dies fails every function with the reason, and
    nothing calls it a grade."""
    from tools import student_edition

    edition = tmp_path / "student"
    student_edition.build(edition)
    assert not (edition / "autograder" / "runner").exists()
    for sample in ("mistakes", "kernel_death"):
        shutil.copyfile(SAMPLES / "w1_nmt" / f"{sample}.ipynb", edition / f"{sample}.ipynb")
    rc, out = _pytest(["--grade", "mistakes.ipynb", "--grade", "kernel_death.ipynb", "--junitxml", "junit.xml"],
                      edition, env={"PYTHONPATH": str(edition)})
    assert rc == 1, out[-3000:]
    assert "SELF-CHECK of the public cases only" in out and "NOT a grade" in out, out
    items = _junit(edition / "junit.xml")
    checks = _checks("w1_nmt")
    from autograder.samples.w1_nmt_mistakes import MISTAKES

    lost = {nodeid.split("::")[1]: failure for nodeid, (p, failure) in items.items()
            if nodeid.startswith("mistakes::") and failure}
    # As in the notebook's tests, a later function runs the student's earlier ones, and says which fail.
    assert set(MISTAKES) <= set(lost), out[-3000:]
    for name in set(lost) - set(MISTAKES):
        assert re.search(rf"note: it uses your ({'|'.join(MISTAKES)}), which fails its own test", lost[name])
    assert all(p["mode"] == "self-check" for p, _ in items.values())
    assert "modified_precision, case 'seed: 'I I am I'': output: expected 0.5 but got 1" in \
        items["mistakes::modified_precision"][1]
    assert not [f for nodeid, (p, f) in items.items() if nodeid.startswith("mistakes::") and f and "hidden" in f]
    for name in checks:
        failure = items[f"kernel_death::{name}"][1]
        assert "the notebook's process exited with status 1 while running cell" in failure, failure

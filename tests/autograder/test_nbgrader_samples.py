"""The bundled sample submissions of every week: up to date with the release, graded by nbgrader as the
checks grade them in-process (the typical mistakes cost exactly their functions' points), and graded with full
marks on a busy machine."""
import concurrent.futures
import contextlib
import importlib
import json
import os
import pathlib
import re

import pytest

from autograder import nbgrader_driver as driver
from autograder.checks import WEEKS
from autograder.samples import make
from tests.autograder.busy import busy_cores

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


# ------------------------------------------------------------------------------------------ one grading per week

STUDENTS = ("correct", "mistakes")                      # the samples that nbgrader grades too
BROKEN = ("raises", "infinite_loop", "kernel_death")    # the ones only the runner grades
# The week whose broken samples `pytest --grade` grades itself in test_pytest_plugin.py (its children are
# started by the plugin there); of the other weeks it reuses the results graded here.
PLUGIN_GRADES_LIVE = "w1_nmt"
BROKEN_TIMEOUT = 5          # --grade-timeout of test_pytest_plugin.py: the infinite loop costs it twice


@contextlib.contextmanager
def fast_env():
    """The notebooks' demonstration sizes (driver.FAST_ENV), as nbgrader's kernels run them here, while a
    spawner's processes start (they read it then; a forked child inherits its zygote's)."""
    saved = {name: os.environ.get(name) for name in driver.FAST_ENV}
    os.environ.update(driver.FAST_ENV)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class SampleGrading:
    """Per week: one warm spawner (zygote, compilation cache and the references' measured CPU times), and the
    isolating runner's results of the bundled samples, each sample graded once per session into
    <folder>/<week>/ (`autograde`'s layout). Its users are the week's xdist group (`samples-<week>`, run in
    this order): nbgrader's comparison below (which grades, while the spawner is warm, what the others
    reuse), the test under load (which closes the spawner) and `pytest --grade` (test_pytest_plugin.py,
    which reuses these results through --grade-out), and the instructor's browser test
    (tests/browser/test_instructor.py), which opens in the formgrader the nbgrader course that the comparison
    graded (`courses`). The session fixture is tests/conftest.py's `sample_grading`."""

    def __init__(self, folder):
        self.folder = pathlib.Path(folder)
        self._spawners, self._documents = {}, {}
        self.courses = {}   # week -> the nbgrader course folder the comparison graded (when it passed)

    def spawner(self, week):
        from autograder.runner import grade

        if week not in self._spawners:
            spawner = grade.Spawner(week)
            with fast_env():
                spawner.prepare()
                spawner.zygote_pid()
            self._spawners[week] = spawner
        return self._spawners[week]

    def results(self, week, students):
        """{student: results document} of these samples, graded now where not yet: the correct and mistakes
        samples under the default limits (as nbgrader's run below), the broken ones with a 5 s floor."""
        from autograder.runner import grade

        todo = [s for s in students if (week, s) not in self._documents]
        for group, options in ((STUDENTS, grade.Options()), (BROKEN, grade.Options(timeout=BROKEN_TIMEOUT))):
            subs = [grade.Submission(s, SAMPLES / week / f"{s}.ipynb", False) for s in todo if s in group]
            if subs:
                grader = grade.Grader(week, self.folder / week, options, hide=[SAMPLES / week],
                                      spawner=self.spawner(week))
                with fast_env():
                    documents = grader.grade_all(subs)
                self._documents.update({(week, sub.id): d for sub, d in zip(subs, documents)})
        return {s: self._documents[week, s] for s in students}

    def results_dir(self, week):
        return self.folder / week

    def close(self, week=None):
        for name in [week] if week else list(self._spawners):
            spawner = self._spawners.pop(name, None)
            if spawner is not None:
                spawner.close()


# The samples that nbgrader grades, per week (default: the mistakes; see the comparison's docstring).
NBGRADER_GRADES = {"w1_nmt": STUDENTS}
# Seconds each test takes on two busy cores (tests/conftest.py deals the longest groups out first): the
# comparison (nbgrader's two kernels, the spawner, and the runner's gradings of the week's samples).
COST = {"w1_nmt": 100, "w2_summarizer": 150, "w3_qa": 160}


@pytest.mark.slow
@pytest.mark.parametrize("week", [pytest.param(week, marks=[pytest.mark.xdist_group(f"samples-{week}"),
                                                           pytest.mark.cost(COST.get(week, 300))])
                                  for week in WEEKS])
def test_nbgrader_and_the_isolating_runner_give_identical_scores(week, tmp_path, sample_grading):
    """The correct sample scores full marks and the typical mistakes lose exactly their functions' points,
    through nbgrader (hidden test cells calling the checks) and through the runner, function by function,
    both under the time limits measured on the reference solutions (as `make demo` runs nbgrader). The
    runner's side is the session's one grading of the samples (SampleGrading), of the bytes nbgrader grades.
    nbgrader grades both samples of Week 1 and the mistakes of the others (NBGRADER_GRADES): there the
    correct functions of the mistakes sample score full marks through nbgrader's whole path (release,
    submission, autograde with the limits, gradebook), and every grade cell of the solutions passes
    nbgrader's validation (tests/test_notebooks.py, test_source_notebook_passes_nbgrader_validate)."""
    from autograder import limits, reference_times

    checks, mistakes, samples = _checks(week), _mistakes(week), SAMPLES / week
    students = NBGRADER_GRADES.get(week, ("mistakes",))
    course = driver.make_course(tmp_path / "course", week)
    driver.release(course, week)
    before = {s: driver.sha256(samples / f"{s}.ipynb") for s in STUDENTS}
    for student in students:
        driver.submit(course, week, student, samples / f"{student}.ipynb", f"{week}.ipynb",
                      name=driver.sample_name(student))
    spawner = sample_grading.spawner(week)  # the runner's compilation cache, and each case's CPU time on the reference
    assert spawner.reference_cpu, spawner.cache_note
    limits_file = limits.Limits(reference_cpu=spawner.reference_cpu,
                                checks=reference_times.describe_checks(week)).save(tmp_path / "limits.json")
    rc, log = driver.autograde(course, week, None, env=driver.FAST_ENV, limits_file=limits_file)
    assert rc == 0, log[-4000:]
    # The runner, on the same bytes (with the broken samples that test_pytest_plugin.py reuses).
    graded = sample_grading.results(week, STUDENTS + (() if week == PLUGIN_GRADES_LIVE else BROKEN))
    runner = {s: {t["name"]: t["score"] for t in graded[s]["tests"]} for s in STUDENTS}
    for student in STUDENTS:
        assert graded[student]["extra_data"]["input_sha256"] == before[student]
        # Every folder hidden (the samples' own lies inside the checkout's autograder/samples, hidden too).
        assert not [n for n in graded[student]["extra_data"]["notes"] if "could not" in n], student
        for name, check in checks.checks.items():
            lost = student == "mistakes" and name in mistakes
            assert runner[student][name] == (0 if lost else check.points), f"runner: {student} {name}"
    for student in students:
        assert driver.sha256(course / "submitted" / student / week / f"{week}.ipynb") == before[student]
        scores = driver.gradebook_scores(course, week, student)
        nbgrader = {name[len("test_"):]: score for name, (score, _) in scores.items()}
        assert nbgrader == runner[student], student
        assert {name: points for name, (_, points) in scores.items()} == \
            {f"test_{name}": check.points for name, check in checks.checks.items()}, student
    assert {s: driver.sha256(samples / f"{s}.ipynb") for s in STUDENTS} == before
    sample_grading.courses[week] = course


# Per week: the function its infinite-loop sample loops in, and its slowest graded function; the seconds the
# test under load takes (its zygote and cache are the comparison's).
UNDER_LOAD = {"w1_nmt": ("f1", "NMTAttn"), "w2_summarizer": ("positional_encoding", "training_loop"),
              "w3_qa": ("mixing_rates", "TransformerEncoder")}
LOAD_COST = {"w1_nmt": 20, "w2_summarizer": 30, "w3_qa": 45}


@pytest.mark.slow
@pytest.mark.parametrize("week", [pytest.param(week, marks=[pytest.mark.xdist_group(f"samples-{week}"),
                                                           pytest.mark.cost(LOAD_COST.get(week, 60))])
                                  for week in WEEKS])
def test_correct_samples_keep_full_marks_on_a_busy_machine(week, tmp_path, sample_grading):
    """Two busy processes share one core with two grading children (the correct and the infinite-loop
    sample at once, forked from a zygote pinned there): a quarter of a core each. The correct sample keeps
    full marks for the infinite loop's function and the week's slowest one, under limits derived from the
    references' CPU time, and the infinite-loop sample is stopped by its limits (1 s of CPU, the floor, to
    keep this short). test_limits.py shows that a wall-clock limit fails correct code under such load."""
    from autograder.runner import grade

    spawner = sample_grading.spawner(week)
    samples = SAMPLES / week
    loop, slow = UNDER_LOAD[week]

    def run(student, functions):
        grader = grade.Grader(week, tmp_path / student, grade.Options(timeout=1, functions=functions),
                              hide=[samples], spawner=spawner)
        return grader.grade_all([grade.Submission(student, samples / f"{student}.ipynb", False)])[0]

    try:
        spawner.prepare()                   # measured before the load, as in a grading run (CPU time either way)
        with busy_cores(processes=2, cores=1) as cores:
            os.sched_setaffinity(spawner.zygote_pid(), cores)
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                correct = pool.submit(run, "correct", (loop, slow))
                looping = pool.submit(run, "infinite_loop", (loop,))
                correct, looping = correct.result(), looping.result()
    finally:
        sample_grading.close(week)      # its zygote is pinned to the loaded core
    assert correct["extra_data"]["status"] == "graded" and correct["score"] == correct["max_score"], correct["tests"]
    [test] = looping["tests"]
    assert test["score"] == 0 and looping["extra_data"]["status"] == "graded"
    # Stopped by the child's own limits (the CPU limit unless the child got less than a fifth of the core),
    # not by the parent's last-resort wait.
    assert re.search(r"ran past its 1 s (CPU time|wall-clock time) limit", test["output"]), test["output"]
    # Its two tries of 1 s of CPU took longer than that: the load was real, and the limit was not wall time.
    assert looping["extra_data"]["timing"]["check"] > 3, looping["extra_data"]["timing"]

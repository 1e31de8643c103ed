"""Time limits of graded code (autograder/limits.py): CPU time, so that a grade does not depend on what else
the grading machine runs, with a wall-clock backstop for code that waits; one retry; clear messages; the
same limits in nbgrader's kernels and the isolating runner.

`busy_cores` (tests/autograder/busy.py) is the load: busy-loop processes pinned, with this process, to one
core. The real samples are graded under that load in test_nbgrader_samples.py.
"""
import pathlib
import signal
import time

import pytest

from autograder import engine, limits
from tests.autograder.busy import busy_cores

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def configured():
    """Set this process's limits for one test, and restore them after (and forget given-up functions)."""
    saved = limits._active
    yield limits.configure
    limits._active = saved
    limits._gave_up.clear()


def _spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_cpu_limit_stops_a_busy_loop_but_not_a_wait():
    start = time.process_time()
    with pytest.raises(limits.LimitExceeded) as hit:
        with limits.limited(cpu=0.3):
            while True:
                pass
    assert hit.value.kind == "cpu" and str(hit.value) == "ran past its 0.3 s CPU time limit"
    assert 0.29 <= time.process_time() - start < 0.6    # the limit is kept to a few milliseconds
    start = time.monotonic()
    with limits.limited(cpu=0.2):           # waiting uses no CPU time
        time.sleep(0.5)
    assert time.monotonic() - start >= 0.5
    with pytest.raises(limits.LimitExceeded, match=r"ran past its 0.2 s wall-clock time limit after 0\.[01] s of"):
        with limits.limited(cpu=5, wall=0.2):
            time.sleep(3)


def test_limits_nest_and_put_back_the_timers_and_handlers_they_replaced():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 20)
        with limits.limited(cpu=5, wall=10):
            with pytest.raises(limits.LimitExceeded):
                with limits.limited(cpu=0.1):
                    _spin(1)
            assert 4 < signal.getitimer(signal.ITIMER_PROF)[0] < 4.95      # the outer limit, less the time spent
            assert 5 < signal.getitimer(signal.ITIMER_REAL)[0] <= 10
        assert 15 < signal.getitimer(signal.ITIMER_REAL)[0] <= 20         # the alarm set before any limit
        assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        time.sleep(0.5)
        assert fired == [signal.SIGALRM]                                   # ... still goes to its own handler
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _reference(n):
    return n


CHECK = engine.Check("work", f"{__name__}:_reference", 1,
                     public=(engine.Case("first", lambda: ((1,), {})), engine.Case("second", lambda: ((2,), {}))),
                     hidden=(engine.Case("third", lambda: ((3,), {})),))


def test_a_case_past_its_limit_runs_once_more_then_fails_with_its_limit(configured):
    configured(limits.Limits(floor=0.2, factor=1, default=0.2, wall_factor=100))  # CPU time, even on a busy machine
    calls = []

    def work(n):
        calls.append(n)
        while True:
            try:
                pass
            except Exception:       # a student's catch-all does not swallow the limit
                pass

    start = time.process_time()
    with pytest.raises(engine.CaseError) as failed:
        engine.call_case(work, CHECK.public[0], CHECK)
    assert str(failed.value) == "ran past its 0.2 s CPU time limit (on both tries)"
    assert isinstance(failed.value.__cause__, limits.LimitExceeded) and calls == [1, 1]
    assert 0.38 <= time.process_time() - start < 1.2
    # The function scores 0 already: its later cases are not run; a new grading (its first case again,
    # as in the notebook's next test cell) runs them again.
    with pytest.raises(engine.CaseError, match="not run: an earlier case ran past its time limit"):
        engine.call_case(work, CHECK.public[1], CHECK)
    with pytest.raises(engine.CaseError, match="not run: an earlier case ran past its time limit"):
        engine.call_case(work, CHECK.hidden[0], CHECK)
    assert calls == [1, 1]
    with pytest.raises(engine.CaseError, match="ran past its 0.2 s CPU time limit"):
        engine.call_case(work, CHECK.public[0], CHECK)
    assert calls == [1, 1, 1, 1]
    # A first try that ran into its limit (say, while compiling) and a second that does not: full marks.
    tries = []

    def slow_once(n):
        tries.append(n)
        if len(tries) == 1:
            _spin(1)
        return n

    assert engine.call_case(slow_once, CHECK.public[1], CHECK) == 2 and tries == [2, 2]
    configured(None)                # no limits (the references while they are measured)
    assert engine.call_case(lambda n: _spin(0.3) or n, CHECK.public[0], CHECK) == 1


def test_case_limits_follow_the_reference_cpu_time_measured_in_the_run(tmp_path, monkeypatch):
    measured = limits.Limits(reference_cpu={CHECK.reference: {"first": 15.2, "second": 0.001}},
                             checks={"work": {"reference": CHECK.reference, "public": ["first", "second"],
                                              "hidden": ["third"]}})
    first, second, third = CHECK.public + CHECK.hidden
    assert measured.cpu(CHECK, first) == 160        # 10 x 15.2 s, rounded up to two digits
    assert measured.cpu(CHECK, second) == 10        # the floor
    assert measured.cpu(CHECK, third) == 120        # not measured: the default
    assert measured.wall(CHECK, first) == 800 and measured.case_wait(CHECK, first) == 1600
    assert limits.Limits(floor=2, factor=3).cpu(CHECK, third) == 120
    assert [limits.nice(x) for x in (155.2, 12.01, 10, 0.251, 5 * 160)] == [160, 13, 10, 0.26, 800]
    # The file that `python -m autograder.reference_times` writes, read by a kernel through $AUTOGRADER_CASE_LIMITS.
    path = measured.save(tmp_path / "limits.json")
    assert limits.Limits.load(path) == measured
    monkeypatch.setattr(limits, "_active", limits._UNSET)
    monkeypatch.setenv(limits.ENV, str(path))
    assert limits.active() == measured
    monkeypatch.setattr(limits, "_active", limits._UNSET)
    monkeypatch.setenv(limits.ENV, str(tmp_path / "missing.json"))
    assert limits.active() == limits.Limits()
    # nbgrader's cell limit: its base, plus what a test cell's cases may take (both tries of each).
    monkeypatch.setattr(limits, "_active", measured)
    monkeypatch.delenv(limits.CELL_ENV, raising=False)
    cell = {"source": "# Hidden tests of work\n### BEGIN HIDDEN TESTS\nchecks.run(\"work\", work, hidden=True)\n"}
    assert limits.nbgrader_cell_timeout(cell) == 300 + 2 * (800 + 50 + 600)
    assert limits.nbgrader_cell_timeout({"source": "checks.run('work', work)"}) == 300 + 2 * (800 + 50)
    monkeypatch.setenv(limits.CELL_ENV, "50")
    assert limits.nbgrader_cell_timeout({"source": "%matplotlib inline\nx = 1"}) == 50
    demo = {"source": "train(checks.run('work', work))", "metadata": {"tags": ["demonstration"]}}
    assert limits.nbgrader_cell_timeout(demo) == limits.NBGRADER_DEMO_SECONDS    # ungraded


def test_nbgrader_config_sizes_cells_with_the_limits():
    class Section(dict):
        def __getattr__(self, name):
            return self.setdefault(name, Section())

        def __setattr__(self, name, value):
            self[name] = value

    config = Section()
    source = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    exec(compile(source, "nbgrader_config.py", "exec"), {"get_config": lambda: config, "__file__": "x"})
    assert config.ExecutePreprocessor.timeout_func is limits.nbgrader_cell_timeout
    assert config.ExecutePreprocessor.timeout == limits.NBGRADER_CELL_SECONDS


def _work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def _student_work(n):   # the same algorithm, written by a student
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


@pytest.mark.slow
@pytest.mark.cost(15)
def test_under_load_a_cpu_limit_keeps_slow_correct_code_that_a_wall_limit_would_fail(configured):
    """Three busy processes share this process's core. The same limit fails correct code when it is
    wall-clock time, and keeps it when it is CPU time; an infinite loop still stops within its limit. (The
    wall-clock backstop is set out of the way: extra load on the machine must not change the outcome.)"""
    n = 1_500_000
    check = engine.Check("work", f"{__name__}:_work", 1, public=(engine.Case("n", lambda: ((n,), {})),), hidden=())
    case = check.public[0]
    with busy_cores(processes=3, cores=1):
        start = time.process_time()
        expected = _work(n)                          # the reference, measured in the same run
        reference_cpu = time.process_time() - start
        configured(limits.Limits(floor=0.05, factor=2, wall_factor=1000,
                                 reference_cpu={check.reference: {"n": reference_cpu}}))
        cpu_limit = limits.active().cpu(check, case)
        start_cpu, start_wall = time.process_time(), time.monotonic()
        assert engine.call_case(_student_work, case, check) == expected
        cpu, wall = time.process_time() - start_cpu, time.monotonic() - start_wall
        assert wall > cpu_limit, f"no load? {wall:.2f} s of wall time for {cpu:.2f} s of CPU"
        with pytest.raises(limits.LimitExceeded, match="wall-clock"):
            with limits.limited(wall=cpu_limit):
                _student_work(n)

        def loop(n):
            while True:
                n = n * 1

        start_cpu = time.process_time()
        with pytest.raises(engine.CaseError, match=f"ran past its {cpu_limit:g} s CPU time limit"):
            engine.call_case(loop, case, check)
        cpu = time.process_time() - start_cpu
    assert 2 * cpu_limit - 0.02 <= cpu < 2 * cpu_limit + 0.5      # two tries, each stopped at its CPU limit


@pytest.mark.slow
@pytest.mark.cost(15)
def test_the_limits_command_measures_the_references(tmp_path):
    """`python -m autograder.reference_times` (what make demo and autograder.nbgrader_driver run before nbgrader)."""
    import subprocess
    import sys

    out = tmp_path / "limits.json"
    subprocess.run([sys.executable, "-m", "autograder.reference_times", "--week", "w1_nmt", "--functions", "f1,bleu",
                    "--out", str(out)], cwd=REPO, check=True, capture_output=True, timeout=300)
    measured = limits.Limits.load(out)
    assert sorted(measured.checks) == ["bleu", "f1"] and measured.floor == 10 and measured.factor == 10
    from autograder.checks.w1_nmt import CHECKS

    for name in ("f1", "bleu"):
        check = CHECKS[name]
        times = measured.reference_cpu[check.reference]
        assert sorted(times) == sorted(c.name for c in check.public + check.hidden)
        assert all(0 <= t < 10 for t in times.values())     # cheap metrics: every case gets the floor
        assert {measured.cpu(check, c) for c in check.public + check.hidden} == {10}

"""Time limits of graded code, the same in every grader: CPU time, with a wall-clock backstop.

A grade must not depend on what else the grading machine runs. Wall-clock time does: Week 2's
`training_loop` check case (a tiny trax model trained for two steps) took 7 and 10 s of wall time on an idle
2-core machine and 31 and 50 s with three busy-loop processes on the same cores, while its CPU time (all
threads of the process) stayed at 12 and 15-18 s. So a case is stopped when the *process's CPU time* runs
past its limit (`signal.setitimer(ITIMER_PROF)`: user + system time of all threads, XLA's included), and
wall-clock time only backs that up, much later, for code that waits without computing (a sleep, a read
that never returns).

Per case (one call of a graded function through `autograder.engine.call_case`, wrapped by `case_limits`:
in nbgrader's test cells, in a student's notebook and in the isolating runner's child alike):

* CPU limit: `factor` (10) times the CPU time the reference solution took for the same case, measured in
  the same run (`autograder.reference_times.measure`: the isolating runner does it while it fills its compilation cache,
  autograder/runner/warm_cache.py; `make demo` and `autograder.nbgrader_driver` before they autograde,
  `python -m autograder.reference_times`), and at least `floor` (10 s); `default` (120 s) when the case's reference
  was not measured (plain `nbgrader autograde`, a student's own notebook), again at least `floor`.
  Limits are rounded up to two significant digits (10, 12, ..., 160 s).
* wall-clock backstop: `wall_factor` (5) times the CPU limit (so an infinite loop is reported as past its
  CPU limit unless it got less than a fifth of a core, and correct code fails only below a fiftieth).
* a case that runs past either limit is run once more (the first try may have paid for compiling); a
  second hit fails the case with "ran past its N s CPU time limit (on both tries)", and the function's
  later cases in the same grading are not run ("not run: an earlier case ran past its time limit"): it
  scores 0 either way, and an infinite loop costs two limits per grading, not two per case.

nbgrader interrupts a cell after a wall-clock limit of its own (`ExecutePreprocessor`): nbgrader_config.py
sets it with `nbgrader_cell_timeout`, which gives every cell `NBGRADER_CELL_SECONDS` (300) and a test cell on
top of that what its cases may take at most (both tries of each at its wall backstop), so nbgrader never cuts
a test cell short before the per-case limits have decided, and both graders give the same scores under load.
Cells tagged "demonstration" (training runs, plots: ungraded, and skipped by the isolating runner) get
`NBGRADER_DEMO_SECONDS` (60): interrupting one costs no points, and a demonstration that calls a student's
infinite loop is stopped there.

The limits are enforced in the process that runs the student's code, so that code could lift them; the
isolating runner's parent therefore waits for each case only as long as the limits allow (`case_wait`) and
kills the child after that (and RLIMIT_CPU bounds the child's whole life).
"""
import contextlib
import dataclasses
import functools
import json
import math
import os
import signal
import sys
import threading
import time
import weakref

from autograder.errors import CaseError

ENV = "AUTOGRADER_CASE_LIMITS"              # path of a limits file (`Limits.save`) for kernels and nbgrader
CELL_ENV = "AUTOGRADER_CELL_SECONDS"        # nbgrader: wall-clock seconds of a cell besides its test cases
FLOOR_CPU_SECONDS = 10.0
CPU_FACTOR = 10.0
DEFAULT_CPU_SECONDS = 120.0
WALL_FACTOR = 5.0
TRIES = 2                                   # a case that hits its limit is run once more
CELL_CPU_SECONDS = 60.0                     # the isolating runner: CPU limit of one notebook cell
NBGRADER_CELL_SECONDS = 300                 # nbgrader: wall-clock limit of a cell without test cases
NBGRADER_DEMO_SECONDS = 60                  # nbgrader: wall-clock limit of a "demonstration" cell (ungraded)
REFIRE_SECONDS = 0.25                       # after a limit fired: again every 0.25 s until the code stops


def nice(seconds):
    """`seconds` rounded up to two significant digits (155.2 -> 160, 12.01 -> 13, 0.251 -> 0.26)."""
    if seconds <= 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(seconds)) - 1)
    return float(f"{math.ceil(round(seconds / step, 6)) * step:.6g}")


class LimitExceeded(BaseException):
    """Raised in the main thread when code runs past its CPU-time (kind "cpu") or wall-clock ("wall")
    limit. A BaseException, so that a student's `except Exception:` does not swallow it."""

    def __init__(self, kind, seconds, cpu_used=None):
        super().__init__(kind, seconds, cpu_used)
        self.kind, self.seconds, self.cpu_used = kind, seconds, cpu_used

    def __str__(self):
        if self.kind == "cpu":
            return f"ran past its {self.seconds:g} s CPU time limit"
        used = "" if self.cpu_used is None else f" after {self.cpu_used:.1f} s of CPU time"
        return f"ran past its {self.seconds:g} s wall-clock time limit{used}"


@dataclasses.dataclass(frozen=True)
class Limits:
    """How long each case may run. reference_cpu: {check.reference: {case name: CPU seconds the reference
    solution took}}, measured in this run; checks: {check name: {"reference", "public", "hidden"}} (case
    names), which `nbgrader_cell_timeout` needs to size a test cell."""

    floor: float = FLOOR_CPU_SECONDS
    factor: float = CPU_FACTOR
    default: float = DEFAULT_CPU_SECONDS
    wall_factor: float = WALL_FACTOR
    reference_cpu: dict = dataclasses.field(default_factory=dict)
    checks: dict = dataclasses.field(default_factory=dict)

    def cpu_for(self, reference, case_name):
        measured = self.reference_cpu.get(reference, {}).get(case_name)
        return nice(max(self.floor, self.default if measured is None else self.factor * measured))

    def cpu(self, check, case):
        """CPU seconds one try of `case` of `check` may use."""
        return self.cpu_for(check.reference, case.name)

    def wall(self, check, case):
        """Wall-clock seconds one try may take (the backstop)."""
        return nice(self.wall_factor * self.cpu(check, case))

    def case_wait(self, check, case):
        """Wall-clock seconds a grader outside the process waits for a case's answer (every try)."""
        return TRIES * self.wall(check, case)

    def cell_wait(self, check_name, hidden):
        """Wall-clock seconds the cases of `checks.run(check_name, fn, hidden=hidden)` may take (0 if the
        check is unknown here)."""
        info = self.checks.get(check_name)
        if not info:
            return 0.0
        names = info["public"] + (info["hidden"] if hidden else [])
        return sum(TRIES * nice(self.wall_factor * self.cpu_for(info["reference"], n)) for n in names)

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in fields})

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_dict(), f, indent=1, sort_keys=True)
            f.write("\n")
        return path

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls.from_dict(json.load(f))


# ------------------------------------------------------------------------------ the limits of this process

_UNSET = object()
_active = _UNSET


def active():
    """This process's Limits: set by `configure`, else read from the file named by $AUTOGRADER_CASE_LIMITS,
    else the defaults. None: no limits (`disabled`)."""
    global _active
    if _active is _UNSET:
        path = os.environ.get(ENV)
        _active = Limits()
        if path:
            try:
                _active = Limits.load(path)
            except (OSError, ValueError, TypeError) as exc:
                print(f"autograder.limits: could not read {ENV}={path} ({exc}); default limits apply",
                      file=sys.stderr)
    return _active


def configure(limits):
    """Set this process's Limits (None: no limits)."""
    global _active
    _active = limits


@contextlib.contextmanager
def disabled():
    """No case limits inside (the reference solutions while they are measured)."""
    global _active
    saved = _active
    _active = None
    try:
        yield
    finally:
        _active = saved


# ------------------------------------------------------------------------------ the timers

class _Frame:
    def __init__(self, cpu, wall):
        self.cpu, self.wall = cpu, wall
        self.cpu_start, self.wall_start = time.process_time(), time.monotonic()


_frames = []        # limits in force in the main thread, innermost last


def _on_signal(signum, frame):
    # Only the innermost limit's timers are armed; a signal raises when that limit's time is up. The kernel
    # arms and checks ITIMER_PROF on sampled CPU time, which runs a few per cent ahead of process_time()
    # (0.47 s for a 0.5 s timer, measured): a signal that comes early re-arms the timer for the rest. So
    # does one in flight while an inner limit closed, which finds an outer limit with time left.
    if not _frames:
        return
    top = _frames[-1]
    if signum == signal.SIGPROF and top.cpu:
        left = top.cpu - (time.process_time() - top.cpu_start)
        if left <= 0.005:
            raise LimitExceeded("cpu", top.cpu)
        signal.setitimer(signal.ITIMER_PROF, left, REFIRE_SECONDS)
    elif signum == signal.SIGALRM and top.wall:
        left = top.wall - (time.monotonic() - top.wall_start)
        if left <= 0.005:
            raise LimitExceeded("wall", top.wall, time.process_time() - top.cpu_start)
        signal.setitimer(signal.ITIMER_REAL, left, REFIRE_SECONDS)


def _install(signum):
    old = signal.getsignal(signum)
    signal.signal(signum, _on_signal)
    return old


def _restore(signum, old):
    # A default (terminate) or unknown handler is not put back: a signal still in flight would then end
    # the process or be reported as lost; `_on_signal` ignores signals outside a limit.
    if callable(old) or old == signal.SIG_IGN:
        signal.signal(signum, old)


def _rearm(which, old, used):
    delay, interval = old
    if delay > 0:
        signal.setitimer(which, max(delay - used, 0.001), interval)


@contextlib.contextmanager
def limited(cpu=None, wall=None):
    """Raise LimitExceeded in the body once the process has used `cpu` more seconds of CPU time (all its
    threads) or `wall` seconds have passed. Nests (an outer limit is re-armed with what it has left), and
    restores the signal handlers it replaced. Signals reach Python only in the main thread: elsewhere this
    does nothing (yields False). A computation that never returns to Python (a jitted infinite loop) is
    interrupted when it does; the grader's own wall-clock limit covers the rest."""
    if threading.current_thread() is not threading.main_thread() or not (cpu or wall):
        yield False
        return
    old_handlers = {signum: _install(signum) for signum in (signal.SIGPROF, signal.SIGALRM)}
    frame = _Frame(cpu, wall)
    _frames.append(frame)
    old_prof = signal.setitimer(signal.ITIMER_PROF, cpu or 0, REFIRE_SECONDS if cpu else 0)
    old_real = signal.setitimer(signal.ITIMER_REAL, wall or 0, REFIRE_SECONDS if wall else 0)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        _frames.remove(frame)
        _rearm(signal.ITIMER_PROF, old_prof, time.process_time() - frame.cpu_start)
        _rearm(signal.ITIMER_REAL, old_real, time.monotonic() - frame.wall_start)
        for signum, old in old_handlers.items():
            _restore(signum, old)


# ------------------------------------------------------------------------------ per case

_gave_up = weakref.WeakKeyDictionary()     # function -> {check.reference: names of the cases met since one
                                           # of them ran past its limits}


def _skip(fn, check, case):
    """True for a later case of the same grading of `fn` as a case that ran past its limits. Cases are met
    in order; meeting one again (the notebook's next test cell, a student running the test once more) starts
    a new grading, which runs every case again."""
    try:
        met = _gave_up.get(fn, {}).get(check.reference)
    except TypeError:                        # not weak-referenceable: no memory
        return False
    if met is None:
        return False
    if case.name in met:
        del _gave_up[fn][check.reference]
        return False
    met.add(case.name)
    return True


def _remember(fn, check, case):
    try:
        _gave_up.setdefault(fn, {})[check.reference] = {case.name}
    except TypeError:
        pass


def case_limits(call_case):
    """Decorator of `autograder.engine.call_case(fn, case, check, ...)`: runs the case under its limits
    (`active()`), once more if it hits one, and turns a second hit into the engine's CaseError (whose
    __cause__ is the LimitExceeded, so a grader can tell a timeout from a wrong answer)."""

    @functools.wraps(call_case)
    def limited_call_case(fn, case, check, *args, **kwargs):
        limits = active()
        if limits is None:
            return call_case(fn, case, check, *args, **kwargs)
        if _skip(fn, check, case):
            raise CaseError("not run: an earlier case ran past its time limit")
        cpu, wall = limits.cpu(check, case), limits.wall(check, case)
        error = None
        for _ in range(TRIES):
            try:
                with limited(cpu, wall):
                    return call_case(fn, case, check, *args, **kwargs)
            except LimitExceeded as exc:
                error = exc
        _remember(fn, check, case)
        raise CaseError(f"{error} (on both tries)") from error

    return limited_call_case


# ------------------------------------------------------------------------------ nbgrader

def _check_calls(source):
    """[(check name, hidden)] of the `<...>.run("name", fn[, hidden=True])` calls in a cell's source."""
    import ast

    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    calls = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            hidden = any(k.arg == "hidden" and isinstance(k.value, ast.Constant) and k.value.value is True
                         for k in node.keywords)
            calls.append((node.args[0].value, hidden))
    return calls


def nbgrader_cell_timeout(cell):
    """nbgrader's (nbclient's) `timeout_func`: a cell's wall-clock limit, in whole seconds.

    $AUTOGRADER_CELL_SECONDS (default NBGRADER_CELL_SECONDS) for every cell, plus, for a test cell, what its
    checks' cases may take at most under the kernel's limits (read from $AUTOGRADER_CASE_LIMITS; without
    that file the cases are unknown here and only the base applies); NBGRADER_DEMO_SECONDS for a cell
    tagged "demonstration" (ungraded)."""
    source = cell.get("source", "") if isinstance(cell, dict) else str(cell)
    source = "".join(source) if isinstance(source, list) else source
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    tags = (metadata or {}).get("tags") or [] if isinstance(metadata, dict) else []
    if isinstance(tags, list) and "demonstration" in tags:
        return NBGRADER_DEMO_SECONDS
    try:
        base = float(os.environ.get(CELL_ENV) or NBGRADER_CELL_SECONDS)
    except ValueError:
        base = NBGRADER_CELL_SECONDS
    limits = active() or Limits()
    extra = sum(limits.cell_wait(name, hidden) for name, hidden in _check_calls(source))
    return int(math.ceil(base + extra))

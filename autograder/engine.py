"""The one generic check engine: runs a graded function on a check's cases and compares the outputs with
the stored reference outputs.

A week registers its checks as data (`autograder/checks/<week>.py`: a dict name -> `Check`). Each `Check`
holds the points, the public cases (shown to students in the notebook's visible tests), the hidden cases
(grading only), the tolerance, and the names of earlier graded functions that the check replaces with the
reference versions while it runs, so one mistake costs points in one place only.

A function scores all of its points when every case (public and hidden) matches, and 0 otherwise; this is
what an nbgrader hidden-test cell does (it raises or it does not), so nbgrader and our runner agree.
"""
import contextlib
import dataclasses
import functools
import importlib
import traceback
import types
from typing import Any, Callable

from autograder import limits
from autograder import references as refs
from autograder import referee as referee_mod
from autograder.compare import EXACT, NotPlain, Tolerance, compare, to_plain  # noqa: F401
from autograder.errors import CaseError


@dataclasses.dataclass(frozen=True)
class Case:
    """One call of a graded function.

    make_args: () -> (args tuple, kwargs dict), built fresh for each call (seeded, deterministic).
    probe: turns the function's result into something comparable (e.g. a layer into its structure and
        outputs under seeded weights); runs on the student's result, so it must not trust it.
    """

    name: str
    make_args: Callable[[], tuple]
    probe: Callable[[Any], Any] = None
    about: str = ""


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    reference: str                  # "module:function" of the library's version
    points: int
    public: tuple
    hidden: tuple
    tolerance: Tolerance = Tolerance()
    substitutes: tuple = ()         # (name, "module:function") replaced in the function's globals
    about: str = ""

    def cases(self, hidden):
        return self.public + self.hidden if hidden else self.public


@dataclasses.dataclass
class CheckResult:
    name: str
    points: int
    score: int
    messages: list                  # one per failing case, then any notes about earlier functions
    n_cases: int
    n_failed: int = None            # failing cases (default: every message is one)

    @property
    def passed(self):
        return self.score == self.points


def resolve(path):
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


def is_student_stub(fn):
    """True for a graded function of the student edition (coursekit.student.stub): it runs the student's
    own version, so the edition's checks keep the student's earlier functions instead of substituting."""
    return bool(getattr(fn, "__course_stub__", False))


@contextlib.contextmanager
def substituted(fn, substitutes):
    """Temporarily bind earlier graded functions to their reference versions in `fn`'s globals (in the
    student edition, where the library holds stubs, the student's own earlier functions stay)."""
    namespace = getattr(fn, "__globals__", None)
    if not substitutes or not isinstance(namespace, dict):
        yield
        return
    missing = object()
    saved = {name: namespace.get(name, missing) for name, _ in substitutes}
    try:
        for name, path in substitutes:
            value = resolve(path)
            if not (is_student_stub(value) and saved[name] is not missing):
                namespace[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def student_traceback(error):
    """The lines IPython shows for a failed check (it calls an exception's `_render_traceback_` for them):
    its usual traceback without this module's frames, so the student reads the test cell's line and the
    message. (IPython honours `__tracebackhide__` in every frame but the innermost, which is the engine's
    raise.) Falls back to the message alone outside IPython or if the formatter fails."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        kept, tb = [], error.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename != __file__:
                kept.append(tb)
            tb = tb.tb_next
        trimmed = None
        for entry in reversed(kept):
            trimmed = types.TracebackType(trimmed, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
        return shell.InteractiveTB.structured_traceback(type(error), error, trimmed, tb_offset=1)
    except Exception:  # noqa: BLE001 - never lose the message over its formatting
        return [f"{type(error).__name__}: {error}"]


def _short_error(exc):
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    place = f" (line {last[0].lineno} of {last[0].name})" if last else ""
    text = str(exc).strip().splitlines()
    notes = "".join(f" {note}" for note in getattr(exc, "__notes__", ()) if isinstance(note, str))
    return f"raised {type(exc).__name__}: {text[0] if text else ''}{place}{notes}"


@limits.case_limits  # CPU-time limit per case, one retry (autograder/limits.py)
def call_case(fn, case, check, referee=None):
    """Run one case and return its plain output, or raise CaseError with a message for the student.

    referee: the week's `autograder.referee.Referee`; with it, a function that is or calls the course's
    reference implementation (see that module) fails the case with that reason, whatever it returned."""
    args, kwargs = case.make_args()
    if referee is None:
        return _run_case(fn, args, kwargs, case, check)
    used_name = referee.identity(fn)
    if used_name is not None:
        raise CaseError(referee_mod.reason(used_name))
    # The check's substitutes and the references it passes as arguments are the check's own doing.
    allowed = [name for name, _ in check.substitutes]
    allowed += [referee.identity(value) for value in list(args) + list(kwargs.values()) if callable(value)]
    error = None
    with referee.watching(check.name, allowed) as used:
        try:
            output = _run_case(fn, args, kwargs, case, check)
        except CaseError as exc:
            error = exc
    refusal = referee_mod.verdict(used, check.name)
    if refusal:
        raise CaseError(refusal)
    if error is not None:
        raise error
    return output


def _run_case(fn, args, kwargs, case, check):
    with substituted(fn, check.substitutes):
        try:
            result = fn(*args, **kwargs)
        except NotImplementedError as exc:
            detail = str(exc).strip().splitlines()
            raise CaseError(f"not implemented yet: {detail[0]}" if detail else
                            "not implemented yet (raised NotImplementedError)")
        except Exception as exc:  # the student's code: any error is feedback
            raise CaseError(_short_error(exc))
        try:
            probed = case.probe(result) if case.probe else result
        except CaseError:
            raise
        except Exception as exc:
            raise CaseError(f"its result could not be used: {_short_error(exc)}")
    try:
        return to_plain(probed)
    except NotPlain as exc:
        raise CaseError(str(exc))


class WeekChecks:
    """A week's registered checks: `WeekChecks("w1_nmt", [Check, ...])`."""

    def __init__(self, week, checks):
        self.week = week
        self.checks = {check.name: check for check in checks}
        self._expected = None
        self._referee = None

    def __getitem__(self, name):
        return self.checks[name]

    def __iter__(self):
        return iter(self.checks)

    @property
    def total_points(self):
        return sum(check.points for check in self.checks.values())

    def expected(self):
        if self._expected is None:
            self._expected = refs.load(self.week)
        return self._expected

    def referee(self):
        """The week's Referee: the reference implementations of its graded functions (imported once)."""
        if self._referee is None:
            references = {name: resolve(check.reference) for name, check in self.checks.items()}
            self._referee = referee_mod.Referee(
                {name: fn for name, fn in references.items() if not is_student_stub(fn)})
        return self._referee

    def grade(self, name, fn, hidden=True, diagnose=True):
        """Run every case of check `name` on `fn`; a CheckResult (never raises for student errors).

        In the student edition a failing check also runs the public cases of the student's earlier
        functions that it uses (its substitutes) and says which of them fail their own test."""
        if name not in self.checks:
            raise KeyError(f"{self.week} has no graded function {name!r}; known: {sorted(self.checks)}")
        check = self.checks[name]
        expected = self.expected().get(name, {})
        cases = check.cases(hidden)
        messages = []
        if not callable(fn):
            messages.append(f"{name} is not a function (got {type(fn).__name__})")
            cases = ()
        for case in cases:
            is_hidden = case in check.hidden
            label = f"hidden case {check.hidden.index(case) + 1}" if is_hidden else f"case '{case.name}'"
            if case.name not in expected:
                raise RuntimeError(f"no reference output for {name}/{case.name}: run `make references`")
            try:
                got = call_case(fn, case, check, self.referee())
                message = compare(expected[case.name], got, check.tolerance, reveal=not is_hidden)
            except CaseError as exc:
                message = str(exc)
            if message:
                messages.append(f"{name}, {label}: {message}")
        n_failed = len(messages)
        if messages and diagnose:
            messages += self._earlier_failures(check, fn)
        score = check.points if not messages else 0
        return CheckResult(name, check.points, score, messages, len(check.cases(hidden)), n_failed)

    def _earlier_failures(self, check, fn):
        namespace = getattr(fn, "__globals__", None)
        notes = []
        for earlier, path in check.substitutes:
            if earlier not in self.checks or not isinstance(namespace, dict) or earlier not in namespace:
                continue
            if not is_student_stub(resolve(path)):
                continue  # the instructors' checks substitute the reference: nothing to diagnose
            if not self.grade(earlier, namespace[earlier], hidden=False, diagnose=False).passed:
                notes.append(f"{check.name}: note: it uses your {earlier}, which fails its own test; fix that "
                             f"first")
        return notes

    def run(self, name, fn, hidden=False):
        """Notebook entry point: print feedback and raise AssertionError if any case fails. The error is a
        plain AssertionError with the same message for nbgrader, the runner and pytest; in IPython (a
        notebook) the student sees the test cell's line and the message, not the engine's source
        (`student_traceback`)."""
        __tracebackhide__ = True  # noqa: F841  (read by pytest's traceback formatter)
        result = self.grade(name, fn, hidden=hidden)
        kind = "public and hidden" if hidden else "public"
        if result.messages:
            print("\n".join(result.messages))
            error = AssertionError(f"{name}: {result.n_failed} of {result.n_cases} {kind} cases failed; "
                                   f"the first: {result.messages[0]}")
            error._render_traceback_ = functools.partial(student_traceback, error)
            raise error
        print(f"{name}: all {result.n_cases} {kind} cases passed")
        return result

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
import importlib
import traceback
from typing import Any, Callable

from autograder import references as refs
from autograder.compare import EXACT, NotPlain, Tolerance, compare, to_plain  # noqa: F401


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
    messages: list
    n_cases: int

    @property
    def passed(self):
        return self.score == self.points


def resolve(path):
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


@contextlib.contextmanager
def substituted(fn, substitutes):
    """Temporarily bind earlier graded functions to their reference versions in `fn`'s globals."""
    namespace = getattr(fn, "__globals__", None)
    if not substitutes or not isinstance(namespace, dict):
        yield
        return
    missing = object()
    saved = {name: namespace.get(name, missing) for name, _ in substitutes}
    try:
        for name, path in substitutes:
            namespace[name] = resolve(path)
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def _short_error(exc):
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    place = f" (line {last[0].lineno} of {last[0].name})" if last else ""
    text = str(exc).strip().splitlines()
    return f"raised {type(exc).__name__}: {text[0] if text else ''}{place}"


def call_case(fn, case, check):
    """Run one case and return its plain output, or raise CaseError with a message for the student."""
    args, kwargs = case.make_args()
    with substituted(fn, check.substitutes):
        try:
            result = fn(*args, **kwargs)
        except NotImplementedError:
            raise CaseError("not implemented yet (raised NotImplementedError)")
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


class CaseError(Exception):
    """A case could not produce a comparable output; the message is feedback for the student."""


class WeekChecks:
    """A week's registered checks: `WeekChecks("w1_nmt", [Check, ...])`."""

    def __init__(self, week, checks):
        self.week = week
        self.checks = {check.name: check for check in checks}
        self._expected = None

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

    def grade(self, name, fn, hidden=True):
        """Run every case of check `name` on `fn`; a CheckResult (never raises for student errors)."""
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
                got = call_case(fn, case, check)
                message = compare(expected[case.name], got, check.tolerance, reveal=not is_hidden)
            except CaseError as exc:
                message = str(exc)
            if message:
                messages.append(f"{name}, {label}: {message}")
        score = check.points if not messages else 0
        return CheckResult(name, check.points, score, messages, len(check.cases(hidden)))

    def run(self, name, fn, hidden=False):
        """Notebook entry point: print feedback and raise AssertionError if any case fails."""
        result = self.grade(name, fn, hidden=hidden)
        kind = "public and hidden" if hidden else "public"
        if result.messages:
            print("\n".join(result.messages))
            raise AssertionError(f"{name}: {len(result.messages)} of {result.n_cases} {kind} cases failed")
        print(f"{name}: all {result.n_cases} {kind} cases passed")
        return result

"""Grades are earned: notices when a graded function is, or calls, the course's reference implementation.

While one graded function X is checked (its call and the probe of its result, case by case), a trace hook
(`sys.settrace`, and `threading.settrace` for threads started meanwhile) sees every Python function that
starts running. The function scores nothing, with the reason "uses the course's reference implementation
of X", when

- X's own reference runs, however it was reached: imported, aliased, wrapped, captured before grading,
  fetched through `importlib` or `sys.modules`, rebuilt from its code object, or recompiled from the
  library's file (code objects compare by value: a reload or an `exec` of the module's source gives code
  equal to the reference's);
- the reference of another graded function Y of the week is called directly from the submission's code
  (not from the course's provided code, trax, jax or the standard library) while Y is not one of the
  earlier functions that the check itself hands X (its substitutes);
- the submitted object *is* a reference function (or wraps one, `functools.wraps`' `__wrapped__`);
- the submission turned the hook off (`sys.settrace`) while it ran.

Provided library code may call the references of graded functions (Week 3's encoder attention uses Week 2's
graded closures); that is not the submission's doing and is allowed, except for X's own reference.

What remains possible, as in any grader that runs student code in the grading process (nbgrader's hidden
cells, otter-grader): code that walks the interpreter's objects, a copy of the reference pasted or
recompiled with other line numbers, a compiled (jitted) copy traced before grading, or code run on a thread
started before grading. The isolating runner narrows this further (its child sees only the student edition
of the libraries' sources: see the README); the student edition has no reference code to copy at all.
"""
import contextlib
import inspect
import os
import sys
import threading

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: The course's own packages: provided code there may call graded references.
COURSE_PACKAGES = ("autograder", "coursekit", "w1_nmt", "w2_summarizer", "w3_qa")


def _trusted_prefixes():
    prefixes = {os.path.join(_ROOT, package) + os.sep for package in COURSE_PACKAGES}
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        prefixes.add(os.path.join(os.path.realpath(prefix), "lib") + os.sep)
        prefixes.add(os.path.join(prefix, "lib") + os.sep)
    return tuple(sorted(prefixes))


TRUSTED = _trusted_prefixes()


def reason(name):
    """The feedback for a function that used the reference implementation of `name`."""
    return f"uses the course's reference implementation of {name}"


class Referee:
    """Watches the reference implementations of one week's graded functions.

    references: {graded name: the library's function}. A reference that is not a plain Python function
    (no `__code__`) is matched by identity only.
    """

    def __init__(self, references):
        self.references = dict(references)
        self._codes = {}
        for name, function in self.references.items():
            code = getattr(inspect.unwrap(function), "__code__", None)
            if code is not None:
                self._codes[code] = name
        self._code_names = {code.co_name for code in self._codes}

    def identity(self, fn):
        """The graded name whose reference `fn` is (or wraps), else None."""
        try:
            target = inspect.unwrap(fn)
        except Exception:  # a hostile __wrapped__ chain
            target = fn
        for name, function in self.references.items():
            if fn is function or target is function or target is inspect.unwrap(function):
                return name
        code = getattr(target, "__code__", None)
        if code is not None and getattr(code, "co_name", None) in self._code_names:
            return self._codes.get(code)
        return None

    @contextlib.contextmanager
    def watching(self, graded, allowed=()):
        """Watch while `graded` is checked; yields a set that collects the names of the references used
        (plus "<monitor>" if the hook was removed). `allowed`: names of the check's substitutes."""
        used = set()
        codes, code_names, allowed = self._codes, self._code_names, set(allowed)

        def hook(frame, event, arg):
            if event == "call" and frame.f_code.co_name in code_names:
                name = codes.get(frame.f_code)
                if name is not None and (name == graded or (name not in allowed and not _trusted(frame.f_back))):
                    used.add(name)
            return None

        previous, previous_threads = sys.gettrace(), threading.gettrace()
        sys.settrace(hook)
        threading.settrace(hook)
        try:
            yield used
        finally:
            if sys.gettrace() is not hook:
                used.add("<monitor>")
            sys.settrace(previous)
            threading.settrace(previous_threads)


def _trusted(frame):
    if frame is None:
        return True
    filename = frame.f_code.co_filename
    return filename.startswith(TRUSTED)


def verdict(used, graded):
    """The feedback for the names collected by `Referee.watching`, or None if nothing was used."""
    if not used:
        return None
    if "<monitor>" in used:
        return "turned off the grader's monitor of reference code (sys.settrace) while it ran"
    name = graded if graded in used else sorted(used)[0]
    return reason(name)

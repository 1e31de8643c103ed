"""The student edition's graded functions: stubs that run the student's own code.

In the student edition (`make student`, built by tools/student_edition.py) every graded function of the
course libraries is a stub decorated with `stub(week, name, exercise)`. Calling it runs *your* version:

1. the function of that name defined in the running notebook (`__main__`), so the course's provided code
   (training a model with your `NMTAttn`, translating with your `beam_search`) uses what you wrote;
2. for a function of an earlier week (Week 2 reports ROUGE with your Week 1 `rouge_n`, Week 3's encoder
   attends with your Week 2 closures), the one in that week's notebook in this edition
   (`assignments/<week>/<week>.ipynb`): its setup, import and solution cells are run once, quietly, in a
   namespace of their own (again after you save the notebook);
3. otherwise it raises `NotWrittenYet` (a NotImplementedError) naming the notebook and the exercise.

An exception raised inside your earlier function is re-raised with a note that names it, so a failing
check of a later function says where the error comes from.
"""
import ast
import functools
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
STUB_ATTRIBUTE = "__course_stub__"
_LOADED = {}   # week -> (mtime, namespace)


class NotWrittenYet(NotImplementedError):
    """A graded function that the student has not written (or not run) yet."""


def notebook_path(week):
    return ROOT / "assignments" / week / f"{week}.ipynb"


def is_stub(fn):
    return bool(getattr(fn, STUB_ATTRIBUTE, False))


def stub(week, name, exercise):
    """Decorator of the edition's stubs: marks the function and records where the student writes it."""
    def mark(fn):
        setattr(fn, STUB_ATTRIBUTE, (week, name, exercise))
        return fn
    return mark


def _running_week():
    main = sys.modules.get("__main__")
    checks = getattr(main, "checks", None)
    return getattr(checks, "week", None)


def _from_main(name):
    main = sys.modules.get("__main__")
    fn = getattr(main, name, None)
    return fn if callable(fn) and not is_stub(fn) else None


def _code_cells(notebook):
    """The cells of a student's notebook that define things: the setup cell (the first code cell), cells
    made only of imports, and the solution cells. Magics are dropped."""
    cells = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    chosen = []
    for index, cell in enumerate(cells):
        source = "".join(cell.get("source", ""))
        source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        solution = cell.get("metadata", {}).get("nbgrader", {}).get("solution", False)
        try:
            tree = ast.parse(source)
        except SyntaxError:
            if solution:
                chosen.append(source)  # its error is the student's feedback
            continue
        imports_only = tree.body and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)
        if index == 0 or solution or imports_only:
            chosen.append(source)
    return chosen


def _earlier_week(week):
    """The namespace of `week`'s notebook in this edition (its definitions only), reloaded when saved."""
    path = notebook_path(week)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    cached = _LOADED.get(week)
    if cached and cached[0] == mtime:
        return cached[1]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    namespace = {"__name__": f"your_{week}"}
    for source in _code_cells(notebook):
        try:
            exec(compile(source, str(path), "exec"), namespace)
        except Exception:  # an unfinished cell: what it defines is missing, the rest still loads
            continue
    _LOADED[week] = (mtime, namespace)
    return namespace


def yours(week, name, exercise):
    """The student's implementation of graded function `name` of `week` (see the module docstring)."""
    fn = _from_main(name)
    if fn is None and _running_week() not in (None, week):
        namespace = _earlier_week(week)
        candidate = (namespace or {}).get(name)
        fn = candidate if callable(candidate) and not is_stub(candidate) else None
    if fn is None:
        where = f"Exercise {exercise} of assignments/{week}/{week}.ipynb"
        later = _running_week() not in (None, week)
        raise NotWrittenYet(
            f"{name} is yours to write: {where}" + (", which this notebook builds on; complete and save that "
                                                     "notebook" if later else "; run the cell that defines it")
            + " (the course's library holds no solution)")
    return _noting_errors(fn, name)


def _noting_errors(fn, name):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NotWrittenYet:
            raise
        except Exception as exc:
            note = f"(raised in your {name}, which this code calls)"
            if hasattr(exc, "add_note") and note not in getattr(exc, "__notes__", ()):
                exc.add_note(note)
            raise
    return run


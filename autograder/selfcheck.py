"""The self-check: a notebook's graded functions on the public cases only, for `pytest --grade` where the
isolating runner is not installed (the student edition) or `--self-check` asks for it. Not a grade.

`check_notebook(path, week)` runs `python -m autograder.selfcheck` on the notebook in a process of its own
(so a cell that kills its process, or one that never ends, is a result with its reason, not a crashed
pytest session) and returns a results document shaped like the runner's (autograder/runner/grade.py):
{"score", "max_score", "tests": [{"name", "score", "max_score", "output"}], "extra_data": {"status",
"reason", "notes", "cell_errors", "seconds", "mode": "self-check"}}.

That process runs the notebook's code cells top to bottom as the runner's child does (test and
demonstration cells left out: autograder/notebook.py), each under the runner's CPU-time limit per cell, in
a module that is `__main__` (the student edition's library stubs find the student's functions there:
coursekit/student.py), then calls the week's checks on the public cases (autograder.engine: the same
cases, comparison, feedback, limits per case and refusal of the course's reference code as the notebook's
own test cells). It runs the student's code in the student's own environment, with no isolation: the
student edition holds no hidden cases and no reference outputs of them, and nothing here is secret.
"""
import argparse
import builtins
import importlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import types

from autograder import limits as limits_mod
from autograder.notebook import notebook_cells, strip_magics

MODE = "self-check"
NOTICE = "self-check of the public cases only: not a grade (grading adds hidden cases)"
SECONDS = 3600          # the whole self-check of one notebook, wall clock (cells and cases have their own)


# ------------------------------------------------------------------------------------------ the caller

def check_notebook(path, week, functions=(), seconds=SECONDS):
    """The self-check's results document of the notebook at `path` for `week`; never raises for the
    notebook's faults (a malformed file, a dead or hung process: every function scores 0, with the reason)."""
    path = pathlib.Path(path).resolve()
    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    names = [name for name in checks if not functions or name in functions]
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="selfcheck-") as tmp:
        progress, log = pathlib.Path(tmp) / "progress.jsonl", pathlib.Path(tmp) / "output.log"
        command = [sys.executable, "-m", "autograder.selfcheck", str(path), "--week", week,
                   "--progress", str(progress), "--functions", ",".join(names)]
        with open(log, "wb") as output:
            try:
                proc = subprocess.run(command, cwd=str(path.parent), stdin=subprocess.DEVNULL, stdout=output,
                                      stderr=subprocess.STDOUT, timeout=seconds)
                ended = f"exited with status {proc.returncode}" if proc.returncode >= 0 else \
                    f"was killed by signal {-proc.returncode}"
            except subprocess.TimeoutExpired:
                ended = f"ran past the self-check's {seconds:g} s"
        events = _events(progress)
    done = next((e for e in reversed(events) if e.get("event") == "done"), None)
    if done is not None:
        document = done["document"]
    else:
        doing = next((_doing(e) for e in reversed(events) if e.get("event") in ("cell", "function")), "starting")
        reason = f"the notebook's process {ended} while {doing}"
        document = _document(checks, {name: [f"not checked: {reason}"] for name in names}, "failed", reason, [])
    document["extra_data"]["seconds"] = round(time.monotonic() - start, 3)
    return document


def _events(path):
    events = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return events
    for line in lines:
        try:
            events.append(json.loads(line))
        except ValueError:
            break           # the last line, cut short by the process's end
    return events


def _doing(event):
    return f"running cell {event['index']}" if event["event"] == "cell" else f"checking {event['name']}"


def _document(checks, messages, status, reason, cell_errors):
    tests = []
    for name, lines in messages.items():
        check = checks[name]
        score = 0 if lines else check.points
        output = "\n".join(lines) or f"{name}: all {len(check.public)} public cases passed"
        tests.append({"name": name, "score": score, "max_score": check.points, "output": output})
    notes = [NOTICE]
    return {"score": sum(t["score"] for t in tests), "max_score": sum(t["max_score"] for t in tests),
            "tests": tests,
            "extra_data": {"status": status, "reason": reason, "notes": notes, "cell_errors": cell_errors,
                           "mode": MODE, "seconds": 0.0, "skipped": False}}


# ------------------------------------------------------------------------------------------ the process

def _short(exc):
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300] if text else ''}"


def run(path, week, functions, emit):
    """Run the notebook's cells, then check its functions; `emit(event)` reports progress. Returns the
    results document."""
    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    try:
        cells = notebook_cells(pathlib.Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        reason = str(exc)
        return _document(checks, {name: [f"not checked: {reason}"] for name in functions}, "malformed", reason, [])
    from coursekit.trax_env import import_trax

    import_trax()
    main = types.ModuleType("__main__")
    main.__dict__.update({"__builtins__": builtins, "__file__": str(path)})
    this = sys.modules.get("__main__")  # this module when run with -m: kept alive while it runs
    sys.modules["__main__"] = main      # where the edition's stubs look for the student's functions
    cell_cpu = limits_mod.CELL_CPU_SECONDS
    cell_wall = limits_mod.nice(limits_mod.WALL_FACTOR * cell_cpu)
    errors = []
    for index, source in cells:
        emit({"event": "cell", "index": index})
        try:
            code = compile(strip_magics(source), f"<cell {index}>", "exec")
            with limits_mod.limited(cell_cpu, cell_wall):
                exec(code, main.__dict__)
        except limits_mod.LimitExceeded as exc:
            errors.append(f"cell {index}: {exc}")
        except SystemExit as exc:
            errors.append(f"cell {index}: called sys.exit({exc.code!r}) (ignored)")
        except BaseException as exc:  # the student's code: any error is a note in the feedback
            errors.append(f"cell {index}: {_short(exc)}")
    messages = {}
    for name in functions:
        emit({"event": "function", "name": name})
        fn = main.__dict__.get(name)
        if fn is None:
            messages[name] = [f"{name} is not defined in the notebook (was it renamed or deleted?)"]
        else:
            messages[name] = checks.grade(name, fn, hidden=False).messages
    sys.modules["__main__"] = this
    return _document(checks, messages, "self-checked", "", errors)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--week", required=True)
    parser.add_argument("--progress", required=True, help="JSON lines: each cell and function, then the result")
    parser.add_argument("--functions", required=True, help="comma-separated graded functions to check")
    args = parser.parse_args(argv)
    progress = open(args.progress, "a", encoding="utf-8")

    def emit(event):
        progress.write(json.dumps(event) + "\n")
        progress.flush()

    sys.stdin = open(os.devnull)
    document = run(args.notebook, args.week, [f for f in args.functions.split(",") if f], emit)
    emit({"event": "done", "document": document})
    progress.close()
    os._exit(0)         # the notebook's threads and atexit handlers do not hold the result back


if __name__ == "__main__":
    main()

"""The trusted parent of the isolating autograder: grading one submission, and many.

For each submission: hash the file, parse the notebook here (malformed -> a recorded result), copy it into a
scratch folder, start a child (forked from the warm zygote, or cold: autograder/runner/spawner.py), wait for
its cells to run, then send every case of every check as {"function", "case"} and compare each answer with
the reference output. The child never receives expected outputs; answers are decoded by
autograder.runner.protocol (no pickles). A function scores its points only when all its cases match (as
nbgrader's grade cells do). Time limits are CPU time, derived from the reference solutions' own CPU time in
this run (autograder/limits.py); the parent only backs them up with wall-clock waits.

Per submission <out>/<id>/results.json (Gradescope schema + "extra_data") and feedback.html; <out>/grades.csv
is rebuilt from all results at the end (autograder/runner/report.py). A submission whose results.json
carries the same input hash and settings is skipped (resume, idempotent reruns). Grading on a Dask cluster
is autograder/runner/remote.py (`ClusterGrader`, the same Grader with each submission sent to a worker).

The runner's API is importable from here: `Grader`, `Options`, `Spawner`, `find_submissions`, `Submission`,
`write_grades_csv`, `feedback_html`, `sha256`.
"""
import concurrent.futures
import dataclasses
import hashlib
import importlib
import json
import os
import pathlib
import shutil
import tempfile
import threading
import time

from autograder import limits as limits_mod
from autograder import references as refs
from autograder.compare import compare
from autograder.notebook import notebook_cells
from autograder.runner import protocol
from autograder.runner.report import feedback_html, write_grades_csv
from autograder.runner.spawner import GRACE_SECONDS, REPO, STARTUP_SECONDS, ChildGone, ChildProcess, Spawner
from autograder.submissions import Submission, find_submissions
from coursekit.files import sha256, write_json

__all__ = ["Grader", "Options", "Spawner", "Submission", "find_submissions", "write_grades_csv", "feedback_html",
           "sha256", "REPO", "RUNNER_VERSION", "INSTRUCTORS_ONLY"]

RUNNER_VERSION = 2              # 2: CPU-time limits per case (results of version 1 are graded again)
# Folders of the checkout that hold solutions or other students' work: a child never sees them (with the
# reference outputs and the results; the libraries' graded functions it sees as stubs, `sources` below).
INSTRUCTORS_ONLY = ("source", "autograder/samples", ".git", "dist", "demo_course", "submitted", "autograded",
                    "feedback", "release", "tests")
MAX_RESTARTS = 2            # fresh children after a graded function crashed or hung its child


@dataclasses.dataclass
class Options:
    timeout: float = limits_mod.FLOOR_CPU_SECONDS   # per case: the smallest CPU-time limit (s)
    time_factor: float = limits_mod.CPU_FACTOR      # per case: this many times the reference's CPU time
    cell_timeout: float = None      # per notebook cell: CPU-time limit (default limits.CELL_CPU_SECONDS)
    memory_mb: int = 3000
    cpu_seconds: int = 900
    stdout_chars: int = 200_000
    file_bytes: int = 64 * 2**20
    jobs: int = 1
    zygote: bool = True
    functions: tuple = ()           # grade only these (default: all of the week's checks)
    max_restarts: int = MAX_RESTARTS


class Grader:
    """Grades one week's submissions on this machine, each in its own isolated child (`options.jobs` at
    once), and writes their results (see the module doc)."""

    def __init__(self, week, out_dir, options=None, hide=(), spawner=None):
        self.week, self.options = week, options or Options()
        self.out_dir = pathlib.Path(out_dir)
        self.checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
        self.expected = refs.load(week)
        names = list(self.options.functions) or list(self.checks)
        unknown = [n for n in names if n not in self.checks.checks]
        if unknown:
            raise KeyError(f"{week} has no graded function(s) {unknown}")
        self.functions = [n for n in self.checks if n in names]
        self._interrupted = threading.Event()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.hide = [str(refs.REFERENCE_DIR), str(self.out_dir.resolve()),
                     *(str(REPO / folder) for folder in INSTRUCTORS_ONLY), *map(str, hide)]
        # A caller may share one warm zygote between graders (it then closes it itself).
        self._own_spawner = spawner is None
        self.spawner = spawner or Spawner(week, zygote=self.options.zygote, functions=self.options.functions)
        self._limits = None
        self.settings_key = hashlib.sha256(json.dumps(
            [RUNNER_VERSION, week, self.functions, refs.paths(week)[0].read_text(encoding="utf-8")]
        ).encode()).hexdigest()[:16]

    # -------------------------------------------------------------------------------------- one child
    def limits(self):
        """The cases' time limits (autograder/limits.py): the options' floor and factor over the reference
        solutions' CPU times measured by the spawner in this run (the defaults where not measured)."""
        if self._limits is None:
            self.spawner.prepare()
            self._limits = limits_mod.Limits(floor=self.options.timeout, factor=self.options.time_factor,
                                             reference_cpu=self.spawner.reference_cpu or {})
        return self._limits

    def cell_limits(self):
        """(CPU seconds, wall-clock seconds) of one notebook cell."""
        cpu = self.options.cell_timeout or limits_mod.CELL_CPU_SECONDS
        return cpu, limits_mod.nice(limits_mod.WALL_FACTOR * cpu)

    def _job(self, sub, workdir, cells):
        scratch = workdir / "work"
        if not scratch.exists():
            scratch.mkdir()
            if sub.folder_copy:
                shutil.copytree(sub.path.parent, scratch, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            else:
                shutil.copy2(sub.path, scratch / sub.path.name)
        n = len(list(workdir.glob("status*")))
        cache_dir, _ = self.spawner.prepare()
        job = {"readonly": [cache_dir] if cache_dir else [], "week": self.week, "scratch": str(scratch), "cells": cells,
               "log": str(workdir / "output.log"), "status_file": str(workdir / f"status{n}"),
               "job_file": str(workdir / "job.json"),
               "hide": [p for p in self.hide if not str(scratch).startswith(p + os.sep)],
               "sources": self.spawner.sources,
               "limits": self.limits().to_dict(), "cell_limits": list(self.cell_limits()),
               "cpu_seconds": self.options.cpu_seconds, "memory_mb": self.options.memory_mb,
               "file_bytes": self.options.file_bytes, "stdout_chars": self.options.stdout_chars}
        (workdir / "job.json").write_text(json.dumps(job))
        return job

    def _start(self, sub, workdir, cells, timing):
        start = time.monotonic()
        child = ChildProcess(self.spawner, self._job(sub, workdir, cells), self.options)
        try:
            started = child.read(STARTUP_SECONDS, "starting")
            timing["start"] += time.monotonic() - start
            start = time.monotonic()
            notes = started.get("notes", []) if isinstance(started, dict) else []
            doing = "starting"
            while True:
                message = child.read(self.cell_limits()[1] + GRACE_SECONDS, doing)
                if message.get("event") == "cell":
                    doing = f"running cell {message.get('index')}"
                elif message.get("event") == "ready":
                    timing["execute"] += time.monotonic() - start
                    errors = [f"cell {i}: {e}" for i, e in message.get("errors", [])
                              if isinstance(i, int) and isinstance(e, str)]
                    return child, [str(n) for n in notes if isinstance(n, str)], errors
        except ChildGone:
            child.close()
            raise

    def _run(self, sub, cells, timing):
        """{function: [messages]} for each graded function, plus notes and cell errors."""
        messages, notes, cell_errors = {}, [], []
        pending = list(self.functions)
        restarts = 0
        with tempfile.TemporaryDirectory(prefix="autograde-", ignore_cleanup_errors=True) as tmp:
            workdir = pathlib.Path(tmp)
            workdir.chmod(0o711)        # the child may run as nobody: it must reach work/ (not list this)
            while pending:
                try:
                    child, notes, cell_errors = self._start(sub, workdir, cells, timing)
                except ChildGone as exc:
                    for name in pending:
                        messages[name] = [f"not graded: the notebook could not run ({exc})"]
                    break
                start = time.monotonic()
                try:
                    while pending:
                        name = pending.pop(0)
                        try:
                            messages[name] = self._grade_function(child, name)
                        except _Stop as stop:  # the child died or hung: a fresh one grades the rest
                            messages[name] = stop.messages
                            break
                finally:
                    child.close()
                    timing["check"] += time.monotonic() - start
                if pending:
                    restarts += 1
                    if restarts > self.options.max_restarts:
                        for name in pending:
                            messages[name] = ["not graded: the notebook's process crashed or hung too often"]
                        break
        return messages, notes, cell_errors

    def _grade_function(self, child, name):
        check = self.checks[name]
        expected = self.expected.get(name, {})
        out = []
        for case in check.public + check.hidden:
            hidden = case in check.hidden
            label = f"hidden case {check.hidden.index(case) + 1}" if hidden else f"case '{case.name}'"
            try:
                answer = child.request(name, case.name, self.limits().case_wait(check, case))
            except ChildGone as exc:
                out.append(f"{name}, {label}: {exc}")
                raise _Stop(out)
            if "ok" in answer:
                try:
                    got = protocol.decode(answer["ok"])
                    message = compare(expected[case.name], got, check.tolerance, reveal=not hidden)
                except protocol.ProtocolError as exc:
                    message = f"its answer could not be read ({exc})"
                except Exception as exc:  # defensive: a comparison never takes the run down
                    message = f"its output could not be compared ({type(exc).__name__})"
            else:
                message = str(answer.get("error", "no answer"))[:500]
                if answer.get("missing"):
                    out.append(f"{message} (was it renamed or deleted?)")
                    return out
            if message:
                out.append(f"{name}, {label}: {message}")
            if answer.get("timeout") or "MemoryError" in str(answer.get("error", "")):
                return out              # its other cases would cost as much again
        return out

    # -------------------------------------------------------------------------------------- one submission
    def grade(self, sub):
        """Grade one submission (or reuse its result); returns the results document. Never raises.

        Hashing, resuming and writing are done here, the grading itself by `_grade_bytes` (on a Dask worker
        in autograder.runner.remote.ClusterGrader)."""
        out = self.out_dir / sub.id
        results_path = out / "results.json"
        try:
            data = sub.path.read_bytes()
        except OSError as exc:
            data, before = None, f"unreadable: {exc}"
        else:
            before = hashlib.sha256(data).hexdigest()
        if results_path.exists():
            try:
                previous = json.loads(results_path.read_text(encoding="utf-8"))
                extra = previous["extra_data"]
                if extra["input_sha256"] == before and extra["settings"] == self.settings_key:
                    previous["extra_data"]["skipped"] = True
                    return previous
            except (OSError, ValueError, KeyError, TypeError):
                pass
        document = self._grade_bytes(sub, data, before)
        if not self._interrupted.is_set():  # an interrupted submission is graded again on the next run
            self._write(out, document)
        return document

    def _grade_bytes(self, sub, data, before):
        """The results document of `sub`, graded here: `data` is the file's bytes and `before` their SHA-256
        (data None: the file was unreadable, and `before` says why)."""
        start = time.monotonic()
        timing = {"start": 0.0, "execute": 0.0, "check": 0.0}
        status, reason, notes, cell_errors = "graded", "", [], []
        try:
            if data is None:
                raise ValueError(before)
            cells = notebook_cells(data)
        except ValueError as exc:
            status, reason = "malformed", str(exc)
            messages = {name: [f"not graded: {reason}"] for name in self.functions}
        else:
            try:
                messages, notes, cell_errors = self._run(sub, cells, timing)
            except Exception as exc:  # the runner's own failure: recorded, never lost
                status, reason = "error", f"grader error: {type(exc).__name__}: {exc}"
                messages = {name: [f"not graded: {reason}"] for name in self.functions}
            if all(m and m[0].startswith("not graded") for m in messages.values()):
                status, reason = "failed", messages[self.functions[0]][0][len("not graded: "):]
        try:
            after = sha256(sub.path)
        except OSError as exc:
            after = f"unreadable: {exc}"
        if after != before:
            notes.append("WARNING: the submitted file changed during grading")
        return self._document(sub, messages, status, reason, notes, cell_errors, before, after,
                              time.monotonic() - start, timing)

    def _document(self, sub, messages, status, reason, notes, cell_errors, before, after, seconds, timing):
        tests, score, max_score = [], 0, 0
        for name in self.functions:
            check = self.checks[name]
            got = check.points if not messages.get(name) else 0
            score += got
            max_score += check.points
            text = "\n".join(messages.get(name) or [f"{name}: all {len(check.public + check.hidden)} cases passed"])
            tests.append({"name": name, "score": got, "max_score": check.points, "output": text,
                          "visibility": "visible"})
        # "output" is the student's (Gradescope shows it, feedback.html prints it): the status and the cells'
        # errors. The notes say how the grader ran (isolation that was unavailable, who the child ran as): they
        # are the instructor's, in extra_data (results.json) and in `autograde`'s summary, never in feedback.
        lines = [f"Status: {status}" + (f" ({reason})" if reason else "")]
        lines += [f"Cell error: {e}" for e in cell_errors]
        return {"score": score, "max_score": max_score, "output": "\n".join(lines), "visibility": "visible",
                "stdout_visibility": "hidden", "tests": tests,
                "extra_data": {"submission": sub.id, "path": str(sub.path), "status": status, "reason": reason,
                               "notes": notes, "cell_errors": cell_errors, "input_sha256": before,
                               "input_sha256_after": after, "settings": self.settings_key,
                               "seconds": round(seconds, 3), "timing": {k: round(v, 3) for k, v in timing.items()},
                               "skipped": False}}

    def _write(self, out, document):
        out.mkdir(parents=True, exist_ok=True)
        (out / "feedback.html").write_text(feedback_html(document), encoding="utf-8")
        write_json(out / "results.json", document)  # written last: its presence marks the submission done

    def interrupt(self):
        """The run is being interrupted: write no result of the submissions in progress (they are graded
        again on the next run) and leave no child running."""
        self._interrupted.set()
        ChildProcess.kill_all()

    # -------------------------------------------------------------------------------------- many
    def _concurrency(self):
        """How many submissions are graded at once: `options.jobs`."""
        return self.options.jobs

    def _cancel_in_flight(self):
        """Called when `grade_all` is interrupted, after `interrupt`: nothing more to stop here."""

    def grade_all(self, submissions, progress=None):
        """Grade every submission, `_concurrency()` at once; returns the documents in the order given."""
        results = {}
        pool = concurrent.futures.ThreadPoolExecutor(max(1, self._concurrency()))
        futures = {}
        try:
            futures = {pool.submit(self.grade, sub): sub for sub in submissions}
            for future in concurrent.futures.as_completed(futures):
                results[futures[future].id] = future.result()
                if progress:
                    progress(futures[future], results[futures[future].id])
        except BaseException:  # interrupted: no child outlives the run; finished results stay on disk
            self.interrupt()
            for future in futures:
                future.cancel()
            self._cancel_in_flight()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            if self._own_spawner:
                self.spawner.close()
        write_grades_csv(self.out_dir, self.functions)
        return [results[sub.id] for sub in submissions]


class _Stop(Exception):
    """The child is gone in the middle of a function: its messages so far."""

    def __init__(self, messages):
        super().__init__()
        self.messages = messages


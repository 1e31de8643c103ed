"""The trusted parent of the isolating autograder.

For each submission: hash the file, parse the notebook here (malformed -> a recorded result), copy it into a
scratch folder, start a child (forked from the warm zygote, or cold), wait for its cells to run, then send
every case of every check as {"function", "case"} and compare each answer with the reference output. The
child never receives expected outputs; answers are decoded by autograder.runner.protocol (no pickles).
A function scores its points only when all its cases match (as nbgrader's grade cells do). Time limits are
CPU time, derived from the reference solutions' own CPU time in this run (autograder/limits.py); the parent
only backs them up with wall-clock waits.

Per submission <out>/<id>/results.json (Gradescope schema + "extra_data") and feedback.html; <out>/grades.csv
is rebuilt from all results at the end. A submission whose results.json carries the same input hash and
settings is skipped (resume, idempotent reruns).
"""
import concurrent.futures
import csv
import dataclasses
import hashlib
import html
import importlib
import json
import os
import pathlib
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from autograder import limits as limits_mod
from autograder import references as refs
from autograder import stubs
from autograder.compare import compare
from autograder.notebook import notebook_cells
from autograder.runner import protocol
from autograder.runner.child import child_env
from autograder.submissions import Submission, find_submissions  # noqa: F401 (part of the runner's API)

RUNNER_VERSION = 2              # 2: CPU-time limits per case (results of version 1 are graded again)
REPO = pathlib.Path(__file__).resolve().parents[2]
# Folders of the checkout that hold solutions or other students' work: a child never sees them (with the
# reference outputs and the results; the libraries' graded functions it sees as stubs, `sources` below).
INSTRUCTORS_ONLY = ("source", "autograder/samples", ".git", "dist", "demo_course", "submitted", "autograded",
                    "feedback", "release", "tests")
STARTUP_SECONDS = 120       # cold start (imports trax) or a fork, until the child says "started"
GRACE_SECONDS = 10          # on top of the child's own limits before the parent kills the group
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


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------ children

class ChildGone(Exception):
    """The child died, hung or broke the protocol; the message is the reason."""


class Spawner:
    """Starts children: forked from one warm zygote (default) or cold `python -m autograder.runner.child`.

    With compile_cache (default), the first spawn first fills a JAX persistent compilation cache in a fresh
    folder by running the week's checks (or `functions`) on the reference solutions
    (autograder.runner.warm_cache, trusted code); children read it through a read-only mount, so correct
    code is not compiled again per child. The same run measures each case's CPU time on the reference
    (`reference_cpu`), from which the graders derive the cases' CPU-time limits (autograder/limits.py);
    without it (no cache, or it failed) the default limits apply."""

    def __init__(self, week, zygote=True, compile_cache=True, functions=()):
        self.week, self.zygote, self.compile_cache = week, zygote, compile_cache
        self.functions = tuple(functions)
        self.reference_cpu = None       # {check.reference: {case: CPU seconds}} once measured
        self._lock = threading.Lock()
        self._proc = self._sock = None
        self.zygote_seconds = self.warm_seconds = 0.0
        self.cache_dir = None
        self.cache_note = None
        self.sources_dir, self.sources = None, []
        self._prepared = False

    def _prepare(self):
        """Write the stubbed library sources that children see instead of the reference implementations
        (autograder/stubs.py), and fill the compilation cache once (under the lock); a failure of the cache
        only costs speed, and is noted."""
        self._prepared = True
        self.sources_dir = tempfile.mkdtemp(prefix="autograde-sources-")
        os.chmod(self.sources_dir, 0o755)
        self.sources = stubs.write_stubbed_sources(self.sources_dir)
        if not self.compile_cache:
            return
        start = time.monotonic()
        folder = tempfile.mkdtemp(prefix="autograde-jax-cache-")
        env = self.env()
        env["JAX_COMPILATION_CACHE_DIR"] = folder
        times_fd, times_path = tempfile.mkstemp(prefix="autograde-reference-cpu-", suffix=".json")
        os.close(times_fd)
        command = [sys.executable, "-m", "autograder.runner.warm_cache", "--week", self.week, "--times", times_path]
        if self.functions:
            command += ["--functions", ",".join(self.functions)]
        try:
            result = subprocess.run(command, env=env, cwd=str(REPO), stdin=subprocess.DEVNULL, capture_output=True,
                                    text=True, timeout=900)
            if result.returncode != 0:
                raise RuntimeError(result.stderr.strip().splitlines()[-1:] or ["no message"])
            with open(times_path, encoding="utf-8") as f:
                self.reference_cpu = json.load(f)
        except (OSError, ValueError, RuntimeError, subprocess.TimeoutExpired) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            self.cache_note = f"compilation cache and measured time limits unavailable ({exc})"
            return
        finally:
            os.unlink(times_path)
        for root, dirs, files in os.walk(folder):  # readable by nobody; written by no child (read-only mount)
            os.chmod(root, 0o755)
            for name in files:
                os.chmod(os.path.join(root, name), 0o644)
        self.cache_dir = folder
        self.warm_seconds = time.monotonic() - start

    def env(self):
        """The children's environment: the grader's, stripped to what a notebook needs (the grader's may
        hold secrets, and a forked child can read the environment its zygote started with)."""
        env = child_env(os.environ)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
        env.setdefault("JAX_PLATFORMS", "cpu")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("JAX_COMPILATION_CACHE_DIR", None)
        if self.cache_dir:
            env["JAX_COMPILATION_CACHE_DIR"] = self.cache_dir
        return env

    def _start_zygote(self):
        start = time.monotonic()
        parent_sock, child_sock = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "autograder.runner.zygote", "--sock", str(child_sock.fileno()),
             "--week", self.week], pass_fds=(child_sock.fileno(),), env=self.env(), cwd=str(REPO),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        child_sock.close()
        self._sock = parent_sock
        self._sock.settimeout(STARTUP_SECONDS)
        message = self._sock.recv(1 << 16)
        if not message:
            raise RuntimeError("the grading zygote failed to start (could not import trax?)")
        self.zygote_seconds = time.monotonic() - start

    def prepare(self):
        """Everything before the first child: the compilation cache. Returns (cache folder or None, note)."""
        with self._lock:
            if not self._prepared:
                self._prepare()
        return self.cache_dir, self.cache_note

    def zygote_pid(self):
        """The warm zygote's pid, started now if needed (children are forked from it and inherit its CPU
        affinity); None without a zygote."""
        if not self.zygote:
            return None
        self.prepare()
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start_zygote()
            return self._proc.pid

    def spawn(self, job, req_r, resp_w):
        if not self.zygote:
            proc = subprocess.Popen(
                [sys.executable, "-m", "autograder.runner.child", "--job", job["job_file"],
                 "--req-fd", str(req_r), "--resp-fd", str(resp_w)], pass_fds=(req_r, resp_w),
                env=self.env(), cwd=job["scratch"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
            return proc.pid, proc
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start_zygote()
            socket.send_fds(self._sock, [json.dumps(job).encode()], [req_r, resp_w])
            reply = json.loads(self._sock.recv(1 << 16))
        return reply["pid"], None

    def close(self):
        if self._sock is not None:
            self._sock.close()
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
        if self.cache_dir:
            shutil.rmtree(self.cache_dir, ignore_errors=True)
            self.cache_dir = None
        if self.sources_dir:
            shutil.rmtree(self.sources_dir, ignore_errors=True)
            self.sources_dir, self.sources = None, []


def _session_rss_kb(sid):
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[4]) != sid:          # field 6 of stat: session id
                continue
            total += int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)  # field 24: rss pages
        except (OSError, IndexError, ValueError):
            continue
    return total


def _describe_status(status):
    if status is None:
        return "ended"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        extra = " (CPU time limit)" if sig == signal.SIGXCPU else ""
        return f"was killed by signal {name}{extra}"
    return f"exited with status {os.WEXITSTATUS(status)}"


class Child:
    """One running child: request/answer over its own pipes, wall-time and memory enforced from here."""

    live = set()            # children not closed yet: killed if the grader itself is interrupted

    @classmethod
    def kill_all(cls):
        for child in list(cls.live):
            child.kill()

    def __init__(self, spawner, job, options):
        self.options, self.job = options, job
        req_r, self._req_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        try:
            self.pid, self._proc = spawner.spawn(job, req_r, resp_w)
        finally:
            os.close(req_r)
            os.close(resp_w)
        Child.live.add(self)
        self._buffer = b""
        self.killed_for = None
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._watch_memory, daemon=True)
        self._watch.start()

    def _watch_memory(self):
        limit_kb = self.options.memory_mb * 1024
        while not self._stop.wait(0.25):
            if _session_rss_kb(self.pid) > limit_kb:
                self.kill(f"used more than the memory limit of {self.options.memory_mb} MB")
                return

    def kill(self, reason=None):
        if reason and not self.killed_for:
            self.killed_for = reason
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def status(self, wait=3.0):
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self._proc is not None:
                code = self._proc.poll()
                if code is not None:
                    return (-code) if code < 0 else (code << 8)
            else:
                try:
                    with open(self.job["status_file"]) as f:
                        return json.load(f)["status"]
                except (OSError, ValueError):
                    pass
            time.sleep(0.05)
        return None

    def read(self, seconds, doing):
        """The next message, or ChildGone with the reason."""
        deadline = time.monotonic() + seconds
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill(f"ran past the time limit while {doing}")
                raise ChildGone(self.killed_for)
            ready, _, _ = select.select([self._resp_r], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(self._resp_r, 1 << 20)
            if not chunk:
                status = self.status()  # let it end by itself first: its exit status is the reason
                self.kill()
                reason = self.killed_for or f"the notebook's process {_describe_status(status)}"
                raise ChildGone(f"{reason} while {doing}")
            self._buffer += chunk
            if len(self._buffer) > protocol.MAX_LINE:
                self.kill("sent an answer larger than the limit")
                raise ChildGone(self.killed_for)
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = protocol.loads(line.decode("utf-8"))
            if not isinstance(message, dict):
                raise protocol.ProtocolError("not an object")
            return message
        except (UnicodeDecodeError, protocol.ProtocolError) as exc:
            self.kill(f"broke the answer protocol ({exc})")
            raise ChildGone(self.killed_for) from None

    def request(self, function, case, seconds):
        """Ask for one case; wait `seconds` (the case's limits allow for less) before killing the child."""
        try:
            os.write(self._req_w, protocol.dumps({"function": function, "case": case}).encode())
        except OSError:
            pass  # the read below reports why
        return self.read(seconds + GRACE_SECONDS, f"running {function}")

    def close(self):
        self._stop.set()
        for fd in (self._req_w, self._resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self.kill()
        Child.live.discard(self)
        if self._proc is not None:
            self._proc.wait()
        else:
            self.status()       # the zygote writes the status file when it reaps the child: let it finish


# ------------------------------------------------------------------------------------------ grading

class Grader:
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
        self._futures = set()          # Dask futures in flight (cancelled if the run is interrupted)
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
        child = Child(self.spawner, self._job(sub, workdir, cells), self.options)
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
    def grade(self, sub, client=None):
        """Grade one submission (or reuse its result); returns the results document. Never raises.

        With a distributed.Client, the grading itself runs on a Dask worker (autograder.runner.remote);
        hashing, resuming and writing stay here."""
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
        if client is not None and data is not None:
            document = self._grade_on_cluster(client, sub, before)
            if not self._interrupted.is_set():
                self._write(out, document)
            return document
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
        document = self._document(sub, messages, status, reason, notes, cell_errors, before, after,
                                  time.monotonic() - start, timing)
        if not self._interrupted.is_set():  # an interrupted submission is graded again on the next run
            self._write(out, document)
        return document

    def _grade_on_cluster(self, client, sub, before):
        """The results document of `sub` graded by a Dask worker, checked before it is trusted."""
        from autograder.runner import remote

        start = time.monotonic()
        try:
            packed = remote.pack(sub)
            if hashlib.sha256(packed["files"][sub.path.name]).hexdigest() != before:
                raise ValueError("the submitted file changed while it was being read")
            future = client.submit(remote.grade_packed, self.week, remote.options_for_workers(self.options),
                                   packed, pure=False, key=f"autograde-{self.week}-{sub.id}-{os.urandom(6).hex()}")
            self._futures.add(future)
            try:
                document = future.result()
            finally:
                self._futures.discard(future)
            extra = document["extra_data"]
            if extra.get("settings") != self.settings_key:
                raise ValueError(f"worker {extra.get('worker')} grades with other checks or reference outputs "
                                 "(is it running the same checkout?)")
            if extra.get("input_sha256") != before:
                raise ValueError(f"worker {extra.get('worker')} graded other bytes than were submitted")
        except Exception as exc:  # a failed worker or task is recorded, never lost; the run goes on
            if self._interrupted.is_set():
                raise
            reason = f"grader error on the Dask cluster: {type(exc).__name__}: {str(exc)[:300]}"
            messages = {name: [f"not graded: {reason}"] for name in self.functions}
            return self._document(sub, messages, "error", reason, [], [], before, before,
                                  time.monotonic() - start, {"start": 0.0, "execute": 0.0, "check": 0.0})
        extra["path"] = str(sub.path)
        try:
            extra["input_sha256_after"] = sha256(sub.path)
        except OSError as exc:
            extra["input_sha256_after"] = f"unreadable: {exc}"
        if extra["input_sha256_after"] != before:
            extra["notes"].append("WARNING: the submitted file changed during grading")
        return document

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
        lines = [f"Status: {status}" + (f" ({reason})" if reason else "")]
        lines += [f"Note: {n}" for n in notes] + [f"Cell error: {e}" for e in cell_errors]
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
        tmp = out / "results.json.tmp"
        tmp.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, out / "results.json")  # written last: its presence marks the submission done

    def interrupt(self):
        """The run is being interrupted: write no result of the submissions in progress (they are graded
        again on the next run) and leave no child running."""
        self._interrupted.set()
        Child.kill_all()

    # -------------------------------------------------------------------------------------- many
    def grade_all(self, submissions, progress=None, client=None):
        """Grade every submission, `options.jobs` at once here, or on the Dask cluster of `client` (as
        many at once as its workers have threads); returns the documents in the order given."""
        results = {}
        workers = self.options.jobs
        if client is not None:
            workers = min(256, 2 * max(1, sum(client.nthreads().values())))
        pool = concurrent.futures.ThreadPoolExecutor(max(1, workers))
        futures = {}
        try:
            futures = {pool.submit(self.grade, sub, client): sub for sub in submissions}
            for future in concurrent.futures.as_completed(futures):
                results[futures[future].id] = future.result()
                if progress:
                    progress(futures[future], results[futures[future].id])
        except BaseException:  # interrupted: no child outlives the run; finished results stay on disk
            self.interrupt()
            for future in futures:
                future.cancel()
            if client is not None and self._futures:
                client.cancel(list(self._futures))
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


def write_grades_csv(out_dir, functions):
    out_dir = pathlib.Path(out_dir)
    rows = []
    for path in sorted(out_dir.glob("*/results.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        extra = document.get("extra_data", {})
        scores = {t["name"]: t["score"] for t in document.get("tests", [])}
        rows.append([extra.get("submission", path.parent.name), extra.get("status", ""), document["score"],
                     document["max_score"], *[scores.get(f, "") for f in functions], extra.get("reason", "")])
    tmp = out_dir / "grades.csv.tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", "status", "score", "max_score", *functions, "reason"])
        writer.writerows(rows)
    os.replace(tmp, out_dir / "grades.csv")


def feedback_html(document):
    e = html.escape
    extra = document.get("extra_data", {})
    rows = "".join(
        f"<tr><td>{e(t['name'])}</td><td>{t['score']} / {t['max_score']}</td><td><pre>{e(t['output'])}</pre></td></tr>"
        for t in document["tests"])
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Feedback: {e(str(extra.get('submission')))}"
            f"</title></head><body><h1>Feedback for {e(str(extra.get('submission')))}</h1>"
            f"<p>Score: {document['score']} / {document['max_score']}</p><pre>{e(document['output'])}</pre>"
            f"<table border='1'><tr><th>Function</th><th>Score</th><th>Feedback</th></tr>{rows}</table>"
            f"</body></html>\n")

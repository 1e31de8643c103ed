"""The runner's process management, on the trusted side: starting children and talking to one.

`Spawner` starts the children of one week: forked from a warm zygote (autograder/runner/zygote.py, trax
already imported) or cold `python -m autograder.runner.child`, after writing the stubbed library sources
they see and filling the JAX compilation cache once. `ChildProcess` is the parent's handle on one running
child: requests and answers over its own pipes (autograder.runner.protocol), with the wall-clock waits and
the memory limit enforced from here. The child's own side (isolation, limits, running the cells, answering)
is autograder/runner/child.py; what is asked and how answers are scored is autograder/runner/grade.py.
"""
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

from autograder import stubs
from autograder.runner import protocol
from autograder.runner.child import child_env

REPO = pathlib.Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120       # cold start (imports trax) or a fork, until the child says "started"
GRACE_SECONDS = 10          # on top of the child's own limits before the parent kills the group


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


class ChildProcess:
    """The parent's handle on one running child (autograder/runner/child.py is the child's own side):
    request/answer over its own pipes, wall-time and memory enforced from here."""

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
        ChildProcess.live.add(self)
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
        ChildProcess.live.discard(self)
        if self._proc is not None:
            self._proc.wait()
        else:
            self.status()       # the zygote writes the status file when it reaps the child: let it finish


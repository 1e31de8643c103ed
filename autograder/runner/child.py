"""The untrusted side: runs one submission's code and answers the parent's requests.

Started either by forking the warm zygote (autograder/runner/zygote.py, trax already imported) or cold as
`python -m autograder.runner.child --job JOB.json --req-fd R --resp-fd W`. In both cases `serve` does:

1. isolation (best effort, each outcome reported to the parent): a new network namespace (no network), a
   private mount namespace in which the compilation cache is read-only and tmpfs hides the reference
   outputs, the submissions folder and the results folder; a new PID namespace with its own /proc;
   a stripped environment; resource limits (CPU seconds, RLIMIT_DATA for memory, file size, no cores);
2. stdout/stderr go to a capped log file (never to the parent's channel);
3. `import_trax()` before any student code, then the job's code cells (the parent already dropped test and
   demonstration cells), each under a CPU-time limit with a wall-clock backstop (autograder.limits: a
   BaseException is raised in the cell's code);
4. a request loop on its own pipe: {"function", "case"} -> {"ok": value} | {"error": message}, values
   encoded by autograder.runner.protocol (JSON + .npy, no pickles). It never receives expected outputs.
"""
import argparse
import ctypes
import importlib
import io
import json
import os
import resource
import signal
import sys
import traceback

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND = 0x1, 0x2, 0x4, 0x8, 0x20, 0x1000
MS_REC, MS_PRIVATE = 0x4000, 0x40000
XCPU_EXIT = 152                 # pid 1 of a namespace ignores SIGXCPU: its handler exits with this code

# The only environment variables the student's code sees (the grader's own may hold secrets).
ENV_KEEP = ("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONPATH", "PYTHONHASHSEED",
            "PYTHONDONTWRITEBYTECODE", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
ENV_KEEP_PREFIXES = ("LC_", "JAX_", "XLA_", "TF_", "W1_NMT_", "W2_", "W3_")


class Timeout(BaseException):
    """Raised by a SIGALRM outside the time limits (the student's own `signal.alarm`), instead of ending the
    process; the limits themselves raise autograder.limits.LimitExceeded."""


def _on_alarm(signum, frame):
    raise Timeout()


class CappedText(io.TextIOBase):
    """A stdout replacement that keeps at most `limit` characters and drops the rest."""

    def __init__(self, stream, limit):
        self._stream, self._left = stream, limit

    def write(self, text):
        text = str(text)
        if self._left > 0:
            part = text[: self._left]
            self._left -= len(part)
            try:
                self._stream.write(part)
                self._stream.flush()
            except Exception:
                pass
        return len(text)

    def flush(self):
        pass

    def writable(self):
        return True


def isolate(job):
    """Best-effort OS isolation; returns a list of notes about what was not available."""
    notes = []
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        notes.append(f"network isolation unavailable (unshare(CLONE_NEWNET): errno {ctypes.get_errno()})")
    hide = [p for p in job.get("hide", []) if os.path.isdir(p)]
    if hide:
        if libc.unshare(CLONE_NEWNS) != 0 or libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
            notes.append(f"hiding the reference outputs unavailable (mount namespace: errno {ctypes.get_errno()})")
        else:
            hidden = []
            for path in hide:
                if any(path.startswith(folder.rstrip(os.sep) + os.sep) for folder in hidden):
                    continue        # inside a folder hidden already (an empty tmpfs now: nothing to mount on)
                if libc.mount(b"tmpfs", path.encode(), b"tmpfs", 0, b"size=64k,mode=0555") != 0:
                    notes.append(f"could not hide {path} (errno {ctypes.get_errno()})")
                else:
                    hidden.append(path)
            for path in job.get("readonly", []):   # the shared compilation cache: read, never written
                target = path.encode()
                if (libc.mount(target, target, None, MS_BIND | MS_REC, None) != 0
                        or libc.mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, None) != 0):
                    notes.append(f"could not make {path} read-only (errno {ctypes.get_errno()}): not used")
                    _disable_compile_cache()
            _mount_stubbed_sources(libc, job.get("sources", []), notes)
            _enter_pid_namespace(libc, notes)
    return notes


def _mount_stubbed_sources(libc, sources, notes):
    """Show the student's code the stubbed sources (autograder/stubs.py) in place of the libraries' files
    that hold graded functions, read-only. Those modules are imported first, so the checks' substitutes
    stay the reference versions in memory; reading the files (inspect.getsource, a reload, exec of the
    file) finds no reference implementation."""
    import linecache

    for original, stubbed in sources:
        importlib.import_module(os.path.splitext(os.path.basename(stubbed))[0])
    for original, stubbed in sources:
        if (libc.mount(stubbed.encode(), original.encode(), None, MS_BIND, None) != 0
                or libc.mount(None, original.encode(), None, MS_BIND | MS_REMOUNT | MS_RDONLY, None) != 0):
            notes.append(f"could not replace {original} by its stubbed source (errno {ctypes.get_errno()})")
    linecache.clearcache()  # no reference source kept from before


def _disable_compile_cache():
    os.environ.pop("JAX_COMPILATION_CACHE_DIR", None)
    if "jax" in sys.modules:            # forked from the zygote: jax read the variable at import
        sys.modules["jax"].config.update("jax_compilation_cache_dir", None)


def _enter_pid_namespace(libc, notes):
    """Continue as pid 1 of a new PID namespace with its own /proc.

    Without it, the student's code sees every process on the machine in /proc. Processes of its own
    user and with no more capabilities than it has (with --jobs N, the other submissions' children, all
    running as nobody or as capability-less root) are open to it: /proc/<pid>/cwd and root lead into
    another submission's scratch copy, /proc/<pid>/environ and cmdline show what they were started with.
    (The grader, the zygote and pid 1 keep their capabilities, so the kernel already refuses those.)
    This process stays behind as a small
    waiter: it reports the namespace's exit status as its own (to the zygote or the parent), and when
    the new pid 1 ends the kernel ends every process left in the namespace (a fork bomb's included)."""
    if libc.unshare(CLONE_NEWPID) != 0:
        notes.append(f"process isolation unavailable (unshare(CLONE_NEWPID): errno {ctypes.get_errno()})")
        return
    pid = os.fork()
    if pid == 0:
        if libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) != 0:
            notes.append(f"could not mount a private /proc (errno {ctypes.get_errno()})")
        signal.signal(signal.SIGXCPU, lambda signum, frame: os._exit(XCPU_EXIT))
        return
    # Only pid 1 talks to the parent. The waiter is exec'd so that it holds none of the zygote's memory
    # (the parent's watchdog sums the RSS of the whole session).
    os.closerange(3, 65536)
    try:
        os.execv(sys.executable, [sys.executable, "-S", "-E", "-c", _WAITER, str(pid), str(XCPU_EXIT)])
    finally:
        os._exit(2)


_WAITER = """
import os, signal, sys
pid, xcpu = int(sys.argv[1]), int(sys.argv[2])
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    try:
        status = os.waitpid(pid, 0)[1]
        break
    except InterruptedError:
        continue
    except ChildProcessError:
        os._exit(2)
sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
if sig is None and os.WEXITSTATUS(status) == xcpu:
    sig = signal.SIGXCPU
if sig is not None:
    import resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(sig, signal.SIG_DFL)
    os.kill(os.getpid(), sig)
os._exit(os.WEXITSTATUS(status))
"""


def child_env(environ):
    """The variables of `environ` that the notebook's code may see (ENV_KEEP, ENV_KEEP_PREFIXES)."""
    return {key: value for key, value in environ.items()
            if key in ENV_KEEP or key.startswith(ENV_KEEP_PREFIXES)}


def scrub_environment():
    """Drop every environment variable except the few that the notebook's code may need (the parent
    already starts the zygote and cold children with `child_env`; this is the second line)."""
    keep = child_env(os.environ)
    for key in list(os.environ):
        if key not in keep:
            del os.environ[key]


NOBODY = 65534
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


def _readable_by_others(path):
    """True if a user with no special rights can reach and read `path` (o+x on every ancestor)."""
    path = os.path.realpath(path)
    try:
        if not os.stat(path).st_mode & 0o004:
            return False
        while True:
            if not os.stat(path).st_mode & 0o001:
                return False
            parent = os.path.dirname(path)
            if parent == path:
                return True
            path = parent
    except OSError:
        return False


def _course_paths():
    import autograder

    repo = os.path.dirname(os.path.dirname(os.path.abspath(autograder.__file__)))
    return [repo, sys.prefix, sys.base_prefix, os.path.dirname(os.__file__)]


def _drop_capabilities():
    """Stay uid 0 but give up every capability (so the mounts above cannot be undone and files are
    reached by owner/group/other permissions only), and forbid regaining any through exec."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header, data = Header(_LINUX_CAPABILITY_VERSION_3, 0), (Data * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def drop_privileges(job, notes):
    """As root, run the student's code as `nobody`: it then cannot undo the mounts above, and
    RLIMIT_NPROC applies. The scratch folder is handed to nobody first. Where nobody cannot read the
    course's files (a checkout under a private folder, e.g. mktemp -d), stay uid 0 without any
    capability instead, and say so."""
    if os.geteuid() != 0:
        return
    blocked = [path for path in _course_paths() if not _readable_by_others(path)]
    if blocked:
        try:
            _drop_capabilities()
            notes.append(f"runs as root without capabilities: {blocked[0]} is not readable by nobody")
        except OSError as exc:
            notes.append(f"could not drop root privileges ({exc}): the student's code runs as root")
        return
    try:
        for folder, dirs, files in os.walk(job["scratch"]):
            os.chown(folder, NOBODY, NOBODY)
            for name in files:
                os.chown(os.path.join(folder, name), NOBODY, NOBODY)
        os.environ["HOME"] = job["scratch"]
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    except OSError as exc:
        notes.append(f"could not drop root privileges ({exc}): the student's code runs as root")


def set_limits(job):
    def limit(kind, soft, hard=None):
        try:
            resource.setrlimit(kind, (soft, soft if hard is None else hard))
        except (ValueError, OSError):
            pass
    limit(resource.RLIMIT_CPU, int(job["cpu_seconds"]), int(job["cpu_seconds"]) + 5)
    if job.get("memory_mb"):
        # RLIMIT_AS would break jax/XLA, which reserves several GB of address space it never touches;
        # RLIMIT_DATA counts private writable memory (heap, anonymous mmaps). The parent also watches RSS.
        limit(resource.RLIMIT_DATA, int(job["memory_mb"]) * 2**20)
    limit(resource.RLIMIT_FSIZE, int(job["file_bytes"]))
    limit(resource.RLIMIT_CORE, 0)
    limit(resource.RLIMIT_NPROC, int(job.get("max_processes", 256)))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails instead of killing us


def _short(exc):
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300] if text else ''}"


def serve(job, req_fd, resp_fd):
    """Run the job's cells, then answer requests until EOF. Never returns normally: exits the process."""
    from autograder.notebook import strip_magics  # imported before student code runs
    from autograder.runner import protocol

    resp = os.fdopen(resp_fd, "w", buffering=1, encoding="utf-8", closefd=True)
    req = os.fdopen(req_fd, "r", encoding="utf-8", closefd=True)
    dumps, encode = protocol.dumps, protocol.encode
    send_raw = resp.write

    def send(doc):
        try:
            send_raw(dumps(doc))
            resp.flush()
        except Exception:
            os._exit(3)

    notes = isolate(job)
    os.chdir(job["scratch"])
    log_fd = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    drop_privileges(job, notes)
    scrub_environment()
    set_limits(job)
    log = open(1, "w", encoding="utf-8", errors="replace", closefd=False)
    sys.stdout = sys.__stdout__ = CappedText(log, job["stdout_chars"])
    sys.stderr = sys.__stderr__ = CappedText(log, job["stdout_chars"])
    sys.stdin = open(os.devnull)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGINT, signal.default_int_handler)

    from coursekit.trax_env import import_trax

    import_trax()
    import numpy as np  # noqa: F401
    engine = importlib.import_module("autograder.engine")
    checks = importlib.import_module(f"autograder.checks.{job['week']}").CHECKS
    call_case, CaseError = engine.call_case, engine.CaseError
    referee = checks.referee()  # imports the references before student code runs
    limits = importlib.import_module("autograder.limits")
    limits.configure(limits.Limits.from_dict(job["limits"]))   # each case's limits: see call_case
    limited, LimitExceeded = limits.limited, limits.LimitExceeded
    cell_cpu, cell_wall = job["cell_limits"]
    send({"event": "started", "notes": notes})

    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    errors = []
    for index, source in job["cells"]:
        send({"event": "cell", "index": index})
        try:
            code = compile(strip_magics(source), f"<cell {index}>", "exec")
            with limited(cell_cpu, cell_wall):
                exec(code, namespace)
        except LimitExceeded as exc:
            errors.append([index, str(exc)])
        except SystemExit as exc:
            errors.append([index, f"called sys.exit({exc.code!r}) (ignored)"])
        except BaseException as exc:  # the student's code: any error is a note in the feedback
            errors.append([index, _short(exc)])
    send({"event": "ready", "errors": errors})

    while True:
        try:
            line = req.readline()
        except BaseException:
            os._exit(4)
        if not line:
            os._exit(0)
        request = json.loads(line)
        name, case_name = request["function"], request["case"]
        try:
            check = checks.checks[name]
            case = next(c for c in check.public + check.hidden if c.name == case_name)
            fn = namespace.get(name)
            if fn is None:
                answer = {"error": f"{name} is not defined in the notebook", "missing": True}
            elif not callable(fn):
                answer = {"error": f"{name} is not a function (got {type(fn).__name__})", "missing": True}
            else:   # call_case runs the case under its CPU-time limit, retried once (autograder.limits)
                answer = {"ok": encode(call_case(fn, case, check, referee))}
        except CaseError as exc:
            answer = {"error": str(exc), "timeout": isinstance(exc.__cause__, LimitExceeded)}
        except SystemExit as exc:
            answer = {"error": f"called sys.exit({exc.code!r})"}
        except BaseException as exc:
            answer = {"error": f"raised {_short(exc)}"}
        try:
            text = dumps(answer)
        except BaseException as exc:
            text = dumps({"error": f"its output could not be sent: {_short(exc)}"})
        try:
            send_raw(text)
            resp.flush()
        except BaseException:
            os._exit(3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--job", required=True)
    parser.add_argument("--req-fd", type=int, required=True)
    parser.add_argument("--resp-fd", type=int, required=True)
    args = parser.parse_args(argv)
    with open(args.job, encoding="utf-8") as f:
        job = json.load(f)
    try:
        serve(job, args.req_fd, args.resp_fd)
    except BaseException:
        traceback.print_exc()
        os._exit(2)


if __name__ == "__main__":
    main()

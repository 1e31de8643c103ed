"""Grading on a Dask distributed cluster: `autograde ... --dask SCHEDULER_ADDRESS`.

One Dask task per submission. The task carries the submission's bytes (its notebook, or with nbgrader's
layout the files of its folder), so workers need no shared filesystem. On the worker, `grade_packed` writes
them into a private scratch folder and grades them with the same `Grader` as a local run: the untrusted
notebook still runs in its own isolated child process (forked from a warm zygote that each worker process
starts once and keeps), and the reference outputs stay on the worker's side of that boundary.

Dask itself only ever moves trusted objects between trusted processes (the packed input, the results
document of plain JSON types); nothing the student's child produced crosses it except inside that document,
which the parent checks (`ClusterGrader`) before writing. The parent keeps everything that makes runs safe
to repeat: hashing the submitted files, skipping finished submissions, writing results.json last.

Requirements on the cluster: every worker runs this project's checkout (same references and checks: a
worker whose settings differ is reported, not trusted) with the same Python environment.
"""
import dataclasses
import hashlib
import os
import pathlib
import tempfile
import threading
import time

from autograder.runner.grade import Grader, Options, sha256
from autograder.runner.spawner import Spawner
from autograder.submissions import Submission

MAX_PACKED_BYTES = 64 * 2**20        # one submission's folder, in total
CONNECT_TIMEOUT = "20s"

_SPAWNERS = {}                       # week -> Spawner, one warm zygote per worker process
_LOCK = threading.Lock()


def pack(sub):
    """{"id", "name", "folder_copy", "files": {relative path: bytes}} for one Submission."""
    if sub.folder_copy:
        root = sub.path.parent
        paths = [p for p in sorted(root.rglob("*"))
                 if p.is_file() and ".ipynb_checkpoints" not in p.relative_to(root).parts]
    else:
        root, paths = sub.path.parent, [sub.path]
    files, total = {}, 0
    for path in paths:
        data = path.read_bytes()
        total += len(data)
        if total > MAX_PACKED_BYTES:
            raise ValueError(f"the submission's folder holds more than {MAX_PACKED_BYTES >> 20} MB")
        files[path.relative_to(root).as_posix()] = data
    return {"id": sub.id, "name": sub.path.name, "folder_copy": sub.folder_copy, "files": files}


def _spawner(week):
    with _LOCK:
        if week not in _SPAWNERS:
            _SPAWNERS[week] = Spawner(week)
        return _SPAWNERS[week]


def grade_packed(week, options, packed):
    """Runs on a Dask worker: grade one packed submission; returns its results document."""
    with tempfile.TemporaryDirectory(prefix="autograde-dask-", ignore_cleanup_errors=True) as tmp:
        folder = pathlib.Path(tmp) / "submission"
        for relative, data in packed["files"].items():
            target = (folder / relative).resolve()
            if folder.resolve() not in target.parents:
                raise ValueError(f"refusing a packed path outside the submission: {relative!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        sub = Submission(packed["id"], folder / packed["name"], packed["folder_copy"])
        grader = Grader(week, pathlib.Path(tmp) / "out", Options(**options), hide=[folder],
                        spawner=_spawner(week))
        document = grader.grade(sub)
    document["extra_data"]["worker"] = _worker_address()
    return document


def _worker_address():
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "local"


def options_for_workers(options):
    """The Options a worker grades with: the same limits; its own zygote and a single job."""
    fields = dataclasses.asdict(options)
    fields.update(jobs=1, zygote=True)
    return fields


def connect(address):
    """A distributed.Client for `address`, or ValueError with a reason an instructor can act on."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - dask is pinned in requirements.in
        raise ValueError(f"--dask needs dask[distributed] ({exc})") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ValueError(f"could not connect to the Dask scheduler at {address}: {exc}") from None


class ClusterGrader(Grader):
    """A `Grader` that sends each submission to the Dask cluster of `client` (a distributed.Client): one
    task per submission, as many at once as the workers have threads (twice, at most 256). Hashing,
    resuming and writing stay here; a worker's results document is checked before it is trusted."""

    def __init__(self, week, out_dir, options=None, hide=(), spawner=None, client=None):
        super().__init__(week, out_dir, options, hide=hide, spawner=spawner)
        self.client = client
        self._futures = set()          # Dask futures in flight (cancelled if the run is interrupted)

    def _concurrency(self):
        return min(256, 2 * max(1, sum(self.client.nthreads().values())))

    def _cancel_in_flight(self):
        if self._futures:
            self.client.cancel(list(self._futures))

    def _grade_bytes(self, sub, data, before):
        if data is None:                 # unreadable: recorded here, as in a local run
            return super()._grade_bytes(sub, data, before)
        return self._grade_on_cluster(sub, before)

    def _grade_on_cluster(self, sub, before):
        """The results document of `sub` graded by a Dask worker, checked before it is trusted."""
        start = time.monotonic()
        try:
            packed = pack(sub)
            if hashlib.sha256(packed["files"][sub.path.name]).hexdigest() != before:
                raise ValueError("the submitted file changed while it was being read")
            future = self.client.submit(grade_packed, self.week, options_for_workers(self.options), packed,
                                        pure=False, key=f"autograde-{self.week}-{sub.id}-{os.urandom(6).hex()}")
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

"""Load for the tests of time limits: busy-loop processes pinned, with the test, to the same core."""
import contextlib
import os
import subprocess
import sys

BUSY = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


@contextlib.contextmanager
def busy_cores(processes=3, cores=1, seconds=300):
    """`processes` CPU-bound processes on the first `cores` cores this process may use, with the calling
    thread (and every process it starts meanwhile) pinned to the same cores, so that the load is the same
    on any machine and the rest of the machine (the other xdist worker) keeps its cores. Each busy process
    ends by itself after `seconds`, and all are killed on exit. Yields the pinned cores (a set)."""
    allowed = os.sched_getaffinity(0)
    pinned = set(sorted(allowed)[:cores])
    procs = []
    os.sched_setaffinity(0, pinned)
    try:
        for _ in range(processes):  # each in its own session: one scheduling group each, as a grader's child
            procs.append(subprocess.Popen([sys.executable, "-c", BUSY.format(seconds=seconds)],
                                          start_new_session=True, stdin=subprocess.DEVNULL))
        yield pinned
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()
        os.sched_setaffinity(0, allowed)

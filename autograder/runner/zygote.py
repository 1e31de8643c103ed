"""A warm parent-side process that imports trax (no JAX computation) once and forks one fresh child per
submission, so each child starts with trax already imported (fork is copy-on-write: ~0.1 s instead of the
5-20 s import).

Protocol on a SOCK_SEQPACKET socket (fd given by --sock): the grader sends a JSON job with the child's two
pipe ends attached (SCM_RIGHTS); the zygote forks, the child calls `os.setsid()` and `child.serve`, and the
zygote answers {"pid": PID}. When a child ends, the zygote writes its wait status to job["status_file"].
"""
import argparse
import json
import os
import signal
import socket


def _reap(status_files):
    def handler(signum, frame):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            path = status_files.pop(pid, None)
            if path:
                try:
                    with open(path + ".tmp", "w") as f:
                        json.dump({"pid": pid, "status": status}, f)
                    os.replace(path + ".tmp", path)
                except OSError:
                    pass
    return handler


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--sock", type=int, required=True)
    parser.add_argument("--week", required=True)
    args = parser.parse_args(argv)
    sock = socket.socket(fileno=args.sock)

    from coursekit.trax_env import import_trax

    import_trax()
    import importlib

    importlib.import_module(f"autograder.checks.{args.week}")
    from autograder.runner import child

    status_files = {}
    signal.signal(signal.SIGCHLD, _reap(status_files))
    sock.send(json.dumps({"ready": True}).encode())
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 1 << 20, 2)
        except ConnectionError:
            break
        if not message:
            break
        job = json.loads(message)
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])
                sock.close()
                os.setsid()
                child.serve(job, fds[0], fds[1])
            finally:
                os._exit(2)
        status_files[pid] = job["status_file"]
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])
        for fd in fds:
            os.close(fd)
        sock.send(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":
    main()

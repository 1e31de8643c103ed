"""Run a course module with TensorFlow stood in for (tools.device.tfstub): for the lent GPU machines.

    python3 tools/device/run_trax.py w3_qa.train pretrain --out $OUT/A --max-minutes 7
    TRAX_KEEP_ON_ACCELERATOR=1 python3 tools/device/run_trax.py w3_qa.train pretrain ...

is ``python -m MODULE ARGS`` after ``coursekit.trax_env.import_trax()`` with the stand-ins, and with trax's
TensorBoard writer (which needs TensorFlow) replaced by one that writes nothing: the course's runs keep
their records in JSON.

What two runs on an H100 (jax 0.11.2 with CUDA 13, session 14) showed, for whoever tries next:

* As is, trax trains **on the CPU** of a GPU machine. trax's ``on_cpu`` puts weights, optimizer slots and
  random keys in host memory with ``jax.device_put(x, cpu)``; the jax of trax's day copied them back to the
  accelerator inside each jitted step, but today's jax commits them to the CPU and runs the step there.
  Three pre-training runs side by side: GPU use 0%, 1.7 steps/s each at batch 64 on the 16 cores.
* ``TRAX_KEEP_ON_ACCELERATOR=1`` replaces ``on_cpu`` by the identity, so that arrays stay on the GPU. In
  the one run tried (three processes at once, 150 s) no process finished its first step and GPU use stayed
  at 1%, so it is unverified: try one process, with a longer limit, and look at where the time goes.

The machines have no trax: carry its wheel and its two pure-Python needs (here, in the repo's root):
``pip download --no-deps --only-binary=:all: trax==1.4.1 gin-config==0.5.0 funcy==2.1 -d .whl``, name
``.whl`` in ``carry``, and install them with ``pip install --no-index --no-deps --target /tmp/site .whl/*``.
"""
import os
import pathlib
import runpy
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


class _NoSummaries:
    """Stands in for trax.jaxboard.SummaryWriter: accepts every call, writes nothing."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        return lambda *args, **kwargs: None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _identity(x):
    return x


def prepare(keep_on_accelerator=None):
    """Install the stand-ins, import trax the course's way, and silence its summaries; returns trax."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tools.device import tfstub

    tfstub.install()
    from coursekit.trax_env import import_trax

    trax = import_trax()
    import jax
    import trax.jaxboard
    import trax.layers
    import trax.layers.acceleration

    trax.jaxboard.SummaryWriter = _NoSummaries
    if keep_on_accelerator is None:
        keep_on_accelerator = os.environ.get("TRAX_KEEP_ON_ACCELERATOR") == "1"
    if keep_on_accelerator and jax.default_backend() != "cpu":
        trax.layers.acceleration.on_cpu = _identity
        trax.layers.on_cpu = _identity
    return trax


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0].startswith("-"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    prepare()
    module, sys.argv = argv[0], list(argv)
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

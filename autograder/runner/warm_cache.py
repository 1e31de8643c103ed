"""Fill a JAX persistent compilation cache with the week's checks, run on the reference solutions.

    python -m autograder.runner.warm_cache --week w1_nmt [--functions a,b] (cache dir: $JAX_COMPILATION_CACHE_DIR)

Trusted code only: the grader runs this once per run, before any submission, in a fresh folder of its own.
Every child then reads that folder through a read-only bind mount (autograder.runner.child.isolate), so a
correct submission loads the XLA executables of the checks' layers and decoders from disk instead of
compiling them again, and no submission can write an entry that another would load. A submission whose
code builds other computations simply compiles them (a cache miss); JAX's cache key covers the whole
computation, the compile options, the backend and the versions, so a hit is the same executable.
"""
import argparse
import importlib
import os
import sys


def warm(week, functions=()):
    """Run every case of the week's checks (or of `functions`) on the reference solutions; returns the
    number of cases that ran."""
    from coursekit.trax_env import import_trax

    import_trax()
    import jax

    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    from autograder.engine import CaseError, call_case, resolve

    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    ran = 0
    for name in (functions or list(checks)):
        check = checks[name]
        reference = resolve(check.reference)
        for case in check.public + check.hidden:
            try:
                call_case(reference, case, check)
                ran += 1
            except CaseError:
                pass
    return ran


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", required=True)
    parser.add_argument("--functions", default="")
    args = parser.parse_args(argv)
    if not os.environ.get("JAX_COMPILATION_CACHE_DIR"):
        parser.error("set JAX_COMPILATION_CACHE_DIR to the cache folder")
    ran = warm(args.week, tuple(f for f in args.functions.split(",") if f))
    print(f"warmed the compilation cache with {ran} cases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

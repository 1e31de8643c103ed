"""Fill a JAX persistent compilation cache with the week's checks, run on the reference solutions.

    python -m autograder.runner.warm_cache --week w1_nmt [--functions a,b] [--times FILE]
    (cache dir: $JAX_COMPILATION_CACHE_DIR)

Trusted code only: the grader runs this once per run, before any submission, in a fresh folder of its own.
Every child then reads that folder through a read-only bind mount (autograder.runner.child.isolate), so a
correct submission loads the XLA executables of the checks' layers and decoders from disk instead of
compiling them again, and no submission can write an entry that another would load. A submission whose
code builds other computations simply compiles them (a cache miss); JAX's cache key covers the whole
computation, the compile options, the backend and the versions, so a hit is the same executable.

The same run measures each case's CPU time on the reference solution (`--times`: {check.reference: {case:
seconds}}), from which the grader derives every case's CPU-time limit (autograder/limits.py): cold, as a
student's code that misses the cache compiles too.
"""
import argparse
import json
import os
import sys


def warm(week, functions=()):
    """Run every case of the week's checks (or of `functions`) on the reference solutions, without time
    limits; returns {check.reference: {case name: CPU seconds}} (autograder.reference_times.measure)."""
    from coursekit.trax_env import import_trax

    import_trax()
    import jax

    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    from autograder import reference_times

    return reference_times.measure(week, functions)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", required=True)
    parser.add_argument("--functions", default="")
    parser.add_argument("--times", help="write each case's CPU seconds on the reference here (JSON)")
    args = parser.parse_args(argv)
    if not os.environ.get("JAX_COMPILATION_CACHE_DIR"):
        parser.error("set JAX_COMPILATION_CACHE_DIR to the cache folder")
    times = warm(args.week, tuple(f for f in args.functions.split(",") if f))
    if args.times:
        with open(args.times, "w", encoding="utf-8") as f:
            json.dump(times, f)
    print(f"warmed the compilation cache with {sum(len(t) for t in times.values())} cases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

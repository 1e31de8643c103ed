"""The reference solutions' CPU time per check case, from which every case's time limit is derived
(autograder/limits.py), and the command that writes them to the limits file nbgrader's kernels read.

    python -m autograder.reference_times --week w1_nmt --out case_limits.json
"""
import argparse
import sys
import time

from autograder.limits import CPU_FACTOR, ENV, FLOOR_CPU_SECONDS, Limits, disabled


def measure(week, functions=()):
    """Run every case of the week's checks (or of `functions`) on the reference solutions, without limits,
    in this process; returns {check.reference: {case name: CPU seconds}}. The first case also pays for
    starting JAX, and every case for compiling: so does a student's code."""
    import importlib

    from coursekit.trax_env import import_trax

    import_trax()
    from autograder.engine import CaseError, call_case, resolve

    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    times = {}
    with disabled():
        for name in (functions or list(checks)):
            check = checks[name]
            reference = resolve(check.reference)
            for case in check.public + check.hidden:
                start = time.process_time()
                try:
                    call_case(reference, case, check)
                except CaseError:
                    pass
                times.setdefault(check.reference, {})[case.name] = round(time.process_time() - start, 3)
    return times


def describe_checks(week, functions=()):
    """{check name: {"reference", "public", "hidden"}} of the week (for `Limits.checks`)."""
    import importlib

    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    return {name: {"reference": checks[name].reference, "public": [c.name for c in checks[name].public],
                   "hidden": [c.name for c in checks[name].hidden]}
            for name in (functions or list(checks))}


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m autograder.reference_times",
        description="Measure the reference solutions' CPU time per case and write the limits file that "
                    f"nbgrader's kernels read through ${ENV}.")
    parser.add_argument("--week", required=True, action="append", help="a week (repeatable)")
    parser.add_argument("--out", required=True, help="the limits file to write (JSON)")
    parser.add_argument("--functions", default="", help="comma-separated subset of graded functions")
    parser.add_argument("--floor", type=float, default=FLOOR_CPU_SECONDS, help="smallest CPU limit per case (s)")
    parser.add_argument("--factor", type=float, default=CPU_FACTOR,
                        help="a case may use this many times its reference's CPU time")
    args = parser.parse_args(argv)
    functions = tuple(f for f in args.functions.split(",") if f)
    start = time.monotonic()
    reference_cpu, checks = {}, {}
    for week in args.week:
        reference_cpu.update(measure(week, functions))
        checks.update(describe_checks(week, functions))
    limits = Limits(floor=args.floor, factor=args.factor, reference_cpu=reference_cpu, checks=checks)
    limits.save(args.out)
    worst = max((limits.cpu_for(info["reference"], n), name) for name, info in checks.items()
                for n in info["public"] + info["hidden"])
    print(f"measured {sum(len(c) for c in reference_cpu.values())} reference cases in "
          f"{time.monotonic() - start:.0f} s; CPU limits per case {limits.floor:g}-{worst[0]:g} s "
          f"(largest: {worst[1]}); wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

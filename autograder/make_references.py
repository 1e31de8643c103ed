"""Produce the reference outputs of every check by running the library's own functions on the checks'
seeded inputs, and write them with a manifest: `python -m autograder.make_references [week ...]`.

`build(week)` is also what the staleness test calls: it recomputes everything in memory and compares it
with what is stored.
"""
import hashlib
import importlib
import pathlib
import platform
import sys

from autograder import references as refs
from autograder.checks import WEEKS
from autograder.engine import CaseError, call_case, resolve

ROOT = pathlib.Path(__file__).resolve().parent.parent


def week_checks(week):
    return importlib.import_module(f"autograder.checks.{week}").CHECKS


def source_digest(week):
    """sha256 over the week's library sources (its subpackages included), the shared `coursekit/` they stand
    on and the week's checks file (recorded in the manifest)."""
    digest = hashlib.sha256()
    files = (sorted((ROOT / week).rglob("*.py")) + sorted((ROOT / "coursekit").glob("*.py"))
             + [ROOT / "autograder" / "checks" / f"{week}.py"])
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build(week):
    checks = week_checks(week)
    outputs = {}
    for name, check in checks.checks.items():
        reference = resolve(check.reference)
        outputs[name] = {}
        for case in check.public + check.hidden:
            try:
                outputs[name][case.name] = call_case(reference, case, check)
            except CaseError as exc:
                raise RuntimeError(f"the reference {check.reference} fails its own case {case.name}: {exc}")
    return outputs


def manifest(week):
    from coursekit.trax_env import import_trax

    trax = import_trax()
    import jax
    import numpy

    return {
        "week": week,
        "source_sha256": source_digest(week),
        "python": platform.python_version(),
        "jax": jax.__version__,
        "trax": getattr(trax, "__version__", "1.4.1"),
        "numpy": numpy.__version__,
        "backend": jax.default_backend(),
        "dtype": "float32",
        "matmul_precision": str(jax.config.jax_default_matmul_precision),
    }


def main(argv=None):
    weeks = (argv if argv is not None else sys.argv[1:]) or WEEKS
    unknown = [week for week in weeks if week not in WEEKS]
    if unknown:
        print(f"usage: python -m autograder.make_references [week ...]\nunknown week(s): {', '.join(unknown)}; "
              f"the graded weeks are {', '.join(WEEKS)}", file=sys.stderr)
        return 2
    for week in weeks:
        outputs = build(week)
        json_path, npz_path = refs.save(week, outputs, manifest(week))
        n = sum(len(v) for v in outputs.values())
        print(f"{week}: {n} reference outputs for {len(outputs)} functions -> {json_path}, {npz_path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The main job, `make demo`: release each week with nbgrader, autograde its bundled sample submissions,
and show what an instructor gets.

1. a fresh nbgrader course folder per week, `demo_course/<week>/` (the repository's config and source;
   regenerated each run);
2. `nbgrader generate_assignment` (the student release);
3. the bundled samples (correct, typical mistakes, raising functions, an infinite loop, a kernel death)
   copied into submitted/<student>/ — the originals are hashed before and after and never modified;
4. the reference solutions run once to measure each case's CPU time (the cases' time limits,
   autograder/limits.py), then `nbgrader autograde`, one student per call;
5. a table of scores per student and graded function, `grades.csv` (nbgrader's export),
   `scores_by_function.csv` (ours, with each failure's reason) and HTML feedback under feedback/.

Exit status 0 when every sample got the outcome it is built to get (the correct one full marks, the
kernel death recorded with its reason, ...), 1 otherwise.
"""
import argparse
import csv
import os
import pathlib
import sys
import time

from autograder import nbgrader_driver as nbd
from autograder.checks import WEEKS

REPO = nbd.REPO
EXPECTED = {  # student -> what the demo must observe
    "correct": "full marks",
    "mistakes": "partial",
    "raises": "partial",
    "infinite_loop": "partial",
    "kernel_death": "failed",
}


def grade_samples(week, course_dir, samples_dir, cell_timeout=None, progress=True):
    """cell_timeout: wall-clock seconds of a cell besides its test cases (default: nbgrader_config.py's).
    Every case runs under a CPU-time limit derived from its reference's CPU time, measured here first."""
    from tqdm.auto import tqdm

    course_dir = nbd.make_course(course_dir, week)
    nbd.release(course_dir, week)
    samples = sorted(pathlib.Path(samples_dir).glob("*.ipynb"))
    if not samples:
        raise FileNotFoundError(f"no sample submissions in {samples_dir}")
    before = {path: nbd.sha256(path) for path in samples}
    for path in samples:
        nbd.submit(course_dir, week, path.stem, path, f"{week}.ipynb", name=nbd.sample_name(path.stem))
    env = dict(nbd.FAST_ENV)
    start = time.perf_counter()
    limits_file, note = nbd.measure_limits(course_dir, week, env=env)
    if note:
        print(f"{week}: {note}; the default time limits apply", file=sys.stderr)
    elif progress:
        print(f"time limits per case: {describe_limits(limits_file)} (the reference solutions measured in "
              f"{time.perf_counter() - start:.0f} s)")
    results = []
    for path in tqdm(samples, desc="autograding", unit="submission", disable=not progress):
        start = time.perf_counter()
        rc, log = nbd.autograde(course_dir, week, path.stem, env=env, cell_timeout=cell_timeout,
                                limits_file=limits_file)
        scores = nbd.gradebook_scores(course_dir, week, path.stem)
        result = nbd.StudentResult(path.stem, "graded" if rc == 0 and scores else "failed",
                                   scores=scores, seconds=time.perf_counter() - start)
        if result.status == "failed":
            result.reason = nbd.failure_reason(log)
        elif nbd.log_has_interrupted_cell(log):
            result.reason = "a cell was interrupted after the time limit"
        (course_dir / f"autograde_{path.stem}.log").write_text(log, encoding="utf-8")
        results.append(result)
    nbd.feedback_and_export(course_dir, week, course_dir / "grades.csv")
    changed = [str(path) for path in samples if nbd.sha256(path) != before[path]]
    if changed:
        raise RuntimeError(f"sample submissions were modified: {changed}")
    return course_dir, results


def describe_limits(limits_file):
    """"10-160 s of CPU (largest: training_loop)" for a limits file (autograder/limits.py)."""
    from autograder import limits

    measured = limits.Limits.load(limits_file)
    per_case = [(measured.cpu_for(info["reference"], case), name) for name, info in measured.checks.items()
                for case in info["public"] + info["hidden"]]
    if not per_case:
        return "the defaults"
    return f"{min(per_case)[0]:g}-{max(per_case)[0]:g} s of CPU (largest: {max(per_case)[1]})"


def function_names(results):
    names = []
    for result in results:
        for cell in result.scores:
            if cell.startswith("test_") and cell[5:] not in names:
                names.append(cell[5:])
    return names


def write_table(results, path):
    names = function_names(results)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "status", "reason", "total", "max"] + names)
        for r in results:
            max_score = sum(m for _, m in r.scores.values())
            writer.writerow([r.student, r.status, r.reason, r.total, max_score] +
                            [r.scores.get(f"test_{n}", ("", ""))[0] for n in names])
    return names


def print_table(results, names):
    width = max(len(n) for n in names + ["function"])
    students = [r.student for r in results]
    print("\n" + "function".ljust(width) + "".join(s[:13].rjust(14) for s in students))
    for name in names:
        row = name.ljust(width)
        for r in results:
            score = r.scores.get(f"test_{name}")
            row += (f"{score[0]:g}/{score[1]:g}" if score else "-").rjust(14)
        print(row)
    print("total".ljust(width) + "".join(
        (f"{r.total:g}/{sum(m for _, m in r.scores.values()):g}" if r.scores else "-").rjust(14)
        for r in results))
    for r in results:
        note = f" ({r.reason})" if r.reason else ""
        print(f"  {r.student}: {r.status}{note}, {r.seconds:.0f} s")


def outcome(result):
    if result.status != "graded":
        return "failed"
    max_score = sum(m for _, m in result.scores.values())
    return "full marks" if result.total == max_score else "partial"


def demo_week(week, course_dir):
    """Release, autograde and report one week; returns the list of unexpected outcomes."""
    samples_dir = REPO / "autograder" / "samples" / week
    print(f"\n=== {week} ===")
    course_dir, results = grade_samples(week, course_dir, samples_dir)
    names = write_table(results, pathlib.Path(course_dir) / "scores_by_function.csv")
    print_table(results, names)
    print(f"\nnbgrader export: {course_dir / 'grades.csv'}\nper function: "
          f"{course_dir / 'scores_by_function.csv'}\nfeedback: {course_dir / 'feedback'}")
    return [f"{week} {r.student}: expected {EXPECTED[r.student]}, got {outcome(r)}" for r in results
            if r.student in EXPECTED and outcome(r) != EXPECTED[r.student]]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Autograde the bundled sample submissions with nbgrader.")
    parser.add_argument("--week", action="append", choices=WEEKS,
                        help="a week to demonstrate (repeatable; default: every week)")
    parser.add_argument("--course-dir", default=str(REPO / "demo_course"),
                        help="parent folder: one nbgrader course per week, <course-dir>/<week>/")
    args = parser.parse_args(argv)
    unexpected = []
    for week in args.week or WEEKS:
        unexpected += demo_week(week, pathlib.Path(args.course_dir) / week)
    if unexpected:
        print("\nUNEXPECTED OUTCOMES:\n  " + "\n  ".join(unexpected))
        return 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.exit(main())

"""`autograde <week> <submissions-dir> --out <results-dir> [--jobs N] [--timeout S] [--memory MB] [--dask ADDR]`.

Grades every notebook of a flat folder of .ipynb files or of nbgrader's submitted/<student>/<assignment>/
layout with the isolating runner (autograder/runner/grade.py); writes <out>/<id>/results.json,
<out>/<id>/feedback.html and <out>/grades.csv, and prints a summary table.
"""
import argparse
import pathlib
import sys
import time

from autograder.runner import grade, remote


def main(argv=None):
    parser = argparse.ArgumentParser(prog="autograde", description=__doc__.splitlines()[0])
    parser.add_argument("week", help="the week's package name, e.g. w1_nmt")
    parser.add_argument("submissions", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once (default 1)")
    add_grading_options(parser.add_argument)
    parser.add_argument("--dask", metavar="SCHEDULER_ADDRESS",
                        help="grade on this Dask distributed cluster, one task per submission (--jobs is then "
                             "the cluster's thread count)")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder")
    submissions = grade.find_submissions(args.submissions)
    if not submissions:
        parser.error(f"no .ipynb submissions found in {args.submissions}")
    options = options_from(args, jobs=args.jobs)
    try:
        grader = (remote.ClusterGrader if args.dask else grade.Grader)(args.week, args.out, options,
                                                                         hide=[args.submissions.resolve()])
    except (ImportError, KeyError, FileNotFoundError) as exc:
        parser.error(str(exc))
    client = None
    if args.dask:
        try:
            client = grader.client = remote.connect(args.dask)
        except ValueError as exc:
            parser.error(str(exc))
    start = time.monotonic()
    bar = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=len(submissions), unit="submission", desc=f"grading {args.week}")
    try:
        results = grader.grade_all(submissions, progress=(lambda sub, doc: bar.update(1)) if bar else None)
    finally:
        if client is not None:
            client.close()
    if bar:
        bar.close()
    seconds = time.monotonic() - start
    width = max(len(s.id) for s in submissions)
    print(f"\n{'submission':<{width}}  {'score':>9}  {'status':<9} {'seconds':>7}  reason")
    for sub, doc in zip(submissions, results):
        extra = doc["extra_data"]
        status = "reused" if extra.get("skipped") else extra["status"]
        print(f"{sub.id:<{width}}  {doc['score']:>4}/{doc['max_score']:<4}  {status:<9} {extra['seconds']:>7.1f}  "
              f"{extra['reason'][:80]}")
    notes = {}
    for doc in results:      # how the grader ran: for the instructor only (never in a student's feedback)
        for note in doc["extra_data"].get("notes", []):
            notes[note] = notes.get(note, 0) + 1
    if notes:
        print("\nNotes on the grading (results.json extra_data.notes; not shown to students):")
        for note, count in notes.items():
            print(f"  {note} ({count} submission{'s' if count > 1 else ''})")
    graded = sum(1 for d in results if not d["extra_data"].get("skipped"))
    rate = f"{60 * graded / seconds:.1f} submissions/minute" if graded else "nothing to regrade"
    print(f"\n{len(results)} submissions in {seconds:.1f} s ({rate}); results in {args.out}")
    return 0


def add_grading_options(add, prefix=""):
    """Declare the grading settings that `autograde` and `pytest --grade` share (pytest's are named
    `--grade-timeout`, ...: prefix "grade-"). `add` is argparse's `add_argument` or pytest's `addoption`."""
    add(f"--{prefix}timeout", type=float, default=grade.Options.timeout,
        help=f"per case: at least this many CPU seconds (default %(default)g); see --{prefix}time-factor")
    add(f"--{prefix}time-factor", type=float, default=grade.Options.time_factor,
        help=f"per case: up to this many times the CPU time the reference solution took for it in this run, "
             f"when that is more than --{prefix}timeout (default %(default)g); a wall-clock backstop of "
             f"{grade.limits_mod.WALL_FACTOR:g} times the CPU limit stops code that waits")
    add(f"--{prefix}cell-timeout", type=float,
        help="CPU seconds per notebook cell (default %g)" % grade.limits_mod.CELL_CPU_SECONDS)
    add(f"--{prefix}memory", type=int, default=3000, help="MB per submission (default 3000)")
    add(f"--{prefix}cpu", type=int, default=900, help="CPU seconds per child process (default 900)")
    add(f"--{prefix}functions", default="", help="comma-separated subset of graded functions")
    add(f"--{prefix}cold", action="store_true", help="start each child cold (no warm zygote)")


def options_from(values, prefix="", **extra):
    """grade.Options from the parsed settings of `add_grading_options` (an argparse namespace or pytest's
    `config.option`), plus `extra` fields."""
    def get(name):
        return getattr(values, (prefix + name).replace("-", "_"))

    return grade.Options(timeout=get("timeout"), time_factor=get("time-factor"), cell_timeout=get("cell-timeout"),
                         memory_mb=get("memory"), cpu_seconds=get("cpu"), zygote=not get("cold"),
                         functions=tuple(f for f in get("functions").split(",") if f), **extra)


if __name__ == "__main__":
    sys.exit(main())

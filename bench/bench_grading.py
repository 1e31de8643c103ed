"""Submissions per minute: `nbgrader autograde` vs the isolating runner, on the same generated submissions.

    python -m bench.bench_grading [--n 20] [--out bench/results/grading.json]

The submissions are the Week 1 release filled with the correct solutions and 0-3 typical mistakes each
(autograder.samples.make.generated, seeded). nbgrader grades them all in one `nbgrader autograde` call, as
an instructor runs it (W1_NMT_FAST=1, per-cell timeout 120 s); the runner grades them serially and with
--jobs 2, each from a cold start (its zygote's import of trax is part of the time). Per-function scores must
be identical between the two graders; the per-submission overhead breakdown (start, execute, check) comes
from the runner's own timings. Before its first submission the runner also fills a JAX compilation cache
by running the checks on the reference solutions (autograder/runner/warm_cache.py); that once-per-run cost
is in its total time and listed in the breakdown.
"""
import argparse
import json
import pathlib
import statistics
import tempfile
import time

from autograder import nbgrader_driver as driver
from autograder.runner import grade
from autograder.samples import make

WEEK = "w1_nmt"


def _write(folder, notebooks):
    folder.mkdir(parents=True, exist_ok=True)
    for student, notebook in notebooks.items():
        (folder / f"{student}.ipynb").write_text(make.render(notebook), encoding="utf-8")


def nbgrader_run(tmp, folder, students):
    course = driver.make_course(tmp / "course", WEEK)
    driver.release(course, WEEK)
    for student in students:
        driver.submit(course, WEEK, student, folder / f"{student}.ipynb", f"{WEEK}.ipynb")
    start = time.perf_counter()
    rc, log = driver.autograde(course, WEEK, None, env=driver.FAST_ENV, cell_timeout=120,
                               timeout=6 * 3600)
    seconds = time.perf_counter() - start
    scores = {}
    for student in students:
        cells = driver.gradebook_scores(course, WEEK, student)
        scores[student] = {name[len("test_"):]: score for name, (score, _) in cells.items()
                           if name.startswith("test_")}
    return {"seconds": seconds, "returncode": rc, "scores": scores,
            "log_tail": log[-2000:] if rc else ""}


def runner_run(folder, out, jobs):
    options = grade.Options(jobs=jobs, timeout=60, cell_timeout=120)
    start = time.perf_counter()
    grader = grade.Grader(WEEK, out, options, hide=[folder.resolve()])
    subs = grade.find_submissions(folder)
    documents = grader.grade_all(subs)
    seconds = time.perf_counter() - start
    timings = [d["extra_data"]["timing"] for d in documents]
    breakdown = {key: statistics.mean(t[key] for t in timings) for key in ("start", "execute", "check")}
    breakdown["import (zygote, once per run)"] = grader.spawner.zygote_seconds
    breakdown["compilation cache (once per run)"] = grader.spawner.warm_seconds
    return {"seconds": seconds, "jobs": jobs,
            "scores": {d["extra_data"]["submission"]: {t["name"]: float(t["score"]) for t in d["tests"]}
                       for d in documents},
            "statuses": sorted({d["extra_data"]["status"] for d in documents}),
            "mean_seconds_per_submission": breakdown}


def run(n=20, seed=0, skip_nbgrader=False):
    notebooks, made = make.generated(WEEK, n, seed=seed)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        tmp = pathlib.Path(tmp)
        folder = tmp / "submissions"
        _write(folder, notebooks)
        result = {"n_submissions": n, "mistakes_per_submission": made}
        result["runner_serial"] = runner_run(folder, tmp / "out1", jobs=1)
        result["runner_jobs2"] = runner_run(folder, tmp / "out2", jobs=2)
        if not skip_nbgrader:
            result["nbgrader"] = nbgrader_run(tmp, folder, sorted(notebooks))
    per_minute = {}
    for key in ("nbgrader", "runner_serial", "runner_jobs2"):
        if key in result:
            per_minute[key] = 60 * n / result[key]["seconds"]
    result["submissions_per_minute"] = per_minute
    if "nbgrader" in per_minute:
        result["speedup_serial"] = per_minute["runner_serial"] / per_minute["nbgrader"]
        result["speedup_jobs2"] = per_minute["runner_jobs2"] / per_minute["nbgrader"]
        result["target_4x"] = result["speedup_serial"] >= 4 or result["speedup_jobs2"] >= 4
        result["identical_scores"] = result["nbgrader"]["scores"] == result["runner_serial"]["scores"] \
            == result["runner_jobs2"]["scores"]
    else:
        result["identical_scores_jobs"] = result["runner_serial"]["scores"] == result["runner_jobs2"]["scores"]
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("bench/results/grading.json"))
    args = parser.parse_args(argv)
    result = run(args.n, args.seed, args.skip_nbgrader)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    summary = {k: v for k, v in result.items() if k in ("submissions_per_minute", "speedup_serial",
                                                         "speedup_jobs2", "target_4x", "identical_scores")}
    summary["overhead_serial"] = result["runner_serial"]["mean_seconds_per_submission"]
    print(json.dumps(summary, indent=1))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

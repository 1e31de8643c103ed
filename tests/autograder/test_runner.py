"""The isolating runner (autograder/runner) on the bundled samples and on a hostile corpus.

Each test grades a subset of the week's functions (the cheap ones, plus the layer helper
prepare_attention_input) so the whole file runs in a few minutes on two shared cores; the full Week 1 run
is `autograde w1_nmt autograder/samples/w1_nmt --out ...` (see the README).
"""
import json
import os
import pathlib
import shutil
import tempfile

import pytest

from autograder.runner import grade
from autograder.samples.w1_nmt_mistakes import MISTAKES
from tests.autograder import hostile_corpus

REPO = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = REPO / "autograder" / "samples" / "w1_nmt"
SUBSET = ("simple_precision", "modified_precision", "brevity_penalty", "bleu", "corpus_bleu", "rouge_n", "f1",
          "rouge1_similarity", "prepare_attention_input")

pytestmark = pytest.mark.slow


def _hashes(folder):
    return {p.name: grade.sha256(p) for p in sorted(pathlib.Path(folder).iterdir()) if p.is_file()}


_SPAWNER = {}


@pytest.fixture(scope="module", autouse=True)
def _warm_zygote():
    """One warm zygote (trax imported once) for every run of this module."""
    # A secret in the grader's environment: the hostile corpus must not be able to read it.
    secret = os.environ.setdefault("AUTOGRADE_TEST_SECRET", "not-for-students")
    _SPAWNER["w1_nmt"] = grade.Spawner("w1_nmt")
    yield
    _SPAWNER.pop("w1_nmt").close()
    if secret == "not-for-students":
        os.environ.pop("AUTOGRADE_TEST_SECRET", None)


def _run(submissions, out, functions=SUBSET, **options):
    options.setdefault("timeout", 5)            # per case, CPU s (at least): the infinite loop in f1 costs it twice
    options.setdefault("cell_timeout", 30)      # per cell, CPU s
    grader = grade.Grader("w1_nmt", out, grade.Options(functions=tuple(functions), **options),
                          hide=[pathlib.Path(submissions).resolve()], spawner=_SPAWNER["w1_nmt"])
    subs = grade.find_submissions(submissions)
    return {s.id: d for s, d in zip(subs, grader.grade_all(subs))}


def _scores(document):
    return {t["name"]: t["score"] for t in document["tests"]}


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    folder = tmp_path_factory.mktemp("samples")
    for path in SAMPLES.glob("*.ipynb"):
        shutil.copy2(path, folder / path.name)
    before = _hashes(folder)
    out = tmp_path_factory.mktemp("out-serial")
    results = _run(folder, out)
    return folder, out, results, before


@pytest.mark.cost(47)
def test_correct_sample_scores_what_the_in_process_checks_give(samples):
    from autograder.checks.w1_nmt import CHECKS
    from autograder.samples.make import solution_namespace

    _, out, results, _ = samples
    document = results["correct"]
    assert document["score"] == document["max_score"] == sum(CHECKS[f].points for f in SUBSET)
    namespace = solution_namespace("w1_nmt")  # the library's solutions, defined as a notebook cell would
    assert _scores(document) == {f: CHECKS.grade(f, namespace[f]).score for f in SUBSET}
    notes = document["extra_data"]["notes"]
    # The network namespace and the hidden references must have worked (running as root without
    # capabilities, where nobody cannot read the checkout, is fine and noted).
    assert not [n for n in notes if "unavailable" in n or "could not" in n], notes
    # The notes are the instructor's (results.json, autograde's summary), not in the student's feedback.
    page = (out / "correct" / "feedback.html").read_text()
    assert not [n for n in notes if n in page or n in document["output"]], notes
    assert "Note:" not in page and json.loads((out / "correct" / "results.json").read_text())["extra_data"]["notes"] == notes


def test_case_limits_come_from_the_references_cpu_time_in_this_run(samples, tmp_path):
    from autograder import limits
    from autograder.checks.w1_nmt import CHECKS

    spawner = _SPAWNER["w1_nmt"]           # it measured the references while it filled its cache
    assert {CHECKS[name].reference for name in CHECKS} <= set(spawner.reference_cpu)
    case_limits = grade.Grader("w1_nmt", tmp_path, grade.Options(timeout=5), spawner=spawner).limits()
    check = CHECKS["NMTAttn"]
    for case in check.public + check.hidden:
        measured = spawner.reference_cpu[check.reference][case.name]
        assert case_limits.cpu(check, case) == limits.nice(max(5, 10 * measured)) > 5


def test_mistakes_lose_exactly_their_functions(samples):
    from autograder.checks.w1_nmt import CHECKS

    document = samples[2]["mistakes"]
    lost = {name for name, score in _scores(document).items() if score < CHECKS[name].points}
    assert lost == set(MISTAKES) & set(SUBSET)


def test_broken_samples_are_recorded_with_reasons(samples):
    _, out, results, before = samples
    loop = results["infinite_loop"]
    assert _scores(loop)["f1"] == 0 and "time limit" in next(t["output"] for t in loop["tests"] if t["name"] == "f1")
    assert loop["score"] == loop["max_score"] - 1
    death = results["kernel_death"]
    assert death["score"] == 0 and death["extra_data"]["status"] == "failed"
    assert "exited with status 1" in death["extra_data"]["reason"]
    raises = results["raises"]
    assert _scores(raises)["brevity_penalty"] == 0
    assert "not finished" in next(t["output"] for t in raises["tests"] if t["name"] == "brevity_penalty")
    rows = (out / "grades.csv").read_text().splitlines()
    assert rows[0].split(",")[:4] == ["submission", "status", "score", "max_score"] and len(rows) == 6
    assert _hashes(samples[0]) == before


def test_rerun_is_idempotent_and_skips_finished(samples):
    folder, out, results, _ = samples
    snapshot = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (out / "raises" / "results.json").unlink()           # as if the run had been interrupted here
    again = _run(folder, out)
    assert [sid for sid, d in again.items() if not d["extra_data"]["skipped"]] == ["raises"]
    assert _scores(again["raises"]) == _scores(results["raises"])
    for path, data in snapshot.items():
        if path.name not in ("results.json", "feedback.html"):
            assert path.read_bytes() == data, path


@pytest.mark.cost(20)
def test_two_jobs_give_the_serial_results(samples, tmp_path):
    folder, _, serial, _ = samples
    parallel = _run(folder, tmp_path, jobs=2)
    for sid, document in serial.items():
        assert _scores(parallel[sid]) == _scores(document), sid
        assert [t["output"] for t in parallel[sid]["tests"]] == [t["output"] for t in document["tests"]], sid


@pytest.mark.cost(40)
def test_hostile_corpus(tmp_path):
    folder = tmp_path / "hostile"
    shared = pathlib.Path(tempfile.mkdtemp(prefix="autograde-test-"))
    shared.chmod(0o777)                 # the child runs as nobody when the tests run as root
    pid_file = shared / "fork_pids.txt"
    expectations = hostile_corpus.build(folder, pid_file)
    before = _hashes(folder)
    cache_dir, _ = _SPAWNER["w1_nmt"].prepare()
    cache = pathlib.Path(cache_dir)
    cache_before = {p: p.read_bytes() for p in cache.rglob("*") if p.is_file()}
    results = _run(folder, tmp_path / "out", functions=hostile_corpus.GRADED, cell_timeout=15,
                   memory_mb=1500)
    assert _hashes(folder) == before
    # The shared compilation cache was there to read, and no submission changed or added an entry.
    assert cache_before and {p: p.read_bytes() for p in cache.rglob("*") if p.is_file()} == cache_before
    problems = []
    for name, expect in expectations.items():
        document = results[name]
        text = json.dumps(document)
        if _scores(document) != expect.scores:
            problems.append(f"{name}: scores {_scores(document)} != {expect.scores}")
        if document["extra_data"]["status"] != expect.status:
            problems.append(f"{name}: status {document['extra_data']['status']} != {expect.status}")
        where = {"reason": document["extra_data"]["reason"], "any": text,
                 "f1": next(t["output"] for t in document["tests"] if t["name"] == "f1")}[expect.where]
        if expect.reason not in where:
            problems.append(f"{name}: {expect.reason!r} not in {where[:300]!r}")
        if document["score"] > sum(expect.scores.values()):
            problems.append(f"{name}: score inflated")
    assert not problems, "\n".join(problems)
    # The fork bomb ran (its pids are those of the child's own PID namespace), and none of its processes
    # outlives the child.
    pids = [int(line) for line in pid_file.read_text().split()]
    assert len(pids) == 50
    assert not _survivors(hostile_corpus.FORK_NAME)
    shutil.rmtree(shared)


def _survivors(name):
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == name:
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_discovery_of_both_layouts_and_malformed_only_runs(tmp_path, capsys):
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "ann.ipynb").write_bytes(b"\xff not utf-8")
    nbg = tmp_path / "course" / "submitted"
    for student in ("bob", "cy"):
        (nbg / student / "w1_nmt").mkdir(parents=True)
        (nbg / student / "w1_nmt" / "w1_nmt.ipynb").write_text('{"cells": "nope"}')
    (nbg / "cy" / "w1_nmt" / ".ipynb_checkpoints").mkdir()
    (nbg / "cy" / "w1_nmt" / ".ipynb_checkpoints" / "w1_nmt-checkpoint.ipynb").write_text("{}")
    assert [(s.id, s.folder_copy) for s in grade.find_submissions(flat)] == [("ann", False)]
    assert [s.id for s in grade.find_submissions(tmp_path / "course")] == ["bob", "cy"]
    results = _run(tmp_path / "course", tmp_path / "out", functions=("f1",))
    assert {sid: d["extra_data"]["status"] for sid, d in results.items()} == {"bob": "malformed", "cy": "malformed"}
    page = grade.feedback_html({"tests": [{"name": "<script>", "score": 0, "max_score": 1, "output": "<b>x"}],
                                "score": 0, "max_score": 1, "output": "", "extra_data": {"submission": "<i>"}})
    assert "<script>" not in page and "<b>x" not in page and "&lt;script&gt;" in page
    # How the grader ran is noted for the instructor (results.json, `autograde`'s summary), never for the student.
    note = "runs as root without capabilities: /opt/python is not readable by nobody"
    grader = grade.Grader("w1_nmt", tmp_path / "notes", grade.Options(functions=("f1",)), spawner=_SPAWNER["w1_nmt"])
    document = grader._document(grade.Submission("ann", flat / "ann.ipynb", False), {"f1": []}, "graded", "",
                                [note], ["cell 3: NameError: x"], "0" * 64, "0" * 64, 1.0, {})
    page = grade.feedback_html(document)
    assert document["extra_data"]["notes"] == [note] and note not in document["output"] and note not in page
    assert "cell 3: NameError: x" in document["output"] and "cell 3: NameError: x" in page
    # `autograde` prints them under its summary: here a reused result of bob's carries one.
    from autograder.runner import cli

    bob = nbg / "bob" / "w1_nmt" / "w1_nmt.ipynb"
    reused = dict(document, extra_data=dict(document["extra_data"], submission="bob", input_sha256=grade.sha256(bob),
                                            settings=grader.settings_key))
    (tmp_path / "out" / "bob" / "results.json").write_text(json.dumps(reused))
    capsys.readouterr()
    assert cli.main(["w1_nmt", str(tmp_path / "course"), "--out", str(tmp_path / "out"), "--functions", "f1",
                     "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "reused" in printed and "Notes on the grading" in printed and f"  {note} (1 submission)" in printed


@pytest.mark.cost(50)
def test_dask_local_cluster_gives_the_serial_results(samples, tmp_path):
    """One task per submission on a LocalCluster (each worker forks its own isolated children)."""
    from distributed import Client, LocalCluster

    from autograder.runner.remote import ClusterGrader

    folder, _, serial, before = samples
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        grader = ClusterGrader("w1_nmt", tmp_path, grade.Options(functions=SUBSET, timeout=5, cell_timeout=30),
                               hide=[folder], client=client)
        subs = grade.find_submissions(folder)
        remote = {s.id: d for s, d in zip(subs, grader.grade_all(subs))}
    assert remote.keys() == serial.keys()
    for sid, document in serial.items():
        extra = remote[sid]["extra_data"]
        assert extra["worker"].startswith("tcp://") and extra["path"] == document["extra_data"]["path"], sid
        assert extra["status"] == document["extra_data"]["status"], sid
        assert _scores(remote[sid]) == _scores(document), sid
        assert [t["output"] for t in remote[sid]["tests"]] == [t["output"] for t in document["tests"]], sid
        assert (tmp_path / sid / "results.json").exists()
    assert (tmp_path / "grades.csv").read_text().count("\n") == len(serial) + 1
    assert _hashes(folder) == before


def test_dask_packing_refuses_paths_outside_the_submission(tmp_path):
    from autograder.runner import remote

    packed = {"id": "x", "name": "x.ipynb", "folder_copy": True, "files": {"../escape.txt": b"x"}}
    with pytest.raises(ValueError, match="outside the submission"):
        remote.grade_packed("w1_nmt", remote.options_for_workers(grade.Options()), packed)


def test_cli_reports_an_unreachable_dask_scheduler(tmp_path, capsys, monkeypatch):
    from autograder.runner import cli, remote

    monkeypatch.setattr(remote, "CONNECT_TIMEOUT", "2s")
    (tmp_path / "a.ipynb").write_text("{}")
    with pytest.raises(SystemExit) as exc:
        cli.main(["w1_nmt", str(tmp_path), "--out", str(tmp_path / "out"), "--dask", "tcp://127.0.0.1:1"])
    assert exc.value.code == 2 and "could not connect to the Dask scheduler" in capsys.readouterr().err

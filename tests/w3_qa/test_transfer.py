"""The transfer curve's bookkeeping (w3_qa.transfer): every arm of a size gets the same steps, each run's row
is on disk as soon as it ends, and --resume goes on from the rows written, refusing other settings. A
stand-in for the fine-tuning run: no model is trained (test_train.py runs a real one on a tiny model)."""
import json

import pytest

from coursekit.files import sha256
from w3_qa import config as cfg
from w3_qa import transfer
from w3_qa.transfer import matched_steps, planned_runs, size_steps


class Cut(Exception):
    pass


def fake_run(path, calls, cut_at=None):
    """A stand-in for transfer.run that records what it was asked and what the file held when it started."""
    def run(n_labeled, pretrained, config, data, tokenizer, progress, seed, n_steps, arm):
        if len(calls) == cut_at:
            raise Cut
        rows = json.loads(path.read_text())["rows"] if path.exists() else []
        calls.append((n_labeled, seed, arm, n_steps, len(rows)))
        em = {"pretrained": 30.0, "scratch": 10.0, "scratch_matched": 20.0}[arm] + seed
        return {"n_labeled": n_labeled, "pretrained": pretrained is not None, "arm": arm, "seed": seed,
                "exact_match": em, "f1": em + 5, "steps": n_steps, "train_seconds": 1.0}
    return run


def test_every_arm_of_a_size_gets_the_same_steps_from_its_epochs_with_a_floor_and_a_cap():
    config = cfg.DEFAULT  # 12 epochs of 32, floor 400, cap 1500, multiples of 50
    assert [size_steps(n, config) for n in (25, 100, 400, 1600, 4000)] == [400, 400, 400, 600, 1500]
    assert size_steps(1700, config) == 650, "rounded up to an evaluation step (638 -> 650)"
    plan = planned_runs((100, 400), (0, 1), config)
    for n in (100, 400):
        arms = {arm: steps for size, _, arm, steps in plan if size == n}
        assert arms["pretrained"] == arms["scratch"] == size_steps(n, config)
    assert [arm for size, seed, arm, _ in plan if size == 100 and seed == 0] == ["pretrained", "scratch",
                                                                                 "scratch_matched"]
    assert not [1 for size, _, arm, _ in plan if size == 400 and arm == "scratch_matched"], "matched at 100 only"
    assert matched_steps(config, 400) == 400 + matched_steps(config) - config.transfer_steps
    assert [item[2] for item in planned_runs((100,), (0,), config, control=False)] == ["pretrained", "scratch"]


def _args(tmp_path, *extra):
    checkpoint = tmp_path / "pretrained.pkl.gz"
    if not checkpoint.exists():
        checkpoint.write_bytes(b"weights")
    return ["--pretrained", str(checkpoint), "--out", str(tmp_path), "--sizes", "100,400", "--seeds", "0,1",
            *extra]


def test_rows_are_written_as_runs_end_and_resume_goes_on_from_them(tmp_path, monkeypatch):
    monkeypatch.setattr("w3_qa.visualize.plot_transfer_curve", lambda rows: type("F", (), {
        "savefig": lambda self, path, dpi: path.write_bytes(b"png")})())
    path = tmp_path / cfg.TRANSFER_RESULTS.name
    whole = tmp_path / "whole"
    whole.mkdir()
    calls = []
    assert transfer.main(_args(whole), run_fn=fake_run(whole / path.name, calls)) == 0
    uncut = json.loads((whole / path.name).read_text())
    assert [c[4] for c in calls] == list(range(len(calls))), "each run started with every earlier row on disk"
    assert len(uncut["rows"]) == len(calls) == 2 * 3 + 2 * 2
    assert uncut["gains"]["100"]["exact_match"]["mean"] == 20.0 and uncut["steps"] == {"100": 400, "400": 400}

    cut = []
    with pytest.raises(Cut):
        transfer.main(_args(tmp_path), run_fn=fake_run(path, cut, cut_at=4))
    assert len(json.loads(path.read_text())["rows"]) == 4, "the finished runs' rows survive the cut"
    rest = []
    assert transfer.main(_args(tmp_path, "--resume"), run_fn=fake_run(path, rest)) == 0
    assert [c[:4] for c in rest] == [c[:4] for c in calls[4:]], "only the runs not yet written"
    resumed = json.loads(path.read_text())
    assert resumed["rows"] == uncut["rows"] and resumed["gains"] == uncut["gains"]

    again = []
    assert transfer.main(_args(tmp_path, "--resume", "--sizes", "100,400,1600"), run_fn=fake_run(path, again)) == 0
    assert {c[0] for c in again} == {1600} and len(json.loads(path.read_text())["rows"]) == 14


def test_resume_refuses_rows_made_with_another_checkpoint_or_settings(tmp_path, monkeypatch):
    monkeypatch.setattr("w3_qa.visualize.plot_transfer_curve", lambda rows: type("F", (), {
        "savefig": lambda self, path, dpi: None})())
    path = tmp_path / cfg.TRANSFER_RESULTS.name
    with pytest.raises(Cut):
        transfer.main(_args(tmp_path), run_fn=fake_run(path, [], cut_at=1))
    with pytest.raises(SystemExit, match="overrides"):
        transfer.main(_args(tmp_path, "--resume", "--set", "transfer_epochs=20"), run_fn=fake_run(path, []))
    (tmp_path / "pretrained.pkl.gz").write_bytes(b"other weights")
    with pytest.raises(SystemExit, match="pretrained_sha256"):
        transfer.main(_args(tmp_path, "--resume"), run_fn=fake_run(path, []))
    assert len(json.loads(path.read_text())["rows"]) == 1, "a refused resume leaves the file as it was"


def test_the_matched_arm_counts_the_checkpoints_own_pretraining_compute(tmp_path):
    checkpoint = tmp_path / "long.pkl.gz"
    checkpoint.write_bytes(b"weights")
    assert transfer.with_pretraining_of(cfg.DEFAULT, checkpoint) == cfg.DEFAULT, "no record: the config's"
    record = {"steps": 9000, "config": {"pretrain_batch_size": 16, "input_boundaries": [64, 128, 160, 192]}}
    (tmp_path / "long.train.json").write_text(json.dumps(record))
    compute = transfer.with_pretraining_of(cfg.DEFAULT, checkpoint)
    # 9000 x 16 x 192 pre-training tokens fill 4,500 fine-tuning batches of 32 x 192
    assert matched_steps(compute, 400) == 400 + 4500
    plan = planned_runs((100,), (0,), cfg.DEFAULT, compute=compute)
    assert dict((arm, steps) for _, _, arm, steps in plan)["scratch_matched"] == 4900


class PoolFake:
    """A picklable stand-in for transfer.run (it runs in the pool's processes): the row says which process
    and which cores ran it."""

    def __call__(self, n_labeled, pretrained, config, data, tokenizer, progress, seed, n_steps, arm):
        import os

        em = {"pretrained": 30.0, "scratch": 10.0, "scratch_matched": 20.0}[arm] + seed
        return {"n_labeled": n_labeled, "pretrained": pretrained is not None, "arm": arm, "seed": seed,
                "exact_match": em, "f1": em + 5, "steps": n_steps, "train_seconds": 1.0,
                "pid": os.getpid(), "cores": sorted(os.sched_getaffinity(0))}


def test_two_jobs_give_the_serial_curve_one_core_each(tmp_path, monkeypatch):
    """--jobs 2: the runs go to two spawned processes, each pinned to a core of its own, and the file ends
    with the serial run's rows in the planned order."""
    import os

    monkeypatch.setattr("w3_qa.visualize.plot_transfer_curve", lambda rows: type("F", (), {
        "savefig": lambda self, path, dpi: None})())
    serial, pooled = tmp_path / "serial", tmp_path / "pooled"
    serial.mkdir()
    pooled.mkdir()
    assert transfer.main(_args(serial), run_fn=PoolFake()) == 0
    assert transfer.main(_args(pooled, "--jobs", "2"), run_fn=PoolFake()) == 0
    one = json.loads((serial / cfg.TRANSFER_RESULTS.name).read_text())
    two = json.loads((pooled / cfg.TRANSFER_RESULTS.name).read_text())
    strip = [{k: v for k, v in row.items() if k not in ("pid", "cores")} for row in one["rows"]]
    assert [{k: v for k, v in row.items() if k not in ("pid", "cores")} for row in two["rows"]] == strip
    assert two["gains"] == one["gains"]
    assert {row["pid"] for row in one["rows"]} == {os.getpid()}
    workers = {row["pid"]: tuple(row["cores"]) for row in two["rows"]}
    assert os.getpid() not in workers and all(len(cores) == 1 for cores in workers.values()), workers
    if len(os.sched_getaffinity(0)) > 1 and len(workers) == 2:
        assert len(set(workers.values())) == 2, f"both processes on one core: {workers}"


def test_the_committed_curve_is_what_the_default_command_measures():
    """`python -m w3_qa.transfer --jobs 2` reproduces the committed curve only if it was made from the default
    checkpoint with the default settings, every planned run present."""
    record = json.loads(cfg.TRANSFER_RESULTS.read_text(encoding="utf-8"))
    assert record["pretrained_sha256"] == sha256(cfg.TRANSFER_PRETRAINED), \
        "rerun `python -m w3_qa.transfer --jobs 2`: the curve is of another checkpoint"
    assert record["pretrained_checkpoint"] == cfg.TRANSFER_PRETRAINED.name and record["overrides"] == []
    compute = transfer.with_pretraining_of(cfg.DEFAULT, cfg.TRANSFER_PRETRAINED)
    planned = planned_runs(cfg.DEFAULT.labeled_sizes, (0, 1, 2), cfg.DEFAULT, compute=compute)
    assert sorted((row["n_labeled"], row["seed"], row["arm"], row["steps"]) for row in record["rows"]) == \
        sorted(planned)

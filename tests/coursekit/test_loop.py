"""The shared Loop runner and checkpoint writer: a record at every checkpoint interval and at the end, however
the run is chunked; equal weights give equal checkpoint bytes, which `load_weights` loads back.
(Each week's test_train runs them on its own model and loop.)"""
import math
import pathlib

import numpy as np
import pytest

from coursekit import loop as course_loop
from coursekit.loop import checkpoint_record, load_weights, run_loop, save_weights


class _History:
    def __init__(self):
        self.values = {}

    def get(self, mode, metric):
        return self.values.get((mode, metric), [])


class FakeLoop:
    """The part of trax's training.Loop that run_loop reads: step, run(n_steps), history.get(mode, metric).
    Its losses are a function of the step, and it evaluates every `eval_every` steps as trax's Loop does."""

    def __init__(self, eval_every, step=0):
        self.step, self.eval_every, self.runs = step, eval_every, []
        self.history = _History()

    def run(self, n_steps):
        self.runs.append(n_steps)
        for _ in range(n_steps):
            self.step += 1
            self.history.values.setdefault(("train", "metrics/loss"), []).append((self.step, 1.0 / self.step))
            if self.step % self.eval_every == 0:
                self.history.values.setdefault(("eval", "metrics/loss"), []).append((self.step, 2.0 / self.step))
                self.history.values.setdefault(("eval", "metrics/accuracy"), []).append((self.step, self.step / 100))


def test_run_loop_records_every_checkpoint_and_the_end():
    loop = FakeLoop(eval_every=15)
    history = run_loop(loop, 40, 15, progress=False)
    assert [h["step"] for h in history] == [15, 30, 40]
    assert history[0] == {"step": 15, "train_loss": 1 / 15, "eval_loss": 2 / 15, "eval_accuracy": 0.15}
    assert history[-1]["train_loss"] == 1 / 40 and history[-1]["eval_loss"] == 2 / 30  # last eval at 30
    assert max(loop.runs) <= course_loop.PROGRESS_CHUNK and sum(loop.runs) == 40


def test_run_loop_continues_from_the_loops_step():
    loop = FakeLoop(eval_every=5, step=10)
    assert [h["step"] for h in run_loop(loop, 20, 5, progress=False)] == [15, 20]
    assert run_loop(loop, 20, 5, progress=False) == []


def test_checkpoint_record_before_any_metric_is_nan():
    record = checkpoint_record(FakeLoop(eval_every=5))
    assert record["step"] == 0
    assert all(math.isnan(record[key]) for key in ("train_loss", "eval_loss", "eval_accuracy"))


def test_equal_weights_give_equal_checkpoint_bytes_that_load_back(tmp_path):
    from coursekit.trax_env import import_trax

    trax = import_trax()
    from trax import layers as tl

    def model():
        layer = tl.Serial(tl.Embedding(11, 4), tl.Dense(3))
        layer.init(trax.shapes.ShapeDtype((1, 5), np.int32), rng=trax.fastmath.random.get_prng(0))
        return layer

    first, second = model(), model()
    path = save_weights(first, tmp_path / "deep" / "a.pkl.gz")
    assert path.read_bytes() == save_weights(second, tmp_path / "b.pkl.gz").read_bytes()
    assert not list((tmp_path / "deep").glob("*.tmp"))
    signature = trax.shapes.ShapeDtype((1, 5), np.int32)
    for init_first in (False, True):
        loaded = load_weights(tl.Serial(tl.Embedding(11, 4), tl.Dense(3)), path, signature, "make it",
                              init_first=init_first)
        for a, b in zip(trax.fastmath.tree_flatten(first.weights), trax.fastmath.tree_flatten(loaded.weights)):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    with pytest.raises(FileNotFoundError, match="no checkpoint at .*none.pkl.gz; train one with `make it`"):
        load_weights(tl.Serial(tl.Dense(3)), tmp_path / "none.pkl.gz", signature, "make it")


def test_the_training_record_and_summary_beside_a_checkpoint(tmp_path):
    import dataclasses
    import json

    @dataclasses.dataclass(frozen=True)
    class Config:
        d_model: int = 8

    checkpoint = tmp_path / "model.pkl.gz"
    checkpoint.write_bytes(b"x" * 250_000)
    history = [{"step": 5, "eval_loss": 2.0, "eval_accuracy": 0.1}, {"step": 9, "eval_loss": 1.25, "eval_accuracy": 0.5}]
    path = course_loop.write_training_record(checkpoint, history, 12.34, Config(), pretrained=True)
    assert path == tmp_path / "model.train.json"
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == {"checkpoint": "model.pkl.gz", "steps": 9, "seconds": 12.3, "config": {"d_model": 8},
                                "pretrained": True, "history": history}
    assert list(json.loads(text)) == ["checkpoint", "steps", "seconds", "config", "pretrained", "history"]
    assert course_loop.training_summary("trained", history, 12.34, checkpoint) == (
        f"trained 9 steps in 12 s: eval loss 1.250, eval accuracy 0.500; wrote {checkpoint} (0.2 MB)")


def test_weighted_tasks_train_and_evaluate_on_the_weighted_loss():
    batch = (np.ones((2, 3), np.int32), np.ones((2, 3), np.int32), np.ones((2, 3), np.float32))
    train_task, eval_task = course_loop.weighted_tasks(iter([batch]), iter([batch]), 0.01, lambda step: 0.01,
                                                       steps_per_checkpoint=7, eval_batches=2)
    assert train_task.n_steps_per_checkpoint == 7 and type(train_task.optimizer).__name__ == "Adam"
    assert train_task.loss_layer.name == "WeightedCategoryCrossEntropy"
    assert [m.name for m in eval_task.metrics] == ["WeightedCategoryCrossEntropy", "WeightedCategoryAccuracy"]
    assert eval_task.metric_names == ["loss", "accuracy"] and eval_task.n_eval_batches == 2


def test_output_folder_is_the_given_folder_or_a_removed_temporary_one(tmp_path):
    with course_loop.output_folder(tmp_path, "x_") as folder:
        assert folder == str(tmp_path)
    assert tmp_path.is_dir()
    with pytest.raises(RuntimeError):
        with course_loop.output_folder(None, "course_test_") as folder:
            scratch = pathlib.Path(folder)
            (scratch / "written").write_text("by the loop")
            assert scratch.name.startswith("course_test_")
            raise RuntimeError("training failed")
    assert not scratch.exists()

"""Training: the Loop runs on the weighted loss, is reproducible, and its checkpoint loads back in every mode."""
import dataclasses
import json

import jax
import numpy as np
import pytest

from coursekit.loop import save_weights
from w2_summarizer import config as cfg
from w2_summarizer.train import add_cooldown, load_model, train_model, training_loop
from w2_summarizer.model import TransformerLM

TINY = dataclasses.replace(cfg.DEFAULT, d_model=16, d_ff=32, n_layers=1, n_heads=2, max_len=256,
                           n_train=200, n_eval=40, n_test=40, steps_per_checkpoint=2, eval_batches=1,
                           batch_boundaries=(128, 192), batch_sizes=(4, 4), warmup_steps=2)


def _weights(model):
    return [np.asarray(w) for w in jax.tree_util.tree_leaves(model.weights)]


@pytest.fixture(scope="module")
def trained():
    return train_model(TINY, n_steps=4, progress=False)


def test_training_is_reproducible_and_checkpoint_roundtrips(trained, tmp_path):
    first, history, _ = trained
    second, _, _ = train_model(TINY, n_steps=4, progress=False)
    assert [h["step"] for h in history] == [2, 4]
    assert all(np.isfinite(h["eval_loss"]) and 0 <= h["eval_accuracy"] <= 1 for h in history)
    for a, b in zip(_weights(first), _weights(second)):
        np.testing.assert_array_equal(a, b)
    path = save_weights(first, tmp_path / "summarizer.pkl.gz")
    assert path.read_bytes() == save_weights(second, tmp_path / "again.pkl.gz").read_bytes()
    for mode in ("eval", "predict"):
        loaded = load_model(path, mode=mode, config=TINY)
        for a, b in zip(_weights(first), _weights(loaded)):
            np.testing.assert_array_equal(a, b)


def test_training_loop_builds_the_courses_tasks(tmp_path):
    batch = (np.ones((2, 8), np.int32), np.ones((2, 8), np.int32), np.ones((2, 8), np.float32))

    def stream():
        while True:
            yield batch

    loop = training_loop(TransformerLM, stream(), stream(), tmp_path / "model", config=TINY, vocab_size=30)
    assert loop.step == 0
    task = loop._tasks[0]
    assert "WeightedCategoryCrossEntropy" in str(task.loss_layer)
    assert "TransformerLM" not in str(loop.model) and "Embedding_30_16" in str(loop.model)
    assert loop._eval_tasks[0].metric_names == ["loss", "accuracy"]


def test_the_reference_recipe_cools_the_courses_schedule_down_to_zero(tmp_path):
    """add_cooldown keeps the graded loop's warm-up and rsqrt decay, then falls linearly to 0 at n_steps."""
    batch = (np.ones((2, 8), np.int32), np.ones((2, 8), np.int32), np.ones((2, 8), np.float32))

    def stream():
        while True:
            yield batch

    config = dataclasses.replace(TINY, warmup_steps=10, learning_rate=0.01)
    loop = training_loop(TransformerLM, stream(), stream(), tmp_path / "model", config=config, vocab_size=30)
    task = loop.tasks[0]
    course = [float(task.learning_rate(s)) for s in (5, 10, 40, 60, 80, 100)]
    add_cooldown(loop, 100, 0.25)
    cooled = [float(task.learning_rate(s)) for s in (5, 10, 40, 60, 80, 100)]
    np.testing.assert_allclose(cooled[:4], course[:4], rtol=1e-6)  # before the last 25 steps: unchanged
    np.testing.assert_allclose(cooled[4], course[4] * 20 / 25, rtol=1e-6)
    assert cooled[5] == 0.0 and course[5] > 0.0


def test_loss_ignores_the_article(tmp_path):
    """Changing the model's targets on weight-0 positions changes nothing: only the summary is learned."""
    from trax import layers as tl

    rng = np.random.default_rng(0)
    log_probs = np.log(rng.dirichlet(np.ones(7), size=(2, 6))).astype(np.float32)
    targets = rng.integers(0, 7, size=(2, 6)).astype(np.int32)
    weights = np.zeros((2, 6), np.float32)
    weights[:, 3:] = 1.0
    loss = tl.WeightedCategoryCrossEntropy()
    other = targets.copy()
    other[:, :3] = (other[:, :3] + 1) % 7
    assert float(loss((log_probs, targets, weights))) == pytest.approx(float(loss((log_probs, other, weights))))


def test_reference_checkpoint_record_is_consistent():
    record_path = cfg.REFERENCE_CHECKPOINT.with_name("summarizer.train.json")
    assert cfg.REFERENCE_CHECKPOINT.exists(), "the reference checkpoint is committed; `python -m w2_summarizer.train`"
    record = json.loads(record_path.read_text())
    assert record["config"] == json.loads(json.dumps(dataclasses.asdict(cfg.DEFAULT))), \
        "the checkpoint was trained with another config: retrain with `python -m w2_summarizer.train`"
    assert record["steps"] == cfg.DEFAULT.n_steps
    assert [h["step"] for h in record["history"]][-1] == cfg.DEFAULT.n_steps

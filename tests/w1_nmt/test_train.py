"""Training: teacher-forced Loop runs, is reproducible, and writes a checkpoint that loads back."""
import dataclasses

import numpy as np

from w1_nmt import config as cfg
from w1_nmt.train import load_model, save_weights, train_model

TINY = dataclasses.replace(cfg.DEFAULT, d_model=8, n_encoder_layers=1, n_decoder_layers=1,
                           n_attention_heads=2, n_train=300, n_eval=40, n_test=40, steps_per_checkpoint=3,
                           eval_batches=1, batch_boundaries=(16, 32, 48, 64, 80),
                           batch_sizes=(8, 8, 8, 8, 8), warmup_steps=2)


def _weights(model):
    return [np.asarray(w) for w in _leaves(model.weights)]


def _leaves(tree):
    if isinstance(tree, (list, tuple)):
        for t in tree:
            yield from _leaves(t)
    elif isinstance(tree, dict):
        for t in tree.values():
            yield from _leaves(t)
    elif hasattr(tree, "shape"):
        yield tree


def test_training_is_reproducible_and_checkpoint_roundtrips(tmp_path):
    first, history, _ = train_model(TINY, n_steps=6, progress=False)
    second, _, _ = train_model(TINY, n_steps=6, progress=False)
    assert [h["step"] for h in history] == [3, 6]
    assert all(np.isfinite(h["eval_loss"]) for h in history)
    for a, b in zip(_weights(first), _weights(second)):
        np.testing.assert_array_equal(a, b)

    path = save_weights(first, tmp_path / "nmt.pkl.gz")
    again = save_weights(second, tmp_path / "nmt2.pkl.gz")
    assert path.read_bytes() == again.read_bytes(), "equal weights must give equal checkpoint bytes"
    loaded = load_model(path, mode="eval", config=TINY)
    for a, b in zip(_weights(first), _weights(loaded)):
        np.testing.assert_array_equal(a, b)


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    import pytest

    with pytest.raises(FileNotFoundError, match="python -m w1_nmt.train"):
        load_model(tmp_path / "nope.pkl.gz")

"""The LSTM baseline (w2_summarizer/baseline.py): the shapes its docstrings state, its parameter count, and a
training step that trains. bench/bench_w2.py times these (tests/w2_summarizer/test_bench.py)."""
import jax
import numpy as np

from coursekit.trax_env import import_trax
from w2_summarizer.baseline import lstm_lm, lstm_param_formula, make_train_step, matching_lstm_width

trax = import_trax()

VOCAB, WIDTH, LAYERS, BATCH, LENGTH = 40, 16, 1, 2, 8


def _count(weights):
    return sum(np.size(leaf) for leaf in jax.tree_util.tree_leaves(weights))


def test_lstm_lm_gives_log_probabilities_per_position_and_counts_its_parameters():
    model = lstm_lm(VOCAB, WIDTH, LAYERS)
    model.init(trax.shapes.ShapeDtype((BATCH, LENGTH), np.int32))
    tokens = np.random.default_rng(0).integers(2, VOCAB, (BATCH, LENGTH)).astype(np.int32)
    log_probs = np.asarray(model(tokens))
    assert log_probs.shape == (BATCH, LENGTH, VOCAB) and log_probs.dtype == np.float32
    np.testing.assert_allclose(np.exp(log_probs).sum(-1), 1.0, rtol=1e-5)
    assert _count(model.weights) == lstm_param_formula(VOCAB, WIDTH, LAYERS)


def test_matching_width_is_the_nearest_multiple():
    target = lstm_param_formula(VOCAB, 64, 2)
    assert matching_lstm_width(target, VOCAB, 2) == 64
    assert matching_lstm_width(target + 1, VOCAB, 2, multiple=32) == 64


def test_train_step_returns_the_carry_and_lowers_the_loss():
    step, carry, data = make_train_step(lstm_lm(VOCAB, WIDTH, LAYERS), BATCH, LENGTH, VOCAB, learning_rate=1e-2)
    tokens, targets, weights = data
    assert tokens.shape == targets.shape == weights.shape == (BATCH, LENGTH)
    assert tokens.dtype == np.int32 and weights.dtype == np.float32 and tokens.min() >= 2
    assert _count(carry[0]) == lstm_param_formula(VOCAB, WIDTH, LAYERS)
    losses = []
    for _ in range(5):
        carry, loss = step(carry, data)
        losses.append(float(loss))
    assert np.ndim(loss) == 0 and np.isfinite(losses).all()
    assert losses[-1] < losses[0]

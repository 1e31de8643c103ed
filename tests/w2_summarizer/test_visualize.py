"""Attention pictures: each row of a causal head is a distribution over the past, and the loss curve plots."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from w2_summarizer import visualize  # noqa: E402
from w2_summarizer.model import TransformerLM, trax  # noqa: E402


def test_causal_attention_weights_are_causal_distributions():
    model = TransformerLM(40, d_model=16, d_ff=32, n_layers=2, n_heads=4, max_len=64, mode="eval", dropout=0.0)
    model.init(trax.shapes.ShapeDtype((1, 8), np.int32))
    tokens = np.arange(2, 14)
    weights = visualize.causal_attention_weights(model, tokens, layer=1)
    assert weights.shape == (4, 12, 12)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=1e-9)
    assert (weights[:, np.triu_indices(12, k=1)[0], np.triu_indices(12, k=1)[1]] == 0).all()
    np.testing.assert_allclose(weights[:, 0, 0], 1.0)
    ax = visualize.plot_attention(weights, [str(t) for t in tokens], head=2, rows=slice(6, None))
    assert len(ax.get_yticklabels()) == 6
    with pytest.raises(ValueError, match=r"layer must be in \[0, 2\)"):
        visualize.causal_attention_weights(model, tokens, layer=2)
    with pytest.raises(ValueError, match="12 labels for 12|labels for"):
        visualize.plot_attention(weights, ["a"])


def test_loss_curves():
    history = [{"step": 100, "train_loss": 3.0, "eval_loss": 3.2}, {"step": 200, "train_loss": 2.0, "eval_loss": 2.1}]
    ax = visualize.plot_loss_curves(history)
    assert len(ax.get_lines()) == 2
    with pytest.raises(ValueError, match="history is empty"):
        visualize.plot_loss_curves([])

"""Pictures of the summarizer: what a causal attention head looks at, and the loss curves of training."""
import numpy as np

from w2_summarizer.model import CausalSelfAttentionCore

CORE_NAME = "CausalSelfAttention"


def _contains_core(layer):
    if isinstance(layer, CausalSelfAttentionCore):
        return True
    return any(_contains_core(sub) for sub in getattr(layer, "sublayers", ()) or ())


def _attention_residuals(model):
    top = list(model.sublayers)
    return top, [i for i, sub in enumerate(top) if _contains_core(sub)]


def _norm_and_attention(layer):
    """(LayerNorm, attention Serial) of a residual: the attention is the layer whose direct child is the
    core, and the LayerNorm comes just before it in their parent."""
    subs = list(getattr(layer, "sublayers", ()) or ())
    for i, sub in enumerate(subs):
        children = getattr(sub, "sublayers", ()) or ()
        if any(isinstance(child, CausalSelfAttentionCore) for child in children) and i > 0:
            return subs[i - 1], sub
        found = _norm_and_attention(sub)
        if found:
            return found
    return None


def _apply(layer, x):
    """Run one sublayer with its own weights (eval: no dropout, so the rng is never used)."""
    import jax

    out, _ = layer.pure_fn(x, layer.weights, layer.state, jax.random.PRNGKey(0))
    return out


def causal_attention_weights(model, tokens, layer=0):
    """The attention weights of every head of one decoder block on a token sequence.

    Args:
        model: a TransformerLM (eval mode) with weights.
        tokens: (length,) or (1, length) int token ids, e.g. `summary_prompt(...)` plus a summary.
        layer: int, which decoder block (0 = the first).

    Returns:
        (n_heads, length, length) float numpy array: row i of head h is the softmax distribution of
        position i over positions 0..i (the model reads its input shifted right, so position i holds the
        token before tokens[i]); entries above the diagonal are exactly 0.
    """
    tokens = np.asarray(tokens)
    if tokens.ndim == 1:
        tokens = tokens[None, :]
    if tokens.ndim != 2 or tokens.shape[0] != 1 or tokens.dtype.kind not in "iu":
        raise ValueError(f"tokens must be (length,) or (1, length) ints, but got shape {tokens.shape} and "
                         f"dtype {tokens.dtype}")
    top, residuals = _attention_residuals(model)
    if not residuals:
        raise ValueError("the model has no CausalSelfAttentionCore layer; build it with w2_summarizer's "
                         "TransformerLM")
    if not 0 <= layer < len(residuals):
        raise ValueError(f"layer must be in [0, {len(residuals)}), but got {layer}")
    x = tokens.astype(np.int32)
    for sub in top[:residuals[layer]]:
        x = _apply(sub, x)
    # Residual = Serial(Branch(None, Serial(LayerNorm, attention, Dropout)), Add); find that inner Serial
    layer_norm, attention = _norm_and_attention(top[residuals[layer]])
    queries, keys, _ = _apply(attention.sublayers[0], _apply(layer_norm, x))
    queries, keys = np.asarray(queries, np.float64), np.asarray(keys, np.float64)
    length = queries.shape[-2]
    dots = queries @ np.swapaxes(keys, -1, -2) / np.sqrt(queries.shape[-1])
    dots = np.where(np.tril(np.ones((length, length), bool)), dots, -np.inf)
    dots -= dots.max(axis=-1, keepdims=True)
    weights = np.exp(dots)
    return weights / weights.sum(axis=-1, keepdims=True)


def plot_attention(weights, labels, head=0, ax=None, title=None, rows=None):
    """Heat map of one head of `causal_attention_weights`: queries down, keys across.

    labels: the token strings (one per position). rows: optional slice of query positions to show
    (e.g. the summary's rows only: they look back into the article).
    """
    import matplotlib.pyplot as plt

    weights = np.asarray(weights)
    if weights.ndim != 3 or weights.shape[1] != weights.shape[2]:
        raise ValueError(f"weights must be (n_heads, length, length), but got {weights.shape}")
    if len(labels) != weights.shape[-1]:
        raise ValueError(f"{len(labels)} labels for {weights.shape[-1]} positions")
    rows = rows if rows is not None else slice(None)
    matrix = weights[head][rows]
    row_labels = list(np.asarray(labels, dtype=object)[rows])
    if ax is None:
        _, ax = plt.subplots(figsize=(min(18, 0.14 * len(labels) + 2), min(10, 0.22 * len(row_labels) + 2)))
    ax.imshow(matrix, aspect="auto", cmap="viridis", vmin=0.0)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=90, fontsize=6)
    ax.set_yticks(range(len(row_labels)))
    ax.set_yticklabels(row_labels, fontsize=7)
    ax.set_xlabel("key position (what is looked at)")
    ax.set_ylabel("query position (what is being written)")
    ax.set_title(title or f"causal attention, head {head}")
    return ax


def plot_loss_curves(history, ax=None, title="summarizer training"):
    """Train and eval loss against step, from `train_model`'s history (list of dicts)."""
    import matplotlib.pyplot as plt

    if not history:
        raise ValueError("history is empty: train for at least one checkpoint interval")
    steps = [record["step"] for record in history]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    ax.plot(steps, [record["train_loss"] for record in history], marker="o", label="train loss")
    ax.plot(steps, [record["eval_loss"] for record in history], marker="s", label="eval loss")
    ax.set_xlabel("step")
    ax.set_ylabel("weighted cross-entropy (summary tokens)")
    ax.set_title(title)
    ax.legend()
    return ax

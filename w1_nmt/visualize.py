"""Looking inside a trained NMTAttn: attention alignments and BLEU by sentence length.

* `attention_weights(model, input_tokens, output_tokens)` runs the model's pieces (encoder,
  pre-attention decoder, the AttentionQKV's query and key projections) and returns
  softmax(Q K^T / sqrt(d_head)) per head: row i says where output token i looked in the source.
  `plot_attention` draws it as a heat map (source tokens across, output tokens down).
* `bleu_by_length(models, pairs, tokenizer, buckets, decode_fn)` translates pairs grouped by source
  length and scores each group with corpus BLEU, the experiment that shows the seq2seq bottleneck:
  without attention, BLEU falls as sentences get longer. `plot_bleu_by_length` draws the bars.
* `bucketed_model(model)` wraps a model for fast decoding of many sentences of different lengths:
  it pads inputs and outputs to a few bucket lengths, so the model compiles once per bucket.

matplotlib is imported only inside the plotting functions.
"""
import numpy as np

from coursekit.decoding import jit_model
from coursekit.trax_env import import_trax
from w1_nmt.data import split_tokens
from w1_nmt.metrics import corpus_bleu

trax = import_trax()
from trax import layers as tl  # noqa: E402

DEFAULT_BOUNDARIES = (16, 32, 64, 128)


# ---------------------------------------------------------------------------------------------------
# Attention alignments
# ---------------------------------------------------------------------------------------------------

def _as_batch(tokens, name):
    """A 1-D token list / array, or a (1, length) array -> (1, length) int32."""
    array = np.asarray(tokens)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[0] != 1:
        raise ValueError(f"expected {name} to be 1-D or of shape (1, length) but got shape {array.shape}")
    if array.shape[1] == 0:
        raise ValueError(f"expected {name} to hold at least one token but got none")
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"expected {name} to hold int token ids but got dtype {array.dtype}")
    return array.astype(np.int32)


def _find(layer, kind):
    """The first sublayer (depth first, `layer` included) that is an instance of `kind`, and its parent."""
    stack = [(layer, None)]
    while stack:
        current, parent = stack.pop(0)
        if isinstance(current, kind):
            return current, parent
        stack[:0] = [(sub, current) for sub in current.sublayers]
    return None, None


def _nmt_pieces(model):
    """(Parallel(encoder, pre-attention decoder), AttentionQKV, n_heads) of an NMTAttn."""
    sublayers = model.sublayers
    if len(sublayers) < 4 or not isinstance(sublayers[1], tl.Parallel):
        raise ValueError("expected an NMTAttn: Select, Parallel(encoder, pre-attention decoder), "
                         "PrepareAttentionInput, Residual(AttentionQKV), ...")
    pure, attention = _find(sublayers[3], tl.PureAttention)
    if pure is None:
        raise ValueError("expected an NMTAttn, but its fourth layer holds no attention")
    return sublayers[1], attention, pure._n_heads


def attention_weights(model, input_tokens, output_tokens):
    """The attention weights of an NMTAttn when it reads `input_tokens` and produces `output_tokens`.

    Args:
        model: an initialised NMTAttn ('train' or 'eval' mode; no dropout is applied here).
        input_tokens: the source ids, EOS-terminated: list / 1-D array, or (1, input_len).
        output_tokens: the output ids (EOS included if you want its row): list / 1-D array, or
            (1, output_len). With teacher forcing, row i is the step that predicts output_tokens[i]
            from output_tokens[:i].

    Returns:
        (n_heads, output_len, input_len) float32 numpy array: for every head, the softmax over the
        source positions of Q K^T / sqrt(d_head), exactly as trax's PureAttention computes it
        (padding, id 0, gets weight 0). Each row sums to 1. Average over axis 0 for one map.
    """
    inputs = _as_batch(input_tokens, "input_tokens")
    targets = _as_batch(output_tokens, "output_tokens")
    encoder_decoder, attention, n_heads = _nmt_pieces(model)
    # An explicit rng for every call: a layer's own rng may be a leftover of a jit trace (no layer
    # here is random outside 'train' mode, so its value does not matter).
    rng = trax.fastmath.random.get_prng(0)
    encoder_activations, decoder_activations = encoder_decoder((inputs, targets), rng=rng)
    # prepare_attention_input as the model runs it: queries = decoder activations, keys = values =
    # encoder activations, and the padding mask.
    prepare = model.sublayers[2]
    queries, keys, _, mask = prepare((encoder_activations, decoder_activations, inputs), rng=rng)
    q_dense, k_dense = attention.sublayers[0].sublayers[:2]
    q = np.asarray(q_dense(queries, rng=rng), dtype=np.float64)
    k = np.asarray(k_dense(keys, rng=rng), dtype=np.float64)
    d_head = q.shape[-1] // n_heads
    # (1, length, d_model) -> (n_heads, length, d_head)
    q = q[0].reshape(q.shape[1], n_heads, d_head).transpose(1, 0, 2)
    k = k[0].reshape(k.shape[1], n_heads, d_head).transpose(1, 0, 2)
    dots = q @ k.transpose(0, 2, 1) / np.sqrt(d_head)
    dots = np.where(np.asarray(mask)[0], dots, -1e9)
    dots -= dots.max(axis=-1, keepdims=True)
    weights = np.exp(dots)
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights.astype(np.float32)


def plot_attention(weights, input_labels, output_labels, ax=None, title=None):
    """Heat map of attention weights: source tokens across (x), output tokens down (y).

    Args:
        weights: (output_len, input_len) array, or (n_heads, output_len, input_len) (averaged).
        input_labels, output_labels: lists of str, one per column / row (e.g. pieces of the ids).
        ax: a matplotlib Axes to draw on; None makes a new figure sized to the labels.
        title: optional str.

    Returns:
        the matplotlib Axes.
    """
    weights = np.asarray(weights)
    if weights.ndim == 3:
        weights = weights.mean(axis=0)
    if weights.shape != (len(output_labels), len(input_labels)):
        raise ValueError(f"expected weights of shape ({len(output_labels)}, {len(input_labels)}) "
                         f"(output labels, input labels) but got {weights.shape}")
    import matplotlib.pyplot as plt

    if ax is None:
        width = min(4 + 0.35 * len(input_labels), 18)
        height = min(3 + 0.3 * len(output_labels), 14)
        _, ax = plt.subplots(figsize=(width, height))
    image = ax.imshow(weights, cmap="viridis", vmin=0.0, vmax=max(float(weights.max()), 1e-9),
                      aspect="auto")
    ax.set_xticks(range(len(input_labels)))
    ax.set_xticklabels(input_labels, rotation=90)
    ax.set_yticks(range(len(output_labels)))
    ax.set_yticklabels(output_labels)
    ax.set_xlabel("source (English) tokens")
    ax.set_ylabel("output (German) tokens")
    if title:
        ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, fraction=0.03)
    return ax


# ---------------------------------------------------------------------------------------------------
# Fast decoding and BLEU by sentence length
# ---------------------------------------------------------------------------------------------------

def _pad_to_boundary(array, boundaries):
    length = array.shape[1]
    fitting = [b for b in boundaries if b >= length]
    target = fitting[0] if fitting else length
    if target == length:
        return array
    padded = np.zeros((array.shape[0], target), dtype=np.int32)
    padded[:, :length] = array
    return padded


class _BucketedModel:
    """model((inputs, targets)) -> (log_probs, targets), compiled once per padded shape."""

    def __init__(self, model, boundaries):
        self.model = model
        self.boundaries = tuple(sorted(int(b) for b in boundaries))
        self._forward = jit_model(model)  # compiled once per padded shape, current weights each call

    def __call__(self, inputs_and_targets):
        inputs, targets = (np.asarray(x, dtype=np.int32) for x in inputs_and_targets)
        target_length = targets.shape[1]
        padded = (_pad_to_boundary(inputs, self.boundaries), _pad_to_boundary(targets, self.boundaries))
        log_probs, _ = self._forward(padded)
        return log_probs[:, :target_length], targets


def bucketed_model(model, boundaries=DEFAULT_BOUNDARIES):
    """Wrap an 'eval'-mode NMTAttn (or Seq2SeqBaseline) for fast decoding.

    The wrapper pads inputs and targets with 0 to the next of `boundaries` and runs one compiled
    function per padded shape. Both are safe: padded source tokens are masked out of the attention
    (and come after the real ones in the encoder LSTM), and the output at target position t depends
    on targets[:t] only (the decoder is causal), so the log-probs it returns (cut back to the
    requested target length) equal the model's up to float rounding.
    """
    if isinstance(model, _BucketedModel):
        return model
    return _BucketedModel(model, boundaries)


def _source_length(pair):
    return len(split_tokens(pair[0]))


def bleu_by_length(models, pairs, tokenizer, buckets, decode_fn, max_per_bucket=None, jit=True):
    """Corpus BLEU of each model on the pairs of each source-length bucket.

    Args:
        models: dict name -> model (e.g. {"attention": nmt, "no attention": baseline}).
        pairs: list of (source, reference) str pairs.
        tokenizer: passed on to `decode_fn`.
        buckets: list of (low, high) source lengths in words and punctuation (see
            `w1_nmt.data.split_tokens`), both inclusive, e.g. [(3, 15), (16, 30), (31, 60)].
        decode_fn: function(sentence, model, tokenizer) -> translated str, e.g.
            `lambda s, m, t: greedy_decode(s, m, tokenizer=t, max_length=80)`.
        max_per_bucket: int or None, translate only the first pairs of each bucket (fast demos).
        jit: wrap each model with `bucketed_model` first (much faster for more than a few sentences).

    Returns:
        dict with "buckets" (the list of (low, high)), "counts" (pairs per bucket) and "bleu":
        {name: [corpus BLEU in [0, 1] of each bucket, None where the bucket is empty]}.
        BLEU is computed on `split_tokens` of the translation and of the reference.
    """
    if not isinstance(models, dict) or not models:
        raise TypeError("expected models to be a non-empty dict name -> model")
    buckets = [(int(low), int(high)) for low, high in buckets]
    groups = []
    for low, high in buckets:
        if low > high:
            raise ValueError(f"expected buckets as (low, high) with low <= high but got {(low, high)}")
        group = [pair for pair in pairs if low <= _source_length(pair) <= high]
        groups.append(group[:max_per_bucket] if max_per_bucket is not None else group)
    result = {"buckets": buckets, "counts": [len(group) for group in groups], "bleu": {}}
    for name, model in models.items():
        runner = bucketed_model(model) if jit else model
        scores = []
        for group in groups:
            if not group:
                scores.append(None)
                continue
            candidates = [split_tokens(decode_fn(source, runner, tokenizer)) for source, _ in group]
            references = [[split_tokens(reference)] for _, reference in group]
            scores.append(corpus_bleu(candidates, references))
        result["bleu"][name] = scores
    return result


def plot_bleu_by_length(result, ax=None):
    """Grouped bars of `bleu_by_length`'s result: BLEU (x 100) per source-length bucket and model."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    names = list(result["bleu"])
    n_buckets = len(result["buckets"])
    width = 0.8 / max(len(names), 1)
    for index, name in enumerate(names):
        values = [100 * score if score is not None else 0.0 for score in result["bleu"][name]]
        positions = [b + (index - (len(names) - 1) / 2) * width for b in range(n_buckets)]
        ax.bar(positions, values, width, label=name)
    ax.set_xticks(range(n_buckets))
    ax.set_xticklabels([f"{low}-{high}\n({count} pairs)" for (low, high), count
                        in zip(result["buckets"], result["counts"])])
    ax.set_xlabel("source length (words and punctuation)")
    ax.set_ylabel("corpus BLEU")
    ax.legend()
    return ax

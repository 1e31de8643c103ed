"""The Week 2 model: a Transformer decoder (GPT-2 style) language model, built from its pieces.

Shapes (B = batch, L = sequence length, H = heads, d = d_model, d_head = d // H)::

    DotProductAttention      q (..., Lq, dk), k (..., Lk, dk), v (..., Lk, dv), mask (..., Lq, Lk) bool
                             -> (..., Lq, dv)
    dot_product_self_attention  q, k, v (B*H, L, d_head) -> (B*H, L, d_head), causal mask
    positional_encoding      -> (1, max_len, d) float32, sin on even and cos on odd features
    compute_attention_heads  (B, L, H*d_head) -> (B*H, L, d_head)
    compute_attention_output (B*H, L, d_head) -> (B, L, H*d_head)
    CausalAttention          (B, L, d) -> (B, L, d)
    DecoderBlock             (B, L, d) -> (B, L, d)
    TransformerLM            (B, L) int32 token ids -> (B, L, vocab_size) float32 log-probabilities;
                             position t is predicted from tokens [0, t) (the input is shifted right)

In 'predict' mode the model reads one token (or a chunk) per call and keeps the keys and values of
the tokens it has seen in its state (the cache), so generating a token costs one position, not the
whole prefix. The graded functions keep the course's names and meanings; their layer layout is the
one of `trax.models.TransformerLM`, so weights map one to one.
"""
import numpy as np

from coursekit.trax_env import import_trax
from coursekit.validation import check_dropout, check_mode, check_positive_int

trax = import_trax()
from trax import fastmath  # noqa: E402
from trax import layers as tl  # noqa: E402
from trax.fastmath import numpy as jnp  # noqa: E402

DEFAULT_MAX_LEN = 2048
MASKED_SCORE = -1e9


def _check_qkv(query, key, value):
    for name, array in (("query", query), ("key", key), ("value", value)):
        if not hasattr(array, "shape") or len(array.shape) < 2:
            raise ValueError(f"{name} must be an array with at least 2 dimensions (..., length, depth), "
                             f"but got {getattr(array, 'shape', type(array).__name__)}")
    if query.shape[-1] != key.shape[-1]:
        raise ValueError(f"query and key must have the same depth (last axis), but got query "
                         f"{tuple(query.shape)} and key {tuple(key.shape)}")
    if key.shape[-2] != value.shape[-2]:
        raise ValueError(f"key and value must have the same length (axis -2), but got key "
                         f"{tuple(key.shape)} and value {tuple(value.shape)}")


# -------------------------------------------------------------------------------------------------
# Attention
# -------------------------------------------------------------------------------------------------

def DotProductAttention(query, key, value, mask):  # noqa: N802 (the course's name)
    """Scaled dot-product attention: softmax(query key^T / sqrt(depth) + mask) value.

    Args:
        query: (..., Lq, depth) float.
        key: (..., Lk, depth) float.
        value: (..., Lk, depth_v) float.
        mask: None, or bool (or 0/1) broadcastable to (..., Lq, Lk): True where a query may look at a
            key. Masked scores become -1e9, so they get exactly zero weight. The row maximum is
            subtracted before the softmax: a row with every key masked gets uniform weights (in
            float32, -1e9 + log(n) rounds to -1e9, so without it the weights would sum to n).

    Returns:
        (..., Lq, depth_v): for each query, the weighted average of the values.
    """
    _check_qkv(query, key, value)
    ### BEGIN SOLUTION
    depth = query.shape[-1]
    dots = jnp.matmul(query, jnp.swapaxes(key, -1, -2)) / jnp.sqrt(depth)
    if mask is not None:
        dots = jnp.where(mask, dots, jnp.full_like(dots, MASKED_SCORE))
    dots = dots - jnp.max(dots, axis=-1, keepdims=True)  # a fully masked row becomes 0s, not -1e9s
    logsumexp = fastmath.logsumexp(dots, axis=-1, keepdims=True)
    weights = jnp.exp(dots - logsumexp)
    attention = jnp.matmul(weights, value)
    ### END SOLUTION
    return attention


def dot_product_self_attention(q, k, v):
    """Masked (causal) self-attention: position i looks at positions 0..i only.

    Args:
        q, k, v: (batch, length, depth) float, e.g. (B*H, L, d_head).

    Returns:
        (batch, length, depth): DotProductAttention with a lower-triangular mask of shape
        (1, length, length).
    """
    _check_qkv(q, k, v)
    if q.shape[-2] != k.shape[-2]:
        raise ValueError(f"self-attention needs as many queries as keys, but got q {tuple(q.shape)} "
                         f"and k {tuple(k.shape)}")
    ### BEGIN SOLUTION
    mask_size = q.shape[-2]
    mask = jnp.tril(jnp.ones((1, mask_size, mask_size), dtype=jnp.bool_), k=0)
    attention = DotProductAttention(q, k, v, mask)
    ### END SOLUTION
    return attention


def positional_encoding(max_len, d_model):
    """Sinusoidal positional encodings of Vaswani et al. (2017).

    PE[pos, 2i] = sin(pos / 10000^(2i / d_model)) and PE[pos, 2i + 1] = cos(pos / 10000^(2i / d_model)).

    Args:
        max_len: int, the number of positions.
        d_model: int, the number of features.

    Returns:
        (1, max_len, d_model) float32 numpy array.
    """
    check_positive_int("max_len", max_len)
    check_positive_int("d_model", d_model)
    ### BEGIN SOLUTION
    positions = np.arange(max_len)[:, np.newaxis]
    features = np.arange(d_model)[np.newaxis, :]
    angle_rates = 1.0 / np.power(10000.0, (2 * (features // 2)) / np.float64(d_model))
    angles = positions * angle_rates
    angles[:, 0::2] = np.sin(angles[:, 0::2])
    angles[:, 1::2] = np.cos(angles[:, 1::2])
    encoding = angles[np.newaxis, ...]
    ### END SOLUTION
    return np.asarray(encoding, dtype=np.float32)


def compute_attention_heads_closure(n_heads, d_head):
    """A function that splits the features into heads: (B, L, n_heads * d_head) -> (B * n_heads, L, d_head).

    Row b * n_heads + h of the result holds head h of batch element b.
    """
    check_positive_int("n_heads", n_heads)
    check_positive_int("d_head", d_head)

    def compute_attention_heads(x):
        if len(x.shape) != 3 or x.shape[-1] != n_heads * d_head:
            raise ValueError(f"expected x of shape (batch, length, {n_heads * d_head}) = (batch, length, "
                             f"n_heads * d_head), but got {tuple(x.shape)}")
        ### BEGIN SOLUTION
        batch_size, seqlen = x.shape[0], x.shape[1]
        x = jnp.reshape(x, (batch_size, seqlen, n_heads, d_head))
        x = jnp.transpose(x, (0, 2, 1, 3))
        x = jnp.reshape(x, (-1, seqlen, d_head))
        ### END SOLUTION
        return x

    return compute_attention_heads


def compute_attention_output_closure(n_heads, d_head):
    """A function that joins the heads back: (B * n_heads, L, d_head) -> (B, L, n_heads * d_head).

    The inverse of compute_attention_heads_closure(n_heads, d_head).
    """
    check_positive_int("n_heads", n_heads)
    check_positive_int("d_head", d_head)

    def compute_attention_output(x):
        if len(x.shape) != 3 or x.shape[-1] != d_head or x.shape[0] % n_heads:
            raise ValueError(f"expected x of shape (batch * {n_heads}, length, {d_head}) = (batch * n_heads, "
                             f"length, d_head), but got {tuple(x.shape)}")
        ### BEGIN SOLUTION
        seqlen = x.shape[1]
        x = jnp.reshape(x, (-1, n_heads, seqlen, d_head))
        x = jnp.transpose(x, (0, 2, 1, 3))
        x = jnp.reshape(x, (-1, seqlen, n_heads * d_head))
        ### END SOLUTION
        return x

    return compute_attention_output


class CausalSelfAttentionCore(tl.Layer):
    """The per-head core of causal attention, with a key/value cache in 'predict' mode.

    Inputs q, k, v of shape (B*H, L, d_head); output (B*H, L, d_head).

    In 'train' and 'eval' mode it is ``self_attention_fn(q, k, v)`` (causal self-attention over the
    L positions). In 'predict' mode the layer's state is (keys (B*H, max_len, d_head), values (same),
    index): each call writes its k, v at positions index.. index+L-1 and attends, with
    ``attention_fn(q, keys, values, mask)``, to every cached position up to its own. Feeding a sequence
    one token at a time then gives the outputs of one full causal pass.
    """

    def __init__(self, self_attention_fn=None, attention_fn=None, mode="train", max_len=DEFAULT_MAX_LEN):
        super().__init__(n_in=3, n_out=1, name="CausalSelfAttention")
        check_mode(mode)
        check_positive_int("max_len", max_len)
        self._self_attention_fn = self_attention_fn or dot_product_self_attention
        self._attention_fn = attention_fn or DotProductAttention
        self._mode = mode
        self._max_len = int(max_len)

    def forward(self, inputs):
        q, k, v = inputs
        if self._mode != "predict":
            return self._self_attention_fn(q, k, v)
        keys, values, index = self.state
        n_new = q.shape[-2]
        keys = fastmath.dynamic_update_slice_in_dim(keys, k.astype(keys.dtype), index, axis=1)
        values = fastmath.dynamic_update_slice_in_dim(values, v.astype(values.dtype), index, axis=1)
        query_positions = index + jnp.arange(n_new)
        mask = jnp.arange(self._max_len)[None, None, :] <= query_positions[None, :, None]
        self.state = (keys, values, index + n_new)
        return self._attention_fn(q, keys, values, mask)

    def init_weights_and_state(self, input_signature):
        if self._mode == "predict":
            q_signature, _, v_signature = input_signature
            rows, depth = q_signature.shape[0], q_signature.shape[-1]
            self.state = (jnp.zeros((rows, self._max_len, depth), dtype=np.float32),
                          jnp.zeros((rows, self._max_len, v_signature.shape[-1]), dtype=np.float32),
                          jnp.zeros((), dtype=np.int32))


class PositionalEncoding(tl.PositionalEncoding):
    """trax's PositionalEncoding layer, its (trainable) table initialised by `positional_encoding`.

    (B, L, d) -> (B, L, d): adds rows 0..L-1 of its (max_len, d) table (trax stores it so); in 'predict' mode the state
    is the position of the next token.
    """

    def __init__(self, max_len=DEFAULT_MAX_LEN, mode="train"):
        check_mode(mode)
        check_positive_int("max_len", max_len)
        super().__init__(max_len=max_len, mode=mode)

    def init_weights_and_state(self, input_signature):
        self.weights = jnp.asarray(positional_encoding(self._max_len, input_signature.shape[-1])[0])
        if self._mode == "predict":
            self.state = jnp.zeros((), dtype=jnp.int32)


# -------------------------------------------------------------------------------------------------
# Layers
# -------------------------------------------------------------------------------------------------

def CausalAttention(d_feature, n_heads, mode="train", max_len=DEFAULT_MAX_LEN):  # noqa: N802
    """Multi-head causal self-attention: (batch, length, d_feature) -> (batch, length, d_feature).

    Dense layers make the queries, keys and values, which are split into `n_heads` heads of
    d_feature // n_heads features; causal attention runs per head (CausalSelfAttentionCore, built on
    your dot_product_self_attention); the heads are joined and mixed by a last Dense layer.
    `max_len` bounds the length of the 'predict'-mode cache.
    """
    check_positive_int("d_feature", d_feature)
    check_positive_int("n_heads", n_heads)
    check_mode(mode)
    if d_feature % n_heads:
        raise ValueError(f"d_feature ({d_feature}) must be a multiple of n_heads ({n_heads})")
    d_head = d_feature // n_heads
    ### BEGIN SOLUTION
    compute_attention_heads = tl.Fn("AttnHeads", compute_attention_heads_closure(n_heads, d_head), n_out=1)
    causal_attention = tl.Serial(
        tl.Branch(
            [tl.Dense(d_feature), compute_attention_heads],  # queries
            [tl.Dense(d_feature), compute_attention_heads],  # keys
            [tl.Dense(d_feature), compute_attention_heads],  # values
        ),
        CausalSelfAttentionCore(dot_product_self_attention, DotProductAttention, mode=mode, max_len=max_len),
        tl.Fn("AttnOutput", compute_attention_output_closure(n_heads, d_head), n_out=1),
        tl.Dense(d_feature),
    )
    ### END SOLUTION
    return causal_attention


def DecoderBlock(d_model, d_ff, n_heads, dropout, mode, ff_activation, max_len=DEFAULT_MAX_LEN):  # noqa: N802
    """One decoder block: [Residual(LayerNorm, CausalAttention, Dropout), Residual(feed-forward)].

    The feed-forward part is LayerNorm, Dense(d_ff), ff_activation(), Dropout, Dense(d_model), Dropout.
    Returns a list of two layers, (batch, length, d_model) -> (batch, length, d_model).
    """
    check_positive_int("d_model", d_model)
    check_positive_int("d_ff", d_ff)
    check_positive_int("n_heads", n_heads)
    check_dropout(dropout)
    check_mode(mode)
    if not callable(ff_activation):
        raise TypeError(f"ff_activation must be a layer class such as tl.Relu, but got {ff_activation!r}")
    ### BEGIN SOLUTION
    causal_attention = CausalAttention(d_model, n_heads=n_heads, mode=mode, max_len=max_len)
    feed_forward = [
        tl.LayerNorm(),
        tl.Dense(d_ff),
        ff_activation(),
        tl.Dropout(rate=dropout, mode=mode),
        tl.Dense(d_model),
        tl.Dropout(rate=dropout, mode=mode),
    ]
    decoder_block = [
        tl.Residual(tl.LayerNorm(), causal_attention, tl.Dropout(rate=dropout, mode=mode)),
        tl.Residual(feed_forward),
    ]
    ### END SOLUTION
    return decoder_block


def TransformerLM(vocab_size=33300, d_model=512, d_ff=2048, n_layers=6, n_heads=8,  # noqa: N802
                  dropout=0.1, max_len=4096, mode="train", ff_activation=tl.Relu):
    """A Transformer decoder language model: (batch, length) int32 -> (batch, length, vocab_size).

    ShiftRight (teacher forcing), token embedding, dropout, positional encoding, `n_layers` decoder
    blocks, a last LayerNorm, a Dense layer to vocabulary size and LogSoftmax.
    """
    for name, value in (("vocab_size", vocab_size), ("d_model", d_model), ("d_ff", d_ff),
                        ("n_layers", n_layers), ("n_heads", n_heads), ("max_len", max_len)):
        check_positive_int(name, value)
    check_dropout(dropout)
    check_mode(mode)
    ### BEGIN SOLUTION
    positional_encoder = [
        tl.Embedding(vocab_size, d_model),
        tl.Dropout(rate=dropout, mode=mode),
        PositionalEncoding(max_len=max_len, mode=mode),
    ]
    decoder_blocks = [DecoderBlock(d_model, d_ff, n_heads, dropout, mode, ff_activation, max_len=max_len)
                      for _ in range(n_layers)]
    model = tl.Serial(
        tl.ShiftRight(mode=mode),
        positional_encoder,
        decoder_blocks,
        tl.LayerNorm(),
        tl.Dense(vocab_size),
        tl.LogSoftmax(),
    )
    ### END SOLUTION
    return model

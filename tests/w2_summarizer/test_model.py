"""The Week 2 model against references that no one here wrote: jax.nn.dot_product_attention, trax's own
attention internals, tl.CausalAttention, trax.models.TransformerLM (weights mapped one to one).

Tolerance: 1e-5 absolute in float32 with matmul precision 'highest' (coursekit.trax_env sets it), which
holds on CPU, GPU and TPU; the differences measured on CPU are below 1e-6.
"""
import jax
import numpy as np
import pytest

from w2_summarizer import model as m

trax = m.trax
tl = m.tl
ATOL = 1e-5
SMALL = dict(d_model=16, d_ff=32, n_layers=2, n_heads=4, max_len=32, dropout=0.0)


def _rng(seed=0):
    return np.random.default_rng(seed)


def _qkv(rng, batch=(2, 3), lq=5, lk=7, depth=8):
    q = rng.normal(size=batch + (lq, depth)).astype(np.float32)
    k = rng.normal(size=batch + (lk, depth)).astype(np.float32)
    v = rng.normal(size=batch + (lk, depth)).astype(np.float32)
    return q, k, v


def _map_weights(source, target):
    """Give `target` the weights of `source`, leaf by leaf in order (their layouts are the same)."""
    src = jax.tree_util.tree_leaves(source.weights)
    dst = jax.tree_util.tree_leaves(target.weights)
    assert [tuple(a.shape) for a in src] == [tuple(b.shape) for b in dst]
    target.weights = jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(target.weights), src)


def _to_jax_layout(x):  # (B, H, L, d) -> (B, L, H, d), jax.nn.dot_product_attention's layout
    return np.swapaxes(x, 1, 2)


@pytest.mark.parametrize("with_mask", [False, True])
def test_dot_product_attention_equals_jax(with_mask):
    rng = _rng(1)
    q, k, v = _qkv(rng)
    mask = rng.random((2, 1, 5, 7)) > 0.3 if with_mask else None
    ours = np.asarray(m.DotProductAttention(q, k, v, mask))
    ref = jax.nn.dot_product_attention(_to_jax_layout(q), _to_jax_layout(k), _to_jax_layout(v), mask=mask)
    np.testing.assert_allclose(ours, _to_jax_layout(np.asarray(ref)), atol=ATOL)


def test_dot_product_attention_equals_trax_internals():
    from trax.layers.attention import _per_head_attention

    rng = _rng(2)
    q, k, v = _qkv(rng, batch=(6,))
    mask = rng.random((6, 5, 7)) > 0.5
    mask[..., 0] = True  # trax gives a fully masked row weights that sum to 7 (see test_fully_masked...)
    ref, _ = _per_head_attention(q, k, v, mask, dropout=0.0, mode="eval", rng=None)
    np.testing.assert_allclose(np.asarray(m.DotProductAttention(q, k, v, mask)), np.asarray(ref), atol=ATOL)


def test_causal_mask_gives_future_positions_exactly_zero_weight():
    rng = _rng(3)
    q, k, v = _qkv(rng, batch=(4,), lq=6, lk=6)
    base = np.asarray(m.dot_product_self_attention(q, k, v))
    for position in range(6):
        changed_k, changed_v = k.copy(), v.copy()
        changed_k[:, position + 1:] = rng.normal(size=changed_k[:, position + 1:].shape) * 100
        changed_v[:, position + 1:] = 1e6
        out = np.asarray(m.dot_product_self_attention(q, changed_k, changed_v))
        # exactly equal, not just close: a future key or value has weight 0.0
        np.testing.assert_array_equal(out[:, :position + 1], base[:, :position + 1])
    ref = jax.nn.dot_product_attention(q[:, :, None], k[:, :, None], v[:, :, None], is_causal=True)
    np.testing.assert_allclose(base, np.asarray(ref)[:, :, 0], atol=ATOL)


def test_fully_masked_rows_are_finite():
    q, k, v = _qkv(_rng(4), batch=(2,))
    mask = np.ones((2, 5, 7), bool)
    mask[:, 2] = False  # query 2 may look at nothing (e.g. all padding)
    out = np.asarray(m.DotProductAttention(q, k, v, mask))
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out[:, 2], v.mean(axis=1), atol=ATOL)  # uniform weights, not NaN


def test_attention_bad_inputs_have_clear_messages():
    q, k, v = _qkv(_rng(5))
    with pytest.raises(ValueError, match="query and key must have the same depth"):
        m.DotProductAttention(q, k[..., :4], v, None)
    with pytest.raises(ValueError, match="key and value must have the same length"):
        m.DotProductAttention(q, k, v[..., :3, :], None)
    with pytest.raises(ValueError, match="as many queries as keys"):
        m.dot_product_self_attention(q, k, v)


def test_positional_encoding_is_the_papers_and_traxs():
    pe = m.positional_encoding(50, 16)
    assert pe.shape == (1, 50, 16) and pe.dtype == np.float32
    pos, i = 7, 3  # feature 2i = 6 is sin, 2i + 1 = 7 is cos
    np.testing.assert_allclose(pe[0, pos, 2 * i], np.sin(pos / 10000 ** (2 * i / 16)), atol=1e-6)
    np.testing.assert_allclose(pe[0, pos, 2 * i + 1], np.cos(pos / 10000 ** (2 * i / 16)), atol=1e-6)
    layer = tl.PositionalEncoding(max_len=50)
    layer.init(trax.shapes.ShapeDtype((1, 4, 16), np.float32))
    np.testing.assert_allclose(pe[0], np.asarray(layer.weights), atol=1e-6)
    assert m.positional_encoding(4, 5).shape == (1, 4, 5)  # odd widths work too
    with pytest.raises(ValueError, match="max_len must be >= 1"):
        m.positional_encoding(0, 4)
    with pytest.raises(TypeError, match="d_model must be an int"):
        m.positional_encoding(4, 2.5)


def test_head_closures_equal_trax_split_and_merge():
    x = _rng(6).normal(size=(2, 5, 12)).astype(np.float32)
    heads = np.asarray(m.compute_attention_heads_closure(3, 4)(x))
    assert heads.shape == (6, 5, 4)
    np.testing.assert_array_equal(heads, np.asarray(tl.attention.SplitIntoHeads(3)(x)))
    back = np.asarray(m.compute_attention_output_closure(3, 4)(heads))
    np.testing.assert_array_equal(back, x)
    np.testing.assert_array_equal(back, np.asarray(tl.attention.MergeHeads(3)(heads)))
    with pytest.raises(ValueError, match=r"expected x of shape \(batch, length, 12\)"):
        m.compute_attention_heads_closure(3, 4)(x[..., :10])
    with pytest.raises(ValueError, match="batch \\* 3"):
        m.compute_attention_output_closure(3, 4)(heads[:5])


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_causal_attention_equals_trax(mode):
    x = _rng(7).normal(size=(2, 6, 16)).astype(np.float32)
    signature = trax.shapes.ShapeDtype(x.shape, np.float32)
    ours, ref = m.CausalAttention(16, 4, mode=mode), tl.CausalAttention(16, n_heads=4, mode=mode)
    ref.init(signature)
    ours.init(signature)
    _map_weights(ref, ours)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(ref(x)), atol=ATOL)


def test_causal_attention_predict_mode_equals_trax_predict_mode():
    x = _rng(8).normal(size=(2, 6, 16)).astype(np.float32)
    ours = m.CausalAttention(16, 4, mode="predict", max_len=8)
    ref = tl.CausalAttention(16, n_heads=4, mode="predict", max_inference_length=8)
    signature = trax.shapes.ShapeDtype((2, 1, 16), np.float32)
    ref.init(signature)
    ours.init(signature)
    _map_weights(ref, ours)
    for t in range(6):
        np.testing.assert_allclose(np.asarray(ours(x[:, t:t + 1])), np.asarray(ref(x[:, t:t + 1])), atol=ATOL)


def test_decoder_block_equals_trax():
    from trax.models.transformer import _DecoderBlock

    x = _rng(9).normal(size=(2, 6, 16)).astype(np.float32)
    signature = trax.shapes.ShapeDtype(x.shape, np.float32)
    ours = tl.Serial(m.DecoderBlock(16, 32, 4, 0.0, "eval", tl.Relu))
    ref = tl.Serial(_DecoderBlock(16, 32, 4, 0.0, None, "eval", tl.Relu))
    ref.init(signature)
    ours.init(signature)
    _map_weights(ref, ours)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(ref(x)), atol=ATOL)


def _pair(mode, vocab=50, **sizes):
    sizes = {**SMALL, **sizes}
    ours = m.TransformerLM(vocab, mode=mode, **sizes)
    ref = trax.models.TransformerLM(vocab, mode=mode, **sizes)
    return ours, ref


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_transformer_lm_equals_trax(mode):
    tokens = _rng(10).integers(1, 50, size=(2, 9)).astype(np.int32)
    ours, ref = _pair(mode)
    signature = trax.shapes.ShapeDtype(tokens.shape, np.int32)
    ref.init(signature)
    ours.init(signature)
    _map_weights(ref, ours)
    log_probs = np.asarray(ours(tokens))
    assert log_probs.shape == (2, 9, 50)
    # trax's TransformerLM returns logits; ours ends with LogSoftmax, as the course's does
    np.testing.assert_allclose(log_probs, np.asarray(jax.nn.log_softmax(ref(tokens))), atol=ATOL)


def test_transformer_lm_predict_mode_equals_full_pass_and_trax_predict():
    tokens = _rng(11).integers(1, 50, size=(2, 9)).astype(np.int32)
    full, _ = _pair("eval")
    full.init(trax.shapes.ShapeDtype(tokens.shape, np.int32))
    expected = np.asarray(full(tokens))
    ours, ref = _pair("predict")
    signature = trax.shapes.ShapeDtype((2, 1), np.int32)
    ours.init(signature)
    ref.init(signature)
    _map_weights(full, ours)
    _map_weights(full, ref)
    shifted = np.concatenate([np.zeros((2, 1), np.int32), tokens[:, :-1]], axis=1)
    steps = [np.asarray(ours(shifted[:, t:t + 1])) for t in range(9)]
    np.testing.assert_allclose(np.concatenate(steps, axis=1), expected, atol=ATOL)
    trax_steps = [np.asarray(jax.nn.log_softmax(ref(shifted[:, t:t + 1]))) for t in range(9)]
    np.testing.assert_allclose(np.concatenate(trax_steps, axis=1), expected, atol=ATOL)


def test_transformer_lm_predict_mode_takes_chunks():
    tokens = _rng(12).integers(1, 50, size=(1, 8)).astype(np.int32)
    full, _ = _pair("eval")
    full.init(trax.shapes.ShapeDtype(tokens.shape, np.int32))
    expected = np.asarray(full(tokens))
    ours, _ = _pair("predict")
    ours.init(trax.shapes.ShapeDtype((1, 1), np.int32))
    _map_weights(full, ours)
    shifted = np.concatenate([np.zeros((1, 1), np.int32), tokens[:, :-1]], axis=1)
    first, second = np.asarray(ours(shifted[:, :5])), np.asarray(ours(shifted[:, 5:]))
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), expected, atol=ATOL)


def test_layer_constructors_check_their_arguments():
    with pytest.raises(ValueError, match=r"d_feature \(10\) must be a multiple of n_heads \(4\)"):
        m.CausalAttention(10, 4)
    with pytest.raises(ValueError, match="mode must be one of"):
        m.CausalAttention(8, 2, mode="training")
    with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\)"):
        m.DecoderBlock(8, 16, 2, 1.5, "train", tl.Relu)
    with pytest.raises(TypeError, match="ff_activation must be a layer class"):
        m.DecoderBlock(8, 16, 2, 0.1, "train", "relu")
    with pytest.raises(TypeError, match="vocab_size must be an int"):
        m.TransformerLM(vocab_size=None)


def test_the_model_layout_is_the_courses():
    text = str(m.TransformerLM(50, mode="eval", **SMALL))
    for piece in ("ShiftRight", "Embedding_50_16", "PositionalEncoding", "AttnHeads",
                  "CausalSelfAttention_in3", "AttnOutput", "LayerNorm", "Dense_50", "LogSoftmax"):
        assert piece in text

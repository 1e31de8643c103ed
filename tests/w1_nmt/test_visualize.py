"""Tests for w1_nmt.visualize: attention weights, the jitted decoding wrapper, BLEU by length."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from coursekit.trax_env import import_trax  # noqa: E402
from w1_nmt.model import NMTAttn  # noqa: E402
from w1_nmt.visualize import (attention_weights, bleu_by_length, bucketed_model,  # noqa: E402
                              plot_attention, plot_bleu_by_length)

trax = import_trax()
INPUTS = np.array([[5, 6, 7, 8, 1, 0, 0]], np.int32)   # 5 real tokens, 2 padding
TARGETS = np.array([[3, 4, 9, 1]], np.int32)


@pytest.fixture(scope="module")
def model():
    model = NMTAttn(30, 40, d_model=8, n_encoder_layers=1, n_decoder_layers=1, n_attention_heads=2,
                    mode="eval")
    model.init(trax.shapes.signature((INPUTS, TARGETS)), rng=trax.fastmath.random.get_prng(0))
    return model


def test_attention_weights_are_distributions_over_real_source_tokens(model):
    weights = attention_weights(model, INPUTS, TARGETS)
    assert weights.shape == (2, 4, 7) and weights.dtype == np.float32
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-6)
    assert weights[..., 5:].max() < 1e-30          # padding gets no attention
    assert weights[..., :5].min() > 0.0


def test_attention_weights_accept_lists(model):
    np.testing.assert_array_equal(attention_weights(model, INPUTS[0].tolist(), TARGETS[0].tolist()),
                                  attention_weights(model, INPUTS, TARGETS))


def test_attention_weights_reproduce_the_attention_layer_output(model):
    # context = sum_j weights_ij V_j per head, then the output projection: must equal AttentionQKV.
    weights = attention_weights(model, INPUTS, TARGETS).astype(np.float64)
    encoder, decoder = model.sublayers[1]((INPUTS, TARGETS))
    queries, keys, values, mask = model.sublayers[2]((encoder, decoder, INPUTS))
    from w1_nmt.visualize import _nmt_pieces
    _, attention, n_heads = _nmt_pieces(model)
    expected, _ = attention((queries, keys, values, mask))
    v = np.asarray(attention.sublayers[0].sublayers[2](values), np.float64)[0]
    d_head = v.shape[-1] // n_heads
    v = v.reshape(v.shape[0], n_heads, d_head).transpose(1, 0, 2)
    context = (weights @ v).transpose(1, 0, 2).reshape(TARGETS.shape[1], -1)
    got = attention.sublayers[2](context[None].astype(np.float32))
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=1e-4, atol=1e-5)


def test_attention_weights_reject_a_model_without_attention():
    with pytest.raises(ValueError, match="NMTAttn"):
        attention_weights(trax.layers.Serial(trax.layers.Dense(3)), INPUTS, TARGETS)


def test_bucketed_model_matches_the_model(model):
    expected = np.asarray(model((INPUTS, TARGETS))[0])
    got, targets = bucketed_model(model, boundaries=(8, 16))((INPUTS, TARGETS))
    assert got.shape == expected.shape
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(targets, TARGETS)


def test_plot_attention_labels_and_shape_check(model):
    weights = attention_weights(model, INPUTS, TARGETS)
    ax = plot_attention(weights, list("abcdefg"), list("wxyz"))
    assert [t.get_text() for t in ax.get_xticklabels()] == list("abcdefg")
    with pytest.raises(ValueError, match="shape"):
        plot_attention(weights, list("abc"), list("wxyz"))
    matplotlib.pyplot.close("all")


def test_bleu_by_length_groups_and_scores():
    pairs = [("a b c.", "x y w v."), ("a b c d e f g.", "p q r s t."), ("a b d.", "z x y w.")]
    perfect = dict(pairs)

    def decode(source, model, tokenizer):
        return perfect[source] if model == "oracle" else "nothing matches here"

    result = bleu_by_length({"oracle": "oracle", "bad": "bad"}, pairs, None,
                            buckets=[(1, 4), (5, 8), (20, 30)], decode_fn=decode, jit=False)
    assert result["counts"] == [2, 1, 0]
    assert result["bleu"]["oracle"][:2] == [1.0, 1.0] and result["bleu"]["oracle"][2] is None
    assert result["bleu"]["bad"][1] == 0.0
    ax = plot_bleu_by_length(result)
    assert len(ax.patches) == 6
    matplotlib.pyplot.close("all")

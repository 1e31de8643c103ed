"""The Week 3 encoder against trax's own pieces (tl.Attention, _FeedForwardBlock, _EncoderBlock,
TransformerEncoder) with weights mapped one to one, in 'eval' mode (no dropout).

Tolerance: 1e-5 absolute in float32 with matmul precision 'highest' (coursekit.trax_env sets it), which holds
on CPU, GPU and TPU; the differences measured on CPU are below 1e-6.
"""
import jax
import numpy as np
import pytest

from w3_qa import model as m

trax = m.trax
tl = m.tl
ATOL = 1e-5
D, D_FF, H = 16, 32, 4


def _map_weights(source, target):
    src = jax.tree_util.tree_leaves(source.weights)
    dst = jax.tree_util.tree_leaves(target.weights)
    assert [tuple(a.shape) for a in src] == [tuple(b.shape) for b in dst]
    target.weights = jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(target.weights), src)


def _activations_and_mask(seed=0, batch=3, length=9):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, length, D)).astype(np.float32)
    lengths = np.array([length, 4, 1])[:batch]
    mask = (np.arange(length)[None, :] < lengths[:, None])[:, None, None, :]  # (B, 1, 1, L) as tl.PaddingMask
    return x, mask


def _pair(ours, theirs, signature):
    ours.init(signature, rng=jax.random.PRNGKey(1))
    theirs.init(signature, rng=jax.random.PRNGKey(2))
    _map_weights(ours, theirs)
    return ours, theirs


def test_encoder_attention_equals_tl_attention():
    x, mask = _activations_and_mask()
    signature = trax.shapes.signature((x, mask))
    ours, theirs = _pair(m.EncoderAttention(D, H, mode="eval"), tl.Attention(D, n_heads=H, mode="eval"), signature)
    (a, a_mask), (b, _) = ours((x, mask)), theirs((x, mask))
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=ATOL)
    np.testing.assert_array_equal(np.asarray(a_mask), mask)


def test_padding_does_not_reach_real_positions():
    x, mask = _activations_and_mask()
    block = tl.Serial(m.EncoderBlock(D, D_FF, H, 0.1, None, "eval", tl.Relu))
    block.init(trax.shapes.signature((x, mask)), rng=jax.random.PRNGKey(0))
    before = np.asarray(block((x, mask))[0])
    changed = x.copy()
    changed[1, 4:] += 1e3  # only padding positions of example 1 change
    after = np.asarray(block((changed, mask))[0])
    np.testing.assert_array_equal(after[1, :4], before[1, :4])
    np.testing.assert_array_equal(after[0], before[0])


def test_feed_forward_block_equals_trax_residual_contents():
    from trax.models.transformer import _FeedForwardBlock

    x, _ = _activations_and_mask()
    ours = tl.Serial(m.FeedForwardBlock(D, D_FF, 0.1, None, "eval", tl.Relu))
    theirs = tl.Serial(tl.LayerNorm(), _FeedForwardBlock(D, D_FF, 0.1, None, "eval", tl.Relu),
                       tl.Dropout(rate=0.1, mode="eval"))
    ours, theirs = _pair(ours, theirs, trax.shapes.signature(x))
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), atol=ATOL)
    layers = m.FeedForwardBlock(D, D_FF, 0.1, (0, 1), "train", tl.Selu)
    assert [layer.name for layer in layers] == ["LayerNorm", f"Dense_{D_FF}", tl.Selu().name, "Dropout", f"Dense_{D}",
                                                "Dropout"]


def test_encoder_block_equals_trax_encoder_block():
    from trax.models.transformer import _EncoderBlock

    x, mask = _activations_and_mask(1)
    signature = trax.shapes.signature((x, mask))
    ours = tl.Serial(m.EncoderBlock(D, D_FF, H, 0.1, None, "eval", tl.Relu))
    theirs = tl.Serial(_EncoderBlock(D, D_FF, H, 0.1, None, "eval", tl.Relu))
    ours, theirs = _pair(ours, theirs, signature)
    np.testing.assert_allclose(np.asarray(ours((x, mask))[0]), np.asarray(theirs((x, mask))[0]), atol=ATOL)


@pytest.mark.parametrize("n_layers", [1, 2])
def test_transformer_encoder_equals_trax_transformer_encoder(n_layers):
    from trax.models.transformer import TransformerEncoder as TraxEncoder

    kwargs = dict(n_classes=3, d_model=D, d_ff=D_FF, n_layers=n_layers, n_heads=H, max_len=32, dropout=0.1,
                  mode="eval")
    tokens = np.random.default_rng(3).integers(1, 50, (3, 10)).astype(np.int32)
    tokens[1, 6:] = 0
    tokens[2, 2:] = 0
    ours, theirs = _pair(m.TransformerEncoder(50, **kwargs), TraxEncoder(50, **kwargs),
                         trax.shapes.signature(tokens))
    log_probs = np.asarray(ours(tokens))
    assert log_probs.shape == (3, 3)
    np.testing.assert_allclose(np.exp(log_probs).sum(-1), 1.0, atol=1e-6)
    np.testing.assert_allclose(log_probs, np.asarray(jax.nn.log_softmax(theirs(tokens))), atol=ATOL)


def test_transformer_encoder_takes_its_arguments_in_the_courses_order():
    """(vocab_size, n_classes, d_model, d_ff, n_layers, n_heads, dropout, dropout_shared_axes, max_len, mode,
    ff_activation): a call written for the course's TransformerEncoder binds the same values here."""
    import inspect

    assert list(inspect.signature(m.TransformerEncoder).parameters) == [
        "vocab_size", "n_classes", "d_model", "d_ff", "n_layers", "n_heads", "dropout", "dropout_shared_axes",
        "max_len", "mode", "ff_activation"]
    tokens = np.random.default_rng(4).integers(1, 50, (2, 10)).astype(np.int32)
    positional = m.TransformerEncoder(50, 3, D, D_FF, 1, H, 0.1, None, 16, "eval")
    keywords = m.TransformerEncoder(50, n_classes=3, d_model=D, d_ff=D_FF, n_layers=1, n_heads=H, dropout=0.1,
                                    max_len=16, mode="eval")
    signature = trax.shapes.signature(tokens)
    positional.init(signature, rng=trax.fastmath.random.get_prng(0))
    keywords.init(signature, rng=trax.fastmath.random.get_prng(0))
    np.testing.assert_array_equal(np.asarray(positional(tokens)), np.asarray(keywords(tokens)))


def test_transformer_encoder_trains_on_a_toy_task():
    """The classifier learns "does the sequence contain token 7?" in a few hundred Adam steps."""
    from trax.supervised import training

    rng = np.random.default_rng(0)

    def batches():
        while True:
            x = rng.integers(8, 30, (32, 12)).astype(np.int32)
            y = (rng.random(32) < 0.5).astype(np.int32)
            x[y == 1, rng.integers(0, 12)] = 7
            yield x, y, np.ones(32, np.float32)

    model = m.TransformerEncoder(30, n_classes=2, d_model=16, d_ff=32, n_layers=1, n_heads=2, max_len=16,
                                 dropout=0.0)
    task = training.TrainTask(batches(), tl.WeightedCategoryCrossEntropy(), trax.optimizers.Adam(0.01))
    evaluation = training.EvalTask(batches(), [tl.WeightedCategoryAccuracy()], metric_names=["accuracy"],
                                   n_eval_batches=4)
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        loop = training.Loop(model, [task], eval_tasks=[evaluation], output_dir=folder, random_seed=0,
                             checkpoint_at=lambda step: False)
        loop.run(300)
    assert loop.history.get("eval", "metrics/accuracy")[-1][1] > 0.95


@pytest.mark.parametrize("call, error", [
    (lambda: m.FeedForwardBlock(0, 4, 0.1, None, "eval", tl.Relu), ValueError),
    (lambda: m.FeedForwardBlock(4, 4, 1.5, None, "eval", tl.Relu), ValueError),
    (lambda: m.FeedForwardBlock(4, 4, 0.1, None, "test", tl.Relu), ValueError),
    (lambda: m.FeedForwardBlock(4, 4, 0.1, None, "eval", "relu"), TypeError),
    (lambda: m.EncoderAttention(10, 3), ValueError),
    (lambda: m.TransformerEncoder(vocab_size=0), ValueError),
])
def test_bad_arguments_are_clear_errors(call, error):
    with pytest.raises(error):
        call()


def test_qa_model_is_trax_transformer_with_shared_vocabulary():
    model = m.make_qa_model(60, d_model=16, d_ff=32, n_encoder_layers=1, n_decoder_layers=1, n_heads=2,
                            max_len=32, mode="eval")
    inputs = np.random.default_rng(0).integers(1, 60, (2, 8)).astype(np.int32)
    targets = np.random.default_rng(1).integers(1, 60, (2, 5)).astype(np.int32)
    model.init(trax.shapes.signature((inputs, targets)), rng=jax.random.PRNGKey(0))
    logits, echoed = model((inputs, targets))
    assert logits.shape == (2, 5, 60)
    np.testing.assert_array_equal(np.asarray(echoed), targets)
    # position t depends on targets[:t] only (teacher forcing through the decoder's ShiftRight)
    changed = targets.copy()
    changed[:, 3] = 1
    again = np.asarray(model((inputs, changed))[0])
    np.testing.assert_allclose(again[:, :4], np.asarray(logits)[:, :4], atol=ATOL)
    assert not np.allclose(again[:, 4], np.asarray(logits)[:, 4])


@pytest.mark.parametrize("embedding_std, expected", [(1.0, 1.0), (0.5, 0.5), (None, 1 / np.sqrt(32))])
def test_qa_model_token_embedding_initialisation(embedding_std, expected):
    model = m.make_qa_model(500, d_model=32, d_ff=32, n_encoder_layers=1, n_decoder_layers=1, n_heads=2,
                            max_len=32, mode="eval", embedding_std=embedding_std)
    model.init((trax.shapes.ShapeDtype((1, 8), np.int32),) * 2, rng=jax.random.PRNGKey(0))
    embeddings = [layer for layer in m._walk(model) if isinstance(layer, tl.Embedding)]
    assert len({id(layer) for layer in embeddings}) == 1  # shared by the encoder and the decoder
    assert np.std(np.asarray(embeddings[0].weights)) == pytest.approx(expected, rel=0.1)


def _copy_accuracy(embedding_std, steps=200):
    """Eval accuracy of the Week 3 encoder-decoder (the configured size) taught to copy 4-8 tokens of a
    20-token vocabulary, by the same Loop, loss and schedule as pre-training."""
    import dataclasses
    import tempfile

    from w3_qa import config as cfg
    from w3_qa import train

    def batches(seed):
        rng = np.random.default_rng(seed)
        while True:
            x = np.zeros((16, 12), np.int32)
            for row in range(16):
                n = rng.integers(4, 9)
                x[row, :n] = rng.integers(10, 30, n)
                x[row, n] = 1  # EOS
            yield x, x, (x > 0).astype(np.float32)

    # dropout 0.1: the rate the curve below was measured at (the reference recipe trains without dropout)
    config = dataclasses.replace(cfg.DEFAULT, dropout=0.1, eval_batches=2, steps_per_checkpoint=steps)
    model = m.make_qa_model(30, mode="train", embedding_std=embedding_std, **config.model_kwargs())
    with tempfile.TemporaryDirectory() as folder:
        loop = train._loop(model, batches(0), batches(1), 0.002, 100, folder, config)
        loop.run(steps)
    return loop.history.get("eval", "metrics/accuracy")[-1][1]


@pytest.mark.cost(45)
def test_qa_model_learns_to_copy_its_input():
    """Unit token embeddings let the decoder read the encoder: it copies its input within 200 steps. With
    trax's default initialisation the same model still ignores its input (0.2, the end-of-sequence tokens,
    measured up to 600 steps): the pre-trained models of earlier versions did so too.

    Eval accuracy at steps 50/100/150/200/250, measured: unit embeddings 0.34/0.63/0.79/0.92/0.97, trax's
    0.19/0.19/0.19/0.19/0.20. It takes the configured depth: with one encoder and one decoder layer trax's
    initialisation escapes the plateau too (0.31 at 150, 0.87 at 200), so a smaller model could not fail."""
    assert _copy_accuracy(1.0) > 0.7
    assert _copy_accuracy(None) < 0.4

"""Week 2's recurrent baseline: an LSTM language model to set against the TransformerLM, and one raw training
step for either.

The lesson's claim is that a Transformer trains all L positions of a sequence at once while an RNN steps
through them one after the other. `lstm_lm` is that RNN (trax's `LSTM` runs a `Scan` over the positions),
`matching_lstm_width` sizes it to the Transformer's parameter count, and `make_train_step` is one jit-compiled
forward, backward and Adam update of either model, for timing them against L (bench/bench_w2.py, section
w2_parallelism).

Shapes: B is the batch, L the sequence length, V the vocabulary size, d the LSTM's width.
"""
import numpy as np

from coursekit.trax_env import import_trax

trax = import_trax()
import jax  # noqa: E402
from trax import layers as tl  # noqa: E402

__all__ = ["lstm_lm", "lstm_param_formula", "matching_lstm_width", "make_train_step"]


def lstm_lm(vocab_size, d_model, n_layers=2, mode="train"):
    """An LSTM language model from trax layers: token ids (B, L) int32 -> log-probabilities (B, L, V) float32.

    ShiftRight (position t sees the tokens before t), Embedding (V, d), `n_layers` LSTM(d), Dense(V),
    LogSoftmax; its parameter count is `lstm_param_formula(vocab_size, d_model, n_layers)`."""
    return tl.Serial(tl.ShiftRight(mode=mode), tl.Embedding(vocab_size, d_model),
                     [tl.LSTM(d_model) for _ in range(n_layers)],
                     tl.Dense(vocab_size), tl.LogSoftmax())


def lstm_param_formula(vocab_size, d_model, n_layers=2):
    """Parameters of `lstm_lm`: embedding, per layer a Dense(4d) on [x, h], the output Dense."""
    return vocab_size * d_model + n_layers * (2 * d_model * 4 * d_model + 4 * d_model) \
        + d_model * vocab_size + vocab_size


def matching_lstm_width(target, vocab_size, n_layers=2, multiple=8):
    """The LSTM width (a multiple of `multiple`) whose parameter count is nearest `target`."""
    widths = range(multiple, 4096 + multiple, multiple)
    return min(widths, key=lambda d: abs(lstm_param_formula(vocab_size, d, n_layers) - target))


def make_train_step(model, batch, length, vocab_size, learning_rate=1e-3, seed=0):
    """A jit-compiled training step of `model` on (inputs, targets, weights) batches of (batch, length).

    `model` maps token ids (batch, length) int32 to log-probabilities (batch, length, vocab_size), as
    `lstm_lm` and the TransformerLM do.

    Returns (step, carry, data): `step(carry, data) -> (carry, loss)`, with carry = (weights, state, slots)
    and the value and gradient of tl.WeightedCategoryCrossEntropy taken through the pure_fn of
    Serial(model, loss), then trax's Adam `tree_update`; loss is a float32 scalar. data is one constant
    random batch: (tokens (batch, length) int32 in [2, vocab_size), the same tokens as targets, weights
    (batch, length) float32 ones).
    """
    loss_model = tl.Serial(model, tl.WeightedCategoryCrossEntropy())
    ids = trax.shapes.ShapeDtype((batch, length), np.int32)
    loss_model.init((ids, ids, trax.shapes.ShapeDtype((batch, length), np.float32)),
                    rng=trax.fastmath.random.get_prng(seed))
    optimizer = trax.optimizers.Adam(learning_rate)
    slots, opt_params = optimizer.tree_init(loss_model.weights)
    rng = jax.random.PRNGKey(seed)

    def loss_fn(weights, state, data):
        loss, new_state = loss_model.pure_fn(data, weights, state, rng)
        return loss, new_state

    grad_fn = jax.value_and_grad(loss_fn, has_aux=True)

    @jax.jit
    def step(carry, data):
        weights, state, slots = carry
        (loss, new_state), grads = grad_fn(weights, state, data)
        new_weights, new_slots, _ = optimizer.tree_update(1, grads, weights, slots, opt_params,
                                                          store_slots=False)
        return (new_weights, new_state, new_slots), loss

    tokens = np.random.default_rng(seed).integers(2, vocab_size, (batch, length)).astype(np.int32)
    data = (tokens, tokens, np.ones((batch, length), np.float32))
    return step, (loss_model.weights, loss_model.state, slots), data

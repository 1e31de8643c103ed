"""The shared decoding helpers: powers of 2 for few shapes, Gumbel-max sampling as trax draws it, jit_model
leaving plain callables alone (Week 1's decoding tests run jit_model on a real NMTAttn)."""
import numpy as np

from coursekit import decoding
from coursekit.decoding import padded_length

VOCAB = 9  # the word list of Week 1's decoding tests: <pad> <eos> I am hungry the cat very now
ID = {"I": 2, "am": 3, "hungry": 4}


def log_row(probs):
    """{word: prob} -> (VOCAB,) log-probs, the rest of the mass spread over the other words."""
    row = np.full(VOCAB, (1.0 - sum(probs.values())) / (VOCAB - len(probs)))
    for word, p in probs.items():
        row[ID[word]] = p
    return np.log(row)


def test_padded_length_is_next_power_of_two_above_length():
    assert [padded_length(n) for n in range(9)] == [1, 2, 4, 4, 8, 8, 8, 8, 16]


def test_gumbel_sample_draws_like_trax_logsoftmax_sample():
    from coursekit.trax_env import import_trax
    import_trax()
    from trax import layers as tl

    log_probs = log_row({"I": 0.3, "am": 0.3, "hungry": 0.2})
    for seed in range(5):
        np.random.seed(seed)
        expected = int(tl.logsoftmax_sample(log_probs, 0.7))
        np.random.seed(seed)
        assert decoding.gumbel_sample(log_probs, 0.7) == expected


class _PlainModel:
    """A callable without trax's pure_fn/weights, like the test stubs of the weeks' decoders."""

    def __call__(self, batch):
        return batch


def test_jit_model_leaves_plain_callables_alone():
    model = _PlainModel()
    assert decoding.jit_model(model) is model

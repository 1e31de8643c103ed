"""Test doubles for the Week 2 decoding checks: a language model and a tokenizer whose answers are known,
so next_symbol and the decoders are checked without a trained model (and without trax)."""
import numpy as np

from autograder.checks.w1_nmt_doubles import EOS, WordTokenizer  # noqa: F401 (re-exported)


class TableLM:
    """Stands in for a TransformerLM in 'eval' mode: tokens (1, L) -> log_probs (1, L, vocab).

    As the real model (which shifts its input right), position t gives the distribution of token t from
    the tokens before it: here a seeded table row picked by token t-1 (0 at t = 0) and by how many
    non-padding tokens come before t, so reading the wrong position gives a different answer.
    """

    def __init__(self, vocab=12, seed=0, eos_bias=0.0):
        rng = np.random.default_rng(seed)
        logits = rng.normal(0.0, 2.0, size=(vocab, vocab)).astype(np.float64)
        logits[:, EOS] += eos_bias
        logits[:, 0] = -1e9  # never emit padding
        logits -= logits.max(axis=1, keepdims=True)
        self.table = (logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))).astype(np.float32)
        self.vocab = vocab
        self.calls = 0

    def __call__(self, tokens):
        tokens = np.asarray(tokens)
        if tokens.ndim != 2:
            raise ValueError(f"the model takes (batch, length) token ids, got shape {tokens.shape}")
        self.calls += 1
        previous = np.concatenate([np.zeros((tokens.shape[0], 1), tokens.dtype), tokens[:, :-1]], axis=1)
        seen = np.cumsum(previous != 0, axis=1)
        return self.table[(previous + seen) % self.vocab]

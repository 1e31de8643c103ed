"""Summaries one token at a time: next_symbol's contract, greedy and sampling decoding, and the predict-mode
cache (same tokens as recomputing the prefix)."""
import numpy as np
import pytest

from coursekit.tokenizer import EOS_ID
from w2_summarizer import config as cfg
from w2_summarizer import decoding
from w2_summarizer.model import TransformerLM, trax

SMALL = cfg.SummarizerConfig(d_model=16, d_ff=32, n_layers=2, n_heads=2, max_len=128)


class _Stub:
    """A 'model' that always puts its mass on one token id, and records the shapes it was called with."""

    def __init__(self, favourite, vocab=10):
        self.favourite, self.vocab, self.shapes = favourite, vocab, []

    def __call__(self, tokens):
        self.shapes.append(tokens.shape)
        out = np.full(tokens.shape + (self.vocab,), -10.0, np.float32)
        out[..., self.favourite] = -0.01
        return out


def test_next_symbol_pads_to_power_of_two_and_reads_the_last_position():
    stub = _Stub(favourite=4)
    symbol, log_prob = decoding.next_symbol([3, 5, 7], stub)
    assert symbol == 4 and log_prob == pytest.approx(-0.01)
    assert stub.shapes == [(1, 4)]
    decoding.next_symbol(list(range(1, 5)), stub)
    assert stub.shapes[-1] == (1, 8)


def test_next_symbol_rejects_bad_input():
    with pytest.raises(ValueError, match="non-empty 1-D list"):
        decoding.next_symbol([], _Stub(1))
    with pytest.raises(ValueError, match="temperature must be >= 0"):
        decoding.next_symbol([1, 2], _Stub(1), temperature=-1.0)


class _Tokenizer:
    def tokenize(self, text):
        return [int(word) for word in text.split()]

    def detokenize(self, ids):
        ids = list(ids)
        ids = ids[:ids.index(EOS_ID)] if EOS_ID in ids else ids
        return " ".join(str(i) for i in ids)


def test_greedy_decode_stops_at_eos_and_at_max_length():
    assert decoding.greedy_decode("5 6", _Stub(EOS_ID), tokenizer=_Tokenizer()) == ""
    generated, _, summary = decoding.sampling_decode("5 6", _Stub(7), tokenizer=_Tokenizer(), max_length=3)
    assert generated == [7, 7, 7] and summary == "7 7 7"


@pytest.fixture(scope="module")
def small_model():
    model = TransformerLM(60, mode="eval", **SMALL.model_kwargs())
    model.init(trax.shapes.ShapeDtype((1, 8), np.int32), rng=trax.fastmath.random.get_prng(3))
    return model


def test_cached_generation_equals_recomputing_the_prefix(small_model):
    prompt = [int(t) for t in np.random.default_rng(0).integers(2, 60, size=30)]
    cached = decoding.CachedSummarizer(small_model, SMALL)
    tokens, log_prob = cached.generate(prompt, max_length=12)
    ref_tokens, ref_log_prob = decoding.recompute_generate(small_model, prompt, max_length=12)
    assert tokens == ref_tokens
    assert log_prob == pytest.approx(ref_log_prob, abs=1e-3)


def test_cached_sampling_is_seeded(small_model):
    cached = decoding.CachedSummarizer(small_model, SMALL)
    a = cached.generate([5, 6, 7], max_length=10, temperature=1.0, rng=4)
    b = cached.generate([5, 6, 7], max_length=10, temperature=1.0, rng=4)
    assert a == b
    c = decoding.recompute_generate(small_model, [5, 6, 7], max_length=10, temperature=1.0, rng=4)
    assert c[0] == a[0]  # same Gumbel draws in the same order, same distributions


def test_cached_generation_respects_the_cache_size(small_model):
    cached = decoding.CachedSummarizer(small_model, SMALL)
    tokens, _ = cached.generate(list(range(2, 60)) * 2, max_length=64)  # 116 + 64 > 128
    assert len(tokens) <= 128 - 116
    with pytest.raises(ValueError, match="cache holds 128"):
        cached.generate(list(range(2, 60)) * 3)

"""Tests of w1_nmt.beam: beam search on toy log-prob tables, and the NMTAttn adapters."""
import itertools

import numpy as np
import pytest

from w1_nmt.beam import (beam_search, beam_search_translate, cached_log_prob_fn,
                         recompute_log_prob_fn)

EOS = 1
WORDS = ["<pad>", "<eos>", "I", "am", "hungry"]
PAD_, EOS_, I, AM, HUNGRY = range(5)


def table_fn(table, fallback):
    """log_prob_fn from {prefix tuple: {token: prob}}, else fallback[last token]; records calls."""
    calls = []

    def row(prefix):
        probs = table.get(prefix) or fallback[prefix[-1]]
        out = np.zeros(len(WORDS))
        for token, p in probs.items():
            out[token] = p
        out /= out.sum()  # the slides' rows need not sum to 1 exactly
        with np.errstate(divide="ignore"):
            return np.log(out)

    def log_prob_fn(prefixes):
        calls.append(np.array(prefixes))
        return np.stack([row(tuple(p)) for p in np.asarray(prefixes).tolist()])

    log_prob_fn.calls = calls
    return log_prob_fn


# The seed's B = 2 example: P(w1 | <sos>), P(w2 | w1), P(w3 | w1 w2); "hungry" is followed by <eos>.
SEED_TABLE = {
    (): {I: 0.5, AM: 0.4, HUNGRY: 0.05, EOS_: 0.05},
    (I,): {I: 0.1, AM: 0.5, HUNGRY: 0.3, EOS_: 0.1},
    (AM,): {I: 0.7, AM: 0.05, HUNGRY: 0.2, EOS_: 0.05},
    (I, AM): {I: 0.1, AM: 0.05, HUNGRY: 0.6, EOS_: 0.3},
    (AM, I): {I: 0.15, AM: 0.15, HUNGRY: 0.5, EOS_: 0.2},
}
SEED_FALLBACK = {
    I: SEED_TABLE[(I,)], AM: SEED_TABLE[(AM,)],
    HUNGRY: {EOS_: 0.97, I: 0.01, AM: 0.01, HUNGRY: 0.01},
}


def test_seed_example_beams_after_two_steps():
    # Cut at max_length = 2 the live beams are the hypotheses: "am I" (0.28) ahead of "I am" (0.25).
    results = beam_search(table_fn(SEED_TABLE, SEED_FALLBACK), 2, 2, EOS)
    assert [tokens for tokens, _ in results] == [[AM, I], [I, AM]]
    np.testing.assert_allclose([score for _, score in results], np.log([0.28, 0.25]))


def test_seed_example_final_translation():
    fn = table_fn(SEED_TABLE, SEED_FALLBACK)
    results = beam_search(fn, 2, 10, EOS)
    assert [tokens for tokens, _ in results] == [[I, AM, HUNGRY, EOS], [AM, I, HUNGRY, EOS]]
    np.testing.assert_allclose(results[0][1], np.log(0.25 * 0.6 / 1.05 * 0.97))
    np.testing.assert_allclose(results[1][1], np.log(0.28 * 0.5 * 0.97))
    # The calls: one live prefix at the start, then two; "am I" leads after step 2. Both beams
    # finish at step 4, and no live beam can beat them any more, so the search stops early.
    assert [call.shape for call in fn.calls] == [(1, 0), (2, 1), (2, 2), (2, 3)]
    assert fn.calls[2].tolist() == [[AM, I], [I, AM]]


# -------------------------------------------------------------------------------------------------
# Random tables: exhaustive search, greedy decoding, a search without early stopping
# -------------------------------------------------------------------------------------------------

def random_fn(vocab, seed, p_zero=0.0):
    """Prefix-dependent random log-probs (the same prefix always gets the same row)."""
    def row(prefix):
        rng = np.random.default_rng([seed, len(prefix), *prefix])
        logits = rng.normal(size=vocab) * 2.0
        if p_zero:
            dead = rng.random(vocab) < p_zero
            dead[EOS] = False
            logits[dead] = -np.inf
        return logits - np.logaddexp.reduce(logits)

    def log_prob_fn(prefixes):
        return np.stack([row(tuple(p)) for p in np.asarray(prefixes).tolist()]).reshape(
            len(prefixes), vocab)

    return log_prob_fn


def score(fn, tokens, length_alpha):
    total = sum(fn(np.array([tokens[:t]]))[0, token] for t, token in enumerate(tokens))
    return total / len(tokens) ** length_alpha


def exhaustive(fn, vocab, max_length, length_alpha):
    """Every output: ends in EOS at any length <= max_length, or has max_length tokens."""
    words = [w for w in range(vocab) if w != EOS]
    hypotheses = []
    for length in range(1, max_length + 1):
        for body in itertools.product(words, repeat=length - 1):
            hypotheses.append(list(body) + [EOS])
        if length == max_length:
            hypotheses.extend(list(body) for body in itertools.product(words, repeat=length))
    scored = [(score(fn, h, length_alpha), h) for h in hypotheses]
    scored = [(s, h) for s, h in scored if np.isfinite(s)]
    return sorted(scored, key=lambda sh: (-sh[0], sh[1]))


@pytest.mark.parametrize("length_alpha", [0.0, 0.6, 1.0, -0.5])
@pytest.mark.parametrize("seed,p_zero", [(0, 0.0), (1, 0.0), (2, 0.3)])
def test_wide_beam_equals_exhaustive_search(length_alpha, seed, p_zero):
    vocab, max_length = 3, 4
    fn = random_fn(vocab, seed, p_zero)
    expected = exhaustive(fn, vocab, max_length, length_alpha)
    results = beam_search(fn, vocab ** max_length, max_length, EOS, length_alpha)
    assert [tokens for tokens, _ in results] == [h for _, h in expected]
    np.testing.assert_allclose([s for _, s in results], [s for s, _ in expected], rtol=1e-12)


def greedy(fn, max_length):
    tokens, total = [], 0.0
    while len(tokens) < max_length and (not tokens or tokens[-1] != EOS):
        row = fn(np.array([tokens], dtype=np.int32))[0]
        tokens.append(int(np.argmax(row)))
        total += row[tokens[-1]]
    return tokens, total


@pytest.mark.parametrize("seed", range(6))
def test_beam_width_one_is_greedy_decoding(seed):
    fn = random_fn(5, seed)
    [(tokens, total)] = beam_search(fn, 1, 8, EOS)
    assert (tokens, pytest.approx(total)) == greedy(fn, 8)


def beam_search_without_early_stop(fn, beam_width, max_length, length_alpha):
    """The same selection rules, run to max_length: checks that the early stop loses nothing."""
    live = [((), 0.0)]
    finished = []
    for length in range(1, max_length + 1):
        rows = fn(np.array([p for p, _ in live], dtype=np.int32).reshape(len(live), length - 1))
        candidates = [(s + rows[b, w], w, b) for b, (_, s) in enumerate(live)
                      for w in range(rows.shape[1]) if np.isfinite(rows[b, w])]
        candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
        finished += [(s / length ** length_alpha, live[b][0] + (w,))
                     for s, w, b in candidates[:beam_width] if w == EOS]
        live = [(live[b][0] + (w,), s) for s, w, b in candidates if w != EOS][:beam_width]
    finished += [(s / max_length ** length_alpha, p) for p, s in live]
    finished.sort(key=lambda h: (-h[0], h[1]))
    return [(list(p), s) for s, p in finished[:beam_width]]


@pytest.mark.parametrize("length_alpha", [0.0, 0.6, 1.0])
@pytest.mark.parametrize("beam_width", [2, 3])
def test_early_stop_is_exact(length_alpha, beam_width):
    for seed in range(5):
        fn = random_fn(4, seed + 10)
        expected = beam_search_without_early_stop(fn, beam_width, 7, length_alpha)
        results = beam_search(fn, beam_width, 7, EOS, length_alpha)
        assert [t for t, _ in results] == [t for t, _ in expected]
        np.testing.assert_allclose([s for _, s in results], [s for _, s in expected])


def test_ties_break_by_token_id_then_beam():
    uniform = lambda prefixes: np.full((len(prefixes), 4), np.log(0.25))  # noqa: E731
    results = beam_search(uniform, 3, 2, EOS)
    # Step 1: the best 3 of 4 tied candidates are tokens 0, 1 (EOS: finished) and 2; the beam is
    # refilled to 0, 2, 3. Step 2: all 12 candidates tie, token 0 first, then the earlier beam:
    # [0, 0], [2, 0], [3, 0], cut at max_length. Final ties rank by token ids.
    assert [t for t, _ in results] == [[1], [0, 0], [2, 0]]


# -------------------------------------------------------------------------------------------------
# Errors
# -------------------------------------------------------------------------------------------------

def test_argument_errors():
    fn = random_fn(4, 0)
    with pytest.raises(ValueError, match="beam_width must be >= 1"):
        beam_search(fn, 0, 5, EOS)
    with pytest.raises(TypeError, match="beam_width must be an int"):
        beam_search(fn, 2.0, 5, EOS)
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        beam_search(fn, 2, 0, EOS)
    with pytest.raises(TypeError, match="callable"):
        beam_search(np.zeros((1, 4)), 2, 5, EOS)
    with pytest.raises(ValueError, match="finite length_alpha"):
        beam_search(fn, 2, 5, EOS, length_alpha=float("nan"))
    with pytest.raises(ValueError, match="eos_id < vocab"):
        beam_search(fn, 2, 5, eos_id=4)


@pytest.mark.parametrize("bad,message", [
    (lambda p: np.zeros((len(p) + 1, 4)), r"shape \(1, vocab\)"),
    (lambda p: np.zeros(4), r"shape \(1, vocab\)"),
    (lambda p: np.full((len(p), 4), np.nan), "NaN"),
    (lambda p: np.ones((len(p), 4)), "<= 0"),
    (lambda p: "no", "float array"),
])
def test_bad_log_prob_fn_output(bad, message):
    with pytest.raises((ValueError, TypeError), match=message):
        beam_search(bad, 2, 5, EOS)


# -------------------------------------------------------------------------------------------------
# Adapters on a tiny NMTAttn
# -------------------------------------------------------------------------------------------------

VOCAB = 13


class FakeTokenizer:
    def tokenize(self, text):
        return [2 + (len(word) % (VOCAB - 2)) for word in text.split()]

    def detokenize(self, ids):
        words = []
        for i in ids:
            if i == EOS:
                break
            words.append(f"w{i}")
        return " ".join(words)


@pytest.fixture(scope="module")
def tiny_nmt():
    from coursekit.trax_env import import_trax
    trax = import_trax()
    from w1_nmt.model import NMTAttn

    model = NMTAttn(input_vocab_size=11, target_vocab_size=VOCAB, d_model=8, n_encoder_layers=1,
                    n_decoder_layers=2, n_attention_heads=2, mode="eval")
    signature = trax.shapes.signature((np.zeros((1, 5), np.int32), np.zeros((1, 4), np.int32)))
    model.init(signature, rng=trax.fastmath.random.get_prng(1))
    return model


INPUT = np.array([[3, 7, 2, 9, EOS]], np.int32)


def test_cached_equals_recompute_with_reordered_beams(tiny_nmt):
    recompute = recompute_log_prob_fn(tiny_nmt, INPUT, batch_size=4)
    cached = cached_log_prob_fn(tiny_nmt, INPUT, batch_size=4)
    rng = np.random.default_rng(0)
    prefixes = np.zeros((1, 0), np.int32)
    for _ in range(5):
        np.testing.assert_allclose(cached(prefixes), recompute(prefixes), atol=1e-4)
        # Next step: beams reordered, repeated and dropped, each extended by a random token.
        parents = rng.integers(0, len(prefixes), size=4)
        prefixes = np.concatenate([prefixes[parents], rng.integers(0, VOCAB, (4, 1))], axis=1)
    # Rows whose parents were not in the previous call are recomputed from the start.
    strangers = rng.integers(0, VOCAB, (3, 4)).astype(np.int32)
    np.testing.assert_allclose(cached(strangers), recompute(strangers), atol=1e-4)


def test_cached_accepts_a_weight_tree(tiny_nmt):
    recompute = recompute_log_prob_fn(tiny_nmt, INPUT)
    cached = cached_log_prob_fn(tiny_nmt.weights, INPUT, n_attention_heads=2)
    prefixes = np.array([[4, 5], [6, 7]], np.int32)
    np.testing.assert_allclose(cached(prefixes), recompute(prefixes), atol=1e-4)
    with pytest.raises(ValueError, match="n_attention_heads"):
        cached_log_prob_fn(tiny_nmt.weights, INPUT)
    with pytest.raises(ValueError, match="weights of an NMTAttn"):
        cached_log_prob_fn((np.zeros(3),), INPUT, n_attention_heads=2)


def test_beam_search_same_with_both_adapters(tiny_nmt):
    for length_alpha in (0.0, 0.6):
        recompute = beam_search(recompute_log_prob_fn(tiny_nmt, INPUT, 3), 3, 6, EOS, length_alpha)
        cached = beam_search(cached_log_prob_fn(tiny_nmt, INPUT, 3), 3, 6, EOS, length_alpha)
        assert [t for t, _ in cached] == [t for t, _ in recompute]
        np.testing.assert_allclose([s for _, s in cached], [s for _, s in recompute], atol=1e-4)


def test_beam_width_one_matches_greedy_sampling_decode(tiny_nmt):
    from w1_nmt.decoding import sampling_decode

    tokenizer = FakeTokenizer()
    sentence = "a bb ccc dddd"
    tokens, log_prob, _ = sampling_decode(sentence, tiny_nmt, 0.0, tokenizer, max_length=6)
    [(beam_sentence, beam_score)] = beam_search_translate(sentence, tiny_nmt, beam_width=1,
                                                          max_length=6, length_alpha=0.0,
                                                          tokenizer=tokenizer)
    assert beam_sentence == tokenizer.detokenize(tokens)
    assert beam_score == pytest.approx(log_prob, abs=1e-4)


def test_beam_search_translate(tiny_nmt):
    tokenizer = FakeTokenizer()
    cached = beam_search_translate("a bb ccc", tiny_nmt, beam_width=2, max_length=5,
                                   tokenizer=tokenizer)
    recompute = beam_search_translate("a bb ccc", tiny_nmt, beam_width=2, max_length=5,
                                      tokenizer=tokenizer, cached=False)
    assert [s for s, _ in cached] == [s for s, _ in recompute]
    assert len(cached) == 2 and all(isinstance(s, str) for s, _ in cached)
    assert cached[0][1] >= cached[1][1]
    with pytest.raises(ValueError, match="non-empty"):
        beam_search_translate("", tiny_nmt, tokenizer=tokenizer)

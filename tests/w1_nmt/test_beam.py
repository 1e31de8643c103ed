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
    # The calls: one prefix at the start, then two; "am I" leads after step 2. Both sequences in
    # the beam end with EOS at step 4, so the search stops there.
    assert [call.shape for call in fn.calls] == [(1, 0), (2, 1), (2, 2), (2, 3)]
    assert fn.calls[2].tolist() == [[AM, I], [I, AM]]


# -------------------------------------------------------------------------------------------------
# Random tables: exhaustive search, greedy decoding, the lecture's rule written plainly
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


def lecture_beam_search(fn, beam_width, max_length, length_alpha, eos_id=EOS, reverse_ties=False):
    """The lecture's rule written plainly: every candidate scored in Python, the beam re-sorted whole.

    Checks the library's shortlist (np.partition over k * vocab scores) against the rule itself. With
    reverse_ties, equal scores rank the larger token list first: where that changes nothing, the
    result does not depend on tie-breaking.
    """
    beam = [((), 0.0)]  # (tokens, sum of log-probs)
    for length in range(1, max_length + 1):
        live = [(p, s) for p, s in beam if not p or p[-1] != eos_id]
        if not live:
            break
        rows = fn(np.array([p for p, _ in live], dtype=np.int32).reshape(len(live), length - 1))
        candidates = [(p, s) for p, s in beam if p and p[-1] == eos_id]
        candidates += [(p + (w,), s + rows[b, w]) for b, (p, s) in enumerate(live)
                       for w in range(rows.shape[1]) if np.isfinite(rows[b, w])]
        normalised = {p: s / len(p) ** length_alpha for p, s in candidates}
        candidates.sort(key=lambda c: [-normalised[c[0]]] + [-t if reverse_ties else t for t in c[0]])
        beam = candidates[:beam_width]
    return [(list(p), s / len(p) ** length_alpha) for p, s in beam]


@pytest.mark.parametrize("length_alpha", [0.0, 0.6, 1.0])
@pytest.mark.parametrize("beam_width", [2, 3, 5])
def test_follows_the_lecture_rule(length_alpha, beam_width):
    for seed in range(5):
        fn = random_fn(4, seed + 10, p_zero=0.2 * (seed % 2))
        expected = lecture_beam_search(fn, beam_width, 7, length_alpha)
        results = beam_search(fn, beam_width, 7, EOS, length_alpha)
        assert [t for t, _ in results] == [t for t, _ in expected]
        np.testing.assert_allclose([s for _, s in results], [s for _, s in expected])


def test_finished_sequences_stay_in_the_beam():
    # Step 1: "<eos>" (0.5) and "I" (0.3) are the beam; only "I" is extended at step 2 (one call
    # row). Step 2: "I <eos>" (0.3 * 0.8) joins "<eos>" and pushes "I am" (0.03) out: all B end
    # with EOS, the search stops although max_length allows more.
    fn = table_fn({(): {EOS_: 0.5, I: 0.3, AM: 0.2}, (I,): {EOS_: 0.8, AM: 0.1, HUNGRY: 0.1}},
                  {AM: {EOS_: 0.9, HUNGRY: 0.1}, HUNGRY: {EOS_: 1.0}})
    results = beam_search(fn, 2, 10, EOS)
    assert [tokens for tokens, _ in results] == [[EOS_], [I, EOS_]]
    np.testing.assert_allclose([s for _, s in results], np.log([0.5, 0.24]))
    assert [call.shape for call in fn.calls] == [(1, 0), (1, 1)]


def test_a_dropped_sequence_does_not_come_back():
    # "am" (0.4) loses to "I" (0.6) at step 1 with B = 1, although "am <eos>" (0.4) beats every
    # sequence through "I" ("I hungry <eos>" 0.6 * 0.6 = 0.36): beam search is not exhaustive.
    # With B = 2 "am" survives step 1 and wins.
    fn = table_fn({(): {I: 0.6, AM: 0.4}, (I,): {HUNGRY: 0.6, AM: 0.4}, (AM,): {EOS_: 1.0}},
                  {HUNGRY: {EOS_: 1.0}, AM: {EOS_: 1.0}, I: {EOS_: 1.0}})
    [(tokens, total)] = beam_search(fn, 1, 5, EOS)
    assert tokens == [I, HUNGRY, EOS_]
    np.testing.assert_allclose(total, np.log(0.36))
    assert [t for t, _ in beam_search(fn, 2, 5, EOS)][0] == [AM, EOS_]


def test_length_normalisation_ranks_finished_and_unfinished_together():
    # alpha = 0: "<eos>" (0.45) beats every longer sequence ("I <eos>" 0.55 * 0.7 = 0.385). With
    # alpha = 1 the score is the mean log-prob per token, and "I <eos>" (log 0.385 / 2) wins.
    fn = table_fn({(): {EOS_: 0.45, I: 0.55}, (I,): {EOS_: 0.7, AM: 0.3}}, {AM: {EOS_: 1.0}})
    assert beam_search(fn, 2, 4, EOS)[0][0] == [EOS_]
    [(best, score), _] = beam_search(fn, 2, 4, EOS, length_alpha=1.0)
    assert best == [I, EOS_]
    np.testing.assert_allclose(score, np.log(0.55 * 0.7) / 2)


def test_ties_break_by_token_lists():
    uniform = lambda prefixes: np.full((len(prefixes), 4), np.log(0.25))  # noqa: E731
    results = beam_search(uniform, 3, 2, EOS)
    # Step 1: the best 3 of 4 tied candidates are [0], [1] (EOS: finished) and [2]. Step 2: [1]
    # (0.25) stays; the 8 extensions of [0] and [2] tie at 1/16: [0, 0] and [0, 1] (finished) fill
    # the beam; [0, 0] is cut at max_length.
    assert [t for t, _ in results] == [[1], [0, 0], [0, 1]]


def test_the_checks_do_not_depend_on_tie_breaking():
    from autograder.checks.w1_nmt import CHECKS
    check = CHECKS["beam_search"]
    for case in check.cases(hidden=True):
        (fn, beam_width, max_length, eos_id), kwargs = case.make_args()
        alpha = kwargs["length_alpha"]
        plain = lecture_beam_search(fn, beam_width, max_length, alpha, eos_id)
        reversed_ties = lecture_beam_search(fn, beam_width, max_length, alpha, eos_id, reverse_ties=True)
        assert plain == reversed_ties, case.name
        results = beam_search(fn, beam_width, max_length, eos_id, **kwargs)
        assert [t for t, _ in results] == [t for t, _ in plain], case.name


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

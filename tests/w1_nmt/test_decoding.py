"""Tests of w1_nmt.decoding: greedy, sampling and MBR decoding.

Most tests use a stub model whose next-token log-probabilities depend only on the last output token,
so the right answers can be worked out by hand; one smoke test runs a tiny NMTAttn.
"""
import numpy as np
import pytest

from coursekit.decoding import jit_model
from w1_nmt.decoding import (EOS, average_overlap, generate_samples, greedy_decode, mbr_decode,
                             next_symbol, sampling_decode, weighted_avg_overlap)

try:
    from w1_nmt.metrics import rouge1_similarity
except ImportError:  # pragma: no cover - metrics.py is written alongside
    from collections import Counter

    def rouge1_similarity(system, reference):
        overlap = sum((Counter(system) & Counter(reference)).values())
        if not system or not reference or not overlap:
            return 0.0
        precision, recall = overlap / len(system), overlap / len(reference)
        return 2 * precision * recall / (precision + recall)

WORDS = ["<pad>", "<eos>", "I", "am", "hungry", "the", "cat", "very", "now"]
ID = {word: i for i, word in enumerate(WORDS)}
VOCAB = len(WORDS)


class FakeTokenizer:
    """Word <-> id through a fixed dictionary; detokenize stops at EOS."""

    def tokenize(self, text):
        return [ID[word] for word in text.split()]

    def detokenize(self, ids):
        words = []
        for i in ids:
            if i == EOS:
                break
            words.append(WORDS[i])
        return " ".join(words)


TOKENIZER = FakeTokenizer()
SOURCE = "the cat"  # the stub ignores the source; it only has to tokenize


def log_row(probs):
    """{word: prob} -> (VOCAB,) log-probs, the rest of the mass spread over the other words."""
    row = np.full(VOCAB, 0.0)
    rest = [w for w in WORDS if w not in probs]
    for word in rest:
        row[ID[word]] = (1.0 - sum(probs.values())) / len(rest)
    for word, p in probs.items():
        row[ID[word]] = p
    return np.log(row)


class StubModel:
    """model((inputs, targets)) -> (log_probs (1, T, VOCAB), targets), from a table keyed by the
    previous output token (PAD = 0 at the start, since the decoder reads targets shifted right)."""

    def __init__(self, table):
        self.table = {ID[word] if isinstance(word, str) else word: row
                      for word, row in table.items()}
        self.target_shapes = []

    def __call__(self, batch):
        inputs, targets = batch
        assert inputs.shape[0] == 1 and inputs[0, -1] == EOS
        self.target_shapes.append(targets.shape)
        previous = np.concatenate([[0], targets[0, :-1]])
        uniform = np.full(VOCAB, -np.log(VOCAB))
        rows = [self.table.get(int(token), uniform) for token in previous]
        return np.asarray(rows, np.float32)[None], targets


# "I am hungry <eos>" is the most probable word at every step.
GREEDY_TABLE = {
    0: log_row({"I": 0.6, "am": 0.2}),
    "I": log_row({"am": 0.7, "hungry": 0.1}),
    "am": log_row({"hungry": 0.5, "I": 0.3}),
    "hungry": log_row({"<eos>": 0.9}),
}


# -------------------------------------------------------------------------------------------------
# next_symbol
# -------------------------------------------------------------------------------------------------

def test_next_symbol_at_temperature_zero_is_the_argmax():
    model = StubModel(GREEDY_TABLE)
    inputs = np.array([[ID["the"], ID["cat"], EOS]])
    symbol, log_prob = next_symbol(model, inputs, [ID["I"], ID["am"]], 0.0)
    assert symbol == ID["hungry"]
    assert log_prob == pytest.approx(np.log(0.5), abs=1e-6)
    assert model.target_shapes == [(1, 4)]  # len 2 -> padded to 4


def test_next_symbol_pads_output_to_powers_of_two():
    model = StubModel(GREEDY_TABLE)
    inputs = np.array([[ID["the"], EOS]])
    for n in [0, 1, 3, 4, 7]:
        next_symbol(model, inputs, [ID["am"]] * n, 0.0)
    assert [shape[1] for shape in model.target_shapes] == [1, 2, 4, 8, 8]


def test_next_symbol_is_deterministic_with_a_seeded_rng():
    model = StubModel(GREEDY_TABLE)
    inputs = np.array([[ID["the"], EOS]])
    draws = [[next_symbol(model, inputs, [], 1.0, rng)[0] for _ in range(20)]
             for rng in (np.random.default_rng(3), np.random.default_rng(3))]
    assert draws[0] == draws[1]
    assert len(set(draws[0])) > 1  # temperature 1 does sample


@pytest.mark.parametrize("temperature", [0.5, 1.0])
def test_sampling_frequencies_follow_softmax_of_log_probs_over_temperature(temperature):
    probs = {"I": 0.5, "am": 0.25, "hungry": 0.15}
    model = StubModel({0: log_row(probs)})
    inputs = np.array([[ID["the"], EOS]])
    rng = np.random.default_rng(0)
    n = 4000
    counts = np.bincount([next_symbol(model, inputs, [], temperature, rng)[0] for _ in range(n)],
                         minlength=VOCAB)
    logits = log_row(probs) / temperature
    expected = np.exp(logits - logits.max())
    expected /= expected.sum()
    tolerance = 4 * np.sqrt(expected * (1 - expected) / n) + 1e-3
    np.testing.assert_array_less(np.abs(counts / n - expected), tolerance)


# -------------------------------------------------------------------------------------------------
# sampling_decode, greedy_decode
# -------------------------------------------------------------------------------------------------

def test_sampling_decode_greedy_worked_example():
    tokens, log_prob, sentence = sampling_decode(SOURCE, StubModel(GREEDY_TABLE), 0.0,
                                                 tokenizer=TOKENIZER)
    assert tokens == [ID["I"], ID["am"], ID["hungry"], EOS]  # EOS included, as in the course
    assert log_prob == pytest.approx(np.log(0.6 * 0.7 * 0.5 * 0.9), abs=1e-5)  # sum of all tokens
    assert sentence == "I am hungry"


def test_greedy_decode_returns_the_sentence():
    assert greedy_decode(SOURCE, StubModel(GREEDY_TABLE), tokenizer=TOKENIZER) == "I am hungry"


def test_sampling_decode_stops_at_max_length_without_eos():
    model = StubModel({0: log_row({"am": 0.9}), "am": log_row({"am": 0.9})})
    tokens, log_prob, sentence = sampling_decode(SOURCE, model, tokenizer=TOKENIZER, max_length=5)
    assert tokens == [ID["am"]] * 5
    assert log_prob == pytest.approx(5 * np.log(0.9), abs=1e-5)
    assert sentence == "am am am am am"


def test_sampling_decode_is_reproducible_with_a_seed():
    model = StubModel(GREEDY_TABLE)
    first = sampling_decode(SOURCE, model, 1.0, TOKENIZER, rng=np.random.default_rng(5))
    second = sampling_decode(SOURCE, model, 1.0, TOKENIZER, rng=np.random.default_rng(5))
    assert first == second


def test_generate_samples_reproducible_and_varied():
    model = StubModel(GREEDY_TABLE)
    samples, log_probs = generate_samples(SOURCE, 8, model, 1.0, TOKENIZER, rng=11)
    again, again_log_probs = generate_samples(SOURCE, 8, model, 1.0, TOKENIZER, rng=11)
    assert (samples, log_probs) == (again, again_log_probs)
    assert len(samples) == len(log_probs) == 8
    assert len({tuple(s) for s in samples}) > 1  # one generator for all samples, not one per sample
    for sample, log_prob in zip(samples, log_probs):
        previous = [0] + sample[:-1]
        expected = sum(model.table.get(p, np.full(VOCAB, -np.log(VOCAB)))[s]
                       for p, s in zip(previous, sample))
        assert log_prob == pytest.approx(expected, abs=1e-4)


# -------------------------------------------------------------------------------------------------
# average_overlap, weighted_avg_overlap, mbr_decode
# -------------------------------------------------------------------------------------------------

def jaccard_similarity(candidate, reference):
    candidate, reference = set(candidate), set(reference)
    return len(candidate & reference) / len(candidate | reference)


COURSE_SAMPLES = [[1, 2, 3], [1, 2, 4], [1, 2, 4, 5]]


def test_average_overlap_course_example():
    scores = average_overlap(jaccard_similarity, COURSE_SAMPLES, [0.4, 0.2, 0.5])
    assert scores == pytest.approx({0: 0.45, 1: 0.625, 2: 0.575})


def test_average_overlap_rouge1_by_hand():
    # rouge1(C0, C1) = 2/3, rouge1(C0, C2) = 4/7, rouge1(C1, C2) = 6/7
    scores = average_overlap(rouge1_similarity, COURSE_SAMPLES)
    assert scores == pytest.approx({0: (2 / 3 + 4 / 7) / 2, 1: (2 / 3 + 6 / 7) / 2,
                                    2: (4 / 7 + 6 / 7) / 2})


def test_weighted_avg_overlap_course_example():
    scores = weighted_avg_overlap(jaccard_similarity, COURSE_SAMPLES, [0.4, 0.2, 0.5])
    assert scores == pytest.approx({0: 0.44255574831883415, 1: 0.631244796869735,
                                    2: 0.5575581009406329})


def test_weighted_avg_overlap_does_not_underflow_for_long_sentences():
    shifted = weighted_avg_overlap(jaccard_similarity, COURSE_SAMPLES, [-1000.0, -1001.0, -1002.5])
    plain = weighted_avg_overlap(jaccard_similarity, COURSE_SAMPLES, [0.0, -1.0, -2.5])
    assert shifted == pytest.approx(plain)


def test_overlap_of_a_single_sample_is_zero():
    assert average_overlap(jaccard_similarity, [[1, 2]]) == {0: 0.0}
    assert weighted_avg_overlap(jaccard_similarity, [[1, 2]], [-1.0]) == {0: 0.0}


def test_overlap_errors():
    with pytest.raises(ValueError, match="at least one sample"):
        average_overlap(jaccard_similarity, [])
    with pytest.raises(TypeError, match="list of token lists"):
        average_overlap(jaccard_similarity, "I am")
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        weighted_avg_overlap(jaccard_similarity, COURSE_SAMPLES, [0.1, 0.2])


class ScriptedModel:
    """Emits the i-th scripted sentence on the i-th decode, each token with a chosen log-prob.

    Rows are one-hot-like (the scripted token at its log-prob, every other token far below), so
    sampling at any moderate temperature reproduces the script.
    """

    def __init__(self, script):
        self.script = script  # [(words, log_prob_per_token)]
        self.decode = -1

    def __call__(self, batch):
        _, targets = batch
        if not targets.any():  # an empty output so far: a new decode starts
            self.decode += 1
        words, log_prob = self.script[self.decode]
        ids = [ID[w] for w in words.split()] + [EOS]
        rows = np.full((targets.shape[1], VOCAB), -1e4, np.float32)
        for position in range(targets.shape[1]):
            if position < len(ids):
                rows[position, ids[position]] = log_prob
        return rows[None], targets


def test_mbr_picks_the_consensus_not_the_most_probable_sample():
    # The seed's MBR example: four candidates, the one with the highest average ROUGE-1 to the
    # others wins. "the cat" is by far the most probable sample but agrees with nobody.
    script = [("the cat", -0.1), ("I am hungry", -1.0), ("I am very hungry", -1.0),
              ("I am hungry now", -1.0)]
    sentence, index, scores = mbr_decode(SOURCE, 4, average_overlap, rouge1_similarity,
                                         ScriptedModel(script), temperature=0.6,
                                         tokenizer=TOKENIZER, rng=0)
    assert (sentence, index) == ("I am hungry", 1)
    assert scores[0] == min(scores.values())  # shares only <eos> with the others
    assert max(scores, key=scores.get) == 1
    assert scores[1] > scores[2] and scores[1] > scores[3]


def test_mbr_decode_returns_best_scoring_sample_of_generate_samples():
    model = StubModel(GREEDY_TABLE)
    samples, log_probs = generate_samples(SOURCE, 6, model, 1.0, TOKENIZER, rng=2)
    expected_scores = weighted_avg_overlap(rouge1_similarity, samples, log_probs)
    sentence, index, scores = mbr_decode(SOURCE, 6, weighted_avg_overlap, rouge1_similarity,
                                         model, 1.0, TOKENIZER, rng=2)
    assert scores == pytest.approx(expected_scores)
    assert index == max(expected_scores, key=expected_scores.get)
    assert sentence == TOKENIZER.detokenize(samples[index])


# -------------------------------------------------------------------------------------------------
# Input validation
# -------------------------------------------------------------------------------------------------

def test_next_symbol_errors():
    model = StubModel(GREEDY_TABLE)
    inputs = np.array([[2, EOS]])
    with pytest.raises(ValueError, match="temperature must be >= 0"):
        next_symbol(model, inputs, [], -0.5)
    with pytest.raises(TypeError, match="temperature"):
        next_symbol(model, inputs, [], "hot")
    with pytest.raises(ValueError, match=r"shape \(1, input_len\)"):
        next_symbol(model, np.array([2, EOS]), [], 0.0)
    with pytest.raises(TypeError, match="int array"):
        next_symbol(model, np.array([[2.0, 1.0]]), [], 0.0)
    with pytest.raises(TypeError, match="list of int"):
        next_symbol(model, inputs, np.array([2]), 0.0)
    with pytest.raises(TypeError, match=r"cur_output_tokens\[1\]"):
        next_symbol(model, inputs, [2, "am"], 0.0)
    with pytest.raises(TypeError, match="rng"):
        next_symbol(model, inputs, [], 1.0, rng="seed")


def test_sampling_decode_errors():
    model = StubModel(GREEDY_TABLE)
    with pytest.raises(ValueError, match="non-empty"):
        sampling_decode("   ", model, tokenizer=TOKENIZER)
    with pytest.raises(TypeError, match="str"):
        sampling_decode(["the", "cat"], model, tokenizer=TOKENIZER)
    with pytest.raises(ValueError, match="max_length must be >= 1"):
        sampling_decode(SOURCE, model, tokenizer=TOKENIZER, max_length=0)
    with pytest.raises(TypeError, match="tokenize"):
        sampling_decode(SOURCE, model, tokenizer=object())
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        generate_samples(SOURCE, 0, model, tokenizer=TOKENIZER)


# -------------------------------------------------------------------------------------------------
# A tiny real NMTAttn
# -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_nmt():
    from coursekit.trax_env import import_trax
    trax = import_trax()
    from w1_nmt.model import NMTAttn

    model = NMTAttn(input_vocab_size=VOCAB, target_vocab_size=VOCAB, d_model=8,
                    n_encoder_layers=1, n_decoder_layers=1, n_attention_heads=2, mode="eval")
    signature = trax.shapes.signature((np.zeros((1, 3), np.int32), np.zeros((1, 4), np.int32)))
    model.init(signature, rng=trax.fastmath.random.get_prng(0))
    return model


def test_decoding_smoke_with_a_tiny_nmtattn(tiny_nmt):
    inputs = np.array([[ID["the"], ID["cat"], EOS]], np.int32)
    symbol, log_prob = next_symbol(tiny_nmt, inputs, [ID["I"]], 0.0)  # the model called directly
    full, _ = jit_model(tiny_nmt)((inputs, np.array([[ID["I"], 0]], np.int32)))
    assert symbol == int(np.argmax(full[0, 1]))
    assert log_prob == pytest.approx(float(full[0, 1, symbol]), abs=1e-5)

    tokens, total, sentence = sampling_decode(SOURCE, tiny_nmt, 0.0, TOKENIZER, max_length=4)
    assert 1 <= len(tokens) <= 4 and all(0 <= t < VOCAB for t in tokens)
    assert total <= 0.0 and isinstance(sentence, str)
    assert greedy_decode(SOURCE, tiny_nmt, TOKENIZER, max_length=4) == sentence
    samples, log_probs = generate_samples(SOURCE, 2, tiny_nmt, 0.6, TOKENIZER, rng=0,
                                          max_length=4)
    assert len(samples) == 2 and all(lp <= 0.0 for lp in log_probs)

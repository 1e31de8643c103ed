"""Tests for w1_nmt.metrics: BLEU and ROUGE on token lists.

Order: the seed's worked example first, then small cases worked by hand,
then wrong inputs, then equivalence with sacrebleu and rouge-score on
seeded random corpora.
"""
import logging
import math
import random

import numpy as np
import pytest
import sacrebleu
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU

from w1_nmt.metrics import (
    brevity_penalty,
    bleu,
    corpus_bleu,
    f1,
    modified_precision,
    ngram_counts,
    rouge1_similarity,
    rouge_n,
    simple_precision,
)

# The course's worked example.
CANDIDATE = "I I am I".split()
REFERENCE_1 = "Younes said I am hungry".split()
REFERENCE_2 = "He said I am hungry".split()
REFERENCES = [REFERENCE_1, REFERENCE_2]


# ---------------------------------------------------------------------------
# The seed's worked example.
# ---------------------------------------------------------------------------

def test_simple_precision_counts_every_repeated_token():
    # "I", "I", "am", "I" all occur in a reference: 4 / 4.
    assert simple_precision(CANDIDATE, REFERENCES) == 1.0


def test_modified_precision_clips_repeated_token():
    # "I" occurs 3 times but at most once per reference: (1 + 1) / 4.
    assert modified_precision(CANDIDATE, REFERENCES) == 0.5


@pytest.mark.parametrize("reference", [REFERENCE_1, REFERENCE_2])
def test_rouge1_recall_of_seed_example(reference):
    # "I" (clipped to 1) and "am" of 5 reference tokens: 2 / 5.
    precision, recall, score = rouge_n(CANDIDATE, [reference], n=1)
    assert recall == pytest.approx(0.4)
    assert precision == pytest.approx(0.5)
    assert score == pytest.approx(4 / 9)


def test_f1_of_seed_precision_and_recall():
    assert f1(0.5, 0.4) == pytest.approx(4 / 9)


# ---------------------------------------------------------------------------
# Small cases worked by hand.
# ---------------------------------------------------------------------------

def test_ngram_counts_uses_tuples_of_n_tokens():
    assert ngram_counts("I am I am".split(), 2) == {
        ("I", "am"): 2, ("am", "I"): 1}
    assert ngram_counts(["I"], 2) == {}


def test_simple_precision_of_unrelated_and_empty_candidates():
    assert simple_precision("you are".split(), REFERENCES) == 0.0
    assert simple_precision([], REFERENCES) == 0.0


def test_modified_precision_clips_by_one_reference_not_the_sum():
    # "the" occurs twice in the first reference and once in the second:
    # the clip is max(2, 1) = 2, not 2 + 1 = 3.
    candidate = "the the the the".split()
    references = ["the cat on the mat".split(), "the cat".split()]
    assert modified_precision(candidate, references) == 2 / 4


def test_modified_precision_of_bigrams():
    # Bigrams: (the, cat) x2, (cat, the) x1; the reference has (the, cat)
    # once, so 1 of 3 bigrams is credited.
    candidate = "the cat the cat".split()
    assert modified_precision(candidate, ["the cat sat".split()], n=2) == 1 / 3


@pytest.mark.parametrize("candidate", [[], ["hungry"]])
def test_modified_precision_without_ngrams_is_zero(candidate):
    assert modified_precision(candidate, REFERENCES, n=2) == 0.0


@pytest.mark.parametrize("candidate_length, reference_lengths, expected", [
    (6, [5], 1.0),                       # longer than the reference
    (5, [5], 1.0),                       # same length: exp(0)
    (4, [5], math.exp(1 - 5 / 4)),       # shorter: penalised
    (4, [2, 6], 1.0),                    # tie 2 vs 6 -> shorter, r = 2
    (4, [7, 5], math.exp(1 - 5 / 4)),    # closest is 5, not the first
    (0, [3], 0.0),                       # empty candidate
])
def test_brevity_penalty(candidate_length, reference_lengths, expected):
    candidate = ["w"] * candidate_length
    references = [["w"] * length for length in reference_lengths]
    assert brevity_penalty(candidate, references) == pytest.approx(expected)


def test_bleu_of_hand_worked_sentence():
    # p1 = 5/6 ("the" clipped to 1), p2 = 3/5, p3 = 2/4, p4 = 1/3, BP = 1:
    # BLEU = (5/6 * 3/5 * 2/4 * 1/3) ** (1/4) = (1/12) ** (1/4).
    candidate = "the cat sat on the mat".split()
    reference = "the cat sat on a mat".split()
    assert bleu(candidate, [reference]) == pytest.approx((1 / 12) ** 0.25)


def test_bleu_of_exact_match_is_one():
    assert bleu(REFERENCE_1, REFERENCES) == pytest.approx(1.0)


def test_bleu_is_zero_without_smoothing():
    # The seed's candidate has no matching 3-gram, and a 2-token candidate
    # has no 3-grams at all: both precisions are 0, so BLEU is 0.
    assert bleu(CANDIDATE, REFERENCES) == 0.0
    assert bleu("I am".split(), REFERENCES) == 0.0
    assert bleu("I am".split(), REFERENCES, max_n=2) > 0.0


def test_bleu_is_one_sentence_corpus_bleu_without_smoothing():
    candidate = "the cat sat on the mat".split()
    references = ["the cat sat on a mat".split(), "a cat sat".split()]
    expected = corpus_bleu([candidate], [references], smooth_method="none")
    assert bleu(candidate, references) == pytest.approx(expected, abs=1e-12)


def test_corpus_bleu_pools_counts_instead_of_averaging():
    # Sentence BLEU of the short candidate is 0 (no 4-gram), but pooled
    # over the corpus every order has a match.
    long_pair = ("a b c d e".split(), ["a b c d e".split()])
    short_pair = ("a b".split(), ["a b".split()])
    candidates, references = zip(long_pair, short_pair)
    pooled = corpus_bleu(list(candidates), list(references))
    assert pooled == pytest.approx(1.0)
    assert bleu(*short_pair) == 0.0


def test_corpus_bleu_exp_smoothing_halves_missing_orders():
    # One match for n = 1, 2 of 4 and 3 totals; none for n = 3, 4 of 2 and
    # 1 candidate n-grams: smoothed precisions 1 / (2 * 2) and 1 / (4 * 1).
    candidates = ["a b x y".split()]
    references = [["a b c d".split()]]
    precisions = [2 / 4, 1 / 3, 1 / 4, 1 / 4]
    expected = math.exp(sum(map(math.log, precisions)) / 4)
    assert corpus_bleu(candidates, references) == pytest.approx(expected)
    assert corpus_bleu(candidates, references, smooth_method="none") == 0.0


def test_rouge2_of_hand_worked_pair():
    # Candidate bigrams: (the, cat), (cat, sat), (sat, down); the reference
    # "the cat sat on the mat" has 5 bigrams, 2 of them shared.
    candidate = "the cat sat down".split()
    reference = "the cat sat on the mat".split()
    precision, recall, score = rouge_n(candidate, [reference], n=2)
    assert (precision, recall) == pytest.approx((2 / 3, 2 / 5))
    assert score == pytest.approx(f1(2 / 3, 2 / 5))


def test_rouge_n_picks_best_f1_and_first_on_ties():
    candidate = "a b".split()
    long_reference = "a b c d".split()   # precision 1, recall 1/2
    short_reference = ["a"]              # precision 1/2, recall 1
    worse_reference = ["z"]
    assert rouge_n(candidate, [worse_reference, long_reference]) == (
        1.0, 0.5, pytest.approx(2 / 3))
    assert rouge_n(candidate, [long_reference, short_reference])[:2] == (
        1.0, 0.5)
    assert rouge_n(candidate, [short_reference, long_reference])[:2] == (
        0.5, 1.0)


def test_rouge_n_of_empty_candidate_is_zero():
    assert rouge_n([], REFERENCES) == (0.0, 0.0, 0.0)


def test_f1_is_zero_when_both_are_zero():
    assert f1(0.0, 0.0) == 0.0
    assert f1(1, 1) == 1.0


def test_rouge1_similarity_of_token_ids_from_the_course():
    # The course's MBR example: precision 3/3, recall 3/4.
    assert rouge1_similarity([1, 2, 3], [1, 2, 3, 4]) == pytest.approx(
        6 / 7)
    assert rouge1_similarity(np.array([1, 2, 3]), [1, 2, 3, 4]) == (
        pytest.approx(6 / 7))


def test_rouge1_similarity_of_words_and_empty_lists():
    assert rouge1_similarity(CANDIDATE, REFERENCE_1) == pytest.approx(4 / 9)
    assert rouge1_similarity([], REFERENCE_1) == 0.0
    assert rouge1_similarity(CANDIDATE, []) == 0.0


# ---------------------------------------------------------------------------
# Wrong inputs: clear messages, "expected ... but got ...".
# ---------------------------------------------------------------------------

ERROR_CASES = [
    # (call, error type, part of the message)
    (lambda: bleu("I am hungry", REFERENCES), TypeError, "split it"),
    (lambda: simple_precision(None, REFERENCES), TypeError, "NoneType"),
    (lambda: modified_precision(["I", 3], REFERENCES), TypeError,
     "candidate[1]"),
    (lambda: rouge_n(CANDIDATE, []), ValueError, "at least one reference"),
    (lambda: rouge_n(CANDIDATE, REFERENCE_1), TypeError, "[reference]"),
    (lambda: brevity_penalty(CANDIDATE, "I am"), TypeError, "references"),
    (lambda: bleu(CANDIDATE, [REFERENCE_1, "He said"]), TypeError,
     "references[1]"),
    (lambda: modified_precision(CANDIDATE, REFERENCES, n=0), ValueError,
     "n >= 1"),
    (lambda: rouge_n(CANDIDATE, REFERENCES, n=1.0), TypeError, "int"),
    (lambda: rouge_n(CANDIDATE, REFERENCES, n=True), TypeError, "int"),
    (lambda: bleu(CANDIDATE, REFERENCES, max_n=0), ValueError, "max_n"),
    (lambda: f1(0.5, float("nan")), ValueError, "recall in [0, 1]"),
    (lambda: f1(1.5, 0.5), ValueError, "precision in [0, 1]"),
    (lambda: f1("0.5", 0.5), TypeError, "float"),
    (lambda: corpus_bleu([CANDIDATE], [REFERENCES, REFERENCES]), ValueError,
     "one list of references per candidate"),
    (lambda: corpus_bleu([], []), ValueError, "at least one candidate"),
    (lambda: corpus_bleu(CANDIDATE, [REFERENCES] * 4), TypeError,
     "candidates[0]"),
    (lambda: corpus_bleu([CANDIDATE], [REFERENCES], smooth_method="add-k"),
     ValueError, "smooth_method"),
    (lambda: rouge1_similarity("I am", ["I"]), TypeError, "split it"),
    (lambda: rouge1_similarity([1.5], [1]), TypeError, "system[0]"),
    (lambda: rouge1_similarity(np.zeros((2, 2), int), [1]), TypeError,
     "1-D"),
]


@pytest.mark.parametrize("call, error, message", ERROR_CASES)
def test_wrong_inputs_raise_clear_errors(call, error, message):
    with pytest.raises(error, match="expected") as info:
        call()
    assert message in str(info.value)


# ---------------------------------------------------------------------------
# Equivalence with sacrebleu and rouge-score on seeded random corpora.
# ---------------------------------------------------------------------------

# A small lowercase alphanumeric vocabulary: plenty of shared n-grams, and
# rouge-score's tokenizer (lowercase, split on non-alphanumerics) and
# sacrebleu's tokenize="none" (split on spaces) both keep tokens as they are.
VOCABULARY = "the a cat dog sat on mat ran to park is big 2 of".split()
N_PAIRS = 1000


def random_sentence(rng, max_length=40):
    return rng.choices(VOCABULARY, k=rng.randint(1, max_length))


def noisy_copy(rng, tokens, noise):
    """Copy tokens, replacing, dropping or adding each with chance noise."""
    copy = []
    for token in tokens:
        draw = rng.random()
        if draw >= noise:
            copy.append(token)
        elif draw < noise / 3:
            copy.append(rng.choice(VOCABULARY))
        elif draw < 2 * noise / 3:
            copy.extend([token, rng.choice(VOCABULARY)])
    return copy or [rng.choice(VOCABULARY)]


def random_corpus(seed, n_pairs=N_PAIRS, n_references=1, max_length=40):
    """Candidates and, per candidate, n_references references (token lists).

    References are noisy copies of the candidate (noise from 0 to 1, so some
    are near copies and some almost unrelated), like real translations.
    """
    rng = random.Random(seed)
    candidates = [random_sentence(rng, max_length) for _ in range(n_pairs)]
    references = [[noisy_copy(rng, candidate, rng.random())
                   for _ in range(n_references)] for candidate in candidates]
    return candidates, references


def as_sacrebleu_input(candidates, references_per_candidate):
    """Join tokens by spaces and transpose references into streams."""
    hypotheses = [" ".join(candidate) for candidate in candidates]
    streams = [[" ".join(refs[k]) for refs in references_per_candidate]
               for k in range(len(references_per_candidate[0]))]
    return hypotheses, streams


@pytest.mark.parametrize("n_references", [1, 2])
def test_corpus_bleu_equals_sacrebleu_default(n_references):
    candidates, references = random_corpus(1, n_references=n_references)
    hypotheses, streams = as_sacrebleu_input(candidates, references)
    expected = sacrebleu.corpus_bleu(hypotheses, streams, tokenize="none")
    assert 0.0 < expected.score < 100.0
    assert corpus_bleu(candidates, references) == pytest.approx(
        expected.score / 100, abs=1e-9)


@pytest.mark.parametrize("max_n", [1, 2, 3, 5])
def test_corpus_bleu_equals_sacrebleu_for_other_orders(max_n):
    candidates, references = random_corpus(2, n_pairs=300, n_references=2)
    hypotheses, streams = as_sacrebleu_input(candidates, references)
    metric = BLEU(tokenize="none", max_ngram_order=max_n)
    expected = metric.corpus_score(hypotheses, streams).score / 100
    assert corpus_bleu(candidates, references, max_n=max_n) == pytest.approx(
        expected, abs=1e-9)


@pytest.mark.parametrize("smooth_method", ["exp", "none"])
def test_corpus_bleu_equals_sacrebleu_on_tiny_corpora(smooth_method):
    # 500 corpora of 1-3 short sentences: many have an order with no match
    # (or no n-grams), where the smoothing method decides the score.
    rng = random.Random(3)
    n_zero = 0
    for _ in range(500):
        n_pairs, n_references = rng.randint(1, 3), rng.randint(1, 2)
        candidates, references = random_corpus(
            rng.random(), n_pairs, n_references, max_length=6)
        hypotheses, streams = as_sacrebleu_input(candidates, references)
        expected = sacrebleu.corpus_bleu(
            hypotheses, streams, tokenize="none",
            smooth_method=smooth_method).score / 100
        n_zero += expected == 0.0
        assert corpus_bleu(candidates, references,
                           smooth_method=smooth_method) == pytest.approx(
            expected, abs=1e-9)
    assert n_zero > 50


@pytest.mark.parametrize("n_references", [1, 2])
def test_sentence_bleu_equals_sacrebleu_without_smoothing(n_references,
                                                         caplog):
    # use_effective_order=False makes sacrebleu warn on every sentence.
    caplog.set_level(logging.ERROR, logger="sacrebleu")
    candidates, references = random_corpus(4, n_references=n_references)
    n_nonzero = 0
    for candidate, refs in zip(candidates, references):
        expected = sacrebleu.sentence_bleu(
            " ".join(candidate), [" ".join(ref) for ref in refs],
            tokenize="none", smooth_method="none",
            use_effective_order=False).score / 100
        n_nonzero += expected > 0.0
        assert bleu(candidate, refs) == pytest.approx(expected, abs=1e-9)
    assert n_nonzero > 100


@pytest.mark.parametrize("n", [1, 2])
@pytest.mark.parametrize("n_references", [1, 2])
def test_rouge_n_equals_rouge_score(n, n_references):
    rouge_type = f"rouge{n}"
    scorer = rouge_scorer.RougeScorer([rouge_type])
    candidates, references = random_corpus(5, n_references=n_references)
    for candidate, refs in zip(candidates, references):
        expected = scorer.score_multi([" ".join(ref) for ref in refs],
                                      " ".join(candidate))[rouge_type]
        assert rouge_n(candidate, refs, n=n) == pytest.approx(
            (expected.precision, expected.recall, expected.fmeasure),
            abs=1e-9)


def test_rouge1_similarity_equals_rouge_score_f1():
    scorer = rouge_scorer.RougeScorer(["rouge1"])
    candidates, references = random_corpus(6)
    for candidate, (reference,) in zip(candidates, references):
        expected = scorer.score(" ".join(reference), " ".join(candidate))
        assert rouge1_similarity(candidate, reference) == pytest.approx(
            expected["rouge1"].fmeasure, abs=1e-9)

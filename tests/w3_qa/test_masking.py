"""T5 span corruption and BERT masking: the course's worked example, and the rates on 100k tokens."""
import numpy as np
import pytest

from w3_qa.masking import WordTokenizer, bert_mask, tokenize_and_mask
from w3_qa.tokenizer import FIRST_ORDINARY_ID, MASK_ID

SEED_TEXT = "Thank you for inviting me to your party last week."


def fixed(draws):
    """A randomizer that returns the given draws in order (and fails if asked for more)."""
    values = iter(draws)
    return lambda: next(values)


def test_span_corruption_reproduces_the_course_example():
    tokenizer = WordTokenizer(SEED_TEXT.split())
    #        Thank you  for  inviting me   to   your party last week.
    draws = [0.9, 0.9, 0.1, 0.05, 0.9, 0.9, 0.9, 0.9, 0.1, 0.9]
    inputs, targets = tokenize_and_mask(SEED_TEXT, noise=0.15, randomizer=fixed(draws), tokenizer=tokenizer)
    assert tokenizer.detokenize(inputs) == "Thank you <X> me to your party <Y> week."
    assert tokenizer.detokenize(targets) == "<X> for inviting <Y> last <Z>"


def test_a_draw_equal_to_the_noise_does_not_mask_and_runs_share_one_sentinel():
    tokenizer = WordTokenizer("a b c d e".split())
    inputs, targets = tokenize_and_mask("a b c d e", noise=0.5, randomizer=fixed([0.5, 0.1, 0.2, 0.3, 0.9]),
                                        tokenizer=tokenizer)
    assert tokenizer.detokenize(inputs) == "a <X> e"
    assert tokenizer.detokenize(targets) == "<X> b c d <Y>"


@pytest.mark.parametrize("noise, expected_inputs, expected_targets", [
    (0.0, "a b c", "<X>"),
    (1.0, "<X>", "<X> a b c <Y>"),
])
def test_no_noise_and_full_noise(noise, expected_inputs, expected_targets):
    tokenizer = WordTokenizer("a b c".split())
    inputs, targets = tokenize_and_mask("a b c", noise=noise, randomizer=fixed([0.3, 0.6, 0.99]),
                                        tokenizer=tokenizer)
    assert (tokenizer.detokenize(inputs), tokenizer.detokenize(targets)) == (expected_inputs, expected_targets)


def test_span_corruption_loses_no_token():
    tokenizer = WordTokenizer([f"w{i}" for i in range(200)], sentinels=[f"<S{k}>" for k in range(200)])
    text = " ".join(f"w{i}" for i in np.random.default_rng(0).integers(0, 200, 150))
    inputs, targets = tokenize_and_mask(text, noise=0.3, randomizer=np.random.default_rng(1).random,
                                        tokenizer=tokenizer)
    sentinels = set(range(201, 401))
    # Filling each sentinel of the inputs with the tokens that follow it in the targets gives the text back.
    spans, current = {}, None
    for token in targets:
        if token in sentinels:
            current = token
            spans[current] = []
        else:
            spans[current].append(token)
    restored = [t for token in inputs for t in (spans[token] if token in sentinels else [token])]
    assert restored == tokenizer.tokenize(text)
    assert list(spans)[-1] not in inputs and spans[list(spans)[-1]] == []  # the closing sentinel


def test_span_corruption_with_the_packaged_tokenizer():
    from w3_qa.tokenizer import default_tokenizer
    tokenizer = default_tokenizer()
    pieces = [tokenizer.id_to_piece(i) for i in tokenizer.tokenize(SEED_TEXT)]
    # Mask every piece of words 2, 3 and 8 ("for inviting", "last"); a piece starting with "▁" opens a word.
    word_of, word = [], -1
    for piece in pieces:
        word += piece.startswith("▁")
        word_of.append(word)
    assert word_of[-1] == 9
    draws = [0.1 if word_of[i] in (2, 3, 8) else 0.9 for i in range(len(pieces))]
    inputs, targets = tokenize_and_mask(SEED_TEXT, randomizer=fixed(draws), tokenizer=tokenizer)
    assert tokenizer.detokenize(inputs) == "Thank you <X> me to your party <Y> week."
    assert tokenizer.detokenize(targets) == "<X> for inviting <Y> last <Z>"
    assert [tokenizer.is_sentinel(t) for t in targets].count(True) == 3


def test_too_many_spans_is_a_clear_error():
    tokenizer = WordTokenizer("a b c d e".split())
    with pytest.raises(ValueError, match="sentinel"):
        tokenize_and_mask("a b c d e", noise=0.5, randomizer=fixed([0.1, 0.9, 0.1, 0.9, 0.1]), tokenizer=tokenizer)


@pytest.mark.parametrize("kwargs, error", [
    (dict(text=3), TypeError), (dict(noise=1.5), ValueError), (dict(noise="0.1"), TypeError),
    (dict(randomizer=0.5), TypeError),
])
def test_span_corruption_rejects_bad_arguments(kwargs, error):
    arguments = dict(text="a b", noise=0.1, randomizer=fixed([0.5, 0.5]), tokenizer=WordTokenizer(["a", "b"]))
    arguments.update(kwargs)
    with pytest.raises(error):
        tokenize_and_mask(**arguments)


def test_bert_mask_rates_on_100k_tokens():
    vocab_size = 2000
    rng = np.random.default_rng(0)
    tokens = rng.integers(FIRST_ORDINARY_ID, vocab_size, 100_000)
    tokens[::50] = 1  # EOS and [CLS] are never picked
    tokens[1::50] = 4
    inputs, targets, weights = bert_mask(tokens, np.random.default_rng(1), vocab_size)
    assert inputs.dtype == np.int32 and targets.dtype == np.int32 and weights.dtype == np.float32
    np.testing.assert_array_equal(targets, tokens)
    ordinary = tokens >= FIRST_ORDINARY_ID
    picked = weights == 1.0
    assert not picked[~ordinary].any()
    assert np.array_equal(inputs[~picked], tokens[~picked])
    rate = picked.sum() / ordinary.sum()
    assert abs(rate - 0.15) < 0.005  # 96k Bernoulli(0.15) draws: sd 0.0012
    n = picked.sum()
    masked = (inputs == MASK_ID) & picked
    changed = (inputs != tokens) & picked & ~masked
    kept = (inputs == tokens) & picked
    # A random replacement equals the original token with probability 1/1962: counted in "kept".
    assert abs(masked.sum() / n - 0.8) < 0.015
    assert abs(changed.sum() / n - 0.1) < 0.01
    assert abs(kept.sum() / n - 0.1) < 0.01
    assert inputs[changed].min() >= FIRST_ORDINARY_ID and inputs[changed].max() < vocab_size


def test_bert_mask_follows_its_documented_draws():
    tokens = np.arange(100, 120)
    inputs, _, weights = bert_mask(tokens, np.random.default_rng(7), 200, rate=0.5)
    rng = np.random.default_rng(7)
    picked = np.flatnonzero(rng.random(20) < 0.5)
    action = rng.random(picked.size)
    random_ids = rng.integers(FIRST_ORDINARY_ID, 200, size=picked.size)
    expected = tokens.copy()
    for position, a, r in zip(picked, action, random_ids):
        expected[position] = MASK_ID if a < 0.8 else (r if a < 0.9 else tokens[position])
    np.testing.assert_array_equal(inputs, expected)
    np.testing.assert_array_equal(np.flatnonzero(weights), picked)


@pytest.mark.parametrize("kwargs, error", [
    (dict(tokens="abc"), TypeError), (dict(tokens=[[1, 2]]), ValueError), (dict(rng=0), TypeError),
    (dict(tokens=[5000]), ValueError), (dict(rate=2.0), ValueError), (dict(vocab_size=50), ValueError),
])
def test_bert_mask_rejects_bad_arguments(kwargs, error):
    arguments = dict(tokens=[140, 141], rng=np.random.default_rng(0), vocab_size=2000)
    arguments.update(kwargs)
    with pytest.raises(error):
        bert_mask(**arguments)


def test_span_randomizer_masks_runs_of_the_mean_length_at_the_noise_rate():
    from w3_qa.masking import SpanRandomizer

    randomizer = SpanRandomizer(0.15, 3.0, np.random.default_rng(0))
    masked = np.array([randomizer() < 0.15 for _ in range(200_000)])
    assert abs(masked.mean() - 0.15) < 0.01
    starts = np.flatnonzero(masked[1:] & ~masked[:-1]).size
    assert abs(masked.sum() / starts - 3.0) < 0.1
    with pytest.raises(ValueError):
        SpanRandomizer(0.9, 5, np.random.default_rng(0))

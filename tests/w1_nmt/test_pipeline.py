"""Tests for w1_nmt.pipeline: tokenized, bucketed, padded and weighted batches."""
import itertools

import numpy as np
import pytest

from w1_nmt import data, pipeline, tokenizer
from w1_nmt.tokenizer import EOS_ID, PAD_ID

BOUNDARIES = (8, 16, 32, 64, 96)
BATCH_SIZES = (16, 8, 4, 2, 2)


class WordTokenizer:
    """A stub tokenizer: each word is one id (its position in VOCAB + 3)."""
    VOCAB = "the man reads book der Mann liest das Buch".split()

    def tokenize(self, text):
        return [self.VOCAB.index(word) + 3 for word in text.split()]


@pytest.fixture(scope="module")
def tok():
    return tokenizer.default_tokenizer()


@pytest.fixture(scope="module")
def pairs():
    return data.make_splits(n_train=400, n_eval=0, n_test=0, seed=3)["train"]


def _batches(pairs, tok, n=40, **kwargs):
    options = dict(batch_boundaries=BOUNDARIES, batch_sizes=BATCH_SIZES, seed=0)
    options.update(kwargs)
    return list(itertools.islice(pipeline.make_batch_stream(pairs, tok, **options), n))


# --- the steps, on a worked example ------------------------------------------------------------

def test_tokenize_pairs_and_append_eos_worked_example():
    stream = pipeline.tokenize_pairs([("the man reads the book", "der Mann liest das Buch")],
                                     WordTokenizer())
    (inputs, targets), = list(pipeline.append_eos(stream))
    assert inputs.dtype == np.int64 and targets.dtype == np.int64
    assert inputs.tolist() == [3, 4, 5, 3, 6, EOS_ID]
    assert targets.tolist() == [7, 8, 9, 10, 11, EOS_ID]


def test_tokenize_pairs_rejects_non_pairs():
    with pytest.raises(ValueError, match="pair 0"):
        list(pipeline.tokenize_pairs(["just one sentence"], WordTokenizer()))


def test_stub_batch_is_padded_to_the_bucket_boundary():
    stub_pairs = [("the man reads the book", "der Mann liest das Buch")] * 2
    inputs, targets, weights = next(pipeline.make_batch_stream(
        stub_pairs, WordTokenizer(), batch_boundaries=(8,), batch_sizes=(2,), shuffle=False))
    assert inputs.tolist() == [[3, 4, 5, 3, 6, EOS_ID, PAD_ID, PAD_ID]] * 2
    assert targets.tolist() == [[7, 8, 9, 10, 11, EOS_ID, PAD_ID, PAD_ID]] * 2
    assert weights.tolist() == [[1, 1, 1, 1, 1, 1, 0, 0]] * 2


# --- batches from the real tokenizer -----------------------------------------------------------

def test_batches_have_only_bucket_shapes_and_dtypes(pairs, tok):
    allowed = set(zip(BATCH_SIZES, BOUNDARIES))
    for inputs, targets, weights in _batches(pairs, tok):
        assert inputs.shape == targets.shape == weights.shape
        assert inputs.shape in allowed
        assert inputs.dtype == np.int32 and targets.dtype == np.int32
        assert weights.dtype == np.float32


def test_every_row_ends_with_one_eos_then_padding(pairs, tok):
    for inputs, targets, _ in _batches(pairs, tok):
        for row in np.concatenate([inputs, targets]):
            assert (row == EOS_ID).sum() == 1
            eos = int(np.argmax(row == EOS_ID))
            assert (row[:eos] > EOS_ID).all() and (row[eos + 1:] == PAD_ID).all()


def test_weights_mask_exactly_the_padding(pairs, tok):
    for _, targets, weights in _batches(pairs, tok):
        np.testing.assert_array_equal(weights, (targets != PAD_ID).astype(np.float32))


def test_batches_decode_to_the_pairs(pairs, tok):
    english = {en: de for en, de in pairs}
    inputs, targets, _ = _batches(pairs, tok, n=1)[0]
    for source, target in zip(inputs, targets):
        assert english[tok.detokenize(source)] == tok.detokenize(target)


def test_batches_are_deterministic_given_the_seed(pairs, tok):
    first, second = _batches(pairs, tok, seed=1), _batches(pairs, tok, seed=1)
    other = _batches(pairs, tok, seed=2)
    assert all((a == b).all() for x, y in zip(first, second) for a, b in zip(x, y))
    assert any(x[0].shape != y[0].shape or (x[0] != y[0]).any() for x, y in zip(first, other))


def test_no_shuffle_no_repeat_is_one_ordered_pass(pairs, tok):
    batches = list(pipeline.make_batch_stream(pairs, tok, batch_boundaries=(128,),
                                              batch_sizes=(100,), shuffle=False, repeat=False))
    assert len(batches) == len(pairs) // 100
    assert tok.detokenize(batches[0][0][0]) == pairs[0][0]


def test_filter_drops_pairs_longer_than_max_length(pairs, tok):
    kept = 0
    for inputs, targets, weights in _batches(pairs, tok, n=20, max_length=20):
        assert inputs.shape[1] in (8, 16, 32)
        assert ((inputs != PAD_ID).sum(axis=1) <= 20).all()
        assert (weights.sum(axis=1) <= 20).all()
        kept += len(inputs)
    assert kept > 0


@pytest.mark.parametrize("kwargs, message", [
    ({"batch_boundaries": (32, 16), "batch_sizes": (2, 2)}, "increasing"),
    ({"batch_boundaries": (16, 32), "batch_sizes": (2,)}, "batch_sizes"),
    ({"batch_boundaries": (16, 32), "batch_sizes": (2, 2), "max_length": 40}, "max_length"),
])
def test_make_batch_stream_rejects_bad_buckets(pairs, tok, kwargs, message):
    with pytest.raises(ValueError, match=message):
        pipeline.make_batch_stream(pairs, tok, **kwargs)


def test_make_batch_stream_rejects_bad_pairs(tok):
    with pytest.raises(ValueError, match="empty"):
        pipeline.make_batch_stream([], tok)
    with pytest.raises(TypeError, match="sequence"):
        pipeline.make_batch_stream("not pairs", tok)


# --- encode_sentence ---------------------------------------------------------------------------

def test_encode_sentence_appends_eos_and_pads(tok):
    ids = tok.tokenize("The man reads the book.")
    plain = pipeline.encode_sentence("The man reads the book.", tok)
    assert plain.shape == (1, len(ids) + 1) and plain.dtype == np.int32
    assert plain[0].tolist() == ids + [EOS_ID]
    padded = pipeline.encode_sentence("The man reads the book.", tok, pad_to=10)
    assert padded[0].tolist() == ids + [EOS_ID] + [PAD_ID] * (9 - len(ids))
    bucketed = pipeline.encode_sentence("The man reads the book.", tok,
                                        pad_to=pipeline.DEFAULT_BOUNDARIES)
    assert bucketed.shape == (1, 16)


def test_encode_sentence_errors(tok):
    with pytest.raises(ValueError, match="pad_to=2"):
        pipeline.encode_sentence("The man reads the book.", tok, pad_to=2)
    with pytest.raises(ValueError, match="largest boundary"):
        pipeline.encode_sentence("The man reads the book.", tok, pad_to=(2, 4))
    with pytest.raises(TypeError, match="pad_to"):
        pipeline.encode_sentence("The man reads the book.", tok, pad_to="16")


# --- the curriculum ------------------------------------------------------------------------------

def _source_words(tok, inputs):
    texts = [tok.detokenize([int(i) for i in row if i not in (PAD_ID, EOS_ID)]) for row in inputs]
    return [len(data.split_tokens(text)) for text in texts]


def test_curriculum_stream_moves_from_short_to_long_sentences(pairs, tok):
    stages = [(8, 5), (20, 5), (None, None)]
    stream = pipeline.make_curriculum_stream(pairs, tok, stages, seed=1, batch_boundaries=BOUNDARIES,
                                             batch_sizes=BATCH_SIZES)
    batches = list(itertools.islice(stream, 40))
    lengths = [_source_words(tok, inputs) for inputs, _, _ in batches]
    assert all(max(n) <= 8 for n in lengths[:5])
    assert all(max(n) <= 20 for n in lengths[5:10]) and max(max(n) for n in lengths[5:10]) > 8
    assert max(max(n) for n in lengths[10:]) > 20
    for inputs, targets, weights in batches:
        assert inputs.dtype == targets.dtype == np.int32 and weights.dtype == np.float32
        assert inputs.shape[1] in BOUNDARIES and inputs.shape[0] == BATCH_SIZES[BOUNDARIES.index(inputs.shape[1])]
    again = pipeline.make_curriculum_stream(pairs, tok, stages, seed=1, batch_boundaries=BOUNDARIES,
                                            batch_sizes=BATCH_SIZES)
    for (a, _, _), (b, _, _) in zip(batches, itertools.islice(again, 40)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("stages, message", [
    ([], "stages is empty"),
    ([(8, None), (None, None)], "only the last stage may be endless"),
    ([(8, 0)], "n_batches must be a positive int"),
])
def test_curriculum_stream_rejects_bad_stages(pairs, tok, stages, message):
    with pytest.raises(ValueError, match=message):
        pipeline.make_curriculum_stream(pairs, tok, stages)


def test_curriculum_stage_without_pairs_is_a_clear_error(pairs, tok):
    stream = pipeline.make_curriculum_stream(pairs, tok, [(1, None)], batch_boundaries=BOUNDARIES,
                                             batch_sizes=BATCH_SIZES)
    with pytest.raises(ValueError, match="no pair has a source of at most 1 words"):
        next(stream)

"""Joint sequences, loss weights and bucketed batches of Week 2."""
import numpy as np
import pytest

from coursekit.tokenizer import EOS_ID, PAD_ID
from w2_summarizer import pipeline
from w2_summarizer.data import generate_examples
from w2_summarizer.tokenizer import default_tokenizer


def test_joint_sequence_and_weights():
    joint, weights = pipeline.joint_sequence([5, 6, 7], [8, 9])
    np.testing.assert_array_equal(joint, [5, 6, 7, EOS_ID, PAD_ID, 8, 9, EOS_ID])
    np.testing.assert_array_equal(weights, [0, 0, 0, 0, 0, 1, 1, 1])
    assert joint.dtype == np.int32 and weights.dtype == np.float32
    assert pipeline.summary_prompt([5, 6]) == [5, 6, EOS_ID, PAD_ID]


@pytest.mark.parametrize("bad, error, message", [
    ("abc", TypeError, "list of int token ids"),
    ([], ValueError, "must not be empty"),
    ([[1, 2]], ValueError, "1-D sequence"),
    ([1.5], ValueError, "1-D sequence of int"),
])
def test_joint_sequence_rejects_bad_ids(bad, error, message):
    with pytest.raises(error, match=message):
        pipeline.joint_sequence(bad, [1])


def test_batches_are_bucketed_padded_and_weighted():
    tokenizer = default_tokenizer()
    examples = generate_examples(60, seed=3)
    batches = list(pipeline.make_batch_stream(examples, tokenizer, batch_boundaries=(128, 192),
                                              batch_sizes=(8, 4), shuffle=False, repeat=False))
    assert sum(len(b[0]) for b in batches) == 60  # one epoch, partial batches included
    for inputs, targets, weights in batches:
        assert inputs.shape[1] in (128, 192) and inputs.dtype == np.int32 and weights.dtype == np.float32
        np.testing.assert_array_equal(inputs, targets)
        assert ((weights == 0) | (weights == 1)).all()
        assert (weights[inputs == PAD_ID] == 0).all()  # padding and the separator carry no loss
    first = batches[0]
    joint, weight = pipeline.encode_example(examples[0], tokenizer)
    np.testing.assert_array_equal(first[0][0, :len(joint)], joint)
    summary_ids = tokenizer.tokenize(examples[0]["summary"])
    assert first[2][0].sum() == len(summary_ids) + 1  # the summary and its EOS


def test_batch_stream_is_seeded():
    tokenizer = default_tokenizer()
    examples = generate_examples(40, seed=1)
    a = pipeline.make_batch_stream(examples, tokenizer, batch_sizes=(4, 4, 4), seed=5)
    b = pipeline.make_batch_stream(examples, tokenizer, batch_sizes=(4, 4, 4), seed=5)
    for _ in range(12):  # past the first epoch
        for x, y in zip(next(a), next(b)):
            np.testing.assert_array_equal(x, y)


def test_bad_buckets_and_too_long_examples():
    tokenizer = default_tokenizer()
    examples = generate_examples(5)
    with pytest.raises(ValueError, match="same length"):
        next(pipeline.make_batch_stream(examples, tokenizer, batch_boundaries=(64, 128), batch_sizes=(2,)))
    with pytest.raises(ValueError, match="increasing ints"):
        next(pipeline.make_batch_stream(examples, tokenizer, batch_boundaries=(128, 64), batch_sizes=(2, 2)))
    with pytest.raises(ValueError, match="no example fits"):
        next(pipeline.make_batch_stream(examples, tokenizer, batch_boundaries=(8,), batch_sizes=(2,)))
    report = pipeline.length_report(examples, tokenizer, batch_boundaries=(8, 256))
    assert report["per_bucket"] == [0, 5] and report["dropped"] == 0

"""Short articles first: the fact sentences of an article, and a stream that starts on them."""
import itertools

import numpy as np
import pytest

from w2_summarizer.curriculum import curriculum_stream, fact_sentences, split_sentences
from w2_summarizer.data import generate_examples
from w2_summarizer.pipeline import make_batch_stream
from w2_summarizer.tokenizer import default_tokenizer


def test_split_sentences_keeps_numbers_and_amounts_whole():
    text = "Revenue was $134 million. It rose 4.5 percent! Why? 2,750 came. The end."
    assert split_sentences(text) == ["Revenue was $134 million.", "It rose 4.5 percent!", "Why?", "2,750 came.",
                                     "The end."]


def test_fact_sentences_keep_every_fact_and_drop_the_rest():
    examples = generate_examples(300, seed=11)
    for example in examples:
        short = fact_sentences(example)
        assert set(short) == set(example) and short["summary"] == example["summary"]
        sentences, kept = split_sentences(example["article"]), split_sentences(short["article"])
        assert all(value in short["article"] for value in example["facts"].values())
        assert kept == [s for s in sentences if s in kept], "the order is kept"
        assert all(any(value in s for value in example["facts"].values()) for s in kept)
        assert example["article"] == " ".join(sentences)
    assert np.mean([len(fact_sentences(e)["article"]) / len(e["article"]) for e in examples]) < 0.7
    user = {"article": "One. Two.", "summary": "One.", "facts": None}
    assert fact_sentences(user) == user and fact_sentences(user) is not user


def test_the_stream_starts_short_then_mixes_whole_articles():
    tokenizer = default_tokenizer()
    examples = generate_examples(60, seed=2)
    buckets = dict(batch_boundaries=(96, 128, 192), batch_sizes=(4, 4, 4))
    short = [fact_sentences(e) for e in examples]
    short_batches = list(itertools.islice(make_batch_stream(short, tokenizer, seed=3 + 7, **buckets), 5))
    full_batches = list(itertools.islice(make_batch_stream(examples, tokenizer, seed=3, **buckets), 40))
    stream = list(itertools.islice(curriculum_stream(examples, tokenizer, 5, 0.75, seed=3, **buckets), 45))
    for got, want in zip(stream[:5], short_batches):
        assert all(np.array_equal(a, b) for a, b in zip(got, want))
    full_fingerprints = {batch[0].tobytes() for batch in full_batches}
    later = [batch[0].tobytes() in full_fingerprints for batch in stream[5:]]
    assert 0.5 < np.mean(later) < 1.0, "after the short phase, about 3 batches in 4 are whole articles"
    assert [b[0].tobytes() for b in stream] == [b[0].tobytes() for b in itertools.islice(
        curriculum_stream(examples, tokenizer, 5, 0.75, seed=3, **buckets), 45)], "seeded"
    with pytest.raises(ValueError, match="short_steps"):
        next(curriculum_stream(examples, tokenizer, -1, 0.75, **buckets))
    with pytest.raises(ValueError, match="full_rate"):
        next(curriculum_stream(examples, tokenizer, 0, 1.5, **buckets))

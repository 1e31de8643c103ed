"""Batches for pre-training and fine-tuning, and greedy question answering with a table model."""
import itertools

import numpy as np
import pytest

from coursekit.tokenizer import EOS_ID
from w3_qa.pipeline import (Seq2SeqStats, make_seq2seq_batches, qa_pair, span_corruption_pairs)
from w3_qa.qa import answer_question, answer_questions, greedy_answers
from w3_qa.tasks import format_qa
from w3_qa.tokenizer import default_tokenizer

EXAMPLE = {"question": "Where was Cyril Garner born?", "answer": "Aldcombe",
           "context": "Cyril Garner, a poet from Aldcombe, lived from 1630 to 1684."}


def test_qa_pair_is_the_t5_format_with_eos():
    tokenizer = default_tokenizer()
    inputs, targets = qa_pair(EXAMPLE, tokenizer)
    assert inputs[-1] == EOS_ID and targets[-1] == EOS_ID
    assert tokenizer.detokenize(inputs) == format_qa(EXAMPLE["question"], EXAMPLE["context"])
    assert tokenizer.detokenize(targets) == "Aldcombe"


def test_span_corruption_stream_is_seeded_and_remasks_each_epoch():
    tokenizer = default_tokenizer()
    texts = ["Cyril Garner was born in 1630 in the town of Aldcombe.", "Garner died in 1684 at the age of 54."]
    first = list(itertools.islice(span_corruption_pairs(texts, tokenizer, 0.3, seed=4), 10))
    again = list(itertools.islice(span_corruption_pairs(texts, tokenizer, 0.3, seed=4), 10))
    assert first == again
    assert len({tuple(pair[0]) for pair in first}) > 2  # new masks every epoch
    for inputs, targets in first:
        assert inputs[-1] == EOS_ID and targets[-1] == EOS_ID
        assert tokenizer.is_sentinel(targets[-2])


def test_batches_are_padded_to_the_buckets_and_long_pairs_are_counted():
    pairs = [([5] * n + [EOS_ID], [7] * (n % 5) + [EOS_ID]) for n in range(1, 40)] + [([5] * 50, [EOS_ID])]
    stats = Seq2SeqStats()
    batches = list(make_seq2seq_batches(pairs, input_boundaries=(8, 16, 40), batch_size=4, target_length=6,
                                        stats=stats, flush=True))
    assert stats.too_long == 1 and stats.batched == 39
    for inputs, targets, weights in batches:
        assert inputs.shape[1] in (8, 16, 40) and targets.shape[1] == 6
        assert inputs.dtype == np.int32 and targets.dtype == np.int32 and weights.dtype == np.float32
        np.testing.assert_array_equal(weights, (targets != 0).astype(np.float32))
    full = [b for b in batches if b[0].shape[0] == 4]
    assert len(full) >= 8


class TableModel:
    """A stand-in QA model: it 'answers' `answer` (ids) for any input, then EOS; it records its calls.

    Logits at position t favour answer[t] when targets[:t] is answer[:t]; after a wrong prefix they favour
    id 99, so a decoder that reads the wrong position gives a different answer.
    """

    def __init__(self, answer, vocab=120):
        self.answer, self.vocab, self.calls = list(answer) + [EOS_ID], vocab, []

    def __call__(self, batch):
        inputs, targets = batch
        self.calls.append((np.asarray(inputs).shape, np.asarray(targets).shape))
        targets = np.asarray(targets)
        logits = np.zeros(targets.shape + (self.vocab,), np.float32)
        for row in range(targets.shape[0]):
            for t in range(targets.shape[1]):
                right_prefix = list(targets[row, :t]) == self.answer[:t]
                token = self.answer[t] if right_prefix and t < len(self.answer) else 99
                logits[row, t, token] = 5.0
        return logits, targets


def test_answer_question_decodes_greedily():
    tokenizer = default_tokenizer()
    answer = tokenizer.tokenize("Rhoda Vickers")
    model = TableModel(answer, vocab=tokenizer.vocab_size)
    assert answer_question("Who taught Cyril Garner?", EXAMPLE["context"], model, tokenizer) == "Rhoda Vickers"
    (input_shape, target_shape), *_ = model.calls
    assert target_shape == (1, 16) and input_shape[1] & (input_shape[1] - 1) == 0  # padded to a power of 2
    assert len(model.calls) == len(answer) + 1  # stops at EOS


def test_answer_question_stops_at_max_length():
    tokenizer = default_tokenizer()
    answer = tokenizer.tokenize("Rhoda Vickers of Aldcombe")
    model = TableModel(answer, vocab=tokenizer.vocab_size)
    assert answer_question("Who?", "Someone.", model, tokenizer, max_length=2) == tokenizer.detokenize(answer[:2])
    with pytest.raises(ValueError):
        answer_question("Who?", "Someone.", model, tokenizer, max_length=0)
    with pytest.raises(ValueError):
        answer_question("", "Someone.", model, tokenizer)


def test_batched_answers_equal_one_at_a_time():
    tokenizer = default_tokenizer()
    answer = tokenizer.tokenize("1630")
    model = TableModel(answer, vocab=tokenizer.vocab_size)
    examples = [EXAMPLE, dict(EXAMPLE, question="When was Cyril Garner born?")] * 3
    batched = answer_questions(examples, model, tokenizer, batch_size=4)
    assert batched == [answer_question(e["question"], e["context"], model, tokenizer) for e in examples]
    ids = greedy_answers(model, np.ones((2, 8), np.int32), max_length=4)
    assert ids == [answer, answer]


def test_an_over_long_context_is_a_clear_error():
    tokenizer = default_tokenizer()
    model = TableModel(tokenizer.tokenize("1630"), vocab=tokenizer.vocab_size)
    long_context = " ".join([EXAMPLE["context"]] * 20)
    with pytest.raises(ValueError, match="at most 255"):
        answer_question(EXAMPLE["question"], long_context, model, tokenizer)
    with pytest.raises(ValueError, match="shorten the context"):
        answer_questions([dict(EXAMPLE, context=long_context)], model, tokenizer)
    assert model.calls == []

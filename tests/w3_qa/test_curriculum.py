"""The fine-tuning data of the QA model: held-out entities, fresh questions, context windows, copy targets."""
import itertools

import numpy as np
import pytest

from w3_qa import curriculum
from w3_qa.data import generate_paragraphs, qa_examples
from w3_qa.evaluate import normalize_answer
from w3_qa.heldout import held_out_questions, is_held_out
from w3_qa.pipeline import qa_pair, token_budget_batch_sizes
from w3_qa.tokenizer import EOS_ID, default_tokenizer


@pytest.fixture(scope="module")
def tokenizer():
    return default_tokenizer()


def test_sentence_spans_cover_the_sentences_and_nothing_else():
    text = "Ada Lorimer (1843-1901) was a painter. Lorimer was born in Lorvik in 1843. In 1850, only 2,100 lived."
    spans = curriculum.sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Ada Lorimer (1843-1901) was a painter.",
                                             "Lorimer was born in Lorvik in 1843.", "In 1850, only 2,100 lived."]
    assert curriculum.sentence_spans("One sentence only") == [(0, 17)]


def test_a_window_keeps_the_answer_at_its_offset_and_has_the_asked_size():
    rng = np.random.default_rng(0)
    for example in itertools.islice(curriculum.fresh_questions(3), 300):
        n_sentences = len(curriculum.sentence_spans(example["context"]))
        for neighbours in (0, 1, 4):
            window = curriculum.context_window(example, neighbours, rng)
            start = window["answer_start"]
            assert window["context"][start:start + len(window["answer"])] == window["answer"]
            assert window["window"] == min(n_sentences, neighbours + 1)
            assert window["context"] in example["context"]
    sentences = [s for s in example["context"].split(". ")]
    assert len(curriculum.context_window(example, 0, rng)["context"]) < len(example["context"]) or len(sentences) == 1


def test_the_curriculum_grows_the_window_then_keeps_mostly_whole_paragraphs():
    rng = np.random.default_rng(1)
    examples = list(itertools.islice(curriculum.fresh_questions(0), 1600))
    cut = list(curriculum.curriculum_windows(examples, rng, ramp_examples=1000, max_neighbours=4, full_rate=0.75))
    ramp = [example["window"] for example in cut[:1000]]
    assert max(ramp[:200]) == 1 and min(ramp[800:]) >= 2  # k = 0 at first, 4 at the end (fewer if short)
    after = [example["window"] for example in cut[1000:]]
    whole = sum(window is None for window in after) / len(after)
    assert 0.68 < whole < 0.82
    assert [e["context"] for e, w in zip(examples[1000:], after) if w is None] == \
        [e["context"] for e in cut[1000:] if e["window"] is None]


def test_fresh_questions_skip_held_out_and_excluded_entities():
    first = list(itertools.islice(curriculum.fresh_questions(0), 400))
    titles = {example["title"] for example in first}
    assert not any(is_held_out(title) for title in titles)
    excluded = set(list(titles)[:10])
    again = list(itertools.islice(curriculum.fresh_questions(0, exclude_titles=excluded), 400))
    assert not excluded & {example["title"] for example in again}
    assert list(itertools.islice(curriculum.fresh_questions(0), 400)) == first  # seeded


def test_held_out_questions_are_about_held_out_entities_only_and_reproducible():
    questions = held_out_questions(60, seed=2)
    assert len(questions) == 60 and all(is_held_out(q["title"]) for q in questions)
    assert held_out_questions(60, seed=2) == questions and held_out_questions(20, seed=2) == questions[:20]
    assert held_out_questions(60, seed=3) != questions
    for question in questions:
        start = question["answer_start"]
        assert question["context"][start:start + len(question["answer"])] == question["answer"]
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="n must be"):
            held_out_questions(bad)
    # the held-out part is about a sixteenth of the entity space
    share = np.mean([is_held_out(p["title"]) for p in generate_paragraphs(800, seed=5)])
    assert 0.03 < share < 0.11


def test_copy_targets_are_the_context_tokens_and_read_as_the_answer(tokenizer):
    examples = list(itertools.islice(curriculum.fresh_questions(1), 1500))
    changed = 0
    for example in examples:
        inputs, target = curriculum.qa_copy_pair(example, tokenizer)
        plain_inputs, plain_target = qa_pair(example, tokenizer)
        assert inputs == plain_inputs and target[-1] == EOS_ID
        body = target[:-1]
        assert normalize_answer(tokenizer.detokenize(body)) == normalize_answer(example["answer"])
        if body != plain_target[:-1]:
            changed += 1
            assert any(inputs[i:i + len(body)] == body for i in range(len(inputs)))  # a run of the input
    assert changed > 0.05 * len(examples)  # about one answer in six tokenizes otherwise alone


def test_copy_target_falls_back_to_the_answer_where_the_text_does_not_align(tokenizer):
    text = "question: q context: a  b"  # two spaces: the pieces do not spell the text
    ids = tokenizer.tokenize(text)
    assert curriculum.copy_target(ids, text, 24, "b", tokenizer) == tokenizer.tokenize("b")


def test_shuffled_yields_every_item_once():
    rng = np.random.default_rng(0)
    items = list(range(100))
    out = list(curriculum.shuffled(iter(items), 10, rng))
    assert sorted(out) == items and out != items


def test_token_budget_batch_sizes():
    assert token_budget_batch_sizes((64, 128, 192), 6144) == (96, 48, 32)
    assert token_budget_batch_sizes((256,), 100) == (1,)
    with pytest.raises(ValueError, match="tokens_per_batch"):
        token_budget_batch_sizes((64,), 0)


def test_examples_from_the_training_split_go_through_the_same_windows(tokenizer):
    paragraph = generate_paragraphs(1, seed=4)[0]
    examples = qa_examples(paragraph)
    rng = np.random.default_rng(0)
    cut = list(curriculum.curriculum_windows(examples, rng, ramp_examples=len(examples), max_neighbours=0))
    assert all(e["window"] == 1 for e in cut)

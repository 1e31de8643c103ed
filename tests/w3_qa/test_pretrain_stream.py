"""The pre-training stream's levers (w3_qa.pretrain_stream): fresh paragraphs, short passages first, the
cloze form, one fact in place; every target a span of the unlabeled text."""
import dataclasses
import itertools

import pytest

from coursekit.tokenizer import EOS_ID
from w3_qa import config as cfg
from w3_qa.data import generate_paragraphs
from w3_qa.heldout import is_held_out
from w3_qa.pretrain_stream import (cloze_text, fresh_paragraphs, passage_window, pretrain_pairs,
                                   pretrain_paragraphs, uses_levers)
from w3_qa.tokenizer import default_tokenizer

LEVERS = dataclasses.replace(cfg.DEFAULT, cloze_rate=0.5, salient_rate=0.5, salient_fact_rate=0.0,
                             pretrain_fresh=True, pretrain_window_examples=40)


@pytest.fixture(scope="module")
def tokenizer():
    return default_tokenizer()


def test_fresh_paragraphs_are_new_held_in_and_never_excluded():
    first = list(itertools.islice(fresh_paragraphs(0), 50))
    titles = [p["title"] for p in first]
    assert len(set(titles)) == 50 and not any(is_held_out(t) for t in titles)
    again = list(itertools.islice(fresh_paragraphs(0, exclude_titles=titles[:10]), 40))
    assert not {p["title"] for p in again} & set(titles[:10])
    assert pretrain_paragraphs([], LEVERS) is not None and not uses_levers(cfg.DEFAULT) and uses_levers(LEVERS)


def test_fresh_paragraphs_go_on_with_new_texts_once_the_titles_are_spent():
    """A generator of three titles and 25 texts: each title once while new ones come, then (after
    `spent_after` repeats in a row) every new text of a spent title, never a text twice, never an excluded
    title. (Before, the stream drew forever once the titles ran out: a pre-training stalled at step 8,400.)"""
    def generator():
        return ({"title": "ABC"[i % 3], "text": f"text {i % 25}"} for i in range(60))

    taken = list(fresh_paragraphs(paragraphs=generator(), spent_after=5))
    assert [p["text"] for p in taken[:4]] == ["text 0", "text 1", "text 2", "text 7"], "4 repeats skipped, then spent"
    assert sorted(p["text"] for p in taken) == sorted(f"text {i}" for i in range(25)), "every text, once"
    assert "B" not in {p["title"] for p in fresh_paragraphs(paragraphs=generator(), exclude_titles=("B",),
                                                            spent_after=5)}


def test_a_window_keeps_the_chosen_sentences_in_order_and_maps_their_offsets():
    import numpy as np

    text = "A one. B two. C three. D four."
    window, moved = passage_window(text, {0, 2}, 0, np.random.default_rng(0))
    assert window == "A one. C three." and moved == {0: 0, 14: 7}
    window, _ = passage_window(text, {3}, 9, np.random.default_rng(0))
    assert window == text


def test_the_cloze_drops_the_mentions_sentence_and_keeps_the_other_mention():
    paragraph = {"text": "Kenyon was born in 1848. He built bridges. Kenyon lived from 1848 to 1904."}
    question, context = cloze_text(paragraph, "1848", 19, [61])
    assert question == "Kenyon was born in <X>." and context == "He built bridges. Kenyon lived from 1848 to 1904."
    assert cloze_text({"text": "From 1848 to 1848. Then more."}, "1848", 5, [13]) is None


def test_every_target_is_a_span_of_its_paragraph_and_the_forms_come_in_their_shares(tokenizer):
    paragraphs = generate_paragraphs(200, seed=4)
    pairs = list(pretrain_pairs(iter(paragraphs), tokenizer, LEVERS, seed=1))
    assert len(pairs) == 200 and all(i[-1] == EOS_ID and t[-1] == EOS_ID for i, t in pairs)
    cloze = in_place = 0
    for (inputs, targets), paragraph in zip(pairs, paragraphs):
        source, target = tokenizer.detokenize(inputs), tokenizer.detokenize(targets)
        if source.startswith("question: "):
            cloze += 1
            question, context = source.split(" context: ")
            assert target in paragraph["text"] and target in context and "<X>" in question
        else:
            in_place += 1
            fills = [part.strip() for part in target.replace("<Y>", "<X>").split("<X>") if part.strip()]
            assert all(fill in paragraph["text"] for fill in fills)
    assert 70 <= cloze <= 130 and cloze + in_place == 200
    # short passages first: the ramp's first inputs are shorter than the whole paragraphs after it
    lengths = [len(inputs) for inputs, _ in pairs]
    assert sum(lengths[:20]) / 20 < 0.6 * sum(lengths[100:]) / 100
    assert pairs == list(pretrain_pairs(iter(paragraphs), tokenizer, LEVERS, seed=1))

"""Salient-span masking: chosen mentions of a paragraph's facts become sentinels, the other mention stays."""
import itertools
import re

import numpy as np
import pytest

from coursekit.tokenizer import EOS_ID
from w3_qa.data import generate_paragraphs
from w3_qa.masking import WordTokenizer, mask_char_spans
from w3_qa.pipeline import salient_span_pairs, salient_spans, span_corruption_pairs
from w3_qa.tokenizer import default_tokenizer


def test_char_spans_become_sentinels_as_in_the_course_example():
    text = "Thank you for inviting me to your party last week."
    words = WordTokenizer(text.split())
    spans = [(text.index("for"), text.index("me") - 1), (text.index("last"), text.index("last") + 4)]
    inputs, targets = mask_char_spans(text, spans, words)
    assert words.detokenize(inputs) == "Thank you <X> me to your party <Y> week."
    assert words.detokenize(targets) == "<X> for inviting <Y> last <Z>"


@pytest.mark.parametrize("spans", [[(5, 3)], [(0, 4), (2, 6)], [(0, 400)], [(6, 8), (0, 4)]])
def test_bad_spans_are_refused(spans):
    with pytest.raises(ValueError, match="sorted, non-overlapping"):
        mask_char_spans("Thank you for inviting me", spans, default_tokenizer())


def test_salient_spans_mask_one_mention_of_repeated_facts_only():
    rng = np.random.default_rng(0)
    paragraphs = generate_paragraphs(200, seed=5)
    masked = 0
    for paragraph in paragraphs:
        text = paragraph["text"]
        spans = salient_spans(paragraph, rng, rate=0.5)
        assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
        values = {v for k, v in paragraph["facts"].items() if k != "name"}
        for start, end in spans:
            value = text[start:end]
            assert value in values
            mentions = re.findall(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text)
            assert len(mentions) >= 2, "only a fact mentioned again can be restored from the text"
            masked += 1
    assert 0.8 < masked / len(paragraphs) < 2.5


def test_salient_pairs_restore_the_text_and_rate_zero_is_plain_span_corruption():
    tokenizer = default_tokenizer()
    paragraphs = generate_paragraphs(30, seed=2)
    texts = [p["text"] for p in paragraphs]
    plain = list(itertools.islice(span_corruption_pairs(texts, tokenizer, 0.15, seed=1, mean_span=3.0), 40))
    same = list(itertools.islice(salient_span_pairs(paragraphs, tokenizer, 0.15, seed=1, mean_span=3.0,
                                                    salient_rate=0.0), 40))
    assert same == plain
    pairs = list(itertools.islice(salient_span_pairs(paragraphs, tokenizer, 0.15, seed=1, salient_rate=1.0,
                                                     fact_rate=1.0, shuffle=False), 30))
    for paragraph, (inputs, targets) in zip(paragraphs, pairs):
        assert inputs[-1] == EOS_ID and targets[-1] == EOS_ID
        sentinels = [t for t in targets if tokenizer.is_sentinel(t)]
        restored = tokenizer.detokenize(inputs[:-1])
        pieces = _split_targets(targets[:-1], tokenizer)
        for sentinel, piece in zip(sentinels, pieces):
            restored = restored.replace(tokenizer.id_to_piece(sentinel), piece)
        # detokenize puts spaces around sentinels ("( <X> - <Y> )"): compare without whitespace
        assert "".join(restored.split()) == "".join(paragraph["text"].split())


def _split_targets(targets, tokenizer):
    pieces, current = [], None
    for token in targets:
        if tokenizer.is_sentinel(token):
            if current is not None:
                pieces.append(tokenizer.detokenize(current))
            current = []
        else:
            current.append(token)
    return pieces


def test_a_span_at_the_start_or_the_end_of_the_text_leaves_no_empty_piece():
    tokenizer = default_tokenizer()
    text = "1790 was long remembered in Fenmere"
    inputs, targets = mask_char_spans(text, [(0, 4), (text.index("Fenmere"), len(text))], tokenizer)
    assert inputs[0] == tokenizer.sentinel_id(0) and inputs[-1] == tokenizer.sentinel_id(1)
    assert tokenizer.detokenize(targets) == "<X> 1790 <Y> Fenmere <Z>"

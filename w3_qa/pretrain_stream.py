"""The pre-training stream and its levers: which paragraphs, how each is masked, in which form, how long.

Fine-tuning on "question: Q context: C" asks the model to find the answer in a long context and copy it out.
The levers below make unlabeled paragraphs ask for the same skill (the copy probe, `w3_qa.probe`, measures
it). `pretrain_pairs` draws, for each paragraph of its stream::

    with probability cloze_rate   a cloze in the downstream format (`cloze_pair`), when the paragraph states
                                  a fact twice in different sentences:
                                  "question: Kenyon was born in Wenham in <X>. context: <the paragraph
                                  without that sentence>" -> "1848"  (the other mention: "lived from 1848")
    else with salient_rate        salient-span masking in place: one mention of a repeated fact masked (and
                                  of others with salient_fact_rate), the other left to find and copy
    else                          T5's random spans (mean length mean_span)

* **Fresh paragraphs** (`pretrain_fresh`): an endless stream of newly generated paragraphs, each seen once
  (`fresh_paragraphs`), instead of epochs over the n_pretrain paragraphs of `data.make_splits`.
* **Short passages first** (`pretrain_window_examples`): the first that many salient or cloze paragraphs
  are cut to the sentences that hold the masked mention and its other mention, plus k of the paragraph's
  other sentences, k growing from 0 to `max_neighbours` over the ramp (as fine-tuning's
  `curriculum.curriculum_windows` does for questions); then whole paragraphs.

No question/answer pair is used: every target is a span of the unlabeled text. Paragraphs about held-out
entities (`heldout.is_held_out`) and the question splits' entities never appear. Seeded: the same config
gives the same stream.
"""
import numpy as np

from coursekit.streams import repeat_shuffled
from coursekit.tokenizer import EOS_ID
from w3_qa.curriculum import sentence_spans
from w3_qa.data import iter_paragraphs
from w3_qa.heldout import is_held_out
from w3_qa.masking import SpanRandomizer, mask_char_spans, tokenize_and_mask
from w3_qa.pipeline import repeated_facts
from w3_qa.tasks import format_qa

__all__ = ["PRETRAIN_SEED_OFFSET", "TITLES_SPENT_AFTER", "fresh_paragraphs", "sentence_of", "passage_window", "cloze_text",
           "cloze_pair", "pretrain_pairs", "uses_levers", "pretrain_paragraphs"]

# Fresh pre-training paragraphs come from iter_paragraphs(seed + PRETRAIN_SEED_OFFSET), a stream of its own.
PRETRAIN_SEED_OFFSET = 3571


# Draws in a row whose title came before after which the generator's titles count as spent (see below).
TITLES_SPENT_AFTER = 1000


def fresh_paragraphs(seed=0, exclude_titles=(), spent_after=TITLES_SPENT_AFTER, paragraphs=None):
    """Endless stream of generated paragraph dicts, none held out or in `exclude_titles`, no title twice
    while new ones keep coming. The generator has about 125,000 titles (invented names per kind): once
    `spent_after` draws in a row repeat a title (pre-training at 16 examples a step spends them near step
    7,800), a paragraph is taken if its text is new, its title repeated (the same invented entity with other
    facts), instead of the stream drawing forever. `paragraphs` (default iter_paragraphs(seed +
    PRETRAIN_SEED_OFFSET)) is for tests."""
    excluded, seen, texts, repeats, spent = set(exclude_titles), set(), set(), 0, False
    for paragraph in paragraphs if paragraphs is not None else iter_paragraphs(seed + PRETRAIN_SEED_OFFSET):
        title = paragraph["title"]
        if title in excluded or is_held_out(title):
            continue
        if title in seen:
            if not spent:
                repeats += 1
                if repeats < spent_after:
                    continue
                spent = True
            if hash(paragraph["text"]) in texts:
                continue
        repeats = 0
        seen.add(title)
        texts.add(hash(paragraph["text"]))
        yield paragraph


def sentence_of(spans, offset):
    """The index of the sentence (of `curriculum.sentence_spans`) that holds character `offset`."""
    return next(i for i, (start, end) in enumerate(spans) if start <= offset < end)


def _chosen_fact(paragraph, rng):
    """(value, masked start, other starts) of a repeated fact drawn at random, or None."""
    facts = repeated_facts(paragraph)
    if not facts:
        return None
    _, value, starts = facts[int(rng.integers(len(facts)))]
    masked = starts[int(rng.integers(len(starts)))]
    return value, masked, [start for start in starts if start != masked]


def passage_window(text, keep, neighbours, rng):
    """The sentences of `text` with the indices in `keep` (the masked mention's and its other mention's)
    plus `neighbours` others drawn at random, in the text's order: (window text, {old offset: new offset}
    of each kept sentence's start)."""
    spans = sentence_spans(text)
    others = [i for i in range(len(spans)) if i not in keep]
    chosen = sorted(set(keep) | set(rng.permutation(others)[:neighbours].tolist()))
    pieces, moved, position = [], {}, 0
    for i in chosen:
        start, end = spans[i]
        moved[start] = position
        pieces.append(text[start:end])
        position += end - start + 1
    return " ".join(pieces), moved


def cloze_text(paragraph, value, masked, others):
    """(question, context) of the cloze form, or None when every other mention shares the masked mention's
    sentence: the question is that sentence with the mention replaced by "<X>", the context the paragraph
    without it."""
    text = paragraph["text"]
    spans = sentence_spans(text)
    index = sentence_of(spans, masked)
    if all(sentence_of(spans, other) == index for other in others):
        return None
    start, end = spans[index]
    question = text[start:masked] + "<X>" + text[masked + len(value):end]
    context = " ".join(text[s:e] for i, (s, e) in enumerate(spans) if i != index)
    return question, context


def cloze_pair(paragraph, value, masked, others, tokenizer):
    """(ids of "question: <cloze> context: <rest>" + [EOS], ids of the fact + [EOS]), or None (`cloze_text`)."""
    texts = cloze_text(paragraph, value, masked, others)
    if texts is None:
        return None
    return tokenizer.tokenize(format_qa(*texts)) + [EOS_ID], tokenizer.tokenize(value) + [EOS_ID]


def _windowed(paragraph, value, masked, others, neighbours, rng):
    """The paragraph cut to a passage window around the masked mention and one other mention."""
    text = paragraph["text"]
    spans = sentence_spans(text)
    other = others[int(rng.integers(len(others)))]
    keep = {sentence_of(spans, masked), sentence_of(spans, other)}
    window, moved = passage_window(text, keep, neighbours, rng)
    masked_sentence = spans[sentence_of(spans, masked)][0]
    new_masked = moved[masked_sentence] + masked - masked_sentence
    new_others = [moved[spans[sentence_of(spans, o)][0]] + o - spans[sentence_of(spans, o)][0]
                  for o in others if spans[sentence_of(spans, o)][0] in moved]
    return {**paragraph, "text": window}, new_masked, new_others


def _salient_in_place(paragraph, value, masked, others, fact_rate, rng, tokenizer):
    """Mask the chosen mention and, each with probability `fact_rate`, one mention of every other repeated
    fact (never two mentions of one fact): (inputs, targets) as `masking.mask_char_spans` returns them."""
    spans = [(masked, masked + len(value))]
    for _, other_value, starts in repeated_facts(paragraph):
        if other_value == value or rng.random() >= fact_rate:
            continue
        start = starts[int(rng.integers(len(starts)))]
        spans.append((start, start + len(other_value)))
    kept = []
    for start, end in sorted(spans):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return mask_char_spans(paragraph["text"], kept, tokenizer)


def pretrain_pairs(paragraphs, tokenizer, config, seed=0):
    """Yield the pre-training pairs (input ids + [EOS], target ids + [EOS]) of a stream of paragraph dicts
    (with "text" and "facts"), as the module doc describes, for the levers of `config` (a QAConfig):
    cloze_rate and salient_rate (shares of the paragraphs, at most 1 together; a paragraph without a
    repeated fact gets random spans), salient_fact_rate (the share of a salient paragraph's other repeated
    facts masked too), pretrain_window_examples and max_neighbours (the short passages' ramp), noise and
    mean_span (the random spans). One numpy Generator seeded with `seed` draws everything."""
    rng = np.random.default_rng([seed, 31])
    randomizer = SpanRandomizer(config.noise, config.mean_span, rng) if config.mean_span > 1 else rng.random
    ramp, shaped = config.pretrain_window_examples, 0
    for paragraph in paragraphs:
        draw = rng.random()
        fact = _chosen_fact(paragraph, rng) if draw < config.cloze_rate + config.salient_rate else None
        if fact is None:
            inputs, targets = tokenize_and_mask(paragraph["text"], noise=config.noise, randomizer=randomizer,
                                                tokenizer=tokenizer)
            yield inputs + [EOS_ID], targets + [EOS_ID]
            continue
        if shaped < ramp:  # short passages first: a window around the mention and its other mention
            neighbours = min(config.max_neighbours, (config.max_neighbours + 1) * shaped // ramp)
            paragraph, masked, others = _windowed(paragraph, *fact, neighbours, rng)
            fact = (fact[0], masked, others)
        shaped += 1
        pair = cloze_pair(paragraph, *fact, tokenizer) if draw < config.cloze_rate else None
        if pair is None:
            inputs, targets = _salient_in_place(paragraph, *fact, config.salient_fact_rate, rng, tokenizer)
            pair = (inputs + [EOS_ID], targets + [EOS_ID])
        yield pair


def uses_levers(config):
    """True if `config` turns on a lever of this module (else pre-training reads
    `pipeline.salient_span_pairs`, the stream that the committed checkpoint was trained on)."""
    return bool(config.cloze_rate or config.pretrain_fresh or config.pretrain_window_examples
                or config.salient_fact_rate != 0.5)


def pretrain_paragraphs(corpus, config, exclude_titles=()):
    """The paragraphs pre-training reads: fresh ones (config.pretrain_fresh; `exclude_titles` skipped), or
    seeded epochs over `corpus` (a list of paragraph dicts)."""
    if config.pretrain_fresh:
        return fresh_paragraphs(config.seed, exclude_titles)
    return repeat_shuffled(corpus, seed=config.seed)

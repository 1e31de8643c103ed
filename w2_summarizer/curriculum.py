"""Short articles first: a curriculum that lets the summarizer learn to copy facts before it must find them.

A generated article hides its key facts among distractors and details (see `data`). Early in training the
model learns each topic's summary template and the names an article opens with, and it can lower its loss
further by guessing frequent names and numbers, a plateau on which copying from the middle of the article
does not form. The curriculum starts on the article's fact sentences alone (`fact_sentences`: the sentences
that hold at least one key fact, in their order, distractors that name a fact included) and then moves to
whole articles, keeping a share of short ones:

    first `short_steps` batches: fact sentences only; after that, whole articles with probability
    `full_rate`, else the fact sentences.

Batches are `pipeline.make_batch_stream`'s (inputs, targets, weights), bucketed and padded the same way.
"""
import re

import numpy as np

from w2_summarizer.pipeline import make_batch_stream

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9$])")


def split_sentences(article):
    """str -> list of str sentences (split after '.', '!' or '?' before a capital, digit or '$')."""
    return [sentence for sentence in _SENTENCE_END.split(article.strip()) if sentence]


def fact_sentences(example):
    """A copy of `example` whose article keeps only the sentences that hold a key fact.

    Args:
        example: dict with "article" (str) and "facts" (dict str -> str; None or empty: nothing to keep
            by, the example is returned unchanged).

    Returns:
        dict: the same keys; "article" is the fact-bearing sentences joined by spaces, in their order.
    """
    facts = example.get("facts") or {}
    if not facts:
        return dict(example)
    sentences = split_sentences(example["article"])
    kept = [sentence for sentence in sentences if any(value in sentence for value in facts.values())]
    return {**example, "article": " ".join(kept or sentences)}


def curriculum_stream(examples, tokenizer, short_steps, full_rate, batch_boundaries, batch_sizes, seed=0):
    """Endless (inputs, targets, weights) batches: `short_steps` batches of fact-sentence articles, then
    batches from whole articles with probability `full_rate` and from fact sentences otherwise.

    Args:
        examples: list of generated example dicts (with "facts").
        tokenizer: object with tokenize(str) -> list of int.
        short_steps: int >= 0, batches of short articles before any whole one.
        full_rate: float in [0, 1], the share of whole-article batches after that.
        batch_boundaries, batch_sizes: as in `pipeline.make_batch_stream`.
        seed: int; the streams and the choice between them are seeded from it.
    """
    if isinstance(short_steps, bool) or not isinstance(short_steps, (int, np.integer)) or short_steps < 0:
        raise ValueError(f"short_steps must be an int >= 0, but got {short_steps!r}")
    if not 0.0 <= full_rate <= 1.0:
        raise ValueError(f"full_rate must be in [0, 1], but got {full_rate!r}")
    common = dict(batch_boundaries=batch_boundaries, batch_sizes=batch_sizes, shuffle=True, repeat=True)
    short = make_batch_stream([fact_sentences(e) for e in examples], tokenizer, seed=seed + 7, **common)
    full = make_batch_stream(examples, tokenizer, seed=seed, **common)
    rng = np.random.default_rng(seed + 11)
    for _ in range(short_steps):
        yield next(short)
    while True:
        yield next(full) if rng.random() < full_rate else next(short)

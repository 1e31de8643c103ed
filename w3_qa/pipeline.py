"""From texts and questions to the encoder-decoder's batches.

Pre-training: each paragraph becomes a span-corruption pair (`masking.tokenize_and_mask`), with new masks
every epoch; optionally some paragraphs are masked at the mentions of their facts instead (salient-span
masking, `salient_span_pairs`). Fine-tuning: each question becomes ("question: Q context: C", "A"). EOS ends both sides.

Batches (JAX compiles once per shape, so there are few)::

    inputs   (batch_size, boundary) int32: the first of `input_boundaries` that holds the input (batch_size
             may depend on the boundary: `token_budget_batch_sizes`)
    targets  (batch_size, target_length) int32
    weights  (batch_size, target_length) float32: 1.0 on target tokens (EOS included), 0.0 on padding

Pairs whose input or target is too long are dropped and counted (`Seq2SeqStats`).
"""
import dataclasses
import re

import numpy as np

from coursekit.streams import repeat_shuffled
from coursekit.tokenizer import EOS_ID
from w3_qa.masking import SpanRandomizer, mask_char_spans, tokenize_and_mask
from w3_qa.tasks import format_qa


def span_corruption_pairs(texts, tokenizer, noise=0.15, seed=0, shuffle=True, repeat=True, mean_span=1.0):
    """Yield (input ids + [EOS], target ids + [EOS]) span-corruption pairs of `texts` (list of str).

    One numpy Generator seeded with `seed` orders the texts and draws the masks, so the stream is
    reproducible and each epoch masks each text afresh. `mean_span` 1 masks each token on its own (the
    course's uniform randomizer); above 1, masked runs have that mean length (`masking.SpanRandomizer`).
    """
    rng = np.random.default_rng(seed)
    randomizer = rng.random if mean_span == 1 else SpanRandomizer(noise, mean_span, rng)
    for text in repeat_shuffled(texts, seed=seed, shuffle=shuffle, repeat=repeat):
        inputs, targets = tokenize_and_mask(text, noise=noise, randomizer=randomizer, tokenizer=tokenizer)
        yield inputs + [EOS_ID], targets + [EOS_ID]


def repeated_facts(paragraph):
    """The facts of a generated paragraph (``paragraph["facts"]`` but the name) that its text mentions at
    least twice, as whole words: a list of (key, value, starts), starts the character offsets of the
    mentions, in the facts' order. Masking one mention leaves the other to find and copy."""
    text = paragraph["text"]
    found = []
    for key, value in paragraph.get("facts", {}).items():
        if key == "name":
            continue
        starts = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text)]
        if len(starts) >= 2:
            found.append((key, value, starts))
    return found


def salient_spans(paragraph, rng, rate=0.5):
    """Character spans of salient mentions to mask in a generated paragraph (salient-span masking, as in
    REALM): for each fact of ``paragraph["facts"]`` but the name, mentioned at least twice
    (`repeated_facts`), with probability `rate`, one of its mentions drawn at random. The other mention
    stays, so the model learns to find and copy it: what answering a question about the paragraph asks for.

    Returns a sorted list of non-overlapping (start, end) offsets into ``paragraph["text"]``.
    """
    chosen = []
    for _, value, starts in repeated_facts(paragraph):
        if rng.random() >= rate:
            continue
        start = starts[int(rng.integers(len(starts)))]
        chosen.append((start, start + len(value)))
    spans = []
    for start, end in sorted(chosen):
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
    return spans


def salient_span_pairs(paragraphs, tokenizer, noise=0.15, seed=0, mean_span=3.0, salient_rate=0.5, fact_rate=0.5,
                       shuffle=True, repeat=True):
    """Like `span_corruption_pairs`, but a fraction `salient_rate` of the paragraphs (dicts with "text" and
    "facts", as `data.generate_paragraphs` makes) is masked at salient mentions (`salient_spans`, each fact
    with probability `fact_rate`) instead of random spans. A paragraph without facts, or whose draw picked
    none, gets random spans. Yields (input ids + [EOS], target ids + [EOS]); seeded as `span_corruption_pairs`.
    """
    rng = np.random.default_rng(seed)
    randomizer = SpanRandomizer(noise, mean_span, rng) if mean_span > 1 else rng.random
    for paragraph in repeat_shuffled(paragraphs, seed=seed, shuffle=shuffle, repeat=repeat):
        # no draw at salient_rate 0: the stream is then exactly span_corruption_pairs' stream
        spans = salient_spans(paragraph, rng, fact_rate) if salient_rate > 0 and rng.random() < salient_rate else []
        if spans:
            inputs, targets = mask_char_spans(paragraph["text"], spans, tokenizer)
        else:
            inputs, targets = tokenize_and_mask(paragraph["text"], noise=noise, randomizer=randomizer,
                                                tokenizer=tokenizer)
        yield inputs + [EOS_ID], targets + [EOS_ID]


def qa_pair(example, tokenizer):
    """(ids of "question: Q context: C" + [EOS], ids of the answer + [EOS]) of one QA example dict."""
    inputs = tokenizer.tokenize(format_qa(example["question"], example["context"]))
    return inputs + [EOS_ID], tokenizer.tokenize(example["answer"]) + [EOS_ID]


def qa_pairs(examples, tokenizer):
    """`qa_pair` of every example: a list of (input ids, target ids)."""
    return [qa_pair(example, tokenizer) for example in examples]


@dataclasses.dataclass
class Seq2SeqStats:
    """What a batch stream has seen: pairs batched, and pairs dropped for their length."""
    batched: int = 0
    too_long: int = 0


def _check_boundaries(input_boundaries):
    boundaries = list(input_boundaries)
    if not boundaries or boundaries != sorted(set(boundaries)) or any(
            isinstance(b, bool) or not isinstance(b, (int, np.integer)) or b < 2 for b in boundaries):
        raise ValueError(f"input_boundaries must be increasing ints >= 2, but got {boundaries}")
    return boundaries


def _pad(rows, length):
    array = np.zeros((len(rows), length), np.int32)
    for row, ids in enumerate(rows):
        array[row, :len(ids)] = ids
    return array


def make_seq2seq_batches(pairs, input_boundaries=(128, 160, 192), batch_size=32, target_length=64, stats=None,
                         flush=False):
    """Bucket (input ids, target ids) pairs into padded (inputs, targets, weights) batches.

    Args:
        pairs: an iterable of (list of int, list of int), e.g. `span_corruption_pairs(...)`.
        input_boundaries: increasing ints; an input of n tokens goes to the first boundary >= n.
        batch_size: int, rows per batch; or a sequence of ints, the rows of a batch of each boundary (e.g.
            a token budget: more rows of short inputs).
        target_length: int, the padded length of the targets.
        stats: an optional `Seq2SeqStats` to count batched and dropped pairs in.
        flush: when `pairs` ends, also yield the partial batches left in the buckets.

    Yields:
        (inputs (batch_size, boundary) int32, targets (batch_size, target_length) int32,
        weights (batch_size, target_length) float32).
    """
    boundaries = _check_boundaries(input_boundaries)
    sizes = list(batch_size) if isinstance(batch_size, (list, tuple)) else [batch_size] * len(boundaries)
    if len(sizes) != len(boundaries) or any(
            isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1 for size in sizes):
        raise ValueError(f"batch_size must be an int >= 1 or one such int per input boundary, but got "
                         f"{batch_size!r}")
    stats = stats if stats is not None else Seq2SeqStats()
    buckets = [[] for _ in boundaries]
    for inputs, targets in pairs:
        if len(inputs) > boundaries[-1] or len(targets) > target_length:
            stats.too_long += 1
            continue
        bucket = next(i for i, boundary in enumerate(boundaries) if len(inputs) <= boundary)
        buckets[bucket].append((inputs, targets))
        if len(buckets[bucket]) == sizes[bucket]:
            yield _batch(buckets[bucket], boundaries[bucket], target_length, stats)
            buckets[bucket] = []
    if flush:
        for bucket, items in enumerate(buckets):
            if items:
                yield _batch(items, boundaries[bucket], target_length, stats)


def _batch(items, boundary, target_length, stats):
    stats.batched += len(items)
    inputs = _pad([pair[0] for pair in items], boundary)
    targets = _pad([pair[1] for pair in items], target_length)
    return inputs, targets, (targets != 0).astype(np.float32)


def token_budget_batch_sizes(input_boundaries, tokens_per_batch):
    """Rows per batch for each input boundary under a budget of input tokens: tokens_per_batch // boundary
    (at least 1). (64, 128, 192), 6144 -> (96, 48, 32)."""
    boundaries = _check_boundaries(input_boundaries)
    if isinstance(tokens_per_batch, bool) or not isinstance(tokens_per_batch, (int, np.integer)) \
            or tokens_per_batch < 1:
        raise ValueError(f"tokens_per_batch must be an int >= 1, but got {tokens_per_batch!r}")
    return tuple(max(1, int(tokens_per_batch) // boundary) for boundary in boundaries)

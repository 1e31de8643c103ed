"""Batches for Week 1: sentence pairs -> (inputs, targets, weights) with trax.data.

The pipeline, one step per line, each a function from a stream (generator) to a stream::

    (english, german) str pairs                       seeded shuffle, repeated per epoch (repeat_shuffled)
    -> tokenize_pairs   (input_ids, target_ids)        1-D int64 arrays, no EOS
    -> append_eos       (input_ids + [EOS], target_ids + [EOS])
    -> trax.data.FilterByLength(max_length)             drop pairs longer than max_length
    -> trax.data.BucketByLength(boundaries, batch_sizes, strict_pad_on_len=True)
                        (inputs, targets)               (batch, bucket_len) padded with PAD_ID
    -> trax.data.AddLossWeights(id_to_mask=PAD_ID)     + weights, 0.0 on padding
    -> to_int32         (inputs, targets, weights)      int32, int32, float32

Every batch is padded to exactly one of the bucket ``boundaries``, so a model sees only
``len(boundaries)`` different shapes and JAX compiles it once per bucket. (With
``strict_pad_on_len=True`` trax pads a bucket to a multiple of its boundary; every example in the
bucket is at most that long, so the multiple is the boundary itself.)

trax is imported through :func:`coursekit.trax_env.import_trax` (fast and quiet).
"""
import numpy as np

from coursekit.streams import repeat_shuffled
from coursekit.tokenizer import EOS_ID, PAD_ID
from coursekit.trax_env import import_trax

trax = import_trax()
from trax import data as tdata  # noqa: E402  (trax must be imported through coursekit first)

DEFAULT_BOUNDARIES = (16, 32, 64, 96)
# About 1,000 tokens per batch in every bucket.
DEFAULT_BATCH_SIZES = (64, 32, 16, 12)


def tokenize_pairs(pairs, tokenizer):
    """Tokenize a stream of sentence pairs.

    Args:
        pairs: iterable of (source, target) str tuples.
        tokenizer: a :class:`coursekit.tokenizer.Tokenizer` (anything with ``tokenize(str)``).

    Yields:
        (input_ids, target_ids): 1-D np.int64 arrays of ids, without EOS.
    """
    for index, pair in enumerate(pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"pair {index} must be a (source, target) tuple, but got {pair!r}")
        source, target = pair
        yield (np.array(tokenizer.tokenize(source), dtype=np.int64),
               np.array(tokenizer.tokenize(target), dtype=np.int64))


def append_eos(stream):
    """Append EOS_ID to both arrays of every (input_ids, target_ids) pair.

    Yields:
        (input_ids, target_ids), each 1-D and one id longer, ending in EOS_ID; dtype kept.
    """
    for inputs, targets in stream:
        yield (np.append(inputs, np.array(EOS_ID, inputs.dtype)),
               np.append(targets, np.array(EOS_ID, targets.dtype)))


def to_int32(stream):
    """Cast (inputs, targets, weights) batches to int32, int32, float32."""
    for inputs, targets, weights in stream:
        yield inputs.astype(np.int32), targets.astype(np.int32), weights.astype(np.float32)


def _check_buckets(batch_boundaries, batch_sizes, max_length):
    boundaries = [int(b) for b in batch_boundaries]
    sizes = [int(s) for s in batch_sizes]
    if not boundaries or any(b <= 0 for b in boundaries) or boundaries != sorted(set(boundaries)):
        raise ValueError(f"batch_boundaries must be increasing positive ints, but got "
                         f"{list(batch_boundaries)}")
    if len(sizes) != len(boundaries) or any(s <= 0 for s in sizes):
        raise ValueError(f"batch_sizes must be {len(boundaries)} positive ints (one per "
                         f"boundary), but got {list(batch_sizes)}")
    max_length = boundaries[-1] if max_length is None else int(max_length)
    if not 0 < max_length <= boundaries[-1]:
        raise ValueError(f"max_length must be in [1, {boundaries[-1]}] (the largest boundary), "
                         f"but got {max_length}")
    return boundaries, sizes, max_length


def BatchPipeline(tokenizer, batch_boundaries=DEFAULT_BOUNDARIES,  # noqa: N802 (trax naming)
                  batch_sizes=DEFAULT_BATCH_SIZES, max_length=None):
    """The pipeline from pairs to batches as one ``trax.data.Serial`` stream function.

    Args:
        tokenizer: a :class:`coursekit.tokenizer.Tokenizer`.
        batch_boundaries: increasing ints, the padded lengths of the buckets.
        batch_sizes: ints, the batch size of each bucket.
        max_length: int <= the largest boundary (default: the largest boundary); pairs whose
            input or target is longer than this after EOS are dropped.

    Returns:
        function: iterable of (source, target) str pairs -> generator of (inputs, targets,
        weights), inputs/targets (batch, bucket_len) int32, weights same shape float32.
    """
    boundaries, sizes, max_length = _check_buckets(batch_boundaries, batch_sizes, max_length)
    return tdata.Serial(
        lambda pairs: tokenize_pairs(pairs, tokenizer),
        append_eos,
        tdata.FilterByLength(max_length=max_length, length_keys=[0, 1]),
        # trax wants one more batch size, for lengths above the last boundary; the filter above
        # keeps that bucket empty.
        tdata.BucketByLength(boundaries, sizes + [sizes[-1]], length_keys=[0, 1],
                             strict_pad_on_len=True),
        tdata.AddLossWeights(id_to_mask=PAD_ID),
        to_int32,
    )


def make_batch_stream(pairs, tokenizer, batch_boundaries=DEFAULT_BOUNDARIES,
                      batch_sizes=DEFAULT_BATCH_SIZES, max_length=None, shuffle=True,
                      repeat=True, seed=0):
    """Batches of padded, weighted examples for training or evaluation.

    Args:
        pairs: sequence of (source, target) str tuples, e.g. ``make_splits()['train']``.
        tokenizer: a :class:`coursekit.tokenizer.Tokenizer`.
        batch_boundaries, batch_sizes, max_length: see :func:`BatchPipeline`.
        shuffle: bool, a new seeded order every epoch.
        repeat: bool, endless stream if True; otherwise one pass over the pairs (examples left in
            a bucket that never fills are dropped, as in trax).
        seed: int; the same seed gives the same batches.

    Returns:
        generator of (inputs, targets, weights): inputs and targets (batch, bucket_len) int32
        ending in EOS_ID then PAD_ID, weights (batch, bucket_len) float32, 1.0 on target tokens
        (EOS included) and 0.0 on padding. ``batch, bucket_len`` is always one of
        ``zip(batch_sizes, batch_boundaries)``.
    """
    if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__len__"):
        raise TypeError(f"pairs must be a sequence of (source, target) tuples, but got "
                        f"{type(pairs).__name__}")
    if len(pairs) == 0:
        raise ValueError("pairs is empty: expected at least one (source, target) pair")
    pipeline = BatchPipeline(tokenizer, batch_boundaries, batch_sizes, max_length)
    return pipeline(repeat_shuffled(pairs, seed=seed, shuffle=shuffle, repeat=repeat))


def make_curriculum_stream(pairs, tokenizer, stages, seed=0, **batching):
    """Training batches that start with short sentences and move on to longer ones (a curriculum).

    Short sentences teach the attention to align words quickly and cheaply; the later stages bring in the
    long ones. Without it the reference model spends most of its CPU budget on long sentences before it
    has learned any alignment.

    Args:
        pairs: sequence of (source, target) str tuples.
        tokenizer: a :class:`coursekit.tokenizer.Tokenizer`.
        stages: sequence of (max_source_words, n_batches): the pairs whose source has at most
            ``max_source_words`` words and punctuation marks (None = no limit), for ``n_batches`` batches
            (None = for ever; only the last stage may be endless).
        seed: int; stage i shuffles with ``seed + i``.
        **batching: batch_boundaries, batch_sizes, max_length as for :func:`make_batch_stream`.

    Returns:
        generator of (inputs, targets, weights) as :func:`make_batch_stream`.
    """
    from w1_nmt.data import split_tokens

    stages = [tuple(stage) for stage in stages]
    if not stages:
        raise ValueError("stages is empty: expected at least one (max_source_words, n_batches) stage")
    for i, (max_words, n_batches) in enumerate(stages):
        if n_batches is None and i != len(stages) - 1:
            raise ValueError(f"only the last stage may be endless, but stage {i} has n_batches=None")
        if n_batches is not None and (not isinstance(n_batches, int) or n_batches < 1):
            raise ValueError(f"stage {i}: n_batches must be a positive int or None, got {n_batches!r}")
    lengths = [len(split_tokens(source)) for source, _ in pairs]

    def generate():
        for i, (max_words, n_batches) in enumerate(stages):
            chosen = [pair for pair, n in zip(pairs, lengths) if max_words is None or n <= max_words]
            if not chosen:
                raise ValueError(f"stage {i}: no pair has a source of at most {max_words} words")
            stream = make_batch_stream(chosen, tokenizer, shuffle=True, repeat=True, seed=seed + i, **batching)
            for count, batch in enumerate(stream):
                if n_batches is not None and count >= n_batches:
                    break
                yield batch

    return generate()


def encode_sentence(text, tokenizer, pad_to=None):
    """Tokenize one sentence for the model, as a batch of one.

    Args:
        text: str.
        tokenizer: a :class:`coursekit.tokenizer.Tokenizer`.
        pad_to: None (no padding), an int (pad to exactly this length), or a sequence of bucket
            boundaries (pad to the smallest boundary that fits, e.g. ``DEFAULT_BOUNDARIES``).

    Returns:
        np.ndarray of shape (1, L) int32: the ids, EOS_ID, then PAD_ID up to the padded length.

    Raises:
        ValueError: the sentence (with EOS) is longer than ``pad_to`` or every boundary.
    """
    ids = tokenizer.tokenize(text) + [EOS_ID]
    length = len(ids)
    if pad_to is None:
        target = length
    elif isinstance(pad_to, (int, np.integer)) and not isinstance(pad_to, bool):
        target = int(pad_to)
        if target < length:
            raise ValueError(f"the sentence has {length} tokens with EOS, more than "
                             f"pad_to={target}")
    elif isinstance(pad_to, (list, tuple, np.ndarray)):
        fitting = [int(b) for b in pad_to if int(b) >= length]
        if not fitting:
            raise ValueError(f"the sentence has {length} tokens with EOS, more than the largest "
                             f"boundary in {list(pad_to)}")
        target = min(fitting)
    else:
        raise TypeError(f"pad_to must be None, an int or a sequence of ints, but got "
                        f"{type(pad_to).__name__}")
    array = np.full((1, target), PAD_ID, dtype=np.int32)
    array[0, :length] = ids
    return array

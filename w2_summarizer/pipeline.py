"""From (article, summary) examples to the summarizer's training batches.

A language model summarizes by continuing a text. Each example becomes one joint sequence

    article tokens, EOS, PAD (the separator), summary tokens, EOS

with loss weights 0 on the article, its EOS and the separator, and 1 on the summary and its final EOS:
the model reads the article but is only trained to write the summary. Batches are bucketed by length
and padded to a few fixed lengths (JAX compiles once per shape)::

    (inputs, targets, weights): (batch, boundary) int32, (batch, boundary) int32 (the same array:
    the model shifts its input right itself), (batch, boundary) float32 weights, 0 on padding.
"""
import numpy as np

from coursekit.tokenizer import EOS_ID, PAD_ID

SEPARATOR_ID = PAD_ID


def _check_ids(ids, name):
    if isinstance(ids, (str, bytes)) or not hasattr(ids, "__len__"):
        raise TypeError(f"{name} must be a list of int token ids, but got {type(ids).__name__}")
    array = np.asarray(ids)
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
        raise ValueError(f"{name} must be a 1-D sequence of int token ids, but got shape {array.shape} "
                         f"and dtype {array.dtype}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    return [int(i) for i in array]


def joint_sequence(article_ids, summary_ids):
    """The training sequence of one example and its loss weights.

    Args:
        article_ids, summary_ids: non-empty lists of int token ids, without EOS.

    Returns:
        (joint, weights): (n,) int32 = article + [EOS, PAD] + summary + [EOS] and (n,) float32 with 0 on
        the len(article) + 2 first positions and 1 on the len(summary) + 1 last ones.
    """
    article_ids = _check_ids(article_ids, "article_ids")
    summary_ids = _check_ids(summary_ids, "summary_ids")
    prefix = article_ids + [EOS_ID, SEPARATOR_ID]
    suffix = summary_ids + [EOS_ID]
    joint = np.asarray(prefix + suffix, dtype=np.int32)
    weights = np.concatenate([np.zeros(len(prefix), np.float32), np.ones(len(suffix), np.float32)])
    return joint, weights


def summary_prompt(article_ids):
    """What the model continues to write a summary: article + [EOS, PAD] as a list of int."""
    return _check_ids(article_ids, "article_ids") + [EOS_ID, SEPARATOR_ID]


def encode_example(example, tokenizer):
    """Tokenize an {"article", "summary"} dict into `joint_sequence`'s (joint, weights)."""
    if not isinstance(example, dict) or "article" not in example or "summary" not in example:
        raise TypeError(f"an example must be a dict with 'article' and 'summary', but got "
                        f"{type(example).__name__}")
    return joint_sequence(tokenizer.tokenize(example["article"]), tokenizer.tokenize(example["summary"]))


def _check_buckets(batch_boundaries, batch_sizes):
    boundaries, sizes = list(batch_boundaries), list(batch_sizes)
    if not boundaries or len(boundaries) != len(sizes):
        raise ValueError(f"batch_boundaries and batch_sizes must be non-empty and of the same length, but "
                         f"got {boundaries} and {sizes}")
    if any(not isinstance(b, (int, np.integer)) or b < 2 for b in boundaries) or boundaries != sorted(set(boundaries)):
        raise ValueError(f"batch_boundaries must be increasing ints >= 2, but got {boundaries}")
    if any(not isinstance(s, (int, np.integer)) or s < 1 for s in sizes):
        raise ValueError(f"batch_sizes must be ints >= 1, but got {sizes}")
    return boundaries, sizes


def _pad_batch(items, length):
    inputs = np.zeros((len(items), length), np.int32)
    weights = np.zeros((len(items), length), np.float32)
    for row, (joint, weight) in enumerate(items):
        inputs[row, :len(joint)] = joint
        weights[row, :len(weight)] = weight
    return inputs, inputs.copy(), weights


def make_batch_stream(examples, tokenizer, batch_boundaries=(128, 192, 256), batch_sizes=(16, 12, 8),
                      shuffle=True, repeat=True, seed=0):
    """Yield bucketed, padded (inputs, targets, weights) batches of joint sequences.

    Args:
        examples: list of {"article", "summary"} dicts.
        tokenizer: object with tokenize(str) -> list of int.
        batch_boundaries: increasing ints; a sequence of length n goes to the first boundary >= n and is
            padded to it; longer sequences are dropped.
        batch_sizes: the batch size of each boundary.
        shuffle: visit the examples in a seeded random order (a new order every epoch).
        repeat: loop over the examples forever; otherwise stop after one epoch, yielding the last
            partial batch of each bucket too.

    Yields:
        (inputs, targets, weights), shapes (batch_sizes[i], batch_boundaries[i]); see the module doc.
    """
    boundaries, sizes = _check_buckets(batch_boundaries, batch_sizes)
    if not examples:
        raise ValueError("examples is empty")
    encoded = [encode_example(example, tokenizer) for example in examples]
    fitting = [item for item in encoded if len(item[0]) <= boundaries[-1]]
    if not fitting:
        raise ValueError(f"no example fits the largest bucket ({boundaries[-1]} tokens); raise "
                         f"batch_boundaries")
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(len(fitting)) if shuffle else np.arange(len(fitting))
        buckets = [[] for _ in boundaries]
        for index in order:
            item = fitting[index]
            bucket = next(i for i, b in enumerate(boundaries) if len(item[0]) <= b)
            buckets[bucket].append(item)
            if len(buckets[bucket]) == sizes[bucket]:
                yield _pad_batch(buckets[bucket], boundaries[bucket])
                buckets[bucket] = []
        if not repeat:
            for bucket, items in enumerate(buckets):
                if items:
                    yield _pad_batch(items, boundaries[bucket])
            return


def length_report(examples, tokenizer, batch_boundaries=(128, 192, 256)):
    """How the joint sequences of `examples` fall into the buckets: dict with 'per_bucket' (counts),
    'dropped' (longer than the last boundary) and 'max_length'."""
    boundaries, _ = _check_buckets(batch_boundaries, [1] * len(list(batch_boundaries)))
    lengths = [len(encode_example(example, tokenizer)[0]) for example in examples]
    per_bucket = [0] * len(boundaries)
    dropped = 0
    for n in lengths:
        fits = [i for i, b in enumerate(boundaries) if n <= b]
        if fits:
            per_bucket[fits[0]] += 1
        else:
            dropped += 1
    return {"per_bucket": per_bucket, "dropped": dropped, "max_length": max(lengths) if lengths else 0}

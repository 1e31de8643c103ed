"""T5's three attention patterns, as the masks a model applies to its attention scores.

A mask is a (length, length) boolean array: row i is the query position, column j the key position, and
``mask[i, j]`` is True where position i may attend to position j (attention to the other positions is
masked out before the softmax: Week 2's `DotProductAttention`).

* ``fully_visible``: every position sees every position. BERT's encoder, T5's encoder, and the
  encoder-decoder attention of T5's decoder (the decoder reads the whole input).
* ``causal``: position i sees positions 0..i only, so the model can be trained on every next token at
  once without reading the answer. GPT-2 (Week 2's summarizer), T5's decoder self-attention.
* ``prefix``: causal with a fully visible prefix: the first ``prefix_length`` positions (the input, e.g.
  "summarize: ...") see each other, and every later position sees the prefix and the positions up to itself.
  The "prefix LM" of the T5 paper (Raffel et al., 2020, section 3.2), UniLM: one stack of layers that reads
  its input as an encoder does and writes its output as a decoder does.

    >>> attention_mask(3, "causal").astype(int)
    array([[1, 0, 0],
           [1, 1, 0],
           [1, 1, 1]])

No trax: numpy only.
"""
import numpy as np

from coursekit.validation import check_int, check_positive_int

ATTENTION_PATTERNS = ("fully_visible", "causal", "prefix")

# Which model families use which pattern (the notebook's table).
WHERE_USED = {
    "fully_visible": "BERT's encoder; T5's encoder; the encoder-decoder attention of T5's decoder",
    "causal": "GPT and GPT-2 (Week 2's summarizer); the self-attention of T5's decoder",
    "prefix": "the prefix language model of the T5 paper and UniLM: one stack that encodes and decodes",
}


def attention_mask(length, pattern="fully_visible", prefix_length=0):
    """The (length, length) attention mask of one of T5's attention patterns.

    Args:
        length: int >= 1, the number of positions.
        pattern: one of :data:`ATTENTION_PATTERNS`: "fully_visible", "causal" or "prefix".
        prefix_length: int in [0, length], the fully visible prefix of the "prefix" pattern (0 gives the
            causal mask, `length` the fully visible one); must be 0 for the other patterns.

    Returns:
        numpy bool array (length, length): ``mask[i, j]`` is True where query position i may attend to key
        position j.
    """
    length = check_positive_int("length", length)
    if pattern not in ATTENTION_PATTERNS:
        raise ValueError(f"pattern must be one of {ATTENTION_PATTERNS}, but got {pattern!r}")
    prefix_length = check_int("prefix_length", prefix_length)
    if prefix_length > length:
        raise ValueError(f"prefix_length must be <= length ({length}), but got {prefix_length}")
    if prefix_length and pattern != "prefix":
        raise ValueError(f"prefix_length is for the 'prefix' pattern only, but got {prefix_length} with "
                         f"{pattern!r}")
    ### BEGIN SOLUTION
    if pattern == "fully_visible":
        return np.ones((length, length), dtype=bool)
    positions = np.arange(length)
    mask = positions[None, :] <= positions[:, None]  # key j <= query i
    if pattern == "prefix":
        mask = mask | (positions[None, :] < prefix_length)
    return mask
    ### END SOLUTION

"""T5's attention patterns as masks: the lecture's three pictures, exact, and bad arguments refused."""
import numpy as np
import pytest

from w3_qa.attention_masks import ATTENTION_PATTERNS, WHERE_USED, attention_mask


def test_the_three_patterns():
    np.testing.assert_array_equal(attention_mask(3), np.ones((3, 3), bool))
    np.testing.assert_array_equal(attention_mask(3, "causal").astype(int), [[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    np.testing.assert_array_equal(attention_mask(4, "prefix", prefix_length=2).astype(int),
                                  [[1, 1, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]])
    for length in (1, 5):
        assert attention_mask(length, "causal").dtype == np.bool_
        np.testing.assert_array_equal(attention_mask(length, "prefix"), attention_mask(length, "causal"))
        np.testing.assert_array_equal(attention_mask(length, "prefix", prefix_length=length), attention_mask(length))
    assert set(WHERE_USED) == set(ATTENTION_PATTERNS)


def test_a_causal_mask_keeps_each_position_from_the_future():
    mask = attention_mask(7, "prefix", prefix_length=3)
    for i in range(3, 7):
        assert mask[i, :i + 1].all() and not mask[i, i + 1:].any()
    assert mask[:3, :3].all() and not mask[:3, 3:].any()


@pytest.mark.parametrize("kwargs, error, message", [
    ({"length": 0}, ValueError, "length must be >= 1"),
    ({"length": 2.0}, TypeError, "length must be an int"),
    ({"length": 3, "pattern": "bidirectional"}, ValueError, "pattern must be one of"),
    ({"length": 3, "pattern": "prefix", "prefix_length": 4}, ValueError, r"prefix_length must be <= length \(3\)"),
    ({"length": 3, "pattern": "prefix", "prefix_length": -1}, ValueError, "prefix_length must be >= 0"),
    ({"length": 3, "pattern": "causal", "prefix_length": 1}, ValueError, "for the 'prefix' pattern only"),
])
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        attention_mask(**kwargs)

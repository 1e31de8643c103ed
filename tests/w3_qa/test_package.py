"""Every public name of w3_qa is importable from the package; the course's plumbing (coursekit) and Week 2's
attention are reused, not copied."""
import inspect

import w3_qa


def test_every_public_name_resolves():
    for name in w3_qa.__all__:
        assert getattr(w3_qa, name) is not None, name


def test_earlier_weeks_are_imported_not_copied():
    from coursekit import decoding as course_decoding
    from coursekit import loop as course_loop
    from w2_summarizer import model as w2_model
    from w3_qa import model, qa, train

    assert model.DotProductAttention is w2_model.DotProductAttention
    assert model.compute_attention_heads_closure is w2_model.compute_attention_heads_closure
    assert model.PositionalEncoding is w2_model.PositionalEncoding
    assert qa.padded_length is course_decoding.padded_length
    assert train.run_loop is course_loop.run_loop
    source = inspect.getsource(model)
    assert "def DotProductAttention" not in source and "def compute_attention_heads" not in source

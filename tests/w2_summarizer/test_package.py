"""Every public name of w2_summarizer is importable from the package; Week 1's ROUGE and the course's
decoding helpers (coursekit) are reused, not copied."""
import inspect

import w2_summarizer


def test_every_public_name_resolves():
    for name in w2_summarizer.__all__:
        assert getattr(w2_summarizer, name) is not None, name


def test_week_one_code_is_imported_not_copied():
    from coursekit import decoding as course_decoding
    from w1_nmt import metrics as w1_metrics
    from w2_summarizer import decoding, evaluate

    assert decoding.gumbel_sample is course_decoding.gumbel_sample
    assert decoding.padded_length is course_decoding.padded_length
    assert evaluate.rouge_n is w1_metrics.rouge_n
    source = inspect.getsource(decoding) + inspect.getsource(evaluate)
    assert "def gumbel_sample" not in source and "def rouge_n" not in source

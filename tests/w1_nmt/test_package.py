"""Every public name of w1_nmt is importable from the package."""
import w1_nmt


def test_every_public_name_resolves():
    for name in w1_nmt.__all__:
        assert getattr(w1_nmt, name) is not None, name


def test_course_names_import_directly():
    from w1_nmt import NMTAttn, beam_search, bleu  # noqa: F401

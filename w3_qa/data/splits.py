"""Seeded pre-training, train, eval and test splits over disjoint paragraphs
(:func:`make_splits`).
"""
from coursekit.synthetic import check_split_sizes, distinct_splits
from coursekit.validation import check_int
from w3_qa.data.paragraphs import iter_paragraphs
from w3_qa.data.questions import qa_examples

# make_splits gives up after this many repeated titles in a row.
_MAX_REPEATS = 1000


def make_splits(n_pretrain=20000, n_train=4000, n_eval=300, n_test=300, seed=0):
    """Pre-training paragraphs and train/eval/test question sets over disjoint paragraphs.

    The splits are filled from one stream of paragraphs (all kinds) in the order test, eval,
    train, pretrain, skipping any paragraph whose title (or text) was seen before, so the eval
    and test sets do not change when ``n_train`` or ``n_pretrain`` change, and no paragraph, or
    entity, is shared between splits: the question answering splits ask about entities the
    pre-training corpus never describes.

    Args:
        n_pretrain: int >= 0, the number of pre-training paragraphs.
        n_train, n_eval, n_test: int >= 0, the number of questions; whole paragraphs'
            questions (:func:`qa_examples` with ``seed``) are taken until the count is reached,
            the last paragraph's list cut short.
        seed: int >= 0.

    Returns:
        dict with keys "pretrain" (list of paragraph dicts, see :func:`generate_paragraphs`;
        their "text" is the unlabeled pre-training corpus) and "train", "eval", "test" (lists
        of question dicts, see :func:`qa_examples`).
    """
    sizes = {"test": n_test, "eval": n_eval, "train": n_train, "pretrain": n_pretrain}
    check_split_sizes(sizes)
    check_int("seed", seed)

    def take(name, paragraph, room):
        return [paragraph] if name == "pretrain" else qa_examples(paragraph, seed, max_questions=room)

    splits = distinct_splits(
        iter_paragraphs(seed), sizes, key=(lambda p: p["title"], lambda p: p["text"]), max_repeats=_MAX_REPEATS,
        take=take,
        failure=lambda found: f"could not find enough distinct paragraphs (found {found})")
    return {name: splits[name] for name in ("pretrain", "train", "eval", "test")}

"""Which entities are held out of every training stream, and the fresh held-out questions about them.

An entity (a generated paragraph's title, e.g. "Ada Lorimer") is held out when a stable hash of its title
falls in one of `HELD_OUT_BUCKETS` buckets of `N_BUCKETS`. The fine-tuning stream of fresh questions and the
pre-training corpus skip held-out entities, so any seed's held-out questions are about entities that no
training paragraph describes, however many paragraphs training drew::

    held_out_questions(n=300, seed=2) -> 300 QA example dicts (see data.qa_examples), whole paragraphs'
                                         questions, about held-out entities only

The hash is data.questions.title_hash (FNV-1a, the same in every process and Python version).
"""
from w3_qa.data import iter_paragraphs, qa_examples
from w3_qa.data.questions import title_hash

N_BUCKETS = 16
HELD_OUT_BUCKETS = frozenset({0})
# Held-out paragraphs are drawn from iter_paragraphs(seed + SEED_OFFSET): streams of their own, apart
# from make_splits' (seed) and the fine-tuning stream's (see curriculum.FRESH_SEED_OFFSET).
SEED_OFFSET = 7919


def is_held_out(title):
    """True if the entity `title` (str) is in the held-out part of the entity space."""
    return title_hash(title) % N_BUCKETS in HELD_OUT_BUCKETS


def held_out_questions(n=300, seed=0):
    """`n` questions (SQuAD-style dicts with "question", "context", "answer", ...) about fresh held-out
    entities, whole paragraphs' questions in the generator's order (the last paragraph cut short),
    no title twice. Deterministic in (n, seed); question i does not depend on n."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an int >= 1, but got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an int >= 0, but got {seed!r}")
    questions, titles = [], set()
    for paragraph in iter_paragraphs(seed + SEED_OFFSET):
        if not is_held_out(paragraph["title"]) or paragraph["title"] in titles:
            continue
        titles.add(paragraph["title"])
        questions += qa_examples(paragraph, seed, max_questions=n - len(questions))
        if len(questions) >= n:
            return questions

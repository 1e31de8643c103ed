"""SQuAD v1.1-style questions about a generated paragraph: the question phrasings of each
kind (:data:`QUESTION_TYPES`), :func:`qa_examples`, and the helpers they need (whole-word
search, the id's slug, a stable title hash, the paragraph check).
"""
from coursekit.synthetic import Draws
from coursekit.validation import check_int
from w3_qa.data.draws import _derived
from w3_qa.data.vocabulary import KINDS, PROFESSIONS

# For each kind, the fact keys that get a question, with the question's phrasings. The fields are
# {name} (the title) and, from the facts: {count_noun} and {count_verb} (person: "novels",
# "write"; event: "houses", "were destroyed in"), {member_noun} ("members", "staff", ...) and
# {leader_question} (event: "led the relief work after the Great Lorvik Flood").
QUESTION_TYPES = {
    "person": {
        "birth_year": ("When was {name} born?", "In what year was {name} born?",
                       "What year was {name} born in?"),
        "birth_town": ("Where was {name} born?", "In which town was {name} born?",
                       "What was {name}'s home town?"),
        "profession": ("What was {name}'s profession?", "What did {name} work as?",
                       "What was {name} by profession?"),
        "work": ("What is {name} best known for?", "Which work is {name} best remembered for?",
                 "What was {name}'s best-known work?"),
        "mentor": ("Who taught {name}?", "Who was {name}'s teacher?",
                   "Under whom did {name} study?"),
        "death_year": ("When did {name} die?", "In what year did {name} die?",
                       "What year did {name} die in?"),
        "count": ("How many {count_noun} did {name} {count_verb}?",
                  "In all, how many {count_noun} did {name} {count_verb}?"),
    },
    "place": {
        "region": ("In which region is {name}?", "Where is {name}?",
                   "Which region is {name} in?"),
        "founding_year": ("When was {name} founded?", "In what year was {name} founded?",
                          "What year was {name} founded in?"),
        "population": ("What is the population of {name}?", "How many people live in {name}?"),
        "river": ("Which river runs through {name}?", "On which river does {name} stand?",
                  "What river is {name} on?"),
        "founder": ("Who founded {name}?", "Who was the founder of {name}?",
                    "By whom was {name} founded?"),
        "building": ("What is the best-known building in {name}?",
                     "Which building is {name} known for?"),
        "twin_town": ("Which town is {name} twinned with?", "What is the twin town of {name}?",
                      "With which town is {name} twinned?"),
    },
    "organisation": {
        "founding_year": ("When was the {name} founded?", "In what year was the {name} set up?",
                          "What year was the {name} founded in?"),
        "founder": ("Who founded the {name}?", "Who set up the {name}?",
                    "Who was the founder of the {name}?"),
        "headquarters": ("Where is the {name} based?", "Where are the headquarters of the {name}?",
                         "In which town does the {name} have its headquarters?"),
        "members": ("How many {member_noun} does the {name} have?",
                    "About how many {member_noun} does the {name} have?"),
        "field": ("What is the {name} devoted to?", "What field does the {name} work in?",
                  "What does the {name} promote?"),
        "leader": ("Who leads the {name}?", "Who is the head of the {name}?",
                   "Who is in charge of the {name}?"),
    },
    "event": {
        "year": ("When did the {name} take place?", "In what year did the {name} happen?",
                 "What year was the {name}?"),
        "town": ("Where did the {name} take place?", "In which town did the {name} happen?"),
        "leader": ("Who {leader_question}?", "Who was the leading figure in the {name}?"),
        "number": ("How many {count_noun} {count_verb} the {name}?",
                   "About how many {count_noun} {count_verb} the {name}?"),
        "outcome": ("What did the {name} lead to?", "What was one lasting result of the {name}?",
                    "What came out of the {name}?"),
    },
}


def _find(text, value):
    """Offset of the first whole-word occurrence of ``value`` in ``text`` ("14" is not found in
    "1914", "2,140" or "14,000"), or -1."""
    start = text.find(value)
    while start >= 0:
        end = start + len(value)
        before = text[start - 1] if start else " "
        after = text[end:end + 2]
        if (not (before.isalnum() or before == "_")
                and not (start >= 2 and before in ",." and text[start - 2].isdigit())
                and not (after[:1].isalnum() or after[:1] == "_")
                and not (len(after) == 2 and after[0] in ",." and after[1].isdigit())):
            return start
        start = text.find(value, start + 1)
    return -1


def _slug(text):
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def title_hash(title):
    """A stable 32-bit hash of a title (Python's hash() changes between runs)."""
    h = 2166136261
    for byte in title.encode("utf-8"):
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


def _check_paragraph(paragraph):
    if not isinstance(paragraph, dict):
        raise TypeError(f"a paragraph must be a dict as made by generate_paragraphs, but got "
                        f"{type(paragraph).__name__}")
    missing = [key for key in ("title", "kind", "text", "facts") if key not in paragraph]
    if missing:
        raise ValueError(f"paragraph lacks key(s) {missing}; it has {sorted(paragraph)}")
    if paragraph["kind"] not in KINDS:
        raise ValueError(f"paragraph {paragraph['title']!r} has unknown kind "
                         f"{paragraph['kind']!r}; expected one of {KINDS}")
    facts = paragraph["facts"]
    needed = QUESTION_TYPES[paragraph["kind"]]
    lacking = [key for key in needed if not isinstance(facts, dict) or key not in facts]
    if lacking:
        raise ValueError(f"paragraph {paragraph['title']!r} ({paragraph['kind']}) lacks the "
                         f"fact(s) {lacking}")
    if paragraph["kind"] == "person" and facts["profession"] not in PROFESSIONS:
        raise ValueError(f"paragraph {paragraph['title']!r}: unknown profession "
                         f"{facts['profession']!r}; choose from {sorted(PROFESSIONS)}")


def qa_examples(paragraph, seed=0, max_questions=None):
    """SQuAD v1.1-style question/answer examples about one paragraph.

    One question per fact key of :data:`QUESTION_TYPES` for the paragraph's kind, in a seeded
    order; each question's phrasing is drawn with a generator seeded by ``seed`` and the title,
    so it does not depend on the other paragraphs.

    Args:
        paragraph: a dict from :func:`generate_paragraphs`.
        seed: int >= 0.
        max_questions: optional int >= 0, keep only this many questions (the first ones of the
            seeded order).

    Returns:
        list of dicts ``{"id": str, "title": str, "question": str, "context": str,
        "answer": str, "answer_start": int}``: the context is the paragraph's text, the answer
        is the fact's value (1-4 words) and ``context[answer_start:answer_start + len(answer)]
        == answer`` at the first whole-word mention; the id is the slug of the title and the
        fact key, e.g. "ada-lorimer-birth_year".

    Raises:
        TypeError / ValueError: a bad argument, a paragraph without the facts its kind needs,
            or a fact value that is not in the text (the message names the title and fact).
    """
    _check_paragraph(paragraph)
    check_int("seed", seed)
    if max_questions is not None:
        check_int("max_questions", max_questions)
    title, kind, context = paragraph["title"], paragraph["kind"], paragraph["text"]
    d = Draws([seed, title_hash(title)])
    fill = _derived(kind, title, paragraph["facts"])
    keys = list(QUESTION_TYPES[kind])
    d.shuffle(keys)
    if max_questions is not None:
        keys = keys[:max_questions]
    examples = []
    slug = _slug(title)
    for key in keys:
        answer = paragraph["facts"][key]
        start = _find(context, answer)
        if start < 0:
            raise ValueError(f"paragraph {title!r}: fact {key!r} = {answer!r} is not in the text")
        examples.append({"id": f"{slug}-{key}", "title": title,
                         "question": d.pick(QUESTION_TYPES[kind][key]).format(**fill),
                         "context": context, "answer": answer, "answer_start": start})
    return examples

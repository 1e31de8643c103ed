"""Acceptability judgements (CoLA-style): single sentences about generated paragraphs' facts, each
acceptable or made unacceptable by one small corruption: :data:`ACCEPTABILITY_LABELS`,
:data:`CORRUPTIONS` and :func:`acceptability_examples`.

GLUE's CoLA asks whether a sentence is grammatical English. Here the acceptable sentences are the
single-fact statements of :mod:`w3_qa.data.nli` (two phrasings per fact), and an unacceptable one is
such a statement with one of

* ``word order``: two neighbouring words swapped ("Lorvik was founded in 1843." -> "Lorvik founded
  was in 1843.");
* ``agreement``: the verb's number changed ("Lorvik were founded in 1843.");
* ``repeated word``: one word written twice ("Lorvik was was founded in 1843.").

The labels are true by construction: no statement contains a word twice in a row, a swap of two
different neighbours (not both capitalised, which could make another name) breaks these fixed
phrasings, and the verbs changed are the statements' only finite verbs.
"""
from coursekit.synthetic import Draws, capitalized
from coursekit.validation import check_int
from w3_qa.data.nli import _STATEMENTS, fact_statements

#: Label ids as in GLUE's CoLA: 0 unacceptable, 1 acceptable.
ACCEPTABILITY_LABELS = ("unacceptable", "acceptable")

#: The corruptions of an unacceptable sentence, used in turn.
CORRUPTIONS = ("word order", "agreement", "repeated word")

# A verb and the same verb in the other number; a statement's first such word is changed.
_OTHER_NUMBER = {"was": "were", "were": "was", "is": "are", "are": "is", "has": "have", "have": "has",
                 "lies": "lie", "stands": "stand", "runs": "run", "live": "lives", "works": "work"}


def _words(sentence):
    """The sentence's words and its final punctuation mark ("" if none)."""
    end = sentence[-1] if sentence[-1] in ".!?" else ""
    return sentence[:len(sentence) - len(end)].split(), end


def _swap_neighbours(d, words):
    # Not the first word (its capital would move); two different words, so the sentence changes; not two
    # capitalised words ("Aldstead Bay Fire" -> "Bay Aldstead Fire" could be another name).
    places = [i for i in range(1, len(words) - 1) if words[i].lower() != words[i + 1].lower()
              and not (words[i][0].isupper() and words[i + 1][0].isupper())]
    i = d.pick(places)
    return words[:i] + [words[i + 1], words[i]] + words[i + 2:]


def _change_number(words):
    for i, word in enumerate(words):
        if word in _OTHER_NUMBER:
            return words[:i] + [_OTHER_NUMBER[word]] + words[i + 1:]
    return None


def _repeat_word(d, words):
    i = d.randint(1, len(words) - 1)
    return words[:i + 1] + [words[i]] + words[i + 1:]


def corrupt(sentence, corruption, d):
    """``sentence`` with one ``corruption`` of :data:`CORRUPTIONS` (Draws ``d`` picks where), or None when
    it does not apply (``agreement`` on a sentence without a verb of :data:`_OTHER_NUMBER`)."""
    words, end = _words(sentence)
    if corruption == "word order":
        changed = _swap_neighbours(d, words)
    elif corruption == "agreement":
        changed = _change_number(words)
    elif corruption == "repeated word":
        changed = _repeat_word(d, words)
    else:
        raise ValueError(f"the corruption must be one of {', '.join(CORRUPTIONS)}, but got {corruption!r}")
    return None if changed is None else " ".join(changed) + end


def acceptability_examples(paragraphs, seed=0):
    """Balanced acceptability judgements about the facts of ``paragraphs``.

    For each paragraph, one sentence per fact key of the paragraph's kind (in a seeded order): one of
    the fact's phrasings, filled with the paragraph's facts. The labels alternate over the whole list
    (acceptable first), so both are equally frequent (within one); the unacceptable sentences take the
    :data:`CORRUPTIONS` in turn (``word order`` instead of ``agreement`` where the sentence has no verb to
    change).

    Args:
        paragraphs: sequence of dicts from :func:`generate_paragraphs`.
        seed: int >= 0.

    Returns:
        list of dicts ``{"sentence": str, "label": "acceptable" | "unacceptable", "corruption": one of
        CORRUPTIONS, or None for an acceptable sentence}``.
    """
    check_int("seed", seed)
    d = Draws(seed)
    examples = []
    n_corrupted = 0
    for paragraph, fill, key, _ in fact_statements(paragraphs, d):
        sentence = capitalized(d.pick(_STATEMENTS[paragraph["kind"]][key]).format(**fill))
        if len(examples) % 2 == 0:
            examples.append({"sentence": sentence, "label": "acceptable", "corruption": None})
            continue
        corruption = CORRUPTIONS[n_corrupted % len(CORRUPTIONS)]
        changed = corrupt(sentence, corruption, d)
        if changed is None:
            corruption, changed = "word order", corrupt(sentence, "word order", d)
        n_corrupted += 1
        examples.append({"sentence": changed, "label": "unacceptable", "corruption": corruption})
    return examples

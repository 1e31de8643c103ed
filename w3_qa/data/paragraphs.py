"""The seeded paragraph generator: :func:`iter_paragraphs` (an endless stream) and
:func:`generate_paragraphs` (the first n), with the paragraph length bounds
(:data:`MIN_PARAGRAPH_WORDS`, :data:`MAX_PARAGRAPH_WORDS`).
"""
from coursekit.synthetic import capitalized, draw_forever, word_count
from coursekit.validation import check_int, check_names
from w3_qa.data.draws import _Pool
from w3_qa.data.kinds import _KIND_BUILDERS
from w3_qa.data.vocabulary import KINDS

MIN_PARAGRAPH_WORDS = 50
MAX_PARAGRAPH_WORDS = 110


def _rotated(items, start):
    return items[start:] + items[:start]


def _paragraph(d, kind):
    """One generated paragraph of ``kind`` drawn from ``d``: the dict described in
    :func:`generate_paragraphs`."""
    title, facts, fill, leads, units, extra, details = _KIND_BUILDERS[kind](d, _Pool(d))
    lead, skip = d.pick(leads)
    units = [phrasings for name, phrasings in units if name not in skip]
    sentences = [capitalized(d.pick(phrasings).format(**fill)) for phrasings in units]
    d.shuffle(sentences)
    lead = capitalized(lead.format(**fill))
    n_words = sum(word_count(s) for s in sentences) + word_count(lead)
    if n_words > MAX_PARAGRAPH_WORDS - 5:  # rare (long names): the shortest phrasings instead
        sentences = [min((capitalized(p.format(**fill)) for p in phrasings), key=word_count)
                     for phrasings in units]
        d.shuffle(sentences)
        n_words = sum(word_count(s) for s in sentences) + word_count(lead)
    sentences.insert(0, lead)
    target = d.randint(MIN_PARAGRAPH_WORDS + 5, MAX_PARAGRAPH_WORDS - 5)
    # One or two extra distractors if they fit, then details up to the target length.
    for additions, is_detail in ((d.sample(extra, d.randint(1, 2)), False),
                                 (_rotated(details, d.index(len(details))), True)):
        for sentence in additions:
            if is_detail and n_words >= target:
                break
            sentence = capitalized(sentence.format(**fill))
            if n_words + word_count(sentence) > MAX_PARAGRAPH_WORDS:
                continue
            sentences.insert(1 + d.index(len(sentences)), sentence)
            n_words += word_count(sentence)
    text = " ".join(sentences)
    if not MIN_PARAGRAPH_WORDS <= word_count(text) <= MAX_PARAGRAPH_WORDS:  # pragma: no cover
        raise RuntimeError(f"internal error: paragraph length out of range: {text!r}")
    return {"title": title, "kind": kind, "text": text, "facts": facts}


# ---------------------------------------------------------------------------------------------
# Public generator API
# ---------------------------------------------------------------------------------------------

def iter_paragraphs(seed=0, kinds=KINDS):
    """Endless deterministic stream of generated paragraphs.

    Args:
        seed: int >= 0; the same seed (and kinds) gives the same stream.
        kinds: non-empty sequence of names from :data:`KINDS`; order and repeats do not matter.
            Each paragraph's kind is drawn uniformly from them.

    Yields:
        dicts ``{"title": str, "kind": str, "text": str, "facts": dict}`` as described in
        :func:`generate_paragraphs`.
    """
    check_int("seed", seed)
    return draw_forever(seed, _paragraph, check_names("kinds", kinds, KINDS))


def generate_paragraphs(n, seed=0, kinds=KINDS):
    """The first ``n`` paragraphs of :func:`iter_paragraphs`.

    Deterministic: paragraph ``i`` depends only on ``seed`` and ``kinds``, not on ``n``.

    Args:
        n: int >= 0, the number of paragraphs.
        seed: int >= 0.
        kinds: non-empty sequence of names from :data:`KINDS`.

    Returns:
        list of ``n`` dicts with keys

        * ``"title"``: str, the entity's name ("Ada Lorimer", "North Lorvik", "Corvane
          Society", "Great Lorvik Flood");
        * ``"kind"``: str, one of ``kinds``;
        * ``"text"``: str, 50-110 words (:data:`MIN_PARAGRAPH_WORDS`,
          :data:`MAX_PARAGRAPH_WORDS`);
        * ``"facts"``: dict str -> str, the entity's key facts, "name" (the title) included,
          e.g. for a person ``{"name": "Ada Lorimer", "profession": "painter",
          "birth_year": "1843", "birth_town": "Lorvik", "work": "Grey Harbour",
          "mentor": "Tom Hale", "death_year": "1901", "count": "140"}``. Every value appears
          word for word in the text, and its first mention there is a mention of that fact.

        Titles may (rarely) repeat; :func:`make_splits` skips repeats.

    Raises:
        TypeError / ValueError: ``n``, ``seed`` or ``kinds`` are not valid.
    """
    check_int("n", n)
    stream = iter_paragraphs(seed, kinds)
    return [next(stream) for _ in range(n)]

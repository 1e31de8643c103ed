"""Natural language inference pairs about generated paragraphs' facts: the labels
(:data:`NLI_LABELS`), the single-fact statements of each kind (:data:`_STATEMENTS`, filled by
:func:`statement_fill`) and :func:`nli_examples`.
"""
from coursekit.names import REGIONS
from coursekit.synthetic import Draws, a_or_an, capitalized
from coursekit.validation import check_int
from w3_qa.data.draws import _Pool, _derived, _event_type, _keys, _the_work
from w3_qa.data.kinds import _work
from w3_qa.data.questions import _check_paragraph, _find
from w3_qa.data.vocabulary import (
    BUILDINGS, EVENT_TYPES, FIELDS, FIRST_NAMES, LAST_NAMES, PROFESSIONS, RIVERS, TOWNS)

NLI_LABELS = ("entailment", "neutral", "contradiction")

# Single-fact statements (at least two phrasings per fact) for nli_examples. {count_verb} is the
# past tense here ("wrote"); {the_work} is e.g. "the painting Grey Harbour" or "the Lorvik
# Bridge".
_STATEMENTS = {
    "person": {
        "profession": ("{name} was {a_profession}.", "{name} worked as {a_profession}."),
        "birth_year": ("{name} was born in {birth_year}.",
                       "The year of {name}'s birth was {birth_year}."),
        "birth_town": ("{name} was born in {birth_town}.", "{name}'s home town was {birth_town}."),
        "work": ("{name} is best known for {the_work}.",
                 "The best-known work of {name} is {the_work}."),
        "mentor": ("{name} studied under {mentor}.", "{mentor} taught {name}."),
        "death_year": ("{name} died in {death_year}.", "The death of {name} came in {death_year}."),
        "count": ("{name} {count_verb} {count} {count_noun}.",
                  "In all, {name} {count_verb} {count} {count_noun}."),
    },
    "place": {
        "region": ("{name} is in the {region}.", "{name} lies in the {region}."),
        "founding_year": ("{name} was founded in {founding_year}.",
                          "The town of {name} dates from {founding_year}."),
        "population": ("{name} has a population of {population}.",
                       "About {population} people live in {name}."),
        "river": ("{name} stands on the {river}.", "The {river} runs through {name}."),
        "founder": ("{name} was founded by {founder}.", "{founder} founded {name}."),
        "building": ("{name} is known for the {building}.",
                     "The best-known building in {name} is the {building}."),
        "twin_town": ("{name} is twinned with {twin_town}.",
                      "The twin town of {name} is {twin_town}."),
    },
    "organisation": {
        "founding_year": ("The {name} was founded in {founding_year}.",
                          "The {name} dates from {founding_year}."),
        "founder": ("The {name} was founded by {founder}.", "{founder} founded the {name}."),
        "headquarters": ("The {name} is based in {headquarters}.",
                         "The {name} has its headquarters in {headquarters}."),
        "members": ("The {name} has {members} {member_noun}.",
                    "There are {members} {member_noun} in the {name}."),
        "field": ("The {name} is devoted to {field}.", "The {name} works in the field of {field}."),
        "leader": ("The {name} is led by {leader}.", "{leader} is the head of the {name}."),
    },
    "event": {
        "year": ("The {name} took place in {year}.", "The {name} happened in {year}."),
        "town": ("The {name} took place in {town}.", "The {name} happened in {town}."),
        "leader": ("The leading figure in the {name} was {leader}.",
                   "{leader} was the leading figure in the {name}."),
        "number": ("In all, {number} {count_noun} {count_verb} the {name}.",
                   "The number of {count_noun} that {count_verb} the {name} was {number}."),
        "outcome": ("The {name} led to {outcome}.", "One result of the {name} was {outcome}."),
    },
}


_VALUE_TYPES = {
    "birth_year": "year", "death_year": "year", "founding_year": "year", "year": "year",
    "birth_town": "town", "twin_town": "town", "headquarters": "town", "town": "town",
    "mentor": "person", "founder": "person", "leader": "person",
    "count": "number", "population": "number", "members": "number", "number": "number",
}


# _other_value's draws: after this many misses a number is rounded more finely; after _MAX_TRIES it gives up.
_FINER_AFTER = 100
_MAX_TRIES = 1000


def _other_value(d, paragraph, key):
    """A value of the same type as fact ``key`` of the paragraph that the text does not hold."""
    value, text = paragraph["facts"][key], paragraph["text"]
    type_ = _VALUE_TYPES.get(key, key)
    for tries in range(_MAX_TRIES):
        if type_ == "year":
            other = str(min(1990, max(1600, int(value) + d.randint(-40, 40))))
        elif type_ == "town":
            other = d.pick(TOWNS)
        elif type_ == "person":
            other = f"{d.pick(FIRST_NAMES)} {d.pick(LAST_NAMES)}"
        elif type_ == "number":  # 10-60% more or less, as round as the value
            number = int(value.replace(",", ""))
            step = 1
            while number % (step * 10) == 0 and step < 1000:
                step *= 10
            # Rounding may leave no value that the text lacks ("10" beside a "20"): after every
            # _FINER_AFTER misses, round more finely.
            step = max(1, step // 10 ** (tries // _FINER_AFTER))
            other = number * (1 + d.randint(10, 60) / 100 * d.pick((-1, 1)))
            other = f"{max(step, round(other / step) * step):,}"
        elif type_ == "profession":
            other = d.pick(tuple(PROFESSIONS))
        elif type_ == "work":
            other = _work(d, _Pool(d), paragraph["facts"]["profession"])
        elif type_ == "outcome":
            other = d.pick(EVENT_TYPES[_event_type(paragraph["title"])]["outcomes"])
        else:
            other = d.pick({"region": REGIONS, "river": RIVERS, "building": BUILDINGS,
                            "field": FIELDS}[type_])
        if other != value and not any(_find(text, word) >= 0 for word in _keys(other)):
            return other
    raise RuntimeError(f"found no {type_} for fact {key!r} of {paragraph['title']!r} that its text does not "
                       f"hold in {_MAX_TRIES} draws")


def statement_fill(paragraph):
    """The fields that :data:`_STATEMENTS`' phrasings of ``paragraph``'s kind are formatted with."""
    fill = _derived(paragraph["kind"], paragraph["title"], paragraph["facts"])
    if paragraph["kind"] == "person":
        fill["count_verb"] = fill["count_verb_past"]
    return fill


def fact_statements(paragraphs, d):
    """For each paragraph (checked), each fact key of its kind in an order shuffled by Draws ``d``: yields
    (paragraph, its :func:`statement_fill`, the key, all the kind's keys in that order)."""
    for paragraph in paragraphs:
        _check_paragraph(paragraph)
        fill = statement_fill(paragraph)
        keys = list(_STATEMENTS[paragraph["kind"]])
        d.shuffle(keys)
        for key in keys:
            yield paragraph, fill, key, keys


def nli_examples(paragraphs, seed=0):
    """Balanced natural language inference pairs about the facts of ``paragraphs``.

    For each paragraph, one pair per fact key of the paragraph's kind (in a seeded order); the
    labels go round robin over :data:`NLI_LABELS` across the whole list, so the three labels are
    equally frequent (within one). The premise states one fact of the paragraph in one of the
    single-fact phrasings of :data:`_STATEMENTS`, in the paragraphs' style but with the full name
    (it is not cut out of the text, whose sentences often mix facts). The hypothesis is

    * ``entailment``: another phrasing of the same fact;
    * ``contradiction``: the premise's phrasing with another value of the same type (another
      year, town, person, number, profession, work, region, river, building, field or outcome);
    * ``neutral``: a true statement about the same entity of another fact, which the premise
      neither states nor rules out.

    Args:
        paragraphs: sequence of dicts from :func:`generate_paragraphs`.
        seed: int >= 0.

    Returns:
        list of dicts ``{"premise": str, "hypothesis": str, "label": str}``.
    """
    check_int("seed", seed)
    d = Draws(seed)
    examples = []
    for paragraph, fill, key, keys in fact_statements(paragraphs, d):
        statements = _STATEMENTS[paragraph["kind"]]
        label = NLI_LABELS[len(examples) % len(NLI_LABELS)]
        first, second = d.sample(statements[key], 2)
        premise = first.format(**fill)
        if label == "entailment":
            hypothesis = second.format(**fill)
        elif label == "contradiction":
            other = _other_value(d, paragraph, key)
            changed = dict(fill, **{key: other})
            if key == "profession":
                changed["a_profession"] = a_or_an(other)
            elif key == "work":
                changed["the_work"] = _the_work(paragraph["facts"]["profession"], other)
            hypothesis = first.format(**changed)
        else:
            other_key = d.other(keys, (key,))
            hypothesis = d.pick(statements[other_key]).format(**fill)
        examples.append({"premise": capitalized(premise), "hypothesis": capitalized(hypothesis),
                         "label": label})
    return examples

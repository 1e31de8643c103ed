"""Per-paragraph draws: the pool that keeps one paragraph's names, towns, years and numbers
distinct, and the fields that questions and statements need besides the facts.
"""
from coursekit.synthetic import a_or_an
from w3_qa.data.vocabulary import (
    _PROPER, EVENT_TYPES, FIRST_NAMES, LAST_NAMES, ORGANISATION_TYPES, PROFESSIONS, TOWNS)


def _keys(value):
    """What makes ``value`` clash with another name: itself and its proper-name words."""
    return {value}.union(word for word in value.split() if word in _PROPER)


class _Pool:
    """Draws the names, towns, years and numbers of one paragraph, each distinct from (sharing
    no proper-name word with) everything drawn before, so that every value's first mention in
    the text is a mention of that value."""

    def __init__(self, d):
        self.d = d
        self.taken = set()

    def _take(self, keys):
        if self.taken.isdisjoint(keys):
            self.taken.update(keys)
            return True
        return False

    def fresh(self, draw, *args):
        """A value ``draw(*args)`` that clashes with nothing drawn before."""
        while True:
            value = draw(*args)
            if self._take(_keys(value)):
                return value

    def pick(self, seq):
        return self.fresh(self.d.pick, seq)

    def person(self):
        pick = self.d.pick
        while True:
            first, last = pick(FIRST_NAMES), pick(LAST_NAMES)
            name = f"{first} {last}"
            if self._take((name, first, last)):
                return name

    def town(self):
        while True:
            town = self.d.pick(TOWNS)
            if town not in self.taken:
                self.taken.add(town)
                return town

    def _number(self, low, high, step, text):
        while True:
            value = low if low >= high else self.d.randint(low, high)
            value = text(value * step)
            if value not in self.taken:
                self.taken.add(value)
                return value
            if low >= high:  # pragma: no cover - the ranges are chosen to avoid this
                raise RuntimeError(f"internal error: {value} was already drawn")

    def year(self, low, high):
        """A year in [low, min(high, 1990)], as digits: '1843'."""
        return self._number(low, min(high, 1990), 1, str)

    def number(self, low, high, step=1):
        """A multiple of ``step`` in [low, high], with thousands commas: '12,400'."""
        return self._number(low // step, high // step, step, "{:,}".format)


def _event_type(title):
    """The key of :data:`EVENT_TYPES` named in an event's title ('Great Lorvik Flood' -> 'Flood')."""
    for word in title.split():
        if word in EVENT_TYPES:
            return word
    raise ValueError(f"event title {title!r} names none of the event types {sorted(EVENT_TYPES)}")


def _the_work(profession, work):
    noun = PROFESSIONS[profession][0]
    return f"the {work}" if noun is None else f"the {noun} {work}"


def _derived(kind, title, facts):
    """Fields that questions and statements need besides the facts, derived from them."""
    fill = dict(facts, name=title)
    if kind == "person":
        _, count_noun, past, present, _, _ = PROFESSIONS[facts["profession"]]
        fill.update(a_profession=a_or_an(facts["profession"]), count_noun=count_noun,
                    count_verb=present, count_verb_past=past,
                    the_work=_the_work(facts["profession"], facts["work"]))
    elif kind == "organisation":
        fill["member_noun"] = ORGANISATION_TYPES.get(title.split()[-1], "members")
    elif kind == "event":
        spec = EVENT_TYPES[_event_type(title)]
        fill.update(count_noun=spec["count_noun"], count_verb=spec["count_verb"],
                    leader_question=spec["question"].format(name=title))
    return fill

"""News-like articles with reference summaries for Week 2, generated from a seeded template bank.

Each example is a short news story about one of four topics (:data:`TOPICS`):

* ``match``: a football-like match report (winner, loser, score, venue, day, scorer);
* ``weather``: a regional forecast (region, day, conditions, high and low temperature and, in
  some reports, a weather warning);
* ``company``: quarterly results (company, quarter, revenue, change in percent, profit or loss,
  chief executive);
* ``event``: a local event (event, town, date, attendance, organiser).

A good summary has to find the key facts among several sentences of detail and distraction: the
first sentence is one of several openings per topic, the other sentences are shuffled, and every
article holds distractors of the same kind as the facts (last week's score and another match's
result, yesterday's weather and another region's forecast, last year's revenue and a rival's
results, last year's attendance and another town's event, other people's names). The reference
summary restates the key facts in one of a few fixed phrasings; it is a deterministic function of
the facts and of that choice of phrasing, and every fact in it (names, numbers) appears word for
word in the article. Each example also carries the facts themselves, as a dict of str -> str.

Names come from fixed lists of invented teams, towns, companies and people (ASCII only), so the
whole corpus has a modest vocabulary (under 3,000 distinct lowercase words) that a 2,000-piece
BPE tokenizer covers well. Articles have 45-110 words and summaries 10-30 (words split on
whitespace).

The module also reads a user's own data: :func:`load_jsonl` (JSON lines), :func:`load_csv` and
:func:`load_tfds_cnn_dailymail` (an already prepared TensorFlow Datasets directory; nothing is
downloaded). It does not import trax. ``python -m w2_summarizer.data --n 3 --seed 0`` prints a
few generated examples.
"""
import argparse
import csv
import json
import os

import numpy as np

from coursekit.loaders import check_file, check_max_examples, clean_whitespace
from coursekit.names import FIRST_NAMES, LAST_NAMES, REGIONS, TOWNS
from coursekit.synthetic import Draws, a_or_an, capitalized, word_count

TOPICS = ("match", "weather", "company", "event")

MIN_ARTICLE_WORDS = 45
MAX_ARTICLE_WORDS = 110
MIN_SUMMARY_WORDS = 10
MAX_SUMMARY_WORDS = 30

# ---------------------------------------------------------------------------------------------
# Names (invented, ASCII only; people, towns and regions in coursekit.names, shared with Week 3)
# ---------------------------------------------------------------------------------------------

_TEAM_SUFFIXES = ("Rovers", "United", "Town", "Athletic", "City", "Rangers", "Wanderers", "Albion")
# One team per town: "Ashbury Rovers", "Brackwell United", ...
TEAMS = tuple(f"{town} {_TEAM_SUFFIXES[i % len(_TEAM_SUFFIXES)]}" for i, town in enumerate(TOWNS))
VENUES = (
    "Oakfield Park", "Mill Lane", "Riverside Stadium", "Station Road", "Kings Meadow",
    "Church Field", "Victoria Ground", "Brook Park", "Castle Lane", "Hillside Stadium",
    "Quarry Park", "Harbour Field", "Willow Park", "Elm Road", "Priory Lane", "Moor Park",
    "Bridge Street", "Meadow Lane", "North Park", "Canal Side", "Forest Road", "Oak Lane",
    "Market Field", "Cedar Park", "Windmill Ground", "Ash Grove", "Beacon Park", "Chapel Lane",
    "Railway Ground", "Lakeside Stadium", "Heath Park", "Abbey Field",
)
COMPANIES = (
    "Brightwell Foods", "Corvex Systems", "Halden Energy", "Norbury Motors", "Pellam Pharma",
    "Quillon Media", "Redmoor Steel", "Silverfen Bank", "Talbury Retail", "Ulverstone Airways",
    "Vantor Software", "Westmark Telecom", "Ashgrove Homes", "Bexley Chemicals",
    "Calder Logistics", "Drayton Textiles", "Elmore Insurance", "Fairhaven Hotels",
    "Granton Mining", "Hexley Foods", "Irwell Water", "Juniper Games", "Kelso Engineering",
    "Lomond Paper", "Marlin Shipping", "Nevis Robotics", "Orrin Health", "Pendle Brewing",
    "Rydal Electronics", "Stenby Cement", "Tarvin Toys", "Wexcombe Farms",
)
EVENTS = (
    "music festival", "food fair", "marathon", "book fair", "flower show", "street parade",
    "film festival", "craft market", "cycle race", "jazz festival", "beer festival",
    "harvest fair", "boat race", "charity run", "kite festival", "farmers market", "fun run",
    "dog show", "comedy festival", "art fair",
)

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_QUARTERS = ("first quarter", "second quarter", "third quarter", "fourth quarter")
_GOAL_WORDS = ("one goal", "two goals", "three goals")

# Weather: (conditions, verb agreeing with them, warning type or None, lowest high, highest high).
_CONDITIONS = (
    ("heavy rain", "is", "rain", 6, 18),
    ("light rain", "is", None, 8, 20),
    ("sunshine", "is", "heat", 14, 33),
    ("snow showers", "are", "snow", 2, 6),
    ("strong winds", "are", "wind", 7, 19),
    ("thick fog", "is", "fog", 4, 12),
    ("thunderstorms", "are", "thunderstorms", 15, 28),
    ("clear skies", "are", None, 10, 30),
    ("grey skies", "are", None, 7, 20),
    ("scattered showers", "are", None, 8, 22),
    ("hail", "is", "hail", 3, 10),
    ("sleet", "is", "ice", 2, 5),
)
_WARNING_LEVELS = ("yellow", "amber", "red")


# ---------------------------------------------------------------------------------------------
# Random draws (coursekit.synthetic.Draws)
# ---------------------------------------------------------------------------------------------

def _person(d, exclude=()):
    while True:
        name = f"{d.pick(FIRST_NAMES)} {d.pick(LAST_NAMES)}"
        if name not in exclude:
            return name


def _people(d, k):
    names = []
    for _ in range(k):
        names.append(_person(d, names))
    return names


def _date(d, exclude=()):
    while True:
        date = f"{d.randint(1, 28)} {d.pick(_MONTHS)}"
        if date not in exclude:
            return date


def _thousands(d, low, high, step, exclude=()):
    """A number in [low, high] that is a multiple of ``step``, written with commas: '12,500'."""
    while True:
        text = f"{d.randint(low // step, high // step) * step:,}"
        if text not in exclude:
            return text


def _near(d, value, low_percent, high_percent, exclude):
    """An int a random ``low_percent``..``high_percent`` above or below ``value``, not in
    ``exclude``."""
    while True:
        percent = d.randint(low_percent, high_percent) * (1 if d.random() < 0.5 else -1)
        number = round(value * (1 + percent / 100))
        if number not in exclude:
            return number


# ---------------------------------------------------------------------------------------------
# Topics. Each returns (facts, fill, lead, units, distractors, extra, details, summary): the
# templates are str.format strings filled from the dict ``fill`` (the facts and the distractor
# values). The lead opens the article; the units (the other fact sentences), the distractors
# (all used), one or two of the extra distractors and as many details as fit are shuffled behind
# it. The summary is one template, already chosen.
# ---------------------------------------------------------------------------------------------

def _score(d, exclude=()):
    while True:
        winner = d.pick((1, 1, 2, 2, 2, 3, 3, 4, 5))
        score = f"{winner}-{d.randint(0, winner - 1)}"
        if score not in exclude:
            return score


def _match(d):
    winner, loser, other_a, other_b, other_c = d.sample(TEAMS, 5)
    venue, other_venue = d.sample(VENUES, 2)
    day = d.pick(("Saturday", "Saturday", "Saturday", "Sunday", "Sunday", "Tuesday",
                  "Wednesday", "Friday"))
    score = _score(d)
    won, lost = (int(part) for part in score.split("-"))
    n_goals = d.randint(1, min(3, won))
    goals = "the only goal" if won == 1 else _GOAL_WORDS[n_goals - 1]
    scorer, manager, other_scorer, loser_manager = _people(d, 4)
    crowd = _thousands(d, 800, 30000, 100)
    facts = {"winner": winner, "loser": loser, "score": score, "venue": venue, "day": day,
             "scorer": scorer, "goals": goals}
    f = dict(facts, crowd=crowd, other_venue=other_venue, manager=manager,
             other_scorer=other_scorer, loser_manager=loser_manager,
             a=other_a, b=other_b, c=other_c, s1=_score(d, (score,)), s2=_score(d, (score,)),
             s3=_score(d, (score,)), s4=_score(d, (score,)),
             last_day=d.other(_DAYS, (day,)), place=d.pick(("second", "third", "fourth", "fifth",
                                                            "sixth", "seventh", "eighth")))
    leads_and_units = (
        ("{winner} beat {loser} {score} at {venue} on {day}.",
         ["{scorer} scored {goals} for {winner}."]),
        ("{loser} were beaten {score} by {winner} at {venue} on {day}.",
         ["{scorer} scored {goals} for the winners."]),
        ("There was joy for {winner} fans at {venue} on {day}.",
         ["{winner} ran out {score} winners against {loser}.",
          "{scorer} was the star of the day with {goals}."]),
        ("{scorer} scored {goals} as {winner} beat {loser} {score} on {day}.",
         ["The match was played at {venue} in front of {crowd} fans."]),
        ("A crowd of {crowd} at {venue} saw {winner} beat {loser} {score} on {day}.",
         ["{scorer} got {goals} for {winner}."]),
    )
    lead, units = d.pick(leads_and_units)
    distractors = [d.pick((
        "Last week {winner} lost {s1} to {a}.",
        "In another game on {day}, {a} beat {b} {s1} at {other_venue}.",
        "{loser} won the last meeting between the two sides {s1}.",
        "{a} stay top of the table after a {s1} win over {b}.",
    ))]
    extra = [
        "On {last_day}, {c} beat {a} {s2} at {other_venue}.",
        "{winner} had lost {s3} to {b} the week before.",
        "{loser} beat {c} {s4} in their previous match.",
        "The {winner} manager, {manager}, said the team had worked hard all week.",
        "{loser_manager}, who manages {loser}, said the team had not played well.",
    ]
    if lost > 0:
        extra.append("{other_scorer} scored for {loser}, but it was not enough.")
    details = [
        "The home crowd sang from the first minute to the last.",
        "Rain fell for most of the second half.",
        "Both teams had chances early in the game.",
        "The referee showed three yellow cards.",
        "Tickets for the next home game go on sale on Monday.",
        "It was a tense afternoon for both sets of fans.",
        "{loser} had more of the ball but could not find a way through.",
        "The two sides meet again later in the season.",
        "{winner} move up to {place} place in the table.",
        "{loser} will hope to bounce back next week.",
        "The pitch was in good condition despite the recent weather.",
        "Several young players were given a chance to start.",
    ]
    summaries = (
        "{winner} beat {loser} {score} at {venue} on {day}, with {goals} from {scorer}.",
        "{scorer} scored {goals} as {winner} beat {loser} {score} at {venue} on {day}.",
        "{winner} won {score} against {loser} at {venue} on {day}, and {scorer} scored {goals}.",
    )
    return facts, f, lead, units, distractors, extra, details, d.pick(summaries)


def _weather(d):
    region, region_b, region_c = d.sample(REGIONS, 3)
    day_index = d.index(len(_DAYS))
    day = _DAYS[day_index]
    conditions, verb, warning_type, low_high, high_high = d.pick(_CONDITIONS)
    high = d.randint(low_high, high_high)
    low = max(0, high - d.randint(3, 10))
    if low == 1:  # no "1 degrees"
        low = 0
    facts = {"region": region, "day": day, "conditions": conditions,
             "high": f"{high} degrees", "low": f"{low} degrees"}
    if warning_type is not None and (warning_type != "heat" or high >= 28) and d.random() < 0.7:
        facts["warning"] = f"{d.pick(_WARNING_LEVELS)} warning for {warning_type}"
    warn_b = f"{d.pick(_WARNING_LEVELS)} warning for {d.pick(_CONDITIONS)[2] or 'rain'}"
    other = d.pick([row for row in _CONDITIONS if row[0] != conditions])
    numbers = [n for n in range(max(0, low - 6), high + 9) if n not in (high, low, 1)]
    other_highs = [n for n in range(other[3], other[4] + 1) if n not in (high, low)] or numbers
    f = dict(facts, verb=verb, region_b=region_b, region_c=region_c,
             last_day=_DAYS[day_index - 1], other=other[0], month=d.pick(_MONTHS),
             a_warning=a_or_an(facts.get("warning", "")), a_warn_b=a_or_an(warn_b),
             h1=d.pick(numbers), h2=high + d.randint(3, 12), h4=d.pick(numbers),
             other_high=d.pick(other_highs), h3=d.pick(other_highs),
             h5=d.pick(numbers), person=_person(d))
    leads_and_units = (
        ("Forecasters expect {conditions} across the {region} on {day}.",
         ["Temperatures will reach a high of {high}, falling to a low of {low} overnight."]),
        ("The {region} will see {conditions} on {day}, the weather service said.",
         ["The high will be {high} and the low {low}."]),
        ("People in the {region} should prepare for {conditions} on {day}.",
         ["Highs of {high} are forecast, with lows of {low}."]),
        ("The forecast for the {region} on {day} is for {conditions}.",
         ["The temperature should peak at {high} in the afternoon.",
          "At night it will drop to {low}."]),
    )
    lead, units = d.pick(leads_and_units)
    units = list(units)
    if "warning" in facts:
        units.append(d.pick(("The weather service has issued {a_warning} for the {region}.",
                             "{a_warning} is in place for the {region} on {day}.")))
    distractors = [d.pick((
        "On {last_day}, the {region} saw {other} and a high of {other_high} degrees.",
        "The {region_b} will have {other} on {day}, with a high of {other_high} degrees.",
        "Last week, temperatures in the {region} were near {h1} degrees.",
    ))]
    extra = [
        "{a_warn_b} remains in place for the {region_c}.",
        "The record high for {month} in the {region} is {h2} degrees.",
        "In the {region_c}, {other} will keep temperatures near {h3} degrees.",
        "On {last_day}, the {region_b} reached {h4} degrees.",
        "Forecaster {person} said the {region_b} would stay near {h5} degrees all week.",
    ]
    details = [
        "Drivers are advised to take care on the roads.",
        "Conditions should improve later in the week.",
        "The wind will come from the west for most of the day.",
        "Farmers have been watching the forecast closely.",
        "Some outdoor events may be moved indoors.",
        "It will feel colder near the coast.",
        "Forecasters will update the outlook tomorrow morning.",
        "Those walking in the hills should check the forecast before setting out.",
        "Rivers are being watched by the local council.",
        "Schools are expected to open as normal.",
        "Trains and buses should run to the usual timetable.",
    ]
    summaries = (
        "The {region} will have {conditions} on {day}, with a high of {high} and a low of {low}.",
        "{day} in the {region} will bring {conditions}: high {high}, low {low}.",
        "On {day} the {region} will have {conditions}, highs of {high} and lows of {low}.",
    )
    summary = d.pick(summaries)
    if "warning" in facts:
        summary += d.pick((" {A_warning} is in place.", " There is {a_warning}."))
        f["A_warning"] = capitalized(f["a_warning"])
    return facts, f, lead, units, distractors, extra, details, summary


def _company(d):
    company, rival = d.sample(COMPANIES, 2)
    quarter_index = d.index(4)
    quarter = _QUARTERS[quarter_index]
    revenue = d.randint(60, 900)
    change = d.randint(2, 35)
    up = d.random() < 0.6
    previous = round(revenue / (1 + (change if up else -change) / 100))
    profit = up or d.random() < 0.4
    amount = d.randint(1, max(2, revenue // 6)) if profit else d.randint(1, 60)
    kind = "profit" if profit else "loss"
    ceo, director, analyst = _people(d, 3)
    facts = {"company": company, "quarter": quarter, "revenue": f"${revenue:,} million",
             "change": f"{change} percent", kind: f"${amount:,} million", "ceo": ceo}
    other_amounts = [n for n in range(1, 120) if n != amount]
    f = dict(facts, kind=kind, amount=facts[kind], up_down="up" if up else "down",
             rose_fell="rose" if up else "fell", rise_fall="rise" if up else "fall",
             rival=rival, director=director, analyst=analyst, previous=f"${previous:,} million",
             other_quarter=_QUARTERS[quarter_index - 1], other_kind=d.pick(("profit", "loss")),
             other_amount=f"${d.pick(other_amounts):,} million",
             rival_revenue=f"${d.other(range(60, 900), (revenue, previous)):,} million",
             other_revenue=f"${_near(d, revenue, 5, 30, (revenue, previous)):,} million",
             expected=f"${_near(d, revenue, 3, 15, (revenue, previous)):,} million",
             rival_amount=f"${d.pick(other_amounts):,} million",
             pct=f"{d.other(range(2, 30), (change,))} percent",
             staff=_thousands(d, 500, 20000, 100), weekday=d.pick(_DAYS[:5]),
             mood="the results showed the company was on the right track" if profit else
             "the company had faced a difficult few months")
    leads_and_units = (
        ("{company} reported revenue of {revenue} for the {quarter}, {up_down} {change} on a "
         "year earlier.",
         ["The company made a {kind} of {amount} in the period.",
          "Chief executive {ceo} said {mood}."]),
        ("{company} made a {kind} of {amount} in the {quarter}, the company said on {weekday}.",
         ["Revenue {rose_fell} {change} to {revenue}.",
          "{ceo}, the chief executive, said {mood}."]),
        ("Shares in {company} moved sharply after its {quarter} results on {weekday}.",
         ["Revenue was {revenue}, {up_down} {change} from the same quarter last year.",
          "The {kind} for the quarter was {amount}.",
          "Chief executive {ceo} told investors that {mood}."]),
        ("In the {quarter}, {company} saw revenue {rise_fall} {change} to {revenue}.",
         ["The company reported a {kind} of {amount}.",
          "The company is led by chief executive {ceo}, who said {mood}."]),
    )
    lead, units = d.pick(leads_and_units)
    distractors = [d.pick((
        "A year earlier, revenue for the quarter was {previous}.",
        "In the {other_quarter}, the company had reported a {other_kind} of {other_amount}.",
        "Rival {rival} reported revenue of {rival_revenue} last week.",
    ))]
    extra = [
        "Finance director {director} said costs had risen by {pct}.",
        "{rival} made a {other_kind} of {rival_amount} in the same period.",
        "The company employs {staff} people.",
        "Analyst {analyst} said the market had expected revenue of {expected}.",
        "Revenue in the {other_quarter} was {other_revenue}.",
    ]
    details = [
        "The company sells its products in shops across the country.",
        "Analysts had been waiting for the figures for weeks.",
        "The board will meet again next month.",
        "The company plans to open new offices next year.",
        "Costs for energy and transport remained high.",
        "Investors will be watching the next set of results closely.",
        "The results were published before the markets opened.",
        "The company did not change its forecast for the full year.",
        "Staff will hear more about the plans at a meeting next week.",
        "The company was founded more than fifty years ago.",
    ]
    summaries = (
        "{company} reported {quarter} revenue of {revenue}, {up_down} {change}, and a {kind} of "
        "{amount}, chief executive {ceo} said.",
        "Revenue at {company} {rose_fell} {change} to {revenue} in the {quarter}, with a {kind} "
        "of {amount}, according to chief executive {ceo}.",
    )
    return facts, f, lead, units, distractors, extra, details, d.pick(summaries)


def _event(d):
    town, other_town = d.sample(TOWNS, 2)
    event, other_event = d.sample(EVENTS, 2)
    date = _date(d)
    attendance = _thousands(d, 1000, 40000, 250)
    organiser, mayor, other_person = _people(d, 3)
    facts = {"event": event, "town": town, "date": date, "attendance": attendance,
             "organiser": organiser}
    f = dict(facts, other_town=other_town, other_event=other_event, mayor=mayor,
             other_person=other_person, last_year=_thousands(d, 1000, 40000, 250, (attendance,)),
             other_att=_thousands(d, 1000, 40000, 250, (attendance,)),
             other_date=_date(d, (date,)), next_date=_date(d, (date,)),
             stalls=d.randint(12, 90))
    leads_and_units = (
        ("About {attendance} people came to the {town} {event} on {date}.",
         ["The {event} was organised by {organiser}."]),
        ("The {town} {event} returned on {date}, drawing a crowd of {attendance}.",
         ["Organiser {organiser} thanked everyone who took part."]),
        ("Crowds filled the streets of {town} on {date} for the annual {event}.",
         ["Organisers put the attendance at {attendance}.",
          "The event was run by {organiser} and a team of volunteers."]),
        ("{organiser} has organised the {event} in {town} for years.",
         ["This year the {event} was held on {date}.",
          "A total of {attendance} people attended, a new record."]),
    )
    lead, units = d.pick(leads_and_units)
    distractors = [d.pick((
        "Last year the {event} drew {last_year} people.",
        "The {other_town} {other_event} on {other_date} attracted {other_att} visitors.",
        "Next year's {event} is planned for {next_date}.",
    ))]
    extra = [
        "Mayor {mayor} opened the {event} in the morning.",
        "A similar {event} in {other_town} was held on {other_date}.",
        "The {other_town} {other_event}, run by {other_person}, drew {other_att} people.",
        "There were {stalls} stalls, up from last year.",
        "{other_person} from {other_town} judged the competitions.",
    ]
    details = [
        "Local schools and clubs ran stalls selling food and drink.",
        "Volunteers spent weeks getting the site ready.",
        "Parking was free in the town centre for the day.",
        "Many families came from nearby villages.",
        "The weather stayed dry for most of the day.",
        "Traders said business had been good.",
        "Money raised will go to local charities.",
        "Extra buses ran from the station.",
        "There was live music on two stages.",
        "Some roads were closed until the evening.",
    ]
    summaries = (
        "The {town} {event} on {date} drew {attendance} people, organiser {organiser} said.",
        "About {attendance} people attended the {event} in {town} on {date}, organised by "
        "{organiser}.",
        "{organiser} organised the {town} {event} on {date}, which drew {attendance} people.",
    )
    return facts, f, lead, units, distractors, extra, details, d.pick(summaries)


_TOPIC_BUILDERS = {"match": _match, "weather": _weather, "company": _company, "event": _event}


def _example(d, topic):
    """One generated example of ``topic`` drawn from ``d``: the dict described in
    :func:`generate_examples`."""
    facts, fill, lead, units, distractors, extra, details, summary = _TOPIC_BUILDERS[topic](d)
    body = list(units) + list(distractors) + d.sample(extra, d.randint(1, 2))
    d.shuffle(body)
    sentences = [capitalized(lead.format(**fill))] + [capitalized(s.format(**fill)) for s in body]
    n_words = sum(word_count(s) for s in sentences)
    target = d.randint(MIN_ARTICLE_WORDS + 5, MAX_ARTICLE_WORDS - 5)
    details = list(details)
    d.shuffle(details)
    for detail in details:
        if n_words >= target:
            break
        detail = capitalized(detail.format(**fill))
        if n_words + word_count(detail) > MAX_ARTICLE_WORDS:
            continue
        sentences.insert(1 + d.index(len(sentences)), detail)
        n_words += word_count(detail)
    article = " ".join(sentences)
    summary = capitalized(summary.format(**fill))
    if not (MIN_ARTICLE_WORDS <= word_count(article) <= MAX_ARTICLE_WORDS
            and MIN_SUMMARY_WORDS <= word_count(summary) <= MAX_SUMMARY_WORDS):  # pragma: no cover
        raise RuntimeError(f"internal error: generated lengths out of range: {article!r} "
                           f"{summary!r}")
    return {"article": article, "summary": summary, "topic": topic, "facts": dict(facts)}


# ---------------------------------------------------------------------------------------------
# Public generator API
# ---------------------------------------------------------------------------------------------

def _check_seed(seed):
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, but got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, but got {seed}")


def _check_topics(topics):
    """Validated topics as a tuple in :data:`TOPICS` order, without repeats."""
    if isinstance(topics, str):
        raise TypeError(f"topics must be a sequence of topic names such as ({topics!r},), "
                        f"not a str")
    try:
        chosen = list(topics)
    except TypeError:
        raise TypeError(f"topics must be a sequence of topic names, but got "
                        f"{type(topics).__name__}") from None
    if not chosen:
        raise ValueError(f"topics must name at least one of {TOPICS}, but it is empty")
    unknown = [topic for topic in chosen if topic not in TOPICS]
    if unknown:
        raise ValueError(f"unknown topic(s) {unknown}; choose from {TOPICS}")
    return tuple(topic for topic in TOPICS if topic in chosen)


def iter_examples(seed=0, topics=TOPICS):
    """Endless deterministic stream of generated examples.

    Args:
        seed: int >= 0; the same seed (and topics) gives the same stream.
        topics: non-empty sequence of names from :data:`TOPICS`; order and repeats do not
            matter. Each example's topic is drawn uniformly from them.

    Yields:
        dicts ``{"article": str, "summary": str, "topic": str, "facts": dict}`` as described in
        :func:`generate_examples`.
    """
    _check_seed(seed)
    topics = _check_topics(topics)
    return _stream(seed, topics)


def _stream(seed, topics):
    d = Draws(seed)
    while True:
        yield _example(d, d.pick(topics))


def generate_examples(n, seed=0, topics=TOPICS):
    """The first ``n`` examples of :func:`iter_examples`.

    Deterministic: example ``i`` depends only on ``seed`` and ``topics``, not on ``n``.

    Args:
        n: int >= 0, the number of examples.
        seed: int >= 0.
        topics: non-empty sequence of names from :data:`TOPICS`.

    Returns:
        list of ``n`` dicts with keys

        * ``"article"``: str, 45-110 words (:data:`MAX_ARTICLE_WORDS`);
        * ``"summary"``: str, 10-30 words (:data:`MAX_SUMMARY_WORDS`), one sentence or two;
        * ``"topic"``: str, one of ``topics``;
        * ``"facts"``: dict str -> str of the key facts, e.g. ``{"winner": "Ashbury Rovers",
          "loser": "Brackwell United", "score": "3-1", "venue": "Oakfield Park",
          "day": "Saturday", "scorer": "Tom Hale", "goals": "two goals"}``; every value appears
          word for word in both the article and the summary.

        Articles may (rarely) repeat; :func:`make_splits` removes repeats.

    Raises:
        TypeError / ValueError: ``n``, ``seed`` or ``topics`` are not valid.
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"n must be an int, but got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be >= 0, but got {n}")
    stream = iter_examples(seed, topics)
    return [next(stream) for _ in range(n)]


# make_splits gives up after this many repeated articles in a row.
_MAX_REPEATS = 1000


def make_splits(n_train=20000, n_eval=500, n_test=500, seed=0):
    """Disjoint train/eval/test splits of generated examples (all topics).

    Test is filled first, then eval, then train, from one stream of examples with unique
    article texts, so the eval and test sets do not change when ``n_train`` changes.

    Returns:
        dict with keys "train", "eval", "test", each a list of example dicts (see
        :func:`generate_examples`) of the requested size; no article text occurs twice, within
        or across splits.
    """
    sizes = {"test": n_test, "eval": n_eval, "train": n_train}
    for name, size in sizes.items():
        if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or size < 0:
            raise ValueError(f"n_{name} must be an int >= 0, but got {size!r}")
    stream = iter_examples(seed)
    seen = set()
    splits = {}
    misses = 0  # draws since the last new article
    for name, size in sizes.items():
        split = []
        while len(split) < size:
            example = next(stream)
            if example["article"] in seen:
                misses += 1
                if misses > _MAX_REPEATS:  # pragma: no cover - the generator has ample variety
                    raise ValueError(f"could not find {sum(sizes.values())} distinct articles "
                                     f"(found {len(seen)})")
                continue
            misses = 0
            seen.add(example["article"])
            split.append(example)
        splits[name] = split
    return {"train": splits["train"], "eval": splits["eval"], "test": splits["test"]}


# ---------------------------------------------------------------------------------------------
# Loaders for your own data
# ---------------------------------------------------------------------------------------------

def _record(article, summary):
    return {"article": article, "summary": summary, "topic": None, "facts": None}


_SUMMARY_FALLBACKS = ("summary", "highlights")


def load_jsonl(path, article_key="article", summary_key="highlights", max_examples=None):
    """Read (article, summary) examples from a JSON lines file (one JSON object per line).

    Args:
        path: str or os.PathLike, a UTF-8 text file; blank lines are skipped and a byte-order
            mark at the start is ignored.
        article_key: the field that holds the article text.
        summary_key: the field that holds the summary. With the default ("highlights", as in
            CNN/DailyMail), "summary" or None, a record without that field may use the other of
            "summary" and "highlights" instead (None tries "summary" first). Any other name is
            required as given.
        max_examples: optional int, stop after this many examples.

    Returns:
        list of dicts ``{"article": str, "summary": str, "topic": None, "facts": None}``; runs
        of whitespace (newlines included) in the texts become single spaces.

    Raises:
        FileNotFoundError: no such file.
        ValueError: a line is not valid JSON or not an object, lacks a field, holds a non-string
            or empty article or summary, or is not UTF-8 (the message names the file and line).
    """
    check_max_examples(max_examples)
    if summary_key is None or summary_key in _SUMMARY_FALLBACKS:
        first = summary_key or _SUMMARY_FALLBACKS[0]
        summary_keys = (first,) + tuple(key for key in _SUMMARY_FALLBACKS if key != first)
    else:
        summary_keys = (summary_key,)
    path = check_file(path, "JSON lines")
    examples = []
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if max_examples is not None and len(examples) >= max_examples:
                break
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValueError(f"{path}: line {number} is not valid UTF-8 ({error.reason} at "
                                 f"byte {error.start}); convert the file to UTF-8") from None
            if number == 1:
                line = line.lstrip("\ufeff")
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}: line {number} is not valid JSON ({error.msg} at "
                                 f"column {error.colno}): {line.strip()[:60]!r}") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}: line {number} is a JSON {type(record).__name__}, "
                                 f"expected an object with {article_key!r} and "
                                 f"{summary_keys[0]!r} fields")
            found = [key for key in summary_keys if key in record]
            if article_key not in record or not found:
                missing = repr(article_key) if article_key not in record else " or ".join(
                    repr(key) for key in summary_keys)
                raise ValueError(f"{path}: line {number} has no {missing} field; its fields "
                                 f"are {sorted(record)}")
            texts = {}
            for role, key in (("article", article_key), ("summary", found[0])):
                value = record[key]
                if not isinstance(value, str):
                    raise ValueError(f"{path}: line {number}: field {key!r} must be a string, "
                                     f"but it is a JSON {type(value).__name__}")
                texts[role] = clean_whitespace(value)
                if not texts[role]:
                    raise ValueError(f"{path}: line {number} has an empty {role} "
                                     f"(field {key!r})")
            examples.append(_record(texts["article"], texts["summary"]))
    return examples


def load_csv(path, article_column="article", summary_column="highlights", max_examples=None):
    """Read (article, summary) examples from a CSV file with a header row.

    The file is parsed with :class:`csv.DictReader`, so quoted fields may hold commas, quotes
    ("" inside quotes) and newlines.

    Args:
        path: str or os.PathLike, a UTF-8 CSV file (a byte-order mark is ignored).
        article_column, summary_column: header names of the article and summary columns.
        max_examples: optional int, stop after this many examples.

    Returns:
        list of dicts ``{"article": str, "summary": str, "topic": None, "facts": None}``; runs
        of whitespace (newlines included) in the texts become single spaces.

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file has no header, lacks a column (the message lists the columns
            found), a row has an empty article or summary (the message names the line), the
            CSV is malformed or the file is not UTF-8.
    """
    check_max_examples(max_examples)
    path = check_file(path, "CSV")
    examples = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            columns = reader.fieldnames
            if not columns:
                raise ValueError(f"{path}: the file is empty; expected a header row with "
                                 f"{article_column!r} and {summary_column!r} columns")
            missing = [name for name in (article_column, summary_column) if name not in columns]
            if missing:
                raise ValueError(f"{path}: missing column(s) {missing}; the columns found are "
                                 f"{list(columns)}")
            for row in reader:
                if max_examples is not None and len(examples) >= max_examples:
                    break
                if not any((value or "").strip() for value in row.values()
                           if isinstance(value, str)):
                    continue  # a blank line
                texts = {}
                for role, name in (("article", article_column), ("summary", summary_column)):
                    texts[role] = clean_whitespace(row.get(name) or "")
                    if not texts[role]:
                        raise ValueError(f"{path}: the row ending on line {reader.line_num} has "
                                         f"an empty {role} (column {name!r})")
                examples.append(_record(texts["article"], texts["summary"]))
        except csv.Error as error:
            raise ValueError(f"{path}: malformed CSV near line {reader.line_num}: "
                             f"{error}") from None
        except UnicodeDecodeError as error:
            raise ValueError(f"{path}: the file is not valid UTF-8 ({error.reason}); convert "
                             f"it to UTF-8") from None
    return examples


_CNN_DAILYMAIL = "cnn_dailymail"


def load_tfds_cnn_dailymail(data_dir, split="train", max_examples=None):
    """Read CNN/DailyMail from a TensorFlow Datasets directory prepared beforehand.

    Nothing is downloaded: ``cnn_dailymail`` must already be prepared under ``data_dir``, for
    example with ``tfds build cnn_dailymail --data_dir DATA_DIR`` (or
    ``tfds.builder("cnn_dailymail", data_dir=DATA_DIR).download_and_prepare()``) on a machine
    with internet access, then copied.

    Args:
        data_dir: str or os.PathLike, the TFDS data directory.
        split: the split to read, e.g. 'train', 'validation', 'test' or 'train[:1000]'.
        max_examples: optional int, stop after this many examples.

    Returns:
        list of dicts ``{"article": str, "summary": str, "topic": None, "facts": None}``; the
        summary is the "highlights" feature with its lines joined by spaces.

    Raises:
        FileNotFoundError: ``data_dir`` does not exist or does not hold the prepared dataset.
    """
    check_max_examples(max_examples)
    data_dir = os.fspath(data_dir)
    if not os.path.isdir(data_dir):
        raise FileNotFoundError(f"TFDS data directory {data_dir!r} does not exist (nothing is "
                                f"downloaded)")
    import tensorflow_datasets as tfds  # heavy: only imported when used

    try:
        builder = tfds.builder(_CNN_DAILYMAIL, data_dir=data_dir)
    except Exception as error:  # tfds raises several types for missing data
        raise FileNotFoundError(f"cannot open TFDS dataset {_CNN_DAILYMAIL!r} in "
                                f"{data_dir!r}: {error}") from error
    if not _tfds_is_prepared(builder):
        raise FileNotFoundError(
            f"TFDS dataset {_CNN_DAILYMAIL!r} is not prepared in {data_dir!r} (looked in "
            f"{builder.data_dir!r}) and nothing is downloaded; prepare it where there is "
            f"internet access, e.g. `tfds build {_CNN_DAILYMAIL} --data_dir {data_dir}`, and "
            f"copy the directory here")
    dataset = builder.as_dataset(split=split, shuffle_files=False)
    if max_examples is not None:
        dataset = dataset.take(max_examples)
    return [_record(clean_whitespace(_to_text(example["article"])), clean_whitespace(_to_text(example["highlights"])))
            for example in tfds.as_numpy(dataset)]


def _tfds_is_prepared(builder):
    """Whether a TFDS builder's data (dataset_info.json) exists on disk."""
    return os.path.isfile(os.path.join(builder.data_dir, "dataset_info.json"))


def _to_text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

def main(argv=None):
    """Print a few generated (article, summary) examples."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--n", type=int, default=3, help="number of examples (default: 3)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    parser.add_argument("--topics", nargs="+", choices=TOPICS, default=list(TOPICS),
                        help="topics to draw from (default: all)")
    parser.add_argument("--facts", action="store_true", help="also print the key facts")
    args = parser.parse_args(argv)
    if args.n < 0 or args.seed < 0:
        parser.error("--n and --seed must be >= 0")
    for index, example in enumerate(generate_examples(args.n, args.seed, args.topics)):
        print(f"--- example {index} ({example['topic']}) ---")
        print(f"ARTICLE: {example['article']}")
        print(f"SUMMARY: {example['summary']}")
        if args.facts:
            print(f"FACTS:   {example['facts']}")


if __name__ == "__main__":
    main()

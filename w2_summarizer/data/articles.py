"""The seeded generator of Week 2's news-like articles and reference summaries.

One builder per topic (:data:`~w2_summarizer.data.vocabulary.TOPICS`) draws the facts, the distractors
and the templates; :func:`iter_examples` and :func:`generate_examples` turn the builders into a stream and
a list of example dicts, after checking their arguments.
"""

from coursekit.names import FIRST_NAMES, LAST_NAMES, REGIONS, TOWNS
from coursekit.synthetic import a_or_an, capitalized, draw_forever, word_count
from coursekit.validation import check_int, check_names
from w2_summarizer.data.vocabulary import (COMPANIES, EVENTS, MAX_ARTICLE_WORDS, MAX_SUMMARY_WORDS,
                                           MIN_ARTICLE_WORDS, MIN_SUMMARY_WORDS, TEAMS, TOPICS, VENUES,
                                           _CONDITIONS, _DAYS, _GOAL_WORDS, _MONTHS, _QUARTERS,
                                           _WARNING_LEVELS)


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
    check_int("seed", seed)
    return draw_forever(seed, _example, check_names("topics", topics, TOPICS))


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
    check_int("n", n)
    stream = iter_examples(seed, topics)
    return [next(stream) for _ in range(n)]

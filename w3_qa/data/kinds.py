"""The four kinds of entity: one builder each of the title, facts, fill fields and sentence
templates of a paragraph (:data:`_KIND_BUILDERS`, used by :mod:`w3_qa.data.paragraphs`).
"""
from coursekit.names import REGIONS
from w3_qa.data.draws import _derived
from w3_qa.data.vocabulary import (
    _CHILDREN, _EVENT_AFTER, _ORDINALS, _ORGANISATION_BASES, _ORGANISATION_BEFORE, _PLACE_AFTER,
    _PLACE_BEFORE, _STRUCTURES, _WORK_FIRST, _WORK_SECOND, BUILDINGS, EVENT_TYPES, FIELDS,
    ORGANISATION_TYPES, PROFESSIONS, RIVERS, TOWNS)

# ---------------------------------------------------------------------------------------------
# Kinds. Each returns (title, facts, fill, leads, units, extra, details). The templates are
# str.format strings filled from ``fill`` (the facts, the derived fields and the distractors).
# ``leads`` are (template, names of units it makes unnecessary); ``units`` are (name, phrasings),
# one phrasing of each used; one or two ``extra`` sentences and as many ``details`` as fit are
# added. Units and extras are shuffled behind the lead.
# ---------------------------------------------------------------------------------------------

def _surname(name):
    return name.split()[-1]


def _work(d, pool, profession):
    structures = _STRUCTURES.get(profession)
    if structures is not None:
        return pool.fresh(lambda: f"{d.pick(TOWNS)} {d.pick(structures)}")
    return pool.fresh(lambda: f"{d.pick(_WORK_FIRST)} {d.pick(_WORK_SECOND)}")


def _person(d, pool):
    name = pool.person()
    mentor, rival, critic = pool.person(), pool.person(), pool.person()
    birth_town, death_town, move_town = pool.town(), pool.town(), pool.town()
    profession = d.pick(tuple(PROFESSIONS))
    work_noun, count_noun, past, _, low, high = PROFESSIONS[profession]
    work = _work(d, pool, profession)
    life = d.randint(45, 92)
    birth = d.randint(1600, 1990 - life)
    age = pool.year(life, life)  # not a year, but distinct from the numbers drawn later
    birth_year, death_year = pool.year(birth, birth), pool.year(birth + life, birth + life)
    step = 50 if high > 5000 else 1
    count, rival_count = pool.number(low, high, step), pool.number(low, high, step)
    move_year = pool.year(birth + 16, birth + 22)
    work_year = pool.year(birth + 25, birth + 40)
    return_year = pool.year(birth + 41, birth + life - 2)
    critic_year = pool.year(birth + 23, birth + life - 1)
    facts = {"name": name, "profession": profession, "birth_year": birth_year,
             "birth_town": birth_town, "work": work, "mentor": mentor, "death_year": death_year,
             "count": count}
    fill = dict(_derived("person", name, facts), short=_surname(name),
                mentor_short=_surname(mentor), rival=rival, critic=critic,
                death_town=death_town, move_town=move_town, rival_count=rival_count, age=age,
                move_year=move_year, work_year=work_year, return_year=return_year,
                critic_year=critic_year, count_verb=past,
                work_subject=work if work_noun else "The " + work,
                work_ref=work if work_noun else "the " + work,
                ordinal=d.pick(_ORDINALS), children=d.pick(_CHILDREN))
    leads = (
        ("{name} ({birth_year}-{death_year}) was {a_profession} from {birth_town}.", ()),
        ("{name} was {a_profession} who lived from {birth_year} to {death_year}.", ()),
        ("{name} ({birth_year}-{death_year}) was {a_profession} best known for {the_work}.",
         ("work",)),
        ("{name}, {a_profession} from {birth_town}, lived from {birth_year} to {death_year}.", ()),
    )
    units = (
        ("birth", ("{short} was born in {birth_town} in {birth_year}.",
                   "{short} was born in {birth_year} in the town of {birth_town}.",
                   "Born in {birth_town} in {birth_year}, {short} was the {ordinal} of {children} "
                   "children.")),
        ("home", ("In {return_year}, {short} returned to {birth_town} for good.",
                  "A statue of {short} now stands in {birth_town}.",
                  "The town of {birth_town} named a street after {short}.",
                  "{short} often went back to {birth_town} to rest.")),
        ("work", ("{short}'s best-known work is {the_work}.",
                  "{short} is best remembered for {the_work}, finished in {work_year}.",
                  "The work that made {short} famous was {the_work}.")),
        ("work2", ("{work_subject} was finished in {work_year}.",
                   "{short} finished {work_ref} in {work_year}.")),
        ("mentor", ("{short} studied under {mentor} in {move_town}.",
                    "As a young {profession}, {short} was taught by {mentor}.",
                    "{short} was a pupil of {mentor} for several years.")),
        ("mentor2", ("{mentor_short} later called {short} the best pupil of a long career.",
                     "{short} and {mentor_short} stayed close friends.",
                     "Many letters between {short} and {mentor_short} survive.")),
        ("count", ("{short} {count_verb} {count} {count_noun} in all.",
                   "In a long career, {short} {count_verb} {count} {count_noun}.",
                   "Over the years, {short} {count_verb} {count} {count_noun}.")),
        ("death", ("{short} died in {death_town} in {death_year}.",
                   "{short} died in {death_year} at the age of {age}.",
                   "In {death_year}, {short} died at home in {death_town}.")),
        ("rival", ("The great rival of {short} was {rival}, who {count_verb} {rival_count} "
                   "{count_noun}.",
                   "{rival}, a rival, {count_verb} {rival_count} {count_noun}.")),
    )
    extra = (
        "In {move_year}, {short} moved to {move_town} to work.",
        "{short} spent the years after {move_year} in {move_town}.",
        "The critic {critic} praised the work of {short} in {critic_year}.",
        "{short} met {rival} in {move_town} in {move_year}.",
    )
    details = (
        "Little is known about the early years of {short}.",
        "{short} rarely spoke about money or fame.",
        "Critics were divided at the time.",
        "Several schools now carry the name of {short}.",
        "{short} kept detailed notebooks for most of a long career.",
        "Friends described {short} as patient, careful and quiet.",
        "Later writers often returned to the ideas of {short}.",
        "The family had little money.",
        "Interest in {short} grew again after a new biography appeared.",
        "Much of the early work is now lost.",
        "{short} travelled widely but disliked the sea.",
        "A large collection of papers is kept in a public library.",
    )
    return name, facts, fill, leads, units, extra, details


def _place_name(d):
    return f"{d.pick(_PLACE_BEFORE)}{d.pick(TOWNS)}{d.pick(_PLACE_AFTER)}"


def _place(d, pool):
    name = pool.fresh(_place_name, d)
    region, region_b = pool.pick(REGIONS), pool.pick(REGIONS)
    river, river_b = pool.pick(RIVERS), pool.pick(RIVERS)
    founder, mayor = pool.person(), pool.person()
    twin_town, port_town = pool.town(), pool.town()
    building, building_b = pool.pick(BUILDINGS), pool.pick(BUILDINGS)
    founding = d.randint(1600, 1850)
    founding_year = pool.year(founding, founding)
    building_year = pool.year(founding + 5, founding + 120)
    census_year = pool.year(founding + 30, 1900)
    rail_year = pool.year(1830, 1910)
    demolish_year = pool.year(1900, 1975)
    twin_year = pool.year(1950, 1990)
    population = pool.number(3000, 90000, 100)
    size = int(population.replace(",", ""))
    old_population = pool.number(size // 10, size // 2, 10)
    facts = {"name": name, "region": region, "founding_year": founding_year,
             "population": population, "river": river, "founder": founder,
             "building": building, "twin_town": twin_town}
    fill = dict(facts, region_b=region_b, river_b=river_b, mayor=mayor,
                founder_short=_surname(founder), port_town=port_town, building_b=building_b,
                building_year=building_year, census_year=census_year, rail_year=rail_year,
                demolish_year=demolish_year, twin_year=twin_year, old_population=old_population)
    leads = (
        ("{name} is a market town in the {region}, on the {river}.", ("river",)),
        ("{name} is a small town on the {river} in the {region}.", ("river",)),
        ("{name} is a town in the {region} with a population of {population}.", ("population",)),
        ("{name} is an old town in the {region}, founded in {founding_year}.", ()),
    )
    units = (
        ("founding", ("{name} was founded in {founding_year} by {founder}.",
                      "{name} was founded by {founder} in {founding_year}.",
                      "{founder} founded {name} in {founding_year} as a river port.")),
        ("founding2", ("The charter {founder_short} signed in {founding_year} is kept in the "
                       "{building}.",
                       "In {founding_year}, {founder_short} built the first houses by the river.",
                       "A statue of {founder_short} recalls the founding in {founding_year}.")),
        ("population", ("The town has a population of {population}.",
                        "About {population} people live there today.",
                        "Its population is {population}.")),
        ("population2", ("In {census_year}, only {old_population} people lived there.",
                         "The population was {old_population} in {census_year}.")),
        ("river", ("The {river} runs through the middle of the town.",
                   "The town grew up around a crossing of the {river}.")),
        ("river2", ("Below the town, the {river} meets the {river_b}.",
                    "Barges once carried wool down the {river} to {port_town}.")),
        ("building", ("The town is known for the {building}, built in {building_year}.",
                      "Its best-known building is the {building}.",
                      "The {building}, built in {building_year}, is the pride of the town.")),
        ("twin", ("The town is twinned with {twin_town} in the {region_b}.",
                  "Since {twin_year}, it has been twinned with {twin_town}.")),
        ("twin2", ("Every summer a group from {twin_town} visits.",
                   "Pupils from {twin_town} come to stay every year.")),
        ("mayor", ("The present mayor is {mayor}.", "{mayor} is the mayor.")),
    )
    extra = (
        "The old {building_b} was pulled down in {demolish_year}.",
        "The mayor has written a short history of the town.",
        "The railway reached the town in {rail_year}.",
    )
    details = (
        "The town holds a market every week.",
        "Many of the older houses are built of local stone.",
        "Tourism has become important in recent years.",
        "The town has two schools and a small hospital.",
        "A local football club plays on the edge of town.",
        "Fishing was once the main trade.",
        "The farmland around it is known for sheep and barley.",
        "Walkers often use the town as a base for the hills.",
        "A bus service links it to the larger towns nearby.",
        "The church bells can be heard across the valley.",
        "Several old inns stand along the main street.",
    )
    return name, facts, fill, leads, units, extra, details


def _organisation_name(d):
    return (f"{d.pick(_ORGANISATION_BEFORE)}{d.pick(_ORGANISATION_BASES)} "
            f"{d.pick(tuple(ORGANISATION_TYPES))}")


def _organisation(d, pool):
    name = pool.fresh(_organisation_name, d)
    rival_name = pool.fresh(_organisation_name, d)
    short = name.split()[-1]
    founder, leader, secretary = pool.person(), pool.person(), pool.person()
    headquarters, old_town, new_town = pool.town(), pool.town(), pool.town()
    field, field_b = pool.pick(FIELDS), pool.pick(FIELDS)
    founding = d.randint(1600, 1900)
    founding_year = pool.year(founding, founding)
    old_year = pool.year(founding + 1, founding + 9)
    founder_end_year = pool.year(founding + 10, founding + 40)
    move_year = pool.year(founding + 41, 1945)
    leader_year = pool.year(1950, 1990)
    secretary_year = pool.year(1950, 1990)
    members = pool.number(300, 60000, 10)
    size = int(members.replace(",", ""))
    old_members = pool.number(12, max(20, size // 10))
    facts = {"name": name, "founding_year": founding_year, "founder": founder,
             "headquarters": headquarters, "members": members, "field": field,
             "leader": leader}
    fill = dict(_derived("organisation", name, facts), short=short, rival_name=rival_name,
                founder_short=_surname(founder), leader_short=_surname(leader),
                old_town=old_town, new_town=new_town, field_b=field_b, old_year=old_year,
                founder_end_year=founder_end_year, move_year=move_year,
                leader_year=leader_year, old_members=old_members, secretary=secretary,
                secretary_year=secretary_year)
    leads = (
        ("The {name} is a body devoted to {field}, based in {headquarters}.", ()),
        ("The {name} is an organisation that promotes {field}.", ()),
        ("Founded in {founding_year}, the {name} works to promote {field}.", ()),
        ("The {name} is one of the oldest bodies devoted to {field}.", ()),
    )
    units = (
        ("founding", ("The {name} was founded in {founding_year} by {founder}.",
                      "{founder} founded the {name} in {founding_year}.",
                      "The {name} was set up by {founder} in {founding_year}.")),
        ("founding2", ("The first meeting, in {founding_year}, was held in the house of "
                       "{founder_short}.",
                       "{founder_short} ran the {short} from {founding_year} until "
                       "{founder_end_year}.")),
        ("headquarters", ("The {short} has its headquarters in {headquarters}.",
                          "The {short} is based in {headquarters}.")),
        ("headquarters2", ("The {short} moved to {headquarters} from {old_town} in {move_year}.",
                           "Its library in {headquarters} is open to the public.")),
        ("members", ("The {short} has {members} {member_noun}.",
                     "Today the {short} has about {members} {member_noun}.")),
        ("members2", ("In {old_year}, the {short} had only {old_members} {member_noun}.",
                      "There were {old_members} {member_noun} in {old_year}.")),
        ("leader", ("Since {leader_year}, the {short} has been led by {leader}.",
                    "{leader} became head of the {short} in {leader_year}.")),
        ("leader2", ("{leader_short} has said the {short} will open an office in {new_town}.",
                     "Under {leader_short}, the {short} has grown quickly.")),
        ("secretary", ("{secretary} has been its secretary since {secretary_year}.",
                       "The secretary, {secretary}, keeps the records of the {short}.")),
    )
    extra = (
        "A rival body, the {rival_name}, works on {field_b}.",
        "The {rival_name}, based in {old_town}, is devoted to {field_b}.",
        "The {short} opened a branch in {new_town} in {move_year}.",
    )
    details = (
        "The {short} publishes a journal twice a year.",
        "Its library holds several thousand books.",
        "Its lectures are open to the public.",
        "The {short} gives a prize every year.",
        "Members meet once a month.",
        "Funding comes from gifts and fees.",
        "The {short} keeps a large archive of letters and papers.",
        "Young people can join at a lower fee.",
        "The {short} has long worked with schools.",
        "Its annual dinner is a well-known event.",
    )
    return name, facts, fill, leads, units, extra, details


def _event(d, pool):
    type_ = d.pick(tuple(EVENT_TYPES))
    spec = EVENT_TYPES[type_]
    name = pool.fresh(lambda: d.pick(spec["patterns"]).format(d.pick(TOWNS) + d.pick(_EVENT_AFTER)))
    town, far_town, earlier_town = pool.town(), pool.town(), pool.town()
    leader, historian = pool.person(), pool.person()
    year_ = d.randint(1660, 1960)
    year = pool.year(year_, year_)
    earlier_year = pool.year(year_ - 60, year_ - 5)
    history_year = pool.year(year_ + 20, year_ + 150)
    low, high, step = spec["range"]
    number, other_number = pool.number(low, high, step), pool.number(low, high, step)
    outcome, other_outcome = pool.pick(spec["outcomes"]), pool.pick(spec["outcomes"])
    facts = {"name": name, "year": year, "town": town, "leader": leader, "number": number,
             "outcome": outcome}
    fill = dict(_derived("event", name, facts), noun=spec["noun"], verb=spec["verb"],
                leader_short=_surname(leader), historian=historian, far_town=far_town,
                earlier_town=earlier_town, earlier_year=earlier_year,
                history_year=history_year, other_number=other_number,
                other_outcome=other_outcome)
    leads = (
        ("The {name} {verb} {town} in {year}.", ()),
        ("In {year}, the {name} {verb} {town}.", ()),
        ("The {name} {verb} {town} in {year} and is still remembered there.", ()),
    )
    units = (
        ("year2", ("News of the {noun} reached {far_town} before the end of {year}.",
                   "{year} was long remembered in {town} as the year of the {noun}.")),
        ("town2", ("A memorial in {town} recalls the {name}.",
                   "{town} still marks the {name} every year.",
                   "Visitors to {town} can see a plaque about the {name}.")),
        ("leader", (spec["leader"], "The leading figure in the {noun} was {leader}.")),
        ("leader2", ("{leader_short} later wrote an account of those days.",
                     "{leader_short} became famous because of the {noun}.")),
        ("number", ("{number} {count_noun} {count_verb} the {noun}.",
                    "In all, {number} {count_noun} {count_verb} the {noun}.")),
        ("outcome", ("The {noun} led to {outcome}.",
                     "One lasting result of the {noun} was {outcome}.")),
        ("earlier", ("In {earlier_year}, a {noun} in {earlier_town} involved {other_number} "
                     "{count_noun}.",
                     "A {noun} in {earlier_town} in {earlier_year} had led to {other_outcome}.")),
        ("historian", ("{historian} wrote a history of the {noun} in {history_year}.",
                       "The historian {historian} studied the {noun} in {history_year}.")),
    )
    extra = (
        "{historian} gave a lecture on the {noun} in {far_town}.",
        "Some of those involved later moved to {far_town}.",
        "The {noun} is often compared with the events of {earlier_year} in {earlier_town}.",
    )
    details = (
        "Newspapers across the country reported on the {noun}.",
        "Historians still argue about its causes.",
        "Letters from the time describe the mood in the streets.",
        "Several songs were written about the {noun}.",
        "Few official records from the time survive.",
        "Paintings of the scene still hang in local homes.",
        "Schools in the area still teach its story.",
        "The town museum holds a small collection of objects from those days.",
        "The weather that year had been unusually wet.",
        "For many families it was a time they never forgot.",
    )
    return name, facts, fill, leads, units, extra, details


_KIND_BUILDERS = {"person": _person, "place": _place, "organisation": _organisation,
                  "event": _event}

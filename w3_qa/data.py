"""Encyclopedic paragraphs, SQuAD-style questions and NLI pairs for Week 3, from a seeded template
bank.

Week 3 pre-trains an encoder-decoder with T5 span corruption on unlabeled paragraphs, then
fine-tunes it on (question, context, answer) triples over held-out paragraphs. Span corruption
only helps question answering if filling a masked span teaches the skill that answering needs:
copying a name or a number from elsewhere in the input. The paragraphs are built for that:

* Each paragraph describes one entity of one of four kinds (:data:`KINDS`):

  - ``person``: a painter, engineer, botanist, composer, ... (name, birth year and town,
    profession, best-known work, teacher, year of death, a count such as "wrote 14 novels");
  - ``place``: a town (region, founding year, population, river, founder, best-known building,
    twin town);
  - ``organisation``: a society, institute, guild, ... (founding year, founder, headquarters,
    number of members or staff, field, present leader);
  - ``event``: a treaty, battle, flood, fire, strike, ... (year, town, leading figure, a number
    such as houses destroyed or soldiers, outcome).

* Key facts appear at least twice where that is natural: the full name opens the paragraph and
  the surname comes back later ("Ada Lorimer (1843-1901) was a painter ... Lorimer was born in
  Lorvik in 1843 ... In 1889, Lorimer returned to Lorvik for good."), and so do the towns, the
  years, the teacher, founder or leader (surname), the river, the twin town and a person's
  best-known work. A model that learns to restore a masked mention from its other mention has
  learnt to copy names and numbers from the context.
* Every paragraph holds distractors of the facts' types: other people (a rival, a mayor, a
  secretary, a historian), other towns, other years, other numbers of the same kind ("In 1850, only 2,100
  people lived there."), another region, river, field or outcome. No question is answerable as
  "the only year in the text".
* A fixed-kind lead sentence (one of several phrasings) opens the paragraph; the other sentences
  (one of several phrasings each) are shuffled behind it, with one or two extra distractor
  sentences and, up to a random target length, neutral detail sentences. Paragraphs have
  50-110 words (split on whitespace), about 100 on average.

:func:`generate_paragraphs` (and the endless :func:`iter_paragraphs`) yields dicts ``{"title",
"kind", "text", "facts"}``; every fact value appears word for word in the text, and the first
mention of a value (as whole words) is a mention of that fact. :func:`qa_examples` turns a
paragraph into SQuAD v1.1-style examples, one question per fact key of :data:`QUESTION_TYPES`
(answers of 1-4 words copied from the context, with their character offset);
:func:`nli_examples` makes balanced entailment/neutral/contradiction pairs from the facts; and
:func:`make_splits` builds a pre-training corpus plus train/eval/test question sets over disjoint
paragraphs (no title or text shared between splits).

Names are invented (ASCII only; the person and town lists extend Week 2's), so the whole corpus
has a modest vocabulary (under 3,000 distinct lowercase words, numbers aside) that a 2,000-piece
BPE tokenizer covers well. Years lie in 1600-1990 and are written as digits; large numbers have
thousands commas ("12,400").

The module also reads a user's own data, never downloading anything: :func:`load_squad_json`
(SQuAD v1.1/v2.0 JSON), :func:`load_c4_jsonl` (C4-style JSON lines) and :func:`load_mnli_tsv`
(GLUE's MNLI TSV). It does not import trax or jax. ``python -m w3_qa.data --n 3 --seed 0``
prints a few generated paragraphs and their questions.
"""
import argparse
import csv
import json

import numpy as np

from coursekit.loaders import check_file, check_max_examples, clean_whitespace
from coursekit.names import FIRST_NAMES as _SHARED_FIRST_NAMES
from coursekit.names import LAST_NAMES as _SHARED_LAST_NAMES
from coursekit.names import REGIONS
from coursekit.names import TOWNS as _SHARED_TOWNS
from coursekit.synthetic import Draws, a_or_an, capitalized, word_count

KINDS = ("person", "place", "organisation", "event")
NLI_LABELS = ("entailment", "neutral", "contradiction")

MIN_PARAGRAPH_WORDS = 50
MAX_PARAGRAPH_WORDS = 110

# ---------------------------------------------------------------------------------------------
# Names (invented, ASCII only)
# ---------------------------------------------------------------------------------------------

FIRST_NAMES = _SHARED_FIRST_NAMES + (
    "Ada", "Edwin", "Mabel", "Arthur", "Agnes", "Walter", "Edith", "Henry", "Florence", "Albert",
    "Martha", "George", "Harriet", "Eliza", "Frederick", "Beatrice", "Isaac", "Louisa", "Silas",
    "Cora", "Jasper", "Ida", "Milo", "Vera", "Rupert", "Lena", "Ambrose", "Greta", "Tobias",
    "Cyril", "Maud", "Elias", "Hester", "Simon", "Judith", "Conrad", "Nora", "Gideon", "Alma",
    "Bernard", "Celia", "Dorian", "Esther", "Franz", "Gwen", "Horace", "Ingrid", "Jules",
    "Lionel", "Marta", "Nils", "Percy", "Rhoda", "Stefan", "Thea", "Ulric", "Viola", "Wilfred",
    "Agatha", "Cecily", "Elsa", "Fabian", "Hector", "Imogen", "Magnus", "Nadia", "Otto", "Petra",
    "Rufus", "Selma", "Tristan", "Abel", "Bridget", "Cedric", "Delia", "Edgar", "Freya", "Gilbert",
    "Hilda", "Ira", "Josephine", "Kurt", "Lydia", "Morris", "Nell", "Oswald", "Phoebe", "Ralph",
    "Sybil", "Tilda", "Vincent", "Winifred", "Aldo", "Bettina", "Clement", "Dora", "Emil",
    "Flora", "Gustav", "Hattie", "Ignatius", "Jane", "Konrad", "Leonie", "Matilda", "Neville",
    "Orla",
)
LAST_NAMES = _SHARED_LAST_NAMES + (
    "Lorimer", "Ashdown", "Blackett", "Crane", "Dunmore", "Elwood", "Fairclough", "Gresham",
    "Hartley", "Ingram", "Jarvis", "Kingsley", "Langford", "Merrick", "Norris", "Ormond",
    "Pembury", "Radley", "Selwyn", "Tilbury", "Varley", "Whitlock", "Aldous", "Barrow",
    "Cresswell", "Darrow", "Eldridge", "Fenwick", "Goddard", "Hollis", "Jennings", "Keble",
    "Lacey", "Mowbray", "Nuttall", "Osgood", "Pickering", "Rainford", "Stanhope", "Tremaine",
    "Underwood", "Vesey", "Winslow", "Ackroyd", "Beckett", "Colley", "Dawlish", "Eckersley",
    "Gilchrist", "Hebden", "Joliffe", "Lyle", "Maddox", "Northcote", "Penrose", "Rooke", "Sayer",
    "Talbot", "Ullman", "Wragg", "Abney", "Bellamy", "Corbin", "Dymond", "Fothergill", "Greaves",
    "Hurst", "Jellicoe", "Kershaw", "Lumley", "Mallory", "Oldroyd", "Parfitt", "Ridley",
    "Stannard", "Tolley", "Vickers", "Wadsworth", "Brereton", "Calloway", "Dexter", "Emsley",
    "Fairbairn", "Gillow", "Haworth", "Inchbald", "Loxley", "Midgley", "Nettleton", "Ogden",
    "Pilling", "Royle", "Sumner", "Thwaite", "Unsworth", "Walmsley", "Birtwistle", "Clegg",
    "Dobson", "Entwistle", "Fielding", "Grimshaw", "Holroyd", "Jagger", "Kitson", "Lomax",
    "Mellor", "Naylor", "Ashcroft", "Bardsley", "Cottam", "Duckworth", "Eastwood", "Faulkner",
    "Gaskell", "Hesketh", "Ibbotson", "Jowett", "Kenyon", "Lightfoot", "Marlowe", "Noble",
    "Ormerod", "Pollard", "Rushton", "Scarlett", "Tattersall", "Uttley", "Whiteley", "Armitage",
    "Blundell", "Crossley", "Dewhurst", "Eccles", "Foulds", "Greenhalgh", "Hargreaves",
    "Ingham", "Jepson", "Knowles", "Leyland", "Marsden", "Nuttley", "Oddie", "Platt", "Riley",
    "Sutcliffe", "Tetley", "Varey", "Waddington", "Aspinall", "Bolton", "Catterall", "Dakin",
    "Fenton", "Gledhill", "Horrocks", "Kay",
)
_TOWN_STARTS = ("Aber", "Ald", "Bal", "Bel", "Bram", "Car", "Cor", "Dal", "Dun", "Els", "Fen",
                "Gar", "Glen", "Hal", "Hart", "Kel", "Kin", "Lan", "Lor", "Mar", "Mor", "Nor",
                "Pen", "Ros", "Sel", "Tal", "Tor", "Wen", "Wyn", "Yar", "Bran", "Cul", "Stan")
_TOWN_ENDS = ("vik", "by", "ford", "ham", "mere", "wick", "ton", "stead", "combe", "dale")
# The shared towns (coursekit.names, Week 2's), then invented ones such as "Lorvik" and "Corford" (not a person's name).
TOWNS = _SHARED_TOWNS + tuple(
    start + end for start in _TOWN_STARTS for end in _TOWN_ENDS
    if start + end not in _SHARED_TOWNS and start + end not in LAST_NAMES)
# Town titles of "place" paragraphs: "Lorvik", "North Lorvik", "Lorvik Green", "Upper Lorvik Heath".
_PLACE_BEFORE = ("", "North ", "South ", "East ", "West ", "Upper ", "Lower ", "Great ",
                 "Little ", "Old ", "New ", "Kings ")
_PLACE_AFTER = ("", " Green", " Cross", " Heath", " Wells", " Hill", " Market")
# Rivers are written "the River Ley"; the facts hold "River Ley".
RIVERS = tuple("River " + name for name in (
    "Ley", "Tarn", "Wend", "Alder", "Ember", "Frith", "Gade", "Hodder", "Lune", "Mease", "Brede",
    "Cale", "Glyme", "Tove", "Ouse", "Nidd", "Rother", "Swale", "Teme", "Ure", "Yeo", "Leven",
    "Wharfe", "Yare", "Kyle", "Penk", "Sid", "Ver", "Irk", "Fal", "Hamble", "Calder", "Esk",
    "Brue", "Loddon", "Stour",
))
BUILDINGS = (
    "Market Hall", "Corn Exchange", "Grey Tower", "Abbey Church", "Guild House", "Wool Hall",
    "Clock Tower", "Salt House", "Old School", "Castle Keep", "Gate House", "Round Tower",
    "Priory Church", "Stone Hall", "Custom House", "Mill House", "Court House", "Water Mill",
    "Tithe Barn", "Bell Tower", "Chapel Royal", "Merchant House", "Opera House", "Assembly Rooms",
)
PROFESSIONS = {
    # profession: (kind of best-known work, or None for a structure named after a town; what the
    # count counts; the count's verb, past and present; the count's range)
    "painter": ("painting", "paintings", "painted", "paint", 40, 600),
    "composer": ("opera", "songs", "wrote", "write", 20, 400),
    "novelist": ("novel", "novels", "wrote", "write", 4, 40),
    "poet": ("poem", "poems", "wrote", "write", 40, 900),
    "sculptor": ("statue", "statues", "made", "make", 8, 120),
    "engineer": (None, "bridges", "built", "build", 4, 60),
    "architect": (None, "buildings", "designed", "design", 10, 140),
    "botanist": ("book", "plants", "named", "name", 20, 700),
    "astronomer": ("book", "comets", "found", "find", 2, 30),
    "mapmaker": ("atlas", "maps", "drew", "draw", 30, 900),
    "historian": ("book", "books", "wrote", "write", 3, 30),
    "photographer": ("book", "photographs", "took", "take", 800, 9000),
    "physician": ("book", "hospitals", "founded", "found", 2, 12),
    "explorer": ("book", "voyages", "made", "make", 3, 20),
}
_STRUCTURES = {"engineer": ("Bridge", "Canal", "Viaduct", "Lighthouse", "Dam", "Tunnel"),
               "architect": ("Library", "Theatre", "Chapel", "Museum", "Tower", "Town Hall")}
_WORK_FIRST = ("Grey", "Winter", "Silent", "Golden", "Northern", "Evening", "Quiet", "Broken",
               "Distant", "Hidden", "Lost", "Summer", "Bright", "Hollow", "Wild", "Last")
_WORK_SECOND = ("Harbour", "Orchard", "Shore", "Garden", "Lantern", "Meadow", "Tide", "Window",
                "Road", "Bell", "Harvest", "Fields", "Voices", "Island", "Light", "Rain",
                "Letters", "Sky")
ORGANISATION_TYPES = {
    # The last word of an organisation's name, and what its count counts.
    "Society": "members", "Institute": "staff", "Company": "employees", "Trust": "staff",
    "Guild": "members", "Club": "members", "Academy": "members", "Union": "members",
    "League": "members", "Association": "members", "Foundation": "staff", "College": "students",
}
_ORGANISATION_BEFORE = ("", "Royal ", "National ", "Northern ", "Southern ", "Western ",
                        "Eastern ", "United ", "Free ")
_ORGANISATION_NAMES = (
    "Corvane", "Haldor", "Arden", "Brightmoor", "Castell", "Delamere", "Everholt", "Fairmont",
    "Greyfield", "Hawksmoor", "Ivelle", "Juniper", "Kestrel", "Linwood", "Meridian", "Nightingale",
    "Oakridge", "Pemberton", "Quarrel", "Ravenhill", "Silverdale", "Thornfield", "Umber",
    "Vireo", "Westbrook", "Ashgrove", "Beacon", "Coldstream", "Dunwich", "Evergreen",
    "Foxglove", "Goldcrest", "Heron", "Ironbridge", "Kingfisher", "Lodestar", "Mayfield",
    "Northstar", "Osprey", "Pinecrest", "Redwing", "Stonebridge", "Tamarind", "Wren",
)
# An organisation is named after an invented word or a person: "Corvane Society", "Royal Lorimer
# Institute".
_ORGANISATION_BASES = _ORGANISATION_NAMES + LAST_NAMES
FIELDS = (
    "botany", "astronomy", "mapmaking", "shipbuilding", "local history", "public health",
    "river trade", "railway building", "clock making", "printing", "beekeeping", "geology",
    "weather records", "lifeboat rescue", "adult education", "folk music", "bird watching",
    "fruit growing", "bridge building", "sea fishing", "church music", "poor relief",
    "road building", "wool weaving",
)
# Event types: the name patterns (filled with a town's name, e.g. "Treaty of Lorvik"), the short
# name used in the text, the verb that places it in a town, who led it, what its number counts
# (with the verb that links them), the number's range and step, and possible outcomes.
EVENT_TYPES = {
    "Treaty": {
        "patterns": ("Treaty of {}", "Second Treaty of {}", "First Treaty of {}"),
        "noun": "treaty", "verb": "was signed in",
        "leader": "The talks were led by {leader}.", "question": "led the talks for the {name}",
        "count_noun": "delegates", "count_verb": "took part in", "range": (12, 300, 1),
        "outcomes": ("a new border", "free trade", "a lasting peace", "open river trade",
                     "a shared navy", "lower taxes", "a royal marriage"),
    },
    "Battle": {
        "patterns": ("Battle of {}", "Second Battle of {}", "First Battle of {}"),
        "noun": "battle", "verb": "was fought near",
        "leader": "{leader} led the winning side.",
        "question": "led the winning side at the {name}",
        "count_noun": "soldiers", "count_verb": "fought in", "range": (800, 30000, 100),
        "outcomes": ("a new border", "a long truce", "a change of rulers", "a new castle",
                     "years of peace"),
    },
    "Flood": {
        "patterns": ("Great {} Flood", "{} Flood", "Great Flood of {}"),
        "noun": "flood", "verb": "struck",
        "leader": "{leader} led the relief work.",
        "question": "led the relief work after the {name}",
        "count_noun": "houses", "count_verb": "were destroyed in", "range": (40, 3000, 1),
        "outcomes": ("a new sea wall", "a new dam", "higher river banks", "a relief fund",
                     "new drainage canals"),
    },
    "Fire": {
        "patterns": ("Great Fire of {}", "{} Fire", "{} Market Fire"),
        "noun": "fire", "verb": "broke out in",
        "leader": "{leader} led the fight against the fire.",
        "question": "led the fight against the {name}",
        "count_noun": "buildings", "count_verb": "were destroyed in", "range": (20, 1500, 1),
        "outcomes": ("new building rules", "a town fire brigade", "wider streets",
                     "a ban on thatch", "brick houses"),
    },
    "Regatta": {
        "patterns": ("{} Regatta", "{} Summer Regatta", "Royal {} Regatta"),
        "noun": "regatta", "verb": "was held in",
        "leader": "The regatta was organised by {leader}.", "question": "organised the {name}",
        "count_noun": "crews", "count_verb": "took part in", "range": (12, 200, 1),
        "outcomes": ("a new boathouse", "a rowing club", "a yearly festival", "a racing cup"),
    },
    "Strike": {
        "patterns": ("{} Strike", "{} Dock Strike", "{} Mill Strike"),
        "noun": "strike", "verb": "began in",
        "leader": "{leader} led the strikers.", "question": "led the {name}",
        "count_noun": "workers", "count_verb": "joined", "range": (200, 20000, 50),
        "outcomes": ("higher wages", "shorter hours", "a new union", "safer working rules",
                     "a weekly half holiday"),
    },
    "Exhibition": {
        "patterns": ("{} Exhibition", "Great {} Exhibition", "{} Trade Exhibition"),
        "noun": "exhibition", "verb": "was held in",
        "leader": "The exhibition was organised by {leader}.", "question": "organised the {name}",
        "count_noun": "visitors", "count_verb": "came to", "range": (2000, 90000, 500),
        "outcomes": ("a new museum", "a public library", "a school of art", "a concert hall"),
    },
    "Expedition": {
        "patterns": ("{} Expedition", "First {} Expedition", "Second {} Expedition"),
        "noun": "expedition", "verb": "set out from",
        "leader": "The expedition was led by {leader}.", "question": "led the {name}",
        "count_noun": "men", "count_verb": "took part in", "range": (12, 240, 1),
        "outcomes": ("a detailed map", "a new trade route", "a new colony", "a book of travels"),
    },
    "Rising": {
        "patterns": ("{} Rising", "{} Bread Rising", "{} Farmers Rising"),
        "noun": "rising", "verb": "broke out in",
        "leader": "{leader} led the rising.", "question": "led the {name}",
        "count_noun": "rebels", "count_verb": "took part in", "range": (100, 8000, 50),
        "outcomes": ("a new charter", "lower bread prices", "votes for farmers",
                     "a general pardon"),
    },
}

# Event names: "Treaty of Lorvik", "Great Lorvik Heath Flood", "Battle of Lorvik Hill".
_EVENT_AFTER = ("", " Heath", " Green", " Hill", " Bay", " Wells")

_ORDINALS = ("eldest", "youngest", "second")
_CHILDREN = ("three", "four", "five", "six", "seven")

# Words that make two names in one paragraph clash: a paragraph never holds two names that share
# one of these (two people called Lorimer, the town Lorvik and the Lorvik Bridge, ...).
_PROPER = frozenset(FIRST_NAMES + LAST_NAMES + TOWNS + _ORGANISATION_NAMES
                    + tuple(river.split()[1] for river in RIVERS))

# ---------------------------------------------------------------------------------------------
# Questions and single-fact statements
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Per-paragraph draws
# ---------------------------------------------------------------------------------------------

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


def _rotated(items, start):
    return items[start:] + items[:start]


def _surname(name):
    return name.split()[-1]


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


# ---------------------------------------------------------------------------------------------
# Kinds. Each returns (title, facts, fill, leads, units, extra, details). The templates are
# str.format strings filled from ``fill`` (the facts, the derived fields and the distractors).
# ``leads`` are (template, names of units it makes unnecessary); ``units`` are (name, phrasings),
# one phrasing of each used; one or two ``extra`` sentences and as many ``details`` as fit are
# added. Units and extras are shuffled behind the lead.
# ---------------------------------------------------------------------------------------------

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

def _check_int(value, name, minimum=0):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, but got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, but got {value}")


def _check_kinds(kinds):
    """Validated kinds as a tuple in :data:`KINDS` order, without repeats."""
    if isinstance(kinds, str):
        raise TypeError(f"kinds must be a sequence of kind names such as ({kinds!r},), not a str")
    try:
        chosen = list(kinds)
    except TypeError:
        raise TypeError(f"kinds must be a sequence of kind names, but got "
                        f"{type(kinds).__name__}") from None
    if not chosen:
        raise ValueError(f"kinds must name at least one of {KINDS}, but it is empty")
    unknown = [kind for kind in chosen if kind not in KINDS]
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}; choose from {KINDS}")
    return tuple(kind for kind in KINDS if kind in chosen)


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
    _check_int(seed, "seed")
    kinds = _check_kinds(kinds)
    return _stream(seed, kinds)


def _stream(seed, kinds):
    d = Draws(seed)
    while True:
        yield _paragraph(d, d.pick(kinds))


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
    _check_int(n, "n")
    stream = iter_paragraphs(seed, kinds)
    return [next(stream) for _ in range(n)]


# ---------------------------------------------------------------------------------------------
# Questions and NLI pairs
# ---------------------------------------------------------------------------------------------

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


def _title_hash(title):
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
    _check_int(seed, "seed")
    if max_questions is not None:
        _check_int(max_questions, "max_questions")
    title, kind, context = paragraph["title"], paragraph["kind"], paragraph["text"]
    d = Draws([seed, _title_hash(title)])
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


_VALUE_TYPES = {
    "birth_year": "year", "death_year": "year", "founding_year": "year", "year": "year",
    "birth_town": "town", "twin_town": "town", "headquarters": "town", "town": "town",
    "mentor": "person", "founder": "person", "leader": "person",
    "count": "number", "population": "number", "members": "number", "number": "number",
}


def _other_value(d, paragraph, key):
    """A value of the same type as fact ``key`` of the paragraph that the text does not hold."""
    value, text = paragraph["facts"][key], paragraph["text"]
    type_ = _VALUE_TYPES.get(key, key)
    while True:
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
    _check_int(seed, "seed")
    d = Draws(seed)
    examples = []
    for paragraph in paragraphs:
        _check_paragraph(paragraph)
        kind, title = paragraph["kind"], paragraph["title"]
        fill = _derived(kind, title, paragraph["facts"])
        if kind == "person":
            fill["count_verb"] = fill["count_verb_past"]
        statements = _STATEMENTS[kind]
        keys = list(statements)
        d.shuffle(keys)
        for key in keys:
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


# ---------------------------------------------------------------------------------------------
# Splits
# ---------------------------------------------------------------------------------------------

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
    for name, size in sizes.items():
        if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or size < 0:
            raise ValueError(f"n_{name} must be an int >= 0, but got {size!r}")
    _check_int(seed, "seed")
    stream = iter_paragraphs(seed)
    titles, texts = set(), set()
    splits = {}
    misses = 0  # draws since the last new paragraph
    for name, size in sizes.items():
        split = []
        while len(split) < size:
            paragraph = next(stream)
            if paragraph["title"] in titles or paragraph["text"] in texts:
                misses += 1
                if misses > _MAX_REPEATS:  # pragma: no cover - the generator has ample variety
                    raise ValueError(f"could not find enough distinct paragraphs (found "
                                     f"{len(titles)})")
                continue
            misses = 0
            titles.add(paragraph["title"])
            texts.add(paragraph["text"])
            if name == "pretrain":
                split.append(paragraph)
            else:
                split.extend(qa_examples(paragraph, seed, max_questions=size - len(split)))
        splits[name] = split
    return {name: splits[name] for name in ("pretrain", "train", "eval", "test")}


# ---------------------------------------------------------------------------------------------
# Loaders for your own data
# ---------------------------------------------------------------------------------------------

def _expect(value, type_, where, what):
    if not isinstance(value, type_):
        expected = {list: "list", dict: "object", str: "string"}.get(type_, type_.__name__)
        raise ValueError(f"{where}: {what} must be a JSON {expected}, but it is a "
                         f"{type(value).__name__}")
    return value


def load_squad_json(path, max_examples=None):
    """Read question/answer examples from a SQuAD JSON file (v1.1, or v2.0).

    The file is ``{"version": ..., "data": [{"title": str, "paragraphs": [{"context": str,
    "qas": [{"id": str, "question": str, "answers": [{"text": str, "answer_start": int},
    ...]}]}]}]}``. The first answer of each question is used (SQuAD's dev set lists several).
    Questions without answers (SQuAD v2.0's ``"is_impossible": true``) are skipped without a
    warning: only answerable questions are returned, so ``len(result)`` is the number of
    answerable questions read. Texts are kept exactly as in the file (offsets stay valid).

    Args:
        path: str or os.PathLike, a UTF-8 JSON file (a byte-order mark is ignored).
        max_examples: optional int, stop after this many (answerable) examples.

    Returns:
        list of dicts ``{"id", "title", "question", "context", "answer", "answer_start"}`` like
        :func:`qa_examples`' (the title is the article's title, "" if it has none).

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file is not valid JSON or UTF-8, a record lacks a field or has the
            wrong type (the message names the article and question), or an answer's text is
            not at its answer_start in the context (the message names the question id).
    """
    check_max_examples(max_examples)
    path = check_file(path, "SQuAD JSON")
    try:
        with open(path, encoding="utf-8-sig") as handle:
            root = json.load(handle)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column "
                         f"{error.colno})") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: the file is not valid UTF-8 ({error.reason}); convert it to "
                         f"UTF-8") from None
    if not isinstance(root, dict) or "data" not in root:
        raise ValueError(f"{path}: expected a JSON object with a 'data' list (SQuAD format), "
                         f"but got a {type(root).__name__}"
                         + (f" with fields {sorted(root)}" if isinstance(root, dict) else ""))
    examples = []
    for a, article in enumerate(_expect(root["data"], list, path, "'data'")):
        where = f"{path}: data[{a}]"
        _expect(article, dict, where, "an article")
        title = article.get("title", "")
        if "paragraphs" not in article:
            raise ValueError(f"{where} (title {title!r}) has no 'paragraphs' field")
        for p, paragraph in enumerate(_expect(article["paragraphs"], list, where, "'paragraphs'")):
            at = f"{where}.paragraphs[{p}]"
            _expect(paragraph, dict, at, "a paragraph")
            for field in ("context", "qas"):
                if field not in paragraph:
                    raise ValueError(f"{at} (title {title!r}) has no {field!r} field")
            context = _expect(paragraph["context"], str, at, "'context'")
            for q, qa in enumerate(_expect(paragraph["qas"], list, at, "'qas'")):
                if max_examples is not None and len(examples) >= max_examples:
                    return examples
                _expect(qa, dict, f"{at}.qas[{q}]", "a question")
                missing = [field for field in ("id", "question") if field not in qa]
                if missing:
                    raise ValueError(f"{at}.qas[{q}] has no {missing[0]!r} field")
                qid = str(qa["id"])
                answers = qa.get("answers") or []
                if qa.get("is_impossible") or not answers:
                    continue  # unanswerable (SQuAD v2.0): skipped
                answer = _expect(answers[0], dict, f"{path}: question {qid!r}", "an answer")
                text, start = answer.get("text"), answer.get("answer_start")
                if not isinstance(text, str) or not text or isinstance(start, bool) \
                        or not isinstance(start, int):
                    raise ValueError(f"{path}: question {qid!r}: the first answer needs a "
                                     f"non-empty 'text' and an int 'answer_start', but got "
                                     f"{answer!r}")
                if context[start:start + len(text)] != text:
                    raise ValueError(f"{path}: question {qid!r}: the answer {text!r} is not at "
                                     f"answer_start {start} of its context (found "
                                     f"{context[start:start + len(text)]!r} there)")
                examples.append({"id": qid, "title": title,
                                 "question": _expect(qa["question"], str, f"{path}: question "
                                                     f"{qid!r}", "'question'"),
                                 "context": context, "answer": text, "answer_start": start})
    return examples


def load_c4_jsonl(path, text_key="text", max_examples=None):
    """Read texts from a C4-style JSON lines file, e.g. ``{"text": ..., "url": ...,
    "timestamp": ...}`` per line, for pre-training.

    Args:
        path: str or os.PathLike, a UTF-8 text file; blank lines are skipped and a byte-order
            mark at the start is ignored.
        text_key: the field that holds the text.
        max_examples: optional int, stop after this many texts.

    Returns:
        list of str; runs of whitespace (newlines included) become single spaces.

    Raises:
        FileNotFoundError: no such file.
        ValueError: a line is not valid JSON or not an object, lacks ``text_key``, holds a
            non-string or empty text, or is not UTF-8 (the message names the file and line).
    """
    check_max_examples(max_examples)
    path = check_file(path, "JSON lines")
    texts = []
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if max_examples is not None and len(texts) >= max_examples:
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
                                 f"expected an object with a {text_key!r} field")
            if text_key not in record:
                raise ValueError(f"{path}: line {number} has no {text_key!r} field; its fields "
                                 f"are {sorted(record)}")
            value = record[text_key]
            if not isinstance(value, str):
                raise ValueError(f"{path}: line {number}: field {text_key!r} must be a string, "
                                 f"but it is a JSON {type(value).__name__}")
            text = clean_whitespace(value)
            if not text:
                raise ValueError(f"{path}: line {number} has an empty text (field "
                                 f"{text_key!r})")
            texts.append(text)
    return texts


_MNLI_COLUMNS = ("sentence1", "sentence2", "gold_label")


def load_mnli_tsv(path, max_examples=None):
    """Read NLI pairs from an MNLI TSV file as GLUE distributes it (train.tsv, dev_matched.tsv).

    The file is tab-separated with a header row naming (at least) the columns "sentence1",
    "sentence2" and "gold_label"; it is read with ``csv.QUOTE_NONE``, as GLUE's files need (a
    sentence may hold a lone quote character). Rows whose gold_label is not one of
    :data:`NLI_LABELS` (e.g. "-", no consensus) are skipped, and so are blank lines.

    Args:
        path: str or os.PathLike, a UTF-8 TSV file (a byte-order mark is ignored).
        max_examples: optional int, stop after this many pairs.

    Returns:
        list of dicts ``{"premise": str, "hypothesis": str, "label": str}`` like
        :func:`nli_examples`'.

    Raises:
        FileNotFoundError: no such file.
        ValueError: the file is empty or not UTF-8, lacks a column (the message lists the
            columns found), or a row is too short for the needed columns (the message names
            the line).
    """
    check_max_examples(max_examples)
    path = check_file(path, "MNLI TSV")
    examples = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        try:
            header = next(reader, None)
            if not header:
                raise ValueError(f"{path}: the file is empty; expected a header row with "
                                 f"columns {list(_MNLI_COLUMNS)}")
            missing = [name for name in _MNLI_COLUMNS if name not in header]
            if missing:
                raise ValueError(f"{path}: missing column(s) {missing}; the columns found are "
                                 f"{header}")
            index = {name: header.index(name) for name in _MNLI_COLUMNS}
            needed = max(index.values()) + 1
            for row in reader:
                if max_examples is not None and len(examples) >= max_examples:
                    break
                if not any(field.strip() for field in row):
                    continue  # a blank line
                if len(row) < needed:
                    raise ValueError(f"{path}: line {reader.line_num} has {len(row)} "
                                     f"tab-separated fields, but the header needs at least "
                                     f"{needed}")
                label = row[index["gold_label"]].strip()
                if label not in NLI_LABELS:
                    continue
                examples.append({"premise": row[index["sentence1"]].strip(),
                                 "hypothesis": row[index["sentence2"]].strip(),
                                 "label": label})
        except csv.Error as error:  # pragma: no cover - QUOTE_NONE accepts almost anything
            raise ValueError(f"{path}: malformed TSV near line {reader.line_num}: "
                             f"{error}") from None
        except UnicodeDecodeError as error:
            raise ValueError(f"{path}: the file is not valid UTF-8 ({error.reason}); convert "
                             f"it to UTF-8") from None
    return examples


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

def main(argv=None):
    """Print a few generated paragraphs and their questions."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--n", type=int, default=3, help="number of paragraphs (default: 3)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS),
                        help="kinds to draw from (default: all)")
    parser.add_argument("--facts", action="store_true", help="also print the facts")
    args = parser.parse_args(argv)
    if args.n < 0 or args.seed < 0:
        parser.error("--n and --seed must be >= 0")
    for index, paragraph in enumerate(generate_paragraphs(args.n, args.seed, args.kinds)):
        print(f"--- paragraph {index}: {paragraph['title']} ({paragraph['kind']}) ---")
        print(paragraph["text"])
        if args.facts:
            print(f"FACTS: {paragraph['facts']}")
        for example in qa_examples(paragraph, args.seed):
            print(f"  Q: {example['question']}  A: {example['answer']} "
                  f"(at {example['answer_start']})")


if __name__ == "__main__":
    main()

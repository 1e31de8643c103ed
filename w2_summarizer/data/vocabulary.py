"""The fixed vocabulary of Week 2's generated articles: the topics, the length limits, and the invented
names and words the templates draw from (teams, venues, companies, events, days, months, quarters,
weather conditions). People, towns and regions live in :mod:`coursekit.names`, shared with Week 3.
"""
from coursekit.names import TOWNS

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

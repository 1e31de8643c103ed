"""The entity kinds and the vocabularies the generated paragraphs are written from.

:data:`KINDS` names the four kinds of entity. The names are invented (ASCII only): first
and last names and towns (extending Week 2's lists in :mod:`coursekit.names`), rivers,
buildings, professions (with what each one's best-known work and count are), the words of
works' and organisations' names, organisation types (with what their count counts), fields,
and event types (with their name patterns, phrasings, number ranges and outcomes).
"""
from coursekit.names import FIRST_NAMES as _SHARED_FIRST_NAMES
from coursekit.names import LAST_NAMES as _SHARED_LAST_NAMES
from coursekit.names import TOWNS as _SHARED_TOWNS

KINDS = ("person", "place", "organisation", "event")

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

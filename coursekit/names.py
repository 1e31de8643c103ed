"""The invented people's and places' names that the generators of Week 2 (news articles) and Week 3
(encyclopedic paragraphs) draw from: ASCII only, none a real town's or person's full name on purpose.
Week 3 extends these lists with more of its own (w3_qa/data/vocabulary.py)."""

TOWNS = (
    "Ashbury", "Brackwell", "Caldmoor", "Dunford", "Elmstead", "Fernley", "Glenhollow",
    "Harrowby", "Ivyford", "Kestleton", "Larkhill", "Millbrook", "Northwick", "Oakhampton",
    "Pellworth", "Queensmere", "Redcliffe", "Saltmarsh", "Thornbury", "Upperton", "Valebridge",
    "Westerly", "Yarrowby", "Ashcombe", "Brindle", "Coldharbour", "Dovecote", "Eastmoor",
    "Foxley", "Greystone", "Hollins", "Kingsmead", "Lowther", "Marshfield", "Netherby", "Ormsby",
)
FIRST_NAMES = (
    "Tom", "Sam", "Anna", "Maria", "Ben", "Lucy", "Jack", "Emma", "Dan", "Ruth", "Leo", "Nina",
    "Oscar", "Clara", "Adam", "Grace", "Owen", "Hannah", "Paul", "Zoe", "Mark", "Ella", "Victor",
    "Iris", "Hugo", "Julia", "Felix", "Laura", "Ivan", "Rosa", "Karl", "Mia", "Peter", "Sara",
    "Ryan", "Eva", "Colin", "Alice", "Jonas", "Helen",
)
LAST_NAMES = (
    "Hale", "Reed", "Kerr", "Dale", "Marsh", "Holt", "Price", "Booth", "Carver", "Denton",
    "Ellis", "Farrow", "Garner", "Hobbs", "Irving", "Jessop", "Kemp", "Lowe", "Mercer", "Nash",
    "Oakes", "Pike", "Quinn", "Rowe", "Shaw", "Thorne", "Upton", "Vance", "Webb", "Yates",
    "Ashworth", "Bramley", "Cole", "Drury", "Everett", "Finch", "Gale", "Harper", "Lister", "Moss",
)
# Regions are written "the <region>" in the text; the facts hold the name without "the".
REGIONS = (
    "North Coast", "West Coast", "South Coast", "East Coast", "Northern Uplands",
    "Southern Plains", "Eastern Hills", "Western Isles", "Central Valley", "Midlands",
    "Lowlands", "Highlands", "Harrow Valley", "Fenmoor Basin", "Lake Country", "Border Hills",
    "Upper Dale", "Northern Isles", "South West", "North East", "Coastal Strip", "Upper Vale",
    "Marsh Country", "Moorland Heights",
)

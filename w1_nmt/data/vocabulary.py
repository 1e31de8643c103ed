"""The word tables of the Week 1 sentence generator and their parsing.

Each English word has one German translation. The tables are text, one entry per line or ';'
(the comment above each gives its format); at the end they are parsed into the ``*_TABLE``
structures and the weighted ``*_POOL`` lists that :mod:`w1_nmt.data.grammar` samples from. The
German article and adjective endings by case, gender and number are here too.
"""
import re

# Nouns: "english_singular english_plural | German_singular German_plural gender".
# Classes: a = animate (subjects, people and animals), i = thing, f = food, d = drink, p = place.
# Weak masculine nouns (der Junge -> den Jungen) are left out so that nouns never change with case
# except for the dative plural -n.
_NOUNS = {
    "a": """
        man men | Mann Männer m;  woman women | Frau Frauen f;  child children | Kind Kinder n
        girl girls | Mädchen Mädchen n;  teacher teachers | Lehrer Lehrer m
        doctor doctors | Arzt Ärzte m;  friend friends | Freund Freunde m
        father fathers | Vater Väter m;  mother mothers | Mutter Mütter f
        brother brothers | Bruder Brüder m;  sister sisters | Schwester Schwestern f
        son sons | Sohn Söhne m;  daughter daughters | Tochter Töchter f
        grandmother grandmothers | Großmutter Großmütter f
        grandfather grandfathers | Großvater Großväter m;  uncle uncles | Onkel Onkel m
        aunt aunts | Tante Tanten f;  baker bakers | Bäcker Bäcker m
        driver drivers | Fahrer Fahrer m;  singer singers | Sänger Sänger m
        farmer farmers | Landwirt Landwirte m;  king kings | König Könige m
        queen queens | Königin Königinnen f;  dog dogs | Hund Hunde m;  cat cats | Katze Katzen f
        horse horses | Pferd Pferde n;  bird birds | Vogel Vögel m;  cow cows | Kuh Kühe f
        mouse mice | Maus Mäuse f;  pupil pupils | Schüler Schüler m
        waiter waiters | Kellner Kellner m;  nurse nurses | Krankenschwester Krankenschwestern f
        painter painters | Maler Maler m;  guest guests | Gast Gäste m
        lawyer lawyers | Anwalt Anwälte m
    """,
    "i": """
        book books | Buch Bücher n;  letter letters | Brief Briefe m;  table tables | Tisch Tische m
        chair chairs | Stuhl Stühle m;  car cars | Auto Autos n
        bicycle bicycles | Fahrrad Fahrräder n;  key keys | Schlüssel Schlüssel m
        bag bags | Tasche Taschen f;  box boxes | Kiste Kisten f;  picture pictures | Bild Bilder n
        newspaper newspapers | Zeitung Zeitungen f;  door doors | Tür Türen f
        window windows | Fenster Fenster n;  lamp lamps | Lampe Lampen f
        radio radios | Radio Radios n;  computer computers | Computer Computer m
        phone phones | Telefon Telefone n;  cup cups | Tasse Tassen f
        glass glasses | Glas Gläser n
        plate plates | Teller Teller m;  shoe shoes | Schuh Schuhe m;  hat hats | Hut Hüte m
        coat coats | Mantel Mäntel m;  dress dresses | Kleid Kleider n;  ball balls | Ball Bälle m
        song songs | Lied Lieder n;  story stories | Geschichte Geschichten f
        map maps | Karte Karten f;  pen pens | Stift Stifte m;  clock clocks | Uhr Uhren f
        umbrella umbrellas | Regenschirm Regenschirme m;  ticket tickets | Fahrkarte Fahrkarten f
        gift gifts | Geschenk Geschenke n;  flower flowers | Blume Blumen f
        bed beds | Bett Betten n
    """,
    "f": """
        apple apples | Apfel Äpfel m;  bread breads | Brot Brote n;  cake cakes | Kuchen Kuchen m
        soup soups | Suppe Suppen f;  egg eggs | Ei Eier n;  banana bananas | Banane Bananen f
        potato potatoes | Kartoffel Kartoffeln f;  sandwich sandwiches | Sandwich Sandwiches n
    """,
    "d": """
        coffee coffees | Kaffee Kaffees m;  tea teas | Tee Tees m;  juice juices | Saft Säfte m
        water waters | Wasser Wasser n;  lemonade lemonades | Limonade Limonaden f
        beer beers | Bier Biere n;  wine wines | Wein Weine m
    """,
    "p": """
        garden gardens | Garten Gärten m;  park parks | Park Parks m
        kitchen kitchens | Küche Küchen f;  house houses | Haus Häuser n
        city cities | Stadt Städte f;  school schools | Schule Schulen f
        office offices | Büro Büros n;  room rooms | Zimmer Zimmer n
        library libraries | Bibliothek Bibliotheken f;  forest forests | Wald Wälder m
        village villages | Dorf Dörfer n;  shop shops | Laden Läden m
        restaurant restaurants | Restaurant Restaurants n;  station stations | Bahnhof Bahnhöfe m
        hospital hospitals | Krankenhaus Krankenhäuser n;  hotel hotels | Hotel Hotels n
    """,
}

# Verbs: "en_3sg / en_base / en_participle | de_3sg de_plural de_participle particle aux frame obj".
# particle "-" = not separable; aux h = haben, s = sein; frame t = transitive, d = ditransitive
# (dative person + accusative thing), i = intransitive, c = takes a "that" clause;
# obj = object class (a, i, f, d, p, n = any) and case (acc or dat) for transitive verbs.
_VERBS = """
    reads / read / read | liest lesen gelesen - h t i acc
    writes / write / written | schreibt schreiben geschrieben - h t i acc
    buys / buy / bought | kauft kaufen gekauft - h t i acc
    sells / sell / sold | verkauft verkaufen verkauft - h t i acc
    sees / see / seen | sieht sehen gesehen - h t n acc
    finds / find / found | findet finden gefunden - h t n acc
    loses / lose / lost | verliert verlieren verloren - h t i acc
    needs / need / needed | braucht brauchen gebraucht - h t n acc
    likes / like / liked | mag mögen gemocht - h t n acc
    loves / love / loved | liebt lieben geliebt - h t n acc
    visits / visit / visited | besucht besuchen besucht - h t a acc
    meets / meet / met | trifft treffen getroffen - h t a acc
    asks / ask / asked | fragt fragen gefragt - h t a acc
    paints / paint / painted | malt malen gemalt - h t i acc
    washes / wash / washed | wäscht waschen gewaschen - h t n acc
    carries / carry / carried | trägt tragen getragen - h t n acc
    holds / hold / held | hält halten gehalten - h t n acc
    opens / open / opened | öffnet öffnen geöffnet - h t i acc
    closes / close / closed | schließt schließen geschlossen - h t i acc
    repairs / repair / repaired | repariert reparieren repariert - h t i acc
    builds / build / built | baut bauen gebaut - h t p acc
    draws / draw / drawn | zeichnet zeichnen gezeichnet - h t n acc
    describes / describe / described | beschreibt beschreiben beschrieben - h t n acc
    eats / eat / eaten | isst essen gegessen - h t f acc
    cooks / cook / cooked | kocht kochen gekocht - h t f acc
    drinks / drink / drunk | trinkt trinken getrunken - h t d acc
    hears / hear / heard | hört hören gehört - h t n acc
    takes / take / taken | nimmt nehmen genommen - h t i acc
    helps / help / helped | hilft helfen geholfen - h t a dat
    thanks / thank / thanked | dankt danken gedankt - h t a dat
    follows / follow / followed | folgt folgen gefolgt - s t a dat
    calls / call / called | ruft rufen angerufen an h t a acc
    invites / invite / invited | lädt laden eingeladen ein h t a acc
    picks up / pick up / picked up | holt holen abgeholt ab h t n acc
    looks at / look at / looked at | schaut schauen angeschaut an h t n acc
    tidies up / tidy up / tidied up | räumt räumen aufgeräumt auf h t p acc
    throws away / throw away / thrown away | wirft werfen weggeworfen weg h t i acc
    brings back / bring back / brought back | bringt bringen zurückgebracht zurück h t n acc
    switches on / switch on / switched on | schaltet schalten eingeschaltet ein h t i acc
    switches off / switch off / switched off | schaltet schalten ausgeschaltet aus h t i acc
    introduces / introduce / introduced | stellt stellen vorgestellt vor h t a acc
    packs / pack / packed | packt packen eingepackt ein h t i acc
    gives / give / given | gibt geben gegeben - h d i acc
    shows / show / shown | zeigt zeigen gezeigt - h d i acc
    sends / send / sent | schickt schicken geschickt - h d i acc
    brings / bring / brought | bringt bringen gebracht - h d i acc
    lends / lend / lent | leiht leihen geliehen - h d i acc
    sleeps / sleep / slept | schläft schlafen geschlafen - h i - -
    works / work / worked | arbeitet arbeiten gearbeitet - h i - -
    laughs / laugh / laughed | lacht lachen gelacht - h i - -
    cries / cry / cried | weint weinen geweint - h i - -
    sings / sing / sung | singt singen gesungen - h i - -
    dances / dance / danced | tanzt tanzen getanzt - h i - -
    waits / wait / waited | wartet warten gewartet - h i - -
    plays / play / played | spielt spielen gespielt - h i - -
    listens / listen / listened | hört hören zugehört zu h i - -
    learns / learn / learned | lernt lernen gelernt - h i - -
    runs / run / run | läuft laufen gelaufen - s i - -
    swims / swim / swum | schwimmt schwimmen geschwommen - s i - -
    travels / travel / travelled | reist reisen gereist - s i - -
    comes / come / come | kommt kommen gekommen - s i - -
    goes / go / gone | geht gehen gegangen - s i - -
    arrives / arrive / arrived | kommt kommen angekommen an s i - -
    falls asleep / fall asleep / fallen asleep | schläft schlafen eingeschlafen ein s i - -
    wakes up / wake up / woken up | wacht wachen aufgewacht auf s i - -
    gets up / get up / got up | steht stehen aufgestanden auf s i - -
    comes back / come back / come back | kommt kommen zurückgekommen zurück s i - -
    knows / know / known | weiß wissen gewusst - h c - -
    says / say / said | sagt sagen gesagt - h c - -
    thinks / think / thought | denkt denken gedacht - h c - -
    believes / believe / believed | glaubt glauben geglaubt - h c - -
    hopes / hope / hoped | hofft hoffen gehofft - h c - -
    forgets / forget / forgotten | vergisst vergessen vergessen - h c - -
    notices / notice / noticed | bemerkt bemerken bemerkt - h c - -
    explains / explain / explained | erklärt erklären erklärt - h c - -
"""

# Attributive adjectives: English word and German stem (the ending is added by case/gender).
_ADJECTIVES = """
    old alt; young jung; big groß; small klein; new neu; good gut; beautiful schön; red rot;
    blue blau; green grün; black schwarz; white weiß; yellow gelb; brown braun; tired müd;
    happy glücklich; sad traurig; friendly freundlich; strange seltsam; famous berühmt;
    rich reich; poor arm; clever klug; long lang; short kurz; cheap billig; expensive teur;
    heavy schwer; light leicht; warm warm; cold kalt; dark dunkl; quiet ruhig; strong stark;
    lazy faul; hungry hungrig; funny lustig; nice nett
"""

# Manner adverbs (end of the clause in both languages).
_ADVERBS = """
    quickly schnell; slowly langsam; quietly leise; loudly laut; carefully vorsichtig;
    happily fröhlich; well gut; badly schlecht; together zusammen; alone allein; early früh;
    late spät
"""

# Fronted adverbials (the German verb comes second, before the subject). "yesterday" only with
# the perfect tense.
_FRONTED = """
    today heute; tomorrow morgen; now jetzt; often oft; sometimes manchmal;
    usually normalerweise; always immer; then dann; later später; unfortunately leider;
    luckily zum Glück; suddenly plötzlich; finally endlich; in the morning am Morgen;
    in the evening am Abend; at night in der Nacht; on Monday am Montag; on Tuesday am Dienstag;
    on Wednesday am Mittwoch; on Thursday am Donnerstag; on Friday am Freitag;
    on Saturday am Samstag; on Sunday am Sonntag; every day jeden Tag; every week jede Woche
"""
_YESTERDAY = (("yesterday",), ("gestern",))

# Subordinating conjunctions; the second group may also open a sentence.
_SUBORDINATORS = """
    because weil; although obwohl; when wenn; while während; before bevor; after nachdem;
    if falls; until bis; so that damit
"""
_FRONTABLE_SUBORDINATORS = {"because", "although", "when", "while", "before", "after", "if"}

# Determiners: English (singular, plural) and the German stem with its inflection class.
# "der" = definite article table, "dies" = der-word, "ein" = ein-word, "" = no article (plural).
_DETERMINERS = (
    # (weight, en_singular, en_plural, de_stem, kind)
    (10, "the", "the", "d", "der"),
    (4, "a", None, "ein", "ein"),
    (2, None, "", "", "none"),
    (1, "this", "these", "dies", "dies"),
    (1, "my", "my", "mein", "ein"),
    (1, "his", "his", "sein", "ein"),
    (1, "her", "her", "ihr", "ein"),
    (1, "our", "our", "unser", "ein"),
    (1, "their", "their", "ihr", "ein"),
)

_PRONOUNS = (("he", "er", False), ("she", "sie", False), ("we", "wir", True),
             ("they", "sie", True))

_PREPOSITIONS = (
    # (english, german, case, noun classes)
    ("with", "mit", "dat", "aifdp"),
    ("for", "für", "acc", "a"),
    ("without", "ohne", "acc", "aifd"),
    ("in", "in", "dat", "p"),
)

# Article endings (index: gender m/f/n/pl) for the definite article and der-/ein-words.
_DEFINITE = {"nom": ("der", "die", "das", "die"), "acc": ("den", "die", "das", "die"),
             "dat": ("dem", "der", "dem", "den")}
_DER_WORD = {"nom": ("er", "e", "es", "e"), "acc": ("en", "e", "es", "e"),
             "dat": ("em", "er", "em", "en")}
_EIN_WORD = {"nom": ("", "e", "", "e"), "acc": ("en", "e", "", "e"),
             "dat": ("em", "er", "em", "en")}
# Adjective endings after a der-word (weak), after an ein-word (mixed) and with no article.
_WEAK = {"nom": ("e", "e", "e", "en"), "acc": ("en", "e", "e", "en"),
         "dat": ("en", "en", "en", "en")}
_MIXED = {"nom": ("er", "e", "es", "en"), "acc": ("en", "e", "es", "en"),
          "dat": ("en", "en", "en", "en")}
_STRONG_PLURAL = {"nom": "e", "acc": "e", "dat": "en"}
_GENDER_INDEX = {"m": 0, "f": 1, "n": 2}
_RELATIVE = ("der", "die", "das", "die")

_TENSES = (("present", 45), ("perfect", 25), ("modal", 20), ("future", 10))
_MODALS = (("can", "can", "kann", "können"), ("must", "must", "muss", "müssen"),
           ("wants to", "want to", "will", "wollen"))


def _split_entries(table):
    """Split a ';'/newline separated table into stripped, non-empty entries."""
    return [entry.strip() for entry in re.split(r"[;\n]", table) if entry.strip()]


def _parse_nouns():
    nouns = {}
    for noun_class, table in _NOUNS.items():
        nouns[noun_class] = []
        for entry in _split_entries(table):
            english, german = entry.split("|")
            en_sg, en_pl = english.split()
            de_sg, de_pl, gender = german.split()
            de_dat_pl = de_pl if de_pl.endswith(("n", "s")) else de_pl + "n"
            nouns[noun_class].append((en_sg, en_pl, de_sg, de_pl, de_dat_pl, gender))
    return nouns


def _parse_verbs():
    verbs = {"t": [], "d": [], "i": [], "c": []}
    for line in _split_entries(_VERBS):
        english, german = line.split("|")
        en_3sg, en_base, en_pp = (part.split() for part in english.split("/"))
        de_3sg, de_pl, de_pp, particle, aux, frame, obj_class, case = german.split()
        particle = "" if particle == "-" else particle
        verbs[frame].append({
            "en": (en_3sg, en_base, en_pp), "de_3sg": de_3sg, "de_pl": de_pl, "de_pp": de_pp,
            "de_inf": particle + de_pl, "particle": particle, "aux": aux,
            "obj": "aifdp" if obj_class == "n" else obj_class, "case": case,
        })
    return verbs


def _parse_pairs(table):
    """Parse "english words german words" entries into (english_tuple, german_tuple) pairs."""
    pairs = []
    for entry in _split_entries(table):
        words = entry.split()
        n_en = _english_length(words)
        pairs.append((tuple(words[:n_en]), tuple(words[n_en:])))
    return pairs


def _english_length(words):
    """Number of English words at the start of a vocabulary entry (tables above)."""
    if words[0] in ("in", "at", "on", "every", "so"):
        return 3 if words[0] == "in" else 2
    return 1


_NOUN_TABLE = _parse_nouns()
_VERB_TABLE = _parse_verbs()
_ADJECTIVE_TABLE = [(en, de) for (en,), (de,) in _parse_pairs(_ADJECTIVES)]
_ADVERB_TABLE = _parse_pairs(_ADVERBS)
_FRONTED_TABLE = _parse_pairs(_FRONTED)
_SUBORDINATOR_TABLE = _parse_pairs(_SUBORDINATORS)
_FRONTABLE_TABLE = [pair for pair in _SUBORDINATOR_TABLE
                    if " ".join(pair[0]) in _FRONTABLE_SUBORDINATORS]
_SHORT_INTRANSITIVE = [verb for verb in _VERB_TABLE["i"] if len(verb["en"][0]) == 1]
# Weighted choices as pools in which each item appears ``weight`` times (fast to sample).
_DETERMINER_POOL = [entry for entry in _DETERMINERS for _ in range(entry[0])]
_TENSE_POOL = [name for name, weight in _TENSES for _ in range(weight // 5)]
# Noun classes that a slot accepts, e.g. "aifdp" (any noun), mixed in proportion to class size.
_NOUN_POOLS = {}
for _classes in ("a", "i", "f", "d", "p", "aifdp", "aifd"):
    _NOUN_POOLS[_classes] = [noun for c in _classes for noun in _NOUN_TABLE[c]]

"""The grammar of the Week 1 generator: noun phrases, clauses and sentences in both languages.

:func:`noun_phrase` translates one noun phrase (a worked example of inflection); :func:`iter_pairs`
and :func:`generate_pairs` give the seeded stream of (english, german) sentence pairs. The words
and endings come from :mod:`w1_nmt.data.vocabulary`.
"""
import random

from w1_nmt.data.vocabulary import (
    _ADJECTIVE_TABLE, _ADVERB_TABLE, _DEFINITE, _DER_WORD, _DETERMINERS, _DETERMINER_POOL,
    _EIN_WORD, _FRONTABLE_TABLE, _FRONTED_TABLE, _GENDER_INDEX, _MIXED, _MODALS, _NOUN_POOLS,
    _NOUN_TABLE, _PREPOSITIONS, _PRONOUNS, _RELATIVE, _SHORT_INTRANSITIVE, _STRONG_PLURAL,
    _SUBORDINATOR_TABLE, _TENSE_POOL, _VERB_TABLE, _WEAK, _YESTERDAY)

# ---------------------------------------------------------------------------------------------
# Noun phrases and clauses
# ---------------------------------------------------------------------------------------------

def _noun_phrase(rng, noun_class, case):
    """Sample a noun phrase of the given class, rendered in English and in German ``case``.

    Returns (en_words, de_words, plural, gender) with en_words/de_words lists of str.
    """
    random_ = rng.random
    nouns = _NOUN_POOLS[noun_class]
    noun = nouns[int(random_() * len(nouns))]
    determiner = _DETERMINER_POOL[int(random_() * len(_DETERMINER_POOL))]
    if determiner[1] is None:
        plural = True
    elif determiner[2] is None:
        plural = False
    else:
        plural = random_() < 0.35
    draw = random_()
    if draw < 0.5:
        adjectives = ()
    elif draw < 0.9:
        adjectives = (_ADJECTIVE_TABLE[int(random_() * len(_ADJECTIVE_TABLE))],)
    else:
        adjectives = tuple(rng.sample(_ADJECTIVE_TABLE, 2))
    en, de = _render_noun_phrase(noun, determiner, adjectives, plural, case)
    return en, de, plural, noun[5]


def _render_noun_phrase(noun, determiner, adjectives, plural, case):
    """English and German words of one noun phrase (tables above); see :func:`noun_phrase`."""
    en_sg, en_pl, de_sg, de_pl, de_dat_pl, gender = noun
    _, en_det_sg, en_det_pl, de_det, kind = determiner
    index = 3 if plural else _GENDER_INDEX[gender]
    if kind == "der":
        de = [_DEFINITE[case][index]]
        endings = _WEAK[case][index]
    elif kind == "dies":
        de = [de_det + _DER_WORD[case][index]]
        endings = _WEAK[case][index]
    elif kind == "ein":
        de = [de_det + _EIN_WORD[case][index]]
        endings = _MIXED[case][index]
    else:
        de = []
        endings = _STRONG_PLURAL[case]
    de.extend(stem + endings for _, stem in adjectives)
    de.append((de_dat_pl if case == "dat" else de_pl) if plural else de_sg)

    en = [adjective for adjective, _ in adjectives]
    en.append(en_pl if plural else en_sg)
    en_det = en_det_pl if plural else en_det_sg
    if en_det == "a" and en[0][0] in "aeiou":
        en_det = "an"
    if en_det:
        en.insert(0, en_det)
    return en, de


def noun_phrase(noun, determiner="the", adjectives=(), plural=False, case="nom"):
    """Translate one noun phrase with the generator's grammar (a worked example of inflection).

    Args:
        noun: English singular noun of the vocabulary, e.g. 'man'.
        determiner: 'the', 'a', 'this', 'my', 'his', 'her', 'our', 'their' or '' (no article,
            plural only).
        adjectives: sequence of English adjectives of the vocabulary, e.g. ('old',).
        plural: bool.
        case: 'nom', 'acc' or 'dat'.

    Returns:
        (english, german) str, e.g. ('an old man', 'ein alter Mann') or, with case='dat' and
        plural=True, ('the old men', 'den alten Männern').
    """
    nouns = {entry[0]: entry for entries in _NOUN_TABLE.values() for entry in entries}
    if noun not in nouns:
        raise ValueError(f"noun must be an English singular noun of the vocabulary, but got "
                         f"{noun!r}")
    if case not in _DEFINITE:
        raise ValueError(f"case must be 'nom', 'acc' or 'dat', but got {case!r}")
    matches = [entry for entry in _DETERMINERS
               if determiner in (entry[1], entry[2]) and determiner is not None]
    if not matches:
        raise ValueError(f"unknown determiner {determiner!r}")
    entry = matches[0]
    if (entry[2] if plural else entry[1]) is None:
        raise ValueError(f"determiner {determiner!r} cannot be used with plural={plural}")
    known = dict(_ADJECTIVE_TABLE)
    unknown = [adjective for adjective in adjectives if adjective not in known]
    if unknown:
        raise ValueError(f"adjectives {unknown} are not in the vocabulary")
    en, de = _render_noun_phrase(nouns[noun], entry, [(a, known[a]) for a in adjectives],
                                 bool(plural), case)
    return " ".join(en), " ".join(de)


def _relative_clause(rng, plural, gender):
    """A subject relative clause for an animate noun: (en_words, de_words).

    German: ", der ... <verb>," (verb-final); English: "who ...".
    """
    pronoun = _RELATIVE[3 if plural else _GENDER_INDEX[gender]]
    clause = _clause(rng, subject=(["who"], [pronoun], plural), allow_comp=False,
                     allow_rel=False)
    return clause["en"], [","] + _order(clause, "sub") + [","]


def _verb_forms(rng, verb, plural):
    """English verb words and the German finite verb / right bracket for a random tense.

    Returns (en_words, fin, right_bracket, join) where ``join`` says that the right bracket is a
    separable particle that fuses with the finite verb at the end of a subordinate clause.
    """
    en_3sg, en_base, en_pp = verb["en"]
    tense = _TENSE_POOL[int(rng.random() * len(_TENSE_POOL))]
    if tense == "present":
        en = list(en_base if plural else en_3sg)
        fin = verb["de_pl"] if plural else verb["de_3sg"]
        return en, fin, [verb["particle"]] if verb["particle"] else [], bool(verb["particle"])
    if tense == "perfect":
        en = ["have" if plural else "has"] + en_pp
        if verb["aux"] == "s":
            fin = "sind" if plural else "ist"
        else:
            fin = "haben" if plural else "hat"
        return en, fin, [verb["de_pp"]], False
    if tense == "modal":
        en_sg, en_pl, de_sg, de_pl = rng.choice(_MODALS)
        en = (en_pl if plural else en_sg).split() + en_base
        return en, (de_pl if plural else de_sg), [verb["de_inf"]], False
    return ["will"] + en_base, ("werden" if plural else "wird"), [verb["de_inf"]], False


def _subject(rng, allow_rel):
    """A pronoun or an animate noun phrase (maybe with a relative clause) in the nominative.

    Returns (en_words, de_words, plural).
    """
    if rng.random() < 0.15:
        en_subj, de_subj, plural = rng.choice(_PRONOUNS)
        return [en_subj], [de_subj], plural
    en_subj, de_subj, plural, gender = _noun_phrase(rng, "a", "nom")
    if allow_rel and rng.random() < 0.08:
        en_rel, de_rel = _relative_clause(rng, plural, gender)
        en_subj, de_subj = en_subj + en_rel, de_subj + de_rel
    return en_subj, de_subj, plural


def _frame(rng, allow_comp):
    """t (transitive), d (ditransitive), i (intransitive) or c ("that" clause)."""
    draw = rng.random()
    if draw < 0.5:
        return "t"
    if draw < 0.62:
        return "d"
    if draw < 0.9 or not allow_comp:
        return "i"
    return "c"


def _objects(rng, frame, verb):
    """The verb's objects: (en_words, de_words, last) where ``last`` is (plural, gender) of an
    animate object that may take a relative clause, else None."""
    if frame == "d":
        en_io, de_io, _, _ = _noun_phrase(rng, "a", "dat")
        en_do, de_do, _, _ = _noun_phrase(rng, "i", "acc")
        return en_io + en_do, de_io + de_do, None
    if frame == "t":
        en_obj, de_obj, plural, gender = _noun_phrase(rng, verb["obj"], verb["case"])
        return en_obj, de_obj, ((plural, gender) if verb["obj"] == "a" else None)
    return [], [], None


def _prepositional_phrase(rng):
    """'with the dog' -> 'mit dem Hund', 'in the garden' -> 'im Garten': (en_words, de_words)."""
    en_prep, de_prep, case, classes = rng.choice(_PREPOSITIONS)
    en_np, de_np, _, _ = _noun_phrase(rng, classes, case)
    if de_prep == "in" and de_np[0] == "dem":
        return [en_prep] + en_np, ["im"] + de_np[1:]
    return [en_prep] + en_np, [de_prep] + de_np


def _clause(rng, subject=None, allow_comp=True, allow_rel=True):
    """Sample one clause.

    Args:
        rng: random.Random.
        subject: optional (en_words, de_words, plural) used as the subject (relative pronouns).
        allow_comp: whether the verb may take a "that" clause.
        allow_rel: whether noun phrases may carry a relative clause.

    Returns:
        dict with "en" (list of str, the English clause) and the German parts that
        :func:`_order` puts in main, inverted or subordinate order: "subj" (words), "fin" (the
        finite verb), "mid" (objects, prepositional phrase, adverb), "rb" (the right bracket:
        particle, participle or infinitive), "join" (the particle fuses with the finite verb at
        the end of a subordinate clause: "anruft"), "tail" (a "dass" clause); and "perfect".
    """
    en_subj, de_subj, plural = subject if subject else _subject(rng, allow_rel)
    frame = _frame(rng, allow_comp)
    verb = rng.choice(_VERB_TABLE[frame])
    en_verb, fin, rb, join = _verb_forms(rng, verb, plural)
    en_obj, de_mid, last = _objects(rng, frame, verb)

    en_tail, de_tail = [], []
    draw = rng.random()
    if frame == "c":
        inner = _clause(rng, allow_comp=False, allow_rel=allow_rel)
        en_tail = ["that"] + inner["en"]
        de_tail = [",", "dass"] + _order(inner, "sub")
    elif draw < 0.25:
        en_pp, de_pp = _prepositional_phrase(rng)
        en_obj, de_mid = en_obj + en_pp, de_mid + de_pp
    elif draw < 0.4:
        en_adv, de_adv = rng.choice(_ADVERB_TABLE)
        en_obj, de_mid = en_obj + list(en_adv), de_mid + list(de_adv)
    elif last is not None and allow_rel and rng.random() < 0.2:
        # A relative clause only on the last word group, so that it never swallows what follows.
        en_rel, de_rel = _relative_clause(rng, *last)
        en_obj, de_mid = en_obj + en_rel, de_mid + de_rel

    return {"en": en_subj + en_verb + en_obj + en_tail, "subj": de_subj, "fin": fin,
            "mid": de_mid, "rb": rb, "join": join, "tail": de_tail,
            "perfect": fin in ("hat", "haben", "ist", "sind")}


def _order(clause, order):
    """German words of a clause in "main" (S V ...), "inv" (V S ...) or "sub" (S ... V) order."""
    if order == "main":
        return clause["subj"] + [clause["fin"]] + clause["mid"] + clause["rb"] + clause["tail"]
    if order == "inv":
        return [clause["fin"]] + clause["subj"] + clause["mid"] + clause["rb"] + clause["tail"]
    if clause["join"]:
        end = clause["rb"][:-1] + [clause["rb"][-1] + clause["fin"]]
    else:
        end = clause["rb"] + [clause["fin"]]
    return clause["subj"] + clause["mid"] + end + clause["tail"]


def _minimal_clause(rng):
    """The shortest clause: a pronoun and a one-word intransitive verb in the present (2 words)."""
    en_subj, de_subj, plural = rng.choice(_PRONOUNS)
    verb = rng.choice(_SHORT_INTRANSITIVE)
    en = list(verb["en"][1] if plural else verb["en"][0])
    fin = verb["de_pl"] if plural else verb["de_3sg"]
    rb = [verb["particle"]] if verb["particle"] else []
    return {"en": [en_subj] + en, "subj": [de_subj], "fin": fin, "mid": [], "rb": rb,
            "join": bool(verb["particle"]), "tail": [], "perfect": False}


def _fitting_clause(rng, budget, tries=6, **kwargs):
    """A random clause with at most ``budget`` English words, or None if none was found."""
    for _ in range(tries):
        clause = _clause(rng, **kwargs)
        if len(clause["en"]) <= budget:
            return clause
    clause = _minimal_clause(rng)
    return clause if len(clause["en"]) <= budget else None


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------

def _first_unit(rng, budget):
    """The opening main clause, maybe after a fronted adverbial or clause: (en, de) word lists."""
    draw = rng.random()
    if draw < 0.12 and budget >= 8:
        (en_conj, de_conj) = rng.choice(_FRONTABLE_TABLE)
        sub = _fitting_clause(rng, budget // 2 - 1, allow_comp=False)
        if sub is not None:
            rest = budget - len(sub["en"]) - len(en_conj) - 1
            main = _fitting_clause(rng, rest)
            if main is not None:
                en = list(en_conj) + sub["en"] + [","] + main["en"]
                de = list(de_conj) + _order(sub, "sub") + [","] + _order(main, "inv")
                return en, de
    if draw < 0.4:
        main = _fitting_clause(rng, budget - 1)
        if main is not None:
            en_adv, de_adv = rng.choice(_FRONTED_TABLE)
            if main["perfect"] and rng.random() < 0.2:
                en_adv, de_adv = _YESTERDAY
            if len(en_adv) + len(main["en"]) <= budget:
                return list(en_adv) + main["en"], list(de_adv) + _order(main, "inv")
    main = _fitting_clause(rng, budget)
    return main["en"], _order(main, "main")


def _next_unit(rng, budget):
    """A clause joined to the sentence so far, or None if nothing fits in ``budget`` words."""
    draw = rng.random()
    if draw < 0.4:
        if draw < 0.22:
            en_join, de_join = ["and"], ["und"]
        elif draw < 0.34:
            en_join, de_join = [",", "but"], [",", "aber"]
        else:
            en_join, de_join = ["or"], ["oder"]
        clause = _fitting_clause(rng, budget - len(en_join))
        if clause is None:
            return None
        if rng.random() < 0.15 and budget - len(en_join) - len(clause["en"]) >= 1:
            en_adv, de_adv = rng.choice([pair for pair in _FRONTED_TABLE if len(pair[0]) == 1])
            return (en_join + list(en_adv) + clause["en"],
                    de_join + list(de_adv) + _order(clause, "inv"))
        return en_join + clause["en"], de_join + _order(clause, "main")
    en_conj, de_conj = rng.choice(_SUBORDINATOR_TABLE)
    clause = _fitting_clause(rng, budget - len(en_conj))
    if clause is None:
        return None
    return list(en_conj) + clause["en"], [","] + list(de_conj) + _order(clause, "sub")


def _finish(words):
    """Join words into a sentence: drop doubled/leading/final commas, attach punctuation,
    capitalise the first letter, end with '.'."""
    kept = []
    for word in words:
        if word == "," and (not kept or kept[-1] == ","):
            continue
        kept.append(word)
    while kept and kept[-1] == ",":
        kept.pop()
    text = " ".join(kept) + "."
    text = text.replace(" ,", ",")
    return text[0].upper() + text[1:]


def _sentence(rng, target):
    """One (english, german, n_tokens) triple whose English has about ``target`` tokens.

    Tokens are words, ',' and '.'; English never has doubled commas, so its token count is the
    number of words in the list plus the final '.'.
    """
    budget = target - 1  # the final "."
    en, de = _first_unit(rng, budget)
    budget -= len(en)
    while budget >= 3:
        unit = _next_unit(rng, budget)
        if unit is None:
            break
        en_unit, de_unit = unit
        en.extend(en_unit)
        de.extend(de_unit)
        budget -= len(en_unit)
    return _finish(en), _finish(de), len(en) + 1


def _check_lengths(min_tokens, max_tokens):
    for name, value in (("min_tokens", min_tokens), ("max_tokens", max_tokens)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, but got {type(value).__name__}")
    if min_tokens < 3:
        raise ValueError(f"min_tokens must be at least 3 (the shortest sentence, 'He sleeps.'), "
                         f"but got {min_tokens}")
    if max_tokens < min_tokens:
        raise ValueError(f"max_tokens must be >= min_tokens, but got max_tokens={max_tokens} "
                         f"and min_tokens={min_tokens}")


def iter_pairs(seed=0, min_tokens=3, max_tokens=60):
    """Endless deterministic stream of (english, german) sentence pairs.

    Args:
        seed: int seed; the same seed gives the same stream.
        min_tokens, max_tokens: bounds (inclusive) on the English length in tokens, counted as
            :func:`split_tokens` counts them (words, ',' and '.').

    Yields:
        (str, str) pairs; each English length is drawn uniformly from [min_tokens, max_tokens]
        (the sentence may end up to two tokens shorter, never below min_tokens).
    """
    _check_lengths(min_tokens, max_tokens)
    rng = random.Random(seed)
    while True:
        target = rng.randint(min_tokens, max_tokens)
        en, de, n_tokens = _sentence(rng, target)
        if n_tokens >= min_tokens:
            yield en, de


def generate_pairs(n, seed=0, min_tokens=3, max_tokens=60):
    """The first ``n`` pairs of :func:`iter_pairs`: list of (english, german) str tuples.

    Deterministic: the same arguments always give the same list. Pairs may repeat (short
    sentences have few variants); use :func:`make_splits` for disjoint splits.
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"n must be an int, but got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be >= 0, but got {n}")
    stream = iter_pairs(seed, min_tokens, max_tokens)
    return [next(stream) for _ in range(n)]

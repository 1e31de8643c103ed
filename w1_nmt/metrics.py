"""Metrics for machine translation: BLEU and ROUGE on token lists.

Both metrics compare a *candidate* (the model's translation) with one or
more *references* (human translations) by counting shared n-grams, the
runs of ``n`` consecutive tokens:

* BLEU (Papineni et al., 2002) is precision-oriented: which share of the
  candidate's n-grams also occur in a reference?  Each candidate n-gram is
  credited at most as often as it occurs in a single reference ("clipping"),
  so "I I I I" does not score full marks against "I am hungry".  The
  geometric mean of the precisions for n = 1..4 is multiplied by a brevity
  penalty, because precision alone rewards very short candidates.
* ROUGE-N (Lin, 2004) is recall-oriented: which share of the reference's
  n-grams does the candidate recover?  We report precision, recall and
  their harmonic mean (F1), as the ``rouge-score`` package does.

Every function takes sentences already split into tokens, e.g.
``"I am hungry".split()`` -> ``["I", "am", "hungry"]``, and returns a float
in [0, 1] (BLEU here is *not* multiplied by 100).

Reference implementations that the tests compare against:
``corpus_bleu`` equals ``sacrebleu.corpus_bleu(..., tokenize="none").score
/ 100`` and ``rouge_n`` equals ``rouge_score``'s ``rouge1``/``rouge2``.

Only the standard library and numpy are imported here.
"""
import math
import numbers
from collections import Counter

import numpy as np

SMOOTH_METHODS = ("exp", "none")


# --------------------------------------------------------------------------
# Input checks: every public function validates its arguments first, so a
# student sees "expected ... but got ..." instead of a deep traceback.
# --------------------------------------------------------------------------

def _describe(value):
    """Short description of a value for error messages: its type and repr."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _check_tokens(tokens, name, allow_ids=False):
    """Raise TypeError unless ``tokens`` is a list or tuple of str tokens.

    With ``allow_ids=True`` integer token ids are accepted as well.
    """
    if isinstance(tokens, str):
        raise TypeError(
            f"expected {name} to be a list of str tokens but got the str "
            f"{tokens[:40]!r}; split it into tokens first, "
            f"e.g. {name}.split()")
    if not isinstance(tokens, (list, tuple)):
        raise TypeError(
            f"expected {name} to be a list of str tokens "
            f"but got {_describe(tokens)}")
    if set(map(type, tokens)) <= {str}:
        return  # fast path: the common case costs one pass in C
    for i, token in enumerate(tokens):
        is_id = (allow_ids and isinstance(token, numbers.Integral)
                 and not isinstance(token, bool))
        if not (isinstance(token, str) or is_id):
            kind = "a str or int token" if allow_ids else "a str token"
            raise TypeError(
                f"expected {name}[{i}] to be {kind} "
                f"but got {_describe(token)}")


def _check_references(references, name="references"):
    """Raise unless ``references`` is a non-empty list of token lists."""
    if isinstance(references, str) or not isinstance(references,
                                                     (list, tuple)):
        raise TypeError(
            f"expected {name} to be a list of reference token lists "
            f"but got {_describe(references)}")
    if not references:
        raise ValueError(
            f"expected {name} to hold at least one reference but got "
            f"an empty {type(references).__name__}")
    if all(isinstance(reference, str) for reference in references):
        raise TypeError(
            f"expected {name} to be a list of token lists (one per "
            f"reference) but got a list of str {_describe(references)}; "
            f"for a single reference pass [reference]")
    for i, reference in enumerate(references):
        _check_tokens(reference, f"{name}[{i}]")


def _check_order(n, name="n"):
    """Raise unless ``n`` (an n-gram order) is an int >= 1."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"expected {name} to be an int but got "
                        f"{_describe(n)}")
    if n < 1:
        raise ValueError(f"expected {name} >= 1 but got {n}")


def _check_fraction(value, name):
    """Raise unless ``value`` is a real number in [0, 1] (not NaN)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"expected {name} to be a float but got "
                        f"{_describe(value)}")
    if not 0.0 <= value <= 1.0:  # also False for NaN
        raise ValueError(f"expected {name} in [0, 1] but got {value}")


def _check_corpus(candidates, references_per_candidate):
    """Check a corpus: a list of candidates and, per candidate, references."""
    for value, name in ((candidates, "candidates"),
                        (references_per_candidate,
                         "references_per_candidate")):
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise TypeError(f"expected {name} to be a list but got "
                            f"{_describe(value)}")
    if len(candidates) != len(references_per_candidate):
        raise ValueError(
            f"expected one list of references per candidate but got "
            f"{len(candidates)} candidates and "
            f"{len(references_per_candidate)} lists of references")
    if not candidates:
        raise ValueError("expected at least one candidate but got none")
    for i, (candidate, references) in enumerate(
            zip(candidates, references_per_candidate)):
        _check_tokens(candidate, f"candidates[{i}]")
        _check_references(references, f"references_per_candidate[{i}]")


# --------------------------------------------------------------------------
# Counting n-grams.
# --------------------------------------------------------------------------

def ngram_counts(tokens, n=1):
    """Count the n-grams of a token list.

    Args:
        tokens: list of str tokens, e.g. ``["I", "am", "I", "am"]``.
        n: n-gram order, an int >= 1.

    Returns:
        ``Counter`` mapping each n-gram (a tuple of n tokens) to its count,
        e.g. ``{("I", "am"): 2, ("am", "I"): 1}`` for n = 2.  Empty when the
        list is shorter than n.
    """
    # zip(tokens, tokens[1:], ...) walks n shifted copies in step.
    return Counter(zip(*(tokens[i:] for i in range(n))))


def _max_reference_counts(references, n):
    """Per n-gram, its largest count in any single reference (BLEU's clip)."""
    counts = ngram_counts(references[0], n)
    for reference in references[1:]:
        for ngram, count in ngram_counts(reference, n).items():
            if count > counts[ngram]:
                counts[ngram] = count
    return counts


def clipped_matches(candidate, references, n):
    """BLEU's statistics for one order n: (clipped matches, candidate n-grams).

    A candidate n-gram that occurs k times counts min(k, m) matches, where m
    is its largest count in any single reference.
    """
    candidate_counts = ngram_counts(candidate, n)
    reference_counts = _max_reference_counts(references, n)
    matches = 0
    for ngram, count in candidate_counts.items():
        matches += min(count, reference_counts.get(ngram, 0))
    return matches, max(len(candidate) - n + 1, 0)


def closest_reference_length(candidate_length, references):
    """Length of the reference closest in length; ties -> the shorter one."""
    return min((abs(len(ref) - candidate_length), len(ref))
               for ref in references)[1]


def _penalty(candidate_length, reference_length):
    """BLEU's brevity penalty from (total) candidate and reference lengths."""
    if candidate_length == 0:
        return 0.0
    if candidate_length > reference_length:
        return 1.0
    return math.exp(1.0 - reference_length / candidate_length)


# --------------------------------------------------------------------------
# BLEU.
# --------------------------------------------------------------------------

def simple_precision(candidate, references):
    """Share of candidate tokens that occur in any reference (no clipping).

    The first, naive precision of the course: "I I am I" scores 1.0 against
    "He said I am hungry" even though "I" is repeated.

    Args:
        candidate: list of str tokens.
        references: non-empty list of reference token lists.

    Returns:
        float in [0, 1]; 0.0 for an empty candidate.
    """
    _check_tokens(candidate, "candidate")
    _check_references(references)
    ### BEGIN SOLUTION
    if not candidate:
        return 0.0
    vocabulary = set().union(*references)
    found = sum(1 for token in candidate if token in vocabulary)
    precision = found / len(candidate)
    ### END SOLUTION
    return precision


def modified_precision(candidate, references, n=1):
    """BLEU's clipped n-gram precision of a candidate.

    Each candidate n-gram is credited at most as many times as it occurs in
    the single reference that holds it most often.  "I I am I" against
    "He said I am hungry": "I" 3 times, clipped to 1, plus "am" once -> 2/4.

    Args:
        candidate: list of str tokens.
        references: non-empty list of reference token lists.
        n: n-gram order, an int >= 1.

    Returns:
        float in [0, 1]: clipped matches / number of candidate n-grams;
        0.0 when the candidate has no n-grams (empty or shorter than n).
    """
    _check_tokens(candidate, "candidate")
    _check_references(references)
    _check_order(n)
    ### BEGIN SOLUTION
    candidate_counts = ngram_counts(candidate, n)
    # Clip: an n-gram is credited at most as often as one reference holds it.
    max_reference_counts = Counter()
    for reference in references:
        for ngram, count in ngram_counts(reference, n).items():
            max_reference_counts[ngram] = max(max_reference_counts[ngram], count)
    matches = sum(min(count, max_reference_counts[ngram])
                  for ngram, count in candidate_counts.items())
    total = max(len(candidate) - n + 1, 0)
    precision = matches / total if total else 0.0
    ### END SOLUTION
    return precision


def brevity_penalty(candidate, references):
    """BLEU's brevity penalty for one candidate.

    With c the candidate length and r the length of the reference closest
    to c (ties go to the shorter reference, as in sacrebleu):
    1.0 if c > r, else exp(1 - r / c); 0.0 for an empty candidate.

    Args:
        candidate: list of str tokens.
        references: non-empty list of reference token lists.

    Returns:
        float in [0, 1].
    """
    _check_tokens(candidate, "candidate")
    _check_references(references)
    ### BEGIN SOLUTION
    c = len(candidate)
    r = closest_reference_length(c, references)
    if c == 0:
        penalty = 0.0
    elif c > r:
        penalty = 1.0
    else:
        penalty = math.exp(1.0 - r / c)
    ### END SOLUTION
    return penalty


def bleu_from_statistics(matches, totals, candidate_length,
                         reference_length, smooth_method):
    """BLEU from its sufficient statistics (sums over one or more sentences).

    ``matches[k]``/``totals[k]`` are the clipped matches and the number of
    candidate n-grams for order k + 1.  Orders without matches make BLEU 0
    under ``"none"``; under ``"exp"`` (mteval-v13a / sacrebleu's default)
    the k-th such order gets precision 1 / (2**k * total) instead.  As in
    sacrebleu, BLEU is 0 when nothing matches at all or some order has no
    candidate n-grams.
    """
    if not any(matches) or 0 in totals:
        return 0.0
    log_sum = 0.0
    halvings = 1
    for matched, total in zip(matches, totals):
        if matched:
            log_sum += math.log(matched / total)
        elif smooth_method == "exp":
            halvings *= 2
            log_sum += math.log(1.0 / (halvings * total))
        else:
            return 0.0
    penalty = _penalty(candidate_length, reference_length)
    return penalty * math.exp(log_sum / len(matches))


def bleu(candidate, references, max_n=4):
    """Sentence BLEU: brevity penalty times the geometric mean of precisions.

    BLEU = BP * exp(mean over n = 1..max_n of log modified_precision(n)),
    with uniform weights 1 / max_n.  There is no smoothing: if any
    precision is 0 (for instance a candidate shorter than max_n), BLEU is
    0.0.  Equals ``sacrebleu.sentence_bleu(..., smooth_method="none",
    tokenize="none").score / 100``.

    Args:
        candidate: list of str tokens.
        references: non-empty list of reference token lists.
        max_n: highest n-gram order, an int >= 1.

    Returns:
        float in [0, 1].
    """
    _check_tokens(candidate, "candidate")
    _check_references(references)
    _check_order(max_n, "max_n")
    ### BEGIN SOLUTION
    precisions = [modified_precision(candidate, references, n)
                  for n in range(1, max_n + 1)]
    if min(precisions) == 0.0:
        return 0.0  # log(0): no smoothing in sentence BLEU
    log_sum = 0.0
    for precision in precisions:
        log_sum += math.log(precision)
    score = brevity_penalty(candidate, references) * math.exp(log_sum / max_n)
    ### END SOLUTION
    return score


def corpus_bleu(candidates, references_per_candidate, max_n=4,
                smooth_method="exp"):
    """Corpus BLEU (Papineni et al.), computed exactly as sacrebleu does.

    Clipped matches and candidate n-gram counts are summed over the whole
    corpus before the precisions are formed; the brevity penalty compares
    the total candidate length with the sum of each candidate's closest
    reference length.  This is *not* the mean of sentence BLEU scores.

    With the defaults the result equals
    ``sacrebleu.corpus_bleu(hyps, ref_streams, tokenize="none").score / 100``
    where ``hyps`` are the candidates joined by spaces and ``ref_streams``
    the references transposed into streams.  The smoothing only matters
    when some order has no match in the whole corpus:
    ``"exp"`` (sacrebleu's default) gives such orders a small precision,
    ``"none"`` makes BLEU 0.0 (``smooth_method="none"`` in sacrebleu).
    Unlike sacrebleu, candidates may have different numbers of references.

    Args:
        candidates: list of candidate token lists.
        references_per_candidate: for each candidate, a non-empty list of
            its reference token lists.
        max_n: highest n-gram order, an int >= 1.
        smooth_method: ``"exp"`` or ``"none"``.

    Returns:
        float in [0, 1].
    """
    _check_corpus(candidates, references_per_candidate)
    _check_order(max_n, "max_n")
    if smooth_method not in SMOOTH_METHODS:
        raise ValueError(f"expected smooth_method in {SMOOTH_METHODS} "
                         f"but got {smooth_method!r}")
    ### BEGIN SOLUTION
    # Sum the statistics over the corpus first, then form the precisions.
    matches = [0] * max_n
    totals = [0] * max_n
    candidate_length = reference_length = 0
    for candidate, references in zip(candidates, references_per_candidate):
        for k in range(max_n):
            matched, total = clipped_matches(candidate, references, k + 1)
            matches[k] += matched
            totals[k] += total
        candidate_length += len(candidate)
        reference_length += closest_reference_length(len(candidate),
                                                     references)
    score = bleu_from_statistics(matches, totals, candidate_length,
                                 reference_length, smooth_method)
    ### END SOLUTION
    return score


# --------------------------------------------------------------------------
# ROUGE.
# --------------------------------------------------------------------------

def f1(precision, recall):
    """Harmonic mean of precision and recall; 0.0 when both are 0.

    f1(0.5, 0.4) = 2 * 0.5 * 0.4 / (0.5 + 0.4) = 4/9.
    """
    _check_fraction(precision, "precision")
    _check_fraction(recall, "recall")
    ### BEGIN SOLUTION
    if precision + recall == 0:
        return 0.0
    score = 2 * precision * recall / (precision + recall)
    ### END SOLUTION
    return score


def rouge_n(candidate, references, n=1):
    """ROUGE-N precision, recall and F1 against the best-matching reference.

    Overlap counts each shared n-gram min(candidate count, reference count)
    times; precision = overlap / candidate n-grams, recall = overlap /
    reference n-grams (each 0.0 when there are no n-grams).  With several
    references the one with the highest F1 is used (ties: the first), as
    ``rouge_score.rouge_scorer.RougeScorer.score_multi`` does.  Example:
    "I I am I" vs "Younes said I am hungry" shares "I" and "am", so
    recall = 2/5 = 0.4 and precision = 2/4 = 0.5.

    Args:
        candidate: list of str tokens.
        references: non-empty list of reference token lists.
        n: n-gram order, an int >= 1.

    Returns:
        tuple of floats (precision, recall, f1), each in [0, 1].
    """
    _check_tokens(candidate, "candidate")
    _check_references(references)
    _check_order(n)
    ### BEGIN SOLUTION
    candidate_counts = ngram_counts(candidate, n)
    candidate_total = max(len(candidate) - n + 1, 0)
    best = None
    for reference in references:
        reference_counts = ngram_counts(reference, n)
        overlap = sum(min(count, reference_counts[ngram])
                      for ngram, count in candidate_counts.items())
        precision = overlap / max(candidate_total, 1)
        recall = overlap / max(len(reference) - n + 1, 1)
        scores = (precision, recall, f1(precision, recall))
        if best is None or scores[2] > best[2]:
            best = scores
    ### END SOLUTION
    return best


def lcs_length(a, b):
    """Length of the longest common subsequence of two token lists (dynamic programming, O(len a * len b)).

    lcs_length("the cat sat".split(), "the fat cat".split()) = 2 ("the cat").
    """
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if token == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(candidate, references):
    """ROUGE-L precision, recall and F1 (longest common subsequence) against the best reference.

    precision = LCS / len(candidate), recall = LCS / len(reference); with several references the one
    with the highest F1 is used (ties: the first), as rouge-score's ``score_multi`` does.

    Args:
        candidate: list of str tokens.
        references: non-empty list of reference token lists.

    Returns:
        tuple of floats (precision, recall, f1), each in [0, 1].
    """
    _check_tokens(candidate, "candidate")
    _check_references(references)
    best = None
    for reference in references:
        common = lcs_length(candidate, reference)
        precision = common / max(len(candidate), 1)
        recall = common / max(len(reference), 1)
        scores = (precision, recall, f1(precision, recall))
        if best is None or scores[2] > best[2]:
            best = scores
    return best


def rouge1_similarity(system, reference):
    """The course's ROUGE-1 F1 between two token lists (MBR's similarity).

    Unigram overlap with clipped counts, then F1 of precision (overlap /
    len(system)) and recall (overlap / len(reference)).  Tokens may be str
    or int token ids, because minimum Bayes risk decoding compares sampled
    token ids; a 1-D numpy array of ids is accepted too.

    Args:
        system: list of tokens (the candidate being scored).
        reference: list of tokens (another sample, playing the reference).

    Returns:
        float in [0, 1]; 0.0 if either list is empty.
    """
    system = _as_token_list(system, "system")
    reference = _as_token_list(reference, "reference")
    ### BEGIN SOLUTION
    if not system or not reference:
        return 0.0
    system_counts = Counter(system)
    reference_counts = Counter(reference)
    overlap = sum(min(count, reference_counts[token])
                  for token, count in system_counts.items())
    score = f1(overlap / len(system), overlap / len(reference))
    ### END SOLUTION
    return score


def _as_token_list(tokens, name):
    """Check a token list of str or int ids; turn a 1-D int array to a list."""
    if isinstance(tokens, np.ndarray):
        if tokens.ndim != 1 or not np.issubdtype(tokens.dtype, np.integer):
            raise TypeError(
                f"expected {name} to be a 1-D array of int token ids but got "
                f"an array of shape {tokens.shape} and dtype {tokens.dtype}")
        tokens = tokens.tolist()
    _check_tokens(tokens, name, allow_ids=True)
    return tokens

"""ROUGE of generated summaries, with Week 1's metrics (`rouge_n`, `rouge_l`).

Texts are split into tokens as rouge-score's default tokenizer does (lower case, runs of characters other
than a-z and 0-9 are separators, no stemming), so the scores agree with ``rouge_score.rouge_scorer``.
"""
import re
import time

import numpy as np

from w1_nmt.metrics import rouge_l, rouge_n

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def rouge_tokens(text):
    """str -> list of str tokens, as rouge-score tokenizes (lower case, alphanumeric runs)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, but got {type(text).__name__}")
    return [token for token in _NON_ALPHANUMERIC.sub(" ", text.lower()).split() if token]


def rouge_scores(candidate, reference):
    """{'rouge1', 'rouge2', 'rougeL'} -> (precision, recall, f1) of one candidate summary (str)."""
    candidate_tokens, reference_tokens = rouge_tokens(candidate), rouge_tokens(reference)
    return {"rouge1": rouge_n(candidate_tokens, [reference_tokens], n=1),
            "rouge2": rouge_n(candidate_tokens, [reference_tokens], n=2),
            "rougeL": rouge_l(candidate_tokens, [reference_tokens])}


def mean_rouge_f1(candidates, references):
    """Mean F1 of each ROUGE type over pairs of summaries: dict rouge1/rouge2/rougeL -> float."""
    if len(candidates) != len(references) or not candidates:
        raise ValueError(f"need as many candidates as references, at least one; got {len(candidates)} "
                         f"and {len(references)}")
    totals = {name: 0.0 for name in ROUGE_TYPES}
    for candidate, reference in zip(candidates, references):
        for name, (_, _, f1) in rouge_scores(candidate, reference).items():
            totals[name] += f1
    return {name: total / len(candidates) for name, total in totals.items()}


def evaluate_summarizer(model, examples, tokenizer=None, max_length=64, config=None):
    """Greedy summaries of `examples` with the cached generator, and their mean ROUGE F1.

    Returns:
        dict with 'rouge1', 'rouge2', 'rougeL' (mean F1), 'n', 'seconds' (generation time) and
        'summaries' (list of str, in the order of `examples`).
    """
    from w2_summarizer.decoding import CachedSummarizer, _resolve_tokenizer

    tokenizer = _resolve_tokenizer(tokenizer)
    summarizer = CachedSummarizer(model, config)
    start = time.perf_counter()
    summaries = [summarizer.summarize(example["article"], tokenizer, max_length=max_length)
                 for example in examples]
    seconds = time.perf_counter() - start
    scores = mean_rouge_f1(summaries, [example["summary"] for example in examples])
    return {**scores, "n": len(examples), "seconds": seconds, "summaries": summaries,
            "exact": float(np.mean([s == e["summary"] for s, e in zip(summaries, examples)]))}

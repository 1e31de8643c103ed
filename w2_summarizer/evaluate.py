"""How good the summaries are: ROUGE with Week 1's metrics (`rouge_n`, `rouge_l`), and the key facts restated.

Texts are split into tokens as rouge-score's default tokenizer does (lower case, runs of characters other
than a-z and 0-9 are separators, no stemming), so the scores agree with ``rouge_score.rouge_scorer``.
ROUGE is lenient (one wrong number in a sentence of right words costs one token), so `fact_recall` also
counts the generator's key facts (the score, the revenue, the organiser, ...) that a summary restates word
for word.

    python -m w2_summarizer.evaluate --n 200 --seed SEED

summarizes `fresh_examples(n, SEED)` (generated articles that are in no training, eval or test split) with
the committed reference summarizer (greedy) and prints, last, one JSON line
``{"rouge1": .., "rouge2": .., "rougeL": .., "fact_recall": {"all": .., "<fact>": .., ...}, "n": ..}``.
"""
import json
import pathlib
import re
import sys
import time

import numpy as np

from coursekit.commands import evaluation_arguments
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


def fact_recall(examples, summaries):
    """How often each key fact appears word for word in the summary written for its article.

    Args:
        examples: list of example dicts whose "facts" is a dict str -> str (None or missing: no facts).
        summaries: list of str, one per example.

    Returns:
        dict {fact name: fraction of the examples with that fact whose summary holds it}, plus "all" (over
        every fact of every example). A fact counts when its text appears as whole words: "3-1" is not
        found in "13-1", nor "Mill Lane" in "Mill Laneway".
    """
    if len(examples) != len(summaries):
        raise ValueError(f"need one summary per example, but got {len(summaries)} for {len(examples)}")
    found, total = {}, {}
    for example, summary in zip(examples, summaries):
        for name, value in (example.get("facts") or {}).items():
            total[name] = total.get(name, 0) + 1
            pattern = r"(?<![\w$-])" + re.escape(value) + r"(?![\w-])"
            found[name] = found.get(name, 0) + int(re.search(pattern, summary) is not None)
    recall = {name: found[name] / total[name] for name in sorted(total)}
    recall["all"] = sum(found.values()) / max(sum(total.values()), 1)
    return recall


FRESH_SEED_OFFSET = 104729  # fresh examples come from streams no training run draws from (training uses 0, 1, ...)


def fresh_examples(n, seed, config=None):
    """`n` generated examples from stream FRESH_SEED_OFFSET + `seed`, none of whose articles is in the
    train, eval or test split of `config` (default: the reference config): list of example dicts."""
    from w2_summarizer import config as cfg
    from w2_summarizer.data import iter_examples, make_splits

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an int >= 1, but got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an int >= 0, but got {seed!r}")
    config = config or cfg.DEFAULT
    splits = make_splits(n_train=config.n_train, n_eval=config.n_eval, n_test=config.n_test, seed=config.seed)
    seen = {example["article"] for split in splits.values() for example in split}
    examples = []
    for example in iter_examples(FRESH_SEED_OFFSET + int(seed)):
        if example["article"] not in seen:
            seen.add(example["article"])
            examples.append(example)
            if len(examples) == n:
                return examples


def evaluate_reference(n, seed, checkpoint=None, max_length=64):
    """Greedy summaries of `fresh_examples(n, seed)` by the committed summarizer (or `checkpoint`).

    Returns:
        (scores, examples): scores is `evaluate_summarizer`'s dict plus "fact_recall" (see `fact_recall`).
    """
    from w2_summarizer import config as cfg
    from w2_summarizer.tokenizer import default_tokenizer
    from w2_summarizer.train import load_model

    checkpoint = pathlib.Path(checkpoint or cfg.REFERENCE_CHECKPOINT)
    if not checkpoint.exists():
        raise FileNotFoundError(f"no checkpoint at {checkpoint}; train one with `python -m w2_summarizer.train`")
    examples = fresh_examples(n, seed)
    tokenizer = default_tokenizer()
    model = load_model(checkpoint, mode="eval", vocab_size=tokenizer.vocab_size)
    scores = evaluate_summarizer(model, examples, tokenizer=tokenizer, max_length=max_length)
    scores["fact_recall"] = fact_recall(examples, scores["summaries"])
    return scores, examples


def main(argv=None):
    args = evaluation_arguments("Score the Week 2 summarizer on fresh generated articles.", "articles", 200,
                                "seed of the fresh articles", "w2_summarizer/assets/summarizer.pkl.gz", argv)
    started = time.perf_counter()
    try:
        scores, examples = evaluate_reference(args.n, args.seed, args.checkpoint)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for example, summary in list(zip(examples, scores["summaries"]))[:args.show]:
        missed = [name for name, value in example["facts"].items() if fact_recall([example], [summary])[name] < 1]
        print(f"[{example['topic']}] {summary}\n    reference: {example['summary']}"
              + (f"\n    facts missed: {', '.join(missed)}" if missed else ""))
    print(f"{scores['n']} fresh articles (seed {args.seed}) in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    recall = scores["fact_recall"]
    print(json.dumps({**{name: round(scores[name], 4) for name in ROUGE_TYPES},
                      "fact_recall": {"all": round(recall["all"], 4),
                                      **{k: round(v, 4) for k, v in recall.items() if k != "all"}},
                      "n": scores["n"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

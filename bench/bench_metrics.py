"""Time w1_nmt.metrics against sacrebleu and rouge-score on 10k pairs.

Usage:
    .venv/bin/python bench/bench_metrics.py [--pairs 10000] [--repeats 3]
                                            [--out bench/results/metrics.json]

Each row times one pass over the corpus (best of --repeats runs):
corpus BLEU (one reference per candidate) and ROUGE-1 / ROUGE-2 of every
pair.  The libraries get their inputs already joined into strings, so
only the scoring is timed; rouge-score also tokenizes, as it always does.
The two results are checked to agree to 1e-9 before anything is timed.
"""
import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sacrebleu  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402

from w1_nmt.metrics import corpus_bleu, rouge_n  # noqa: E402

VOCABULARY = "the a cat dog sat on mat ran to park is big 2 of".split()


def make_pairs(n_pairs, seed=0):
    """Random candidates (1..40 tokens) and noisy copies as references."""
    rng = random.Random(seed)
    candidates, references = [], []
    for _ in range(n_pairs):
        candidate = rng.choices(VOCABULARY, k=rng.randint(1, 40))
        reference = [token if rng.random() > 0.3 else rng.choice(VOCABULARY)
                     for token in candidate]
        candidates.append(candidate)
        references.append(reference)
    return candidates, references


def best_time(function, repeats):
    """Smallest wall time of `repeats` calls, and the last result."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def rouge_task(candidates, references, n):
    """Ours and rouge-score's ROUGE-N over all pairs, as two callables."""
    scorer = rouge_scorer.RougeScorer([f"rouge{n}"])
    hypotheses = [" ".join(tokens) for tokens in candidates]
    targets = [" ".join(tokens) for tokens in references]

    def ours():
        return [rouge_n(candidate, [reference], n=n)
                for candidate, reference in zip(candidates, references)]

    def theirs():
        scores = [scorer.score(target, hypothesis)[f"rouge{n}"]
                  for target, hypothesis in zip(targets, hypotheses)]
        return [(s.precision, s.recall, s.fmeasure) for s in scores]

    return ours, theirs


def bleu_task(candidates, references):
    """Ours and sacrebleu's corpus BLEU, as two callables."""
    hypotheses = [" ".join(tokens) for tokens in candidates]
    streams = [[" ".join(tokens) for tokens in references]]
    nested = [[reference] for reference in references]

    def ours():
        return [corpus_bleu(candidates, nested)]

    def theirs():
        score = sacrebleu.corpus_bleu(hypotheses, streams, tokenize="none")
        return [score.score / 100]

    return ours, theirs


def largest_difference(ours, theirs):
    """Largest absolute difference between two lists of numbers or tuples."""
    flat = []
    for a, b in zip(ours, theirs):
        a, b = (a, b) if isinstance(a, tuple) else ((a,), (b,))
        flat.extend(abs(x - y) for x, y in zip(a, b))
    return max(flat)


def run(n_pairs, repeats):
    """Time every task; returns a list of result rows (dicts)."""
    candidates, references = make_pairs(n_pairs)
    tasks = {
        "corpus_bleu": ("sacrebleu.corpus_bleu", bleu_task(candidates,
                                                           references)),
        "rouge_n n=1": ("rouge-score rouge1", rouge_task(candidates,
                                                         references, 1)),
        "rouge_n n=2": ("rouge-score rouge2", rouge_task(candidates,
                                                         references, 2)),
    }
    rows = []
    for name, (library, (ours, theirs)) in tasks.items():
        difference = largest_difference(ours(), theirs())
        assert difference < 1e-9, f"{name} disagrees by {difference}"
        ours_s, _ = best_time(ours, repeats)
        theirs_s, _ = best_time(theirs, repeats)
        rows.append({"task": name, "library": library, "ours_s": ours_s,
                     "library_s": theirs_s, "speedup": theirs_s / ours_s,
                     "max_abs_difference": difference})
    return rows


def print_table(rows, n_pairs):
    print(f"{n_pairs} pairs, best of repeats, seconds")
    print(f"{'task':<13} {'ours':>8} {'library':>8} {'speedup':>8}  library")
    for row in rows:
        print(f"{row['task']:<13} {row['ours_s']:8.3f} "
              f"{row['library_s']:8.3f} {row['speedup']:7.2f}x  "
              f"{row['library']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    rows = run(args.pairs, args.repeats)
    print_table(rows, args.pairs)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        report = {"pairs": args.pairs, "repeats": args.repeats,
                  "python": platform.python_version(),
                  "sacrebleu": sacrebleu.__version__, "results": rows}
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

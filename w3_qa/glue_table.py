"""A GLUE-style table for this week's generated tasks, scored the way GLUE scores its own.

    python -m w3_qa.glue_table [--seeds 0,1,2] [--steps N] [--out w3_qa/assets/glue_table.json]

Two tasks, each with its GLUE counterpart's metric:

* ``nli``: premise and hypothesis about a paragraph's fact, entailment / neutral / contradiction
  (`data.nli_examples`), like MNLI: accuracy;
* ``acceptability``: one sentence, acceptable or not (`data.acceptability_examples`), like CoLA: Matthews
  correlation.

For every seed the encoder classifier (`classifier.train_classifier`, `config.CLASSIFIER`) is trained from
random weights on the examples of `train_paragraphs` generated paragraphs and scored on the examples of
`test_paragraphs` others (no entity of the test paragraphs is in the training ones). Beside it, the
majority class of the training labels, the baseline every GLUE table starts from. The GLUE-style score is
the mean of the task scores (`glue.glue_score`), in percent as GLUE reports them. The command prints the
table and writes the record (JSON) that the notebook shows.
"""
import argparse
import dataclasses
import json
import sys

import numpy as np

from coursekit.commands import int_list
from w3_qa import config as cfg
from w3_qa.classifier import TASKS, predict, train_classifier
from w3_qa.data import generate_paragraphs, nli_examples
from w3_qa.data.acceptability import acceptability_examples
from w3_qa.glue import accuracy, glue_score, matthews_corrcoef

__all__ = ["TABLE_TASKS", "task_examples", "score", "build_table", "format_table", "main"]

#: Our tasks: the examples' maker, the GLUE task it stands for, and the metric GLUE scores that task by.
TABLE_TASKS = {
    "nli": (nli_examples, "MNLI", "accuracy"),
    "acceptability": (acceptability_examples, "CoLA", "matthews_corrcoef"),
}
_METRICS = {"accuracy": accuracy, "matthews_corrcoef": matthews_corrcoef}
_SEEDS = {"train": 101, "eval": 303, "test": 202}  # the paragraphs' seeds


def _paragraph_splits(config):
    """Train, eval and test paragraphs; eval and test hold no entity (title) of the training paragraphs."""
    train = generate_paragraphs(config.train_paragraphs, seed=_SEEDS["train"])
    seen = {p["title"] for p in train}
    held = {}
    for split, n in (("eval", max(20, config.test_paragraphs // 5)), ("test", config.test_paragraphs)):
        candidates = generate_paragraphs(2 * n, seed=_SEEDS[split])
        held[split] = [p for p in candidates if p["title"] not in seen][:n]
        seen |= {p["title"] for p in held[split]}
    return train, held["eval"], held["test"]


def task_examples(name, config=None):
    """(train, eval, test) example lists of one of TABLE_TASKS (config: default `config.CLASSIFIER`)."""
    config = cfg.CLASSIFIER if config is None else config
    make = TABLE_TASKS[name][0]
    return tuple(make(paragraphs, seed=k) for k, paragraphs in enumerate(_paragraph_splits(config)))


def score(name, predictions, labels):
    """{"score": the GLUE metric of task `name` (a fraction), "accuracy": accuracy} of class-id predictions."""
    metric = TABLE_TASKS[name][2]
    return {"score": _METRICS[metric](predictions, labels), "accuracy": accuracy(predictions, labels)}


def _labels(name, examples):
    return np.array([TASKS[name].labels.index(e["label"]) for e in examples])


def build_table(seeds=(0, 1, 2), n_steps=None, config=None, tokenizer=None, progress=False, log=print):
    """Train and score the classifier on every task for every seed; returns the record (a JSON-able dict).
    config: default `config.CLASSIFIER`; n_steps: default the config's."""
    config = cfg.CLASSIFIER if config is None else config
    if tokenizer is None:
        from w3_qa.tokenizer import default_tokenizer
        tokenizer = default_tokenizer()
    n_steps = config.n_steps if n_steps is None else n_steps
    tasks = {}
    for name, (_, analogue, metric) in TABLE_TASKS.items():
        train, evaluation, test = task_examples(name, config)
        labels = _labels(name, test)
        majority = np.bincount(_labels(name, train)).argmax()
        row = {"glue_task": analogue, "metric": metric, "n_train": len(train), "n_test": len(test),
               "majority": score(name, np.full(len(test), majority), labels), "seeds": []}
        for seed in seeds:
            model, history, seconds = train_classifier(train, evaluation, name, tokenizer,
                                                       dataclasses.replace(config, seed=seed), n_steps, progress)
            result = dict(score(name, predict(model, test, name, tokenizer, config.max_len), labels), seed=seed,
                          seconds=round(seconds, 1), eval_loss=history[-1]["eval_loss"])
            row["seeds"].append(result)
            also = f" (accuracy {result['accuracy']:.3f})" if metric != "accuracy" else ""
            log(f"{name} seed {seed}: {metric} {result['score']:.3f}{also} in {seconds:.0f} s")
        values = [result["score"] for result in row["seeds"]]
        row["mean"], row["std"] = float(np.mean(values)), float(np.std(values))
        tasks[name] = row
    return {"command": "python -m w3_qa.glue_table " + " ".join(
                [f"--seeds {','.join(str(s) for s in seeds)}", f"--steps {n_steps}"]),
            "n_steps": n_steps, "config": dataclasses.asdict(config), "tasks": tasks,
            "glue_score": {"majority": 100 * glue_score({n: r["majority"]["score"] for n, r in tasks.items()}),
                           "classifier": 100 * glue_score({n: r["mean"] for n, r in tasks.items()})}}


def format_table(record):
    """The record as a text table: one row per task, then the GLUE-style score (all in percent)."""
    lines = [f"{'task':14s} {'like':5s} {'metric':18s} {'train':>6s} {'test':>5s} {'majority':>9s} "
             f"{'classifier (mean ± sd over seeds)':>34s}"]
    for name, row in record["tasks"].items():
        per_seed = ", ".join(f"{100 * r['score']:.1f}" for r in row["seeds"])
        lines.append(f"{name:14s} {row['glue_task']:5s} {row['metric']:18s} {row['n_train']:6d} {row['n_test']:5d} "
                     f"{100 * row['majority']['score']:9.1f} {100 * row['mean']:11.1f} ± {100 * row['std']:4.1f}"
                     f" ({per_seed})")
    score_ = record["glue_score"]
    lines.append(f"{'GLUE-style score (mean of the task scores)':57s} {score_['majority']:9.1f} "
                 f"{score_['classifier']:11.1f}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m w3_qa.glue_table", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int_list(), default=(0, 1, 2), help="comma-separated seeds (default 0,1,2)")
    parser.add_argument("--steps", type=int, default=None,
                        help=f"training steps per run (default {cfg.CLASSIFIER.n_steps})")
    parser.add_argument("--out", default=str(cfg.GLUE_RESULTS), help="where to write the record (JSON)")
    args = parser.parse_args(argv)
    if args.steps is not None and args.steps < 1:
        parser.error(f"--steps must be >= 1 but got {args.steps}")
    record = build_table(args.seeds, args.steps)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(record, indent=1) + "\n")
    print(format_table(record))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

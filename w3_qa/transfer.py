"""The transfer curve: how much pre-training helps, as a function of how many labeled questions there are.

For each labeled-set size n in `config.labeled_sizes` and each seed, the encoder-decoder is fine-tuned on n
training questions (a seeded draw, the same in every arm of that seed) in three arms:

* ``pretrained``: from the span-corruption checkpoint, `config.transfer_steps` steps;
* ``scratch``: from random weights, the same steps, learning rate, schedule, curriculum and batches;
* ``scratch_matched``: from random weights with the pre-training's compute added as fine-tuning steps
  (`matched_steps`), so a gain is not just more training.

Each run keeps its best checkpoint by the F1 of greedy answers to eval questions and answers the held-out
test questions (paragraphs seen neither in pre-training nor in fine-tuning), scored by SQuAD exact match and
F1. The gain of pre-training is reported per size as its mean, spread and per-seed values (`gain_spread`).

    python -m w3_qa.transfer --pretrained w3_qa/assets/pretrained.pkl.gz --out w3_qa/assets --seeds 0,1,2

writes ``transfer_curve.json`` (one row per run, the gains over both scratch arms) and
``transfer_curve.png``. Runs reuse compiled computations through JAX's persistent compilation cache.
"""
import argparse
import dataclasses
import json
import os
import pathlib
import tempfile
import time

import numpy as np

from coursekit.commands import int_list
from w3_qa import config as cfg
from w3_qa.checkpoints import as_eval_model
from w3_qa.scoring import evaluate_model
from w3_qa.tokenizer import default_tokenizer
from w3_qa.train import finetune, splits

__all__ = ["ARMS", "labeled_subset", "run_config", "run", "matched_steps", "transfer_curve", "gains",
           "gain_spread", "main"]


def _enable_compilation_cache():
    import jax

    if not os.environ.get("JAX_COMPILATION_CACHE_DIR") and not jax.config.jax_compilation_cache_dir:
        jax.config.update("jax_compilation_cache_dir", os.path.join(tempfile.gettempdir(), "w3_qa_jax_cache"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)


ARMS = ("pretrained", "scratch", "scratch_matched")


def labeled_subset(data, n_labeled, seed):
    """`data` with its training split reordered by `seed` (the first `n_labeled` are the run's labels): every
    arm of one seed fine-tunes on the same questions, and each seed on another draw of them."""
    order = np.random.default_rng([seed, 17]).permutation(len(data["train"]))
    return {**data, "train": [data["train"][i] for i in order]}


def run_config(config, seed, n_steps):
    """The config of one transfer run: `seed`, evaluations every config.transfer_eval_every steps, and the
    reference recipe's curriculum ramp scaled to `n_steps` (the same share of the run's examples)."""
    ramp = round(config.curriculum_examples * n_steps / max(config.finetune_steps, 1))
    return dataclasses.replace(config, seed=seed, finetune_eval_every=config.transfer_eval_every,
                               curriculum_examples=ramp)


def run(n_labeled, pretrained, config=cfg.DEFAULT, data=None, tokenizer=None, progress=False, seed=None,
        n_steps=None, arm=None):
    """Fine-tune on `n_labeled` questions (from `pretrained` or from scratch) for `n_steps` steps (default
    config.transfer_steps), evaluating every config.transfer_eval_every, and score it on the test split.

    seed (default config.seed) draws the labeled questions (`labeled_subset`), the batch order and the
    initial weights.

    Returns:
        dict {n_labeled, pretrained (bool), arm, seed, exact_match, f1, n_test, steps, train_seconds, best_step,
        selected_by, best_eval_f1, eval_loss, examples (three (question, answer, prediction) triples)}.
    """
    tokenizer = tokenizer or default_tokenizer()
    seed = config.seed if seed is None else seed
    n_steps = n_steps or config.transfer_steps
    data = labeled_subset(data or splits(config), n_labeled, seed)
    config = run_config(config, seed, n_steps)
    model, history, seconds = finetune(n_labeled, pretrained, config, n_steps=n_steps,
                                       tokenizer=tokenizer, data=data, progress=progress)
    scores, predictions = evaluate_model(as_eval_model(model, config, tokenizer), data["test"], tokenizer,
                                         max_length=config.answer_length)
    best = next(h for h in history if h.get("best"))
    return {"n_labeled": n_labeled, "pretrained": pretrained is not None,
            "arm": arm or ("pretrained" if pretrained is not None else "scratch"), "seed": seed,
            "exact_match": round(scores["exact_match"], 2), "f1": round(scores["f1"], 2), "n_test": scores["n"],
            "steps": history[-1]["step"], "train_seconds": round(seconds, 1),
            "best_step": best["step"], "selected_by": config.select_by, "best_eval_f1": best.get("eval_f1"),
            "eval_loss": round(min(h["eval_loss"] for h in history), 4),
            "examples": [[e["question"], e["answer"], p] for e, p in zip(data["test"][:3], predictions[:3])]}


def matched_steps(config=cfg.DEFAULT):
    """Fine-tuning steps of the compute-matched control: the transfer run's steps plus as many steps of the
    fine-tuning batch as the pre-training's tokens (steps x batch x input length) would fill."""
    boundaries = config.finetune_input_boundaries or config.input_boundaries
    pretrain_tokens = config.pretrain_steps * config.pretrain_batch_size * max(config.input_boundaries)
    finetune_tokens = config.finetune_batch_size * max(boundaries)
    return config.transfer_steps + round(pretrain_tokens / finetune_tokens)


def transfer_curve(pretrained, sizes=None, config=cfg.DEFAULT, progress=False, on_row=None, seeds=(0,),
                   control=True):
    """For each labeled-set size and seed: fine-tuning from `pretrained`, from scratch with the same steps,
    and (with `control`) from scratch with `matched_steps(config)`. A list of row dicts (`run`'s),
    smallest size first."""
    _enable_compilation_cache()
    tokenizer = default_tokenizer()
    data = splits(config)
    arms = [("pretrained", pretrained, None), ("scratch", None, None)]
    if control:
        arms.append(("scratch_matched", None, matched_steps(config)))
    rows = []
    for n_labeled in sizes or config.labeled_sizes:
        for seed in seeds:
            for arm, start, n_steps in arms:
                row = run(n_labeled, start, config, data, tokenizer, progress, seed=seed, n_steps=n_steps, arm=arm)
                rows.append(row)
                if on_row:
                    on_row(row)
    return rows


def _arm(row):
    return row.get("arm") or ("pretrained" if row["pretrained"] else "scratch")


def gains(rows, against="scratch"):
    """{n_labeled: (mean exact-match gain, mean F1 gain)} of pre-training over the `against` arm, in points,
    over the seeds that ran both."""
    return {n: (summary["exact_match"]["mean"], summary["f1"]["mean"])
            for n, summary in gain_spread(rows, against).items()}


def gain_spread(rows, against="scratch"):
    """Per labeled-set size, the gain of pre-training over the `against` arm seed by seed:
    {n_labeled: {"seeds": [...], "exact_match": {"mean", "std", "min", "max", "per_seed"}, "f1": {...}}}
    (std: the sample standard deviation over seeds, 0 with one seed)."""
    by_key = {(row["n_labeled"], _arm(row), row.get("seed", 0)): row for row in rows}
    result = {}
    for n in sorted({row["n_labeled"] for row in rows}):
        seeds = sorted(seed for (size, arm, seed) in by_key
                       if size == n and arm == "pretrained" and (n, against, seed) in by_key)
        if not seeds:
            continue
        result[n] = {"seeds": seeds}
        for metric in ("exact_match", "f1"):
            per_seed = [by_key[n, "pretrained", s][metric] - by_key[n, against, s][metric] for s in seeds]
            result[n][metric] = {"mean": round(float(np.mean(per_seed)), 2),
                                 "std": round(float(np.std(per_seed, ddof=1)) if len(per_seed) > 1 else 0.0, 2),
                                 "min": round(min(per_seed), 2), "max": round(max(per_seed), 2),
                                 "per_seed": [round(g, 2) for g in per_seed]}
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pretrained", default=str(cfg.PRETRAINED_CHECKPOINT))
    parser.add_argument("--out", default=str(cfg.ASSETS_DIR))
    parser.add_argument("--sizes", type=int_list(1), default=None,
                        help="comma-separated labeled-set sizes (default: config)")
    parser.add_argument("--seeds", type=int_list(), default=(0, 1, 2), help="comma-separated seeds (default 0,1,2)")
    parser.add_argument("--no-control", action="store_true", help="skip the compute-matched from-scratch runs")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a QAConfig field, e.g. --set select_by=loss (repeatable)")
    args = parser.parse_args(argv)
    config = cfg.DEFAULT.with_overrides(args.set)
    sizes = list(args.sizes) if args.sizes else None
    seeds = list(args.seeds)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    def report(row):
        print(f"n={row['n_labeled']:5d} seed={row['seed']} {row['arm']:15s}  EM {row['exact_match']:6.2f}  "
              f"F1 {row['f1']:6.2f}  ({row['train_seconds']:.0f} s)", flush=True)

    rows = transfer_curve(args.pretrained, sizes, config, progress=False, on_row=report, seeds=seeds,
                          control=not args.no_control)
    record = {"pretrained_checkpoint": pathlib.Path(args.pretrained).name, "seeds": seeds,
              "steps": config.transfer_steps, "matched_steps": None if args.no_control else matched_steps(config),
              "rows": rows,
              "gains": {str(n): g for n, g in gain_spread(rows).items()},
              "gains_over_matched": {str(n): g for n, g in gain_spread(rows, "scratch_matched").items()},
              "seconds": round(time.perf_counter() - start, 1), "overrides": args.set}
    (out / cfg.TRANSFER_RESULTS.name).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    from w3_qa.visualize import plot_transfer_curve
    plot_transfer_curve(rows).savefig(out / cfg.TRANSFER_RESULTS.name.replace(".json", ".png"), dpi=100)
    print(f"gains (EM, F1 points): {gains(rows)}; wrote {out / cfg.TRANSFER_RESULTS.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The transfer curve: how much pre-training helps, as a function of how many labeled questions there are.

For each labeled-set size n in `config.labeled_sizes`, the encoder-decoder is fine-tuned on the first n
training questions twice, from random weights and from the span-corruption checkpoint, with the same steps,
learning rate, batches and seed; both answer the held-out test questions (paragraphs seen neither in
pre-training nor in fine-tuning), scored by SQuAD exact match and F1.

    python -m w3_qa.transfer --pretrained w3_qa/assets/pretrained.pkl.gz --out w3_qa/assets

writes ``transfer_curve.json`` (one row per run) and ``transfer_curve.png``. Runs reuse compiled
computations through JAX's persistent compilation cache (one folder for the whole curve).
"""
import argparse
import dataclasses
import json
import os
import pathlib
import tempfile
import time

from w3_qa import config as cfg


def _enable_compilation_cache():
    import jax

    if not os.environ.get("JAX_COMPILATION_CACHE_DIR") and not jax.config.jax_compilation_cache_dir:
        jax.config.update("jax_compilation_cache_dir", os.path.join(tempfile.gettempdir(), "w3_qa_jax_cache"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)


def evaluate_model(model, examples, tokenizer=None, max_length=None):
    """SQuAD scores of `model` on QA example dicts: {"exact_match", "f1", "n"} plus the predictions
    (greedy answers of at most `max_length` tokens; default: qa.DEFAULT_MAX_ANSWER)."""
    from w3_qa.evaluate import squad_scores
    from w3_qa.qa import DEFAULT_MAX_ANSWER, answer_questions

    predictions = answer_questions(examples, model, tokenizer, max_length=max_length or DEFAULT_MAX_ANSWER)
    scores = squad_scores(predictions, [example["answer"] for example in examples])
    return scores, predictions


def as_eval_model(model, config, tokenizer):
    """The same weights in an 'eval'-mode model (no dropout)."""
    import jax

    from w3_qa.train import input_signature, make_model

    evaluator = make_model(tokenizer.vocab_size, config, mode="eval")
    evaluator.init(input_signature())
    evaluator.weights = jax.device_put(model.weights)
    return evaluator


def run(n_labeled, pretrained, config=cfg.DEFAULT, data=None, tokenizer=None, progress=False):
    """Fine-tune on `n_labeled` questions (from `pretrained` or from scratch) for config.transfer_steps steps,
    evaluating every config.transfer_eval_every, and score it on the test split.

    Returns:
        dict {n_labeled, pretrained (bool), exact_match, f1, n_test, steps, train_seconds, eval_loss,
        examples (three (question, answer, prediction) triples)}.
    """
    from w3_qa.tokenizer import default_tokenizer
    from w3_qa.train import finetune, splits

    tokenizer = tokenizer or default_tokenizer()
    data = data or splits(config)
    config = dataclasses.replace(config, finetune_eval_every=config.transfer_eval_every)
    model, history, seconds = finetune(n_labeled, pretrained, config, n_steps=config.transfer_steps,
                                       tokenizer=tokenizer, data=data, progress=progress)
    scores, predictions = evaluate_model(as_eval_model(model, config, tokenizer), data["test"], tokenizer,
                                         max_length=config.answer_length)
    best = next(h for h in history if h.get("best"))
    return {"n_labeled": n_labeled, "pretrained": pretrained is not None,
            "exact_match": round(scores["exact_match"], 2), "f1": round(scores["f1"], 2), "n_test": scores["n"],
            "steps": history[-1]["step"], "train_seconds": round(seconds, 1),
            "best_step": best["step"], "selected_by": config.select_by, "best_eval_f1": best.get("eval_f1"),
            "eval_loss": round(min(h["eval_loss"] for h in history), 4),
            "examples": [[e["question"], e["answer"], p] for e, p in zip(data["test"][:3], predictions[:3])]}


def transfer_curve(pretrained, sizes=None, config=cfg.DEFAULT, progress=False, on_row=None):
    """One `run` per (size, with/without pre-training): a list of row dicts, smallest size first."""
    from w3_qa.tokenizer import default_tokenizer
    from w3_qa.train import splits

    _enable_compilation_cache()
    tokenizer = default_tokenizer()
    data = splits(config)
    rows = []
    for n_labeled in sizes or config.labeled_sizes:
        for start in (pretrained, None):
            row = run(n_labeled, start, config, data, tokenizer, progress)
            rows.append(row)
            if on_row:
                on_row(row)
    return rows


def gains(rows):
    """{n_labeled: (exact-match gain, F1 gain)} of pre-training, in points."""
    by_key = {(row["n_labeled"], row["pretrained"]): row for row in rows}
    return {n: (by_key[n, True]["exact_match"] - by_key[n, False]["exact_match"],
                by_key[n, True]["f1"] - by_key[n, False]["f1"])
            for n in sorted({row["n_labeled"] for row in rows}) if (n, True) in by_key and (n, False) in by_key}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pretrained", default=str(cfg.PRETRAINED_CHECKPOINT))
    parser.add_argument("--out", default=str(cfg.ASSETS_DIR))
    parser.add_argument("--sizes", default=None, help="comma-separated labeled-set sizes (default: config)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a QAConfig field, e.g. --set select_by=loss (repeatable)")
    args = parser.parse_args(argv)
    config = cfg.DEFAULT.with_overrides(args.set)
    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else None
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    def report(row):
        print(f"n={row['n_labeled']:5d} pretrained={row['pretrained']!s:5}  EM {row['exact_match']:6.2f}  "
              f"F1 {row['f1']:6.2f}  ({row['train_seconds']:.0f} s)", flush=True)

    rows = transfer_curve(args.pretrained, sizes, config, progress=False, on_row=report)
    record = {"pretrained_checkpoint": pathlib.Path(args.pretrained).name, "rows": rows,
              "gains": {str(n): {"exact_match": round(g[0], 2), "f1": round(g[1], 2)}
                        for n, g in gains(rows).items()},
              "seconds": round(time.perf_counter() - start, 1), "overrides": args.set}
    (out / cfg.TRANSFER_RESULTS.name).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    from w3_qa.visualize import plot_transfer_curve
    plot_transfer_curve(rows).savefig(out / cfg.TRANSFER_RESULTS.name.replace(".json", ".png"), dpi=100)
    print(f"gains (EM, F1 points): {gains(rows)}; wrote {out / cfg.TRANSFER_RESULTS.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

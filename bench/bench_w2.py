"""Week 2 figures: the summarizer's ROUGE, training-step time vs sequence length (Transformer vs LSTM),
and generation with vs without the predict-mode cache.

Usage:
    .venv/bin/python -m bench.bench_w2 [--only w2_quality w2_parallelism w2_generation] [--quick]
                                       [--n-test 200] [--k 5] [--repeats 5] [--out bench/results/w2.json]

`make bench` (bench/run_all.py) runs the same three functions as its sections w2_quality,
w2_parallelism and w2_generation:

* `quality`: greedy summaries (CachedSummarizer) of n fresh generated articles per seed (2 and 3; the
  articles of `python -m w2_summarizer.evaluate --n N --seed SEED`) by the reference checkpoint: mean
  ROUGE-1/2/L F1 (overall and ROUGE-1 by topic), the key facts restated word for word (overall and per fact
  type) and the training record (summarizer.train.json). Targets: ROUGE-1 F1 >= 0.70, facts >= 85% overall
  and >= 60% per type, training <= 30 minutes (reported, not asserted). Skipped, with a reason, when there
  is no reference checkpoint.
* `parallelism`: the median time of one training step (forward, backward, Adam update; one
  jax.jit-compiled function of the model's pure_fn, timed after a warm-up) against the sequence length
  L, for the Week 2 TransformerLM and an LSTM language model of about the same number of parameters
  (the LSTM, its width and the timed step are w2_summarizer/baseline.py's).
  The LSTM's trax `Scan` steps through the L positions one after the other; the Transformer handles
  all positions in one batch of matrix products. Plot: bench/results/w2_parallelism.png.
* `generation`: greedy generation of up to max_length tokens for K test articles with the
  predict-mode cache (`CachedSummarizer.generate`) vs recomputing the padded prefix at every step
  (`recompute_generate`); ms per generated token, the speed-up, and whether the tokens are identical.
  Uses the reference checkpoint if present, else a randomly initialised model of DEFAULT's size.
"""
import argparse
import json
import pathlib
import platform
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from coursekit.trax_env import import_trax  # noqa: E402

trax = import_trax()
import jax  # noqa: E402

from w2_summarizer import config as cfg  # noqa: E402
from w2_summarizer.baseline import lstm_lm, make_train_step, matching_lstm_width  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PARALLELISM_LENGTHS = (32, 64, 128, 256, 512)
NO_CHECKPOINT = "skipped: no reference checkpoint; run python -m w2_summarizer.train"


# -------------------------------------------------------------------------------------------------
# Helpers
# -------------------------------------------------------------------------------------------------

def _train_record_path(checkpoint):
    checkpoint = pathlib.Path(checkpoint)
    return checkpoint.with_name(checkpoint.name.replace(".pkl.gz", ".train.json"))


def held_out_examples(config=cfg.DEFAULT, n=None):
    """The held-out test split of `make_splits` (the same with any n_train: test is filled first)."""
    from w2_summarizer.data import make_splits

    test = make_splits(n_train=0, n_eval=config.n_eval, n_test=config.n_test, seed=config.seed)["test"]
    return test if n is None else test[:n]


def _device():
    return str(jax.devices()[0])


# -------------------------------------------------------------------------------------------------
# w2_quality
# -------------------------------------------------------------------------------------------------

TARGET_ROUGE1, TARGET_FACTS, TARGET_FACTS_PER_TYPE, TARGET_TRAIN_SECONDS = 0.70, 0.85, 0.60, 1800


def quality(n_test=200, checkpoint=None, config=cfg.DEFAULT, max_length=64, seeds=(2, 3)):
    """ROUGE and fact recall of the reference summarizer's greedy summaries of `n_test` fresh articles per seed
    (`python -m w2_summarizer.evaluate --n N --seed SEED`), against the targets (ROUGE-1 F1 >= 0.70, key facts
    restated >= 85% overall and >= 60% per fact type, training <= 30 minutes); reported, not asserted."""
    checkpoint = pathlib.Path(checkpoint or cfg.REFERENCE_CHECKPOINT)
    if not checkpoint.exists():
        return {"skipped": f"{NO_CHECKPOINT} (looked for {checkpoint})"}
    from w2_summarizer.evaluate import evaluate_reference, rouge_scores

    result = {"checkpoint": checkpoint.name, "n_test": n_test, "max_length": max_length, "seeds": {},
              "targets": {"rouge1": TARGET_ROUGE1, "facts_all": TARGET_FACTS, "facts_per_type": TARGET_FACTS_PER_TYPE,
                          "train_seconds": TARGET_TRAIN_SECONDS}}
    for seed in seeds:
        scores, examples = evaluate_reference(n_test, seed, checkpoint, max_length=max_length)
        by_topic = {}
        for example, summary in zip(examples, scores["summaries"]):
            by_topic.setdefault(example["topic"], []).append(rouge_scores(summary, example["summary"])["rouge1"][2])
        recall = scores["fact_recall"]
        result["seeds"][str(seed)] = {
            "rouge1": scores["rouge1"], "rouge2": scores["rouge2"], "rougeL": scores["rougeL"],
            "exact_match": scores["exact"], "generation_seconds": round(scores["seconds"], 2),
            "rouge1_by_topic": {topic: {"n": len(f1s), "rouge1": float(np.mean(f1s))}
                                for topic, f1s in sorted(by_topic.items())},
            "fact_recall": recall,
            "met": bool(scores["rouge1"] >= TARGET_ROUGE1 and recall["all"] >= TARGET_FACTS
                        and min(recall.values()) >= TARGET_FACTS_PER_TYPE),
            "samples": [{"reference": e["summary"], "generated": s}
                        for e, s in zip(examples[:3], scores["summaries"][:3])]}

    record_path = _train_record_path(checkpoint)
    if record_path.exists():
        record = json.loads(record_path.read_text(encoding="utf-8"))
        last = (record.get("history") or [{}])[-1]
        result.update(train_seconds=record.get("seconds"), train_steps=record.get("steps"),
                      final_eval_loss=last.get("eval_loss"), final_eval_accuracy=last.get("eval_accuracy"))
    else:
        result.update(train_seconds=None, train_steps=None, final_eval_loss=None, final_eval_accuracy=None,
                      train_record=f"missing: {record_path.name}")
    result["target_train_seconds_met"] = bool(result["train_seconds"] is not None
                                              and result["train_seconds"] <= TARGET_TRAIN_SECONDS)
    result["targets_met"] = result["target_train_seconds_met"] and all(r["met"] for r in result["seeds"].values())

    for seed, row in result["seeds"].items():
        print(f"seed {seed}: ROUGE F1 on {n_test} fresh articles R1 {row['rouge1']:.3f}  R2 {row['rouge2']:.3f}  "
              f"RL {row['rougeL']:.3f}  ({row['generation_seconds']} s); facts restated "
              f"{row['fact_recall']['all']:.3f}, lowest "
              f"{min((v, k) for k, v in row['fact_recall'].items())[1]} "
              f"{min(row['fact_recall'].values()):.3f}")
    print(f"trained {result['train_steps']} steps in {result['train_seconds']} s; targets met: {result['targets_met']}")
    return result


# -------------------------------------------------------------------------------------------------
# w2_parallelism
# -------------------------------------------------------------------------------------------------

def _init(model, batch, length, seed=0):
    signature = trax.shapes.ShapeDtype((batch, length), np.int32)
    model.init(signature, rng=trax.fastmath.random.get_prng(seed))
    return model


def time_train_step(model, batch, length, vocab_size, repeats=5, seed=0):
    """(compile + first step seconds, median seconds of `repeats` later steps, loss, parameter count)."""
    step, carry, data = make_train_step(model, batch, length, vocab_size, seed=seed)
    params = int(sum(np.size(leaf) for leaf in jax.tree_util.tree_leaves(carry[0])))
    start = time.perf_counter()
    carry, loss = jax.block_until_ready(step(carry, data))
    first = time.perf_counter() - start
    carry, loss = jax.block_until_ready(step(carry, data))  # warm-up, after compilation
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        carry, loss = jax.block_until_ready(step(carry, data))
        times.append(time.perf_counter() - start)
    return first, statistics.median(times), float(loss), params


def parallelism(lengths=PARALLELISM_LENGTHS, batch=8, vocab_size=2000, d_model=128, d_ff=256, n_layers=2,
                n_heads=4, max_len=512, lstm_d=None, repeats=5, plot=RESULTS / "w2_parallelism.png"):
    """ms per training step against the sequence length, TransformerLM vs an LSTM LM of similar size."""
    from w2_summarizer.model import TransformerLM

    lengths = [int(length) for length in lengths]
    if max(lengths) > max_len:
        raise ValueError(f"lengths {lengths} exceed max_len {max_len}")

    def transformer():
        return TransformerLM(vocab_size, d_model=d_model, d_ff=d_ff, n_layers=n_layers, n_heads=n_heads,
                             dropout=0.0, max_len=max_len, mode="train")

    params, widths = {}, {}

    def lstm():  # its width is chosen once the Transformer's parameters are counted
        width = lstm_d or matching_lstm_width(params["transformer"], vocab_size, n_layers)
        return lstm_lm(vocab_size, width, n_layers), width

    builders = {"transformer": lambda: (transformer(), d_model), "lstm": lstm}
    rows = {name: {"ms_per_step": [], "first_step_s": [], "loss": []} for name in builders}
    for length in lengths:
        for name, build in builders.items():
            model, widths[name] = build()
            first, median, loss, params[name] = time_train_step(model, batch, length, vocab_size, repeats=repeats)
            rows[name]["ms_per_step"].append(round(1000 * median, 3))
            rows[name]["first_step_s"].append(round(first, 2))
            rows[name]["loss"].append(round(loss, 4))
    transformer_params, lstm_params, lstm_d = params["transformer"], params["lstm"], widths["lstm"]
    ratio = [round(lstm / tf, 3) for lstm, tf in zip(rows["lstm"]["ms_per_step"],
                                                     rows["transformer"]["ms_per_step"])]

    def growth(name):  # time at the longest length over time at the shortest
        ms = rows[name]["ms_per_step"]
        return round(ms[-1] / ms[0], 2)

    result = {
        "method": "jax.jit(value_and_grad(Serial(model, tl.WeightedCategoryCrossEntropy()).pure_fn)) + "
                  "trax.optimizers.Adam.tree_update, one constant random batch; median of `repeats` steps "
                  "after compilation and one warm-up step",
        "device": _device(), "batch": batch, "lengths": lengths, "repeats": repeats,
        "transformer": {"config": dict(vocab_size=vocab_size, d_model=d_model, d_ff=d_ff, n_layers=n_layers,
                                       n_heads=n_heads, max_len=max_len), "params": transformer_params,
                        **rows["transformer"]},
        "lstm": {"config": dict(vocab_size=vocab_size, d_model=lstm_d, n_layers=n_layers), "params": lstm_params,
                 **rows["lstm"]},
        "param_ratio_lstm_over_transformer": round(lstm_params / transformer_params, 3),
        "lstm_over_transformer_ms": ratio,
        "growth_longest_over_shortest": {"transformer": growth("transformer"), "lstm": growth("lstm"),
                                         "length": round(lengths[-1] / lengths[0], 2)},
    }
    if plot:
        result["plot"] = str(_plot_parallelism(result, pathlib.Path(plot)))

    print(f"train step (fwd+bwd+Adam), batch {batch}, median of {repeats}; device {result['device']}; "
          f"params: transformer {transformer_params:,}, LSTM(d={lstm_d}) {lstm_params:,}")
    print(f"{'L':>5} {'transformer ms':>15} {'LSTM ms':>10} {'LSTM/TF':>8}")
    for i, length in enumerate(lengths):
        print(f"{length:>5d} {rows['transformer']['ms_per_step'][i]:>15.1f} {rows['lstm']['ms_per_step'][i]:>10.1f} "
              f"{ratio[i]:>8.2f}")
    return result


def _plot_parallelism(result, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, label in (("transformer", "TransformerLM"), ("lstm", "LSTM LM")):
        row = result[name]
        ax.plot(result["lengths"], row["ms_per_step"], marker="o",
                label=f"{label} ({row['params'] / 1e6:.2f}M params)")
    ax.set_xscale("log", base=2)
    ax.set_xticks(result["lengths"])
    ax.set_xticklabels([str(length) for length in result["lengths"]])
    ax.set_xlabel("sequence length L")
    ax.set_ylabel("ms per training step")
    ax.set_title(f"fwd+bwd+Adam, batch {result['batch']}, {result['device']}")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


# -------------------------------------------------------------------------------------------------
# w2_generation
# -------------------------------------------------------------------------------------------------

def _generation_model(checkpoint, config, vocab_size, seed=0):
    from w2_summarizer.model import TransformerLM

    checkpoint = pathlib.Path(checkpoint or cfg.REFERENCE_CHECKPOINT)
    if checkpoint.exists():
        from w2_summarizer.train import load_model
        return load_model(checkpoint, mode="eval", config=config, vocab_size=vocab_size), \
            f"checkpoint {checkpoint.name}"
    model = TransformerLM(vocab_size, mode="eval", **config.model_kwargs())
    _init(model, 1, 8, seed)
    return model, (f"random TransformerLM ({', '.join(f'{k}={v}' for k, v in config.model_kwargs().items())}, "
                   f"vocab_size={vocab_size}): no reference checkpoint at {checkpoint}")


def generation(k=5, max_length=64, checkpoint=None, config=cfg.DEFAULT, tokenizer=None, examples=None):
    """Greedy generation with the predict-mode cache vs recomputing the prefix, on K test articles."""
    from w1_nmt.decoding import jit_model, padded_length
    from w2_summarizer.decoding import CachedSummarizer, recompute_generate
    from w2_summarizer.pipeline import summary_prompt

    if tokenizer is None:
        from w2_summarizer.tokenizer import default_tokenizer
        tokenizer = default_tokenizer()
    model, model_name = _generation_model(checkpoint, config, tokenizer.vocab_size)
    examples = examples if examples is not None else held_out_examples(config, k + 1)
    if len(examples) < k + 1:
        raise ValueError(f"need k + 1 = {k + 1} examples (one to warm up), got {len(examples)}")
    prompts = [summary_prompt(tokenizer.tokenize(e["article"])) for e in examples[:k + 1]]
    too_long = [len(p) for p in prompts if len(p) + max_length > config.max_len]
    if too_long:
        raise ValueError(f"prompts of {too_long} tokens + max_length {max_length} exceed max_len {config.max_len}")

    # Warm-up (excluded): compile the cached step, and the recompute model at every padded shape the
    # timed prompts can reach, so that no timed call compiles.
    cached = CachedSummarizer(model, config)
    start = time.perf_counter()
    cached.warm_up()  # every prompt-chunk shape
    cached.generate(prompts[0], max_length=max_length)
    warmup = {"cached_s": time.perf_counter() - start}
    start = time.perf_counter()
    recompute_generate(model, prompts[0], max_length=max_length)
    jitted = jit_model(model)
    for length in sorted({padded_length(len(p) + i) for p in prompts[1:] for i in range(max_length)}):
        jax.block_until_ready(jitted(np.zeros((1, length), np.int32)))
    warmup["recompute_s"] = time.perf_counter() - start

    outputs, seconds = {"cached": [], "recompute": []}, {"cached": 0.0, "recompute": 0.0}
    runners = {"cached": lambda p: cached.generate(p, max_length=max_length),
               "recompute": lambda p: recompute_generate(model, p, max_length=max_length)}
    for prompt in prompts[1:]:
        for name, run in runners.items():
            start = time.perf_counter()
            outputs[name].append(run(prompt))
            seconds[name] += time.perf_counter() - start
    n_generated = sum(len(tokens) for tokens, _ in outputs["cached"])
    identical = all(c[0] == r[0] for c, r in zip(outputs["cached"], outputs["recompute"]))
    log_prob_diff = max(abs(c[1] - r[1]) for c, r in zip(outputs["cached"], outputs["recompute"]))
    rows = {name: {"seconds": round(seconds[name], 4), "ms_per_token": round(1000 * seconds[name] / n_generated, 3),
                   "warmup_s": round(warmup[f"{name}_s"], 2)} for name in runners}
    speedup = seconds["recompute"] / seconds["cached"]
    result = {"model": model_name, "random_model": model_name.startswith("random"), "device": _device(),
              "k": k, "max_length": max_length, "prompt_tokens": [len(p) for p in prompts[1:]],
              "generated_tokens": n_generated, **rows, "speedup": round(speedup, 2),
              "target_speedup_5x": bool(speedup >= 5.0), "tokens_identical": bool(identical),
              "max_abs_log_prob_diff": float(log_prob_diff),
              "note": "ms_per_token = wall time of generate() / generated tokens; the cached generator's "
                      "time includes feeding the prompt (in power-of-2 chunks); warm-up article excluded"}

    print(f"generation: {model_name}; K={k}, max_length {max_length}, {n_generated} tokens; device {result['device']}")
    print(f"{'':<10} {'warm-up s':>10} {'seconds':>9} {'ms/token':>9}")
    for name, row in rows.items():
        print(f"{name:<10} {row['warmup_s']:>10.2f} {row['seconds']:>9.3f} {row['ms_per_token']:>9.2f}")
    print(f"speed-up {speedup:.1f}x (target 5x: {result['target_speedup_5x']}); identical tokens: {identical}")
    return result


# -------------------------------------------------------------------------------------------------
# CLI
# -------------------------------------------------------------------------------------------------

SECTIONS = ("w2_quality", "w2_parallelism", "w2_generation")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help=f"sections: {' '.join(SECTIONS)}")
    parser.add_argument("--n-test", type=int, default=200, help="test articles for w2_quality")
    parser.add_argument("--k", type=int, default=5, help="test articles for w2_generation")
    parser.add_argument("--repeats", type=int, default=5, help="timed steps per length for w2_parallelism")
    parser.add_argument("--quick", action="store_true", help="n-test 20, k 2, repeats 2 (same lengths)")
    parser.add_argument("--out", type=pathlib.Path, default=RESULTS / "w2.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.n_test, args.k, args.repeats = 20, 2, 2
    runs = {"w2_quality": lambda: quality(args.n_test), "w2_parallelism": lambda: parallelism(repeats=args.repeats),
            "w2_generation": lambda: generation(args.k)}
    results = {"machine": {"python": platform.python_version(), "processor": platform.processor(),
                           "cpus": __import__("os").cpu_count()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for name, run in runs.items():
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        results[name] = run()
        results[name]["section_seconds"] = round(time.perf_counter() - start, 1)
        args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

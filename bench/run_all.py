"""`make bench`: every Week 1 figure, printed and written to one JSON file (not part of the tests).

Sections: the trax import with and without coursekit's helper; our BLEU/ROUGE vs sacrebleu/rouge-score
on 10k pairs; beam search with vs without the predict-mode cache; and, when the reference checkpoints
exist, test-set BLEU (greedy and beam), training time, and BLEU by source length with and without
attention; and grading throughput, nbgrader vs the isolating runner on generated submissions
(bench/bench_grading.py). Each figure is compared with its target from its issue.

Week 2 (bench/bench_w2.py): w2_quality, the reference summarizer's test ROUGE and training time (skipped
without its checkpoint); w2_parallelism, ms per training step vs sequence length for the TransformerLM and
an LSTM LM of similar size (plot in bench/results/w2_parallelism.png); w2_generation, greedy generation
with vs without the predict-mode cache.

Week 3 (bench/bench_w3.py): w3_quality, EM/F1 of the committed QA model on fresh held-out questions (seeds 2
and 3) against the target (>= 50 EM, >= 60 F1; skipped without the checkpoint); w3_transfer, the transfer curve of w3_qa/assets/transfer_curve.json against the
target (+20 EM at the smallest labeled set; skipped without the file; plot w3_transfer_curve.png);
w3_mixing, mixing rates by strategy and temperature (plot w3_mixing_rates.png); w3_steps, ms per training
step of the encoder-decoder and per greedy answer; w3_masking, masking throughput.
"""
import argparse
import json
import pathlib
import platform
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_IMPORT_PLAIN = "import time; t = time.perf_counter(); import trax, trax.layers, trax.supervised; " \
                "print(time.perf_counter() - t)"
_IMPORT_FAST = "from coursekit import trax_env; trax_env.import_trax(); print(trax_env.import_seconds)"
LENGTH_BUCKETS = [(3, 15), (16, 30), (31, 45), (46, 60)]


def import_times(repeats=2):
    result = {}
    for name, code in (("plain import trax", _IMPORT_PLAIN), ("coursekit.trax_env", _IMPORT_FAST)):
        times = []
        for _ in range(repeats):
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                                 timeout=600)
            times.append(float(out.stdout.strip().splitlines()[-1]))
        result[name] = min(times)
    result["speedup"] = result["plain import trax"] / result["coursekit.trax_env"]
    return result


def metric_times(n_pairs=10_000):
    from bench import bench_metrics

    rows = bench_metrics.run(n_pairs, 3)
    return {"pairs": n_pairs, "rows": rows, "target_met": all(r["speedup"] >= 1.0 for r in rows)}


def beam_cache(sentences=5):
    out = ROOT / "bench" / "results" / "beam.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_beam.py"), "--sentences", str(sentences),
                    "--out", str(out)], check=True, cwd=ROOT, timeout=1800)
    result = json.loads(out.read_text())
    return result


def quality(n_test=300, per_bucket=40):
    from w1_nmt import config as cfg

    if not cfg.REFERENCE_CHECKPOINT.exists():
        return {"skipped": f"no checkpoint at {cfg.REFERENCE_CHECKPOINT}: run `make train`"}
    from w1_nmt.beam import beam_search_translate
    from w1_nmt.data import make_splits, split_tokens
    from w1_nmt.decoding import greedy_decode
    from w1_nmt.metrics import corpus_bleu
    from w1_nmt.tokenizer import default_tokenizer
    from w1_nmt.train import load_model
    from w1_nmt.visualize import bleu_by_length

    tokenizer = default_tokenizer()
    c = cfg.DEFAULT
    test = make_splits(n_train=c.n_train, n_eval=c.n_eval, n_test=c.n_test, seed=c.seed)["test"]
    model = load_model()
    record = json.loads(cfg.REFERENCE_CHECKPOINT.with_name("nmt_attn.train.json").read_text())
    result = {"train_seconds": record["seconds"], "train_steps": record["steps"], "n_test": n_test}
    references = [[split_tokens(de)] for _, de in test[:n_test]]
    for name, beam_width in (("greedy", 1), ("beam4", 4)):
        start = time.perf_counter()
        hyps = [split_tokens(beam_search_translate(en, model, beam_width=beam_width, max_length=c.max_length,
                                                   length_alpha=0.6, tokenizer=tokenizer)[0][0])
                for en, _ in test[:n_test]]
        result[f"bleu_{name}"] = corpus_bleu(hyps, references)
        result[f"seconds_{name}"] = time.perf_counter() - start
    result["target_bleu_0.60_in_15_min"] = bool(result["bleu_greedy"] >= 0.60 and record["seconds"] <= 900)
    models = {"attention": model}
    if cfg.BASELINE_CHECKPOINT.exists():
        models["no attention"] = load_model(attention=False)
    by_length = bleu_by_length(models, test, tokenizer, LENGTH_BUCKETS,
                               lambda s, m, t: greedy_decode(s, m, tokenizer=t, max_length=c.max_length),
                               max_per_bucket=per_bucket)
    result["bleu_by_length"] = by_length
    ratios = {name: (scores[-1] / scores[0] if scores[0] else None) for name, scores in by_length["bleu"].items()}
    result["longest_over_shortest"] = ratios
    if "no attention" in ratios:
        result["target_length_robustness"] = bool(
            (ratios["attention"] or 0) >= 0.9 and (ratios["no attention"] or 1) < 0.5)
    return result


def grading(n):
    from bench import bench_grading

    result = bench_grading.run(n)
    result.pop("mistakes_per_submission")
    for key in ("nbgrader", "runner_serial", "runner_jobs2"):
        result.get(key, {}).pop("scores", None)  # compared in bench_grading.run: "identical_scores"
    return result


def w2(section, **kwargs):
    from bench import bench_w2

    return getattr(bench_w2, section)(**kwargs)


def w3(section, **kwargs):
    from bench import bench_w3

    return getattr(bench_w3, section)(**kwargs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "bench.json"))
    parser.add_argument("--n-test", type=int, default=300)
    parser.add_argument("--n-grading", type=int, default=20, help="generated submissions for the grading section")
    parser.add_argument("--w2-n-test", type=int, default=200, help="test articles for w2_quality")
    parser.add_argument("--w2-k", type=int, default=5, help="test articles for w2_generation")
    parser.add_argument("--w2-repeats", type=int, default=5, help="timed steps per length for w2_parallelism")
    parser.add_argument("--only", nargs="*", default=None,
                        help="sections: imports metrics beam quality grading w2_quality w2_parallelism "
                             "w2_generation w3_quality w3_transfer w3_mixing w3_steps w3_masking")
    args = parser.parse_args(argv)
    pathlib.Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    sections = {"imports": import_times, "metrics": metric_times, "beam": beam_cache,
                "quality": lambda: quality(args.n_test), "grading": lambda: grading(args.n_grading),
                "w2_quality": lambda: w2("quality", n_test=args.w2_n_test),
                "w2_parallelism": lambda: w2("parallelism", repeats=args.w2_repeats,
                                             plot=pathlib.Path(args.out).parent / "w2_parallelism.png"),
                "w2_generation": lambda: w2("generation", k=args.w2_k),
                "w3_quality": lambda: w3("quality"),
                "w3_transfer": lambda: w3("transfer", plot=pathlib.Path(args.out).parent / "w3_transfer_curve.png"),
                "w3_mixing": lambda: w3("mixing", plot=pathlib.Path(args.out).parent / "w3_mixing_rates.png"),
                "w3_steps": lambda: w3("steps"), "w3_masking": lambda: w3("masking")}
    results = {}
    if args.only and pathlib.Path(args.out).exists():
        # --only updates its sections and keeps the others' last figures
        results = json.loads(pathlib.Path(args.out).read_text())
    results["machine"] = {"python": platform.python_version(), "processor": platform.processor(),
                          "cpus": __import__("os").cpu_count()}
    for name, run in sections.items():
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        results[name] = run()
        results[name]["section_seconds"] = round(time.perf_counter() - start, 1)
        print(f"== {name}\n{json.dumps(results[name], indent=1, default=str)}", flush=True)
        pathlib.Path(args.out).write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

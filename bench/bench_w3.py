"""Week 3 figures: the transfer curve, mixing rates against the temperature, training-step times of the
encoder-decoder, and the throughput of the two masking functions.

Usage:
    .venv/bin/python -m bench.bench_w3 [--only w3_quality w3_transfer w3_mixing w3_steps w3_masking] [--out FILE]

`make bench` (bench/run_all.py) runs the same functions as its sections w3_quality, w3_transfer, w3_mixing,
w3_steps and w3_masking:

* `quality`: greedy EM and F1 of the committed QA model (``w3_qa/assets/qa.pkl.gz``) on 300 fresh questions
  about held-out entities for each of the seeds 2 and 3 (``python -m w3_qa.evaluate``), against the
  target (>= 50 EM, >= 60 F1), reported, not asserted. Skipped without the checkpoint.
* `transfer`: the rows of ``w3_qa/assets/transfer_curve.json`` (written by ``python -m w3_qa.transfer``: EM
  and F1 on the held-out test questions, fine-tuned from scratch and from the span-corruption checkpoint, per
  labeled-set size), the gains of pre-training, and the issue's target (>= +20 EM points at the smallest
  size), reported, not asserted. Plot: bench/results/w3_transfer_curve.png. Skipped without the file.
* `mixing`: examples-proportional (with and without a cap), equal and temperature-scaled rates of three
  tasks of very different sizes. Plot: bench/results/w3_mixing_rates.png.
* `steps`: the median time of one jax.jit-compiled training step (forward, backward, SGD update) of the
  default encoder-decoder at the pre-training shape (batch 16, inputs 160, targets 64) and the fine-tuning
  shape (batch 16, inputs 192, targets 16), and of one greedy answer (`answer_question`).
* `masking`: span-corruption pairs and `bert_mask` calls per second on the generated paragraphs.
"""
import argparse
import json
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from w3_qa import config as cfg  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_EM_GAIN = 20.0
TARGET_EM, TARGET_F1 = 50.0, 60.0
MIXING_SIZES = (400_000, 30_000, 3_000)
MIXING_NAMES = ("unlabeled text (400k)", "NLI (30k)", "QA (3k)")


def transfer(path=None, plot=None):
    """The committed transfer curve, the gains of pre-training (mean, spread and per seed, over both
    from-scratch arms) and the target."""
    from w3_qa.transfer import gain_spread
    from w3_qa.visualize import plot_transfer_curve

    path = pathlib.Path(path or cfg.TRANSFER_RESULTS)
    if not path.exists():
        return {"skipped": f"skipped: no {path.name}; run python -m w3_qa.train pretrain, then python -m "
                           f"w3_qa.transfer"}
    record = json.loads(path.read_text(encoding="utf-8"))
    rows = [{key: row.get(key) for key in ("n_labeled", "pretrained", "arm", "seed", "exact_match", "f1",
                                           "train_seconds", "best_step")} for row in record["rows"]]
    by_size = gain_spread(record["rows"])
    result = {"file": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path), "rows": rows,
              "gains": {str(n): g for n, g in by_size.items()},
              "gains_over_matched": {str(n): g for n, g in gain_spread(record["rows"], "scratch_matched").items()},
              "curve_seconds": record.get("seconds"), "target_em_gain_at_smallest": TARGET_EM_GAIN}
    if by_size:
        smallest = min(by_size)
        result["em_gain_at_smallest"] = by_size[smallest]["exact_match"]["mean"]
        result["target_met"] = by_size[smallest]["exact_match"]["mean"] >= TARGET_EM_GAIN
    if plot:
        plot_transfer_curve(record["rows"]).savefig(plot, dpi=100)
        result["plot"] = str(plot)
    return result


def quality(n=300, seeds=(2, 3), checkpoint=None):
    """Greedy EM/F1 of the committed QA model on `n` fresh held-out questions per seed (the issue's target:
    >= 50 EM, >= 60 F1), as `python -m w3_qa.evaluate --n N --seed SEED` prints them; reported, not asserted.
    Skipped without the checkpoint."""
    from w3_qa.evaluate import evaluate_reference

    path = pathlib.Path(checkpoint or cfg.QA_CHECKPOINT)
    if not path.exists():
        return {"skipped": f"skipped: no {path.name}; run make train"}
    result = {"checkpoint": path.name, "target": {"em": TARGET_EM, "f1": TARGET_F1}, "seeds": {}}
    for seed in seeds:
        start = time.perf_counter()
        scores, _, _ = evaluate_reference(n, seed, path)
        result["seeds"][str(seed)] = {"em": round(scores["exact_match"], 2), "f1": round(scores["f1"], 2),
                                      "n": scores["n"], "seconds": round(time.perf_counter() - start, 1)}
    result["target_met"] = all(s["em"] >= TARGET_EM and s["f1"] >= TARGET_F1 for s in result["seeds"].values())
    return result


def mixing(sizes=MIXING_SIZES, temperatures=(1, 2, 4, 8, 32), limit=50_000, plot=None):
    """Mixing rates of tasks of `sizes` by each strategy."""
    from w3_qa.tasks import mixing_rates
    from w3_qa.visualize import plot_mixing_rates

    def rounded(rates):
        return [round(float(r), 4) for r in rates]

    result = {"sizes": list(sizes), "proportional": rounded(mixing_rates(sizes)),
              f"proportional_capped_{limit}": rounded(mixing_rates(sizes, limit=limit)),
              "equal": rounded(mixing_rates(sizes, "equal")),
              "temperature": {str(t): rounded(mixing_rates(sizes, "temperature", temperature=t))
                              for t in temperatures}}
    if plot:
        names = list(MIXING_NAMES) if len(sizes) == len(MIXING_NAMES) else None
        plot_mixing_rates(list(sizes), names=names).savefig(plot, dpi=100)
        result["plot"] = str(plot)
    return result


def _train_step_ms(config, batch, input_len, target_len, repeats, seed=0):
    """Median ms of one compiled SGD step of the encoder-decoder (weighted cross-entropy of the targets)."""
    import jax

    from w3_qa.train import input_signature, make_model

    model = make_model(config.vocab_size, config, mode="train")
    model.init(input_signature(batch, input_len, target_len), rng=jax.random.PRNGKey(seed))
    weights, state = model.weights, model.state
    rng = np.random.default_rng(seed)
    inputs = rng.integers(70, config.vocab_size, (batch, input_len)).astype(np.int32)
    targets = rng.integers(70, config.vocab_size, (batch, target_len)).astype(np.int32)

    def loss(weights, state, key):
        (logits, _), new_state = model.pure_fn((inputs, targets), weights, state, key)
        log_probs = jax.nn.log_softmax(logits)
        picked = jax.numpy.take_along_axis(log_probs, targets[..., None], axis=-1)
        return -picked.mean(), new_state

    @jax.jit
    def step(weights, state, key):
        (value, new_state), grads = jax.value_and_grad(loss, has_aux=True)(weights, state, key)
        return jax.tree_util.tree_map(lambda w, g: w - 1e-3 * g, weights, grads), new_state, value

    key = jax.random.PRNGKey(seed)
    weights, state, value = step(weights, state, key)  # compile
    jax.block_until_ready(value)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        weights, state, value = step(weights, state, key)
        jax.block_until_ready(value)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def steps(config=cfg.DEFAULT, repeats=5, shapes=((16, 160, 64), (16, 192, 16))):
    """ms per training step at the pre-training and fine-tuning shapes, and ms per greedy answer."""
    from w3_qa.data import make_splits
    from w3_qa.qa import answer_question
    from w3_qa.tokenizer import default_tokenizer
    from w3_qa.train import input_signature, make_model

    result = {"config": {"d_model": config.d_model, "layers": [config.n_encoder_layers, config.n_decoder_layers],
                         "vocab_size": config.vocab_size},
              "method": "median of `repeats` jax.jit-compiled forward+backward+SGD steps after one warm-up"}
    for name, (batch, input_len, target_len) in zip(("pretrain", "finetune"), shapes):
        result[f"{name}_step_ms"] = _train_step_ms(config, batch, input_len, target_len, repeats)
        result[f"{name}_shape"] = [batch, input_len, target_len]
    tokenizer = default_tokenizer()
    model = make_model(tokenizer.vocab_size, config, mode="eval")
    model.init(input_signature())
    example = make_splits(n_pretrain=1, n_train=1, n_eval=1, n_test=1)["test"][0]
    answer_question(example["question"], example["context"], model, tokenizer, max_length=config.answer_length)
    start = time.perf_counter()
    answer_question(example["question"], example["context"], model, tokenizer, max_length=config.answer_length)
    result["answer_question_ms"] = round((time.perf_counter() - start) * 1000, 1)
    result["answer_note"] = "a random model of the config's size writes all answer_length tokens (no EOS)"
    return result


def masking(n_texts=500, seed=0):
    """Span-corruption pairs per second and bert_mask calls per second on generated paragraphs."""
    from w3_qa.data import generate_paragraphs
    from w3_qa.masking import bert_mask
    from w3_qa.pipeline import span_corruption_pairs
    from w3_qa.tokenizer import default_tokenizer

    tokenizer = default_tokenizer()
    texts = [p["text"] for p in generate_paragraphs(n_texts, seed=seed)]
    start = time.perf_counter()
    pairs = list(span_corruption_pairs(texts, tokenizer, 0.15, seed=seed, repeat=False, mean_span=3.0))
    span_seconds = time.perf_counter() - start
    token_lists = [tokenizer.tokenize(text) for text in texts]
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for tokens in token_lists:
        bert_mask(tokens, rng, tokenizer.vocab_size)
    bert_seconds = time.perf_counter() - start
    return {"texts": len(pairs), "span_corruption_per_s": round(len(pairs) / span_seconds, 1),
            "bert_mask_per_s": round(len(token_lists) / bert_seconds, 1),
            "mean_tokens_per_text": round(float(np.mean([len(t) for t in token_lists])), 1)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None,
                        help="w3_quality w3_transfer w3_mixing w3_steps w3_masking")
    parser.add_argument("--out", default=str(RESULTS / "w3.json"))
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    sections = {"w3_quality": quality, "w3_transfer": lambda: transfer(plot=RESULTS / "w3_transfer_curve.png"),
                "w3_mixing": lambda: mixing(plot=RESULTS / "w3_mixing_rates.png"),
                "w3_steps": steps, "w3_masking": masking}
    results = {}
    for name, run in sections.items():
        if args.only and name not in args.only:
            continue
        results[name] = run()
        print(f"== {name}\n{json.dumps(results[name], indent=1)}", flush=True)
    pathlib.Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

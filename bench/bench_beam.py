"""Time beam search on an NMTAttn with the two log_prob_fn adapters of w1_nmt.beam.

Usage:
    .venv/bin/python bench/bench_beam.py [--sentences 3] [--beam-width 4] [--max-length 40]
                                         [--input-length 40] [--out bench/results/beam.json]

`recompute` runs the whole 'eval'-mode model (encoder included) on the padded prefixes at every
step; `cached` encodes the source once and advances the decoder one token per step from cached LSTM
states ('predict' mode). Both are jit-compiled; the first sentence (compilation included) is timed
apart, then each of --sentences new sentences is decoded and timed, adapter set-up included. The
outputs of the two must be identical (same tokens, scores within 1e-4).

The model is the trained reference model if w1_nmt/assets/nmt_attn.pkl.gz exists (random source
sentences then use its vocabulary), else a randomly initialised NMTAttn (d_model 128, vocab 2000);
an untrained model rarely ends a sentence, so every search runs all --max-length steps.
"""
import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from coursekit.trax_env import import_trax  # noqa: E402

trax = import_trax()
import jax  # noqa: E402

from w1_nmt.beam import beam_search, cached_log_prob_fn, recompute_log_prob_fn  # noqa: E402
from w1_nmt.decoding import EOS  # noqa: E402
from w1_nmt.model import NMTAttn  # noqa: E402

CHECKPOINT = Path(__file__).resolve().parents[1] / "w1_nmt" / "assets" / "nmt_attn.pkl.gz"
ADAPTERS = {"recompute": recompute_log_prob_fn, "cached": cached_log_prob_fn}


def load_model(d_model, vocab):
    """The reference model if its checkpoint exists, else a seeded random NMTAttn ('eval' mode)."""
    if CHECKPOINT.exists():
        from w1_nmt.train import load_model as load_reference
        model = load_reference(CHECKPOINT, mode="eval")
        return model, int(model.weights[1][0][0].shape[0]), f"checkpoint {CHECKPOINT.name}"
    model = NMTAttn(input_vocab_size=vocab, target_vocab_size=vocab, d_model=d_model, mode="eval")
    signature = trax.shapes.signature((np.zeros((1, 8), np.int32), np.zeros((1, 8), np.int32)))
    model.init(signature, rng=trax.fastmath.random.get_prng(0))
    return model, vocab, f"random NMTAttn(d_model={d_model}, vocab={vocab})"


def source_sentences(n, length, vocab, seed=0):
    """n random sources of `length` ids (EOS last), shape (1, length) each."""
    rng = np.random.default_rng(seed)
    return [np.concatenate([rng.integers(2, vocab, length - 1), [EOS]])[None].astype(np.int32)
            for _ in range(n)]


def decode(adapter, model, input_tokens, args):
    """One beam search; returns (seconds, results, number of log_prob_fn calls)."""
    calls = [0]
    start = time.perf_counter()
    log_prob_fn = ADAPTERS[adapter](model, input_tokens, batch_size=args.beam_width)

    def counted(prefixes):
        calls[0] += 1
        return log_prob_fn(prefixes)

    results = beam_search(counted, args.beam_width, args.max_length, EOS, args.length_alpha)
    return time.perf_counter() - start, results, calls[0]


def same_results(first, second, atol=1e-4):
    return ([tokens for tokens, _ in first] == [tokens for tokens, _ in second]
            and np.allclose([s for _, s in first], [s for _, s in second], atol=atol))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--beam-width", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=40)
    parser.add_argument("--input-length", type=int, default=40)
    parser.add_argument("--length-alpha", type=float, default=0.6)
    parser.add_argument("--d-model", type=int, default=128)
    parser.add_argument("--vocab", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args(argv)

    model, vocab, model_name = load_model(args.d_model, args.vocab)
    warmup, *sources = source_sentences(args.sentences + 1, args.input_length, vocab)
    rows, outputs = {}, {}
    for adapter in ADAPTERS:
        first, _, _ = decode(adapter, model, warmup, args)
        times, steps, outputs[adapter] = [], [], []
        for input_tokens in sources:
            seconds, results, calls = decode(adapter, model, input_tokens, args)
            times.append(seconds)
            steps.append(calls)
            outputs[adapter].append(results)
        rows[adapter] = dict(first_sentence_s=first, mean_s=float(np.mean(times)),
                             min_s=float(np.min(times)), steps=int(np.sum(steps)),
                             ms_per_step=1000 * float(np.sum(times)) / int(np.sum(steps)))
    identical = all(same_results(r, c) for r, c in zip(outputs["recompute"], outputs["cached"]))
    speedup = rows["recompute"]["mean_s"] / rows["cached"]["mean_s"]

    print(f"model: {model_name}; device: {jax.devices()[0].platform}; beam {args.beam_width}, "
          f"max_length {args.max_length}, input length {args.input_length}, "
          f"length_alpha {args.length_alpha}, {args.sentences} sentences")
    print(f"{'adapter':<10} {'1st (compile) s':>16} {'mean s/sent':>12} {'min s/sent':>11} "
          f"{'steps':>6} {'ms/step':>8}")
    for adapter, row in rows.items():
        print(f"{adapter:<10} {row['first_sentence_s']:>16.2f} {row['mean_s']:>12.3f} "
              f"{row['min_s']:>11.3f} {row['steps']:>6d} {row['ms_per_step']:>8.2f}")
    print(f"speedup (mean s/sentence, recompute / cached): {speedup:.1f}x; "
          f"identical outputs: {identical}")

    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        report = dict(model=model_name, device=str(jax.devices()[0]),
                      python=platform.python_version(), machine=platform.machine(), config=vars(args) | {"out": str(args.out)},
                      adapters=rows, speedup=speedup, identical_outputs=identical,
                      best=[(tokens, score) for tokens, score in
                            (results[0] for results in outputs["cached"])])
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.out}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())

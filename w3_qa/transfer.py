"""The transfer curve: how much pre-training helps, as a function of how many labeled questions there are.

For each labeled-set size n in `config.labeled_sizes` and each seed, the encoder-decoder is fine-tuned on n
training questions (a seeded draw, the same in every arm of that seed) in three arms:

* ``pretrained``: from the span-corruption checkpoint, `size_steps(n, config)` steps (a fixed number of
  epochs of the labels, with a floor and a cap: the same for every arm, never dependent on it);
* ``scratch``: from random weights, the same steps, learning rate, schedule, curriculum and batches;
* ``scratch_matched``: from random weights with the pre-training's compute added as fine-tuning steps
  (`matched_steps`), so a gain is not just more training (at `config.transfer_matched_sizes` only).

Each run keeps its best checkpoint by the F1 of greedy answers to eval questions and answers the held-out
test questions (paragraphs seen neither in pre-training nor in fine-tuning), scored by SQuAD exact match and
F1. The gain of pre-training is reported per size as its mean, spread and per-seed values (`gain_spread`).

    python -m w3_qa.transfer --jobs 2          # the committed curve: transfer_pretrained.pkl.gz, seeds 0,1,2
    python -m w3_qa.transfer --pretrained w3_qa/assets/pretrained.pkl.gz --out DIR --sizes 100
    python -m w3_qa.transfer --resume          # goes on from the rows already in transfer_curve.json

(``--jobs 2``: two runs at once, one per core) writes ``transfer_curve.json`` (one row per run, the gains over both scratch arms), rewritten (atomically)
as each run ends, and at the end ``transfer_curve.png``. With ``--resume`` the runs already in the file are
kept and skipped, provided they were made with the same checkpoint (its SHA-256) and settings; otherwise
the command refuses. Runs reuse compiled computations through JAX's persistent compilation cache.
"""
import argparse
import dataclasses
import json
import math
import os
import pathlib
import tempfile
import time

import numpy as np

from coursekit.commands import int_list
from coursekit.files import sha256, write_json
from w3_qa import config as cfg
from w3_qa.checkpoints import as_eval_model
from w3_qa.scoring import evaluate_model
from w3_qa.tokenizer import default_tokenizer
from w3_qa.train import finetune, splits

__all__ = ["ARMS", "labeled_subset", "run_config", "run", "size_steps", "matched_steps", "with_pretraining_of",
           "planned_runs",
           "transfer_curve", "gains", "gain_spread", "main"]


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


def size_steps(n_labeled, config=cfg.DEFAULT):
    """Fine-tuning steps of every arm at `n_labeled` labels: config.transfer_epochs epochs of
    config.finetune_batch_size questions, at least config.transfer_steps and at most
    config.transfer_max_steps, rounded up to a multiple of config.transfer_eval_every."""
    epochs = math.ceil(config.transfer_epochs * n_labeled / config.finetune_batch_size)
    steps = min(config.transfer_max_steps, max(config.transfer_steps, epochs))
    return math.ceil(steps / config.transfer_eval_every) * config.transfer_eval_every


def matched_steps(config=cfg.DEFAULT, n_steps=None):
    """Fine-tuning steps of the compute-matched control: the transfer run's steps (`n_steps`, default
    config.transfer_steps) plus as many steps of the fine-tuning batch as the pre-training's tokens
    (steps x batch x input length) would fill."""
    boundaries = config.finetune_input_boundaries or config.input_boundaries
    pretrain_tokens = config.pretrain_steps * config.pretrain_batch_size * max(config.input_boundaries)
    finetune_tokens = config.finetune_batch_size * max(boundaries)
    return (n_steps or config.transfer_steps) + round(pretrain_tokens / finetune_tokens)


def with_pretraining_of(config, checkpoint):
    """`config` with the pre-training fields that `matched_steps` reads (steps, batch size, input boundaries)
    taken from the training record beside `checkpoint` (``<name>.train.json``, as `make train` and
    `w3_qa.pretrain_levers --keep` write it): the control is matched to the checkpoint's real compute, not
    to the config's default. Without a record, `config` unchanged."""
    record_path = pathlib.Path(str(checkpoint).replace(".pkl.gz", ".train.json"))
    if not record_path.is_file():
        return config
    record = json.loads(record_path.read_text(encoding="utf-8"))
    trained = record.get("config", {})
    return dataclasses.replace(
        config, pretrain_steps=int(record["steps"]),
        pretrain_batch_size=int(trained.get("pretrain_batch_size", config.pretrain_batch_size)),
        input_boundaries=tuple(trained.get("input_boundaries", config.input_boundaries)))


def planned_runs(sizes, seeds, config=cfg.DEFAULT, control=True, compute=None):
    """The curve's runs in order, smallest size first: (n_labeled, seed, arm, steps) tuples; every arm of a
    size gets `size_steps`, the compute-matched one (with `control`, at config.transfer_matched_sizes) that
    plus the pre-training's compute (of `compute`, default `config`)."""
    runs = []
    for n_labeled in sizes:
        steps = size_steps(n_labeled, config)
        for seed in seeds:
            runs += [(n_labeled, seed, "pretrained", steps), (n_labeled, seed, "scratch", steps)]
            if control and n_labeled in config.transfer_matched_sizes:
                runs.append((n_labeled, seed, "scratch_matched", matched_steps(compute or config, steps)))
    return runs


def _key(row):
    return row["n_labeled"], row.get("seed", 0), _arm(row)


def transfer_curve(pretrained, sizes=None, config=cfg.DEFAULT, progress=False, on_row=None, seeds=(0,),
                   control=True, done=(), run_fn=None, compute=None, jobs=1):
    """For each labeled-set size and seed, the runs of `planned_runs`: fine-tuning from `pretrained` and from
    scratch with the same steps, and (with `control`) from scratch with the pre-training's compute added.
    Rows in `done` (earlier runs, e.g. read back from the file) are kept and not run again. Returns the
    rows (`run`'s dicts) in the planned order; `on_row(row)` is called as each new run ends. `compute`: the
    config whose pre-training fields the matched arm's steps count (default `with_pretraining_of(config,
    pretrained)`). `jobs` > 1: that many runs at once, each in a process of its own pinned to one core
    (`_pool_runs`; rows then end in the order runs finish). `run_fn` (default `run`) is for tests."""
    plan = planned_runs(sizes or config.labeled_sizes, seeds, config, control,
                        compute or with_pretraining_of(config, pretrained))
    finished = {_key(row): row for row in done}
    todo = [item for item in plan if item[:3] not in finished]
    if jobs > 1 and len(todo) > 1:
        for item, row in _pool_runs(todo, pretrained, config, jobs, run_fn):
            finished[item[:3]] = row
            if on_row:
                on_row(row)
        return [finished[item[:3]] for item in plan]
    run_fn = run_fn or run
    if todo and run_fn is run:
        _enable_compilation_cache()
        tokenizer, data = default_tokenizer(), splits(config)
    else:
        tokenizer = data = None
    for n_labeled, seed, arm, n_steps in todo:
        start = pretrained if arm == "pretrained" else None
        row = run_fn(n_labeled, start, config, data, tokenizer, progress, seed=seed, n_steps=n_steps, arm=arm)
        finished[n_labeled, seed, arm] = row
        if on_row:
            on_row(row)
    return [finished[item[:3]] for item in plan]


_WORKER = {}   # in a pool's process: its core, and the tokenizer and splits its runs share


def _pin_worker(counter):
    """A pool process's initializer: pin it to the next core of the parent's (round robin)."""
    with counter.get_lock():
        index, counter.value = counter.value, counter.value + 1
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[index % len(cores)]})
    _WORKER["core"] = cores[index % len(cores)]


def _pool_run(item, pretrained, config, run_fn):
    n_labeled, seed, arm, n_steps = item
    start = pretrained if arm == "pretrained" else None
    if run_fn is not None:
        return run_fn(n_labeled, start, config, None, None, False, seed=seed, n_steps=n_steps, arm=arm)
    if "data" not in _WORKER:
        _enable_compilation_cache()
        _WORKER["tokenizer"], _WORKER["data"] = default_tokenizer(), splits(config)
    return run(n_labeled, start, config, _WORKER["data"], _WORKER["tokenizer"], False, seed=seed,
               n_steps=n_steps, arm=arm)


def _pool_runs(todo, pretrained, config, jobs, run_fn=None):
    """Yield (item, row) of each run of `todo` as it ends, `jobs` runs at a time in fresh processes (spawned:
    no JAX state is forked), each pinned to a core. A run that raises stops the curve: the rows of the runs
    that ended first have been yielded (and written), the others are cancelled. `run_fn` must be picklable."""
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    counter = context.Value("i", 0)
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_pin_worker,
                                                initargs=(counter,)) as pool:
        futures = {pool.submit(_pool_run, item, pretrained, config, run_fn): item for item in todo}
        try:
            for future in concurrent.futures.as_completed(futures):
                yield futures[future], future.result()
        finally:
            for future in futures:
                future.cancel()


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


def main(argv=None, run_fn=None):
    """The command line; `run_fn` (default `run`) is for tests."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pretrained", default=str(cfg.TRANSFER_PRETRAINED),
                        help=f"the pre-trained checkpoint (default {cfg.TRANSFER_PRETRAINED.name})")
    parser.add_argument("--out", default=str(cfg.ASSETS_DIR))
    parser.add_argument("--sizes", type=int_list(1), default=None,
                        help="comma-separated labeled-set sizes (default: config)")
    parser.add_argument("--seeds", type=int_list(), default=(0, 1, 2), help="comma-separated seeds (default 0,1,2)")
    parser.add_argument("--no-control", action="store_true", help="skip the compute-matched from-scratch runs")
    parser.add_argument("--resume", action="store_true",
                        help="keep the runs already in the output file (same checkpoint and settings) and skip them")
    parser.add_argument("--jobs", type=int, default=1,
                        help="runs at once, each in its own process pinned to a core (default 1)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a QAConfig field, e.g. --set select_by=loss (repeatable)")
    return _curve(parser.parse_args(argv), run_fn)


def _curve(args, run_fn=None):
    config = cfg.DEFAULT.with_overrides(args.set)
    compute = with_pretraining_of(config, args.pretrained)  # the matched arm's pre-training compute
    sizes = list(args.sizes or config.labeled_sizes)
    seeds = list(args.seeds)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / cfg.TRANSFER_RESULTS.name
    settings = {"pretrained_checkpoint": pathlib.Path(args.pretrained).name,
                "pretrained_sha256": sha256(args.pretrained), "overrides": list(args.set),
                "steps": {str(n): size_steps(n, config) for n in sizes},
                "matched_steps": {} if args.no_control else {
                    str(n): matched_steps(compute, size_steps(n, config))
                    for n in sizes if n in config.transfer_matched_sizes}}
    done, seconds = [], 0.0
    if args.resume and path.exists():
        earlier = json.loads(path.read_text(encoding="utf-8"))
        # settings of the sizes both runs have must agree (a resumed run may add sizes or seeds)
        mismatched = [name for name in ("pretrained_sha256", "overrides") if earlier.get(name) != settings[name]]
        mismatched += [f"{name}[{n}]" for name in ("steps", "matched_steps") for n in settings[name]
                       if n in earlier.get(name, {}) and earlier[name][n] != settings[name][n]]
        if mismatched:
            raise SystemExit(f"--resume: {path} was written with other settings ({', '.join(mismatched)}); "
                             f"move it away to start a new curve")
        done, seconds = earlier["rows"], earlier.get("seconds", 0.0)
        print(f"resuming: {len(done)} runs already in {path}", flush=True)
    start = time.perf_counter()
    rows = list(done)

    def record(rows_so_far):
        return {**settings, "seeds": seeds, "sizes": sizes, "rows": rows_so_far,
                "gains": {str(n): g for n, g in gain_spread(rows_so_far).items()},
                "gains_over_matched": {str(n): g for n, g in gain_spread(rows_so_far, "scratch_matched").items()},
                "seconds": round(seconds + time.perf_counter() - start, 1)}

    def report(row):
        rows.append(row)
        write_json(path, record(rows))
        print(f"n={row['n_labeled']:5d} seed={row['seed']} {row['arm']:15s}  EM {row['exact_match']:6.2f}  "
              f"F1 {row['f1']:6.2f}  ({row['train_seconds']:.0f} s, {row['steps']} steps)", flush=True)

    ordered = transfer_curve(args.pretrained, sizes, config, progress=False, on_row=report, seeds=seeds,
                             control=not args.no_control, done=done, run_fn=run_fn, compute=compute,
                             jobs=args.jobs)
    planned = {_key(row) for row in ordered}
    ordered += [row for row in done if _key(row) not in planned]  # earlier runs of other sizes or seeds: kept
    write_json(path, record(ordered))
    from w3_qa.visualize import plot_transfer_curve
    plot_transfer_curve(ordered).savefig(out / cfg.TRANSFER_RESULTS.name.replace(".json", ".png"), dpi=100)
    print(f"gains (EM, F1 points): {gains(ordered)}; wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

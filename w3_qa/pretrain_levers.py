"""The pre-training levers, each with its curve: the copy probe (`w3_qa.probe`) along each candidate's steps.

Each candidate is the reference config with some levers of `w3_qa.pretrain_stream` turned on. It is
pre-trained for `--steps` steps and probed every `--probe-every` steps on the same held-out probe items;
each probe is one row of the JSON file, written as soon as it is measured::

    {"candidate", "overrides", "step", "train_minutes" (pre-training time so far, probes excluded),
     "copied", "guessed", "copied_cloze", "f1", "no_fill", "n"}

    python -m w3_qa.pretrain_levers --out w3_qa/assets/pretrain_levers.json            # every candidate
    python -m w3_qa.pretrain_levers --only cloze_windows --steps 3000 --out ...

A run that is cut off keeps its rows and its pre-training: each candidate's Loop is checkpointed every
`--probe-every` steps in ``--work-dir``/<candidate>/ (`w3_qa.resume`), and a rerun skips every candidate
whose last row reached the asked steps and resumes the others from their latest checkpoint (rows after it
are dropped and measured again; a candidate with no checkpoint restarts from step 0). A rerun with more
``--steps`` extends a finished candidate the same way. With --keep DIR each candidate's final weights are
saved there as <candidate>.pkl.gz (with its training record).
"""
import argparse
import json
import pathlib
import time

from coursekit.files import write_json
from w3_qa import config as cfg

__all__ = ["CANDIDATES", "candidate_config", "finished", "run_candidate", "main"]

# name -> QAConfig overrides ("name=value", as the training command's --set)
CANDIDATES = {
    "reference": [],  # the committed recipe: half the paragraphs salient-span masked, epochs over 20,000
    "salient_fresh": ["salient_rate=1.0", "salient_fact_rate=0.0", "pretrain_fresh=true"],
    "salient_fresh_windows": ["salient_rate=1.0", "salient_fact_rate=0.0", "pretrain_fresh=true",
                              "pretrain_window_examples=16000", "input_boundaries=64,128,160,192"],
    "cloze_windows": ["cloze_rate=0.5", "salient_rate=0.5", "salient_fact_rate=0.0", "pretrain_fresh=true",
                      "pretrain_window_examples=16000", "input_boundaries=64,128,160,192"],
    # most paragraphs a cloze in the downstream format, short passages for the first ~3,000 steps
    "cloze_heavy": ["cloze_rate=0.8", "salient_rate=0.2", "salient_fact_rate=0.0", "pretrain_fresh=true",
                    "pretrain_window_examples=48000", "input_boundaries=64,128,160,192"],
}
WORK_DIR = cfg.ASSETS_DIR.parent / "runs"  # the candidates' Loop checkpoints (git-ignored)


def candidate_config(name, base=cfg.DEFAULT):
    if name not in CANDIDATES:
        raise ValueError(f"unknown candidate {name!r}; the candidates are {', '.join(CANDIDATES)}")
    return base.with_overrides(CANDIDATES[name])


def _load(path):
    path = pathlib.Path(path)
    return json.loads(path.read_text(encoding="utf-8"))["rows"] if path.exists() else []


def _write(path, rows):
    write_json(path, {"rows": rows})


def finished(rows, name, steps):
    """True if `rows` hold a probe of candidate `name` at `steps` or later."""
    return any(row["candidate"] == name and row["step"] >= steps for row in rows)


def run_candidate(name, steps, probe_every, out, n_probe=300, keep=None, pretrain=None, probe_fn=None,
                  work_dir=None):
    """Pre-train candidate `name` for `steps` steps, probing every `probe_every` steps and at the end; each
    row is appended to the JSON file `out` as soon as it is measured. `pretrain` and `probe_fn` (model ->
    probe scores) default to w3_qa.train.pretrain and the probe on `probe.probe_items(n_probe)`; tests pass
    small ones.

    work_dir: a folder to checkpoint the pre-training in every `probe_every` steps and to resume it from
    (pretrain's output_dir); the candidate's rows up to the resumed step are kept, later ones dropped (they
    are measured again). Without it, the candidate's earlier rows are dropped and it starts from step 0."""
    from coursekit.loop import save_weights, write_training_record

    config = candidate_config(name)
    if pretrain is None:
        from w3_qa.train import pretrain
    if probe_fn is None:
        probe_fn = _default_probe(config, n_probe)
    resumed = 0
    if work_dir is not None:
        from w3_qa import resume

        _, state = resume.latest_state(work_dir, config)
        resumed = state["step"] if state else 0
    _write(out, [row for row in _load(out) if row["candidate"] != name or row["step"] <= resumed])
    started, probing = time.perf_counter(), [0.0]

    def on_checkpoint(loop, history):
        if loop.step % probe_every and loop.step < steps:
            return
        probe_start = time.perf_counter()
        # a resumable run's records carry the training time so far (over restarts, callbacks excluded)
        train_minutes = history[-1].get("seconds", probe_start - started - probing[0]) / 60
        scores = probe_fn(loop.model)
        probing[0] += time.perf_counter() - probe_start
        row = {"candidate": name, "overrides": CANDIDATES[name], "step": int(loop.step),
               "train_minutes": round(train_minutes, 2),
               **{key: scores[key] for key in ("copied", "guessed", "copied_cloze", "f1", "no_fill", "n")}}
        _write(out, _load(out) + [row])
        print(json.dumps(row), flush=True)

    resumable = {} if work_dir is None else {"output_dir": work_dir, "checkpoint_every": probe_every}
    model, history, seconds = pretrain(config, n_steps=steps, progress=False, on_checkpoint=on_checkpoint,
                                       **resumable)
    if keep is not None:
        path = pathlib.Path(keep) / f"{name}.pkl.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_weights(model, path)
        write_training_record(path, history, seconds if resumable else seconds - probing[0], config)
    return history


def _default_probe(config, n_probe):
    from w3_qa.checkpoints import as_eval_model
    from w3_qa.probe import probe, probe_items
    from w3_qa.tokenizer import default_tokenizer

    tokenizer, items, evaluator = default_tokenizer(), probe_items(n_probe), []

    def probe_fn(model):
        import jax

        if not evaluator:
            evaluator.append(as_eval_model(model, config, tokenizer))
        evaluator[0].weights = jax.device_put(model.weights)
        return probe(evaluator[0], items, tokenizer)

    return probe_fn


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(cfg.ASSETS_DIR / "pretrain_levers.json"))
    parser.add_argument("--only", action="append", default=None, choices=sorted(CANDIDATES),
                        help="run this candidate (repeatable; default: all, in the listed order)")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--probe-every", type=int, default=500)
    parser.add_argument("--n-probe", type=int, default=300)
    parser.add_argument("--keep", default=None, help="a folder to save each candidate's final weights in")
    parser.add_argument("--work-dir", default=str(WORK_DIR),
                        help="a folder for each candidate's resumable checkpoints (default: w3_qa/runs)")
    parser.add_argument("--no-resume", action="store_true", help="start each candidate from step 0, no checkpoints")
    args = parser.parse_args(argv)
    if args.steps < 1 or args.probe_every < 1 or args.probe_every % cfg.DEFAULT.steps_per_checkpoint:
        parser.error(f"--steps must be >= 1 and --probe-every a multiple of {cfg.DEFAULT.steps_per_checkpoint}")
    for name in args.only or list(CANDIDATES):
        if finished(_load(args.out), name, args.steps):
            print(f"{name}: already probed at {args.steps} steps in {args.out}; skipped", flush=True)
            continue
        work_dir = None if args.no_resume else pathlib.Path(args.work_dir) / name
        run_candidate(name, args.steps, args.probe_every, args.out, args.n_probe, args.keep, work_dir=work_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

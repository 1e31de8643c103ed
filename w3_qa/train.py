"""Pre-train the Week 3 encoder-decoder with span corruption, then fine-tune it on questions.

    python -m w3_qa.train pretrain --out w3_qa/assets      # unlabeled paragraphs -> pretrained.pkl.gz
    python -m w3_qa.train finetune --out w3_qa/assets      # all training questions -> qa.pkl.gz
    python -m w3_qa.train pretrain --set pretrain_batch_size=32 --steps 20000 --max-minutes 60
    python -m w3_qa.train pretrain --recipe cloze_heavy --steps 9000 --out w3_qa/assets   # the transfer curve's

`--set name=value` changes a QAConfig field (repeatable); `--max-minutes` stops pre-training at the first
checkpoint after that time. Pre-training writes its weights and record at every checkpoint, so an
interrupted run keeps what it had. `--recipe NAME` pre-trains a candidate of `w3_qa.pretrain_levers`
(its levers on the config) as the transfer curve's checkpoint, transfer_pretrained.pkl.gz, resumably: its
Loop is checkpointed in w3_qa/runs/<NAME>/ every 1,500 steps, as the candidate's own run was, and a rerun
goes on from there.

Both use trax's TrainTask / EvalTask / Loop with the weighted cross-entropy of the target tokens (padding
weighs 0) and Adam with a linear warm-up then rsqrt decay. Pre-training is evaluated on paragraphs that it
never trains on (the paragraphs of the eval questions); fine-tuning on the eval questions. Runs are seeded:
the same command writes the same weights.
"""
import argparse
import dataclasses
import pathlib
import shutil
import time

import jax
import numpy as np

from coursekit.loop import (checkpoint_record, output_folder, run_loop, save_weights, training_summary,
                            weighted_tasks, write_training_record)
from coursekit.schedules import with_linear_cooldown
from coursekit.streams import repeat_shuffled
from coursekit.trax_env import import_trax
from w3_qa import config as cfg
from w3_qa import pretrain_levers, pretrain_stream
from w3_qa.checkpoints import as_eval_model, input_signature, load_model, make_model
from w3_qa.heldout import is_held_out
from w3_qa.pipeline import (make_seq2seq_batches, qa_pair, salient_span_pairs,
                            span_corruption_pairs, token_budget_batch_sizes)
from w3_qa.scoring import evaluate_model

trax = import_trax()
from trax.supervised import training  # noqa: E402

# load_model, make_model, input_signature, as_eval_model: w3_qa.checkpoints', importable from here as before.
__all__ = ["pretrain", "finetune", "load_model", "save_weights", "make_model", "input_signature", "splits",
           "as_eval_model"]
RECIPE_CHECKPOINT_EVERY = 1500  # --recipe runs' Loop checkpoints (the committed candidate's probe interval)


def splits(config=cfg.DEFAULT):
    """The generated data of `config`: data.make_splits with its sizes and seed."""
    from w3_qa.data import make_splits
    return make_splits(n_pretrain=config.n_pretrain, n_train=config.n_train, n_eval=config.n_eval,
                       n_test=config.n_test, seed=config.seed)


def _default_tokenizer(tokenizer):
    if tokenizer is None:
        from w3_qa.tokenizer import default_tokenizer
        tokenizer = default_tokenizer()
    return tokenizer


def learning_rate_schedule(learning_rate, warmup_steps, kind="rsqrt", n_steps=None, decay_fraction=0.0):
    """step -> learning rate: a linear warm-up over `warmup_steps` to `learning_rate`, then rsqrt decay
    ("rsqrt"), or constant ("constant"), or constant and then a linear decay to zero over the last
    `decay_fraction` of `n_steps` ("constant_decay": warm-up, stable, decay; the cool-down settles weights
    that a constant rate keeps moving)."""
    if kind == "rsqrt":
        return trax.lr.warmup_and_rsqrt_decay(n_warmup_steps=warmup_steps, max_value=learning_rate)
    if kind == "constant":
        return trax.lr.multifactor(factors="constant * linear_warmup", constant=learning_rate,
                                   warmup_steps=warmup_steps)
    if kind == "constant_decay":
        if not n_steps or n_steps <= 0:
            raise ValueError(f"the 'constant_decay' schedule needs the run's n_steps, but got {n_steps!r}")
        if not 0.0 < decay_fraction <= 1.0:
            raise ValueError(f"decay_fraction must be in (0, 1], but got {decay_fraction!r}")

        def warm_constant(step):
            return np.float32(learning_rate) * np.minimum(1.0, (np.asarray(step, np.float32) + 1.0)
                                                          / max(1, warmup_steps))

        return with_linear_cooldown(warm_constant, n_steps, decay_fraction)
    raise ValueError(f"the schedule must be 'rsqrt', 'constant' or 'constant_decay', but got {kind!r}")


def _loop(model, train_stream, eval_stream, learning_rate, warmup_steps, output_dir, config, schedule="rsqrt",
          n_steps=None):
    lr_schedule = learning_rate_schedule(learning_rate, warmup_steps, schedule, n_steps,
                                         config.finetune_decay_fraction)
    train_task, eval_task = weighted_tasks(train_stream, eval_stream, learning_rate, lr_schedule,
                                           config.steps_per_checkpoint, config.eval_batches)
    return training.Loop(model, [train_task], eval_tasks=[eval_task], output_dir=str(output_dir),
                         random_seed=config.seed, checkpoint_at=lambda step: False)


def _run(model, train_stream, eval_stream, learning_rate, warmup_steps, n_steps, config, progress,
         keep_best=False, max_seconds=None, on_checkpoint=None, score=None, schedule="rsqrt"):
    start = time.perf_counter()
    with output_folder(None, "w3_qa_train_") as folder:
        loop = _loop(model, train_stream, eval_stream, learning_rate, warmup_steps, folder, config, schedule,
                     n_steps)
        if keep_best:
            history = _run_keeping_best(loop, n_steps, config.steps_per_checkpoint, progress, score,
                                        max_seconds, start, on_checkpoint)
        elif max_seconds is not None or on_checkpoint is not None:
            history = _run_with_budget(loop, n_steps, config.steps_per_checkpoint, progress, start, max_seconds,
                                       on_checkpoint)
        else:
            history = run_loop(loop, n_steps, config.steps_per_checkpoint, progress)
    return loop.model, history, time.perf_counter() - start


def _run_with_budget(loop, n_steps, steps_per_checkpoint, progress, start, max_seconds, on_checkpoint):
    """Run the Loop to `n_steps`, or stop at the first checkpoint after `max_seconds` (None: no limit);
    `on_checkpoint(loop, history)` is called at every checkpoint (e.g. to save the weights so far)."""
    history = []
    while loop.step < n_steps:
        history += run_loop(loop, min(n_steps, loop.step + steps_per_checkpoint), steps_per_checkpoint, progress)
        if on_checkpoint is not None:
            on_checkpoint(loop, history)
        if max_seconds is not None and time.perf_counter() - start > max_seconds:
            break
    return history


def _run_resumable(model, train_stream, eval_stream, n_steps, config, progress, max_seconds, on_checkpoint,
                   output_dir, checkpoint_every):
    """Pre-training's Loop in `output_dir`, checkpointed every `checkpoint_every` steps and at the end
    (`w3_qa.resume`), restored from the latest checkpoint there: the Loop's weights, optimizer slots, step,
    metric history and random key; as many batches of each (seeded) stream as the checkpoint had drawn are
    drawn again and dropped, so the run goes on as an uncut one. Each history record gets "seconds", the
    training time so far (the callbacks' and the restore's excluded, added over restarts). At each
    checkpoint step `on_checkpoint(loop, history)` runs before the save, so what it writes (a probe's row)
    is never later than the checkpoint a rerun restores."""
    from w3_qa import resume

    output_dir = pathlib.Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    folder, state = resume.latest_state(output_dir, config)
    train_stream, eval_stream = resume.Counted(train_stream), resume.Counted(eval_stream)
    loop = _loop(model, train_stream, eval_stream, config.pretrain_learning_rate, config.pretrain_warmup_steps,
                 output_dir, config)
    history, seconds = [], 0.0
    if state is not None:
        loop.load_checkpoint(directory=str(folder), filename="model")
        loop._rng = jax.numpy.asarray(np.load(folder / "rng.npy"))  # not in trax's checkpoint
        train_stream.skip_to(state["train_batches"])
        eval_stream.skip_to(state["eval_batches"])
        history, seconds = state["history"], state["seconds"]
    clock = time.perf_counter()
    while loop.step < n_steps:
        target = min(n_steps, loop.step + config.steps_per_checkpoint - loop.step % config.steps_per_checkpoint)
        history += run_loop(loop, target, config.steps_per_checkpoint, progress)
        seconds += time.perf_counter() - clock
        history[-1]["seconds"] = round(seconds, 1)
        if on_checkpoint is not None:
            on_checkpoint(loop, history)
        if loop.step % checkpoint_every == 0 or loop.step == n_steps:
            saved = resume.step_folder(output_dir, loop.step)
            shutil.rmtree(saved, ignore_errors=True)
            saved.mkdir()
            loop.save_checkpoint(f"{saved.name}/model")
            np.save(saved / "rng.npy", np.asarray(loop._rng))
            resume.write_state(saved, loop.step, config, history, seconds, train_stream.count, eval_stream.count)
            resume.prune(output_dir, saved)
        clock = time.perf_counter()
        if max_seconds is not None and seconds > max_seconds:
            break
    return loop.model, history, seconds


def _run_keeping_best(loop, n_steps, steps_per_checkpoint, progress, score=None, max_seconds=None, start=None,
                      on_checkpoint=None):
    """Run the Loop to `n_steps`, evaluating every `steps_per_checkpoint` steps, and leave the model with the
    best weights seen (early stopping: a small labeled set is soon over-fitted). Best is the lowest eval loss,
    or, with `score(model) -> {"f1", "exact_match"}` (SQuAD scores of greedy answers to held-out questions),
    the highest F1, ties going to the lower eval loss. The chosen record gets "best": True. Each record also has "seconds"
    (since `start`); the run stops at the first evaluation after `max_seconds` (None: no limit), and
    `on_checkpoint(loop, history)` runs after each evaluation."""
    from tqdm.auto import tqdm

    def rank(record):
        return (-record["eval_f1"] if score else 0.0, record["eval_loss"])

    history, best = [], None
    bar = tqdm(total=n_steps, desc="fine-tuning", disable=not progress, unit="step")
    while loop.step < n_steps:
        chunk = min(steps_per_checkpoint - loop.step % steps_per_checkpoint, n_steps - loop.step)
        loop.run(n_steps=chunk)
        bar.update(chunk)
        record = checkpoint_record(loop)
        if score is not None:
            scores = score(loop.model)
            record["eval_f1"], record["eval_em"] = round(scores["f1"], 2), round(scores["exact_match"], 2)
        if start is not None:
            record["seconds"] = round(time.perf_counter() - start, 1)
        history.append(record)
        if best is None or rank(record) < rank(best[0]):
            best = (record, loop.model.weights)
        if on_checkpoint is not None:
            on_checkpoint(loop, history)
        if max_seconds is not None and time.perf_counter() - start > max_seconds:
            break
    bar.close()
    best[0]["best"] = True
    loop.model.weights = best[1]
    return history


def _f1_scorer(examples, tokenizer, config):
    """score(model) -> SQuAD scores {"exact_match", "f1", "n"} (0-100) of greedy answers to `examples`, by an
    eval-mode copy of the model (made once: it is compiled once, and takes the training model's current
    weights at each call)."""
    evaluator = []

    def score(model):
        if not evaluator:
            evaluator.append(as_eval_model(model, config, tokenizer))
        evaluator[0].weights = jax.device_put(model.weights)
        return evaluate_model(evaluator[0], examples, tokenizer, max_length=config.answer_length)[0]

    return score


def pretrain(config=cfg.DEFAULT, n_steps=None, tokenizer=None, data=None, progress=True, max_seconds=None,
             on_checkpoint=None, output_dir=None, checkpoint_every=None):
    """Span-corruption pre-training on the unlabeled paragraphs; returns (model, history, seconds).

    history: list of {step, train_loss, eval_loss, eval_accuracy} (accuracy on the target tokens).
    max_seconds stops at the first checkpoint after that time; on_checkpoint(loop, history) runs at every
    checkpoint.
    output_dir: a folder to checkpoint the Loop in every `checkpoint_every` steps (default
    config.steps_per_checkpoint; a multiple of it) and at the end, and to resume from: a rerun with the same
    folder and config goes on from the latest checkpoint and ends with the weights and history of an uncut
    run (`_run_resumable`; the records then also have "seconds", and `seconds` counts training time only).
    """
    checkpoint_every = checkpoint_every or config.steps_per_checkpoint
    if checkpoint_every % config.steps_per_checkpoint:
        raise ValueError(f"checkpoint_every must be a multiple of steps_per_checkpoint "
                         f"({config.steps_per_checkpoint}), but got {checkpoint_every}")
    tokenizer = _default_tokenizer(tokenizer)
    data = data or splits(config)
    held_out = sorted({example["context"] for example in data["eval"]})
    # no held-out entity (heldout.is_held_out) in pre-training either: held-out questions stay unseen text
    corpus = [paragraph for paragraph in data["pretrain"] if not is_held_out(paragraph["title"])]
    batching = dict(input_boundaries=config.input_boundaries, batch_size=config.pretrain_batch_size,
                    target_length=config.pretrain_target_length)
    if pretrain_stream.uses_levers(config):
        exclude = {example["title"] for split in ("train", "eval", "test") for example in data[split]}
        pairs = pretrain_stream.pretrain_pairs(pretrain_stream.pretrain_paragraphs(corpus, config, exclude),
                                               tokenizer, config, seed=config.seed)
    else:
        pairs = salient_span_pairs(corpus, tokenizer, config.noise, seed=config.seed, mean_span=config.mean_span,
                                   salient_rate=config.salient_rate)
    train_stream = make_seq2seq_batches(pairs, **batching)
    eval_stream = make_seq2seq_batches(
        span_corruption_pairs(held_out, tokenizer, config.noise, seed=config.seed + 1, mean_span=config.mean_span),
        **batching)
    model = make_model(tokenizer.vocab_size, config, mode="train")
    if output_dir is not None:
        return _run_resumable(model, train_stream, eval_stream, n_steps or config.pretrain_steps, config, progress,
                              max_seconds, on_checkpoint, output_dir, checkpoint_every)
    return _run(model, train_stream, eval_stream, config.pretrain_learning_rate, config.pretrain_warmup_steps,
                n_steps or config.pretrain_steps, config, progress, max_seconds=max_seconds,
                on_checkpoint=on_checkpoint)


def finetune_pairs(examples, tokenizer, config=cfg.DEFAULT, rng=None):
    """(input ids + [EOS], target ids + [EOS]) pairs of an iterable of QA dicts, as `finetune` trains on them:
    contexts cut by the config's curriculum (curriculum.curriculum_windows; none with curriculum_examples 0
    and full_rate 1), targets copied from the context's tokens if config.copy_targets."""
    from w3_qa import curriculum

    rng = rng if rng is not None else np.random.default_rng([config.seed, 1])
    if config.curriculum_examples or config.full_rate < 1:
        examples = curriculum.curriculum_windows(examples, rng, config.curriculum_examples, config.max_neighbours,
                                                 config.full_rate)
    to_pair = curriculum.qa_copy_pair if config.copy_targets else qa_pair
    return (to_pair(example, tokenizer) for example in examples)


def finetune_batching(config=cfg.DEFAULT):
    """make_seq2seq_batches' keyword arguments for fine-tuning: input boundaries, batch sizes (per boundary
    under a token budget), target length."""
    boundaries = config.finetune_input_boundaries or config.input_boundaries
    batch_size = (token_budget_batch_sizes(boundaries, config.finetune_tokens_per_batch)
                  if config.finetune_tokens_per_batch else config.finetune_batch_size)
    return dict(input_boundaries=boundaries, batch_size=batch_size, target_length=config.answer_length)


def finetune(n_labeled=None, pretrained=None, config=cfg.DEFAULT, n_steps=None, tokenizer=None, data=None,
             progress=True, max_seconds=None, on_checkpoint=None):
    """Fine-tune on the first `n_labeled` training questions; returns (model, history, seconds).

    Every `config.finetune_eval_every` steps the model is scored on eval questions; the returned model has
    the weights of the lowest eval loss, or with `config.select_by` "f1" of the best F1 of greedy answers to
    the first `config.select_questions` eval questions (its history record has "best": True).

    Args:
        n_labeled: int, how many labeled questions to train on (default: all of data["train"], or with
            config.fresh_questions an endless stream of fresh generated questions about entities in no split).
        pretrained: None (start from random weights) or the path of a pre-trained checkpoint.
        max_seconds: stop at the first evaluation after this time (None: run n_steps).
        on_checkpoint: called as on_checkpoint(loop, history) after every evaluation.
    """
    from w3_qa import curriculum

    tokenizer = _default_tokenizer(tokenizer)
    data = data or splits(config)
    examples = data["train"] if n_labeled is None else data["train"][:n_labeled]
    if n_labeled is not None and len(examples) < n_labeled:
        raise ValueError(f"asked for {n_labeled} labeled questions but the training split has {len(examples)}")
    batching = finetune_batching(config)
    rng = np.random.default_rng([config.seed, 1])
    if n_labeled is None and config.fresh_questions:
        excluded = {example["title"] for split in ("eval", "test") for example in data[split]}
        stream = curriculum.shuffled(curriculum.fresh_questions(config.seed, excluded), 1000, rng)
    else:
        stream = repeat_shuffled(examples, seed=config.seed)
    pairs = finetune_pairs(stream, tokenizer, config, rng)
    train_stream = make_seq2seq_batches(pairs, **batching)
    eval_stream = make_seq2seq_batches(repeat_shuffled(
        list(finetune_pairs(data["eval"], tokenizer, dataclasses.replace(config, curriculum_examples=0,
                                                                         full_rate=1.0))),
        seed=config.seed + 1), **batching)
    model = make_model(tokenizer.vocab_size, config, mode="train")
    if pretrained is not None:
        pretrained = pathlib.Path(pretrained)
        if not pretrained.exists():
            raise FileNotFoundError(f"no pre-trained checkpoint at {pretrained}; run `python -m w3_qa.train "
                                    f"pretrain`")
        model.init_from_file(str(pretrained), weights_only=True, input_signature=input_signature())
    evaluated = dataclasses.replace(config, steps_per_checkpoint=config.finetune_eval_every)
    score = None
    if config.select_by == "f1":
        score = _f1_scorer(data["eval"][:config.select_questions], tokenizer, config)
    elif config.select_by != "loss":
        raise ValueError(f"select_by must be 'loss' or 'f1', but got {config.select_by!r}")
    return _run(model, train_stream, eval_stream, config.finetune_learning_rate, config.finetune_warmup_steps,
                n_steps or config.finetune_steps, evaluated, progress, keep_best=True, score=score,
                schedule=config.finetune_schedule, max_seconds=max_seconds, on_checkpoint=on_checkpoint)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=("pretrain", "finetune"))
    parser.add_argument("--out", default=str(cfg.ASSETS_DIR), help="folder for the checkpoint")
    parser.add_argument("--steps", type=int, default=None, help="default: the config's")
    parser.add_argument("--recipe", default=None, choices=sorted(pretrain_levers.CANDIDATES),
                        help=f"pretrain: this candidate of w3_qa.pretrain_levers, written as "
                             f"{cfg.TRANSFER_PRETRAINED.name} (the transfer curve's checkpoint: "
                             f"--recipe {cfg.TRANSFER_PRETRAIN_RECIPE} --steps {cfg.TRANSFER_PRETRAIN_STEPS})")
    parser.add_argument("--from-scratch", action="store_true", help="finetune without the pre-trained weights")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a QAConfig field, e.g. --set pretrain_batch_size=64 (repeatable)")
    parser.add_argument("--max-minutes", type=float, default=None,
                        help="stop at the first checkpoint (pretrain) or evaluation (finetune) after this time; "
                             "the weights so far (finetune: the best so far) are saved at each")
    args = parser.parse_args(argv)
    if args.recipe is not None and args.stage != "pretrain":
        parser.error("--recipe is a pre-training's")
    base = cfg.DEFAULT if args.recipe is None else pretrain_levers.candidate_config(args.recipe)
    config = base.with_overrides(args.set)
    out = pathlib.Path(args.out)
    if args.stage == "pretrain":
        name = cfg.PRETRAINED_CHECKPOINT if args.recipe is None else cfg.TRANSFER_PRETRAINED
        path = out / name.name
        started = time.perf_counter()
        # a recipe's run is resumable, checkpointed as w3_qa.pretrain_levers checkpoints its candidates
        resumable = {} if args.recipe is None else {
            "output_dir": pretrain_levers.WORK_DIR / args.recipe, "checkpoint_every": RECIPE_CHECKPOINT_EVERY}

        def save(model, history, seconds=None):
            save_weights(model, path)
            write_training_record(path, history, time.perf_counter() - started if seconds is None else seconds,
                                  config)

        max_seconds = None if args.max_minutes is None else 60 * args.max_minutes
        model, history, seconds = pretrain(config, n_steps=args.steps, max_seconds=max_seconds,
                                           on_checkpoint=lambda loop, history: save(loop.model, history),
                                           **resumable)
        save(model, history, seconds if resumable else None)  # resumed: training time over all its runs
    else:
        pretrained = None if args.from_scratch else out / cfg.PRETRAINED_CHECKPOINT.name
        path = out / cfg.QA_CHECKPOINT.name
        started = time.perf_counter()

        def save_if_best(loop, history):  # an interrupted run keeps its best weights so far
            if all(record.get("eval_f1", 0) <= history[-1].get("eval_f1", 0) for record in history):
                save_weights(loop.model, path)
                write_training_record(path, history, time.perf_counter() - started, config,
                              pretrained=pretrained is not None)

        max_seconds = None if args.max_minutes is None else 60 * args.max_minutes
        model, history, seconds = finetune(pretrained=pretrained, config=config, n_steps=args.steps,
                                           max_seconds=max_seconds, on_checkpoint=save_if_best)
        save_weights(model, path)
        write_training_record(path, history, seconds, config, pretrained=pretrained is not None)
    print(training_summary(f"{args.stage}: trained", history, seconds, path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Train the Week 2 summarizer with trax's TrainTask / EvalTask / Loop and write the small, reproducible
checkpoint that the notebook loads.

    python -m w2_summarizer.train --out w2_summarizer/assets

The loss is the weighted cross-entropy of the next token, with weight 1 on the summary only (see
`pipeline.joint_sequence`); the eval task reports the same loss and the weighted accuracy. Training starts on
the articles' fact sentences alone (`curriculum`), where copying a name or a number from the article forms
before the model has to find it among distractors.
"""
import argparse
import os
import pathlib
import time

import numpy as np

from coursekit.loop import load_weights, output_folder, run_loop, save_weights, training_summary, write_training_record
from coursekit.schedules import with_linear_cooldown
from coursekit.trax_env import import_trax
from w2_summarizer import config as cfg
from w2_summarizer.model import TransformerLM

trax = import_trax()
from trax import layers as tl  # noqa: E402
from trax.supervised import training  # noqa: E402


def training_loop(TransformerLM, train_gen, eval_gen, output_dir, config=cfg.DEFAULT,  # noqa: N803
                  vocab_size=None):
    """A trax `training.Loop` that trains a TransformerLM on the weighted next-token loss.

    Args:
        TransformerLM: the model function (yours), called with the config's sizes in 'train' mode.
        train_gen, eval_gen: iterators of (inputs, targets, weights) batches (`pipeline.make_batch_stream`).
        output_dir: str, the folder where the Loop writes its checkpoints and logs.
        config: a SummarizerConfig (sizes, learning rate, warm-up, checkpoint interval, seed).
        vocab_size: int, default config.vocab_size.

    Returns:
        the Loop, not yet run: `loop.run(n_steps)` trains.
    """
    output_dir = os.path.expanduser(os.fspath(output_dir))
    vocab_size = vocab_size or config.vocab_size
    ### BEGIN SOLUTION
    lr_schedule = trax.lr.warmup_and_rsqrt_decay(n_warmup_steps=config.warmup_steps,
                                                 max_value=config.learning_rate)
    train_task = training.TrainTask(
        labeled_data=train_gen,
        loss_layer=tl.WeightedCategoryCrossEntropy(),
        optimizer=trax.optimizers.Adam(config.learning_rate),
        lr_schedule=lr_schedule,
        n_steps_per_checkpoint=config.steps_per_checkpoint,
        loss_name="loss",
    )
    eval_task = training.EvalTask(
        labeled_data=eval_gen,
        metrics=[tl.WeightedCategoryCrossEntropy(), tl.WeightedCategoryAccuracy()],
        metric_names=["loss", "accuracy"],
        n_eval_batches=config.eval_batches,
    )
    loop = training.Loop(
        TransformerLM(vocab_size, mode="train", **config.model_kwargs()),
        [train_task],
        eval_tasks=[eval_task],
        output_dir=output_dir,
        random_seed=config.seed,
        checkpoint_at=lambda step: False,
    )
    ### END SOLUTION
    return loop


def input_signature(batch=1, length=16):
    """The ShapeDtype of a batch of token ids, as the model takes it."""
    return trax.shapes.ShapeDtype((batch, length), np.int32)


def make_model(vocab_size=None, config=cfg.DEFAULT, mode="eval"):
    """A TransformerLM sized by `config`."""
    return TransformerLM(vocab_size or config.vocab_size, mode=mode, **config.model_kwargs())


def load_model(path=None, mode="eval", config=cfg.DEFAULT, vocab_size=None):
    """Build a TransformerLM in `mode` and initialise it from a checkpoint written by `save_weights`."""
    model = make_model(vocab_size, config, mode=mode)
    # predict mode needs the cache state that init builds; the file gives the weights
    return load_weights(model, path or cfg.REFERENCE_CHECKPOINT, input_signature(), "python -m w2_summarizer.train",
                        init_first=True)


def make_streams(config=cfg.DEFAULT, tokenizer=None):
    """The seeded train and eval batch streams of the generated corpus: the training stream follows the
    config's curriculum (`curriculum.curriculum_stream`: fact sentences first), the eval stream whole
    articles."""
    from w2_summarizer.curriculum import curriculum_stream
    from w2_summarizer.data import make_splits
    from w2_summarizer.pipeline import make_batch_stream

    if tokenizer is None:
        from w2_summarizer.tokenizer import default_tokenizer
        tokenizer = default_tokenizer()
    splits = make_splits(n_train=config.n_train, n_eval=config.n_eval, n_test=config.n_test, seed=config.seed)
    common = dict(batch_boundaries=config.batch_boundaries, batch_sizes=config.batch_sizes)
    if config.curriculum_short_steps or config.curriculum_full_rate < 1:
        train_stream = curriculum_stream(splits["train"], tokenizer, config.curriculum_short_steps,
                                         config.curriculum_full_rate, seed=config.seed, **common)
    else:
        train_stream = make_batch_stream(splits["train"], tokenizer, shuffle=True, repeat=True, seed=config.seed,
                                         **common)
    eval_stream = make_batch_stream(splits["eval"], tokenizer, shuffle=True, repeat=True, seed=config.seed + 1,
                                    **common)
    return train_stream, eval_stream


def add_cooldown(loop, n_steps, fraction):
    """Make the loop's training rate fall linearly to zero over the last `fraction` of `n_steps` steps
    (`coursekit.schedules.with_linear_cooldown` of the schedule its task was built with).

    The graded `training_loop` builds the course's schedule (warm-up, then rsqrt decay); the reference
    recipe adds the cool-down here, so the exercise stays the course's. Trax 1.4.1's TrainTask reads its
    schedule from `_lr_schedule` at every step (`TrainTask.learning_rate`), so that is what is wrapped.
    """
    task = loop.tasks[0]
    base = task._lr_schedule  # noqa: SLF001 (trax 1.4.1 has no public setter)
    if base is None:
        raise ValueError("the loop's train task has no learning-rate schedule to cool down")
    task._lr_schedule = with_linear_cooldown(base, n_steps, fraction)  # noqa: SLF001
    return loop


def train_model(config=cfg.DEFAULT, n_steps=None, output_dir=None, tokenizer=None, progress=True,
                train_stream=None, eval_stream=None, model_fn=TransformerLM):
    """Train the summarizer; returns (model, history, seconds).

    history: list of dicts {step, train_loss, eval_loss, eval_accuracy} at each checkpoint interval.
    Reproducible: the streams and the Loop are seeded from `config.seed`.
    """
    if tokenizer is None:
        from w2_summarizer.tokenizer import default_tokenizer
        tokenizer = default_tokenizer()
    n_steps = n_steps or config.n_steps
    if train_stream is None or eval_stream is None:
        train_stream, eval_stream = make_streams(config, tokenizer)
    start = time.perf_counter()
    with output_folder(output_dir, "w2_summarizer_train_") as folder:
        loop = training_loop(model_fn, train_stream, eval_stream, folder, config=config,
                             vocab_size=tokenizer.vocab_size)
        if config.cooldown_fraction:
            add_cooldown(loop, n_steps, config.cooldown_fraction)
        history = run_loop(loop, n_steps, config.steps_per_checkpoint, progress)
    return loop.model, history, time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(cfg.ASSETS_DIR), help="folder for the checkpoint")
    parser.add_argument("--steps", type=int, default=None, help=f"default {cfg.DEFAULT.n_steps}")
    args = parser.parse_args(argv)
    model, history, seconds = train_model(n_steps=args.steps)
    path = save_weights(model, pathlib.Path(args.out) / cfg.REFERENCE_CHECKPOINT.name)
    write_training_record(path, history, seconds, cfg.DEFAULT)
    print(training_summary("trained", history, seconds, path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

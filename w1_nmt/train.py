"""Train the Week 1 models with trax's TrainTask / EvalTask / Loop (teacher forcing) and write the small,
reproducible checkpoint that the notebook loads.

    python -m w1_nmt.train --out w1_nmt/assets            # the reference NMTAttn
    python -m w1_nmt.train --out w1_nmt/assets --baseline # the seq2seq baseline (no attention)

Teacher forcing is in the model: the pre-attention decoder reads the targets shifted right by one, so
each position predicts the next target token from the true previous ones. Running the Loop and saving the
checkpoint is the course's shared plumbing (`coursekit.loop`: `run_loop`, `save_weights`).
"""
import argparse
import pathlib
import time

import numpy as np

from coursekit.loop import (load_weights, output_folder, run_loop, save_weights, training_summary, weighted_tasks,
                            write_training_record)
from coursekit.trax_env import import_trax
from w1_nmt import config as cfg
from w1_nmt.model import NMTAttn, Seq2SeqBaseline

trax = import_trax()
from trax.supervised import training  # noqa: E402

__all__ = ["make_model", "input_signature", "load_model", "train_model", "save_weights", "main"]


def make_model(vocab_size, config=cfg.DEFAULT, mode="train", attention=True):
    """An NMTAttn (or, with attention=False, the Seq2SeqBaseline) sized by `config`."""
    if attention:
        return NMTAttn(vocab_size, vocab_size, mode=mode, **config.model_kwargs())
    return Seq2SeqBaseline(vocab_size, vocab_size, d_model=config.d_model,
                           n_encoder_layers=config.n_encoder_layers,
                           n_decoder_layers=config.n_decoder_layers, mode=mode)


def input_signature(batch=1, input_len=16, target_len=16):
    """ShapeDtypes of an (inputs, targets) batch, as the models take it."""
    return (trax.shapes.ShapeDtype((batch, input_len), np.int32),
            trax.shapes.ShapeDtype((batch, target_len), np.int32))


def load_model(path=None, mode="eval", config=cfg.DEFAULT, attention=True, vocab_size=None):
    """Build a model in `mode` and initialise it from a checkpoint written by `save_weights`."""
    path = path or (cfg.REFERENCE_CHECKPOINT if attention else cfg.BASELINE_CHECKPOINT)
    if vocab_size is None:
        from w1_nmt.tokenizer import default_tokenizer
        vocab_size = default_tokenizer().vocab_size
    model = make_model(vocab_size, config, mode=mode, attention=attention)
    return load_weights(model, path, input_signature(), "python -m w1_nmt.train")


def _streams(config, tokenizer):
    from w1_nmt.data import make_splits
    from w1_nmt.pipeline import make_batch_stream, make_curriculum_stream

    splits = make_splits(n_train=config.n_train, n_eval=config.n_eval, n_test=config.n_test,
                         seed=config.seed)
    common = dict(batch_boundaries=list(config.batch_boundaries), batch_sizes=list(config.batch_sizes),
                  max_length=config.max_length)
    if config.curriculum:
        train_stream = make_curriculum_stream(splits["train"], tokenizer, config.curriculum, seed=config.seed,
                                              **common)
    else:
        train_stream = make_batch_stream(splits["train"], tokenizer, shuffle=True, repeat=True,
                                         seed=config.seed, **common)
    eval_stream = make_batch_stream(splits["eval"], tokenizer, shuffle=True, repeat=True,
                                    seed=config.seed + 1, **common)
    return train_stream, eval_stream


def train_model(config=cfg.DEFAULT, n_steps=None, attention=True, output_dir=None, tokenizer=None,
                progress=True, train_stream=None, eval_stream=None):
    """Train a model with teacher forcing; returns (model, history, seconds).

    history: list of dicts {step, train_loss, eval_loss, eval_accuracy} at each checkpoint.
    Reproducible: the data streams and the Loop are seeded from `config.seed`.
    """
    if tokenizer is None:
        from w1_nmt.tokenizer import default_tokenizer
        tokenizer = default_tokenizer()
    n_steps = n_steps or config.n_steps
    if train_stream is None or eval_stream is None:
        train_stream, eval_stream = _streams(config, tokenizer)
    model = make_model(tokenizer.vocab_size, config, mode="train", attention=attention)
    schedule = trax.lr.warmup_and_rsqrt_decay(config.warmup_steps, config.learning_rate)
    train_task, eval_task = weighted_tasks(train_stream, eval_stream, config.learning_rate, schedule,
                                           config.steps_per_checkpoint, config.eval_batches)
    start = time.perf_counter()
    with output_folder(output_dir, "w1_nmt_train_") as folder:
        loop = training.Loop(model, [train_task], eval_tasks=[eval_task], output_dir=folder,
                             random_seed=config.seed, checkpoint_at=lambda step: False)
        history = run_loop(loop, n_steps, config.steps_per_checkpoint, progress)
    return model, history, time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(cfg.ASSETS_DIR), help="folder for the checkpoint")
    parser.add_argument("--steps", type=int, default=None, help=f"default {cfg.DEFAULT.n_steps}")
    parser.add_argument("--baseline", action="store_true", help="train the seq2seq baseline instead")
    args = parser.parse_args(argv)
    model, history, seconds = train_model(n_steps=args.steps, attention=not args.baseline)
    if args.steps:
        history[-1]["note"] = f"--steps {args.steps}"
    name = cfg.BASELINE_CHECKPOINT.name if args.baseline else cfg.REFERENCE_CHECKPOINT.name
    path = save_weights(model, pathlib.Path(args.out) / name)
    write_training_record(path, history, seconds, cfg.DEFAULT, attention=not args.baseline)
    print(training_summary("trained", history, seconds, path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

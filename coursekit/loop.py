"""Running a trax training `Loop` and saving what it trained: the plumbing every week's `train` module shares.

* `run_loop(loop, n_steps, steps_per_checkpoint)`: runs a `trax.supervised.training.Loop` to `n_steps` with
  a progress bar and returns its history, one `checkpoint_record` per checkpoint interval;
* `checkpoint_record(loop)`: {step, train_loss, eval_loss, eval_accuracy} of a loop now;
* `save_weights(model, path)`: the model's weights in trax's checkpoint format (loadable by
  `Layer.init_from_file`), byte-reproducible;
* `load_weights(model, path, signature, train_command)`: a model initialised from such a file;
* `weighted_tasks(...)`: the train and eval tasks of a model trained on the weighted next-token loss (for an
  ungraded recipe: where the course teaches building the tasks, the week's graded code builds them);
* `output_folder(output_dir, prefix)`: the Loop's folder, a temporary one (removed after) when none is given;
* `write_training_record(path, history, seconds, config, **extra)` and `training_summary(...)`: the JSON
  record beside a checkpoint and the line a training command prints.

Building the model and the loop is each week's own, often graded, code; trax is imported through :func:`coursekit.trax_env.import_trax` when a model is saved.
"""
import contextlib
import dataclasses
import gzip
import json
import pathlib
import pickle
import shutil
import tempfile

import numpy as np

from coursekit.trax_env import import_trax

__all__ = ["PROGRESS_CHUNK", "run_loop", "checkpoint_record", "save_weights", "load_weights", "weighted_tasks",
           "output_folder", "write_training_record", "training_summary"]

PROGRESS_CHUNK = 10


def run_loop(loop, n_steps, steps_per_checkpoint, progress=True):
    """Run a trax Loop up to `n_steps` with a progress bar; returns the history (list of dicts {step,
    train_loss, eval_loss, eval_accuracy}, one at each checkpoint interval and at the end)."""
    from tqdm.auto import tqdm

    history = []
    bar = tqdm(total=n_steps, initial=loop.step, desc="training", disable=not progress, unit="step")
    while loop.step < n_steps:
        # Small chunks only move the progress bar: the Loop's steps, evals and random numbers do
        # not depend on how its run is split.
        chunk = min(PROGRESS_CHUNK, n_steps - loop.step,
                    steps_per_checkpoint - loop.step % steps_per_checkpoint)
        loop.run(n_steps=chunk)
        bar.update(chunk)
        if loop.step % steps_per_checkpoint == 0 or loop.step == n_steps:
            history.append(checkpoint_record(loop))
            bar.set_postfix(eval_loss=f"{history[-1]['eval_loss']:.3f}",
                            eval_acc=f"{history[-1]['eval_accuracy']:.3f}")
    bar.close()
    return history


def _last(loop, mode, metric):
    values = loop.history.get(mode, metric)
    return float(values[-1][1]) if values else float("nan")


def checkpoint_record(loop):
    """{step, train_loss, eval_loss, eval_accuracy} of `loop` now: the last value of each metric in its
    history (NaN before the first one)."""
    return {"step": int(loop.step),
            "train_loss": _last(loop, "train", "metrics/loss"),
            "eval_loss": _last(loop, "eval", "metrics/loss"),
            "eval_accuracy": _last(loop, "eval", "metrics/accuracy")}


def _stored_signature(trax, batch=1, input_len=16, target_len=16):
    """The input signature written into every checkpoint: an (inputs, targets) pair of (1, 16) int32. Loaders
    pass their model's own signature to `init_from_file`, so this is only a record; it stays what it has
    always been (built from arguments, so the two shapes are distinct tuples in the pickle) so that equal
    weights keep giving the same bytes."""
    return (trax.shapes.ShapeDtype((batch, input_len), np.int32),
            trax.shapes.ShapeDtype((batch, target_len), np.int32))


def save_weights(model, path):
    """Write the model's weights in trax's checkpoint format (loadable by `Layer.init_from_file`), as
    float32 numpy arrays, with a fixed gzip timestamp so that equal weights give equal bytes."""
    trax = import_trax()
    flat_weights, flat_state = trax.layers.base.flatten_weights_and_state(model.weights, model.state)
    payload = {"flat_weights": [_as_numpy(w) for w in flat_weights],
               "flat_state": [_as_numpy(s) for s in flat_state],
               "input_signature": _stored_signature(trax)}
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=6, mtime=0) as f:
        pickle.dump(payload, f, protocol=4)
    tmp.replace(path)
    return path


def load_weights(model, path, signature, train_command, init_first=False):
    """Initialise `model` (a trax layer) from a checkpoint written by `save_weights` and return it.

    Args:
        model: the layer, built at the checkpoint's sizes in the mode wanted.
        path: the checkpoint file; FileNotFoundError naming `train_command` (the command that writes it) when
            there is none.
        signature: the ShapeDtype (or tuple of them) the model takes, e.g. (1, 16) int32 token ids.
        init_first: initialise the model before reading the file (a 'predict'-mode model needs the cache
            state that `init` builds; the file gives only the weights).
    The weights end up as device arrays, so they are not copied again at every compiled call.
    """
    import jax

    path = pathlib.Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}; train one with `{train_command}`")
    if init_first:
        model.init(signature)
    model.init_from_file(str(path), weights_only=True, input_signature=signature)
    model.weights = jax.device_put(model.weights)
    return model


def weighted_tasks(train_stream, eval_stream, learning_rate, lr_schedule, steps_per_checkpoint, eval_batches):
    """The (TrainTask, EvalTask) of a model trained with Adam on the weighted cross-entropy of its targets.

    Args:
        train_stream, eval_stream: iterators of (inputs, targets, weights) batches.
        learning_rate: float, Adam's learning rate (the schedule's values replace it step by step).
        lr_schedule: step -> learning rate.
        steps_per_checkpoint: int, steps between the evaluations (and checkpoints) of the loop.
        eval_batches: int, eval batches per evaluation.

    Returns:
        the train task (loss "loss") and the eval task (metrics "loss" and "accuracy", both weighted).
    """
    trax = import_trax()
    from trax import layers as tl
    from trax.supervised import training

    train_task = training.TrainTask(
        labeled_data=train_stream,
        loss_layer=tl.WeightedCategoryCrossEntropy(),
        optimizer=trax.optimizers.Adam(learning_rate),
        lr_schedule=lr_schedule,
        n_steps_per_checkpoint=steps_per_checkpoint,
        loss_name="loss",
    )
    eval_task = training.EvalTask(
        labeled_data=eval_stream,
        metrics=[tl.WeightedCategoryCrossEntropy(), tl.WeightedCategoryAccuracy()],
        metric_names=["loss", "accuracy"],
        n_eval_batches=eval_batches,
    )
    return train_task, eval_task


@contextlib.contextmanager
def output_folder(output_dir=None, prefix="course_train_"):
    """The folder a training Loop writes to, as a str: `output_dir` itself (kept), or, when it is None, a new
    temporary folder named with `prefix`, removed with all the Loop wrote there when the block ends."""
    if output_dir is not None:
        yield str(output_dir)
        return
    scratch = tempfile.mkdtemp(prefix=prefix)
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_training_record(path, history, seconds, config, **extra):
    """Write ``<name>.train.json`` beside the checkpoint ``<name>.pkl.gz`` at `path` and return its path.

    The record: {"checkpoint": file name, "steps": the last step, "seconds": training time (0.1 s), "config":
    the config dataclass as a dict, then `extra`'s items, then "history": the list of checkpoint records}.
    """
    path = pathlib.Path(path)
    record = {"checkpoint": path.name, "steps": history[-1]["step"], "seconds": round(seconds, 1),
              "config": dataclasses.asdict(config), **extra, "history": history}
    record_path = path.with_name(path.name.replace(".pkl.gz", ".train.json"))
    record_path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record_path


def training_summary(what, history, seconds, path):
    """The line a training command prints when it is done: `what` (e.g. "trained"), the steps, seconds, last
    eval loss and accuracy, and the checkpoint written at `path` with its size."""
    last, path = history[-1], pathlib.Path(path)
    return (f"{what} {last['step']} steps in {seconds:.0f} s: eval loss {last['eval_loss']:.3f}, eval accuracy "
            f"{last['eval_accuracy']:.3f}; wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


def _as_numpy(value):
    array = np.asarray(value)
    return array.astype(np.float32) if array.dtype.kind == "f" else array

"""A long pre-training that survives being cut off: the Loop's checkpoints in a folder, and what a rerun reads.

`w3_qa.train.pretrain(output_dir=DIR)` saves, every `checkpoint_every` steps, a complete checkpoint in
``DIR/step_NNNNNNN/``: trax's Loop checkpoint (``model.pkl.gz``, weights, optimizer slots, its metric
history), the Loop's random key (``rng.npy``) and, written last, ``state.json``::

    {"step", "config" (the QAConfig as a dict), "history" (pretrain's records so far), "seconds" (training
     time so far, the callbacks' time excluded), "train_batches", "eval_batches" (batches drawn so far)}

A folder without ``state.json`` is an unfinished save and is ignored; older folders are removed once a newer
one is complete. A rerun with the same DIR and config restores the latest one and draws (and drops)
``train_batches`` and ``eval_batches`` batches of its seeded streams, so it trains on what an uncut run would.
Nothing here imports trax.
"""
import dataclasses
import json
import pathlib
import shutil

from coursekit.files import write_json

__all__ = ["STATE", "Counted", "checkpoint_folders", "latest_state", "step_folder", "write_state", "prune"]

STATE = "state.json"
_PREFIX = "step_"


class Counted:
    """An iterator that counts the items drawn from it (`count`) and can skip ahead to the n-th (`skip_to`)."""

    def __init__(self, iterable):
        self._iterator = iter(iterable)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        item = next(self._iterator)
        self.count += 1
        return item

    def skip_to(self, count):
        while self.count < count:
            next(self)


def checkpoint_folders(output_dir):
    """The complete checkpoint folders (with a state.json) under `output_dir`, oldest step first."""
    output_dir = pathlib.Path(output_dir)
    if not output_dir.is_dir():
        return []
    folders = [path for path in output_dir.glob(_PREFIX + "*") if (path / STATE).is_file()]
    return sorted(folders, key=lambda path: int(path.name[len(_PREFIX):]))


def _as_json(config):
    return json.loads(json.dumps(dataclasses.asdict(config)))


def latest_state(output_dir, config=None):
    """(folder, state dict) of the latest complete checkpoint under `output_dir`, or (None, None) when there
    is none. With `config`, a checkpoint written under another config is refused (ValueError): resuming it
    would mix two runs."""
    folders = checkpoint_folders(output_dir)
    if not folders:
        return None, None
    state = json.loads((folders[-1] / STATE).read_text(encoding="utf-8"))
    if config is not None and state["config"] != _as_json(config):
        changed = sorted(name for name, value in _as_json(config).items() if state["config"].get(name) != value)
        raise ValueError(f"the checkpoint in {folders[-1]} was written under another config (fields "
                         f"{', '.join(changed)} differ); remove {output_dir} to start over")
    return folders[-1], state


def step_folder(output_dir, step):
    """The folder of the checkpoint at `step` under `output_dir`."""
    return pathlib.Path(output_dir) / f"{_PREFIX}{step:07d}"


def write_state(folder, step, config, history, seconds, train_batches, eval_batches):
    """Write `folder`/state.json (atomically: a temporary file renamed), which marks the checkpoint complete."""
    folder = pathlib.Path(folder)
    state = {"step": int(step), "config": _as_json(config), "history": history, "seconds": round(seconds, 2),
             "train_batches": int(train_batches), "eval_batches": int(eval_batches)}
    write_json(folder / STATE, state)


def prune(output_dir, keep):
    """Remove every step folder under `output_dir` but `keep` (finished or not)."""
    for path in pathlib.Path(output_dir).glob(_PREFIX + "*"):
        if path.is_dir() and path != pathlib.Path(keep):
            shutil.rmtree(path, ignore_errors=True)

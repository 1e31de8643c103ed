"""Fine-tune the encoder classifier (the graded `TransformerEncoder`) on a labelled task, and predict with it.

A task (:class:`Task`) names the example fields read as the first and, for sentence pairs, the second segment,
and its labels. The encoder reads an example as BERT does,

    [CLS] first [SEP] second [SEP] 0 0 ... 0        (max_len ids; single sentences: [CLS] first [SEP])

with the longer segment trimmed token by token when the whole is too long (BERT's "longest first"). Training
is trax's Loop with Adam on the cross-entropy of the label (`coursekit.loop.weighted_tasks`, every example
weighing 1), a linear warm-up then a constant rate; it is seeded, so the same call trains the same weights.
"""
import dataclasses
import time

import numpy as np

from coursekit.loop import output_folder, run_loop, weighted_tasks
from coursekit.streams import repeat_shuffled
from coursekit.trax_env import import_trax
from w3_qa import config as cfg
from w3_qa.data.acceptability import ACCEPTABILITY_LABELS
from w3_qa.data.nli import NLI_LABELS
from w3_qa.tokenizer import CLS_ID, SEP_ID

__all__ = ["Task", "TASKS", "encode_example", "encode_inputs", "encode_examples", "batch_stream", "make_classifier",
           "train_classifier", "predict"]


@dataclasses.dataclass(frozen=True)
class Task:
    """A classification task: examples are dicts with the field `first` (and `second`, for pairs) and
    "label", one of `labels` (its index is the class id)."""

    name: str
    first: str
    second: str  # None for single-sentence tasks
    labels: tuple


TASKS = {
    "nli": Task("nli", "premise", "hypothesis", NLI_LABELS),
    "acceptability": Task("acceptability", "sentence", None, ACCEPTABILITY_LABELS),
}


def _check_task(task):
    if isinstance(task, str):
        if task not in TASKS:
            raise ValueError(f"the task must be one of {', '.join(TASKS)} or a Task, but got {task!r}")
        return TASKS[task]
    if not isinstance(task, Task):
        raise TypeError(f"expected a task name or a Task but got {type(task).__name__}")
    return task


def _field(example, name):
    if not isinstance(example, dict) or not isinstance(example.get(name), str):
        raise ValueError(f"expected each example to be a dict with a str {name!r} but got "
                         f"{str(example)[:80]}")
    return example[name]


def encode_example(example, task, tokenizer, max_len=cfg.CLASSIFIER.max_len):
    """The ids the encoder reads for one example: a list of at most `max_len` ints (not padded)."""
    task = _check_task(task)
    segments = [tokenizer.tokenize(_field(example, task.first))]
    if task.second is not None:
        segments.append(tokenizer.tokenize(_field(example, task.second)))
    room = max_len - 1 - len(segments)  # [CLS] and one [SEP] per segment
    if room < len(segments):
        raise ValueError(f"max_len {max_len} leaves no room for the text of {len(segments)} segment(s)")
    while sum(len(s) for s in segments) > room:
        longest = max(range(len(segments)), key=lambda i: len(segments[i]))
        segments[longest] = segments[longest][:-1]
    ids = [CLS_ID]
    for segment in segments:
        ids += list(segment) + [SEP_ID]
    return ids


def encode_inputs(examples, task, tokenizer, max_len=cfg.CLASSIFIER.max_len):
    """The encoder's input of N >= 1 examples: ids (N, max_len) int32, padded with 0."""
    task = _check_task(task)
    if not examples:
        raise ValueError("expected at least one example")
    ids = np.zeros((len(examples), max_len), np.int32)
    for row, example in enumerate(examples):
        encoded = encode_example(example, task, tokenizer, max_len)
        ids[row, :len(encoded)] = encoded
    return ids


def encode_examples(examples, task, tokenizer, max_len=cfg.CLASSIFIER.max_len):
    """(ids (N, max_len) int32 padded with 0, labels (N,) int32 class ids) of N >= 1 labelled examples."""
    task = _check_task(task)
    ids = encode_inputs(examples, task, tokenizer, max_len)
    labels = np.zeros(len(examples), np.int32)
    for row, example in enumerate(examples):
        label = _field(example, "label")
        if label not in task.labels:
            raise ValueError(f"expected a label of {task.name} ({', '.join(task.labels)}) but got {label!r}")
        labels[row] = task.labels.index(label)
    return ids, labels


def batch_stream(ids, labels, batch_size, seed=0):
    """Endless (ids (B, L), labels (B,), weights (B,) of 1.0) batches, reshuffled every epoch."""
    rows = repeat_shuffled(list(range(len(labels))), seed=seed)
    while True:
        chosen = [next(rows) for _ in range(batch_size)]
        yield ids[chosen], labels[chosen], np.ones(batch_size, np.float32)


def make_classifier(n_classes, vocab_size, config=cfg.CLASSIFIER, mode="train", encoder=None):
    """The encoder classifier: `encoder` (default the library's TransformerEncoder; the notebook passes the
    student's) built with `config`'s sizes."""
    if encoder is None:
        from w3_qa.model import TransformerEncoder as encoder
    return encoder(vocab_size, n_classes=n_classes, d_model=config.d_model, d_ff=config.d_ff,
                   n_layers=config.n_layers, n_heads=config.n_heads, dropout=config.dropout,
                   max_len=config.max_len, mode=mode)


def train_classifier(train_examples, eval_examples, task, tokenizer, config=cfg.CLASSIFIER, n_steps=None,
                     progress=False, encoder=None):
    """Train a classifier from random weights on `train_examples` (evaluated on `eval_examples`).

    Returns:
        (model in "eval" mode with the trained weights, history: list of checkpoint records {step,
        train_loss, eval_loss, eval_accuracy}, seconds of training).
    """
    trax = import_trax()
    from trax.supervised import training

    task = _check_task(task)
    n_steps = config.n_steps if n_steps is None else n_steps
    train_ids, train_labels = encode_examples(train_examples, task, tokenizer, config.max_len)
    eval_ids, eval_labels = encode_examples(eval_examples, task, tokenizer, config.max_len)
    model = make_classifier(len(task.labels), tokenizer.vocab_size, config, "train", encoder)
    schedule = trax.lr.multifactor(constant=config.learning_rate, factors="constant * linear_warmup",
                                   warmup_steps=config.warmup_steps)
    steps_per_checkpoint = min(config.steps_per_checkpoint, n_steps)
    train_task, eval_task = weighted_tasks(
        batch_stream(train_ids, train_labels, config.batch_size, config.seed),
        batch_stream(eval_ids, eval_labels, config.batch_size, config.seed + 1),
        config.learning_rate, schedule, steps_per_checkpoint, config.eval_batches)
    start = time.perf_counter()
    with output_folder(None, "w3_qa_classifier_") as folder:
        loop = training.Loop(model, [train_task], eval_tasks=[eval_task], output_dir=folder,
                             random_seed=config.seed, checkpoint_at=lambda step: False)
        history = run_loop(loop, n_steps, steps_per_checkpoint, progress)
    seconds = time.perf_counter() - start
    trained = make_classifier(len(task.labels), tokenizer.vocab_size, config, "eval", encoder)
    trained.init(trax.shapes.signature(train_ids[:1]))
    trained.weights = loop.model.weights
    return trained, history, seconds


def predict(model, examples, task, tokenizer, max_len=cfg.CLASSIFIER.max_len, batch_size=64):
    """The predicted class ids (N,) int of N examples (the most probable label of each)."""
    ids = encode_inputs(examples, task, tokenizer, max_len)
    predictions = []
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        padded = np.zeros((batch_size, ids.shape[1]), np.int32)  # one shape: one compilation
        padded[:len(chunk)] = chunk
        predictions.append(np.argmax(np.asarray(model(padded)), axis=-1)[:len(chunk)])
    return np.concatenate(predictions).astype(np.int64)

"""The GLUE benchmark: its nine tasks, the metric of each, and how the benchmark's score is made.

GLUE (General Language Understanding Evaluation, Wang et al., 2018) scores one model on nine English
tasks of sentence understanding: single sentences (CoLA, SST-2), paraphrase and similarity of two
sentences (MRPC, STS-B, QQP) and inference between them (MNLI, QNLI, RTE, WNLI). A system is fine-tuned
on each task's training set and submits predictions for the test sets, whose labels are hidden; the
leaderboard's **GLUE score** is the mean over the tasks of each task's score, a task with two metrics
scoring their mean (`task_score`, `glue_score`), all in percent.

The metrics (predictions and labels are sequences of class ids, 1 the positive class):

* accuracy: the share of predictions equal to their label;
* F1 of the positive class (MRPC, QQP, beside accuracy): harmonic mean of precision and recall;
* Matthews correlation (CoLA): (TP * TN - FP * FN) / sqrt((TP + FP)(TP + FN)(TN + FP)(TN + FN)), a
  correlation between predictions and labels in [-1, 1]; 0 for a constant prediction, whatever the share
  of the classes, which accuracy does not give (70% "acceptable" labels make "always acceptable" 70%
  accurate);
* Pearson and Spearman correlations of predicted and human similarity scores (STS-B, a regression).
"""
import collections
import math

import numpy as np

__all__ = ["GlueTask", "GLUE_TASKS", "accuracy", "binary_f1", "matthews_corrcoef", "task_score", "glue_score"]

GlueTask = collections.namedtuple("GlueTask", "name question input train_size metrics")

#: GLUE's tasks: what each asks, its input, the size of its training set and its metrics.
GLUE_TASKS = (
    GlueTask("CoLA", "is the sentence grammatical?", "one sentence", 8_551, ("Matthews correlation",)),
    GlueTask("SST-2", "is the film review positive or negative?", "one sentence", 67_349, ("accuracy",)),
    GlueTask("MRPC", "are the two sentences paraphrases?", "sentence pair", 3_668, ("F1", "accuracy")),
    GlueTask("STS-B", "how similar are the two sentences (0-5)?", "sentence pair", 5_749,
             ("Pearson", "Spearman")),
    GlueTask("QQP", "do the two questions ask the same?", "question pair", 363_846, ("F1", "accuracy")),
    GlueTask("MNLI", "does the premise entail, contradict or say nothing about the hypothesis?",
             "sentence pair", 392_702, ("accuracy (matched)", "accuracy (mismatched)")),
    GlueTask("QNLI", "does the sentence answer the question?", "question, sentence", 104_743, ("accuracy",)),
    GlueTask("RTE", "does the first text entail the second?", "sentence pair", 2_490, ("accuracy",)),
    GlueTask("WNLI", "is the sentence with the pronoun replaced entailed? (Winograd coreference)",
             "sentence pair", 635, ("accuracy",)),
)


def _binary_pair(predictions, labels):
    """predictions and labels as int arrays of 0 and 1 of the same length >= 1."""
    arrays = []
    for name, values in (("predictions", predictions), ("labels", labels)):
        array = np.asarray(values)
        if array.ndim != 1 or array.size == 0:
            raise ValueError(f"expected {name} to be a non-empty 1-D sequence of class ids but got shape "
                             f"{array.shape}")
        if array.dtype.kind not in "biu" or not np.isin(array, (0, 1)).all():
            raise ValueError(f"expected {name} to hold the class ids 0 and 1 only but got "
                             f"{sorted(set(array.tolist()))[:5]}")
        arrays.append(array.astype(np.int64))
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(f"expected one prediction per label but got {arrays[0].size} predictions for "
                         f"{arrays[1].size} labels")
    return arrays


def _counts(predictions, labels):
    """(TP, TN, FP, FN) as Python ints."""
    predictions, labels = _binary_pair(predictions, labels)
    return (int(np.sum((predictions == 1) & (labels == 1))), int(np.sum((predictions == 0) & (labels == 0))),
            int(np.sum((predictions == 1) & (labels == 0))), int(np.sum((predictions == 0) & (labels == 1))))


def accuracy(predictions, labels):
    """The share (float in [0, 1]) of predictions equal to their label; any class ids (int sequences of the
    same length >= 1)."""
    predictions, labels = np.asarray(predictions), np.asarray(labels)
    if predictions.ndim != 1 or predictions.shape != labels.shape or predictions.size == 0:
        raise ValueError(f"expected predictions and labels of the same length >= 1 but got shapes "
                         f"{predictions.shape} and {labels.shape}")
    return float(np.mean(predictions == labels))


def binary_f1(predictions, labels):
    """F1 (float in [0, 1]) of class 1: 2 TP / (2 TP + FP + FN); 0.0 when there is no TP."""
    tp, _, fp, fn = _counts(predictions, labels)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def matthews_corrcoef(predictions, labels):
    """The Matthews correlation coefficient of binary predictions, GLUE's metric for CoLA.

    Args:
        predictions: sequence of N ints, each 0 or 1 (the predicted classes).
        labels: sequence of N ints, each 0 or 1 (the true classes), N >= 1.

    Returns:
        float in [-1, 1]: (TP * TN - FP * FN) / sqrt((TP + FP) * (TP + FN) * (TN + FP) * (TN + FN)), with TP
        the count of predictions 1 with label 1, TN of 0 with 0, FP of 1 with 0 and FN of 0 with 1. When a
        factor under the root is 0 (one class never predicted, or never true) the result is 0.0, as in
        scikit-learn.

    Raises:
        ValueError: for values other than 0 and 1, empty or different-length inputs.
    """
    tp, tn, fp, fn = _counts(predictions, labels)
    ### BEGIN SOLUTION
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    if denominator == 0:
        return 0.0
    return (tp * tn - fp * fn) / denominator
    ### END SOLUTION


def task_score(metrics):
    """A GLUE task's score: the mean of its metrics' values (dict name -> float, at least one)."""
    values = list(dict(metrics).values())
    if not values:
        raise ValueError("expected at least one metric")
    return float(np.mean(values))


def glue_score(task_scores):
    """The GLUE score: the mean of the tasks' scores (dict task -> float, at least one), each task counting
    once however large its test set."""
    return task_score(task_scores)

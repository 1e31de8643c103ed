"""Text-to-text tasks (T5): every task is "prefix + text" in, text out; and how much of each task to train on.

    format_qa("Where was Anna Hale born?", "Anna Hale was born in Ashbury ...")
        -> "question: Where was Anna Hale born? context: Anna Hale was born in Ashbury ..."
    format_nli("I hate pigeons.", "My feelings towards pigeons are filled with animosity.")
        -> "mnli premise: I hate pigeons. hypothesis: My feelings towards pigeons are filled with animosity."

Mixing rates (the share of each task in the training batches), for task sizes e_1..e_n:

* examples-proportional: r_m = min(e_m, K) / sum_n min(e_n, K), K an optional cap on a task's size;
* equal: r_m = 1 / n (over the tasks that have examples);
* temperature-scaled: the proportional rates raised to the power 1/T and renormalised; T = 1 is
  proportional mixing, and as T grows the rates approach equal mixing.
"""
import math

import numpy as np

MIXING_STRATEGIES = ("proportional", "equal", "temperature")


def _check_text(name, value):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, but got {type(value).__name__}")
    text = " ".join(value.split())
    if not text:
        raise ValueError(f"{name} must contain at least one non-space character, but got {value!r}")
    return text


def format_qa(question, context):
    """The T5 input of a question about a context: "question: <question> context: <context>".

    Args:
        question, context: non-empty str; runs of whitespace (newlines included) become single spaces and
            the ends are stripped.

    Returns:
        str.
    """
    question = _check_text("question", question)
    context = _check_text("context", context)
    ### BEGIN SOLUTION
    return f"question: {question} context: {context}"
    ### END SOLUTION


def format_nli(premise, hypothesis):
    """The T5 input of an MNLI pair, as in the course: "mnli premise: <premise> hypothesis: <hypothesis>"."""
    return f"mnli premise: {_check_text('premise', premise)} hypothesis: {_check_text('hypothesis', hypothesis)}"


def mixing_rates(sizes, strategy="proportional", temperature=1.0, limit=None):
    """The probability of drawing each task's examples when training on several tasks together.

    Args:
        sizes: sequence of task sizes (numbers of examples), each >= 0, at least one > 0.
        strategy: "proportional" (examples-proportional), "equal", or "temperature" (temperature-scaled).
        temperature: float >= 1 (for "temperature"); 1 gives proportional mixing.
        limit: None, or the cap K on each size in the proportional and temperature-scaled rates.

    Returns:
        (n,) float64 rates, non-negative, summing to 1.
    """
    if isinstance(sizes, (str, bytes)):
        raise TypeError("sizes must be a sequence of numbers, not a str")
    sizes = np.asarray(sizes, dtype=np.float64) if len(sizes) else np.zeros(0)
    if sizes.ndim != 1 or sizes.size == 0:
        raise ValueError(f"sizes must be a non-empty 1-D sequence of numbers, but got shape {sizes.shape}")
    if not np.all(np.isfinite(sizes)) or np.any(sizes < 0) or not np.any(sizes > 0):
        raise ValueError(f"sizes must be finite and >= 0, with at least one > 0, but got {sizes.tolist()}")
    if strategy not in MIXING_STRATEGIES:
        raise ValueError(f"strategy must be one of {MIXING_STRATEGIES}, but got {strategy!r}")
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.floating)) \
            or not math.isfinite(temperature) or temperature < 1:
        raise ValueError(f"temperature must be a number >= 1, but got {temperature!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float, np.integer))
                              or not limit > 0):
        raise ValueError(f"limit must be None or a number > 0, but got {limit!r}")
    ### BEGIN SOLUTION
    if strategy == "equal":
        has_examples = (sizes > 0).astype(np.float64)  # a task with no examples cannot be drawn
        return has_examples / has_examples.sum()
    if limit is not None:
        sizes = np.minimum(sizes, limit)
    rates = sizes / sizes.sum()
    if strategy == "temperature":
        rates = rates ** (1.0 / temperature)
        rates = rates / rates.sum()
    return rates
    ### END SOLUTION


def sample_tasks(rates, n, rng):
    """Draw `n` task indices with the given mixing rates: (n,) int64, from a numpy Generator `rng`."""
    rates = np.asarray(rates, dtype=np.float64)
    return rng.choice(rates.size, size=n, p=rates)

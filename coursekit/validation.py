"""Argument checks shared by the three weeks' models and decoders.

Each check raises TypeError for a value of the wrong type and ValueError for one out of range, with a
message that names the argument, and returns the value in its plain Python form. The graded functions call
them, so a student's notebook imports them from here (`from coursekit.validation import check_int`).
"""
import numbers

import numpy as np

MODES = ("train", "eval", "predict")


def check_int(name, value, minimum=0):
    """`value` as an int when it is an integer >= `minimum` (numpy integers count; bool does not)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, but got {type(value).__name__} ({value!r})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, but got {value}")
    return int(value)


def check_positive_int(name, value):
    """`value` as an int when it is an integer >= 1: a size, a count, a length."""
    return check_int(name, value, 1)


def check_mode(mode, modes=MODES):
    """`mode` when it is one of trax's layer modes ("train", "eval", "predict")."""
    if mode not in modes:
        raise ValueError(f"mode must be one of {modes}, but got {mode!r}")
    return mode


def check_dropout(dropout):
    """`dropout` as a float when it is a rate in [0, 1)."""
    if isinstance(dropout, (bool, np.bool_)) or not isinstance(dropout, numbers.Real):
        raise TypeError(f"dropout must be a float in [0, 1), but got {type(dropout).__name__}")
    if not 0.0 <= dropout < 1.0:  # also refuses NaN
        raise ValueError(f"dropout must be in [0, 1), but got {dropout}")
    return float(dropout)


def check_temperature(temperature):
    """`temperature` as a float when it is >= 0 (0: greedy)."""
    if isinstance(temperature, (bool, np.bool_)) or not isinstance(temperature, numbers.Real):
        raise TypeError(f"temperature must be a float >= 0, but got {type(temperature).__name__} "
                        f"({temperature!r})")
    if not temperature >= 0.0:  # also refuses NaN
        raise ValueError(f"temperature must be >= 0, but got {temperature}")
    return float(temperature)


def as_rng(rng):
    """None (numpy's global random state, as the course does), an int seed or a Generator, as the
    Generator (or None) to draw from."""
    if rng is None or isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be None, an int seed or a numpy.random.Generator, but got {type(rng).__name__}")


def check_names(name, value, allowed):
    """`value` (a sequence of names from `allowed`, e.g. the topics to draw from) as a tuple in `allowed`'s
    order, without repeats; `name` is the argument's plural name ("topics"), its singular the name without
    the final "s"."""
    singular = name[:-1]
    if isinstance(value, str):
        raise TypeError(f"{name} must be a sequence of {singular} names such as ({value!r},), not a str")
    try:
        chosen = list(value)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of {singular} names, but got {type(value).__name__}") from None
    if not chosen:
        raise ValueError(f"{name} must name at least one of {allowed}, but it is empty")
    unknown = [item for item in chosen if item not in allowed]
    if unknown:
        raise ValueError(f"unknown {singular}(s) {unknown}; choose from {allowed}")
    return tuple(item for item in allowed if item in chosen)

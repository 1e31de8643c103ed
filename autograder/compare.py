"""Type-, shape- and dtype-aware comparison of a student's output with a reference output.

Student outputs are first turned into *plain values* (`to_plain`): Python scalars, strings, None, numpy
arrays of a plain dtype, and lists / dicts of those. Anything else (a numpy subclass, an object that
claims to equal everything, a generator) is refused with a message naming its type, so a comparison never
calls code that the student wrote. Then `compare(expected, got, tolerance)` returns None when they agree
and otherwise one sentence for the student: type first, then length / shape, then dtype, then the first
differing value ("expected ... but got ...").
"""
import dataclasses
import math
import numbers

import numpy as np

_PLAIN_SCALARS = (bool, int, float, str, type(None))
_ARRAY_KINDS = "biuf"  # bool, int, unsigned, float


class NotPlain(TypeError):
    """The output cannot be compared: its type is not one the checks accept."""


@dataclasses.dataclass(frozen=True)
class Tolerance:
    """Float comparisons pass when |got - expected| <= atol + rtol * |expected| (numpy's allclose rule).

    The defaults hold for float32 computations on CPU, GPU and TPU with matmul precision 'highest'.
    Integers, booleans and strings are always compared exactly.
    """

    rtol: float = 1e-5
    atol: float = 1e-6


EXACT = Tolerance(0.0, 0.0)


def _is_jax_array(x):
    return type(x).__module__.startswith(("jax", "jaxlib"))


def to_plain(x, _depth=0):
    """Convert an output to plain values, refusing types whose behaviour a student could control."""
    if _depth > 20:
        raise NotPlain("output is nested more than 20 levels deep")
    kind = type(x)
    if kind in _PLAIN_SCALARS:
        return x
    if isinstance(x, np.generic) and type(x).__module__ == "numpy":
        if x.dtype.kind not in _ARRAY_KINDS:
            raise NotPlain(f"numpy scalar of dtype {x.dtype} is not a number")
        return np.asarray(x).copy()
    if kind is np.ndarray or _is_jax_array(x):
        arr = np.array(x, copy=True)
        if type(arr) is not np.ndarray or arr.dtype.kind not in _ARRAY_KINDS:
            raise NotPlain(f"array of dtype {arr.dtype} is not numeric")
        return arr
    if isinstance(x, np.ndarray):
        raise NotPlain(f"got a subclass of numpy.ndarray ({kind.__name__}); return a plain numpy array")
    if kind in (list, tuple):
        return [to_plain(item, _depth + 1) for item in x]
    if kind is dict:
        out = {}
        for key, value in x.items():
            if type(key) not in (int, str, bool) and not (isinstance(key, np.integer)):
                raise NotPlain(f"dict key of type {type(key).__name__} is not an int or str")
            out[int(key) if isinstance(key, np.integer) else key] = to_plain(value, _depth + 1)
        return out
    raise NotPlain(f"output of type {kind.__module__}.{kind.__qualname__} is not a number, string, array, "
                   f"list, tuple or dict")


def describe_type(x):
    if isinstance(x, np.ndarray):
        return f"array {x.dtype} {x.shape}" if x.ndim else f"scalar {x.dtype}"
    if isinstance(x, list):
        return f"list of length {len(x)}"
    if isinstance(x, dict):
        return f"dict with {len(x)} entries"
    return type(x).__name__


def _category(x):
    """Coarse type used for the first check: number / string / none / sequence / dict / array."""
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, numbers.Number):
        return "number"
    if isinstance(x, np.ndarray):
        return "number" if x.ndim == 0 else "array"
    return {str: "string", type(None): "None", list: "sequence", dict: "dict"}[type(x)]


def _fmt(value):
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, float) or (isinstance(value, np.floating)):
        return f"{float(value):.6g}"
    return repr(value.item() if isinstance(value, np.generic) else value)


def compare(expected, got, tolerance=Tolerance(), reveal=True, where="output"):
    """None if `got` matches `expected` (both plain values), else a message for the student.

    reveal=False (hidden cases) keeps expected values out of the message: only the kind of difference
    and its position are named.
    """
    cat_e, cat_g = _category(expected), _category(got)
    if cat_e == "number" and cat_g == "bool":
        return f"{where}: expected a number but got a bool ({got})"
    if cat_e != cat_g:
        return f"{where}: expected {describe_type(expected)} but got {describe_type(got)}"
    if cat_e in ("bool", "string", "None"):
        if expected != got:
            return f"{where}: expected {_fmt(expected) if reveal else 'a different value'} but got {_fmt(got)}"
        return None
    if cat_e == "number":
        return _compare_arrays(np.asarray(expected), np.asarray(got), tolerance, reveal, where)
    if cat_e == "array":
        return _compare_arrays(expected, got, tolerance, reveal, where)
    if cat_e == "sequence":
        if len(expected) != len(got):
            if reveal and all(isinstance(x, str) for x in expected + got):
                return _first_line_difference(expected, got, where)
            return f"{where}: expected a sequence of length {len(expected)} but got length {len(got)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            message = compare(e, g, tolerance, reveal, f"{where}[{i}]")
            if message:
                return message
        return None
    # dict
    if set(expected) != set(got):
        missing = sorted(set(expected) - set(got), key=str)
        extra = sorted(set(got) - set(expected), key=str)
        parts = []
        if missing:
            parts.append(f"missing keys {missing[:5]}")
        if extra:
            parts.append(f"unexpected keys {extra[:5]}")
        return f"{where}: " + ", ".join(parts)
    for key in expected:  # the reference's order: a layer's structure before its outputs
        message = compare(expected[key], got[key], tolerance, reveal, f"{where}[{key!r}]")
        if message:
            return message
    return None


def _first_line_difference(expected, got, where):
    """For line lists (a layer's structure): the first line where the two differ."""
    for i, (e, g) in enumerate(zip(expected, got)):
        if e != g:
            return f"{where}[{i}]: expected {e!r} but got {g!r}"
    if len(expected) > len(got):
        return f"{where}: missing {expected[len(got)]!r} after line {len(got)}"
    return f"{where}: unexpected {got[len(expected)]!r} after line {len(expected)}"


def _compare_arrays(expected, got, tolerance, reveal, where):
    if expected.shape != got.shape:
        return f"{where}: expected shape {expected.shape} but got {got.shape}"
    kind_e, kind_g = expected.dtype.kind, got.dtype.kind
    if kind_e == "b" and kind_g != "b":
        return f"{where}: expected dtype bool but got {got.dtype}"
    if kind_e in "iu" and kind_g not in "iu":
        return f"{where}: expected an integer dtype ({expected.dtype}) but got {got.dtype}"
    if kind_e == "f" and kind_g not in "fiu":
        return f"{where}: expected a float dtype ({expected.dtype}) but got {got.dtype}"
    if kind_e == "f":
        exp64, got64 = expected.astype(np.float64), got.astype(np.float64)
        bad_nan = np.isnan(got64) & ~np.isnan(exp64)
        if bad_nan.any():
            index = tuple(int(i) for i in np.argwhere(bad_nan)[0])
            return f"{where}: got NaN at index {index}" if got.ndim else f"{where}: got NaN"
        close = np.isclose(got64, exp64, rtol=tolerance.rtol, atol=tolerance.atol, equal_nan=True)
    else:
        close = expected == got
    if np.all(close):
        return None
    bad = np.argwhere(~close)
    index = tuple(int(i) for i in bad[0])
    n_bad = len(bad)
    at = f" at index {index}" if expected.ndim else ""
    count = f" ({n_bad} of {expected.size} values differ)" if expected.ndim else ""
    got_value = got[index] if expected.ndim else got
    if reveal:
        exp_value = expected[index] if expected.ndim else expected
        return f"{where}: expected {_fmt(exp_value)} but got {_fmt(got_value)}{at}{count}"
    return f"{where}: the value{at} differs from the reference{count}: got {_fmt(got_value)}"


def is_finite_number(x):
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x)

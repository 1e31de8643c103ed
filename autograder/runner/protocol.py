"""The wire format between the parent and a child: one JSON document per line.

Values are plain (see autograder.compare.to_plain): JSON scalars, lists, {"__dict__": [[key, value], ...]},
{"__float__": "nan"} for non-finite floats, and {"__array__": base64 of np.save(allow_pickle=False)}.
Decoding never unpickles: arrays are loaded with allow_pickle=False and must have a numeric dtype.
"""
import base64
import io
import json
import math

import numpy as np

MAX_LINE = 64 * 2**20  # a longer answer is refused


class ProtocolError(ValueError):
    """The child sent something that is not a well-formed answer."""


def encode(value):
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return {"__array__": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[k, encode(v)] for k, v in value.items()]}
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    return value


def _reject_constant(name):
    raise ProtocolError(f"non-standard JSON constant {name}")


def loads(line):
    if len(line) > MAX_LINE:
        raise ProtocolError("answer too large")
    try:
        return json.loads(line, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"malformed answer: {exc}") from None


def dumps(document):
    return json.dumps(document, allow_nan=False, separators=(",", ":")) + "\n"


def decode(value, _depth=0):
    """Inverse of `encode`, strict: anything unexpected raises ProtocolError."""
    if _depth > 40:
        raise ProtocolError("answer nested too deeply")
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return value
    if type(value) is list:
        return [decode(v, _depth + 1) for v in value]
    if type(value) is dict and len(value) == 1:
        (tag, body), = value.items()
        if tag == "__array__" and type(body) is str:
            try:
                array = np.load(io.BytesIO(base64.b64decode(body, validate=True)), allow_pickle=False)
            except Exception as exc:
                raise ProtocolError(f"bad array: {exc}") from None
            if type(array) is not np.ndarray or array.dtype.kind not in "biuf":
                raise ProtocolError("array of a non-numeric dtype")
            return array
        if tag == "__float__" and body in ("nan", "inf", "-inf"):
            return float(body)
        if tag == "__dict__" and type(body) is list:
            out = {}
            for item in body:
                if type(item) is not list or len(item) != 2 or type(item[0]) not in (int, str, bool):
                    raise ProtocolError("bad dict entry")
                out[item[0]] = decode(item[1], _depth + 1)
            return out
    raise ProtocolError(f"unexpected value of type {type(value).__name__}")

"""Reference outputs on disk: `autograder/references/<week>.json` (structure, scalars, strings and the
manifest) beside `<week>.npz` (the arrays). No pickles: arrays are stored with allow_pickle=False.

Layout of the JSON: {"manifest": {...}, "outputs": {function: {case: encoded value}}}, where an encoded
value is a plain JSON value, {"__array__": key} for an array in the .npz, {"__tuple__": [...]} is not
used (tuples become lists, as `to_plain` makes them), and {"__dict__": [[key, value], ...]} keeps int keys.
"""
import io
import json
import pathlib

import numpy as np

REFERENCE_DIR = pathlib.Path(__file__).resolve().parent / "references"


def encode(value, arrays, key):
    if isinstance(value, np.ndarray):
        arrays[key] = value
        return {"__array__": key}
    if isinstance(value, list):
        return [encode(v, arrays, f"{key}/{i}") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {"__dict__": [[k, encode(v, arrays, f"{key}/{k}")] for k, v in value.items()]}
    if isinstance(value, float) and not np.isfinite(value):
        return {"__float__": repr(value)}
    return value


def decode(value, arrays):
    if isinstance(value, list):
        return [decode(v, arrays) for v in value]
    if isinstance(value, dict):
        if "__array__" in value:
            return arrays[value["__array__"]]
        if "__float__" in value:
            return float(value["__float__"])
        return {k: decode(v, arrays) for k, v in value["__dict__"]}
    return value


def paths(week, directory=None):
    directory = pathlib.Path(directory or REFERENCE_DIR)
    return directory / f"{week}.json", directory / f"{week}.npz"


def save(week, outputs, manifest, directory=None):
    """Write outputs {function: {case: plain value}} and the manifest; byte-stable for equal inputs."""
    json_path, npz_path = paths(week, directory)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {}
    encoded = {name: {case: encode(v, arrays, f"{name}/{case}") for case, v in cases.items()}
               for name, cases in outputs.items()}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    npz_path.write_bytes(buffer.getvalue())
    json_path.write_text(json.dumps({"manifest": manifest, "outputs": encoded}, indent=1, sort_keys=True)
                         + "\n", encoding="utf-8")
    return json_path, npz_path


def load(week, directory=None):
    """{function: {case: plain value}} as saved by `save`."""
    json_path, npz_path = paths(week, directory)
    if not json_path.exists():
        raise FileNotFoundError(f"no reference outputs for {week} at {json_path}: run `make references`")
    document = json.loads(json_path.read_text(encoding="utf-8"))
    with np.load(npz_path, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    return {name: {case: decode(v, arrays) for case, v in cases.items()}
            for name, cases in document["outputs"].items()}


def load_manifest(week, directory=None):
    json_path, _ = paths(week, directory)
    return json.loads(json_path.read_text(encoding="utf-8"))["manifest"]

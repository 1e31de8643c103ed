"""Reference outputs: stored without pickles, with a manifest, and not stale."""
import json

import numpy as np
import pytest

from autograder import make_references, references
from autograder.compare import compare

WEEKS = make_references.WEEKS


@pytest.mark.parametrize("week", WEEKS)
def test_references_are_not_stale(week):
    """Recompute every reference output from the library and compare with the committed files."""
    stored = references.load(week)
    fresh = make_references.build(week)
    checks = make_references.week_checks(week)
    assert sorted(stored) == sorted(fresh), "functions differ: run `make references`"
    for name, cases in fresh.items():
        assert sorted(stored[name]) == sorted(cases), f"{name}: cases differ: run `make references`"
        for case, value in cases.items():
            message = compare(stored[name][case], value, checks[name].tolerance)
            assert message is None, f"{name}/{case} is stale ({message}): run `make references`"


@pytest.mark.parametrize("week", WEEKS)
def test_manifest_records_versions_backend_and_dtype(week):
    manifest = references.load_manifest(week)
    for key in ("source_sha256", "jax", "trax", "numpy", "backend", "dtype", "matmul_precision"):
        assert manifest.get(key), f"manifest lacks {key}"
    assert manifest["dtype"] == "float32" and manifest["matmul_precision"] == "highest"


@pytest.mark.parametrize("week", WEEKS)
def test_arrays_load_without_pickle(week):
    _, npz_path = references.paths(week)
    with np.load(npz_path, allow_pickle=False) as npz:
        assert all(npz[key].dtype != object for key in npz.files)


def test_roundtrip_keeps_types(tmp_path):
    outputs = {"f": {"case": [1, 2.5, "s", None, np.arange(3, dtype=np.int32), {0: 1.0, "k": [True]}]}}
    references.save("wk", outputs, {"week": "wk"}, directory=tmp_path)
    loaded = references.load("wk", directory=tmp_path)
    assert compare(outputs["f"]["case"], loaded["f"]["case"]) is None
    assert isinstance(loaded["f"]["case"][5], dict) and 0 in loaded["f"]["case"][5]
    assert json.loads((tmp_path / "wk.json").read_text())["manifest"] == {"week": "wk"}


def test_make_references_refuses_an_unknown_week_before_writing(capsys):
    assert make_references.main(["w9_nothing"]) == 2
    assert "unknown week(s): w9_nothing" in capsys.readouterr().err

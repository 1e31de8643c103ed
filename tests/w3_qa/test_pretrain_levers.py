"""The levers' experiment (w3_qa.pretrain_levers): rows written as they are measured, finished candidates
skipped on a rerun, a partial one restarted. A stand-in pre-training and probe: no model is trained."""
import json
import types

import pytest

from w3_qa import pretrain_levers
from w3_qa.pretrain_levers import candidate_config, finished, run_candidate


def fake_pretrain(path, seen):
    def pretrain(config, n_steps, progress, on_checkpoint):
        loop = types.SimpleNamespace(step=0, model=None)
        history = []
        for step in range(100, n_steps + 1, 100):
            loop.step = step
            history.append({"step": step})
            seen.append(json.loads(path.read_text())["rows"] if path.exists() else [])
            on_checkpoint(loop, history)
        return None, history, 1.0
    return pretrain


def probe_fn(model):
    return {"copied": 1.0, "guessed": 0.0, "copied_cloze": 2.0, "f1": 3.0, "no_fill": 0.0, "n": 5}


def test_rows_are_written_as_they_come_and_a_rerun_replaces_a_partial_candidate(tmp_path):
    path = tmp_path / "levers.json"
    seen = []
    run_candidate("cloze_windows", 300, 200, path, pretrain=fake_pretrain(path, seen), probe_fn=probe_fn)
    rows = json.loads(path.read_text())["rows"]
    assert [row["step"] for row in rows] == [200, 300]  # every probe_every steps and at the end
    assert [len(s) for s in seen] == [0, 0, 1]  # the 200-step row was on disk before step 300 ran
    assert finished(rows, "cloze_windows", 300) and not finished(rows, "cloze_windows", 400)
    run_candidate("reference", 200, 200, path, pretrain=fake_pretrain(path, []), probe_fn=probe_fn)
    run_candidate("cloze_windows", 200, 100, path, pretrain=fake_pretrain(path, []), probe_fn=probe_fn)
    rows = json.loads(path.read_text())["rows"]
    assert [(row["candidate"], row["step"]) for row in rows] == [
        ("reference", 200), ("cloze_windows", 100), ("cloze_windows", 200)]


def test_candidates_are_the_reference_config_with_levers_on():
    assert candidate_config("reference") == pretrain_levers.cfg.DEFAULT
    config = candidate_config("cloze_windows")
    assert config.cloze_rate == 0.5 and config.pretrain_fresh and config.pretrain_window_examples > 0
    with pytest.raises(ValueError, match="unknown candidate"):
        candidate_config("nope")

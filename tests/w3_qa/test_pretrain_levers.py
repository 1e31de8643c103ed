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


class Cut(Exception):
    pass


def resumable_pretrain(cut_at=None):
    """A stand-in for pretrain(output_dir=...): goes on from the latest checkpoint (w3_qa.resume) in steps of
    100, each record with the training seconds so far (1 per 100 steps), a checkpoint every checkpoint_every
    steps written after on_checkpoint, as the real one does; raises Cut after step `cut_at`'s callback."""
    from w3_qa import resume

    def pretrain(config, n_steps, progress, on_checkpoint, output_dir, checkpoint_every):
        _, state = resume.latest_state(output_dir, config)
        history = state["history"] if state else []
        loop = types.SimpleNamespace(step=state["step"] if state else 0, model=None)
        while loop.step < n_steps:
            loop.step += 100
            history.append({"step": loop.step, "seconds": loop.step / 100})
            on_checkpoint(loop, history)
            if loop.step == cut_at:
                raise Cut
            if loop.step % checkpoint_every == 0:
                folder = resume.step_folder(output_dir, loop.step)
                folder.mkdir(parents=True)
                resume.write_state(folder, loop.step, config, history, loop.step / 100, 0, 0)
        return None, history, loop.step / 100
    return pretrain


def test_a_cut_candidate_resumes_from_its_checkpoint_keeping_the_rows_before_it(tmp_path):
    path, work = tmp_path / "levers.json", tmp_path / "runs" / "cloze_heavy"
    with pytest.raises(Cut):  # probes at 200 and 300; checkpoint at 200 only
        run_candidate("cloze_heavy", 400, 100, path, pretrain=resumable_pretrain(cut_at=300), probe_fn=probe_fn,
                      work_dir=work)
    first = json.loads(path.read_text())["rows"]
    assert [row["step"] for row in first] == [100, 200, 300]
    steps = []
    resumed = resumable_pretrain()

    def counting(config, n_steps, progress, on_checkpoint, output_dir, checkpoint_every):
        return resumed(config, n_steps, progress, lambda loop, h: (steps.append(loop.step), on_checkpoint(loop, h)),
                       output_dir, checkpoint_every)

    with pytest.raises(Cut):
        # resumed from the checkpoint at 200 (checkpoint_every is probe_every; the cut came before 300's)
        run_candidate("cloze_heavy", 400, 100, path, pretrain=resumable_pretrain(cut_at=400), probe_fn=probe_fn,
                      work_dir=work)
    rows = json.loads(path.read_text())["rows"]
    assert [row["step"] for row in rows] == [100, 200, 300, 400]
    assert rows[:2] == first[:2], "the rows before the checkpoint are kept as they were"
    run_candidate("cloze_heavy", 500, 100, path, pretrain=counting, probe_fn=probe_fn, work_dir=work)
    assert steps == [400, 500], "extended from the last checkpoint (300): step 400 measured again"
    rows = json.loads(path.read_text())["rows"]
    assert [row["step"] for row in rows] == [100, 200, 300, 400, 500]
    assert [row["train_minutes"] for row in rows] == [round(s / 6000, 2) for s in (100, 200, 300, 400, 500)]

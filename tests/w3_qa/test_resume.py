"""A pre-training cut off and rerun (w3_qa.train.pretrain(output_dir=...), w3_qa.resume) ends as an uncut run."""
import dataclasses
import json

import jax
import numpy as np
import pytest

from w3_qa import config as cfg
from w3_qa import resume
from w3_qa.data import make_splits
from w3_qa.train import pretrain

TINY = dataclasses.replace(cfg.DEFAULT, d_model=16, d_ff=32, n_encoder_layers=1, n_decoder_layers=1, n_heads=2,
                           input_boundaries=(64, 128, 256), pretrain_batch_size=4, eval_batches=1,
                           steps_per_checkpoint=2, pretrain_warmup_steps=2, cloze_rate=0.5, salient_rate=0.5,
                           salient_fact_rate=0.0, pretrain_fresh=True, pretrain_window_examples=20)


class Cut(Exception):
    pass


def _leaves(model):
    return [np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(model.weights)]


def _without_seconds(history):
    return [{key: value for key, value in record.items() if key != "seconds"} for record in history]


@pytest.mark.cost(20)
def test_a_run_cut_off_and_rerun_ends_with_the_weights_and_history_of_an_uncut_run(tmp_path):
    data = make_splits(n_pretrain=40, n_train=8, n_eval=8, n_test=4, seed=3)
    whole, whole_history, _ = pretrain(TINY, n_steps=8, data=data, progress=False, output_dir=tmp_path / "whole")

    def cut_at_6(loop, history):  # after step 6's records, before its checkpoint is saved
        if loop.step == 6:
            raise Cut

    with pytest.raises(Cut):
        pretrain(TINY, n_steps=8, data=data, progress=False, output_dir=tmp_path / "cut", checkpoint_every=4,
                 on_checkpoint=cut_at_6)
    folder, state = resume.latest_state(tmp_path / "cut", TINY)
    assert state["step"] == 4 and [record["step"] for record in state["history"]] == [2, 4]
    assert [path.name for path in resume.checkpoint_folders(tmp_path / "cut")] == ["step_0000004"]
    seen = []
    model, history, seconds = pretrain(TINY, n_steps=8, data=data, progress=False, output_dir=tmp_path / "cut",
                                       checkpoint_every=4, on_checkpoint=lambda loop, h: seen.append(loop.step))
    assert seen == [6, 8], "the rerun goes on from step 4"
    assert _without_seconds(history) == _without_seconds(whole_history)
    assert [record["step"] for record in history] == [2, 4, 6, 8] and seconds >= history[1]["seconds"]
    for a, b in zip(_leaves(model), _leaves(whole)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # the stream was skipped, not restarted: a run that drew the first batches again trains on other data
    restarted, _, _ = pretrain(TINY, n_steps=4, data=data, progress=False, output_dir=tmp_path / "restart")
    assert json.loads((resume.checkpoint_folders(tmp_path / "restart")[-1] / resume.STATE).read_text())["step"] == 4
    with pytest.raises(ValueError, match="another config"):
        resume.latest_state(tmp_path / "cut", dataclasses.replace(TINY, cloze_rate=0.8))

"""Pre-training and fine-tuning runs on a tiny configuration: seeded, checkpoints that load back, the
pre-trained weights really are the fine-tuning's start, and the transfer-curve bookkeeping."""
import dataclasses
import json
import pathlib

import jax
import numpy as np
import pytest

from coursekit.loop import save_weights
from w3_qa import config as cfg
from w3_qa import pretrain_levers, pretrain_stream
from w3_qa.data import make_splits
from w3_qa.tokenizer import default_tokenizer
from w3_qa.train import finetune, learning_rate_schedule, load_model, pretrain
from w3_qa.transfer import gain_spread, gains, labeled_subset, matched_steps, run

TINY = dataclasses.replace(cfg.DEFAULT, d_model=16, d_ff=32, n_encoder_layers=1, n_decoder_layers=1, n_heads=2,
                           input_boundaries=(256,), finetune_input_boundaries=(256,), pretrain_batch_size=4,
                           finetune_batch_size=4, eval_batches=1,
                           steps_per_checkpoint=2, finetune_eval_every=2, pretrain_steps=2, finetune_steps=2,
                           transfer_steps=2, transfer_eval_every=2)


@pytest.fixture(scope="module")
def data():
    splits = make_splits(n_pretrain=40, n_train=40, n_eval=8, n_test=6, seed=3)
    return splits


@pytest.fixture(scope="module")
def pretrained(data, tmp_path_factory):
    model, history, _ = pretrain(TINY, data=data, progress=False)
    return model, history, save_weights(model, tmp_path_factory.mktemp("w3") / "pretrained.pkl.gz")


def _leaves(model):
    return [np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(model.weights)]


@pytest.mark.cost(45)
def test_pretraining_reports_its_history_and_its_checkpoint_loads_back(pretrained):
    model, history, path = pretrained
    assert [h["step"] for h in history] == [2]
    assert np.isfinite(history[0]["train_loss"]) and 0.0 <= history[0]["eval_accuracy"] <= 1.0
    for a, b in zip(_leaves(model), _leaves(load_model(path, config=TINY))):
        np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.cost(45)
def test_finetuning_starts_from_the_pretrained_weights(data, pretrained):
    _, _, path = pretrained
    still = dataclasses.replace(TINY, finetune_learning_rate=1e-12)
    from_checkpoint, _, _ = finetune(8, path, still, data=data, progress=False)
    # Equal up to trax Adam's weight decay (1e-5 of each weight per step, not scaled by the learning rate).
    for a, b in zip(_leaves(from_checkpoint), _leaves(load_model(path, config=TINY))):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_finetuning_refuses_what_it_cannot_do(data, tmp_path):
    with pytest.raises(ValueError, match="labeled"):
        finetune(10_000, None, TINY, data=data, progress=False)
    with pytest.raises(ValueError, match="select_by"):
        finetune(8, None, dataclasses.replace(TINY, select_by="accuracy"), data=data, progress=False)
    with pytest.raises(FileNotFoundError, match="pretrain"):
        finetune(8, tmp_path / "missing.pkl.gz", TINY, data=data, progress=False)


@pytest.mark.cost(8)
def test_a_transfer_run_scores_the_test_questions(data, pretrained):
    _, _, path = pretrained
    row = run(8, path, TINY, data=data, seed=5)
    assert row["pretrained"] is True and row["n_labeled"] == 8 and row["n_test"] == len(data["test"])
    assert (row["arm"], row["seed"]) == ("pretrained", 5)
    assert 0.0 <= row["exact_match"] <= row["f1"] + 1e-9 <= 100.0
    assert len(row["examples"]) == 3
    # the kept checkpoint is chosen by the F1 of greedy answers to eval questions (config.select_by)
    assert row["selected_by"] == "f1" and 0.0 <= row["best_eval_f1"] <= 100.0
    json.dumps(row)


@pytest.mark.cost(5)
def test_selection_by_eval_loss_keeps_the_lowest_loss():
    _, history, _ = finetune(8, None, dataclasses.replace(TINY, select_by="loss", finetune_steps=4),
                             data=make_splits(n_pretrain=4, n_train=8, n_eval=4, n_test=2, seed=1), progress=False)
    best = [h for h in history if h.get("best")]
    assert len(best) == 1 and best[0]["eval_loss"] == min(h["eval_loss"] for h in history)
    assert "eval_f1" not in best[0]


def test_gains_pair_the_runs():
    rows = [{"n_labeled": 100, "pretrained": True, "exact_match": 60.0, "f1": 70.0},
            {"n_labeled": 100, "pretrained": False, "exact_match": 10.0, "f1": 25.0},
            {"n_labeled": 400, "pretrained": True, "exact_match": 80.0, "f1": 85.0}]
    assert gains(rows) == {100: (50.0, 45.0)}


def test_gain_spread_pairs_runs_seed_by_seed_and_arm_by_arm():
    def row(arm, seed, em, f1):
        return {"n_labeled": 100, "pretrained": arm == "pretrained", "arm": arm, "seed": seed,
                "exact_match": em, "f1": f1}

    rows = [row("pretrained", 0, 30.0, 40.0), row("scratch", 0, 10.0, 20.0), row("scratch_matched", 0, 20.0, 30.0),
            row("pretrained", 1, 20.0, 30.0), row("scratch", 1, 20.0, 25.0), row("scratch_matched", 1, 25.0, 25.0),
            row("pretrained", 2, 50.0, 50.0)]  # seed 2 has no scratch run: left out
    spread = gain_spread(rows)[100]
    assert spread["seeds"] == [0, 1] and spread["exact_match"]["per_seed"] == [20.0, 0.0]
    assert spread["exact_match"]["mean"] == 10.0 and spread["exact_match"]["std"] == pytest.approx(14.14, abs=0.01)
    assert (spread["f1"]["min"], spread["f1"]["max"]) == (5.0, 20.0)
    assert gain_spread(rows, "scratch_matched")[100]["exact_match"]["per_seed"] == [10.0, -5.0]
    assert gains(rows) == {100: (10.0, 12.5)}


def test_each_seed_draws_its_labels_and_the_control_adds_the_pretraining_compute(data):
    first, again, other = (labeled_subset(data, 8, seed)["train"][:8] for seed in (0, 0, 1))
    assert first == again and first != other and sorted(map(str, first)) != sorted(map(str, other))
    assert len(labeled_subset(data, 8, 1)["train"]) == len(data["train"])
    config = dataclasses.replace(cfg.DEFAULT, transfer_steps=400, pretrain_steps=800, pretrain_batch_size=32,
                                 input_boundaries=(128, 192), finetune_batch_size=32,
                                 finetune_input_boundaries=(64, 128, 192))
    assert matched_steps(config) == 400 + 800
    assert matched_steps(dataclasses.replace(config, pretrain_batch_size=64)) == 400 + 1600


@pytest.mark.cost(5)
def test_the_pretrain_command_takes_overrides_saves_every_checkpoint_and_stops_on_time(tmp_path):
    from w3_qa.train import main

    tiny = ["d_model=16", "d_ff=32", "n_encoder_layers=1", "n_decoder_layers=1", "n_heads=2", "input_boundaries=256",
            "pretrain_batch_size=4", "eval_batches=1", "steps_per_checkpoint=2", "n_pretrain=40", "n_train=8",
            "n_eval=8", "n_test=4", "salient_rate=0.5"]
    args = ["pretrain", "--out", str(tmp_path), "--steps", "6", "--max-minutes", "0"]
    assert main(args + [part for item in tiny for part in ("--set", item)]) == 0
    record = json.loads((tmp_path / "pretrained.train.json").read_text())
    assert record["steps"] == 2, "a time budget of 0 stops at the first checkpoint"
    assert record["config"]["d_model"] == 16 and record["config"]["input_boundaries"] == [256]
    assert record["config"]["salient_rate"] == 0.5
    assert load_model(tmp_path / "pretrained.pkl.gz", config=dataclasses.replace(TINY, d_model=16)) is not None


def test_config_overrides_parse_by_field_type_and_reject_unknown_fields():
    config = cfg.DEFAULT.with_overrides(["pretrain_batch_size=64", "labeled_sizes=100,400", "noise=0.2",
                                         "copy_targets=false", "fresh_questions=1"])
    assert (config.pretrain_batch_size, config.labeled_sizes, config.noise) == (64, (100, 400), 0.2)
    assert (config.copy_targets, config.fresh_questions) == (False, True)
    for bad, message in ((["x=1"], "QAConfig field"), (["noise=high"], "not a valid float"),
                         (["noise"], "name=value"), (["copy_targets=yes"], "not a valid bool")):
        with pytest.raises(ValueError, match=message):
            cfg.DEFAULT.with_overrides(bad)


@pytest.mark.cost(10)
def test_finetuning_on_fresh_questions_reads_the_generated_stream_and_keeps_a_time_budget(data):
    """n_labeled=None with fresh_questions: the endless stream (not the 40 training questions); the run stops
    at the first evaluation after max_seconds, each record has its time, on_checkpoint sees each."""
    from w3_qa.train import finetune_pairs

    seen = []
    _, history, _ = finetune(None, None, dataclasses.replace(TINY, finetune_steps=10), data=data, progress=False,
                             max_seconds=0, on_checkpoint=lambda loop, history: seen.append(len(history)))
    assert [h["step"] for h in history] == [2] and seen == [1] and history[0]["seconds"] > 0
    assert {"eval_em", "eval_f1"} <= set(history[0])
    # the curriculum cuts contexts in the labeled runs too, and the copy targets stay copies
    tokenizer = default_tokenizer()
    pairs = list(finetune_pairs(data["train"], tokenizer,
                                dataclasses.replace(TINY, curriculum_examples=len(data["train"]), max_neighbours=0)))
    plain = list(finetune_pairs(data["train"], tokenizer, dataclasses.replace(TINY, curriculum_examples=0,
                                                                             full_rate=1.0)))
    assert all(len(a[0]) < len(b[0]) for a, b in zip(pairs, plain))


def test_the_constant_decay_schedule_warms_up_holds_then_falls_to_zero_at_the_last_step():
    schedule = learning_rate_schedule(0.001, 10, "constant_decay", n_steps=100, decay_fraction=0.25)
    rates = [float(schedule(step)) for step in range(101)]
    assert rates[0] == pytest.approx(0.0001) and rates[9] == pytest.approx(0.001)  # warm-up: (step + 1) / 10
    assert rates[10:76] == pytest.approx([0.001] * 66)  # stable until the last quarter
    assert rates[76] == pytest.approx(0.001 * 24 / 25) and rates[90] == pytest.approx(0.001 * 10 / 25)
    assert rates[100] == 0.0 and all(a >= b for a, b in zip(rates[10:], rates[11:]))
    with pytest.raises(ValueError, match="needs the run's n_steps"):
        learning_rate_schedule(0.001, 10, "constant_decay")
    with pytest.raises(ValueError, match="decay_fraction"):
        learning_rate_schedule(0.001, 10, "constant_decay", n_steps=100, decay_fraction=0.0)
    with pytest.raises(ValueError, match="'rsqrt', 'constant' or 'constant_decay'"):
        learning_rate_schedule(0.001, 10, "cosine")


PRETRAINING_FIELDS = ("vocab_size", "d_model", "d_ff", "n_encoder_layers", "n_decoder_layers", "n_heads", "dropout",
                      "max_len", "noise", "mean_span", "salient_rate", "pretrain_learning_rate",
                      "pretrain_warmup_steps", "pretrain_batch_size", "input_boundaries", "pretrain_target_length",
                      "n_pretrain", "seed")


# QAConfig fields added after the committed records (w3_qa.pretrain_stream's levers)
LATER_LEVERS = ("cloze_rate", "salient_fact_rate", "pretrain_fresh", "pretrain_window_examples")
# and the transfer curve's (w3_qa.transfer), which no training command reads
LATER_TRANSFER_FIELDS = ("transfer_epochs", "transfer_max_steps", "transfer_matched_sizes")


def test_the_committed_checkpoints_were_trained_with_the_config_that_make_train_uses():
    """`make train` reproduces both checkpoints only if their records match the config it runs."""
    default = json.loads(json.dumps(dataclasses.asdict(cfg.DEFAULT)))
    for path in (cfg.PRETRAINED_CHECKPOINT, cfg.QA_CHECKPOINT):
        assert path.exists(), f"{path.name} is committed: `make train` writes it"
    pretrained = json.loads(cfg.PRETRAINED_CHECKPOINT.with_name("pretrained.train.json").read_text())
    assert {name: pretrained["config"][name] for name in PRETRAINING_FIELDS} == \
        {name: default[name] for name in PRETRAINING_FIELDS}, "retrain with `python -m w3_qa.train pretrain`"
    assert pretrained["steps"] == cfg.DEFAULT.pretrain_steps
    record = json.loads(cfg.QA_CHECKPOINT.with_name("qa.train.json").read_text())
    # fields added after the record was written are pre-training levers, off by default: the same stream
    added = set(default) - set(record["config"])
    assert added <= set(LATER_LEVERS + LATER_TRANSFER_FIELDS) and not pretrain_stream.uses_levers(cfg.DEFAULT)
    assert record["config"] == {name: default[name] for name in record["config"]}, \
        "retrain with `python -m w3_qa.train finetune`"
    assert record["pretrained"] and record["steps"] == cfg.DEFAULT.finetune_steps
    assert sum(bool(h.get("best")) for h in record["history"]) == 1


def test_the_transfer_curves_checkpoint_is_the_recipe_that_make_train_pretrains():
    recipe, steps = cfg.TRANSFER_PRETRAIN_RECIPE, cfg.TRANSFER_PRETRAIN_STEPS
    makefile = (pathlib.Path(cfg.ASSETS_DIR).parents[1] / "Makefile").read_text()
    assert f"-m w3_qa.train pretrain --out w3_qa/assets --recipe {recipe} --steps {steps}" in makefile
    record = json.loads(cfg.TRANSFER_PRETRAINED.with_name("transfer_pretrained.train.json").read_text())
    expected = json.loads(json.dumps(dataclasses.asdict(pretrain_levers.candidate_config(recipe))))
    fields = PRETRAINING_FIELDS + LATER_LEVERS
    assert {name: record["config"][name] for name in fields} == {name: expected[name] for name in fields}, \
        f"retrain with `python -m w3_qa.train pretrain --recipe {recipe} --steps {steps}`"
    assert record["steps"] == steps and cfg.TRANSFER_PRETRAINED.exists()


def test_a_recipe_pretrains_the_transfer_checkpoint_resumably(tmp_path, monkeypatch):
    """--recipe: the candidate's levers on the config, written as transfer_pretrained.pkl.gz, checkpointed in
    w3_qa/runs/<recipe>/ (a rerun resumes); finetune refuses it."""
    from w3_qa import train as train_module

    seen = {}

    def fake_pretrain(config, n_steps=None, max_seconds=None, on_checkpoint=None, **resumable):
        seen.update(config=config, n_steps=n_steps, **resumable)
        return object(), [{"step": n_steps, "train_loss": 1.0}], 2.5

    monkeypatch.setattr(train_module, "pretrain", fake_pretrain)
    monkeypatch.setattr(train_module, "save_weights", lambda model, path: pathlib.Path(path).write_bytes(b"w"))
    monkeypatch.setattr(train_module, "training_summary", lambda *args: "trained")
    assert train_module.main(["pretrain", "--out", str(tmp_path), "--recipe", "cloze_heavy", "--steps", "200"]) == 0
    assert seen["config"] == pretrain_levers.candidate_config("cloze_heavy") and seen["n_steps"] == 200
    assert seen["output_dir"] == pretrain_levers.WORK_DIR / "cloze_heavy"
    assert (tmp_path / cfg.TRANSFER_PRETRAINED.name).exists() and not (tmp_path / "pretrained.pkl.gz").exists()
    assert json.loads((tmp_path / "transfer_pretrained.train.json").read_text())["seconds"] == 2.5
    with pytest.raises(SystemExit):
        train_module.main(["finetune", "--out", str(tmp_path), "--recipe", "cloze_heavy"])

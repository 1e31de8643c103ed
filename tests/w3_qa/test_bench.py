"""Smoke test of the Week 3 benchmark sections (bench/bench_w3.py) at tiny sizes."""
import json

import pytest

from bench import bench_w3
from w3_qa import config as cfg

TINY = cfg.QAConfig(d_model=16, d_ff=32, n_encoder_layers=1, n_decoder_layers=1, n_heads=2, answer_length=3)


def _row(n, pretrained, em, f1, seed=0, arm=None):
    return {"n_labeled": n, "pretrained": pretrained, "exact_match": em, "f1": f1, "train_seconds": 1.0,
            "best_step": 50, "seed": seed, "arm": arm or ("pretrained" if pretrained else "scratch")}


def test_transfer_reports_gains_and_the_target(tmp_path):
    path = tmp_path / "curve.json"
    path.write_text(json.dumps({"rows": [_row(100, True, 30.0, 40.0), _row(100, False, 5.0, 9.0),
                                         _row(400, True, 50.0, 60.0), _row(400, False, 45.0, 52.0)],
                                "seconds": 12.0}))
    result = bench_w3.transfer(path, plot=tmp_path / "curve.png")
    assert {n: gain["exact_match"]["mean"] for n, gain in result["gains"].items()} == {"100": 25.0, "400": 5.0}
    assert {n: gain["f1"]["mean"] for n, gain in result["gains"].items()} == {"100": 31.0, "400": 8.0}
    assert result["gains_over_matched"] == {}
    assert result["em_gain_at_smallest"] == 25.0 and result["target_met"] is True
    assert (tmp_path / "curve.png").stat().st_size > 0
    json.dumps(result)


def test_transfer_gain_is_the_mean_over_seeds_with_its_spread_and_the_matched_control(tmp_path):
    path = tmp_path / "curve.json"
    path.write_text(json.dumps({"rows": [_row(100, True, 30.0, 40.0, seed=0), _row(100, False, 10.0, 20.0, seed=0),
                                         _row(100, True, 20.0, 30.0, seed=1), _row(100, False, 20.0, 25.0, seed=1),
                                         _row(100, False, 25.0, 30.0, seed=0, arm="scratch_matched")]}))
    result = bench_w3.transfer(path)
    em = result["gains"]["100"]["exact_match"]
    assert em["mean"] == 10.0 and em["min"] == 0.0 and em["max"] == 20.0 and em["per_seed"] == [20.0, 0.0]
    assert em["std"] == pytest.approx(14.14, abs=0.01)
    assert result["gains_over_matched"]["100"]["seeds"] == [0]
    assert result["gains_over_matched"]["100"]["exact_match"]["mean"] == 5.0
    assert result["em_gain_at_smallest"] == 10.0 and result["target_met"] is False


def test_transfer_below_target_is_reported_not_met(tmp_path):
    path = tmp_path / "curve.json"
    path.write_text(json.dumps({"rows": [_row(100, True, 1.0, 3.0), _row(100, False, 0.0, 0.0)]}))
    assert bench_w3.transfer(path)["target_met"] is False


def test_transfer_without_results_is_skipped(tmp_path):
    assert bench_w3.transfer(tmp_path / "missing.json")["skipped"].startswith("skipped: no missing.json")


def test_mixing_rates_sum_to_one_and_move_towards_equal(tmp_path):
    result = bench_w3.mixing(plot=tmp_path / "mixing.png")
    for key in ("proportional", "equal", "proportional_capped_50000"):
        assert sum(result[key]) == pytest.approx(1.0, abs=1e-3)
    smallest = [rates[-1] for rates in result["temperature"].values()]
    assert smallest == sorted(smallest) and smallest[0] == pytest.approx(result["proportional"][-1], abs=1e-4)
    assert (tmp_path / "mixing.png").stat().st_size > 0


@pytest.mark.cost(17)
def test_steps_and_masking_report_positive_times():
    result = bench_w3.steps(TINY, repeats=1, shapes=((2, 16, 4), (2, 16, 4)))
    assert result["pretrain_step_ms"] > 0 and result["finetune_step_ms"] > 0 and result["answer_question_ms"] > 0
    masking = bench_w3.masking(n_texts=5)
    assert masking["texts"] == 5 and masking["span_corruption_per_s"] > 0 and masking["bert_mask_per_s"] > 0
    json.dumps([result, masking])


def test_quality_reports_each_seed_against_the_target(tmp_path, monkeypatch):
    assert "skipped" in bench_w3.quality(checkpoint=tmp_path / "none.pkl.gz")
    checkpoint = tmp_path / "qa.pkl.gz"
    checkpoint.write_bytes(b"")
    import w3_qa.evaluate

    calls = []

    def fake(n, seed, path):
        calls.append((n, seed, path))
        return {"exact_match": 40.0 + seed * 5, "f1": 70.0, "n": n}, [], []

    monkeypatch.setattr(w3_qa.evaluate, "evaluate_reference", fake)
    result = bench_w3.quality(n=7, seeds=(2, 3), checkpoint=checkpoint)
    assert calls == [(7, 2, checkpoint), (7, 3, checkpoint)]
    assert result["seeds"]["2"]["em"] == 50.0 and result["seeds"]["3"]["em"] == 55.0
    assert result["target_met"] is True
    monkeypatch.setattr(w3_qa.evaluate, "evaluate_reference",
                        lambda n, seed, path: ({"exact_match": 49.0, "f1": 70.0, "n": n}, [], []))
    assert bench_w3.quality(n=7, seeds=(2,), checkpoint=checkpoint)["target_met"] is False

"""Smoke test of the Week 2 benchmark sections (bench/bench_w2.py) at tiny sizes."""
import json

from bench import bench_w2
from w2_summarizer import config as cfg

TINY = cfg.SummarizerConfig(d_model=16, d_ff=32, n_layers=1, n_heads=2, max_len=512)


def test_parallelism_reports_both_models_per_length(tmp_path):
    result = bench_w2.parallelism(lengths=(8, 16), batch=2, vocab_size=40, d_model=16, d_ff=32, n_layers=1,
                                  n_heads=2, max_len=16, repeats=1, plot=tmp_path / "p.png")
    for name in ("transformer", "lstm"):
        assert len(result[name]["ms_per_step"]) == 2 and all(ms > 0 for ms in result[name]["ms_per_step"])
        assert result[name]["params"] > 0
    assert 0.8 <= result["param_ratio_lstm_over_transformer"] <= 1.2
    assert len(result["lstm_over_transformer_ms"]) == 2 and "method" in result
    assert (tmp_path / "p.png").stat().st_size > 0
    json.dumps(result)


def test_generation_cached_equals_recompute(tmp_path):
    # a random model of TINY's size (the reference checkpoint has DEFAULT's)
    result = bench_w2.generation(k=1, max_length=4, config=TINY, checkpoint=tmp_path / "missing.pkl.gz")
    assert result["random_model"] is True
    assert result["tokens_identical"] is True
    assert result["generated_tokens"] >= 1
    for key in ("cached", "recompute"):
        assert result[key]["ms_per_token"] > 0
    assert {"speedup", "target_speedup_5x", "max_abs_log_prob_diff", "prompt_tokens"} <= result.keys()
    json.dumps(result)


def test_quality_without_checkpoint_is_skipped(tmp_path):
    result = bench_w2.quality(checkpoint=tmp_path / "missing.pkl.gz")
    assert result["skipped"].startswith("skipped: no reference checkpoint")

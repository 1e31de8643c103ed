"""Week 2 checks: one per graded function, cases as data.

Public cases appear in the notebook's visible tests; hidden cases use other seeded inputs and reveal only
where the output differs. Tolerances: attention and layers run in float32 with matmul precision 'highest';
softmax and layer norm reduce in different orders on CPU, GPU and TPU kernels, so outputs are compared at
rtol 1e-4, atol 1e-5. Positional encodings are float32 sines of float64 angles (atol 1e-6). Decoding
with the test doubles is exact up to float32 log-probabilities (1e-5).
"""
import numpy as np

from autograder.checks import w2_summarizer_doubles as doubles
from autograder.checks.w1_nmt import layer_probe
from autograder.engine import EXACT, Case, Check, Tolerance, WeekChecks

WEEK = "w2_summarizer"
LAYER_TOL = Tolerance(rtol=1e-4, atol=1e-5)
TABLE_TOL = Tolerance(rtol=1e-6, atol=1e-6)
DECODE_TOL = Tolerance(rtol=1e-5, atol=1e-5)
MODEL = "w2_summarizer.model"
DECODING = "w2_summarizer.decoding"


def _args(*args, **kwargs):
    return lambda: (args, kwargs)


def _array(out):
    return np.asarray(out)


def _normal(seed, *shape):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# ------------------------------------------------------------------------------------------- attention

# The course's worked example: two queries, two keys; the mask hides key 0 from query 1.
SEED_Q = np.array([[1, 0, 0], [0, 1, 0]], np.float32)
SEED_K = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
SEED_V = np.array([[0, 1, 0], [1, 0, 1]], np.float32)
SEED_MASK = np.array([[True, True], [False, True]])


def _attention_case(name, seed, batch, lq, lk, depth, mask="random"):
    def make():
        rng = np.random.default_rng(seed)
        q, k, v = (rng.standard_normal(batch + (n, depth)).astype(np.float32) for n in (lq, lk, lk))
        m = None
        if mask == "random":
            m = rng.random(batch[:1] + (1,) * (len(batch) - 1) + (lq, lk)) > 0.4
        elif mask == "empty row":
            m = np.ones(batch + (lq, lk), bool)
            m[..., 0, :] = False
        return (q, k, v, m), {}
    return Case(name, make, _array)


def _self_attention_case(name, seed, batch, length, depth):
    return Case(name, lambda: (tuple(_normal(seed + i, batch, length, depth) for i in range(3)), {}), _array)


def _closure_probe(x):
    def probe(fn):
        if not callable(fn):
            raise TypeError(f"expected the closure to return a function but got {type(fn).__name__}")
        return np.asarray(fn(x))
    return probe


_ATTENTION_REFS = (("DotProductAttention", f"{MODEL}:DotProductAttention"),
                   ("dot_product_self_attention", f"{MODEL}:dot_product_self_attention"),
                   ("compute_attention_heads_closure", f"{MODEL}:compute_attention_heads_closure"),
                   ("compute_attention_output_closure", f"{MODEL}:compute_attention_output_closure"))
_LAYER_REFS = _ATTENTION_REFS + (("CausalAttention", f"{MODEL}:CausalAttention"),
                                 ("DecoderBlock", f"{MODEL}:DecoderBlock"))


def _refs_except(name, refs):
    return tuple(ref for ref in refs if ref[0] != name)


def block_probe(inputs, seed=0):
    """DecoderBlock returns a list of layers: probe it as the Serial that the model builds from it."""
    inner = layer_probe(inputs, seed)

    def probe(result):
        from coursekit.trax_env import import_trax

        tl = import_trax().layers
        if not isinstance(result, (list, tuple)) or not all(isinstance(x, tl.Layer) for x in result):
            raise TypeError(f"expected a list of trax layers but got {type(result).__name__}")
        return inner(tl.Serial(result))
    return probe


def _tokens(seed, batch, length, vocab):
    return np.random.default_rng(seed).integers(1, vocab, size=(batch, length)).astype(np.int32)


def _relu():
    from coursekit.trax_env import import_trax

    return import_trax().layers.Relu


def _gelu():
    from coursekit.trax_env import import_trax

    return import_trax().layers.Gelu


# -------------------------------------------------------------------------------------------- training

def _loop_case(name, vocab, **sizes):
    def make():
        import dataclasses
        import tempfile

        from w2_summarizer import config as cfg
        from w2_summarizer.model import TransformerLM

        config = dataclasses.replace(cfg.DEFAULT, steps_per_checkpoint=2, eval_batches=1, warmup_steps=3,
                                     max_len=64, **sizes)
        rng = np.random.default_rng(vocab)
        batch = rng.integers(1, vocab, size=(2, 16)).astype(np.int32)
        weights = np.zeros((2, 16), np.float32)
        weights[:, 8:] = 1.0

        def stream():
            while True:
                yield batch, batch, weights

        return (TransformerLM, stream(), stream(), tempfile.mkdtemp(prefix="w2_loop_")), dict(
            config=config, vocab_size=vocab)
    return Case(name, make, _loop_probe)


def _loop_probe(loop):
    from trax.supervised import training

    if not isinstance(loop, training.Loop):
        raise TypeError(f"expected a trax training.Loop but got {type(loop).__name__}")
    task, eval_task = loop.tasks[0], loop.eval_tasks[0]
    record = {
        "model": [line.strip() for line in str(loop.model).splitlines() if line.strip()],
        "loss_layer": str(task.loss_layer).split("_in")[0],
        "steps_per_checkpoint": int(task.n_steps_per_checkpoint),
        "learning_rate": [float(task.learning_rate(step)) for step in (1, 2, 3, 10)],
        "eval_metrics": list(eval_task.metric_names),
    }
    loop.run(2)
    record["train_loss_after_2_steps"] = float(loop.history.get("train", "metrics/loss")[-1][1])
    record["eval"] = {metric: round(float(loop.history.get("eval", f"metrics/{metric}")[-1][1]), 4)
                      for metric in eval_task.metric_names}
    return record


# -------------------------------------------------------------------------------------------- decoding

def _symbol_probe(result):
    symbol, log_prob = result
    return [int(symbol), float(log_prob)]


def _decode_probe(result):
    tokens, log_prob, summary = result
    return [[int(t) for t in tokens], float(log_prob), str(summary)]


def _next_symbol_case(name, seed, vocab, tokens, temperature=0.0, rng=None):
    return Case(name, lambda: ((list(tokens), doubles.TableLM(vocab, seed)), dict(temperature=temperature, rng=rng)),
                _symbol_probe)


def _decode_case(name, seed, vocab, article, max_length, temperature=0.0, rng=None):
    return Case(name, lambda: ((article, doubles.TableLM(vocab, seed, eos_bias=1.0)), dict(
        temperature=temperature, tokenizer=doubles.WordTokenizer(vocab), max_length=max_length, rng=rng)),
        _decode_probe)


def _greedy_case(name, seed, vocab, article, max_length):
    return Case(name, lambda: ((article, doubles.TableLM(vocab, seed, eos_bias=1.0)), dict(
        tokenizer=doubles.WordTokenizer(vocab), max_length=max_length)), str)


_DECODING_REFS = (("next_symbol", f"{DECODING}:next_symbol"), ("sampling_decode", f"{DECODING}:sampling_decode"))

CHECKS = WeekChecks(WEEK, [
    Check("DotProductAttention", f"{MODEL}:DotProductAttention", 3,
          public=(Case("the course's example: 2 queries, 2 keys, a mask",
                       _args(SEED_Q, SEED_K, SEED_V, SEED_MASK), _array),
                  _attention_case("no mask, batch 2", 1, (2,), 3, 4, 5, mask=None)),
          hidden=(_attention_case("4-D with a broadcast mask", 2, (2, 3), 4, 6, 8),
                  _attention_case("a fully masked row stays finite", 3, (2,), 3, 3, 4, mask="empty row")),
          tolerance=LAYER_TOL),
    Check("dot_product_self_attention", f"{MODEL}:dot_product_self_attention", 2,
          public=(_self_attention_case("batch 2, length 4, depth 3", 11, 2, 4, 3),),
          hidden=(_self_attention_case("batch 6, length 7, depth 8", 12, 6, 7, 8),),
          tolerance=LAYER_TOL, substitutes=_refs_except("dot_product_self_attention", _ATTENTION_REFS)),
    Check("positional_encoding", f"{MODEL}:positional_encoding", 2,
          public=(Case("max_len 4, d_model 6", _args(4, 6), _array),),
          hidden=(Case("max_len 50, d_model 16", _args(50, 16), _array),
                  Case("odd width: max_len 5, d_model 7", _args(5, 7), _array)),
          tolerance=TABLE_TOL),
    Check("compute_attention_heads_closure", f"{MODEL}:compute_attention_heads_closure", 2,
          public=(Case("batch 2, length 3, 2 heads of 2", _args(2, 2), _closure_probe(_normal(21, 2, 3, 4))),),
          hidden=(Case("batch 3, length 5, 4 heads of 3", _args(4, 3), _closure_probe(_normal(22, 3, 5, 12))),),
          tolerance=EXACT),
    Check("compute_attention_output_closure", f"{MODEL}:compute_attention_output_closure", 2,
          public=(Case("batch 2, length 3, 2 heads of 2", _args(2, 2), _closure_probe(_normal(23, 4, 3, 2))),),
          hidden=(Case("batch 3, length 5, 4 heads of 3", _args(4, 3), _closure_probe(_normal(24, 12, 5, 3))),),
          tolerance=EXACT),
    Check("CausalAttention", f"{MODEL}:CausalAttention", 3,
          public=(Case("d_feature 8, 2 heads, train mode", _args(8, 2, mode="train"),
                       layer_probe(_normal(31, 2, 5, 8), 31)),),
          hidden=(Case("d_feature 12, 3 heads, eval mode", _args(12, 3, mode="eval"),
                       layer_probe(_normal(32, 3, 6, 12), 32)),),
          tolerance=LAYER_TOL, substitutes=_ATTENTION_REFS),
    Check("DecoderBlock", f"{MODEL}:DecoderBlock", 3,
          public=(Case("d_model 8, d_ff 16, 2 heads, eval, Relu",
                       lambda: ((8, 16, 2, 0.1, "eval", _relu()), {}), block_probe(_normal(41, 2, 5, 8), 41)),),
          hidden=(Case("d_model 12, d_ff 20, 3 heads, eval, Gelu",
                       lambda: ((12, 20, 3, 0.0, "eval", _gelu()), {}), block_probe(_normal(42, 2, 4, 12), 42)),),
          tolerance=LAYER_TOL, substitutes=_refs_except("DecoderBlock", _LAYER_REFS)),
    Check("TransformerLM", f"{MODEL}:TransformerLM", 4,
          public=(Case("vocab 30, d_model 8, 1 layer, 2 heads", lambda: ((), dict(
              vocab_size=30, d_model=8, d_ff=16, n_layers=1, n_heads=2, dropout=0.1, max_len=32, mode="eval")),
              layer_probe(_tokens(51, 2, 6, 30), 51)),),
          hidden=(Case("vocab 40, d_model 12, 2 layers, 3 heads", lambda: ((), dict(
              vocab_size=40, d_model=12, d_ff=24, n_layers=2, n_heads=3, dropout=0.0, max_len=16, mode="eval")),
              layer_probe(_tokens(52, 2, 9, 40), 52)),),
          tolerance=LAYER_TOL, substitutes=_LAYER_REFS),
    Check("training_loop", "w2_summarizer.train:training_loop", 2,
          public=(_loop_case("vocab 20, d_model 8, 1 layer", 20, d_model=8, d_ff=16, n_layers=1, n_heads=2),),
          hidden=(_loop_case("vocab 25, d_model 12, 2 layers, other rates", 25, d_model=12, d_ff=16, n_layers=2,
                             n_heads=3, learning_rate=0.02),),
          tolerance=Tolerance(rtol=1e-4, atol=1e-4)),
    Check("next_symbol", f"{DECODING}:next_symbol", 2,
          public=(_next_symbol_case("prompt of 3 tokens (padded to 4)", 1, 12, [3, 4, 5]),
                  _next_symbol_case("prompt of 4 tokens (padded to 8)", 2, 12, [7, 2, 1, 0])),
          hidden=(_next_symbol_case("hidden 3", 3, 15, [2, 9, 4, 4, 7, 1, 0, 5]),
                  _next_symbol_case("hidden 4, temperature 1", 4, 9, [5], temperature=1.0, rng=3)),
          tolerance=DECODE_TOL),
    Check("sampling_decode", f"{DECODING}:sampling_decode", 2,
          public=(_decode_case("greedy, stops at EOS", 5, 12, "w2 w3 w4", 20),),
          hidden=(_decode_case("hidden 6, at most 3 tokens", 6, 12, "w5 w6", 3),
                  _decode_case("hidden 7, temperature 0.7", 7, 14, "w2 w9", 20, temperature=0.7, rng=5)),
          tolerance=DECODE_TOL, substitutes=_refs_except("sampling_decode", _DECODING_REFS)),
    Check("greedy_decode", f"{DECODING}:greedy_decode", 1,
          public=(_greedy_case("stops at EOS", 5, 12, "w2 w3 w4", 20),),
          hidden=(_greedy_case("hidden 8", 8, 13, "w7 w3", 20),),
          tolerance=EXACT, substitutes=_DECODING_REFS),
])

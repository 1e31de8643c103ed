"""Week 1 checks: one per graded function, cases as data.

Public cases appear in the notebook's visible tests (inputs and expected values are shown in the
feedback); hidden cases use other seeded inputs and reveal only where the output differs.
Tolerances: metrics are exact rational arithmetic in float64 (1e-9); layers run in float32 with matmul
precision 'highest', and LSTM recurrences accumulate rounding differently across CPU/GPU/TPU kernels,
so their outputs are compared at rtol 1e-4, atol 1e-5.
"""
import numpy as np

from autograder.engine import EXACT, Case, Check, Tolerance, WeekChecks

WEEK = "w1_nmt"
METRIC_TOL = Tolerance(rtol=1e-9, atol=1e-12)
LAYER_TOL = Tolerance(rtol=1e-4, atol=1e-5)
SEED_CANDIDATE = "I I am I".split()
SEED_REFERENCES = ["Younes said I am hungry".split(), "He said I am hungry".split()]
WORDS = "I am hungry he said younes the cat sat on mat a dog ran".split()


def _args(*args, **kwargs):
    return lambda: (args, kwargs)


def _random_tokens(rng, low=1, high=12):
    return [str(w) for w in rng.choice(WORDS, size=int(rng.integers(low, high + 1)))]


def _random_pair(seed, n_refs=2):
    rng = np.random.default_rng(seed)
    candidate = _random_tokens(rng)
    references = [_random_tokens(rng) for _ in range(n_refs)]
    return candidate, references


def _metric_cases(prefix, make, seeds):
    return tuple(Case(f"{prefix}{seed}", (lambda s=seed: make(s))) for seed in seeds)


def _pair_args(seed, **kwargs):
    candidate, references = _random_pair(seed)
    return (candidate, references), kwargs


def _corpus_args(seed):
    rng = np.random.default_rng(seed)
    candidates = [_random_tokens(rng, 3, 12) for _ in range(6)]
    references = [[_random_tokens(rng, 3, 12), c[: len(c) // 2] + _random_tokens(rng, 1, 4)] for c in candidates]
    return (candidates, references), {}


def _metric(name, points, public, hidden, about=""):
    return Check(name, f"w1_nmt.metrics:{name}", points, public, hidden, METRIC_TOL, about=about)


SEED_CASE = _args(SEED_CANDIDATE, SEED_REFERENCES)

# ---------------------------------------------------------------------------------------------- layers

def layer_probe(inputs, seed=0, structure=True):
    """Probe of a layer: its structure (one line per sublayer) and its outputs on `inputs` under weights
    initialised from `seed`. Same structure -> same seeded weights -> comparable outputs."""
    def probe(layer):
        from coursekit.trax_env import import_trax

        trax = import_trax()
        if not isinstance(layer, trax.layers.Layer):
            raise TypeError(f"expected a trax layer but got {type(layer).__name__}")
        signature = trax.shapes.signature(inputs)
        # Structure first: if it differs, the seeded weights differ too and outputs say nothing more.
        layer.init(signature, rng=trax.fastmath.random.get_prng(seed))
        outputs = layer(inputs)
        result = {}
        if structure:
            result["structure"] = [line.strip() for line in str(layer).splitlines() if line.strip()]
        result["outputs"] = list(outputs) if isinstance(outputs, tuple) else [outputs]
        return result
    return probe


def _tokens(seed, batch, length, vocab, pad_from=None):
    rng = np.random.default_rng(seed)
    x = rng.integers(3, vocab, size=(batch, length)).astype(np.int32)
    if pad_from is not None:
        for row, start in enumerate(pad_from):
            x[row, start:] = 0
    return x


def _encoder_case(name, seed, vocab, d_model, n_layers, batch, length):
    inputs = _tokens(seed, batch, length, vocab, pad_from=[length - 1, length // 2][:batch])
    return Case(name, _args(vocab, d_model, n_layers), layer_probe(inputs, seed))


def _decoder_case(name, seed, mode, vocab, d_model, batch, length):
    targets = _tokens(seed, batch, length, vocab)
    return Case(name, _args(mode, vocab, d_model), layer_probe(targets, seed))


def _attention_input_case(name, seed, batch, input_len, decoder_len, d_model):
    def make():
        rng = np.random.default_rng(seed)
        enc = rng.standard_normal((batch, input_len, d_model)).astype(np.float32)
        dec = rng.standard_normal((batch, decoder_len, d_model)).astype(np.float32)
        inputs = _tokens(seed, batch, input_len, 50, pad_from=[input_len - 2, 1, input_len][:batch])
        return (enc, dec, inputs), {}
    return Case(name, make, lambda out: [np.asarray(x) for x in out] if isinstance(out, tuple) else out)


def _nmt_case(name, seed, vocab_in, vocab_out, d_model, n_enc, n_dec, heads, batch, in_len, out_len):
    inputs = _tokens(seed, batch, in_len, vocab_in, pad_from=[in_len - 3, in_len][:batch])
    targets = _tokens(seed + 1, batch, out_len, vocab_out, pad_from=[out_len - 1, out_len - 2][:batch])
    return Case(name, _args(vocab_in, vocab_out, d_model, n_enc, n_dec, heads, 0.0, "eval"),
                layer_probe((inputs, targets), seed))


_MODEL_REFS = (("input_encoder_fn", "w1_nmt.model:input_encoder_fn"),
               ("pre_attention_decoder_fn", "w1_nmt.model:pre_attention_decoder_fn"),
               ("prepare_attention_input", "w1_nmt.model:prepare_attention_input"))

CHECKS = WeekChecks(WEEK, [
    _metric("simple_precision", 1,
            public=(Case("seed: 'I I am I'", SEED_CASE),),
            hidden=_metric_cases("random", lambda s: _pair_args(s), (11, 12, 13))),
    _metric("modified_precision", 2,
            public=(Case("seed: 'I I am I'", SEED_CASE),
                    Case("bigrams", _args(SEED_CANDIDATE, SEED_REFERENCES, n=2))),
            hidden=_metric_cases("random", lambda s: _pair_args(s, n=1 + s % 3), (21, 22, 23, 24))),
    _metric("brevity_penalty", 1,
            public=(Case("seed: 'I I am I'", SEED_CASE),
                    Case("longer than the references", _args("a b c d e f".split(), [["a", "b"]]))),
            hidden=_metric_cases("random", lambda s: _pair_args(s), (31, 32, 33))),
    _metric("bleu", 2,
            public=(Case("identical", _args("the cat sat on the mat".split(), ["the cat sat on the mat".split()])),
                    Case("seed: 'I I am I', max_n=1", _args(SEED_CANDIDATE, SEED_REFERENCES, max_n=1))),
            hidden=_metric_cases("random", lambda s: _pair_args(s, max_n=1 + s % 2), (41, 42, 43))),
    _metric("corpus_bleu", 2,
            public=(Case("two sentences", _args(["the cat sat on the mat".split(), "I am hungry".split()],
                                                [["the cat sat on a mat".split()], ["I am hungry".split()]],
                                                max_n=2)),),
            hidden=_metric_cases("random", _corpus_args, (51, 52))),
    _metric("rouge_n", 2,
            public=(Case("seed: 'I I am I'", SEED_CASE),
                    Case("bigrams", _args(SEED_CANDIDATE, SEED_REFERENCES, n=2))),
            hidden=_metric_cases("random", lambda s: _pair_args(s, n=1 + s % 2), (61, 62, 63))),
    _metric("f1", 1,
            public=(Case("seed: F1 of 0.5 and 0.4", _args(0.5, 0.4)), Case("both zero", _args(0.0, 0.0))),
            hidden=(Case("0.25 and 1", _args(0.25, 1.0)), Case("0.9 and 0.3", _args(0.9, 0.3)))),
    _metric("rouge1_similarity", 1,
            public=(Case("seed", _args(SEED_CANDIDATE, SEED_REFERENCES[0])),),
            hidden=_metric_cases("random", lambda s: ((lambda c, r: (c, r[0]))(*_random_pair(s)), {}),
                                 (71, 72))),
    Check("input_encoder_fn", "w1_nmt.model:input_encoder_fn", 2,
          public=(_encoder_case("vocab 30, d_model 8, 1 layer", 1, 30, 8, 1, 2, 5),),
          hidden=(_encoder_case("vocab 50, d_model 16, 2 layers", 2, 50, 16, 2, 2, 7),),
          tolerance=LAYER_TOL),
    Check("pre_attention_decoder_fn", "w1_nmt.model:pre_attention_decoder_fn", 2,
          public=(_decoder_case("train mode, vocab 30, d_model 8", 3, "train", 30, 8, 2, 4),),
          hidden=(_decoder_case("eval mode, vocab 40, d_model 12", 4, "eval", 40, 12, 3, 6),),
          tolerance=LAYER_TOL),
    Check("prepare_attention_input", "w1_nmt.model:prepare_attention_input", 2,
          public=(_attention_input_case("batch 2, input 5, decoder 3, d_model 4", 5, 2, 5, 3, 4),),
          hidden=(_attention_input_case("batch 3, input 7, decoder 4, d_model 6", 6, 3, 7, 4, 6),),
          tolerance=EXACT),
    Check("NMTAttn", "w1_nmt.model:NMTAttn", 4,
          public=(_nmt_case("vocab 30/40, d_model 8, 1+1 layers, 2 heads", 7, 30, 40, 8, 1, 1, 2, 2, 6, 4),),
          hidden=(_nmt_case("vocab 50/30, d_model 16, 2+2 layers, 4 heads", 8, 50, 30, 16, 2, 2, 4, 2, 7, 5),),
          tolerance=LAYER_TOL, substitutes=_MODEL_REFS),
])

"""Week 1 checks: one per graded function, cases as data.

Public cases appear in the notebook's visible tests (inputs and expected values are shown in the
feedback); hidden cases use other seeded inputs and reveal only where the output differs.
Tolerances: metrics are exact rational arithmetic in float64 (1e-9); layers run in float32 with matmul
precision 'highest', and LSTM recurrences accumulate rounding differently across CPU/GPU/TPU kernels,
so their outputs are compared at rtol 1e-4, atol 1e-5.
"""
import numpy as np

from autograder.checks import w1_nmt_doubles as doubles
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


METRICS = ("simple_precision", "modified_precision", "brevity_penalty", "bleu", "corpus_bleu", "rouge_n",
           "f1", "rouge1_similarity")


def _metric(name, points, public, hidden, about=""):
    """A metric check; the other metrics it may call are the reference versions while it runs."""
    substitutes = tuple((other, f"w1_nmt.metrics:{other}") for other in METRICS if other != name)
    return Check(name, f"w1_nmt.metrics:{name}", points, public, hidden, METRIC_TOL, substitutes, about)


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

# -------------------------------------------------------------------------------------------- decoding
DECODE_TOL = Tolerance(rtol=1e-5, atol=1e-5)
_DOUBLES = "autograder.checks.w1_nmt_doubles"


def _symbol_probe(result):
    symbol, log_prob = result
    return [int(symbol), float(log_prob)]


def _decode_probe(result):
    tokens, log_prob, sentence = result
    return [[int(t) for t in tokens], float(log_prob), str(sentence)]


def _samples_probe(result):
    samples, log_probs = result
    return [[[int(t) for t in sample] for sample in samples], [float(x) for x in log_probs]]


def _beam_probe(result):
    return [[[int(t) for t in tokens], float(score)] for tokens, score in result]


def _mbr_probe(result):
    sentence, index, scores = result
    return [str(sentence), int(index), {int(k): float(v) for k, v in dict(scores).items()}]


def _next_symbol_case(name, seed, vocab, input_len, output):
    def make():
        rng = np.random.default_rng(seed)
        inputs = rng.integers(2, vocab, size=(1, input_len)).astype(np.int32)
        inputs[0, -1] = doubles.EOS
        return (doubles.TableModel(vocab, seed), inputs, list(output), 0.0), {}
    return Case(name, make, _symbol_probe)


def _decode_case(name, seed, vocab, sentence, max_length, fn_kwargs=()):
    def make():
        return (sentence, doubles.TableModel(vocab, seed, eos_bias=1.5)), dict(
            temperature=0.0, tokenizer=doubles.WordTokenizer(vocab), max_length=max_length, **dict(fn_kwargs))
    return Case(name, make, _decode_probe)


def _greedy_case(name, seed, vocab, sentence, max_length):
    return Case(name, lambda: ((sentence, doubles.TableModel(vocab, seed, eos_bias=1.5)),
                               dict(tokenizer=doubles.WordTokenizer(vocab), max_length=max_length)), str)


def _samples_case(name, seed, vocab, sentence, n_samples):
    return Case(name, lambda: ((sentence, n_samples, doubles.TableModel(vocab, seed, eos_bias=1.5)),
                               dict(temperature=0.0, tokenizer=doubles.WordTokenizer(vocab), max_length=12)),
                _samples_probe)


def _overlap_case(name, samples, log_probs=None):
    from w1_nmt.metrics import rouge1_similarity

    args = (rouge1_similarity, [list(s) for s in samples]) + ((list(log_probs),) if log_probs else ())
    return Case(name, lambda: (args, {}), lambda scores: {int(k): float(v) for k, v in dict(scores).items()})


def _random_samples(seed, n=4):
    rng = np.random.default_rng(seed)
    samples = [list(rng.integers(2, 9, size=int(rng.integers(2, 7)))) + [doubles.EOS] for _ in range(n)]
    return [[int(t) for t in s] for s in samples], [float(x) for x in -rng.uniform(0.5, 6.0, size=n)]


def _mbr_case(name, n_samples, weighted):
    def make():
        from w1_nmt.decoding import average_overlap, weighted_avg_overlap
        from w1_nmt.metrics import rouge1_similarity

        score_fn = weighted_avg_overlap if weighted else average_overlap
        return ("w2 w3 w4", n_samples, score_fn, rouge1_similarity, doubles.TableModel(12, 0)), dict(
            temperature=0.6, tokenizer=doubles.WordTokenizer(12))
    return Case(name, make, _mbr_probe)


def _beam_case(name, make_fn, beam_width, max_length, eos_id, length_alpha):
    return Case(name, lambda: ((make_fn(), beam_width, max_length, eos_id), dict(length_alpha=length_alpha)),
                _beam_probe)


_DECODING_REFS = (("next_symbol", "w1_nmt.decoding:next_symbol"),
                  ("sampling_decode", "w1_nmt.decoding:sampling_decode"),
                  ("generate_samples", "w1_nmt.decoding:generate_samples"),
                  ("average_overlap", "w1_nmt.decoding:average_overlap"),
                  ("weighted_avg_overlap", "w1_nmt.decoding:weighted_avg_overlap"))


def _decoding(name, points, public, hidden, tolerance=DECODE_TOL, extra=()):
    substitutes = tuple(ref for ref in _DECODING_REFS if ref[0] != name) + tuple(extra)
    return Check(name, f"w1_nmt.decoding:{name}", points, public, hidden, tolerance, substitutes)


_SEED_SAMPLES = [[2, 3, 4, 5, 1], [2, 3, 4, 6, 1], [7, 8, 9, 1]]

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
    _decoding("next_symbol", 2,
              public=(_next_symbol_case("empty output so far", 1, 12, 5, []),
                      _next_symbol_case("three tokens so far (padded to 4)", 2, 12, 6, [3, 4, 5])),
              hidden=(_next_symbol_case("hidden 3", 3, 15, 7, [2, 9, 4, 4, 7]),
                      _next_symbol_case("hidden 4", 4, 9, 3, [5]))),
    _decoding("sampling_decode", 2,
              public=(_decode_case("greedy, stops at EOS", 5, 12, "w2 w3 w4", 20),),
              hidden=(_decode_case("hidden 6", 6, 14, "w5 w6", 20), _decode_case("hidden 7", 7, 12, "w2", 3))),
    _decoding("greedy_decode", 1,
              public=(_greedy_case("stops at EOS", 5, 12, "w2 w3 w4", 20),),
              hidden=(_greedy_case("hidden 8", 8, 13, "w7 w3", 20),), tolerance=EXACT),
    _decoding("generate_samples", 1,
              public=(_samples_case("three samples at temperature 0", 5, 12, "w2 w3 w4", 3),),
              hidden=(_samples_case("hidden 9", 9, 12, "w4 w5", 2),)),
    _decoding("average_overlap", 1,
              public=(_overlap_case("three candidates", _SEED_SAMPLES),),
              hidden=(_overlap_case("hidden 81", _random_samples(81)[0]),)),
    _decoding("weighted_avg_overlap", 2,
              public=(_overlap_case("three candidates", _SEED_SAMPLES, [-1.0, -2.0, -0.5]),),
              hidden=(_overlap_case("hidden 82", *_random_samples(82)),)),
    _decoding("mbr_decode", 2,
              public=(_mbr_case("seed: the consensus wins over the most probable", 5, False),),
              hidden=(_mbr_case("hidden weighted", 4, True),),
              extra=(("generate_samples", f"{_DOUBLES}:fixed_samples"),)),
    Check("beam_search", "w1_nmt.beam:beam_search", 4,
          public=(_beam_case("seed: B=2 table", doubles.SeedBeamTable, 2, 5, 0, 0.0),
                  _beam_case("random table, B=3, length_alpha=0.6", lambda: doubles.RandomTable(5, 1), 3, 4, 0, 0.6)),
          hidden=(_beam_case("hidden 2", lambda: doubles.RandomTable(6, 2), 2, 5, 1, 0.0),
                  _beam_case("hidden 3", lambda: doubles.RandomTable(4, 3), 1, 6, 0, 1.0)),
          tolerance=DECODE_TOL),
])

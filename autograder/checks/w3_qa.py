"""Week 3 checks: one per graded function, cases as data.

Public cases appear in the notebook's visible tests; hidden cases use other seeded inputs and reveal only
where the output differs. Tolerances: span corruption, BERT masking, the QA format and greedy answers with
the test doubles are exact (token ids, 0/1 weights, strings). Mixing rates are float64 arithmetic; rtol 1e-6
lets a float32 computation pass and still fails any wrong formula. Layers run in float32 with matmul
precision 'highest'; layer norm and softmax reduce in different orders on CPU, GPU and TPU kernels, so
outputs are compared at rtol 1e-4, atol 1e-5 (as Week 2's). A train-mode case draws its dropout masks from
the seeded weights' rng, the same on every backend.
"""
import numpy as np

from autograder.checks import w3_qa_doubles as doubles
from autograder.checks.w1_nmt import layer_probe
from autograder.engine import EXACT, Case, Check, Tolerance, WeekChecks

WEEK = "w3_qa"
LAYER_TOL = Tolerance(rtol=1e-4, atol=1e-5)
RATE_TOL = Tolerance(rtol=1e-6, atol=1e-9)
MASKING = "w3_qa.masking"
TASKS = "w3_qa.tasks"
MODEL = "w3_qa.model"


def _args(*args, **kwargs):
    return lambda: (args, kwargs)


def _array(out):
    return np.asarray(out)


def _arrays(out):
    return [np.asarray(x) for x in out]


def _confusion(tp, tn, fp, fn):
    """(predictions, labels) lists with these counts, interleaved so that no order is special."""
    pairs = [(1, 1)] * tp + [(0, 0)] * tn + [(1, 0)] * fp + [(0, 1)] * fn
    order = np.random.default_rng(0).permutation(len(pairs))
    return [pairs[i][0] for i in order], [pairs[i][1] for i in order]


def _random_binary(seed, n):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    predictions = np.where(rng.random(n) < 0.7, labels, 1 - labels)
    return predictions.tolist(), labels.tolist()


def _packaged_tokenizer():
    from w3_qa.tokenizer import default_tokenizer

    return default_tokenizer()


# ------------------------------------------------------------------------------------- span corruption

# The course's example: "for inviting" and "last" are masked; a run of masked tokens is one sentinel.
SEED_TEXT = "Thank you for inviting me to your party last week."
SEED_DRAWS = (0.9, 0.9, 0.1, 0.05, 0.9, 0.9, 0.9, 0.9, 0.1, 0.9)
PARAGRAPH = ("Cyril Garner, a poet from Aldcombe, lived from 1630 to 1684. He studied with Rhoda Vickers and "
             "wrote three books of verse about the river towns.")


def _word_tokenizer(text):
    from w3_qa.masking import WordTokenizer

    return WordTokenizer(text.split())


def _span_probe(tokenizer):
    """(inputs, targets) -> both as text (read first, for the message) and as ids."""
    def probe(result):
        inputs, targets = result
        inputs, targets = [int(t) for t in inputs], [int(t) for t in targets]
        tk = tokenizer()
        return {"inputs": tk.detokenize(inputs), "targets": tk.detokenize(targets),
                "input_ids": inputs, "target_ids": targets}
    return probe


def _span_case(name, text, noise, draws, tokenizer):
    """draws: a tuple of fixed draws, or an int seed of np.random.default_rng(seed).random."""
    def make():
        randomizer = doubles.FixedDraws(draws) if isinstance(draws, tuple) else np.random.default_rng(draws).random
        return (text,), dict(noise=noise, randomizer=randomizer, tokenizer=tokenizer())
    return Case(name, make, _span_probe(tokenizer))


# ------------------------------------------------------------------------------------------ BERT masking

def _bert_case(name, seed, length, vocab, rate=None, specials=(), **kwargs):
    """`length` ordinary tokens in [first, vocab), with `specials` {position: id} put in."""
    def make():
        from w3_qa.tokenizer import FIRST_ORDINARY_ID

        first = kwargs.get("first_ordinary_id", FIRST_ORDINARY_ID)
        tokens = np.random.default_rng(1000 + seed).integers(first, vocab, size=length)
        for position, token in dict(specials).items():
            tokens[position] = token
        rate_kwargs = {} if rate is None else dict(rate=rate)
        return (tokens, np.random.default_rng(seed), vocab), dict(rate_kwargs, **kwargs)
    return Case(name, make, _arrays)


# [CLS] first, [SEP] before 6 paddings: neither they nor the padding are ever picked.
_CLS_SEP_PAD = {0: 4, 41: 5, **{p: 0 for p in range(42, 48)}}

# -------------------------------------------------------------------------------------------- layers


def block_probe(inputs, seed=0):
    """FeedForwardBlock and EncoderBlock return lists of layers: probe them as the Serial that the encoder
    builds from them (a nested list is flattened, as tl.Serial does)."""
    inner = layer_probe(inputs, seed)

    def flat(items):
        for item in items:
            if isinstance(item, (list, tuple)):
                yield from flat(item)
            else:
                yield item

    def probe(result):
        from coursekit.trax_env import import_trax

        tl = import_trax().layers
        if not isinstance(result, (list, tuple)):
            raise TypeError(f"expected a list of trax layers but got {type(result).__name__}")
        layers = list(flat(result))
        others = sorted({type(x).__name__ for x in layers if not isinstance(x, tl.Layer)})
        if others:
            raise TypeError(f"expected a list of trax layers but it holds {', '.join(others)}")
        return inner(tl.Serial(layers))
    return probe


# Public cases share one set of sizes and hidden cases another, so the three layer checks reuse the
# operations that jax compiled for the first: the whole run stays fast.
PUBLIC_SIZES = dict(d_model=8, d_ff=16, n_heads=2, batch=2, length=5)
HIDDEN_SIZES = dict(d_model=12, d_ff=24, n_heads=3, batch=3, length=6)


def _normal(seed, *shape):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _activations_and_mask(seed, batch, length, d_model):
    """(x (B, L, d), mask (B, 1, 1, L)) as tl.PaddingMask makes it: row b has length - 2b real positions
    (at least 1)."""
    x = _normal(seed, batch, length, d_model)
    lengths = np.maximum(length - 2 * np.arange(batch), 1)
    mask = (np.arange(length)[None, :] < lengths[:, None])[:, None, None, :]
    return x, mask


def _tokens(seed, batch, length, vocab):
    tokens = np.random.default_rng(seed).integers(1, vocab, size=(batch, length)).astype(np.int32)
    for row in range(1, batch):
        tokens[row, length - 2 * row:] = 0  # padding
    return tokens


def _relu():
    from coursekit.trax_env import import_trax

    return import_trax().layers.Relu


def _gelu():
    from coursekit.trax_env import import_trax

    return import_trax().layers.Gelu


def _ff_case(name, seed, sizes, dropout, shared_axes, mode, activation):
    d_model, d_ff = sizes["d_model"], sizes["d_ff"]
    return Case(name, lambda: ((d_model, d_ff, dropout, shared_axes, mode, activation()), {}),
                block_probe(_normal(seed, sizes["batch"], sizes["length"], d_model), seed))


def _block_case(name, seed, sizes, dropout, shared_axes, mode, activation):
    d_model, d_ff, n_heads = sizes["d_model"], sizes["d_ff"], sizes["n_heads"]
    return Case(name, lambda: ((d_model, d_ff, n_heads, dropout, shared_axes, mode, activation()), {}),
                block_probe(_activations_and_mask(seed, sizes["batch"], sizes["length"], d_model), seed))


def _encoder_case(name, seed, sizes, vocab, activation, **kwargs):
    model_sizes = {key: sizes[key] for key in ("d_model", "d_ff", "n_heads")}
    return Case(name, lambda: ((vocab,), dict(kwargs, ff_activation=activation(), **model_sizes)),
                layer_probe(_tokens(seed, sizes["batch"], sizes["length"], vocab), seed))


_LAYER_REFS = (("FeedForwardBlock", f"{MODEL}:FeedForwardBlock"), ("EncoderBlock", f"{MODEL}:EncoderBlock"))


def _refs_except(name, refs):
    return tuple(ref for ref in refs if ref[0] != name)


# ----------------------------------------------------------------------------------- question answering

EXAMPLE = ("Where was Cyril Garner born?", "Cyril Garner, a poet from Aldcombe, lived from 1630 to 1684.")
WORDS = "Garner Vickers Aldcombe Ashbury 1630 1684 poet river town was born died taught the of in".split()


def _plain_tokenizer():
    return doubles.PlainWordTokenizer(WORDS)


def _answer_case(name, tokenizer, examples, asked, seed=0, **kwargs):
    """The model knows `examples` [(question, context, answer)]; the function is asked example `asked`."""
    def make():
        tk = tokenizer()
        first = getattr(tk, "first_ordinary_id", 3)
        model = doubles.answer_table(tk, examples, seed=seed, first_ordinary=first)
        question, context, _ = examples[asked]
        return (question, context, model), dict(kwargs, tokenizer=tk)
    return Case(name, make, str)


_COURSE_QA = (EXAMPLE + ("Aldcombe",), ("When was Cyril Garner born?", EXAMPLE[1], "1630"))
_WORD_QA = (("who taught Garner", "Vickers taught Garner in Ashbury", "Vickers of Ashbury"),
            ("where was Garner born", "Garner was born in Aldcombe in 1630", "in Aldcombe"),
            ("who died in 1684", "the poet died in 1684", ""))

CHECKS = WeekChecks(WEEK, [
    Check("tokenize_and_mask", f"{MASKING}:tokenize_and_mask", 4,
          public=(_span_case("the course's example: 'Thank you <X> me to your party <Y> week.'", SEED_TEXT, 0.15,
                             SEED_DRAWS, lambda: _word_tokenizer(SEED_TEXT)),
                  _span_case("the packaged tokenizer, noise 0.3, np.random.default_rng(1).random", PARAGRAPH, 0.3,
                             1, _packaged_tokenizer)),
          hidden=(_span_case("a draw equal to the noise keeps its token", "a b c d e", 0.5,
                             (0.5, 0.1, 0.2, 0.3, 0.9), lambda: _word_tokenizer("a b c d e")),
                  _span_case("hidden 2", PARAGRAPH, 0.5, 2, _packaged_tokenizer),
                  _span_case("noise 0: nothing masked", PARAGRAPH, 0.0, 3, _packaged_tokenizer),
                  _span_case("noise 1: everything masked", SEED_TEXT, 1.0, 4, _packaged_tokenizer)),
          tolerance=EXACT),
    Check("bert_mask", f"{MASKING}:bert_mask", 3,
          public=(_bert_case("20 ordinary tokens, rate 0.5, default_rng(7)", 7, 20, 200, rate=0.5),
                  _bert_case("[CLS], [SEP] and padding are never picked, rate 0.15", 3, 48, 2000,
                             specials=_CLS_SEP_PAD)),
          hidden=(_bert_case("hidden 1, rate 1", 11, 30, 500, rate=1.0, specials={0: 4, 29: 1}),
                  _bert_case("hidden 2, rate 0", 12, 25, 300, rate=0.0),
                  _bert_case("hidden 3, other ids", 13, 80, 60, rate=0.4, mask_id=7, first_ordinary_id=10,
                             specials={5: 7, 6: 9, 70: 0})),
          tolerance=EXACT),
    Check("format_qa", f"{TASKS}:format_qa", 1,
          public=(Case("the course's format", _args(*EXAMPLE)),
                  Case("runs of whitespace become one space", _args(" What is it?\n", "It is  a test."))),
          hidden=(Case("hidden 1", _args("Who taught\tCyril Garner?", "\n\nRhoda Vickers taught him.\n  He was 9. ")),
                  Case("hidden 2", _args("context: or question?", "question: the words may appear."))),
          tolerance=EXACT),
    Check("mixing_rates", f"{TASKS}:mixing_rates", 3,
          public=(Case("examples-proportional", _args([100, 300, 600]), _array),
                  Case("equal", _args([100, 300, 600], "equal"), _array),
                  Case("temperature 2", _args([100, 300, 600], "temperature", temperature=2.0), _array)),
          hidden=(Case("hidden 1, limit", _args([1000, 50, 20000, 7], "proportional", limit=5000), _array),
                  Case("hidden 2, equal with an empty task", _args([5, 0, 5, 2], "equal"), _array),
                  Case("hidden 3, temperature 3 and a limit", _args((10, 1000, 100000), "temperature",
                                                                    temperature=3, limit=20000.0), _array),
                  Case("hidden 4, temperature 1", _args([3, 1, 6], "temperature", temperature=1.0), _array),
                  Case("hidden 5, temperature 1e6", _args([10, 1000, 100000], "temperature", temperature=1e6),
                       _array)),
          tolerance=RATE_TOL),
    Check("attention_mask", "w3_qa.attention_masks:attention_mask", 2,
          public=(Case("fully visible, length 4", _args(4), _array),
                  Case("causal, length 4", _args(4, "causal"), _array),
                  Case("causal with a prefix of 2, length 5", _args(5, "prefix", prefix_length=2), _array)),
          hidden=(Case("hidden 1, causal, length 1", _args(1, "causal"), _array),
                  Case("hidden 2, prefix 0 is causal", _args(6, "prefix"), _array),
                  Case("hidden 3, a prefix as long as the input is fully visible", _args(3, "prefix", prefix_length=3),
                       _array),
                  Case("hidden 4, prefix 4 of 9", _args(9, "prefix", prefix_length=4), _array)),
          tolerance=EXACT),
    Check("FeedForwardBlock", f"{MODEL}:FeedForwardBlock", 2,
          public=(_ff_case("d_model 8, d_ff 16, dropout 0.1, eval, Relu", 21, PUBLIC_SIZES, 0.1, None, "eval",
                           _relu),),
          hidden=(_ff_case("d_model 12, d_ff 24, eval, Gelu", 22, HIDDEN_SIZES, 0.2, None, "eval", _gelu),
                  _ff_case("train, dropout 0.5 shared over positions", 23, HIDDEN_SIZES, 0.5, (1,), "train",
                           _relu)),
          tolerance=LAYER_TOL),
    Check("EncoderBlock", f"{MODEL}:EncoderBlock", 4,
          public=(_block_case("d_model 8, d_ff 16, 2 heads, dropout 0.1, eval, Relu", 31, PUBLIC_SIZES, 0.1, None,
                              "eval", _relu),),
          hidden=(_block_case("d_model 12, d_ff 24, 3 heads, train, dropout 0.3 shared over positions", 32,
                              HIDDEN_SIZES, 0.3, (1,), "train", _gelu),),
          tolerance=LAYER_TOL, substitutes=_refs_except("EncoderBlock", _LAYER_REFS)),
    Check("TransformerEncoder", f"{MODEL}:TransformerEncoder", 4,
          public=(_encoder_case("vocab 30, 3 classes, d_model 8, 1 layer, 2 heads", 41, PUBLIC_SIZES, 30, _relu,
                                n_classes=3, n_layers=1, max_len=16, dropout=0.1, mode="eval"),),
          hidden=(_encoder_case("vocab 40, 5 classes, d_model 12, 2 layers, 3 heads", 42, HIDDEN_SIZES, 40, _gelu,
                                n_classes=5, n_layers=2, max_len=32, dropout=0.0, mode="eval"),),
          tolerance=LAYER_TOL, substitutes=_LAYER_REFS),
    Check("matthews_corrcoef", "w3_qa.glue:matthews_corrcoef", 1,
          public=(Case("6 TP, 3 TN, 1 FP, 2 FN", _args(*_confusion(6, 3, 1, 2))),
                  Case("always the positive class: 0", _args([1] * 6, [1, 0, 1, 1, 0, 1])),
                  Case("every prediction wrong: -1", _args([1, 0, 0, 1], [0, 1, 1, 0]))),
          hidden=(Case("hidden 1, 50 random", _args(*_random_binary(1, 50))),
                  Case("hidden 2, all right", _args([0, 1, 1, 0, 1], [0, 1, 1, 0, 1])),
                  Case("hidden 3, one class only among the labels", _args([0, 1, 0, 0], [0, 0, 0, 0])),
                  Case("hidden 4, numpy arrays", lambda: (tuple(np.asarray(x, np.int32) for x in _random_binary(4, 9)),
                                                          {}))),
          tolerance=RATE_TOL),
    Check("answer_question", "w3_qa.qa:answer_question", 4,
          public=(_answer_case("the course's example: 'Where was Cyril Garner born?' -> 'Aldcombe'",
                               _packaged_tokenizer, _COURSE_QA, 0),
                  _answer_case("stops after max_length=2 tokens", _plain_tokenizer, _WORD_QA, 0, max_length=2)),
          hidden=(_answer_case("hidden 1", _plain_tokenizer, _WORD_QA, 1, seed=1),
                  _answer_case("hidden 2", _packaged_tokenizer, (("Who taught\nCyril Garner?",
                                                                  "Cyril Garner studied  with Rhoda Vickers.",
                                                                  "Rhoda Vickers"),) + _COURSE_QA, 0, seed=2),
                  _answer_case("hidden 3, an empty answer", _plain_tokenizer, _WORD_QA, 2, seed=3),
                  _answer_case("hidden 4, max_length 1", _packaged_tokenizer, _COURSE_QA, 0, max_length=1)),
          tolerance=EXACT, substitutes=(("format_qa", f"{TASKS}:format_qa"),)),
])

"""The Week 3 checks: the library's solutions score full marks; each typical mistake costs exactly its own
function's points, with a message naming it; hidden cases reveal no expected value; broken outputs never
score."""
import inspect
import textwrap

import numpy as np
import pytest

from autograder.checks import w3_qa_doubles as doubles
from autograder.checks.w3_qa import CHECKS
from autograder.engine import resolve
from autograder.samples import make
from autograder.samples.w3_qa_mistakes import MISTAKES

# Other typical mistakes, each of which must fail its check too (MISTAKES keeps one per function).
MORE_MISTAKES = {
    "tokenize_and_mask: no closing sentinel": ("tokenize_and_mask", '''
def tokenize_and_mask(text, noise=0.15, randomizer=np.random.uniform, tokenizer=None):
    tokenizer = tokenizer or default_tokenizer()
    inputs, targets, n_spans, previous_masked = [], [], 0, False
    for token in tokenizer.tokenize(text):
        if randomizer() < noise:
            if not previous_masked:
                inputs.append(tokenizer.sentinel_id(n_spans))
                targets.append(tokenizer.sentinel_id(n_spans))
                n_spans += 1
            targets.append(token)
            previous_masked = True
        else:
            inputs.append(token)
            previous_masked = False
    return inputs, targets
'''),
    "tokenize_and_mask: masks when the draw is above the noise": ("tokenize_and_mask", '''
def tokenize_and_mask(text, noise=0.15, randomizer=np.random.uniform, tokenizer=None):
    tokenizer = tokenizer or default_tokenizer()
    inputs, targets, n_spans, previous_masked = [], [], 0, False
    for token in tokenizer.tokenize(text):
        if randomizer() > 1 - noise:
            if not previous_masked:
                inputs.append(tokenizer.sentinel_id(n_spans))
                targets.append(tokenizer.sentinel_id(n_spans))
                n_spans += 1
            targets.append(token)
            previous_masked = True
        else:
            inputs.append(token)
            previous_masked = False
    targets.append(tokenizer.sentinel_id(n_spans))
    return inputs, targets
'''),
    "bert_mask: special tokens can be picked": ("bert_mask", '''
def bert_mask(tokens, rng, vocab_size, rate=0.15, mask_id=MASK_ID, first_ordinary_id=FIRST_ORDINARY_ID):
    tokens = np.asarray(tokens).astype(np.int32)
    picked = rng.random(tokens.shape[0]) < rate
    positions = np.flatnonzero(picked)
    action = rng.random(positions.size)
    random_ids = rng.integers(first_ordinary_id, vocab_size, size=positions.size)
    inputs = tokens.copy()
    inputs[positions[action < 0.8]] = mask_id
    to_random = (action >= 0.8) & (action < 0.9)
    inputs[positions[to_random]] = random_ids[to_random]
    return inputs, tokens.copy(), picked.astype(np.float32)
'''),
    "format_qa: context first": ("format_qa", '''
def format_qa(question, context):
    return f"context: {' '.join(context.split())} question: {' '.join(question.split())}"
'''),
    "mixing_rates: the limit is ignored": ("mixing_rates", '''
def mixing_rates(sizes, strategy="proportional", temperature=1.0, limit=None):
    sizes = np.asarray(sizes, dtype=np.float64)
    if strategy == "equal":
        return (sizes > 0) / (sizes > 0).sum()
    rates = sizes / sizes.sum()
    if strategy == "temperature":
        rates = rates ** (1.0 / temperature)
        rates = rates / rates.sum()
    return rates
'''),
    "FeedForwardBlock: no LayerNorm": ("FeedForwardBlock", '''
def FeedForwardBlock(d_model, d_ff, dropout, dropout_shared_axes, mode, activation):
    return [tl.Dense(d_ff), activation(), tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode),
            tl.Dense(d_model), tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode)]
'''),
    "FeedForwardBlock: dropout_shared_axes not passed": ("FeedForwardBlock", '''
def FeedForwardBlock(d_model, d_ff, dropout, dropout_shared_axes, mode, activation):
    return [tl.LayerNorm(), tl.Dense(d_ff), activation(), tl.Dropout(rate=dropout, mode=mode),
            tl.Dense(d_model), tl.Dropout(rate=dropout, mode=mode)]
'''),
    "EncoderBlock: no LayerNorm before the attention": ("EncoderBlock", '''
def EncoderBlock(d_model, d_ff, n_heads, dropout, dropout_shared_axes, mode, ff_activation):
    attention = EncoderAttention(d_model, n_heads=n_heads, dropout=dropout, mode=mode)
    feed_forward = FeedForwardBlock(d_model, d_ff, dropout, dropout_shared_axes, mode, ff_activation)
    return [tl.Residual(attention, tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode)),
            tl.Residual(feed_forward)]
'''),
    "TransformerEncoder: the mean over the features instead of the positions": ("TransformerEncoder", '''
def TransformerEncoder(vocab_size=32000, n_classes=10, d_model=512, d_ff=2048, n_layers=6, n_heads=8,
                       max_len=DEFAULT_MAX_LEN, dropout=0.1, dropout_shared_axes=None, mode="train",
                       ff_activation=tl.Relu):
    return tl.Serial(
        tl.Branch([], tl.PaddingMask()), tl.Embedding(vocab_size, d_model),
        tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode), PositionalEncoding(max_len=max_len),
        [EncoderBlock(d_model, d_ff, n_heads, dropout, dropout_shared_axes, mode, ff_activation)
         for _ in range(n_layers)],
        tl.Select([0], n_in=2), tl.LayerNorm(), tl.Mean(axis=-1), tl.Dense(n_classes), tl.LogSoftmax())
'''),
    "answer_question: does not stop at EOS": ("answer_question", '''
def answer_question(question, context, model, tokenizer=None, max_length=DEFAULT_MAX_ANSWER):
    tokenizer = tokenizer or default_tokenizer()
    input_ids = tokenizer.tokenize(format_qa(question, context)) + [EOS_ID]
    inputs = np.zeros((1, padded_length(len(input_ids))), np.int32)
    inputs[0, :len(input_ids)] = input_ids
    targets = np.zeros((1, max_length), np.int32)
    for position in range(max_length):
        targets[0, position] = int(np.argmax(np.asarray(model((inputs, targets))[0])[0, position]))
    return tokenizer.detokenize([t for t in targets[0] if t])
'''),
    "answer_question: no EOS after the question": ("answer_question", '''
def answer_question(question, context, model, tokenizer=None, max_length=DEFAULT_MAX_ANSWER):
    tokenizer = tokenizer or default_tokenizer()
    input_ids = tokenizer.tokenize(format_qa(question, context))
    inputs = np.zeros((1, padded_length(len(input_ids))), np.int32)
    inputs[0, :len(input_ids)] = input_ids
    targets = np.zeros((1, max_length), np.int32)
    answer = []
    for position in range(max_length):
        next_token = int(np.argmax(np.asarray(model((inputs, targets))[0])[0, position]))
        if next_token == EOS_ID:
            break
        answer.append(next_token)
        targets[0, position] = next_token
    return tokenizer.detokenize(answer)
'''),
}


def solution_namespace():
    return make.solution_namespace("w3_qa")


def solution_source(name):
    return textwrap.dedent(inspect.getsource(resolve(CHECKS[name].reference)))


def test_every_graded_function_has_a_mistake():
    assert set(MISTAKES) == set(CHECKS)
    assert {name for name, _ in MORE_MISTAKES.values()} <= set(CHECKS)


def test_solutions_score_full_marks_and_each_mistake_loses_exactly_its_points():
    namespace = solution_namespace()
    results = {name: CHECKS.grade(name, namespace.get(name)) for name in CHECKS}
    failures = {name: r.messages for name, r in results.items() if not r.passed}
    assert not failures
    assert sum(r.score for r in results.values()) == CHECKS.total_points
    for source in MISTAKES.values():
        exec(source, namespace)
    for name in CHECKS:
        result = CHECKS.grade(name, namespace[name])
        assert result.score == 0, f"the mistake in {name} was not caught"
        assert result.messages and all(m.startswith(name) for m in result.messages), result.messages
    # Each function, right among the others' mistakes, keeps its points: a mistake costs one function only.
    for name in CHECKS:
        exec(solution_source(name), namespace)
        result = CHECKS.grade(name, namespace[name])
        assert result.passed, f"{name} lost points for another function's mistake: {result.messages}"
        exec(MISTAKES[name], namespace)


@pytest.mark.parametrize("label", sorted(MORE_MISTAKES))
def test_other_typical_mistakes_are_caught(label):
    name, source = MORE_MISTAKES[label]
    namespace = solution_namespace()
    exec(source, namespace)
    result = CHECKS.grade(name, namespace[name])
    assert result.score == 0, f"{label} was not caught"
    assert result.messages and all(m.startswith(name) for m in result.messages), result.messages


@pytest.mark.parametrize("name", ["tokenize_and_mask", "format_qa", "mixing_rates", "answer_question"])
def test_hidden_cases_reveal_no_expected_value(name):
    namespace = solution_namespace()
    exec(MISTAKES[name], namespace)
    check = CHECKS[name]
    result = CHECKS.grade(name, namespace[name])
    hidden = [m for m in result.messages if m.startswith(f"{name}, hidden case")]
    assert hidden, result.messages
    expected = CHECKS.expected()[name]
    secrets = []
    for case in check.hidden:
        value = expected[case.name]
        values = value.values() if isinstance(value, dict) else [value]
        secrets += [v for v in values if isinstance(v, str) and len(v) > 3]
        secrets += [f"{x:.6g}" for v in values if isinstance(v, np.ndarray) and v.dtype.kind == "f" for x in v
                    if len(f"{x:.6g}") > 3]
        assert case.name not in " ".join(hidden)
    assert any("a different value" in m or "differs from the reference" in m for m in hidden), hidden
    for message in hidden:
        assert not any(secret in message for secret in secrets), message


@pytest.mark.parametrize("bad, needle", [
    (lambda *a, **k: np.full(3, np.nan), "NaN"),
    (lambda *a, **k: np.ones(2) / 2, "shape"),
    (lambda *a, **k: "0.1 0.3 0.6", "is not numeric"),
    (lambda *a, **k: 1 / 0, "raised ZeroDivisionError"),
])
def test_broken_outputs_never_score(bad, needle):
    result = CHECKS.grade("mixing_rates", bad)
    assert result.score == 0
    assert any(needle in message for message in result.messages), result.messages


def test_a_layer_that_is_not_a_layer_is_reported():
    result = CHECKS.grade("TransformerEncoder", lambda *a, **k: "a layer")
    assert result.score == 0 and "expected a trax layer but got str" in result.messages[0]
    result = CHECKS.grade("FeedForwardBlock", lambda *a, **k: None)
    assert result.score == 0 and "expected a list of trax layers" in result.messages[0]


def test_visible_run_prints_feedback_and_raises(capsys):
    namespace = solution_namespace()
    exec(MISTAKES["format_qa"], namespace)
    with pytest.raises(AssertionError, match="format_qa"):
        CHECKS.run("format_qa", namespace["format_qa"])
    out = capsys.readouterr().out
    assert "expected 'question: Where was Cyril Garner born? context:" in out


def test_answer_double_rewards_only_the_right_reads():
    tokenizer = doubles.PlainWordTokenizer("a b c d".split())
    model = doubles.answer_table(tokenizer, [("a b", "c", "d c b")])
    inputs = np.zeros((1, 8), np.int32)
    inputs[0, :6] = tokenizer.tokenize("question: a b context: c") + [1]  # EOS, then padding
    targets = np.zeros((1, 5), np.int32)
    decoded = []
    for t in range(5):  # the right reads: position t after the right prefix
        token = int(np.argmax(model((inputs, targets))[0][0, t]))
        decoded.append(token)
        if token == 1:
            break
        targets[0, t] = token
    assert tokenizer.detokenize(decoded) == "d c b <eos>"
    logits = model((inputs, np.zeros((1, 5), np.int32)))[0]
    assert int(np.argmax(logits[0, 1])) not in (1, tokenizer.tokenize("d")[0])  # one position too late
    assert int(np.argmax(model((inputs[:, 1:], targets))[0][0, 0])) != tokenizer.tokenize("d")[0]  # other inputs
    with pytest.raises(RuntimeError, match="once per token"):
        draws = doubles.FixedDraws([0.5])
        draws(), draws()

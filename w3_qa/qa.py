"""Answering questions with the fine-tuned encoder-decoder: greedy decoding of "question: Q context: C".

The model's contract (trax.models.Transformer in 'eval' mode)::

    model((inputs (B, Li) int32, targets (B, Lt) int32)) -> (logits (B, Lt, vocab), targets)

Position t of the logits scores the token that follows targets[:t], so a greedy decoder fills the targets one
position at a time. Inputs are padded to a power of 2 and targets to `max_length`: few shapes, few
compilations (batched answers: the first of INPUT_BUCKETS that holds the longest input).
"""
import numpy as np

from coursekit.decoding import jit_model, padded_length
from coursekit.tokenizer import EOS_ID, PAD_ID
from coursekit.validation import check_positive_int
from w3_qa.tasks import format_qa

DEFAULT_MAX_ANSWER = 16
# The model's positional tables have 256 rows (config.max_len): inputs are padded to at most this.
MAX_INPUT_LENGTH = 256


# Batched answers pad their inputs to the first of these that holds them (few shapes, little padding: a
# whole paragraph with its question takes 150-190 tokens, which a power of 2 would pad to 256).
INPUT_BUCKETS = (32, 64, 128, 192, MAX_INPUT_LENGTH)


def bucket_length(n_tokens):
    """The first of INPUT_BUCKETS >= n_tokens (n_tokens counts EOS); beyond the last: padded_length."""
    return next((bucket for bucket in INPUT_BUCKETS if n_tokens <= bucket), padded_length(n_tokens))


def _default_tokenizer():
    from w3_qa.tokenizer import default_tokenizer
    return default_tokenizer()


def _check_input_length(n_tokens, max_input_length):
    if padded_length(n_tokens) > max_input_length:
        raise ValueError(f"the question and context take {n_tokens} tokens with EOS, but the model reads at most "
                         f"{max_input_length - 1} (padded to {max_input_length}); shorten the context to the "
                         f"paragraph that holds the answer")


def answer_question(question, context, model, tokenizer=None, max_length=DEFAULT_MAX_ANSWER):
    """The model's answer to one question about a context, decoded greedily.

    Args:
        question, context: str.
        model: the QA model in 'eval' mode (or any callable with its contract, see the module doc).
        tokenizer: has tokenize(str) -> list of int and detokenize(ids) -> str; default: the packaged one.
        max_length: int, the most answer tokens to generate (and the padded target length).

    Returns:
        str, the detokenized answer: the tokens before the first EOS (all `max_length` if none).
    """
    check_positive_int("max_length", max_length)
    tokenizer = tokenizer or _default_tokenizer()
    _check_input_length(len(tokenizer.tokenize(format_qa(question, context))) + 1, MAX_INPUT_LENGTH)
    ### BEGIN SOLUTION
    input_ids = tokenizer.tokenize(format_qa(question, context)) + [EOS_ID]
    inputs = np.zeros((1, padded_length(len(input_ids))), np.int32)
    inputs[0, :len(input_ids)] = input_ids
    targets = np.zeros((1, max_length), np.int32)
    answer = []
    for position in range(max_length):
        logits = model((inputs, targets))[0]
        next_token = int(np.argmax(np.asarray(logits)[0, position]))
        if next_token == EOS_ID:
            break
        answer.append(next_token)
        targets[0, position] = next_token
    ### END SOLUTION
    return tokenizer.detokenize(answer)


def greedy_answers(model, inputs, max_length=DEFAULT_MAX_ANSWER):
    """Greedy answers of a batch: inputs (B, Li) int32 -> list of B lists of int ids (EOS excluded).

    A row stops at its EOS; the batch stops when every row has, or at `max_length` tokens.
    """
    check_positive_int("max_length", max_length)
    forward = jit_model(model)
    inputs = np.asarray(inputs, np.int32)
    targets = np.zeros((inputs.shape[0], max_length), np.int32)
    finished = np.zeros(inputs.shape[0], bool)
    for position in range(max_length):
        logits = np.asarray(forward((inputs, targets))[0])
        next_tokens = logits[:, position].argmax(-1).astype(np.int32)
        finished_now = finished | (next_tokens == EOS_ID)
        targets[:, position] = np.where(finished_now, PAD_ID, next_tokens)
        finished = finished_now
        if finished.all():
            break
    return [[int(t) for t in row if t != PAD_ID] for row in targets]


def greedy_outputs(encoded, model, batch_size=64, max_length=DEFAULT_MAX_ANSWER):
    """Greedy outputs of many inputs: `encoded` (list of lists of int ids, EOS included) -> list of lists of
    int ids (EOS excluded), in batches of `batch_size` rows padded to the first of INPUT_BUCKETS that holds
    the batch's longest input (the last batch padded with empty rows: one shape per bucket)."""
    for ids in encoded:
        _check_input_length(len(ids), MAX_INPUT_LENGTH)
    outputs = []
    for start in range(0, len(encoded), batch_size):
        chunk = encoded[start:start + batch_size]
        inputs = np.zeros((batch_size, bucket_length(max(len(ids) for ids in chunk))), np.int32)
        for row, ids in enumerate(chunk):
            inputs[row, :len(ids)] = ids
        outputs += greedy_answers(model, inputs, max_length)[:len(chunk)]
    return outputs


def answer_questions(examples, model, tokenizer=None, batch_size=64, max_length=DEFAULT_MAX_ANSWER):
    """Answers (list of str) to a list of {"question", "context"} dicts, in batches of `batch_size`."""
    tokenizer = tokenizer or _default_tokenizer()
    encoded = [tokenizer.tokenize(format_qa(e["question"], e["context"])) + [EOS_ID] for e in examples]
    outputs = greedy_outputs(encoded, model, batch_size, max_length)
    return [tokenizer.detokenize(row) if row else "" for row in outputs]

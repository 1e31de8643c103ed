"""The question-answering pipeline's three stages, one at a time: what `pipeline("question-answering")` does.

    encoded = preprocess(question, context, tokenizer)     tokenizer output: input_ids (1, L), offsets, ...
    start_logits, end_logits = forward(model, encoded)     the model: (L,) and (L,) float32 scores
    answer = postprocess(encoded, start_logits, end_logits, context)
                                                           {"answer", "start", "end", "score"}: the best span

Post-processing follows the pipeline's rules (transformers 5.2, `pipelines/question_answering.py`): only
context tokens (and [CLS], whose mass is then dropped) enter the softmaxes of the start and end logits; a
span's score is p(start) * p(end), with start <= end < start + max_answer_len; the 12 best spans are widened
to whole words and cut from the context by character offsets, spans with the same text (ignoring case) add
their scores, and the best text wins. These functions read one window of at most
`max_seq_len` tokens; for a longer context the pipeline slides overlapping windows (`doc_stride`), and
`preprocess` says so with a ValueError.
"""
import numpy as np

from w3_qa import hf  # noqa: F401  (offline switches)

MAX_SEQ_LEN = 384
MAX_ANSWER_LEN = 15
N_CANDIDATES = 12  # the pipeline's 2 * top_k + 10 best spans, before they are widened to words


def _check_text(value, name):
    if not isinstance(value, str):
        raise TypeError(f"the {name} must be a str, but got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"the {name} is empty")


def preprocess(question, context, tokenizer, max_seq_len=MAX_SEQ_LEN):
    """Stage 1: "[CLS] question [SEP] context [SEP]" as the model's tensors, plus what post-processing needs.

    Returns:
        dict: "inputs" (input_ids, token_type_ids, attention_mask: torch int64 (1, L)), "tokens" (list of L
        str), "offsets" (L (start, end) character offsets), "sequence_ids" (L of None/0/1: special, question,
        context), "encoding" (the tokenizers Encoding, for word boundaries).

    Raises:
        TypeError / ValueError: a question or context that is not a non-empty str, or a question and
        context longer than `max_seq_len` tokens (the message says how the pipeline handles that).
    """
    _check_text(question, "question")
    _check_text(context, "context")
    encoded = tokenizer(question.strip(), context, return_offsets_mapping=True, return_tensors="pt")
    length = encoded["input_ids"].shape[1]
    if length > max_seq_len:
        raise ValueError(f"the question and context take {length} tokens, more than max_seq_len={max_seq_len}: "
                         f"these stages read one window; pipeline('question-answering') splits a long context "
                         f"into overlapping windows of max_seq_len tokens (doc_stride apart) and keeps the best "
                         f"span of all of them")
    offsets = [tuple(int(x) for x in pair) for pair in encoded.pop("offset_mapping")[0].tolist()]
    return {"inputs": dict(encoded), "tokens": encoded.tokens(), "offsets": offsets,
            "sequence_ids": encoded.sequence_ids(0), "encoding": encoded.encodings[0]}


def forward(model, encoded):
    """Stage 2: the model's raw start and end logits, two float32 arrays of shape (L,)."""
    import torch

    with torch.no_grad():
        output = model(**encoded["inputs"])
    return output.start_logits[0].float().numpy(), output.end_logits[0].float().numpy()


def _softmax(logits, allowed):
    scores = np.where(allowed, logits, -10000.0)
    scores = np.exp(scores - scores.max())
    return scores / scores.sum()


def postprocess(encoded, start_logits, end_logits, context, max_answer_len=MAX_ANSWER_LEN):
    """Stage 3: the best answer span, as the pipeline picks it.

    Returns:
        dict {"answer": str, "start": int, "end": int (character offsets into context), "score": float,
        "start_token": int, "end_token": int (the best token span of that text)}.
    """
    sequence_ids = encoded["sequence_ids"]
    allowed = np.array([s == 1 for s in sequence_ids])
    allowed[0] = True  # [CLS] takes part in the softmax, as in the pipeline, then is dropped
    p_start, p_end = _softmax(start_logits, allowed), _softmax(end_logits, allowed)
    p_start[0] = p_end[0] = 0.0
    spans = np.tril(np.triu(np.outer(p_start, p_end)), max_answer_len - 1)
    spans[~allowed] = 0.0
    spans[:, ~allowed] = 0.0
    encoding = encoded["encoding"]
    answers = {}  # lower-cased text -> the answer dict; spans that widen to the same words add their scores
    for flat in np.argsort(-spans, axis=None, kind="stable")[:N_CANDIDATES]:
        start_token, end_token = (int(i) for i in np.unravel_index(flat, spans.shape))
        if spans[start_token, end_token] <= 0.0:
            break
        start = encoding.word_to_chars(encoding.token_to_word(start_token), sequence_index=1)[0]
        end = encoding.word_to_chars(encoding.token_to_word(end_token), sequence_index=1)[1]
        text, score = context[start:end], float(spans[start_token, end_token])
        if text.lower() in answers:
            answers[text.lower()]["score"] += score
        else:
            answers[text.lower()] = {"answer": text, "start": int(start), "end": int(end), "score": score,
                                     "start_token": start_token, "end_token": end_token}
    return max(answers.values(), key=lambda answer: answer["score"])


def answer_by_stages(question, context, model, tokenizer, max_answer_len=MAX_ANSWER_LEN):
    """The three stages in a row: the answer dict of `postprocess`, with the tokens and logits beside it."""
    encoded = preprocess(question, context, tokenizer)
    start_logits, end_logits = forward(model, encoded)
    answer = postprocess(encoded, start_logits, end_logits, context, max_answer_len)
    return {**answer, "tokens": encoded["tokens"], "start_logits": start_logits, "end_logits": end_logits}

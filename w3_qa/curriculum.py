"""Fine-tuning data that a small Transformer can learn to copy from: fresh questions, short contexts first,
answers taken from the context's own tokens.

A small encoder-decoder trained on whole paragraphs sits on a plateau for a long time before it learns to
find the answer's span in 150-200 input tokens and copy it (Week 1's LSTM broke the same plateau with short
sentences first). Three changes get it off:

* **Fresh questions** (`fresh_questions`): an endless stream of generated questions, each seen once,
  about entities that are neither held out (`heldout.is_held_out`) nor in the given exclusions (the eval and
  test titles): the model cannot memorise ~640 paragraphs' answers, it has to read.
* **A context-length curriculum** (`curriculum_windows`): the context is cut to the answer's sentence plus
  k of its neighbours (a window of consecutive sentences that holds the answer's); k grows from 0 to
  `max_neighbours` over the first `ramp_examples` questions. After the ramp a question keeps its whole
  paragraph with probability `full_rate`, else gets a window with k drawn from 0..max_neighbours.
* **Copyable targets** (`copy_target`): the answer's target ids are the ids of the tokens of the
  formatted input that cover the answer's characters, not the answer tokenized alone (which differs for
  about one answer in six: "1984." is one piece in the context, "1984" two alone).

`w3_qa.train.finetune_pairs` chains them into (input ids + [EOS], target ids + [EOS]) pairs for
`pipeline.make_seq2seq_batches`.
"""
import re

from coursekit.tokenizer import EOS_ID
from w3_qa.data import iter_paragraphs, qa_examples
from w3_qa.evaluate import normalize_answer
from w3_qa.heldout import is_held_out
from w3_qa.tasks import format_qa

# The fresh stream draws paragraphs from iter_paragraphs(seed + FRESH_SEED_OFFSET).
FRESH_SEED_OFFSET = 104729
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def sentence_spans(text):
    """(start, end) character offsets of the sentences of a generated paragraph, in order; the spaces
    between sentences belong to none. "A b. C d." -> [(0, 4), (5, 9)]."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def context_window(example, neighbours, rng):
    """`example` with its context cut to the answer's sentence and `neighbours` of the sentences around it
    (consecutive, the window's position drawn with `rng`; all sentences if there are fewer).

    Args:
        example: QA dict with "context", "answer" and "answer_start".
        neighbours: int >= 0.
        rng: numpy Generator.

    Returns:
        a new dict, "context" and "answer_start" changed (the answer still at answer_start), "window" the
        number of sentences kept.
    """
    context, start = example["context"], example["answer_start"]
    spans = sentence_spans(context)
    answer_sentence = next(i for i, (s, e) in enumerate(spans) if s <= start < e or i == len(spans) - 1)
    size = min(len(spans), 1 + neighbours)
    first_lowest = max(0, answer_sentence - size + 1)
    first_highest = min(answer_sentence, len(spans) - size)
    first = int(rng.integers(first_lowest, first_highest + 1))
    begin, end = spans[first][0], spans[first + size - 1][1]
    return dict(example, context=context[begin:end], answer_start=start - begin, window=size)


def fresh_questions(seed=0, exclude_titles=()):
    """Endless stream of QA dicts (see data.qa_examples) about fresh generated paragraphs: each paragraph's
    questions in a row (seeded order), paragraphs whose title is held out, in `exclude_titles` or seen
    before skipped."""
    seen = set(exclude_titles)
    for paragraph in iter_paragraphs(seed + FRESH_SEED_OFFSET):
        title = paragraph["title"]
        if title in seen or is_held_out(title):
            continue
        seen.add(title)
        yield from qa_examples(paragraph, seed)


def shuffled(stream, buffer_size, rng):
    """The items of `stream` in a random order: a buffer of `buffer_size` items, one drawn at random is
    yielded and replaced by the next (questions about one paragraph no longer come in a row)."""
    buffer = []
    for item in stream:
        if len(buffer) < buffer_size:
            buffer.append(item)
            continue
        index = int(rng.integers(buffer_size))
        yield buffer[index]
        buffer[index] = item
    rng.shuffle(buffer)
    yield from buffer


def curriculum_windows(examples, rng, ramp_examples=25000, max_neighbours=4, full_rate=0.75):
    """The examples with their contexts cut as the curriculum says (see the module doc); example i of the
    ramp gets k = floor((max_neighbours + 1) * i / ramp_examples) neighbours. `ramp_examples` 0 skips the
    ramp."""
    for index, example in enumerate(examples):
        if index < ramp_examples:
            neighbours = min(max_neighbours, (max_neighbours + 1) * index // ramp_examples)
        elif rng.random() < full_rate:
            yield dict(example, window=None)
            continue
        else:
            neighbours = int(rng.integers(max_neighbours + 1))
        yield context_window(example, neighbours, rng)


def _piece_offsets(tokenizer, ids):
    """(start, end) of each id's characters in the decoded text (pieces' lengths added up; `copy_target`
    checks first that the pieces spell the text)."""
    offsets, position = [], -1  # sentencepiece's dummy prefix: the first piece's "\u2581" is no character
    for token_id in ids:
        piece = tokenizer.id_to_piece(token_id)
        length = len(piece)
        offsets.append((max(position, 0), position + length))
        position += length
    return offsets


def copy_target(input_ids, text, answer_start, answer, tokenizer):
    """The ids of the tokens of `input_ids` (the tokenization of `text`) that cover
    text[answer_start:answer_start + len(answer)], or the answer tokenized alone where the pieces cannot be
    aligned with the text (unknown characters, normalisation) or where the covering pieces do not read as the
    answer (SQuAD normalisation: a piece across the answer's first space). Returns a list of int."""
    pieces = "".join(tokenizer.id_to_piece(i) for i in input_ids).replace("\u2581", " ")
    if pieces[1:] != text or text[answer_start:answer_start + len(answer)] != answer:
        return tokenizer.tokenize(answer)
    end = answer_start + len(answer)
    covering = [token_id for token_id, (s, e) in zip(input_ids, _piece_offsets(tokenizer, input_ids))
                if s < end and e > answer_start and tokenizer.id_to_piece(token_id) != "\u2581"]
    if not covering or normalize_answer(tokenizer.detokenize(covering)) != normalize_answer(answer):
        return tokenizer.tokenize(answer)  # a piece that spans the answer's edge and more ("arowing club")
    return covering


def qa_copy_pair(example, tokenizer):
    """(ids of "question: Q context: C" + [EOS], `copy_target` + [EOS]) of one QA dict."""
    text = format_qa(example["question"], example["context"])
    input_ids = tokenizer.tokenize(text)
    if text.endswith(example["context"]):
        start = len(text) - len(example["context"]) + example["answer_start"]
        target = copy_target(input_ids, text, start, example["answer"], tokenizer)
    else:  # whitespace that format_qa collapsed: offsets no longer hold
        target = tokenizer.tokenize(example["answer"])
    return input_ids + [EOS_ID], target + [EOS_ID]


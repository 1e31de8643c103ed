"""`datasets.Dataset`s of the course's data, and the features the Hugging Face models train on.

    qa_dataset(examples)            SQuAD schema: id, title, context, question,
                                    answers {"text": [str], "answer_start": [int]}
    squad_file_dataset(path)        the same from a user's SQuAD v1.1 JSON file (Week 3's loader)
    review_examples(n, seed)        generated labelled reviews, {"text", "label"} (0 negative, 1 positive)
    qa_features(batch, tokenizer)   question/context windows with start_positions / end_positions
    mlm_features(batch, tokenizer)  paragraphs as input_ids for masked language modelling

A window that does not hold the whole answer is labelled with the [CLS] position (0, 0), as SQuAD
fine-tuning scripts do.
"""
import numpy as np

from w3_qa import hf  # noqa: F401  (offline switches)


def squad_records(examples):
    """Week 3's QA example dicts (question, context, answer, answer_start) in SQuAD's nested schema."""
    records = []
    for index, example in enumerate(examples):
        missing = [key for key in ("question", "context", "answer", "answer_start") if key not in example]
        if missing:
            raise ValueError(f"QA example {index} lacks {missing}; it has {sorted(example)}")
        start = int(example["answer_start"])
        if example["context"][start:start + len(example["answer"])] != example["answer"]:
            raise ValueError(f"QA example {index} ({example.get('id', '')!r}): the answer "
                             f"{example['answer']!r} is not at answer_start {start} of its context")
        records.append({"id": str(example.get("id", index)), "title": str(example.get("title", "")),
                        "context": example["context"], "question": example["question"],
                        "answers": {"text": [example["answer"]], "answer_start": [start]}})
    return records


def qa_dataset(examples):
    """A `datasets.Dataset` of QA example dicts (e.g. `w3_qa.data.make_splits()["train"]`)."""
    from datasets import Dataset

    return Dataset.from_list(squad_records(examples))


def squad_file_dataset(path, max_examples=None):
    """A `datasets.Dataset` of the answerable questions of a SQuAD v1.1 (or v2.0) JSON file."""
    from w3_qa.data import load_squad_json

    return qa_dataset(load_squad_json(path, max_examples=max_examples))


_REVIEW_SUBJECTS = ("the {title}", "our visit to {town}", "the tour of {town}", "the guide to the {title}",
                    "the exhibition on the {title}", "the book about {town}")
_POSITIVE = ("wonderful", "delightful", "excellent", "superb", "charming", "memorable", "well organised",
             "fascinating")
_NEGATIVE = ("dull", "disappointing", "tedious", "badly organised", "overpriced", "forgettable", "crowded",
             "poor")
_FRAMES = ("{subject} was {word}.", "I found {subject} {word}.", "Honestly, {subject} was {word}.",
           "{subject} was {word}, and the guides agreed.", "Everyone said {subject} was {word}.")
_NEGATED = ("{subject} was not {word}.", "I did not find {subject} {word}.")


def review_examples(n, seed=0):
    """`n` generated one-sentence reviews of the course's invented places and events, half positive.

    A review praises or criticises with one of a few adjectives; one in four negates its adjective ("was
    not dull" is positive), so word counting alone does not classify them. Seeded and deterministic.

    Returns:
        list of {"text": str, "label": int} with label 1 positive, 0 negative.
    """
    from w3_qa.data import generate_paragraphs

    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be an int >= 0, but got {n!r}")
    rng = np.random.default_rng(seed)
    paragraphs = generate_paragraphs(max(1, min(n, 200)), seed=seed + 1000)
    titles = [p["title"] for p in paragraphs if p["kind"] in ("event", "organisation")] or ["Regatta"]
    towns = [p["title"] for p in paragraphs if p["kind"] == "place"] or ["Corvik"]
    examples = []
    for index in range(n):
        label = index % 2
        negated = rng.random() < 0.25
        words = _NEGATIVE if (label == 1) == negated else _POSITIVE
        subject = str(rng.choice(_REVIEW_SUBJECTS)).format(title=rng.choice(titles), town=rng.choice(towns))
        frame = str(rng.choice(_NEGATED if negated else _FRAMES))
        text = frame.format(subject=subject, word=rng.choice(words))
        examples.append({"text": text[0].upper() + text[1:], "label": label})
    order = rng.permutation(n)
    return [examples[i] for i in order]


def qa_features(batch, tokenizer, max_length=256, stride=64):
    """Tokenized training windows of a batch of SQuAD-schema rows (for `Dataset.map(batched=True)`).

    Each (question, context) becomes one window, or several overlapping ones (`stride` tokens shared) if
    the context is long; each window gets start_positions / end_positions, the token indices of the
    answer's first and last token, or 0 and 0 ([CLS]) when the window does not hold the whole answer.

    Returns:
        dict of lists: input_ids, token_type_ids, attention_mask, start_positions, end_positions (each
        window padded to `max_length`).
    """
    encoded = tokenizer([q.strip() for q in batch["question"]], batch["context"], truncation="only_second",
                        max_length=max_length, stride=stride, return_overflowing_tokens=True,
                        return_offsets_mapping=True, padding="max_length")
    starts, ends = [], []
    for window, offsets in enumerate(encoded["offset_mapping"]):
        sample = encoded["overflow_to_sample_mapping"][window]
        answer = batch["answers"][sample]
        first_char = answer["answer_start"][0]
        last_char = first_char + len(answer["text"][0])
        sequence_ids = encoded.sequence_ids(window)
        context_tokens = [i for i, s in enumerate(sequence_ids) if s == 1]
        first, last = context_tokens[0], context_tokens[-1]
        if offsets[first][0] > first_char or offsets[last][1] < last_char:
            starts.append(0)
            ends.append(0)
            continue
        start = next(i for i in context_tokens if offsets[i][1] > first_char)
        end = max(i for i in context_tokens if offsets[i][0] < last_char)
        starts.append(start)
        ends.append(end)
    encoded.pop("offset_mapping")
    encoded.pop("overflow_to_sample_mapping")
    encoded["start_positions"] = starts
    encoded["end_positions"] = ends
    return encoded


def mlm_features(batch, tokenizer, max_length=256):
    """Paragraphs ("text" column) as truncated input_ids for masked language modelling; the collator
    (`DataCollatorForLanguageModeling`) pads them and draws BERT's masks."""
    return tokenizer(batch["text"], truncation=True, max_length=max_length, return_special_tokens_mask=True)

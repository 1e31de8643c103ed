"""SQuAD v1.1's answer metrics: exact match and token F1, with the official answer normalisation.

Both compare a predicted answer with each reference answer after `normalize_answer` (lower case, no
punctuation, no articles "a", "an", "the", single spaces) and keep the best reference:

* exact match: 1.0 if the normalised strings are equal, else 0.0;
* F1: the harmonic mean of the precision and recall of the normalised tokens (a bag of words, counted with
  multiplicity); 0.0 when nothing is shared.

`squad_scores` averages them over a set of questions and reports percentages, as the official script does.

    python -m w3_qa.evaluate --n 300 --seed SEED [--checkpoint PATH] [--show 5]

generates `n` fresh questions about held-out entities from SEED (`heldout.held_out_questions`: no training
stream or pre-training paragraph describes them), answers them greedily with the committed reference model
(`w3_qa/assets/qa.pkl.gz`) and prints, last, one JSON line {"em": .., "f1": .., "n": ..}. The answers are
decoded in batches (`qa.answer_questions`), which give the same tokens as the graded `answer_question`
one question at a time (`tests/w3_qa/test_evaluate.py`).
"""
import collections
import json
import re
import string
import sys
import time

from coursekit.commands import evaluation_arguments

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation)


def normalize_answer(text):
    """Lower case, remove punctuation, articles and extra whitespace (the official SQuAD v1.1 rule)."""
    if not isinstance(text, str):
        raise TypeError(f"an answer must be a str, but got {type(text).__name__}")
    text = text.lower()
    text = "".join(char for char in text if char not in _PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def _references(ground_truths):
    if isinstance(ground_truths, str):
        return [ground_truths]
    references = list(ground_truths)
    if not references:
        raise ValueError("at least one reference answer is needed")
    return references


def _exact(prediction, truth):
    return float(normalize_answer(prediction) == normalize_answer(truth))


def _f1(prediction, truth):
    predicted = normalize_answer(prediction).split()
    expected = normalize_answer(truth).split()
    common = collections.Counter(predicted) & collections.Counter(expected)
    shared = sum(common.values())
    if shared == 0:
        return 0.0
    precision = shared / len(predicted)
    recall = shared / len(expected)
    return 2 * precision * recall / (precision + recall)


def exact_match_score(prediction, ground_truths):
    """1.0 if `prediction` equals one of `ground_truths` (a str or a list of str) after normalisation."""
    return max(_exact(prediction, truth) for truth in _references(ground_truths))


def f1_score(prediction, ground_truths):
    """The best token F1 (float in [0, 1]) of `prediction` against `ground_truths` (a str or a list of str)."""
    return max(_f1(prediction, truth) for truth in _references(ground_truths))


def squad_scores(predictions, references):
    """Mean exact match and F1 in percent over a set of questions.

    Args:
        predictions: list of str, one answer per question.
        references: list (same length) of str or list of str, the reference answer(s) of each question.

    Returns:
        {"exact_match": float, "f1": float, "n": int}, the scores in [0, 100].
    """
    predictions, references = list(predictions), list(references)
    if len(predictions) != len(references):
        raise ValueError(f"got {len(predictions)} predictions for {len(references)} questions")
    if not predictions:
        raise ValueError("no questions to score")
    exact = sum(exact_match_score(p, r) for p, r in zip(predictions, references))
    f1 = sum(f1_score(p, r) for p, r in zip(predictions, references))
    n = len(predictions)
    return {"exact_match": 100.0 * exact / n, "f1": 100.0 * f1 / n, "n": n}


def evaluate_reference(n=300, seed=0, checkpoint=None, config=None):
    """SQuAD scores of a checkpoint (default: the reference QA model) on `n` fresh held-out questions from
    `seed`: ({"exact_match", "f1", "n"}, questions, predictions)."""
    from w3_qa import config as cfg
    from w3_qa.checkpoints import load_model
    from w3_qa.heldout import held_out_questions
    from w3_qa.qa import answer_questions

    config = config or cfg.DEFAULT
    questions = held_out_questions(n, seed)
    model = load_model(checkpoint or cfg.QA_CHECKPOINT, config=config)
    predictions = answer_questions(questions, model, max_length=config.answer_length)
    return squad_scores(predictions, [q["answer"] for q in questions]), questions, predictions


def main(argv=None):
    args = evaluation_arguments("Score the Week 3 QA model on fresh held-out questions.", "questions", 300,
                                "seed of the held-out paragraphs and questions", "w3_qa/assets/qa.pkl.gz", argv)
    started = time.perf_counter()
    try:
        scores, questions, predictions = evaluate_reference(args.n, args.seed, args.checkpoint)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for question, prediction in list(zip(questions, predictions))[:args.show]:
        mark = "right" if exact_match_score(prediction, question["answer"]) else "wrong"
        print(f"[{mark}] {question['question']} -> {prediction!r} (answer {question['answer']!r})")
    print(f"{scores['n']} held-out questions (seed {args.seed}) in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    print(json.dumps({"em": round(scores["exact_match"], 2), "f1": round(scores["f1"], 2), "n": scores["n"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Scoring a QA model: the SQuAD scores of its greedy answers to a list of questions.

`evaluate_model` joins `qa.answer_questions` (batched greedy decoding) and `evaluate.squad_scores` (exact
match and F1). Fine-tuning uses it to keep the best checkpoint by F1 (`train.finetune` with
select_by="f1"), the transfer curve to score each run on the test questions (`transfer.run`), and the
notebooks to score a model; `checkpoints.as_eval_model` gives the 'eval'-mode copy of a training model
it expects.
"""
from w3_qa.evaluate import squad_scores
from w3_qa.qa import DEFAULT_MAX_ANSWER, answer_questions


def evaluate_model(model, examples, tokenizer=None, max_length=None):
    """SQuAD scores of `model` on QA example dicts: {"exact_match", "f1", "n"} plus the predictions
    (greedy answers of at most `max_length` tokens; default: qa.DEFAULT_MAX_ANSWER)."""
    predictions = answer_questions(examples, model, tokenizer, max_length=max_length or DEFAULT_MAX_ANSWER)
    scores = squad_scores(predictions, [example["answer"] for example in examples])
    return scores, predictions

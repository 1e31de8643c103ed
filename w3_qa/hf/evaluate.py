"""SQuAD exact match and F1 of a Hugging Face question-answering model, with Week 3's definitions.

The scores come from `w3_qa.evaluate.squad_scores` (SQuAD v1.1's official normalisation and token F1), the
same function that scores Week 3's Trax model, so the two models' figures compare directly.
`transformers_squad_scores` computes them again with transformers' own SQuAD metric
(`transformers.data.metrics.squad_metrics`, the one its SQuAD scripts use), to show that the two agree.
"""
import time

from w3_qa import hf  # noqa: F401  (offline switches)


def qa_pipeline(folder_or_model, tokenizer=None):
    """`pipeline("question-answering", ...)` on the CPU from a local folder (or a model and tokenizer)."""
    from transformers import pipeline

    if tokenizer is None:
        return pipeline("question-answering", model=str(folder_or_model), tokenizer=str(folder_or_model),
                        device="cpu")
    return pipeline("question-answering", model=folder_or_model, tokenizer=tokenizer, device="cpu")


def predict(answerer, examples, batch_size=32):
    """The pipeline's answer (str) to each {"question", "context"} dict."""
    outputs = answerer(question=[e["question"] for e in examples], context=[e["context"] for e in examples],
                       batch_size=batch_size)
    if isinstance(outputs, dict):
        outputs = [outputs]
    return [output["answer"] for output in outputs]


def evaluate_qa(answerer, examples, batch_size=32):
    """{"exact_match", "f1" (0-100), "n", "seconds"} and the predictions of a QA pipeline on `examples`."""
    from w3_qa.evaluate import squad_scores

    start = time.perf_counter()
    predictions = predict(answerer, examples, batch_size)
    scores = squad_scores(predictions, [e["answer"] for e in examples])
    return {**scores, "seconds": round(time.perf_counter() - start, 1)}, predictions


def transformers_squad_scores(predictions, references):
    """{"exact_match", "f1" (0-100), "n"} by `transformers.data.metrics.squad_metrics`' compute_exact and
    compute_f1 (one reference per question). They equal Week 3's for every answerable question; they differ
    only for no-answer pairs (SQuAD v2.0: both sides empty after normalisation count 1, v1.1's script 0).
    """
    from transformers.data.metrics.squad_metrics import compute_exact, compute_f1

    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} predictions for {len(references)} references")
    if not references:
        raise ValueError("no predictions to score")
    exact = [compute_exact(reference, prediction) for prediction, reference in zip(predictions, references)]
    f1 = [compute_f1(reference, prediction) for prediction, reference in zip(predictions, references)]
    return {"exact_match": 100.0 * sum(exact) / len(exact), "f1": 100.0 * sum(f1) / len(f1), "n": len(exact)}


def trax_parameters(model):
    """The number of weights of a trax model."""
    import jax
    import numpy as np

    return int(sum(np.size(leaf) for leaf in jax.tree_util.tree_leaves(model.weights)))


def comparison_row(name, scores, train_seconds, parameters):
    """One row of the lab's comparison table: {"model", "exact_match", "f1", "n", "train_seconds",
    "answer_seconds", "parameters"}."""
    return {"model": name, "exact_match": round(scores["exact_match"], 1), "f1": round(scores["f1"], 1),
            "n": scores["n"], "train_seconds": round(train_seconds, 1),
            "answer_seconds": scores.get("seconds"), "parameters": int(parameters)}


def format_table(rows):
    """The comparison rows as a Markdown table (str)."""
    lines = ["| model | EM | F1 | questions | training (s) | answering (s) | parameters |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['model']} | {row['exact_match']:.1f} | {row['f1']:.1f} | {row['n']} | "
                     f"{row['train_seconds']:.0f} | {row['answer_seconds']} | {row['parameters']:,} |")
    return "\n".join(lines)

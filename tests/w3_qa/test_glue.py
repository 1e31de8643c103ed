"""Tests of w3_qa.glue (GLUE's metrics and score), the acceptability set, the encoder classifier's inputs and
training, and the GLUE-style table command."""
import json
import math

import numpy as np
import pytest

from w3_qa.data import generate_paragraphs
from w3_qa.data.acceptability import CORRUPTIONS, acceptability_examples, corrupt
from w3_qa.glue import GLUE_TASKS, accuracy, binary_f1, glue_score, matthews_corrcoef, task_score


def confusion(tp, tn, fp, fn):
    pairs = [(1, 1)] * tp + [(0, 0)] * tn + [(1, 0)] * fp + [(0, 1)] * fn
    return [p for p, _ in pairs], [label for _, label in pairs]


# -------------------------------------------------------------------------------------------------
# Metrics and the GLUE score
# -------------------------------------------------------------------------------------------------

def test_matthews_on_worked_counts():
    # (6 * 3 - 1 * 2) / sqrt(7 * 8 * 4 * 5) = 16 / sqrt(1120)
    assert matthews_corrcoef(*confusion(6, 3, 1, 2)) == pytest.approx(16 / math.sqrt(1120))
    assert matthews_corrcoef(*confusion(5, 5, 0, 0)) == 1.0
    assert matthews_corrcoef(*confusion(0, 0, 3, 4)) == -1.0


def test_matthews_is_zero_for_a_constant_prediction_that_accuracy_rewards():
    labels = [1] * 69 + [0] * 31
    assert accuracy([1] * 100, labels) == pytest.approx(0.69)
    assert matthews_corrcoef([1] * 100, labels) == 0.0
    assert matthews_corrcoef([0, 1, 0], [1, 1, 1]) == 0.0  # one class among the labels


def test_matthews_equals_pearson_correlation_of_the_binary_values():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 2, 200)
    predictions = np.where(rng.random(200) < 0.75, labels, 1 - labels)
    assert matthews_corrcoef(predictions, labels) == pytest.approx(np.corrcoef(predictions, labels)[0, 1])


def test_f1_and_accuracy():
    predictions, labels = confusion(6, 3, 1, 2)
    assert binary_f1(predictions, labels) == pytest.approx(12 / 15)
    assert binary_f1([0, 0], [1, 0]) == 0.0
    assert accuracy([0, 2, 1], [0, 1, 1]) == pytest.approx(2 / 3)


@pytest.mark.parametrize("predictions,labels,message", [
    ([0, 2], [0, 1], "class ids 0 and 1"),
    ([0.5, 1.0], [0, 1], "class ids 0 and 1"),
    ([], [], "non-empty"),
    ([0, 1, 1], [0, 1], "one prediction per label"),
])
def test_metric_errors(predictions, labels, message):
    with pytest.raises(ValueError, match=message):
        matthews_corrcoef(predictions, labels)


def test_glue_score_averages_metrics_within_a_task_then_tasks():
    mrpc = task_score({"f1": 0.9, "accuracy": 0.8})
    assert mrpc == pytest.approx(0.85)
    assert glue_score({"MRPC": mrpc, "CoLA": 0.5, "RTE": 0.65}) == pytest.approx(2.0 / 3)
    with pytest.raises(ValueError):
        task_score({})


def test_glue_has_its_nine_tasks():
    assert [t.name for t in GLUE_TASKS] == ["CoLA", "SST-2", "MRPC", "STS-B", "QQP", "MNLI", "QNLI", "RTE", "WNLI"]
    assert dict((t.name, t.metrics) for t in GLUE_TASKS)["CoLA"] == ("Matthews correlation",)


# -------------------------------------------------------------------------------------------------
# The acceptability set
# -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def paragraphs():
    return generate_paragraphs(60, seed=5)


def test_acceptability_is_balanced_deterministic_and_labelled_by_construction(paragraphs):
    examples = acceptability_examples(paragraphs, seed=2)
    assert examples == acceptability_examples(paragraphs, seed=2)
    labels = [e["label"] for e in examples]
    assert abs(labels.count("acceptable") - labels.count("unacceptable")) <= 1
    corruptions = {e["corruption"] for e in examples if e["label"] == "unacceptable"}
    assert corruptions == set(CORRUPTIONS)
    acceptable = {e["sentence"] for e in examples if e["label"] == "acceptable"}
    for example in examples:
        words = example["sentence"].rstrip(".").split()
        doubled = any(a == b for a, b in zip(words, words[1:]))
        assert doubled == (example["corruption"] == "repeated word"), example
        if example["label"] == "unacceptable":
            assert example["sentence"] not in acceptable


def test_corruptions():
    class FirstPlace:  # Draws stand-in: always the first choice
        def pick(self, options):
            return options[0]

        def randint(self, low, high):
            return low

    d = FirstPlace()
    assert corrupt("Ada Lorimer was born in Lorvik.", "word order", d) == "Ada was Lorimer born in Lorvik."
    assert corrupt("Ada Lorimer was born in Lorvik.", "agreement", d) == "Ada Lorimer were born in Lorvik."
    assert corrupt("Ada Lorimer was born in Lorvik.", "repeated word", d) == "Ada Lorimer Lorimer was born in Lorvik."
    assert corrupt("Ada Lorimer taught Cyril Garner.", "agreement", d) is None
    # Two capitalised neighbours are never swapped (that could make another name).
    assert corrupt("The Lorvik Bridge spans it.", "word order", d) == "The Lorvik spans Bridge it."
    with pytest.raises(ValueError, match="corruption"):
        corrupt("A b c.", "typo", d)


# -------------------------------------------------------------------------------------------------
# The classifier's inputs, training and the table
# -------------------------------------------------------------------------------------------------

class CharTokenizer:
    """One id per character (ids 10..), vocabulary 140: enough for the classifier's plumbing."""
    vocab_size = 140

    def tokenize(self, text):
        return [10 + (ord(c) % 128) for c in text]


def test_encode_example_reads_pairs_as_bert_does_and_trims_the_longest():
    from w3_qa.classifier import encode_example, encode_examples
    from w3_qa.tokenizer import CLS_ID, SEP_ID

    tok = CharTokenizer()
    pair = {"premise": "abcdef", "hypothesis": "xy", "label": "neutral"}
    assert encode_example(pair, "nli", tok, max_len=16) == [CLS_ID, *tok.tokenize("abcdef"), SEP_ID,
                                                            *tok.tokenize("xy"), SEP_ID]
    assert encode_example(pair, "nli", tok, max_len=7) == [CLS_ID, *tok.tokenize("ab"), SEP_ID,
                                                           *tok.tokenize("xy"), SEP_ID]
    sentence = {"sentence": "abc", "label": "acceptable"}
    assert encode_example(sentence, "acceptability", tok, max_len=8) == [CLS_ID, *tok.tokenize("abc"), SEP_ID]
    ids, labels = encode_examples([pair, dict(pair, label="contradiction")], "nli", tok, max_len=12)
    assert ids.shape == (2, 12) and ids.dtype == np.int32 and (ids[:, 11] == 0).all()
    assert labels.tolist() == [1, 2]
    with pytest.raises(ValueError, match="label of nli"):
        encode_examples([dict(pair, label="maybe")], "nli", tok)
    with pytest.raises(ValueError, match="'hypothesis'"):
        encode_examples([{"premise": "a", "label": "neutral"}], "nli", tok)
    with pytest.raises(ValueError, match="task must be one of"):
        encode_example(pair, "sst2", tok)


def test_classifier_learns_a_separable_task():
    """Sentences of 'a's vs of 'b's: a few steps of a tiny classifier separate them (and predict keeps order)."""
    import dataclasses

    from w3_qa import config as cfg
    from w3_qa.classifier import predict, train_classifier

    tok = CharTokenizer()
    rng = np.random.default_rng(0)
    examples = [{"sentence": ("a" if k % 2 else "b") * int(rng.integers(2, 9)),
                 "label": "acceptable" if k % 2 else "unacceptable"} for k in range(64)]
    config = dataclasses.replace(cfg.CLASSIFIER, d_model=16, d_ff=32, n_layers=1, n_heads=2, max_len=16,
                                 batch_size=16, warmup_steps=5, learning_rate=0.01, dropout=0.0,
                                 steps_per_checkpoint=40, eval_batches=1)
    model, history, _ = train_classifier(examples, examples[:16], "acceptability", tok, config, n_steps=40)
    predictions = predict(model, examples, "acceptability", tok, max_len=16, batch_size=32)
    assert predictions.tolist() == [k % 2 for k in range(64)]
    assert history[-1]["step"] == 40


def test_glue_table_command_writes_a_record(tmp_path, capsys, monkeypatch):
    import dataclasses

    from w3_qa import config as cfg
    from w3_qa import glue_table

    small = dataclasses.replace(cfg.CLASSIFIER, train_paragraphs=12, test_paragraphs=6, d_model=16, d_ff=32,
                                n_layers=1, n_heads=2, steps_per_checkpoint=2, eval_batches=1, batch_size=8)
    monkeypatch.setattr(cfg, "CLASSIFIER", small)
    out = tmp_path / "table.json"
    assert glue_table.main(["--seeds", "0,1", "--steps", "2", "--out", str(out)]) == 0
    record = json.loads(out.read_text())
    assert set(record["tasks"]) == {"nli", "acceptability"}
    nli, acceptability = record["tasks"]["nli"], record["tasks"]["acceptability"]
    assert nli["metric"] == "accuracy" and acceptability["metric"] == "matthews_corrcoef"
    assert [r["seed"] for r in nli["seeds"]] == [0, 1]
    assert acceptability["majority"]["score"] == 0.0  # a constant prediction
    assert 0.2 < nli["majority"]["score"] < 0.5
    assert record["glue_score"]["majority"] == pytest.approx(50 * nli["majority"]["score"])
    printed = capsys.readouterr().out
    assert "GLUE-style score" in printed and str(out) in printed
    with pytest.raises(SystemExit):
        glue_table.main(["--seeds", "x"])


def test_table_splits_share_no_entity():
    import dataclasses

    from w3_qa import config as cfg
    from w3_qa.glue_table import _paragraph_splits

    train, evaluation, test = _paragraph_splits(dataclasses.replace(cfg.CLASSIFIER, train_paragraphs=300,
                                                                    test_paragraphs=50))
    titles = [{p["title"] for p in split} for split in (train, evaluation, test)]
    assert len(test) == 50 and not titles[0] & titles[2] and not titles[0] & titles[1] and not titles[1] & titles[2]


def test_committed_table_matches_the_config_and_its_own_scores():
    """The notebook shows w3_qa/assets/glue_table.json: it must come from the configured recipe, and its means
    and GLUE-style score must follow from its per-seed scores."""
    import dataclasses

    from w3_qa import config as cfg
    from w3_qa.glue_table import format_table

    record = json.loads(cfg.GLUE_RESULTS.read_text())
    assert record["config"] == dataclasses.asdict(cfg.CLASSIFIER)
    assert record["n_steps"] == cfg.CLASSIFIER.n_steps
    for row in record["tasks"].values():
        assert row["mean"] == pytest.approx(np.mean([r["score"] for r in row["seeds"]]))
    assert record["glue_score"]["classifier"] == pytest.approx(
        100 * np.mean([row["mean"] for row in record["tasks"].values()]))
    assert "GLUE-style score" in format_table(record)

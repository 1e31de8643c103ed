"""The copy probe (w3_qa.probe): its items, its inputs, and its scoring on stub models whose fills are known."""
import json

import numpy as np
import pytest

from coursekit.tokenizer import EOS_ID
from w3_qa import probe as probe_module
from w3_qa.heldout import is_held_out
from w3_qa.probe import first_fill, probe, probe_inputs, probe_items, record
from w3_qa.tokenizer import default_tokenizer

N_ITEMS = 12


@pytest.fixture(scope="module")
def tokenizer():
    return default_tokenizer()


@pytest.fixture(scope="module")
def items():
    return probe_items(N_ITEMS, seed=0)


def test_items_are_held_out_paragraphs_with_a_fact_mentioned_twice(items):
    assert len(items) == N_ITEMS and len({item["title"] for item in items}) == N_ITEMS
    for item in items:
        assert is_held_out(item["title"])
        start, end = item["span"]
        assert item["text"][start:end] == item["answer"] and start in item["mentions"]
        assert len(item["mentions"]) >= 2 and all(
            item["text"][s:s + len(item["answer"])] == item["answer"] for s in item["mentions"])
        assert item["fact"] != "name"


def test_items_are_deterministic_and_do_not_depend_on_n(items):
    assert probe_items(N_ITEMS, seed=0) == items
    assert probe_items(5, seed=0) == items[:5]
    assert probe_items(5, seed=1) != items[:5]
    with pytest.raises(ValueError):
        probe_items(0)


def test_the_input_hides_the_chosen_mention_only_and_every_mention_hides_them_all(items, tokenizer):
    for item in items:
        ids, k = probe_inputs(item, tokenizer)
        text = tokenizer.detokenize(ids)
        assert ids[-1] == EOS_ID and k == 0 and "<X>" in text
        assert text.count(item["answer"]) == len(item["mentions"]) - 1
        ids, k = probe_inputs(item, tokenizer, every_mention=True)
        text = tokenizer.detokenize(ids)
        assert item["answer"] not in text
        assert k == item["mentions"].index(item["span"][0])
        ids, k = probe_inputs(item, tokenizer, form="cloze")
        text = tokenizer.detokenize(ids)
        assert k is None and text.startswith("question: ") and " context: " in text and "<X>" in text
        question, context = text.split(" context: ")
        assert item["answer"] not in question and item["answer"] in context  # the other mention, elsewhere


def test_the_fill_is_what_follows_its_sentinel_up_to_the_next(tokenizer):
    x, y, z = (tokenizer.sentinel_id(k) for k in range(3))
    words = tokenizer.tokenize("Branton Lighthouse")
    assert first_fill([x] + words + [y], 0, tokenizer) == "Branton Lighthouse"
    assert first_fill([x] + words, 0, tokenizer) == "Branton Lighthouse"
    assert first_fill([x, 99, y] + words + [z], 1, tokenizer) == "Branton Lighthouse"
    assert first_fill([x, y], 0, tokenizer) == ""
    assert first_fill(words, 0, tokenizer) is None


class StubModel:
    """The encoder-decoder's contract, model((inputs, targets)) -> (logits, targets), with the output of each
    input row looked up in `outputs` (tuple of input ids without padding -> output ids); unknown rows get EOS."""

    def __init__(self, outputs, vocab_size):
        self.outputs, self.vocab_size = outputs, vocab_size

    def __call__(self, batch):
        inputs, targets = batch
        logits = np.zeros(targets.shape + (self.vocab_size,), np.float32)
        for row, ids in enumerate(np.asarray(inputs)):
            wanted = self.outputs.get(tuple(int(t) for t in ids if t), []) + [EOS_ID]
            for position in range(targets.shape[1]):
                logits[row, position, wanted[min(position, len(wanted) - 1)]] = 1.0
        return logits, targets


def _stub(items, tokenizer, fill_of):
    """A stub whose fill of item i (in both inputs) is fill_of(i, item): the text, or None for no sentinel."""
    outputs = {}
    for i, item in enumerate(items):
        for every in (False, True):
            ids, k = probe_inputs(item, tokenizer, every)
            fill = fill_of(i, item, every)
            out = [] if fill is None else [tokenizer.sentinel_id(k)] + tokenizer.tokenize(fill) + [
                tokenizer.sentinel_id(k + 1)]
            outputs[tuple(ids)] = out
        ids, _ = probe_inputs(item, tokenizer, form="cloze")
        fill = fill_of(i, item, False)
        outputs[tuple(ids)] = [] if fill is None else tokenizer.tokenize(fill)
    return StubModel(outputs, tokenizer.vocab_size)


def test_a_model_that_copies_scores_100_and_one_that_never_does_scores_0(items, tokenizer):
    oracle = _stub(items, tokenizer, lambda i, item, every: item["answer"])
    scores = probe(oracle, items, tokenizer, batch_size=8)
    assert scores["copied"] == 100.0 and scores["guessed"] == 100.0 and scores["f1"] == 100.0
    assert scores["copied_cloze"] == 100.0
    assert scores["n"] == N_ITEMS and scores["no_fill"] == 0.0
    wrong = _stub(items, tokenizer, lambda i, item, every: "nowhere at all")
    scores = probe(wrong, items, tokenizer, batch_size=8)
    assert scores["copied"] == 0.0 and scores["guessed"] == 0.0


def test_copying_is_told_apart_from_guessing_and_counted_item_by_item(items, tokenizer):
    # copies the other mention for the first 9 items; with every mention masked it can only guess, wrongly
    copier = _stub(items, tokenizer, lambda i, item, every: None if i >= 9 else (
        "1736" if every else item["answer"]))
    scores = probe(copier, items, tokenizer, batch_size=8)
    assert scores["copied"] == 75.0 and scores["no_fill"] == 25.0 and scores["guessed"] == 0.0
    assert sum(scores["copied_by_fact"].values()) > 0
    assert scores["examples"][0] == [items[0]["answer"], items[0]["answer"]]
    # a fill with the right words and other spacing counts; a part of the answer does not
    partial = _stub(items, tokenizer, lambda i, item, every: item["answer"].split()[0] + " extra")
    assert probe(partial, items, tokenizer, batch_size=8)["copied"] == 0.0
    with pytest.raises(ValueError):
        probe(copier, [], tokenizer)


def test_results_are_recorded_per_checkpoint_and_seed(tmp_path):
    path = tmp_path / "probe.json"
    record({"checkpoint": "a.pkl.gz", "seed": 0, "copied": 1.0}, path)
    record({"checkpoint": "b.pkl.gz", "seed": 0, "copied": 2.0}, path)
    record({"checkpoint": "a.pkl.gz", "seed": 0, "copied": 3.0}, path)
    entries = json.loads(path.read_text())["probes"]
    assert [(e["checkpoint"], e["copied"]) for e in entries] == [("b.pkl.gz", 2.0), ("a.pkl.gz", 3.0)]


def test_the_command_refuses_a_missing_checkpoint(tmp_path, capsys):
    with pytest.raises(SystemExit):
        probe_module.main(["--checkpoint", str(tmp_path / "none.pkl.gz")])
    assert "no checkpoint at" in capsys.readouterr().err

"""SQuAD exact match and F1 agree with the official v1.1 evaluation script's formulas."""
import collections
import re
import string

import numpy as np
import pytest

from w3_qa.evaluate import exact_match_score, f1_score, normalize_answer, squad_scores


# The official SQuAD v1.1 evaluate-v1.1.py functions, restated as the reference.
def official_normalize(s):
    def remove_articles(text):
        return re.sub(r'\b(a|an|the)\b', ' ', text)

    def white_space_fix(text):
        return ' '.join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return ''.join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def official_f1(prediction, ground_truth):
    prediction_tokens = official_normalize(prediction).split()
    ground_truth_tokens = official_normalize(ground_truth).split()
    common = collections.Counter(prediction_tokens) & collections.Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    return (2 * precision * recall) / (precision + recall)


def official_em(prediction, ground_truth):
    return official_normalize(prediction) == official_normalize(ground_truth)


def test_the_course_example():
    assert exact_match_score("approximately five percent", "Approximately five percent") == 1.0
    assert f1_score("five percent", "approximately five percent") == pytest.approx(0.8)
    assert exact_match_score("five percent", "approximately five percent") == 0.0


def test_normalisation():
    assert normalize_answer("The  Treaty of Marlow!") == "treaty of marlow"
    assert normalize_answer("12,400") == "12400"
    assert normalize_answer("an apple, a pear") == "apple pear"
    assert normalize_answer("theatre") == "theatre"  # only whole-word articles go


def test_best_of_several_references():
    assert exact_match_score("1843", ["in 1843", "1843"]) == 1.0
    assert f1_score("in 1843", ["1843", "June 1843"]) == pytest.approx(2 / 3)


def test_agrees_with_the_official_formulas_on_random_answers():
    rng = np.random.default_rng(0)
    words = ["the", "a", "Ashbury", "1843", "river", "moths", "of", "Anna", "Hale,", "12,400", "an", "Hale"]
    for _ in range(2000):
        prediction = " ".join(rng.choice(words, rng.integers(0, 5)))
        truth = " ".join(rng.choice(words, rng.integers(1, 5)))
        assert f1_score(prediction, truth) == pytest.approx(official_f1(prediction, truth), abs=1e-12)
        assert exact_match_score(prediction, truth) == float(official_em(prediction, truth))


def test_squad_scores_are_percentages():
    scores = squad_scores(["1843", "Ashbury", "river moths"], ["1843", "Brackwell", ["a study of river moths"]])
    assert scores["exact_match"] == pytest.approx(100 / 3)
    assert scores["f1"] == pytest.approx(100 * (1 + 0 + 2 * 1 * (2 / 4) / 1.5) / 3)
    assert scores["n"] == 3
    with pytest.raises(ValueError):
        squad_scores(["a"], [])
    with pytest.raises(ValueError):
        squad_scores([], [])


@pytest.fixture(scope="module")
def untrained_checkpoint(tmp_path_factory):
    """The configured QA model with seeded random weights, saved as a checkpoint."""
    from coursekit.loop import save_weights
    from coursekit.trax_env import import_trax
    from w3_qa.train import input_signature, make_model

    trax = import_trax()
    model = make_model(mode="eval")
    model.init(input_signature(), rng=trax.fastmath.random.get_prng(0))
    return save_weights(model, tmp_path_factory.mktemp("w3_eval") / "qa.pkl.gz")


@pytest.mark.cost(20)
def test_the_evaluate_command_scores_fresh_held_out_questions(untrained_checkpoint, capsys):
    import json

    from w3_qa.evaluate import evaluate_reference, main
    from w3_qa.qa import answer_question
    from w3_qa.train import load_model

    assert main(["--n", "6", "--seed", "1", "--checkpoint", str(untrained_checkpoint), "--show", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert set(result) == {"em", "f1", "n"} and result["n"] == 6 and 0 <= result["em"] <= result["f1"] <= 100
    assert lines[0].startswith(("[right]", "[wrong]")) and len(lines) == 3
    # the batched answers (inputs padded to 192) are the graded function's (one at a time, padded to 256)
    scores, questions, predictions = evaluate_reference(6, 1, untrained_checkpoint)
    model = load_model(untrained_checkpoint)
    assert predictions == [answer_question(q["question"], q["context"], model) for q in questions]


def test_the_evaluate_command_refuses_a_missing_checkpoint(tmp_path, capsys):
    from w3_qa.evaluate import main

    with pytest.raises(SystemExit) as stop:
        main(["--n", "3", "--checkpoint", str(tmp_path / "none.pkl.gz")])
    assert stop.value.code == 2 and "no checkpoint" in capsys.readouterr().err

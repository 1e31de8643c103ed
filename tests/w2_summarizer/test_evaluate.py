"""ROUGE of summaries with Week 1's metrics agrees with rouge-score."""
import pytest
from rouge_score import rouge_scorer

from w1_nmt.metrics import lcs_length, rouge_l
from w2_summarizer.data import generate_examples
from w2_summarizer.evaluate import mean_rouge_f1, rouge_scores, rouge_tokens


def test_rouge_tokens_match_rouge_score_tokenizer():
    from rouge_score import tokenize

    for text in ["Rovers beat United 3-1 at Oakfield Park, on Saturday!", "Revenue rose 35% to $134m."]:
        assert rouge_tokens(text) == tokenize.tokenize(text, None)


def test_lcs_and_rouge_l_by_hand():
    assert lcs_length("the cat sat".split(), "the fat cat".split()) == 2
    assert lcs_length([], ["a"]) == 0
    precision, recall, f1 = rouge_l("the cat sat".split(), ["the fat cat sat down".split()])
    assert (precision, recall) == (1.0, 0.6) and f1 == pytest.approx(0.75)


def test_rouge_agrees_with_rouge_score_on_generated_summaries():
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
    examples = generate_examples(120, seed=7)
    # candidates: other examples' summaries (partial overlaps) and shuffled own summaries
    pairs = [(examples[i]["summary"], examples[(i + 4) % 120]["summary"]) for i in range(120)]
    pairs += [(" ".join(reversed(e["summary"].split())), e["summary"]) for e in examples[:30]]
    for candidate, reference in pairs:
        ours = rouge_scores(candidate, reference)
        theirs = scorer.score(reference, candidate)
        for name in ("rouge1", "rouge2", "rougeL"):
            assert ours[name] == pytest.approx((theirs[name].precision, theirs[name].recall,
                                                theirs[name].fmeasure), abs=1e-12)


def test_mean_rouge_checks_lengths():
    assert mean_rouge_f1(["a b"], ["a b"]) == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}
    with pytest.raises(ValueError, match="as many candidates as references"):
        mean_rouge_f1(["a"], [])


def test_fact_recall_counts_whole_facts_only():
    from w2_summarizer.evaluate import fact_recall

    examples = [{"facts": {"score": "3-1", "venue": "Oakfield Park"}},
                {"facts": {"score": "2-0", "venue": "Mill Lane"}},
                {"facts": {"revenue": "$134 million"}}, {"facts": None}]
    summaries = ["Rovers won 3-1 at Oakfield Park.", "United won 12-0 at Mill Laneway on Sunday",
                 "Revenue was $134 million, up 4%.", "anything"]
    assert fact_recall(examples, summaries) == {"revenue": 1.0, "score": 0.5, "venue": 0.5, "all": 0.6}
    with pytest.raises(ValueError, match="one summary per example"):
        fact_recall(examples, summaries[:1])


def test_reference_summaries_restate_every_fact():
    from w2_summarizer.evaluate import fact_recall

    examples = generate_examples(200, seed=3)
    recall = fact_recall(examples, [example["summary"] for example in examples])
    assert recall["all"] == 1.0 and len(recall) > 15
    wrong_number = [example["summary"].replace(example["facts"]["score"], "9-9") if example["topic"] == "match"
                    else example["summary"] for example in examples]
    assert fact_recall(examples, wrong_number)["score"] == 0.0


def test_fresh_examples_are_in_no_split():
    from w2_summarizer.config import DEFAULT
    from w2_summarizer.data import make_splits
    from w2_summarizer.evaluate import fresh_examples

    fresh = fresh_examples(50, seed=1)
    assert len(fresh) == 50 and len({e["article"] for e in fresh}) == 50
    assert fresh == fresh_examples(50, seed=1) and fresh != fresh_examples(50, seed=2)
    splits = make_splits(n_train=DEFAULT.n_train, n_eval=DEFAULT.n_eval, n_test=DEFAULT.n_test, seed=DEFAULT.seed)
    seen = {e["article"] for split in splits.values() for e in split}
    assert not seen & {e["article"] for e in fresh}
    with pytest.raises(ValueError, match="n must be"):
        fresh_examples(0, seed=1)

"""The Hugging Face lab (w3_qa.hf), offline: a WordPiece tokenizer and BERT models built here, saved with
save_pretrained and loaded back with from_pretrained; datasets of the course's data; BERT's masking; the
question-answering pipeline's stages against the pipeline itself; bad input; a Trainer run."""
import json
import os

import numpy as np
import pytest

import w3_qa.hf  # noqa: E402,F401  (first: the hub's offline switches are read when it is imported)

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from w3_qa.data import make_splits  # noqa: E402
from w3_qa.evaluate import squad_scores  # noqa: E402
from w3_qa.hf import data as hf_data  # noqa: E402
from w3_qa.hf import evaluate as hf_evaluate  # noqa: E402
from w3_qa.hf import models, stages  # noqa: E402
from w3_qa.hf import train as hf_train  # noqa: E402
from w3_qa.hf.tokenizer import (DEFAULT_VOCAB_SIZE, SPECIAL_TOKENS, default_tokenizer, load_tokenizer,  # noqa: E402
                                train_wordpiece)

transformers.utils.logging.disable_progress_bar()
transformers.utils.logging.set_verbosity_error()

TINY = dict(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64)


@pytest.fixture(scope="module")
def splits():
    return make_splits(n_pretrain=150, n_train=60, n_eval=6, n_test=24, seed=5)


@pytest.fixture(scope="module")
def tokenizer(splits):
    return train_wordpiece([p["text"] for p in splits["pretrain"]], vocab_size=1200)


@pytest.fixture(scope="module")
def qa_folder(tokenizer, tmp_path_factory):
    """A tiny random QA model and its tokenizer, saved as a user would find a hub checkpoint."""
    folder = tmp_path_factory.mktemp("hf") / "qa"
    model = models.build_model("question-answering", tokenizer, seed=1, **TINY)
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def qa_model(qa_folder):
    return transformers.AutoModelForQuestionAnswering.from_pretrained(str(qa_folder)).eval()


# ------------------------------------------------------------------------------------------ tokenizer

def test_package_switches_the_hub_off():
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["HF_DATASETS_OFFLINE"] == "1"


def test_wordpiece_tokenizer_has_berts_special_tokens_and_round_trips_through_a_folder(tokenizer, tmp_path):
    assert [tokenizer.convert_tokens_to_ids(t) for t in SPECIAL_TOKENS] == [0, 1, 2, 3, 4]
    assert (tokenizer.pad_token, tokenizer.cls_token, tokenizer.sep_token, tokenizer.mask_token) == (
        "[PAD]", "[CLS]", "[SEP]", "[MASK]")
    pair = tokenizer("Who founded it?", "Emil Carver founded Corvik in 1668.")
    tokens = tokenizer.convert_ids_to_tokens(pair["input_ids"])
    assert tokens[0] == "[CLS]" and tokens.count("[SEP]") == 2 and tokens[-1] == "[SEP]"
    first_sep = tokens.index("[SEP]")
    assert set(pair["token_type_ids"][:first_sep + 1]) == {0} and set(pair["token_type_ids"][first_sep + 1:]) == {1}
    context_ids = [i for i, t in zip(pair["input_ids"], pair["token_type_ids"]) if t == 1][:-1]
    assert tokenizer.decode(context_ids) == "Emil Carver founded Corvik in 1668."  # cased, no [UNK]
    tokenizer.save_pretrained(str(tmp_path))
    loaded = load_tokenizer(tmp_path)
    assert loaded("Who founded it?", "Emil Carver founded Corvik in 1668.")["input_ids"] == pair["input_ids"]
    assert len(loaded) == len(tokenizer) <= 1200


def test_wordpiece_ids_are_special_tokens_then_sorted_and_arguments_are_checked(splits):
    texts = [p["text"] for p in splits["pretrain"][:40]]
    vocab = train_wordpiece(texts, 300).get_vocab()
    tokens = sorted(vocab, key=vocab.get)
    assert tuple(tokens[:5]) == SPECIAL_TOKENS and tokens[5:] == sorted(tokens[5:])
    assert {"?", "!", "Q", "##q", "7"} <= set(tokens)  # all of ASCII, even characters the texts lack
    with pytest.raises(ValueError, match="non-empty texts"):
        train_wordpiece([])
    with pytest.raises(ValueError, match="vocab_size"):
        train_wordpiece(texts, 10)


def test_the_packaged_tokenizer_is_a_training_on_the_default_corpus():
    from w3_qa.config import DEFAULT
    from w3_qa.tokenizer import corpus_texts

    packaged = default_tokenizer()
    assert len(packaged) == DEFAULT_VOCAB_SIZE and packaged.model_max_length == 384
    corpus = make_splits(n_pretrain=DEFAULT.n_pretrain, n_train=DEFAULT.n_train, n_eval=DEFAULT.n_eval,
                         n_test=DEFAULT.n_test, seed=DEFAULT.seed)
    fresh = set(train_wordpiece(corpus_texts(corpus)).get_vocab())
    assert len(fresh ^ set(packaged.get_vocab())) <= 0.02 * DEFAULT_VOCAB_SIZE  # only tied merges may differ


def test_load_tokenizer_names_a_folder_without_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="no tokenizer"):
        load_tokenizer(tmp_path)


# ------------------------------------------------------------------------------------------ data

def test_qa_dataset_has_squads_schema(splits):
    dataset = hf_data.qa_dataset(splits["train"][:5])
    assert dataset.column_names == ["id", "title", "context", "question", "answers"]
    row, example = dataset[0], splits["train"][0]
    assert row["answers"] == {"text": [example["answer"]], "answer_start": [example["answer_start"]]}
    start = row["answers"]["answer_start"][0]
    assert row["context"][start:start + len(row["answers"]["text"][0])] == row["answers"]["text"][0]


def test_qa_dataset_rejects_an_answer_that_is_not_at_its_offset(splits):
    broken = dict(splits["train"][0], answer_start=0, answer="not here")
    with pytest.raises(ValueError, match="not at answer_start"):
        hf_data.qa_dataset([broken])
    with pytest.raises(ValueError, match="lacks"):
        hf_data.qa_dataset([{"question": "q"}])


def test_squad_file_dataset_reads_a_users_file(tmp_path):
    context = "Ada Lorimer was born in Corvik in 1815."
    squad = {"version": "1.1", "data": [{"title": "Ada Lorimer", "paragraphs": [{"context": context, "qas": [
        {"id": "q1", "question": "Where was Ada Lorimer born?", "answers": [{"text": "Corvik", "answer_start": 24}]},
        {"id": "q2", "question": "When?", "answers": [{"text": "1815", "answer_start": 34}]}]}]}]}
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(squad), encoding="utf-8")
    dataset = hf_data.squad_file_dataset(path)
    assert dataset["id"] == ["q1", "q2"] and dataset["answers"][1] == {"text": ["1815"], "answer_start": [34]}
    assert len(hf_data.squad_file_dataset(path, max_examples=1)) == 1


def test_review_examples_are_balanced_seeded_and_negate_some_adjectives():
    reviews = hf_data.review_examples(400, seed=2)
    assert reviews == hf_data.review_examples(400, seed=2) and reviews != hf_data.review_examples(400, seed=3)
    assert sum(r["label"] for r in reviews) == 200
    negated = [r for r in reviews if " not " in r["text"]]
    assert 60 <= len(negated) <= 140
    praised = [r for r in reviews if any(f" {w}." in r["text"] for w in hf_data._POSITIVE)]
    assert {r["label"] for r in praised} == {0, 1}  # a praising word alone does not give the label
    assert all(r["label"] == (" not " not in r["text"]) for r in praised)  # "not wonderful" is negative
    with pytest.raises(ValueError, match="n must be"):
        hf_data.review_examples(-1)


def test_qa_features_point_at_the_answer_tokens(splits, tokenizer):
    dataset = hf_data.qa_dataset(splits["train"][:30])
    batch = dataset[:30]
    features = hf_data.qa_features(batch, tokenizer, max_length=384, stride=64)
    assert len(features["input_ids"]) == 30  # contexts fit one window
    for i, example in enumerate(splits["train"][:30]):
        start, end = features["start_positions"][i], features["end_positions"][i]
        assert 0 < start <= end
        span = tokenizer.decode(features["input_ids"][i][start:end + 1])
        assert span.replace(" ", "") == example["answer"].replace(" ", "")


def test_qa_features_label_windows_without_the_answer_with_cls(splits, tokenizer):
    batch = hf_data.qa_dataset(splits["train"][:10])[:10]
    features = hf_data.qa_features(batch, tokenizer, max_length=64, stride=16)
    assert len(features["input_ids"]) > 10  # long contexts overflow into several windows
    assert all(len(ids) == 64 for ids in features["input_ids"])
    labels = list(zip(features["start_positions"], features["end_positions"]))
    assert (0, 0) in labels and any(start > 0 for start, _ in labels)
    for ids, (start, end) in zip(features["input_ids"], labels):
        assert start <= end < 64


# ------------------------------------------------------------------------------------------ models

@pytest.mark.parametrize("task", models.TASKS)
def test_models_are_built_from_a_config_and_load_back_from_their_folder(task, tokenizer, tmp_path):
    labels = ("negative", "positive") if task == "text-classification" else None
    model = models.build_model(task, tokenizer, labels=labels, seed=0, **TINY).eval()
    assert model.config.vocab_size == len(tokenizer) and model.config.hidden_size == 32
    model.save_pretrained(str(tmp_path))
    auto = {"question-answering": transformers.AutoModelForQuestionAnswering,
            "fill-mask": transformers.AutoModelForMaskedLM,
            "text-classification": transformers.AutoModelForSequenceClassification}[task]
    loaded = auto.from_pretrained(str(tmp_path)).eval()
    inputs = tokenizer("Who founded Corvik?", "Emil Carver founded Corvik.", return_tensors="pt")
    with torch.no_grad():
        first, second = model(**inputs), loaded(**inputs)
    for name in first.keys():
        np.testing.assert_allclose(first[name].numpy(), second[name].numpy(), atol=1e-6)
    if labels:
        assert loaded.config.id2label == {0: "negative", 1: "positive"}


def test_models_are_seeded_and_check_their_arguments(tokenizer):
    first = models.build_model("fill-mask", tokenizer, seed=4, **TINY)
    second = models.build_model("fill-mask", tokenizer, seed=4, **TINY)
    assert all(torch.equal(a, b) for a, b in zip(first.parameters(), second.parameters()))
    assert models.count_parameters(first) == sum(p.numel() for p in second.parameters())
    with pytest.raises(ValueError, match="task must be one of"):
        models.build_model("translation", tokenizer)
    with pytest.raises(ValueError, match="needs its labels"):
        models.build_model("text-classification", tokenizer)
    with pytest.raises(ValueError, match="distinct"):
        models.bert_config(tokenizer, labels=("a", "a"))


def test_loading_a_hub_name_fails_fast_offline():
    with pytest.raises(OSError):
        transformers.AutoTokenizer.from_pretrained("no-such-user/no-such-checkpoint-w3")


# ------------------------------------------------------------------------------------------ masking

def test_berts_masking_chooses_15_percent_then_80_10_10(tokenizer, splits):
    collator = transformers.DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15, seed=0)
    texts = [p["text"] for p in splits["pretrain"]]
    features = [hf_data.mlm_features({"text": [t]}, tokenizer) for t in texts]
    rows = [{key: value[0] for key, value in f.items()} for f in features]
    batch = collator(rows)
    labels, inputs = batch["labels"].numpy(), batch["input_ids"].numpy()
    special = np.isin(inputs, [0, 2, 3]) & (labels == -100)
    chosen = labels != -100
    eligible = ~special
    rate = chosen.sum() / eligible.sum()
    assert 0.13 < rate < 0.17, rate
    masked = (inputs[chosen] == tokenizer.mask_token_id).mean()
    kept = (inputs[chosen] == labels[chosen]).mean()
    assert 0.76 < masked < 0.84 and 0.07 < kept < 0.13 and 0.07 < 1 - masked - kept < 0.13
    assert not chosen[:, 0].any()  # [CLS] is never chosen


# ------------------------------------------------------------------------------------------ the pipeline

def test_the_three_stages_agree_with_the_question_answering_pipeline(qa_folder, qa_model, tokenizer, splits):
    answerer = hf_evaluate.qa_pipeline(qa_folder)  # the one-line form a user writes, on the local folder
    for example in splits["test"]:
        mine = stages.answer_by_stages(example["question"], example["context"], qa_model, tokenizer)
        theirs = answerer(question=example["question"], context=example["context"])
        assert (mine["answer"], mine["start"], mine["end"]) == (theirs["answer"], theirs["start"], theirs["end"])
        assert mine["score"] == pytest.approx(theirs["score"], rel=1e-4, abs=1e-7)
        assert example["context"][mine["start"]:mine["end"]] == mine["answer"]
        assert mine["start_logits"].shape == mine["end_logits"].shape == (len(mine["tokens"]),)


def test_stage_one_shows_the_tokenizer_output(tokenizer):
    context = "Emil Carver founded Corvik."
    encoded = stages.preprocess("Who founded Corvik?", context, tokenizer)
    assert encoded["tokens"][0] == "[CLS]" and encoded["sequence_ids"][0] is None
    assert encoded["inputs"]["input_ids"].shape == (1, len(encoded["tokens"]))
    pieces = [(token, offset) for token, offset, s in zip(encoded["tokens"], encoded["offsets"],
                                                          encoded["sequence_ids"]) if s == 1]
    assert pieces[0][1][0] == 0 and pieces[-1][1][1] == len(context)
    assert all(token.removeprefix("##") == context[start:end] for token, (start, end) in pieces)


def test_evaluation_scores_the_pipelines_answers_with_week_3s_definitions(qa_folder, splits):
    answerer = hf_evaluate.qa_pipeline(qa_folder)
    scores, predictions = hf_evaluate.evaluate_qa(answerer, splits["test"], batch_size=8)
    assert predictions == [answerer(question=e["question"], context=e["context"])["answer"] for e in splits["test"]]
    expected = squad_scores(predictions, [e["answer"] for e in splits["test"]])
    assert {k: scores[k] for k in expected} == expected and scores["n"] == len(splits["test"])


def test_week_3s_scores_agree_with_transformers_squad_metric(qa_folder, splits):
    answerer = hf_evaluate.qa_pipeline(qa_folder)
    _, predictions = hf_evaluate.evaluate_qa(answerer, splits["test"], batch_size=8)
    references = [e["answer"] for e in splits["test"]]
    handmade = [("The Ashbury Museum", "Ashbury Museum"), ("in 1861", "1861"), ("1862", "1861"), ("", "1861"),
                ("Emil  CARVER!", "emil carver"), ("a river port", "river port on the Esk"), ("12,400", "12400"),
                ("the the", "The Mill House")]
    predictions += [p for p, _ in handmade]
    references += [r for _, r in handmade]
    ours, theirs = squad_scores(predictions, references), hf_evaluate.transformers_squad_scores(predictions, references)
    assert ours["n"] == theirs["n"] == len(references)
    assert ours["exact_match"] == pytest.approx(theirs["exact_match"]) and ours["f1"] == pytest.approx(theirs["f1"])
    with pytest.raises(ValueError, match="predictions for"):
        hf_evaluate.transformers_squad_scores(["a"], [])


def test_bad_input_gets_the_pipelines_behaviour_or_a_clear_error(qa_folder, qa_model, tokenizer, splits):
    answerer = hf_evaluate.qa_pipeline(qa_folder)
    context = splits["test"][0]["context"]
    with pytest.raises(ValueError, match="empty"):
        answerer(question="", context=context)
    with pytest.raises(ValueError, match="question is empty"):
        stages.preprocess("  ", context, tokenizer)
    with pytest.raises(ValueError, match="context is empty"):
        stages.preprocess("Who?", "", tokenizer)
    with pytest.raises(TypeError, match="must be a str"):
        stages.preprocess(None, context, tokenizer)
    # A context without the answer: an extractive model still points at a span of the context...
    unrelated = "The weather in Corvik was mild all year."
    answer = answerer(question="Who founded the Mill House?", context=unrelated)
    assert unrelated[answer["start"]:answer["end"]] == answer["answer"] != ""
    # ... unless the null answer ([CLS], scored p_start[CLS] * p_end[CLS]) is allowed to compete.
    candidates = answerer(question="Who founded the Mill House?", context=unrelated, handle_impossible_answer=True,
                          top_k=1000)
    null = [candidate for candidate in candidates if candidate["answer"] == "" and candidate["score"] > 0]
    assert len(null) == 1 and (null[0]["start"], null[0]["end"]) == (0, 0) and 0.0 < null[0]["score"] < 1.0
    # An over-long context: the pipeline reads it in overlapping windows; the stages say they read one.
    long_context = " ".join(example["context"] for example in splits["test"][:8])
    answer = answerer(question="Who founded it?", context=long_context)
    assert long_context[answer["start"]:answer["end"]] == answer["answer"]
    with pytest.raises(ValueError, match="doc_stride"):
        stages.answer_by_stages("Who founded it?", long_context, qa_model, tokenizer)


def test_fill_mask_and_text_classification_pipelines_load_from_folders(tokenizer, tmp_path):
    for task, labels in (("fill-mask", None), ("text-classification", ("negative", "positive"))):
        folder = tmp_path / task
        models.build_model(task, tokenizer, labels=labels, **TINY).save_pretrained(str(folder))
        tokenizer.save_pretrained(str(folder))
        runner = transformers.pipeline(task, model=str(folder), device="cpu")
        if task == "fill-mask":
            out = runner("Emil Carver founded [MASK] in 1668.", top_k=3)
            assert len(out) == 3 and all("[MASK]" not in o["sequence"] for o in out)
            with pytest.raises(Exception, match="mask"):
                runner("No mask token here.")
        else:
            out = runner("The regatta was wonderful.")
            assert out[0]["label"] in labels and 0.0 <= out[0]["score"] <= 1.0


# ------------------------------------------------------------------------------------------ training

def test_trainer_runs_are_seeded_and_learn(tokenizer, splits):
    config = hf_train.LabConfig(max_length=256, batch_size=8, learning_rate=3e-3, seed=0)
    examples = splits["train"][:16]
    runs = [hf_train.finetune_qa(tokenizer, examples, steps=12, config=config, progress=False) for _ in range(2)]
    (first, record), (second, _) = runs
    assert record["steps"] == 12 and len(record["losses"]) >= 2
    assert record["losses"][-1] < record["losses"][0]
    assert all(torch.equal(a, b) for a, b in zip(first.parameters(), second.parameters()))


def test_build_lab_writes_folders_that_load_with_pipelines(tmp_path, splits, tokenizer, monkeypatch):
    monkeypatch.setattr(models, "DEFAULT_SIZE", {**models.DEFAULT_SIZE, **TINY})
    config = hf_train.LabConfig(max_length=256, n_pretrain=150, n_train=30, mlm_steps=3,
                                qa_steps=3, review_steps=3, n_reviews=40, batch_size=4)
    record = hf_train.build_lab(tmp_path, config, data=splits, tokenizer=tokenizer, progress=False)
    assert json.loads((tmp_path / "lab.json").read_text()) == record
    for name in ("fill-mask", "qa", "text-classification"):
        assert record[name]["steps"] == 3 and record[name]["parameters"] > 0
    qa = hf_evaluate.qa_pipeline(tmp_path / "qa")
    assert isinstance(qa(question="Who?", context=splits["test"][0]["context"])["answer"], str)
    fill = transformers.pipeline("fill-mask", model=str(tmp_path / "fill-mask"), device="cpu")
    assert len(fill("The town grew up around a [MASK].")) == 5

# Template of source/w3_hf_lab/w3_hf_lab.ipynb (an ungraded lab): see tools/build_notebooks.py for the cell
# format. The code it runs lives in w3_qa/hf/; edit the library, then `make notebooks`.

# %% [markdown]
# # Week 3 lab: the Hugging Face ecosystem, offline
#
# Hugging Face's libraries are how most people use Transformers today: `transformers` (models, tokenizers,
# pipelines, the `Trainer`), `tokenizers` (fast tokenizer training) and `datasets`. Its **model hub** holds
# hundreds of thousands of **checkpoints**: a model's configuration and weights with its tokenizer, loaded
# by name with `from_pretrained("name")`.
#
# This machine cannot reach the hub, and a course should not depend on it anyway. So every checkpoint here
# is **built by our own code**: a WordPiece tokenizer trained on the course's paragraphs, small BERT models
# made from a configuration, trained with the `Trainer` on Week 3's generated data, saved with
# `save_pretrained(folder)` and loaded back with `from_pretrained(folder)`, exactly as you would load
# `from_pretrained("bert-base-cased")`. You will
#
# 1. build `datasets.Dataset`s from Week 3's questions (or your own SQuAD file),
# 2. train and use a **WordPiece** tokenizer,
# 3. pre-train a BERT by **masked language modelling** and use it through `pipeline("fill-mask")`,
# 4. **fine-tune** it for question answering with the `Trainer`,
# 5. open up `pipeline("question-answering")`: its **three stages** (pre-processing, model,
#    post-processing) one at a time, side by side with the pipeline's own answer,
# 6. score answers with SQuAD's exact match and F1, train a sentiment-style classifier, and compare the
#    Hugging Face model with Week 3's Trax model.
#
# Nothing is graded: run the cells and read what they print. The full lab trains for about ten minutes on
# two CPU cores.

# %%
# Setup. Importing w3_qa.hf first switches the hub off (HF_HUB_OFFLINE=1): nothing here downloads anything.
import os
import pathlib
import tempfile

import w3_qa.hf  # noqa: F401
import datasets
import numpy as np
import torch
import transformers

transformers.utils.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()  # loading bars; the Trainer keeps its own
datasets.disable_progress_bars()
torch.manual_seed(0)

# W3_HF_LAB_FAST=1 (set by the course's tests) makes the training runs tiny; leave it unset.
FAST = os.environ.get("W3_HF_LAB_FAST") == "1"
# Our "hub": one folder per checkpoint (the tests' tiny models go to their own folder).
MODELS = pathlib.Path(tempfile.gettempdir()) / ("w3_hf_lab_fast" if FAST else "w3_hf_lab")
print("transformers", transformers.__version__, "| torch", torch.__version__, "| models in", MODELS)

# %% [markdown]
# ## 1. Datasets
#
# `datasets.Dataset` is a table (stored in Apache Arrow) with named columns, fast `map` over batches and
# easy shuffling and splitting. SQuAD's layout is the standard one for extractive question answering: each
# row has an `id`, a `title`, the `context`, the `question`, and `answers` with the answer texts and their
# character offsets in the context. Week 3's generated questions convert to it directly.

# %%
from w3_qa.data import make_splits  # noqa: E402
from w3_qa.hf.data import qa_dataset, squad_file_dataset  # noqa: E402

splits = make_splits(n_pretrain=400 if FAST else 4000, n_train=200 if FAST else 4000, n_eval=20 if FAST else 300,
                     n_test=40 if FAST else 300)
train_set = qa_dataset(splits["train"])
print(train_set)
row = train_set[0]
print(row["question"], "->", row["answers"])
start = row["answers"]["answer_start"][0]
print("context[start:start + len(answer)] =", repr(row["context"][start:start + len(row["answers"]["text"][0])]))

# %% [markdown]
# A SQuAD v1.1 file of your own (the official `train-v1.1.json`, say) loads the same way. Here we write a tiny
# one first, since nothing may be downloaded:

# %%
import json  # noqa: E402

squad_file = MODELS / "tiny-squad.json"
squad_file.parent.mkdir(parents=True, exist_ok=True)
squad_file.write_text(json.dumps({"version": "1.1", "data": [{"title": "Corvik", "paragraphs": [{
    "context": "Corvik is a river port on the Esk. Emil Carver founded it in 1668.",
    "qas": [{"id": "corvik-1", "question": "Who founded Corvik?",
             "answers": [{"text": "Emil Carver", "answer_start": 35}]}]}]}]}))
print(squad_file_dataset(squad_file)[0])

# %% [markdown]
# ## 2. A WordPiece tokenizer
#
# BERT splits text into **WordPiece** units: frequent words stay whole, rare ones break into pieces, and a
# piece that continues a word starts with `##`. `tokenizers` learns such a vocabulary from text in seconds.
# Wrapped as a `transformers` tokenizer, it adds BERT's special tokens: `[CLS] question [SEP] context [SEP]`,
# with **token type ids** 0 for the question and 1 for the context.

# %%
from w3_qa.hf.tokenizer import default_tokenizer, train_wordpiece  # noqa: E402

small = train_wordpiece([p["text"] for p in splits["pretrain"][:300]], vocab_size=600)
print("600-token vocabulary:", small.tokenize("Emil Carver founded Lower Lorford Hill in 1668."))
tokenizer = default_tokenizer()  # 4000 tokens, trained on the whole corpus and packaged with the course
print("4000-token vocabulary:", tokenizer.tokenize("Emil Carver founded Lower Lorford Hill in 1668."))
pair = tokenizer("Who founded it?", "Emil Carver founded it.")
print(tokenizer.convert_ids_to_tokens(pair["input_ids"]))
print("token type ids:", pair["token_type_ids"])

# %% [markdown]
# The packaged tokenizer is a training like `small` on the whole corpus, saved with `save_pretrained`. It is
# committed rather than retrained each time because `tokenizers` breaks ties between equally frequent merges
# in an order that changes from run to run; a model needs the exact vocabulary it was trained with.
#
# ## 3. Models from a configuration, and masked language modelling
#
# `BertConfig` describes a model (vocabulary, layers, hidden size, heads); `AutoModelFor...from_config`
# builds it with random weights; the task decides the head on top of the shared encoder: a vocabulary-sized
# output per token for **fill-mask**, a start and an end score per token for **question answering**, a
# label per sequence for **text classification**.
#
# BERT's pre-training task is **masked language modelling**: 15% of the tokens are chosen; of these, 80%
# become `[MASK]`, 10% a random token and 10% stay as they are, and the model predicts the originals.
# `DataCollatorForLanguageModeling` draws these masks afresh for every batch (Week 3's `bert_mask` is the
# same rule):

# %%
from transformers import DataCollatorForLanguageModeling  # noqa: E402

from w3_qa.hf.data import mlm_features  # noqa: E402
from w3_qa.hf.models import build_model, count_parameters  # noqa: E402

collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15, seed=0)
features = mlm_features({"text": [splits["pretrain"][0]["text"]]}, tokenizer)
batch = collator([{key: value[0] for key, value in features.items()}])
chosen = batch["labels"][0] != -100
print("masked input:", tokenizer.decode(batch["input_ids"][0][:40]))
print(f"{int(chosen.sum())} of {len(chosen)} tokens chosen; their originals:",
      tokenizer.convert_ids_to_tokens(batch["labels"][0][chosen][:10].tolist()))
for task in ("fill-mask", "question-answering"):
    print(f"{task}: {count_parameters(build_model(task, tokenizer)):,} parameters")

# %% [markdown]
# `w3_qa.hf.train.pretrain_mlm` runs that with the `Trainer`: give it the model, the `TrainingArguments`
# (steps, learning rate, batch size, seed; on the CPU, nothing reported to outside services), the dataset and
# the collator, and call `train()`. Then `save_pretrained` writes the checkpoint folder.

# %% [demonstration]
from w3_qa.hf.train import LabConfig, finetune_qa, pretrain_mlm, train_classifier  # noqa: E402

LAB = LabConfig(mlm_steps=10 if FAST else 300, qa_steps=10 if FAST else 600, review_steps=10 if FAST else 150,
                n_reviews=200 if FAST else 2000)
texts = [p["text"] for p in splits["pretrain"]]
mlm_model, mlm_record = pretrain_mlm(tokenizer, texts, LAB.mlm_steps, LAB)
mlm_model.save_pretrained(MODELS / "fill-mask")
tokenizer.save_pretrained(MODELS / "fill-mask")
print(f"{mlm_record['steps']} steps in {mlm_record['seconds']:.0f} s; loss {mlm_record['losses'][0]} -> "
      f"{mlm_record['losses'][-1]}")
print(sorted(p.name for p in (MODELS / "fill-mask").iterdir()))

# %% [markdown]
# ## 4. Pipelines
#
# A **pipeline** wraps the three steps of using a model: **pre-processing** (the tokenizer turns text into
# tensors), the **model** (tensors to scores), **post-processing** (scores to an answer a person can read).
# `pipeline(task, model=...)` takes a hub name or, as here, a local folder. After a few minutes of
# pre-training the guesses are mostly frequent words of the right position; more steps (`LabConfig.mlm_steps`)
# make them sharper:

# %%
from transformers import pipeline  # noqa: E402

fill = pipeline("fill-mask", model=str(MODELS / "fill-mask"), device="cpu")
for guess in fill("The town grew up around a crossing of the [MASK] Esk.", top_k=3):
    print(f"{guess['token_str']:>10}  {guess['score']:.3f}  {guess['sequence']}")

# %% [markdown]
# ## 5. Fine-tuning for question answering
#
# Extractive question answering points at the answer in the context: the model scores every token as the
# answer's **start** and as its **end**. Fine-tuning needs, for each (question, context), the token
# positions of the answer's first and last token: the tokenizer's **offset mapping** (each token's
# character span) turns SQuAD's character offset into them. A context longer than the window is split into
# overlapping windows; a window without the answer points at `[CLS]` (position 0).

# %%
from w3_qa.hf.data import qa_features  # noqa: E402

example = train_set[:1]
window = qa_features(example, tokenizer, max_length=256, stride=64)
start, end = window["start_positions"][0], window["end_positions"][0]
print("answer:", example["answers"][0]["text"][0], "| tokens", start, "to", end, "->",
      tokenizer.decode(window["input_ids"][0][start:end + 1]))

# %% [markdown]
# Fine-tuning starts from the fill-mask checkpoint: `AutoModelForQuestionAnswering.from_pretrained(folder)`
# keeps its encoder, drops the masked-language-model head and adds a new start/end head (transformers says
# which weights are new).

# %% [demonstration]
qa_model, qa_record = finetune_qa(tokenizer, splits["train"], LAB.qa_steps, start_from=MODELS / "fill-mask",
                                  config=LAB)
qa_model.save_pretrained(MODELS / "qa")
tokenizer.save_pretrained(MODELS / "qa")
print(f"{qa_record['steps']} steps in {qa_record['seconds']:.0f} s; loss {qa_record['losses'][0]} -> "
      f"{qa_record['losses'][-1]}")

# %% [markdown]
# ## 6. Inside `pipeline("question-answering")`
#
# The three stages, one at a time (`w3_qa.hf.stages`), for one held-out question:
#
# 1. **pre-processing**: `[CLS] question [SEP] context [SEP]` as ids, with each token's character offsets;
# 2. **model**: one start and one end logit per token;
# 3. **post-processing**: softmaxes over the context tokens, the score of a span is
#    $p(\text{start}) \cdot p(\text{end})$ with start $\le$ end and at most 15 tokens; the best spans are
#    widened to whole words and cut out of the context by their character offsets.

# %%
from transformers import AutoModelForQuestionAnswering, AutoTokenizer  # noqa: E402

from w3_qa.hf import stages  # noqa: E402

qa_tokenizer = AutoTokenizer.from_pretrained(MODELS / "qa")
qa_loaded = AutoModelForQuestionAnswering.from_pretrained(MODELS / "qa").eval()
test_example = splits["test"][0]
encoded = stages.preprocess(test_example["question"], test_example["context"], qa_tokenizer)
start_logits, end_logits = stages.forward(qa_loaded, encoded)
mine = stages.postprocess(encoded, start_logits, end_logits, test_example["context"])
print("question:", test_example["question"], "| reference:", test_example["answer"])
print("1. tokens:", encoded["tokens"][:16], "...", len(encoded["tokens"]), "in all")
top = np.argsort(-start_logits)[:3]
print("2. best start tokens:", [(encoded["tokens"][i], round(float(start_logits[i]), 2)) for i in top])
print("3. answer:", mine)

# %% [markdown]
# The pipeline does the same, from the folder: the two answers agree (text, offsets and score).

# %%
qa_pipeline = pipeline("question-answering", model=str(MODELS / "qa"), tokenizer=str(MODELS / "qa"), device="cpu")
theirs = qa_pipeline(question=test_example["question"], context=test_example["context"])
print("pipeline:", theirs)
assert (mine["answer"], mine["start"], mine["end"]) == (theirs["answer"], theirs["start"], theirs["end"])
assert abs(mine["score"] - theirs["score"]) < 1e-4 * max(1.0, theirs["score"])

# %% [markdown]
# What the pipeline does with awkward input:
#
# * an **empty question** is refused with a `ValueError`;
# * a **context without the answer** still gets a span (an extractive model always points somewhere), unless
#   `handle_impossible_answer=True` lets the empty answer (the `[CLS]` position) win;
# * an **over-long context** is read in overlapping windows of `max_seq_len` tokens (`doc_stride` apart),
#   and the best span of all windows wins.

# %%
try:
    qa_pipeline(question="", context=test_example["context"])
except ValueError as error:
    print("empty question:", error)
print("no answer in the context:", qa_pipeline(question="Who founded the Mill House?",
                                               context="The weather in Corvik was mild all year."))
long_context = " ".join(e["context"] for e in splits["test"][:6])
print("a six-paragraph context:", qa_pipeline(question=test_example["question"], context=long_context))

# %% [markdown]
# ## 7. Exact match and F1
#
# The answers are scored with Week 3's SQuAD definitions (`w3_qa.evaluate.squad_scores`): exact match after
# normalisation, and the F1 of the answer's words against the reference's. transformers ships the same
# metric (`transformers.data.metrics.squad_metrics`, used by its SQuAD scripts); the two agree.

# %%
from w3_qa.hf.evaluate import evaluate_qa, transformers_squad_scores  # noqa: E402

hf_scores, hf_predictions = evaluate_qa(qa_pipeline, splits["test"])
print("Week 3's metric:      ", {name: round(value, 1) for name, value in hf_scores.items()})
references = [example["answer"] for example in splits["test"]]
print("transformers' metric: ", {name: round(value, 1)
                                 for name, value in transformers_squad_scores(hf_predictions, references).items()})
for example, prediction in list(zip(splits["test"], hf_predictions))[:5]:
    print(f"{example['question'][:60]:60} {example['answer']!r:20} -> {prediction!r}")

# %% [markdown]
# ## 8. Text classification
#
# The same recipe with a sequence-level head: a BERT trained on generated one-sentence reviews (negative or
# positive; one in four negates its adjective, so "was not dull" is positive), used through
# `pipeline("text-classification")`.

# %% [demonstration]
from w3_qa.hf.data import review_examples  # noqa: E402

reviews = review_examples(LAB.n_reviews + 200, seed=0)
classifier, review_record = train_classifier(tokenizer, reviews[:LAB.n_reviews], steps=LAB.review_steps,
                                             config=LAB)
classifier.save_pretrained(MODELS / "text-classification")
tokenizer.save_pretrained(MODELS / "text-classification")
classify = pipeline("text-classification", model=str(MODELS / "text-classification"), device="cpu")
held_out = reviews[LAB.n_reviews:]
outputs = classify([r["text"] for r in held_out])
accuracy = np.mean([o["label"] == ("positive" if r["label"] else "negative") for o, r in zip(outputs, held_out)])
print(f"{review_record['steps']} steps in {review_record['seconds']:.0f} s; held-out accuracy {accuracy:.2f}")
print(classify(["The regatta was not dull.", "I found the tour of Corvik tedious."]))

# %% [markdown]
# ## 9. Week 3's Trax model and the Hugging Face model, side by side
#
# Week 3's encoder-decoder *writes* its answer token by token; the BERT here *points* at it in the context.
# Both are scored on the same held-out questions. The Trax model is fine-tuned here from random weights for
# as many steps as the BERT (Week 3's `finetune`).

# %% [demonstration]
import dataclasses  # noqa: E402
import time  # noqa: E402

from w3_qa import config as w3_config  # noqa: E402
from w3_qa.checkpoints import as_eval_model  # noqa: E402
from w3_qa.hf.evaluate import comparison_row, format_table, trax_parameters  # noqa: E402
from w3_qa.scoring import evaluate_model  # noqa: E402
from w3_qa.tokenizer import default_tokenizer as trax_tokenizer  # noqa: E402
from w3_qa.train import finetune  # noqa: E402

trax_config = dataclasses.replace(w3_config.DEFAULT, finetune_eval_every=max(5, LAB.qa_steps // 4),
                                  select_questions=20 if FAST else 100)
trax_model, _, trax_seconds = finetune(None, None, trax_config, n_steps=LAB.qa_steps, data=splits, progress=False)
trax_eval = as_eval_model(trax_model, trax_config, trax_tokenizer())
answer_start = time.perf_counter()
trax_scores, _ = evaluate_model(trax_eval, splits["test"], trax_tokenizer(), max_length=trax_config.answer_length)
trax_scores["seconds"] = round(time.perf_counter() - answer_start, 1)
rows = [comparison_row("Week 3 Trax encoder-decoder (generates)", trax_scores, trax_seconds,
                       trax_parameters(trax_eval)),
        comparison_row("Hugging Face BERT (points; MLM pre-trained)", hf_scores,
                       mlm_record["seconds"] + qa_record["seconds"], count_parameters(qa_loaded))]
from IPython.display import Markdown, display  # noqa: E402

display(Markdown(format_table(rows)))

# %% [markdown]
# ## 10. Using a real checkpoint
#
# On a machine connected to the hub, the only change is the name: a hub checkpoint instead of our folder.
#
# ```python
# qa_pipeline = pipeline("question-answering", model="distilbert/distilbert-base-cased-distilled-squad")
# tokenizer = AutoTokenizer.from_pretrained("distilbert/distilbert-base-cased-distilled-squad")
# ```
#
# Everything else in this lab (the stages, the scores, fine-tuning with the `Trainer`) stays the same. The
# local-folder form is what ran above:

# %%
from w3_qa.hf.evaluate import qa_pipeline as load_qa_pipeline  # noqa: E402

checkpoint = str(MODELS / "qa")  # on a connected machine: "distilbert/distilbert-base-cased-distilled-squad"
answerer = load_qa_pipeline(checkpoint)
print(answerer(question="Who founded Corvik?", context="Corvik is a river port. Emil Carver founded it in 1668."))

# %% [markdown]
# ## Summary
#
# * A checkpoint is a folder: configuration, weights and tokenizer; `save_pretrained` writes it and
#   `from_pretrained` reads it, from the hub by name or from disk by path.
# * A pipeline is pre-processing, model and post-processing; for extractive QA the last is the interesting
#   one: softmaxed start and end scores, the best short span, widened to whole words.
# * The `Trainer` runs the training loop (batches, optimiser, schedule, seed) for any model with a loss; the
#   data collator decides what a batch looks like (for BERT's pre-training, where the masks fall).
# * Pointing at the answer is far easier to learn than writing it: compare the two models' scores above.

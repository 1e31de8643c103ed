# Template of source/w3_qa/w3_qa.ipynb: see tools/build_notebooks.py for the cell format.
# Solution cells are copied from the w3_qa library; edit the library, then `make notebooks`.

# %% [markdown]
# # Week 3: Transfer Learning and Question Answering
#
# Labeled data is scarce and expensive; unlabeled text is everywhere. This week you pre-train a model on
# unlabeled text with a **self-supervised** task, then **fine-tune** it to answer questions, as BERT and
# T5 do. You will
#
# 1. see the options of transfer learning and how ELMo, GPT, BERT and T5 read their context,
# 2. implement T5's **span corruption** (masked spans replaced by sentinels) and BERT's **masked language
#    modelling** (15% of the tokens, 80/10/10),
# 3. write the **text-to-text** input of a question and the **mixing rates** of multi-task training
#    (examples-proportional, equal, temperature-scaled),
# 4. build a BERT-style **Transformer encoder** from Week 2's attention: the feed-forward block, the encoder
#    block and a classifier,
# 5. answer questions with a pre-trained, fine-tuned encoder-decoder, score it with SQuAD's **exact match**
#    and **F1**, and measure what pre-training gains as the labeled set grows.
#
# Each exercise is a function. Replace its `# YOUR CODE HERE` and `raise NotImplementedError()` lines with
# your code, then run the test cell below it: it prints "all ... cases passed" or says which case differs
# and how. Hidden tests with other inputs run when your notebook is graded. The argument checks at the
# top of each function and the code around the exercise are given: keep them. Cells that train, generate
# or plot are demonstrations; the grader skips them.

# %%
# Setup: Trax (imported through coursekit: fast and quiet), numpy, and the checks of this week.
import os

from coursekit.trax_env import import_trax

trax = import_trax()
import numpy as np  # noqa: E402
from trax import layers as tl  # noqa: E402

from autograder.checks.w3_qa import CHECKS as checks  # noqa: E402

# W3_QA_FAST=1 (set by the course's tests) makes the demonstrations tiny; leave it unset.
FAST = os.environ.get("W3_QA_FAST") == "1"
%matplotlib inline

# %% [markdown]
# ## 1. Transfer learning
#
# A model trained for one task holds knowledge that helps with another: that "Ashbury" is a town, that a
# year follows "founded in", that a pronoun points back to a name. **Transfer learning** reuses it. It
# cuts training time, improves predictions, and lets a small labeled set go a long way.
#
# * **Feature-based**: a first model produces features (e.g. word embeddings, or ELMo's contextual
#   vectors), and a second, task-specific model is trained on them.
# * **Fine-tuning**: the pre-trained model itself is trained further on the new task, all its weights or
#   some of them (a new output layer on frozen weights, layers unfrozen one at a time, small adapter
#   layers).
#
# The pre-training data need not be labeled. **Self-supervised** tasks make their labels from the text:
# hide a word and predict it from its context. There is far more unlabeled text than labeled, so this is
# where most of a model's knowledge comes from.
#
# | model | architecture | context | pre-training task |
# |---|---|---|---|
# | CBOW (word2vec) | shallow | a fixed window | predict the centre word |
# | ELMo | bi-directional LSTM | left and right, read separately | language modelling both ways |
# | GPT | Transformer decoder | left only (causal) | next-token prediction |
# | BERT | Transformer encoder | left and right together | masked language model + next sentence prediction |
# | T5 | Transformer encoder-decoder | left and right (encoder) | span corruption, then many tasks as text-to-text |
#
# ## 2. The data
#
# The text comes from a seeded generator (`w3_qa.data`) of short encyclopedic paragraphs about invented
# people, places, organisations and events, with their dates and numbers. Each key fact is mentioned at least
# twice, and every paragraph holds distractors of the same type (another town, another year): a model that
# restores a hidden mention must find the right one. The paragraphs are the unlabeled text; SQuAD-style
# questions over *other* paragraphs, with answers copied from the context, are the labeled data.
# (`load_squad_json`, `load_c4_jsonl` and `load_mnli_tsv` read your own SQuAD, C4 or MNLI files instead.)

# %%
from w3_qa.data import make_splits
from w3_qa.tokenizer import default_tokenizer

splits = make_splits(n_pretrain=500 if FAST else 20000, n_train=200 if FAST else 4000, n_eval=50 if FAST else 300,
                     n_test=50 if FAST else 300)
print({name: len(items) for name, items in splits.items()})
print(splits["pretrain"][0]["text"], "\n")
example = splits["train"][0]
print("Q:", example["question"], "\nA:", example["answer"], f"(at character {example['answer_start']})")

# %% [markdown]
# The tokenizer is a sentencepiece model trained on this text, with the special tokens of BERT and T5:
# `[MASK]`, `[CLS]`, `[SEP]` and 64 **sentinels** `<X>`, `<Y>`, `<Z>`, `<S3>`, ... (ids 0 and 1 are padding
# and end-of-sequence).

# %%
tokenizer = default_tokenizer()
print([tokenizer.id_to_piece(i) for i in range(10)])
ids = tokenizer.tokenize("Anna Hale was born in Ashbury in 1861.")
print(ids, [tokenizer.id_to_piece(i) for i in ids])

# %% [markdown]
# ## 3. T5's span corruption
#
# T5 pre-trains by corrupting spans: each token is masked with probability `noise` (15%), each **run** of
# consecutive masked tokens is replaced by one sentinel in the inputs, and the targets list each sentinel
# followed by the tokens it hides, closed by the next sentinel:
#
# ```
# original   Thank you for inviting me to your party last week.
# inputs     Thank you <X> me to your party <Y> week.
# targets    <X> for inviting <Y> last <Z>
# ```
#
# The model sees the text around each gap on both sides (the encoder is bi-directional) and writes only the
# missing pieces, which is cheaper than rewriting the whole text. The helpers used below are imported here.

# %% provided: w3_qa.masking

# %% solution: w3_qa.masking:tokenize_and_mask
# Walk over `tokenizer.tokenize(text)` calling `randomizer()` once per token, in order. A draw below `noise`
# masks the token: if the previous token was not masked, start a new span with
# `tokenizer.sentinel_id(n_spans)`, append it to both lists and count the span; append the masked token to
# the targets. An unmasked token goes to the inputs. At the end, append the next sentinel to the targets.
#
# *Where this differs from the course, on purpose:* the targets end with the next sentinel, as in the
# lecture's example ("Thank you for inviting me to your party last week." gives the targets
# `<X> for inviting <Y> last <Z>`) and in T5; the course's code leaves that last sentinel out.

# %% visible-test: tokenize_and_mask

# %% hidden-test: tokenize_and_mask

# %% [markdown]
# The course's example, with a word tokenizer and the draws that mask "for inviting" and "last":

# %%
from w3_qa.masking import SpanRandomizer, WordTokenizer

sentence = "Thank you for inviting me to your party last week."
words = WordTokenizer(sentence.split())
draws = iter([0.9, 0.9, 0.1, 0.1, 0.9, 0.9, 0.9, 0.9, 0.1, 0.9])
inputs, targets = tokenize_and_mask(sentence, noise=0.15, randomizer=lambda: next(draws), tokenizer=words)
print("inputs: ", words.detokenize(inputs))
print("targets:", words.detokenize(targets))

# %% [markdown]
# On a paragraph, with the packaged tokenizer. The course's randomizer masks each token on its own, so most
# gaps are one sub-word, guessed from the rest of the word. T5 masks spans of 3 tokens on average
# (`SpanRandomizer`), whole names and numbers, which the model can only restore from their other mention:
# the skill a reader of questions needs.

# %%
text = splits["pretrain"][1]["text"]
inputs, targets = tokenize_and_mask(text, noise=0.15, randomizer=SpanRandomizer(0.15, 3.0, np.random.default_rng(1)),
                                    tokenizer=tokenizer)
print("inputs: ", tokenizer.detokenize(inputs), "\n")
print("targets:", tokenizer.detokenize(targets))

# %% [markdown]
# ## 4. BERT's masked language model
#
# BERT picks 15% of the tokens to predict. Of those, 80% become `[MASK]`, 10% a random token and 10% stay as
# they are: if only `[MASK]` positions were ever predicted, the model would learn nothing useful about the
# other positions, and `[MASK]` never appears when the model is used. The loss counts the picked positions
# only. Special tokens are never picked.
#
# Your function takes its random numbers from a numpy `Generator` in a fixed order (see its docstring), so
# that the same generator state always gives the same result.

# %% solution: w3_qa.masking:bert_mask
# `picked` is `rng.random(len(tokens)) < rate` and the token is ordinary (`>= first_ordinary_id`); then one
# `rng.random` draw per picked position decides its action and one `rng.integers(first_ordinary_id,
# vocab_size, size=n_picked)` gives the random replacements. Change a copy of `tokens`; the targets are the
# original tokens; the weights are `picked` as float32.

# %% visible-test: bert_mask

# %% hidden-test: bert_mask

# %%
tokens = np.array(tokenizer.tokenize(splits["pretrain"][2]["text"]) * 40)  # about 5,000 tokens
corrupted, originals, weights = bert_mask(tokens, np.random.default_rng(0), tokenizer.vocab_size)
picked = weights > 0
print(f"picked {picked.mean():.1%} of {tokens.size} tokens; of those, [MASK] "
      f"{(corrupted[picked] == MASK_ID).mean():.1%}, changed to another token "
      f"{((corrupted[picked] != MASK_ID) & (corrupted[picked] != originals[picked])).mean():.1%}, unchanged "
      f"{(corrupted[picked] == originals[picked]).mean():.1%}")
print(tokenizer.detokenize(corrupted[:40]))

# %% [markdown]
# **Next sentence prediction.** BERT's second pre-training task: the input is `[CLS] A [SEP] B [SEP]`, where
# B follows A in the text half of the time and is a random sentence otherwise; the output at `[CLS]`
# predicts which. RoBERTa's ablation (Liu et al., 2019, section 4.2) measured its worth: trained without it,
# on inputs packed with whole sentences, BERT matched or slightly beat the original on downstream tasks.
# (T5 did not test it: it pre-trains on span corruption alone.) This week's models do without it, but the
# same input layout serves sentence-pair tasks such as natural language inference (section 6).
#
# ## 5. Text to text, and mixing tasks
#
# T5 casts every task as text in, text out, telling the model the task by a prefix: "translate English to
# German: ...", "cola sentence: ...", "mnli premise: ... hypothesis: ...". A question about a context
# becomes "question: ... context: ...", and the answer is the text to write.

# %% provided: w3_qa.tasks

# %% solution: w3_qa.tasks:format_qa
# One f-string (the arguments are already checked and their whitespace tidied).

# %% visible-test: format_qa

# %% hidden-test: format_qa

# %%
from w3_qa.tasks import format_nli

print(format_qa(example["question"], example["context"])[:120], "...")
print(format_nli("I hate pigeons.", "My feelings towards pigeons are filled with animosity."))

# %% [markdown]
# When one model learns several tasks at once, each batch draws its examples from the tasks at some
# **mixing rates** $r_m$, for tasks of $e_1, \dots, e_n$ examples:
#
# * **examples-proportional**: $r_m = \min(e_m, K) / \sum_n \min(e_n, K)$: big tasks dominate, so the
#   size limit $K$ keeps one huge task (such as unlabeled text) from drowning the rest;
# * **equal**: $r_m = 1/n$: small tasks are seen as often as big ones, and soon over-fitted;
# * **temperature-scaled**: the proportional rates raised to the power $1/T$, then renormalised. $T = 1$
#   is proportional mixing, and as $T$ grows the rates approach equal mixing: a knob in between.

# %% solution: w3_qa.tasks:mixing_rates
# "equal": a rate of 1 for each task with examples, normalised. Otherwise cap the sizes at `limit` (when
# given) with `np.minimum`, divide by their sum, and for "temperature" raise the rates to `1 / temperature`
# and divide by the new sum.

# %% visible-test: mixing_rates

# %% hidden-test: mixing_rates

# %% [demonstration]
from w3_qa.visualize import plot_mixing_rates

task_sizes = [400_000, 30_000, 3_000]  # e.g. unlabeled text, MNLI-sized and SQuAD-sized labeled tasks
for strategy in ("proportional", "equal"):
    print(f"{strategy:12s}", np.round(mixing_rates(task_sizes, strategy), 3))
print(f"{'capped K=50k':12s}", np.round(mixing_rates(task_sizes, limit=50_000), 3))
plot_mixing_rates(task_sizes, names=["unlabeled text (400k)", "NLI (30k)", "QA (3k)"]);

# %% [markdown]
# **Attention patterns.** The T5 paper compares architectures by what each position may attend to, a mask
# on the attention scores (row $i$ the query position, column $j$ the key; Week 2's `DotProductAttention`
# masks out the False entries):
#
# * **fully visible**: every position sees every position: BERT's encoder, T5's encoder, and the
#   encoder-decoder attention through which T5's decoder reads the whole input;
# * **causal**: position $i$ sees positions $0..i$ only, so all next tokens train at once without reading
#   ahead: GPT-2 (Week 2's summarizer) and the self-attention of T5's decoder;
# * **causal with prefix**: the first $p$ positions (the input, "summarize: ...") see each other as in an
#   encoder, and each later position sees the prefix and itself and what came before, as in a decoder:
#   T5's *prefix language model*, one stack that encodes and decodes.
#
# An encoder-decoder needs two stacks for what the prefix LM does in one; T5 found the encoder-decoder with
# fully visible encoder and causal decoder worked best at equal compute (Raffel et al., 2020, section 3.2).

# %% provided: w3_qa.attention_masks

# %% solution: w3_qa.attention_masks:attention_mask
# "fully_visible": all True. Otherwise compare the key positions with the query positions (`np.arange` and
# broadcasting: key $j$ <= query $i$); for "prefix" also let every query see the keys $j$ < `prefix_length`.

# %% visible-test: attention_mask

# %% hidden-test: attention_mask

# %% [demonstration]
from w3_qa.attention_masks import WHERE_USED
from w3_qa.visualize import plot_attention_masks

masks = {"fully visible": attention_mask(8), "causal": attention_mask(8, "causal"),
         "causal with prefix (p = 3)": attention_mask(8, "prefix", prefix_length=3)}
plot_attention_masks(masks)
for pattern, where in WHERE_USED.items():
    print(f"{pattern:14s} {where}")

# %% [markdown]
# ## 6. A BERT-style Transformer encoder
#
# BERT is the encoder of the Transformer: Week 2's blocks without the causal mask, so every position
# attends to every (non-padding) position, left and right. The attention layer is Week 2's, imported:
# `EncoderAttention(d_model, n_heads, dropout, mode)` projects to queries, keys and values, splits the heads
# with your Week 2 reshapes, applies `DotProductAttention` with a padding mask, and joins the heads. It
# takes and returns `(activations, mask)`.
#
# The feed-forward part of a block is a list of layers: `tl.LayerNorm()`, `tl.Dense(d_ff)`, the activation,
# dropout, `tl.Dense(d_model)`, dropout.

# %% provided: w3_qa.model

# %% solution: w3_qa.model:FeedForwardBlock
# Two `tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode)` layers, and the list in the
# order above; the activation is a layer class: call it, `activation()`.

# %% visible-test: FeedForwardBlock

# %% hidden-test: FeedForwardBlock

# %% [markdown]
# An encoder block is two residual layers: `tl.Residual(tl.LayerNorm(), attention, dropout)` and
# `tl.Residual(feed_forward)`. `tl.Residual` adds its input to its layers' output and passes the mask on.

# %% solution: w3_qa.model:EncoderBlock
# `EncoderAttention(d_model, n_heads=n_heads, dropout=dropout, mode=mode)`, your `FeedForwardBlock(d_model,
# d_ff, dropout, dropout_shared_axes, mode, ff_activation)` and a `tl.Dropout` like the ones above; return
# the list of the two `tl.Residual` layers.
#
# *Where this differs from the course, on purpose:* a block whose `d_model` `n_heads` does not divide is
# refused as soon as it is made (`EncoderAttention` raises a ValueError); trax's `tl.Attention` raises the
# same error only at `init`, so a course test that builds such a block without running it fails here.

# %% visible-test: EncoderBlock

# %% hidden-test: EncoderBlock

# %% [markdown]
# The classifier: from the token ids, a padding mask (`tl.PaddingMask()`, kept beside the tokens by
# `tl.Branch([], tl.PaddingMask())`), an embedding, dropout, the positional encoding
# (`PositionalEncoding(max_len=max_len)`, Week 2's), `n_layers` encoder blocks, then the mask dropped
# (`tl.Select([0], n_in=2)`), `tl.LayerNorm()`, the **mean over positions** as the sequence's representation
# (`tl.Mean(axis=1)`; BERT uses the output at `[CLS]`), `tl.Dense(n_classes)` and `tl.LogSoftmax()`. This is
# the layout of `trax.models.TransformerEncoder`, so the weights of one load into the other.

# %% solution: w3_qa.model:TransformerEncoder
# A list comprehension for the blocks, then one `tl.Serial` of everything in the order above.

# %% visible-test: TransformerEncoder

# %% hidden-test: TransformerEncoder

# %% [markdown]
# The encoder reads a sentence pair as BERT does, `[CLS] premise [SEP] hypothesis [SEP]`, and gives one
# log-probability per label of natural language inference (entailment, neutral, contradiction). It is not
# trained here: fine-tuning it on the NLI set is the same loop as the one below.

# %%
from w3_qa.data import NLI_LABELS, nli_examples
from w3_qa.tokenizer import CLS_ID, SEP_ID

pairs = nli_examples(splits["pretrain"][:4], seed=0)[:4]
rows = [[CLS_ID] + tokenizer.tokenize(p["premise"]) + [SEP_ID] + tokenizer.tokenize(p["hypothesis"]) + [SEP_ID]
        for p in pairs]
batch = np.zeros((len(rows), 64), np.int32)
for row, ids in enumerate(rows):
    batch[row, :len(ids)] = ids
classifier = TransformerEncoder(tokenizer.vocab_size, n_classes=len(NLI_LABELS), d_model=64, d_ff=128,
                                n_layers=2, n_heads=4, max_len=64, mode="eval")
classifier.init(trax.shapes.signature(batch))
print(pairs[0]["premise"], "|", pairs[0]["hypothesis"], "->", pairs[0]["label"])
print("log-probabilities", classifier(batch).shape, np.round(np.exp(classifier(batch)[0]), 3))

# %% [markdown]
# **BERT's input.** BERT adds three embeddings at every position: the **token**'s, a **segment** embedding
# (A for `[CLS]`, the first sentence and its `[SEP]`; B for the second sentence and its `[SEP]`), so that the
# model knows which sentence a token belongs to, and a learned **position** embedding. Our encoder uses the
# token embedding and Week 2's fixed positional encoding, and tells the sentences apart by `[SEP]` alone.
# Here are the three id rows of the first pair, and their sum through three embedding tables:

# %%
ids = rows[0]
second = ids.index(SEP_ID) + 1  # the first position of sentence B
segments = [0] * second + [1] * (len(ids) - second)
positions = list(range(len(ids)))
print(f"{'token':>12} {'segment':>8} {'position':>9}")
for token, segment, position in list(zip(ids, segments, positions))[:second + 3]:
    print(f"{tokenizer.id_to_piece(token):>12} {'AB'[segment]:>8} {position:>9}")
print("...")
d_demo = 8
tables = {name: np.random.default_rng(k).normal(scale=0.1, size=(size, d_demo)).astype(np.float32)
          for k, (name, size) in enumerate((("token", tokenizer.vocab_size), ("segment", 2), ("position", 64)))}
bert_input = tables["token"][ids] + tables["segment"][segments] + tables["position"][positions]
print("the encoder's input:", bert_input.shape, "(positions, d_model): one vector per position, the sum of three")

# %% [markdown]
# The sizes of the real models next to ours (BERT: Devlin et al., 2019; T5: Raffel et al., 2020):
#
# | model | layers | d_model | heads | d_ff | parameters | vocabulary | pre-training text |
# |---|---|---|---|---|---|---|---|
# | BERT-base | 12 (encoder) | 768 | 12 | 3,072 | 110 M | 30,522 WordPiece | BooksCorpus + Wikipedia, 3.3 B words |
# | BERT-large | 24 (encoder) | 1,024 | 16 | 4,096 | 340 M | 30,522 WordPiece | the same |
# | T5-base | 12 + 12 | 768 | 12 | 3,072 | 220 M | 32,000 SentencePiece | C4, about 750 GB |
# | T5-11B | 24 + 24 | 1,024 | 128 | 65,536 | 11 B | 32,000 SentencePiece | C4 |
#
# and this week's encoder-decoder (the next cell counts its weights):

# %%
from w3_qa import config as cfg  # noqa: E402
from w3_qa.checkpoints import input_signature, make_model  # noqa: E402

our = cfg.DEFAULT
our_model = make_model(tokenizer.vocab_size, our, mode="eval")
our_model.init(input_signature())
n_weights = sum(np.size(w) for w in trax.fastmath.tree_flatten(our_model.weights))
print(f"ours: {our.n_encoder_layers} + {our.n_decoder_layers} layers, d_model {our.d_model}, {our.n_heads} heads, "
      f"d_ff {our.d_ff}, {n_weights / 1e6:.1f} M parameters, vocabulary {tokenizer.vocab_size:,} SentencePiece, "
      f"{len(splits['pretrain']):,} generated paragraphs of pre-training text")

# %% [markdown]
# ## 7. The GLUE benchmark
#
# GLUE (General Language Understanding Evaluation; Wang et al., 2018) is a collection of nine English tasks
# to train, evaluate and analyse language understanding systems: datasets of different genres, sizes and
# difficulties, and a leaderboard that shows how well each system does compared to the others. It is
# **model-agnostic** (any system that outputs labels can enter), it **drove research** (BERT-large reached a
# GLUE score of 80.5 in 2018; the human baseline is 87.1; T5-11B reached 90.3 in 2019, and the harder
# SuperGLUE followed), and it rewards **transfer learning**: several tasks have only a few thousand training
# examples (RTE 2,490, WNLI 635), too few to learn a language from. The tasks, what each asks and how it is
# scored:

# %%
from w3_qa.glue import GLUE_TASKS

print(f"{'task':6s} {'input':19s} {'train':>8s}  {'metric':42s} question")
for glue_task in GLUE_TASKS:
    print(f"{glue_task.name:6s} {glue_task.input:19s} {glue_task.train_size:8,d}  {' / '.join(glue_task.metrics):42s} "
          f"{glue_task.question}")

# %% [markdown]
# A system is fine-tuned on each task's training set and submits predictions for the test sets, whose labels
# are kept by the organisers. Each task is scored by its metric; a task with two metrics (MRPC and QQP: F1 and
# accuracy; STS-B: Pearson and Spearman correlation; MNLI: accuracy on the matched and the mismatched genres)
# scores their mean, and the **GLUE score** is the mean of the nine task scores, in percent: each task counts
# once, WNLI's 146 test pairs as much as QQP's 390,965. Reading a GLUE table, compare a system with the
# baselines beside it and look at the small tasks, where pre-training matters most.
#
# Accuracy misleads when the classes are unbalanced: 69% of the sentences of CoLA's development set are
# acceptable (70% of its training set), so "always acceptable" is 69% accurate and knows nothing. CoLA is therefore scored by the **Matthews correlation**
# between predictions and labels, from the counts of true and false positives and negatives:
#
# $$\mathrm{MCC} = \frac{TP \cdot TN - FP \cdot FN}{\sqrt{(TP + FP)(TP + FN)(TN + FP)(TN + FN)}}$$
#
# It is 1 when every prediction is right, -1 when every one is wrong and 0 for a constant prediction (a
# factor under the root is then 0, and the result is defined as 0) or a random one.

# %% provided: w3_qa.glue

# %% solution: w3_qa.glue:matthews_corrcoef
# The counts are given; compute the denominator with `math.sqrt` of the product of the four sums, return
# 0.0 when it is 0, else the numerator divided by it.

# %% visible-test: matthews_corrcoef

# %% hidden-test: matthews_corrcoef

# %%
from w3_qa.glue import accuracy

labels = np.array([1] * 69 + [0] * 31)  # the balance of CoLA's development set: 69% acceptable
always_acceptable = np.ones(100, int)
half_right = np.concatenate([np.ones(69, int) - (np.arange(69) % 3 == 0), np.arange(31) % 2])
for label, predictions in (("always acceptable", always_acceptable), ("a weak classifier", half_right)):
    print(f"{label:18s} accuracy {accuracy(predictions, labels):.2f}   "
          f"Matthews correlation {matthews_corrcoef(predictions, labels):+.2f}")

# %% [markdown]
# **A GLUE-style table for this week's tasks.** Two generated tasks stand for two of GLUE's: natural language
# inference about the paragraphs' facts (entailment, neutral, contradiction: like MNLI, scored by accuracy),
# and acceptability (like CoLA, scored by the Matthews correlation): a statement of a fact, or the same
# statement with two neighbouring words swapped, its verb's number changed or a word written twice. Both are
# read by the encoder classifier above, `[CLS] premise [SEP] hypothesis [SEP]` or `[CLS] sentence [SEP]`
# (`w3_qa.classifier`). A few examples, then a short training of *your* `TransformerEncoder` on acceptability,
# scored with your `matthews_corrcoef`: 600 steps (about 30 s on two CPU cores) learn a little, a Matthews
# correlation near 0.3; the table's runs below take 3,000 steps on three times as many sentences.

# %% [demonstration]
import dataclasses  # noqa: E402

from w3_qa.classifier import TASKS, predict, train_classifier
from w3_qa.data.acceptability import acceptability_examples
from w3_qa.glue_table import task_examples

for example in acceptability_examples(splits["pretrain"][:1], seed=0)[:4]:
    print(f"{example['label']:12s} {example['sentence']}")
glue_config = dataclasses.replace(cfg.CLASSIFIER, train_paragraphs=100 if FAST else 1000, test_paragraphs=40,
                                  steps_per_checkpoint=200)
glue_train, glue_eval, glue_test = task_examples("acceptability", glue_config)
glue_steps = 10 if FAST else 600
glue_model, _, seconds = train_classifier(glue_train, glue_eval, "acceptability", tokenizer, glue_config,
                                          n_steps=glue_steps, encoder=TransformerEncoder)
glue_labels = np.array([TASKS["acceptability"].labels.index(e["label"]) for e in glue_test])
glue_predictions = predict(glue_model, glue_test, "acceptability", tokenizer)
print(f"{glue_steps} steps in {seconds:.0f} s on {len(glue_train)} sentences: accuracy "
      f"{accuracy(glue_predictions, glue_labels):.2f}, Matthews correlation "
      f"{matthews_corrcoef(glue_predictions, glue_labels):+.2f} on {len(glue_test)} test sentences")

# %% [markdown]
# The full table (`python -m w3_qa.glue_table`: three seeds per task, each classifier trained from random
# weights; the test sentences are about entities that no training example names). The first column of
# scores is the majority class of the training labels, the baseline every GLUE table starts from. These
# scores are not comparable with GLUE's: the tasks are generated, from a few templates, and the classifier is
# not pre-trained, as every GLUE entry since BERT is. What carries over is the reading: the score of each
# task by its own metric, its spread over seeds, the distance from the baseline, and one mean for the table.

# %% [demonstration]
import json  # noqa: E402

from w3_qa.glue_table import format_table

if cfg.GLUE_RESULTS.exists():
    print(format_table(json.loads(cfg.GLUE_RESULTS.read_text())))
else:
    print(f"no {cfg.GLUE_RESULTS.name} yet: run `python -m w3_qa.glue_table` (about 15 minutes on two CPU cores)")

# %% [markdown]
# ## 8. Pre-training the encoder-decoder
#
# For question answering the model must *write* an answer, so this week's QA model is T5's
# encoder-decoder (`trax.models.Transformer`: an encoder like yours, and a decoder like Week 2's with
# attention to the encoder). Pre-training feeds it span-corrupted paragraphs and trains it to write the
# targets, with the same loop as Week 2 (`w3_qa.train.pretrain`; new masks every epoch; inputs padded to a
# few fixed lengths, so JAX compiles a few shapes; the tiny model here uses one).
#
# One detail matters more than it looks: the token embeddings start at T5's scale (standard deviation 1).
# With trax's default (1/sqrt(d_model), about 0.09 here) they are ten times smaller than the positional
# encodings added to them, the decoder can hardly tell the input's tokens apart, and it learns to ignore
# the encoder: a language model of the targets that never reads the paragraph. A few steps of a tiny model,
# to see it run:

# %% [demonstration]
import dataclasses  # noqa: E402

from w3_qa import config as cfg
from w3_qa.train import finetune, load_model, pretrain

DEMO_CONFIG = dataclasses.replace(cfg.DEFAULT, d_model=32, d_ff=64, n_encoder_layers=1, n_decoder_layers=1,
                                  n_heads=2, input_boundaries=(192,), finetune_input_boundaries=(192,),
                                  pretrain_batch_size=4, finetune_batch_size=4,
                                  eval_batches=1,
                                  pretrain_warmup_steps=5, finetune_warmup_steps=5, steps_per_checkpoint=5,
                                  finetune_eval_every=5)
demo_steps = 5 if FAST else 30
demo_pretrained, demo_history, seconds = pretrain(DEMO_CONFIG, n_steps=demo_steps, tokenizer=tokenizer,
                                                  data=splits, progress=False)
print(f"{demo_history[-1]['step']} steps in {seconds:.0f} s: eval loss {demo_history[-1]['eval_loss']:.3f}")

# %% [markdown]
# ## 9. Fine-tuning, and answering questions
#
# Fine-tuning trains the same model, from the pre-trained weights, on ("question: Q context: C", "A")
# pairs. Every `finetune_eval_every` steps `finetune` answers eval questions greedily and keeps the weights
# whose answers have the best F1 (with few labeled questions the model soon over-fits; each of these
# evaluations costs a few seconds of decoding, which the training time includes).
#
# A small Transformer first has to learn to *find* the answer's span among 150-200 input tokens and copy it,
# and on whole paragraphs it sits on a long plateau before that skill forms (Week 1's LSTM broke the same
# plateau with short sentences first). The reference model (`python -m w3_qa.train finetune`) is therefore
# fine-tuned with a **context-length curriculum** (`w3_qa.curriculum`): at first the context is only the
# answer's sentence, then one to four of its neighbours, and after that mostly whole paragraphs; on **fresh
# generated questions**, each seen once, so that it cannot memorise answers and has to read; with **targets
# copied from the context's own tokens** ("1984." is one piece inside a sentence but two, "1984" and ".",
# alone: the target the model must write is the one it can copy).
#
# To answer, the decoder writes one token at a time. The encoder reads the question and context once per
# call (padded to a power of 2, Week 1's `padded_length`), the targets are a fixed-length row of zeros
# filled in as the answer grows, and position $t$ of the output scores the token that follows the first $t$
# answer tokens. Greedy decoding takes the most probable token until EOS.

# %% provided: w3_qa.qa

# %% solution: w3_qa.qa:answer_question
# `input_ids` = the tokens of `format_qa(question, context)` and `EOS_ID`, in a zero array of shape
# `(1, padded_length(len(input_ids)))`; `targets = np.zeros((1, max_length), np.int32)`. For each position:
# call `model((inputs, targets))`, take the first output's row `[0, position]`, its argmax is the next
# token; stop at `EOS_ID`, otherwise keep it and write it into `targets[0, position]`. Detokenize the kept
# tokens.

# %% visible-test: answer_question

# %% hidden-test: answer_question

# %% [demonstration]
import pathlib  # noqa: E402
import tempfile  # noqa: E402

from coursekit.loop import save_weights  # noqa: E402
from w3_qa.checkpoints import as_eval_model
from w3_qa.heldout import held_out_questions
from w3_qa.scoring import evaluate_model

# A demonstration: fine-tune the tiny model pre-trained above (its weights saved and loaded back, as the
# reference model's are), with the curriculum, on 50 labeled questions.
demo_checkpoint = save_weights(demo_pretrained, pathlib.Path(tempfile.mkdtemp()) / "demo_pretrained.pkl.gz")
demo_qa, _, seconds = finetune(50, demo_checkpoint, DEMO_CONFIG, n_steps=demo_steps, tokenizer=tokenizer,
                               data=splits, progress=False)
if cfg.QA_CHECKPOINT.exists():
    qa_model = load_model(cfg.QA_CHECKPOINT)
    qa_config = cfg.DEFAULT
else:
    print(f"note: no fine-tuned checkpoint at {cfg.QA_CHECKPOINT.name} (train one with `python -m w3_qa.train "
          f"pretrain` then `python -m w3_qa.train finetune`); using the demonstration model, whose answers are "
          f"poor")
    qa_model, qa_config = as_eval_model(demo_qa, DEMO_CONFIG, tokenizer), DEMO_CONFIG
# Questions about held-out entities: no paragraph of pre-training or fine-tuning describes them.
held_out = held_out_questions(20 if FAST else 100, seed=1)
for test_example in held_out[:4]:
    print("Q:", test_example["question"], "| expected:", test_example["answer"], "| model:",
          answer_question(test_example["question"], test_example["context"], qa_model, tokenizer,
                          max_length=qa_config.answer_length))

# %% [markdown]
# ## 10. Exact match and F1
#
# SQuAD scores an answer against the reference after normalising both (lower case, no punctuation, no
# articles "a", "an", "the", single spaces). **Exact match** is 1 when they are equal; **F1** is the
# harmonic mean of the precision and recall of their words, so "in 1861" for "1861" still earns 67 points.
# Both are averaged over the questions, in percent (`w3_qa.evaluate`, equal to the official script).

# %%
from w3_qa.evaluate import exact_match_score, f1_score, squad_scores

for prediction, truth in (("The Ashbury Museum", "Ashbury Museum"), ("in 1861", "1861"), ("1862", "1861")):
    print(f"{prediction!r:22} vs {truth!r:18} EM {exact_match_score(prediction, truth):.0f}  "
          f"F1 {f1_score(prediction, truth):.2f}")
scores, predictions = evaluate_model(qa_model, held_out, tokenizer, max_length=qa_config.answer_length)
print({name: round(value, 1) for name, value in scores.items()})
right = [(e, p) for e, p in zip(held_out, predictions) if exact_match_score(p, e["answer"])]
wrong = [(e, p) for e, p in zip(held_out, predictions) if not exact_match_score(p, e["answer"])]
for label, pairs in (("right", right[:3]), ("wrong", wrong[:3])):
    for example, prediction in pairs:
        print(f"[{label}] {example['question']} -> {prediction!r} (answer {example['answer']!r}, "
              f"F1 {f1_score(prediction, example['answer']):.2f})")
# The committed model on 300 fresh held-out questions: `python -m w3_qa.evaluate --n 300 --seed SEED`.

# %% [markdown]
# **Context-based and closed-book question answering.** Our model answers from a context: it finds the
# answer in the paragraph it is given and copies it (SQuAD's setting, *open-book*). T5 was also tested
# *closed-book* (Roberts et al., 2020, "How much knowledge can you pack into the parameters of a language
# model?"): the question alone, the answer recalled from what pre-training stored in the weights. It worked
# the better the larger the model, best with T5-11B, pre-trained on a huge corpus (C4). Here it must
# fail, and the cell below shows it: the same questions with an empty context ("none."), first about
# held-out entities (no text ever named them, so nothing could be recalled), then about entities of the
# pre-training paragraphs (the model read those facts, but span corruption asks it to fill gaps from the
# text around them, not to memorise, and a model of 1.2 million weights stores little).

# %% [demonstration]
from w3_qa.data import qa_examples  # noqa: E402

n_closed = 10 if FAST else 40
without_context = [dict(e, context="none.") for e in held_out[:n_closed]]
read_in_pretraining = [dict(q, context="none.") for p in splits["pretrain"][:n_closed] for q in qa_examples(p)]
open_book = squad_scores(predictions[:n_closed], [e["answer"] for e in held_out[:n_closed]])
print(f"{'held-out entities, with their context':38s} EM {open_book['exact_match']:5.1f}  F1 {open_book['f1']:5.1f}")
for label, questions in (("held-out entities, closed book", without_context),
                         ("pre-training entities, closed book", read_in_pretraining[:n_closed])):
    closed_scores, closed_answers = evaluate_model(qa_model, questions, tokenizer,
                                                   max_length=qa_config.answer_length)
    print(f"{label:38s} EM {closed_scores['exact_match']:5.1f}  F1 {closed_scores['f1']:5.1f}   e.g. "
          f"{questions[0]['question']!r} -> {closed_answers[0]!r} (answer {questions[0]['answer']!r})")

# %% [markdown]
# ## 11. What pre-training is worth: the transfer curve
#
# The experiment of the week (`python -m w3_qa.transfer`): for $n$ = 100, 400, 1600 and 4000 labeled
# questions and three seeds (each seed draws its own $n$ questions, the same in every arm), fine-tune in three
# arms: from a pre-trained checkpoint; from random weights with the same steps, schedule, curriculum and
# batches; and from random weights with the pre-training's compute added as fine-tuning steps, so that a gain
# is not just more training. All answer questions about paragraphs that neither stage saw. The gap between
# the curves is what the unlabeled text taught; it matters most when labels are few. A gain is worth only as
# much as its spread over seeds, so the table gives each seed's.
#
# The checkpoint was chosen by a cheap signal first, the copy probe (`python -m w3_qa.probe`): on held-out
# paragraphs that mention a fact twice, mask one mention and count how often the model writes the other,
# word for word. Section 8's recipe (span corruption, half the paragraphs masked at repeated facts, 800 steps)
# scores 0% on it; a pre-training where most paragraphs come with a cloze sentence about a fact they state
# ("... context: ..."), short passages first and fresh paragraphs throughout, learns to find and copy
# (`w3_qa.pretrain_levers`, recipe `cloze_heavy`, 9,000 steps): the curve's checkpoint.

# %% [demonstration]
import json  # noqa: E402

from w3_qa.transfer import gain_spread
from w3_qa.visualize import plot_transfer_curve

probe_file = cfg.ASSETS_DIR / "probe.json"
if probe_file.exists():
    for entry in json.loads(probe_file.read_text())["probes"]:
        print(f"copy probe, {entry['checkpoint']} ({entry['pretrain_steps']} pre-training steps): "
              f"{entry['copied']:.1f}% copied, {entry['copied_cloze']:.1f}% as a cloze")
if cfg.TRANSFER_RESULTS.exists():
    record = json.loads(cfg.TRANSFER_RESULTS.read_text())
    print(f"the curve's checkpoint: {record['pretrained_checkpoint']}")
    for n, spread in gain_spread(record["rows"]).items():
        em = spread["exact_match"]
        print(f"n = {n:5d}: pre-training gains {em['mean']:+.1f} EM (sd {em['std']:.1f}, seeds {em['per_seed']}), "
              f"{spread['f1']['mean']:+.1f} F1")
    for n, spread in gain_spread(record["rows"], "scratch_matched").items():
        print(f"n = {n:5d}: over the compute-matched control {spread['exact_match']['mean']:+.1f} EM")
    plot_transfer_curve(record["rows"]);
else:
    print(f"no {cfg.TRANSFER_RESULTS.name} yet: run `python -m w3_qa.train pretrain --recipe "
          f"{cfg.TRANSFER_PRETRAIN_RECIPE} --steps {cfg.TRANSFER_PRETRAIN_STEPS}`, then `python -m w3_qa.transfer "
          f"--jobs 2` (hours on two CPU cores)")

# %% [markdown]
# What the committed curve says (3 seeds, 2 hours on two CPU cores): pre-training helps at every size, and
# most where scratch cannot learn at all: with 100 labels the pre-trained model answers about 11% of the
# test questions exactly, both scratch arms about 1%, even the one given the pre-training's compute as
# extra fine-tuning steps. The gain is +11 EM at 100 labels and +18 to +20 at 1,600 and 4,000: it grows
# instead of shrinking as in the T5 paper, because this small model, with 400 to 1,500 fine-tuning steps, is
# still learning the answer format at every size (from scratch it needs thousands of steps more), and its
# pre-training teaches only part of what answering needs (the probe: 39% of the cloze items copied).
# A larger model, a longer pre-training and longer fine-tuning are what the T5 paper had.

# %% [markdown]
# ## Summary
#
# * Transfer learning reuses what a model learned: as features, or by fine-tuning its weights; unlabeled
#   text supplies most of it through self-supervised tasks.
# * ELMo reads left and right separately with LSTMs, GPT left only, BERT both at once with a Transformer
#   encoder, T5 with an encoder-decoder that casts every task as text to text.
# * BERT predicts 15% of the tokens (80% masked, 10% random, 10% kept) and, originally, the next sentence;
#   T5 replaces masked spans by sentinels and writes what they hide.
# * Multi-task training mixes tasks in proportion to their size (capped), equally, or in between with a
#   temperature.
# * GLUE scores one model on nine tasks, each by its own metric (accuracy, F1, Matthews or Pearson/Spearman
#   correlation), and averages the task scores; a table is read against its majority-class baseline.
# * A pre-trained encoder-decoder fine-tuned on "question: Q context: C" writes the answer; exact match and
#   F1 score it, and the transfer curve shows what pre-training gained.

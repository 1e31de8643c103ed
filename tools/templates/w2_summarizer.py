# Template of source/w2_summarizer/w2_summarizer.ipynb: see tools/build_notebooks.py for the cell format.
# Solution cells are copied from the w2_summarizer library; edit the library, then `make notebooks`.

# %% [markdown]
# # Week 2: Text Summarization with a Transformer Decoder
#
# In this assignment you build a **Transformer decoder**, the architecture of GPT-2, in Trax, piece by
# piece, and use it to summarize news articles. You will
#
# 1. see why Transformers replaced RNNs for sequence tasks,
# 2. implement **scaled dot-product attention**, its **causal** (masked) form, **multi-head attention**
#    and the **positional encoding**,
# 3. assemble the **decoder block** and the whole **Transformer language model**,
# 4. train it to write summaries, with a loss that counts the summary only,
# 5. generate summaries token by token, greedily or by sampling with a temperature, and score them
#    with **ROUGE**.
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
from trax.fastmath import numpy as jnp  # noqa: E402

from autograder.checks.w2_summarizer import CHECKS as checks  # noqa: E402

# W2_SUMMARIZER_FAST=1 (set by the course's tests) makes the demonstrations tiny; leave it unset.
FAST = os.environ.get("W2_SUMMARIZER_FAST") == "1"
%matplotlib inline

# %% [markdown]
# ## 1. RNNs and Transformers
#
# An RNN reads a sentence one token at a time: step $t$ needs the hidden state of step $t-1$. Translating
# or summarizing a text of $T$ tokens takes $T$ sequential steps, however many processors you have, and
# information from the first tokens must survive every step to reach the last one. Gradients vanish on
# long sequences; LSTMs and GRUs, even with attention on top, only soften this.
#
# The **Transformer** (Vaswani et al., 2017, "Attention is all you need") drops recurrence. Every
# position looks at every other position through **attention**, in one step, so a whole sequence is
# processed in parallel, and the path between any two tokens has length one. What attention alone
# loses, the order of the tokens, is added back with a **positional encoding**.
#
# The original Transformer has an encoder and a decoder. Its pieces became famous models: **GPT-2** is a
# decoder alone (a language model that continues a text), **BERT** an encoder alone, **T5** both. This
# week you build the GPT-2 style decoder; next week uses the encoder.
#
# ## 2. Scaled dot-product attention
#
# Attention maps queries $Q$, keys $K$ and values $V$ to a weighted average of the values, weighted by how
# well each query matches each key:
#
# $$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^\top}{\sqrt{d_k}} + M\right) V$$
#
# where $d_k$ is the depth of the queries and keys (dividing by $\sqrt{d_k}$ keeps the scores from
# growing with it, so the softmax does not saturate) and the **mask** $M$ is 0 where a query may look and
# a very large negative number (here $-10^9$) where it may not: after the softmax those weights are 0.
# It is two matrix multiplications and a softmax: fast on GPUs and TPUs.
#
# The helpers that the exercises use (argument checks, the masked score) are imported here.

# %% provided: w2_summarizer.model

# %% solution: w2_summarizer.model:DotProductAttention
# Compute the scores `query @ key^T / sqrt(depth)` with `jnp.matmul` and `jnp.swapaxes(key, -1, -2)`.
# Where `mask` is False (and only if a mask is given), replace the score by `MASKED_SCORE` with
# `jnp.where`. Then the softmax: subtract the row maximum (so that a row where everything is masked
# does not turn into a sum of n ones), then subtract `trax.fastmath.logsumexp(..., axis=-1,
# keepdims=True)` and exponentiate. Finally multiply the weights with `value`.
#
# *Where this differs from the course, on purpose:* a row whose positions are all masked gets uniform
# weights, 1/n each; the course's version gives each of them weight 1 (in float32, -1e9 + log n rounds
# to -1e9, so the logsumexp removes nothing).

# %% visible-test: DotProductAttention

# %% hidden-test: DotProductAttention

# %% [markdown]
# ## 3. Self-attention, causal attention, encoder-decoder attention
#
# The same function serves three kinds of attention, which differ in where $Q$, $K$ and $V$ come from
# and in the mask:
#
# * **encoder-decoder attention** (Week 1): the queries come from one sentence (the decoder), the keys
#   and values from another (the encoder);
# * **self-attention** (an encoder, e.g. BERT): queries, keys and values come from the same sequence,
#   and every word looks at every other word, before and after it;
# * **masked (causal) self-attention** (a decoder, e.g. GPT-2): the same, but position $i$ may only look
#   at positions $0, \dots, i$. When a language model is trained to predict each next token, all
#   positions are computed at once, and the mask stops each of them from reading the future it predicts.
#
# The causal mask is the lower triangle of a square matrix of booleans:

# %%
print(np.tril(np.ones((4, 4), dtype=bool)).astype(int))

# %% solution: w2_summarizer.model:dot_product_self_attention
# Build the causal mask of shape `(1, length, length)` with `jnp.tril(jnp.ones(..., dtype=jnp.bool_),
# k=0)`, where `length = q.shape[-2]`, and call your `DotProductAttention`.

# %% visible-test: dot_product_self_attention

# %% hidden-test: dot_product_self_attention

# %% [markdown]
# ## 4. Multi-head attention
#
# One attention looks at the sequence in one way. **Multi-head attention** runs $h$ attentions in
# parallel, each on its own learned projection of the queries, keys and values into $d_{head} =
# d_{model} / h$ features, then concatenates the $h$ results and mixes them with a last linear layer. The
# cost is about that of one attention of full width, but each head can learn a different relation (the
# previous word, the subject of the verb, the same name earlier in the text, ...).
#
# In code, the heads are a reshape: features `(batch, length, n_heads * d_head)` become
# `(batch * n_heads, length, d_head)`, so that the attention runs on all heads of all batch elements at
# once, and back. In the first exercise, reshape to `(batch, length, n_heads, d_head)`, move the head axis
# next to the batch axis with `jnp.transpose(x, (0, 2, 1, 3))`, and merge the first two axes with
# another reshape. The second exercise undoes it. (A reshape alone gives the right shape but mixes the
# heads up: the tests will tell.)

# %% solution: w2_summarizer.model:compute_attention_heads_closure
# Inside `compute_attention_heads(x)`: three lines, reshape, transpose, reshape.

# %% visible-test: compute_attention_heads_closure

# %% hidden-test: compute_attention_heads_closure

# %% solution: w2_summarizer.model:compute_attention_output_closure
# Inside `compute_attention_output(x)`: reshape to `(-1, n_heads, length, d_head)`, transpose back to
# `(batch, length, n_heads, d_head)`, reshape to `(batch, length, n_heads * d_head)`.

# %% visible-test: compute_attention_output_closure

# %% hidden-test: compute_attention_output_closure

# %% [markdown]
# ## 5. Positional encoding
#
# Attention treats its input as a set: shuffle the words and every output is shuffled the same way. The
# Transformer adds to each token's embedding a vector that depends on its position only. The original
# paper uses sines and cosines of geometrically spaced frequencies:
#
# $$PE_{(pos, 2i)} = \sin\left(\frac{pos}{10000^{2i / d_{model}}}\right), \qquad
#   PE_{(pos, 2i+1)} = \cos\left(\frac{pos}{10000^{2i / d_{model}}}\right)$$
#
# Features $2i$ and $2i+1$ share a frequency. Nearby positions get similar vectors, and the encoding of
# position $pos + k$ is a linear function (a rotation) of that of $pos$, which makes relative positions
# easy to learn. Trax's `tl.PositionalEncoding` starts from this table and fine-tunes it during
# training; the model below uses the same layer, initialised by your function.

# %% solution: w2_summarizer.model:positional_encoding
# With numpy: `positions` as a column `(max_len, 1)`, the feature indices as a row `(1, d_model)`;
# the angle rates are `1 / 10000 ** (2 * (i // 2) / d_model)`. Take the sine of the even columns and the
# cosine of the odd ones (`angles[:, 0::2]`, `angles[:, 1::2]`), then add a leading axis of size 1.

# %% visible-test: positional_encoding

# %% hidden-test: positional_encoding

# %% [demonstration]
import matplotlib.pyplot as plt

encoding = positional_encoding(64, 32)[0]
fig, ax = plt.subplots(figsize=(8, 3))
ax.imshow(encoding.T, aspect="auto", cmap="RdBu")
ax.set_xlabel("position")
ax.set_ylabel("feature")
ax.set_title("sinusoidal positional encoding: each feature pair is a sine/cosine of one frequency");

# %% [markdown]
# ## 6. The causal attention layer
#
# Now the pieces become a Trax layer. `CausalAttention` takes activations `(batch, length, d_feature)`:
#
# 1. `tl.Branch` makes three copies: each goes through its own `tl.Dense(d_feature)` (the learned
#    projections to queries, keys and values) and is split into heads by your `compute_attention_heads`
#    wrapped in `tl.Fn("AttnHeads", ..., n_out=1)`;
# 2. `CausalSelfAttentionCore(dot_product_self_attention, DotProductAttention, mode=mode,
#    max_len=max_len)` (given) applies your causal attention per head. In 'predict' mode, used to
#    generate text, it also keeps the keys and values of the tokens already seen, so that each new token
#    costs one position instead of the whole prefix;
# 3. your `compute_attention_output` (in `tl.Fn("AttnOutput", ..., n_out=1)`) joins the heads;
# 4. a last `tl.Dense(d_feature)` mixes them.

# %% solution: w2_summarizer.model:CausalAttention
# One `tl.Serial` of the four steps above; build the `AttnHeads` Fn once and use it in the three branches.

# %% visible-test: CausalAttention

# %% hidden-test: CausalAttention

# %% [markdown]
# ## 7. The decoder block and the Transformer language model
#
# A decoder block is causal attention followed by a feed-forward network, each wrapped in a residual
# connection, with layer normalization at the start of each (as in GPT-2 and Trax's own model):
#
# ```
# x -> x + Dropout(CausalAttention(LayerNorm(x)))
#   -> x + Dropout(Dense(d_model)(Dropout(activation(Dense(d_ff)(LayerNorm(x))))))
# ```
#
# `tl.Residual(layer, ...)` computes `x + layers(x)`. Return the two residual layers in a list.

# %% solution: w2_summarizer.model:DecoderBlock
# `causal_attention = CausalAttention(d_model, n_heads=n_heads, mode=mode, max_len=max_len)`; the
# feed-forward part is a list: `tl.LayerNorm()`, `tl.Dense(d_ff)`, `ff_activation()`,
# `tl.Dropout(rate=dropout, mode=mode)`, `tl.Dense(d_model)`, `tl.Dropout(rate=dropout, mode=mode)`.

# %% visible-test: DecoderBlock

# %% hidden-test: DecoderBlock

# %% [markdown]
# The whole model: `tl.ShiftRight(mode=mode)` (so that position $t$ predicts token $t$ from the tokens
# before it: teacher forcing, as in Week 1), a token embedding, dropout, the positional encoding
# (`PositionalEncoding(max_len=max_len, mode=mode)`, given: Trax's layer initialised by your
# `positional_encoding`), `n_layers` decoder blocks, a last `tl.LayerNorm()`, `tl.Dense(vocab_size)`
# and `tl.LogSoftmax()`.

# %% solution: w2_summarizer.model:TransformerLM
# A list for the embedding, dropout and positional encoding; a list comprehension for the decoder blocks
# (pass `max_len=max_len` to each); then one `tl.Serial` of everything in order.

# %% visible-test: TransformerLM

# %% hidden-test: TransformerLM

# %%
print(TransformerLM(vocab_size=2000, d_model=128, d_ff=256, n_layers=1, n_heads=4, max_len=512, mode="eval"))

# %% [markdown]
# ## 8. The data: articles and their summaries
#
# The articles come from a seeded generator (`w2_summarizer.data`) of news-like reports: football
# matches, weather forecasts, company results and local events, each written from several templates with
# varied wording and order. Every article mixes the key facts with details and **distractors**: last
# week's score, another team's result, last quarter's revenue, another festival. The reference summary
# restates the key facts only, so a good summarizer must pick them out. (`load_jsonl`, `load_csv` and
# `load_tfds_cnn_dailymail` read your own article/highlights files instead.)

# %%
from w2_summarizer.data import make_splits

splits = make_splits(n_train=2000 if FAST else 20000, n_eval=100, n_test=200)
for example in splits["train"][:2]:
    print(f"[{example['topic']}] {example['article']}\nSUMMARY: {example['summary']}\n")

# %% [markdown]
# ### One sequence per example, a loss on the summary only
#
# A language model only continues text, so a summarizer is a language model trained on
# `article EOS PAD summary EOS`: after reading an article and the separator, it has learned to write its
# summary. The loss weights are 0 on the article and the separator and 1 on the summary and its final
# EOS: the model is not asked to predict the article (which it could not do well and which we do not
# need), only the summary. Sequences are grouped by length into buckets of 128 and 192 tokens
# (`make_batch_stream`), so that JAX compiles the model for two shapes only.

# %%
from coursekit.tokenizer import EOS_ID  # noqa: E402
from w2_summarizer.pipeline import encode_example, make_batch_stream
from w2_summarizer.tokenizer import default_tokenizer

tokenizer = default_tokenizer()
joint, weights = encode_example(splits["train"][0], tokenizer)
start = int(np.argmax(weights))
print(f"{len(joint)} tokens; the weights become 1 at position {start}")
print("around the separator:", [tokenizer.id_to_piece(int(i)) for i in joint[start - 4:start + 4]])
print("weights there:       ", weights[start - 4:start + 4])
inputs, targets, batch_weights = next(make_batch_stream(splits["train"], tokenizer, batch_boundaries=(128, 192),
                                                        batch_sizes=(16, 12)))
print("a batch:", inputs.shape, inputs.dtype, batch_weights.shape, batch_weights.dtype)

# %% [markdown]
# ## 9. Training
#
# `training_loop` puts together what Trax needs to train:
#
# * a `training.TrainTask` with the batches, the loss `tl.WeightedCategoryCrossEntropy()` (it uses the
#   weights, so only summary tokens count), the optimizer `trax.optimizers.Adam(config.learning_rate)`, a
#   learning-rate schedule `trax.lr.warmup_and_rsqrt_decay(n_warmup_steps=config.warmup_steps,
#   max_value=config.learning_rate)` (a linear warm-up, then a decay as $1/\sqrt{step}$), the checkpoint
#   interval `config.steps_per_checkpoint` and `loss_name="loss"`;
# * a `training.EvalTask` with the eval batches, the metrics `tl.WeightedCategoryCrossEntropy()` and
#   `tl.WeightedCategoryAccuracy()` named `["loss", "accuracy"]`, and `config.eval_batches` batches;
# * a `training.Loop` of `TransformerLM(vocab_size, mode="train", **config.model_kwargs())`, the train
#   task in a list, `eval_tasks=[...]`, `output_dir`, `random_seed=config.seed` and
#   `checkpoint_at=lambda step: False` (no checkpoint files; we save the weights ourselves).

# %% provided: w2_summarizer.train

# %% solution: w2_summarizer.train:training_loop
# Build the three objects described above and return the loop (do not run it).

# %% visible-test: training_loop

# %% hidden-test: training_loop

# %% [markdown]
# A few steps of a tiny model on the real data, to see the loop at work. The reference summarizer
# (`python -m w2_summarizer.train`: 2 decoder blocks, $d_{model} = 128$, 4 heads) trained for thousands of
# steps with this loop; its recipe then lets the learning rate fall linearly to zero over the last quarter
# of the run (`add_cooldown`), which settles the weights: it restates more of the articles' numbers and
# names word for word. Its loss curves are below.

# %% [demonstration]
import dataclasses  # noqa: E402

from w2_summarizer import config as cfg
from w2_summarizer.train import load_model, make_model, train_model

DEMO_CONFIG = dataclasses.replace(cfg.DEFAULT, d_model=32, d_ff=64, n_layers=1, n_heads=2, n_train=500,
                                  n_eval=50, n_test=50, batch_sizes=(8, 8, 8), warmup_steps=5,
                                  steps_per_checkpoint=5, eval_batches=1)
demo_model, demo_history, seconds = train_model(DEMO_CONFIG, n_steps=10 if FAST else 40, progress=True)
print(f"{demo_history[-1]['step']} steps in {seconds:.0f} s: eval loss {demo_history[-1]['eval_loss']:.3f}")

# %% [demonstration]
import json  # noqa: E402

from w2_summarizer.visualize import plot_loss_curves

record_path = cfg.REFERENCE_CHECKPOINT.with_name("summarizer.train.json")
if cfg.REFERENCE_CHECKPOINT.exists():
    record = json.loads(record_path.read_text())
    model = load_model()
    plot_loss_curves(record["history"], title=f"reference summarizer: {record['steps']} steps, "
                                              f"{record['seconds'] / 60:.0f} min on CPU")
else:
    print(f"note: no reference checkpoint at {cfg.REFERENCE_CHECKPOINT.name} (train it with "
          f"`python -m w2_summarizer.train`); using the demonstration model, whose summaries are poor")
    model = make_model(tokenizer.vocab_size, DEMO_CONFIG, mode="eval")
    model.init(trax.shapes.ShapeDtype((1, 16), np.int32))
    model.weights = demo_model.weights
    plot_loss_curves(demo_history, title="demonstration model")

# %% [markdown]
# ## 10. Writing a summary
#
# The model writes one token at a time. `next_symbol` runs the model on everything so far (the article,
# EOS, the separator and the summary tokens already written), padded with zeros to the next power of 2
# (few shapes, few compilations: Week 1's `padded_length`), and reads the log-probabilities at the
# position right after the real tokens. With temperature 0 it takes the most probable token; otherwise
# it samples with Week 1's `gumbel_sample`. `sampling_decode` repeats this until EOS, and
# `greedy_decode` is sampling at temperature 0.

# %% provided: w2_summarizer.decoding

# %% solution: w2_summarizer.decoding:next_symbol
# Pad `cur_output_tokens` with zeros to `padded_length(token_length)`, add a batch axis (an int32 array of
# shape `(1, padded)`), call `model` on it, take `[0, token_length, :]`, and pick the symbol with
# `gumbel_sample(log_probs, temperature, as_rng(rng))`.
#
# *Where this differs from the course, on purpose:* it returns `(id, log_prob)`, the token and its
# log-probability (the course returns the id alone), so that `sampling_decode` can score what it wrote.

# %% visible-test: next_symbol

# %% hidden-test: next_symbol

# %% solution: w2_summarizer.decoding:sampling_decode
# Start from `summary_prompt(tokenizer.tokenize(input_sentence))` (the article, EOS and the separator);
# call `next_symbol` until it returns `EOS_ID` or `max_length` tokens were generated, appending each
# token to both the running sequence and the generated output and adding up the log-probabilities.
# Detokenize the generated output.

# %% visible-test: sampling_decode

# %% hidden-test: sampling_decode

# %% solution: w2_summarizer.decoding:greedy_decode
# One call of `sampling_decode` at temperature 0.

# %% visible-test: greedy_decode

# %% hidden-test: greedy_decode

# %% [demonstration]
example = splits["test"][0]
print("ARTICLE:  ", example["article"])
print("REFERENCE:", example["summary"])
print("GREEDY:   ", greedy_decode(example["article"], model, tokenizer=tokenizer))
for temperature in (0.5, 1.0):
    print(f"T = {temperature}:   ", sampling_decode(example["article"], model, temperature, tokenizer=tokenizer,
                                                    rng=0)[2])

# %% [markdown]
# ### Faster generation with a cache
#
# `next_symbol` recomputes every earlier position at every step, although their keys and values never
# change (the mask hides the future from them). In 'predict' mode the model keeps them in its state:
# `CachedSummarizer` feeds the article in a few chunks, then one token per call, so each step costs one
# position. The tokens are the same.

# %% [demonstration]
import time  # noqa: E402

from w2_summarizer.decoding import CachedSummarizer

cached = CachedSummarizer(model, cfg.DEFAULT if cfg.REFERENCE_CHECKPOINT.exists() else DEMO_CONFIG)
cached.summarize(example["article"], tokenizer)  # compiles once
start = time.perf_counter()
fast_summary = cached.summarize(example["article"], tokenizer)
cached_seconds = time.perf_counter() - start
start = time.perf_counter()
slow_summary = greedy_decode(example["article"], model, tokenizer=tokenizer)
print(f"cached: {cached_seconds:.2f} s, recomputing: {time.perf_counter() - start:.2f} s, "
      f"same summary: {fast_summary == slow_summary}")

# %% [markdown]
# ## 11. ROUGE
#
# Summaries are scored with Week 1's ROUGE: ROUGE-N counts the n-grams of the reference that the summary
# recovers (recall) and the n-grams of the summary found in the reference (precision), and ROUGE-L uses
# the longest common subsequence. Texts are split into lower-case words as the `rouge-score` package
# does, and the scores agree with it. Like BLEU, ROUGE counts words, not meaning: a summary with the
# right words and a wrong score ("3-1" for "1-3") loses little.
#
# So we also count the **key facts** (the score, the scorer, the revenue, the organiser, ...) that the
# summary restates word for word: `fact_recall` gives the share per fact type. A summarizer that has only
# learned each topic's template writes fluent summaries with the wrong names and numbers: high ROUGE, low
# fact recall. The reference model learns to copy because its training starts on the articles' fact
# sentences alone (`w2_summarizer.curriculum`) before whole articles with their distractors.

# %% [demonstration]
from w2_summarizer.evaluate import evaluate_summarizer, fact_recall

test_articles = splits["test"][:5 if FAST else 50]
result = evaluate_summarizer(model, test_articles, tokenizer,
                             config=cfg.DEFAULT if cfg.REFERENCE_CHECKPOINT.exists() else DEMO_CONFIG)
print({name: round(result[name], 3) for name in ("rouge1", "rouge2", "rougeL")}, f"on {result['n']} articles")
recall = fact_recall(test_articles, result["summaries"])
print(f"key facts restated word for word: {recall.pop('all'):.0%} of all;",
      ", ".join(f"{name} {share:.0%}" for name, share in sorted(recall.items(), key=lambda item: item[1])))
# On 200 fresh articles: `python -m w2_summarizer.evaluate --n 200 --seed SEED`.

# %% [markdown]
# ## 12. What does a causal head look at?
#
# The attention weights of the model's last decoder block while it reads an article and writes its
# summary (teacher forcing: the reference summary is fed in). Rows are the summary's positions, columns
# everything before them. Heads that copy facts look back at the name or the number in the article that
# the summary is about to repeat.

# %% [demonstration]
from w2_summarizer.pipeline import summary_prompt  # noqa: E402
from w2_summarizer.visualize import causal_attention_weights, plot_attention

short = min(splits["test"][:40], key=lambda e: len(e["article"]))
prompt = summary_prompt(tokenizer.tokenize(short["article"]))
tokens = prompt + tokenizer.tokenize(short["summary"]) + [EOS_ID]
n_layers = cfg.DEFAULT.n_layers if cfg.REFERENCE_CHECKPOINT.exists() else DEMO_CONFIG.n_layers
attention = causal_attention_weights(model, tokens, layer=n_layers - 1)
labels = ["<s>"] + [tokenizer.id_to_piece(int(t)) for t in tokens[:-1]]  # position i reads token i - 1
plot_attention(attention, labels, head=0, rows=slice(len(prompt), None), title=short["summary"]);

# %% [markdown]
# ## 13. Where Transformers are used
#
# The lecture's applications, and the part of the Transformer each one needs:
#
# | application | input -> output | architecture (an example) | attention |
# |---|---|---|---|
# | auto-complete | the text so far -> the next words | decoder (GPT-2, this week's model) | causal |
# | chat-bots | the conversation so far -> a reply | decoder (GPT-2 and its successors) | causal |
# | summarization | an article -> its summary | decoder (this week) or encoder-decoder (T5) | causal; or encoder-decoder |
# | translation | a sentence -> its translation | encoder-decoder (Week 1's idea, the original Transformer) | encoder-decoder |
# | question answering | a question and a context -> the answer | encoder (BERT: the answer's span) or encoder-decoder (T5, Week 3) | fully visible; or encoder-decoder |
# | named entity recognition | a sentence -> a tag per word (person, place, organisation or none) | encoder (BERT) | fully visible |
# | tagging, classification | a sentence -> a tag per word ("The wind blows hard": article, noun, verb, adjective) or one label (sentiment) | encoder (BERT) | fully visible |
#
# A decoder alone does any of these once the task is written as text to continue, which is how this
# week's model summarizes: "article EOS PAD" is the prompt, the summary its continuation. **Auto-complete**
# is the same loop from the first words of a text. What it can complete depends on what its loss taught:
# ours was weighted on the summary only, so it never learned to predict an article's next word. Started
# on an article's opening it writes fragments; started on the first words of a summary, it completes it.

# %% [demonstration]
def complete(tokens, n_tokens):
    """Greedy continuation of `tokens` with your `next_symbol` (temperature 0), until EOS."""
    written = []
    for _ in range(n_tokens):
        symbol, _ = next_symbol(tokens + written, model)
        if symbol == EOS_ID:
            break
        written.append(symbol)
    return tokenizer.detokenize(written)


news = splits["test"][1]
opening = " ".join(news["article"].split()[:10])
print(f"article:  {opening} [...] -> {complete(tokenizer.tokenize(opening), 4 if FAST else 16)!r}")
start = " ".join(news["summary"].split()[:3])
prompt = summary_prompt(tokenizer.tokenize(news["article"])) + tokenizer.tokenize(start)
print(f"summary:  {start} [...] -> {complete(prompt, 4 if FAST else 30)!r}")
print(f"reference: {news['summary']}")

# %% [markdown]
# **Where encoder-decoder attention sits.** In an encoder-decoder (T5, the original Transformer) each
# decoder block has three sub-layers, each with its residual connection and layer normalization: causal
# self-attention over the output so far, then **encoder-decoder attention**, whose queries come from the
# decoder and whose keys and values are the encoder's outputs, then the feed-forward layer. It is Week 1's
# attention (queries from the target, keys and values from the source) inside a Transformer; no causal
# mask is needed there, because the whole input is known. With your `DotProductAttention`: three decoder
# positions attend over five encoder positions, and the padding mask hides the encoder's last position.

# %%
encoder_outputs = np.random.default_rng(0).normal(size=(1, 5, 4)).astype(np.float32)  # keys and values
decoder_states = np.random.default_rng(1).normal(size=(1, 3, 4)).astype(np.float32)  # queries
padding = np.array([[[True, True, True, True, False]]])  # (1, 1, 5): the 5th input position is padding
mixed = DotProductAttention(decoder_states, encoder_outputs, encoder_outputs, padding)
weights = np.exp(np.asarray(decoder_states @ encoder_outputs.transpose(0, 2, 1)) / 2.0)  # sqrt(depth) = 2
weights = np.where(padding, weights, 0.0)
weights /= weights.sum(-1, keepdims=True)
print("one row per decoder position, one column per encoder position:\n", np.round(weights[0], 3))
print("output shape", np.asarray(mixed).shape, "(a mix of the encoder outputs for each decoder position)")
np.testing.assert_allclose(np.asarray(mixed), weights @ encoder_outputs, rtol=1e-4, atol=1e-5)

# %% [markdown]
# ## Summary
#
# * Transformers replace recurrence with attention: every position looks at every other in one step,
#   which parallelises training and shortens the path between distant tokens; positional encodings put
#   the order back.
# * Scaled dot-product attention is $\mathrm{softmax}(QK^\top/\sqrt{d_k} + M)V$; self, causal and
#   encoder-decoder attention differ only in the origin of $Q, K, V$ and in the mask.
# * Multi-head attention runs several attentions on learned projections, as reshapes of one tensor.
# * A GPT-2 style decoder is embedding + positional encoding + blocks of causal attention and
#   feed-forward layers with residual connections and layer normalization.
# * Summarization as language modelling: train on "article EOS PAD summary EOS" with weights on the
#   summary only, then let the model continue an article; a key/value cache makes generation fast.
# * The same decoder auto-completes and chats; translation and T5-style question answering use an
#   encoder-decoder, whose decoder reads the input through encoder-decoder attention; BERT's encoder tags
#   words (NER) and finds answer spans.

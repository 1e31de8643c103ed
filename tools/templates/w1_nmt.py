# Template of source/w1_nmt/w1_nmt.ipynb: see tools/build_notebooks.py for the cell format.
# Solution cells are copied from the w1_nmt library; edit the library, then `make notebooks`.

# %% [markdown]
# # Week 1: Neural Machine Translation with Attention
#
# In this assignment you build an English-to-German translator in Trax: an LSTM encoder-decoder with
# **scaled dot-product attention**, the model of Bahdanau et al. (2015) with the attention of
# Vaswani et al. (2017). You will
#
# 1. see why a plain seq2seq model struggles with long sentences (the information bottleneck),
# 2. prepare the data: sentence pairs, a subword tokenizer, batches bucketed by length,
# 3. build the model with attention, piece by piece, and train it with teacher forcing,
# 4. evaluate translations with **BLEU** and **ROUGE-N**,
# 5. decode: greedy decoding, sampling with a temperature, **beam search** and
#    **Minimum Bayes Risk** (MBR).
#
# Each exercise is a function. Replace its `# YOUR CODE HERE` and `raise NotImplementedError()` lines
# with your code, then run the test cell below it: it prints "all ... cases passed" or says which case
# differs and how. Hidden tests with other inputs run when your notebook is graded. The argument checks
# at the top of each function and the code around the exercise are given: keep them. Cells that
# train, translate or plot are demonstrations; the grader skips them.

# %%
# Setup: Trax (imported through coursekit: fast and quiet), numpy, and the checks of this week.
import os

from coursekit.trax_env import import_trax

trax = import_trax()
import numpy as np  # noqa: E402
from trax import layers as tl  # noqa: E402

from autograder.checks.w1_nmt import CHECKS as checks  # noqa: E402

# W1_NMT_FAST=1 (set by the course's tests) makes the demonstrations tiny; leave it unset.
FAST = os.environ.get("W1_NMT_FAST") == "1"
%matplotlib inline

# %% [markdown]
# ## 1. Seq2seq and its information bottleneck
#
# A **seq2seq** model (Sutskever et al., 2014) maps a variable-length sequence to another one:
#
# * the **encoder**, an LSTM, reads the source sentence "It's time for tea" token by token;
# * its last hidden state, a vector of fixed size, is all that the **decoder** receives; from it the
#   decoder writes "C'est l'heure du thé" one token at a time.
#
# A fixed amount of information goes from the encoder to the decoder, whatever the length of the
# sentence. Long sentences do not fit: as sentences get longer, translation quality falls. Passing
# *all* the encoder's hidden states instead would overwhelm the decoder with memory and context that
# it cannot use at every step. The solution: let the decoder **focus its attention** on the hidden
# states that matter for the word it is writing now.
#
# ## 2. Attention
#
# At decoder step $i$, attention scores how well each encoder state $h_j$ matches what the decoder
# needs (a higher score for a better match), turns the scores into weights $\alpha_{ij}$ with a
# softmax, and passes the weighted sum, the **context vector**
#
# $$c_i = \sum_{j=1}^{T_x} \alpha_{ij} h_j ,$$
#
# to the decoder: an expected value of the encoder states along the word alignment.
#
# ## 3. Queries, keys and values; scaled dot-product attention
#
# Attention is a soft dictionary lookup. A **query** (here: the decoder's state while it writes
# "l'heure") is matched to every **key** (the encoder's states for "It's", "time", "for", "tea");
# the better the match, the more of the key's **value** is returned. The similarity between queries and
# keys is the **alignment**. With the queries, keys and values packed into matrices $Q, K, V$:
#
# $$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V$$
#
# Two matrix multiplications and a softmax, no trainable weights of its own (the layer learns the
# projections that produce $Q$, $K$ and $V$). Dividing by $\sqrt{d_k}$, the square root of the key
# size, keeps the dot products from growing with the model size, so that the softmax does not
# saturate. Because any query can look at any key, attention works for languages whose word orders
# differ: German puts the verb at the end of a subordinate clause, where English has it second.
#
# Here is the formula on a toy example: one query, three keys.

# %%
def scaled_dot_product(Q, K, V):
    """softmax(Q K^T / sqrt(d_k)) V and the attention weights, for (queries, d_k) / (keys, d_k) arrays."""
    scores = Q @ K.T / np.sqrt(K.shape[-1])
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ V, weights


Q = np.array([[1.0, 0.0]])                                # "l'heure"
K = np.array([[0.2, 1.0], [2.0, 0.1], [0.1, 0.3]])      # "It's", "time", "tea"
V = np.array([[0.5, 0.2], [0.2, -0.7], [-0.4, 0.6]])
context, weights = scaled_dot_product(Q, K, V)
print("weights:", weights.round(3), " context:", context.round(3))

# %% [markdown]
# The query matches the key of "time" best, so most of the context comes from its value.
#
# ## 4. Setup for machine translation
#
# ### The data
#
# The sentence pairs come from a seeded generator (`w1_nmt.data`) of English sentences and their German
# translations. It is built so that this week's lesson shows: the word order changes between the two
# languages (verb-final subordinate clauses, verb-second after an adverbial, "hat ... gelesen"), and
# sentences range from 3 to 60 words, long enough to expose the bottleneck. (`load_tsv_pairs` reads
# your own tab-separated file of pairs instead.)

# %%
from w1_nmt.data import make_splits

splits = make_splits(n_train=500 if FAST else 5000, n_eval=100, n_test=200)
for english, german in splits["train"][:3]:
    print(f"EN: {english}\nDE: {german}\n")

# %% [markdown]
# ### The tokenizer
#
# A model reads integer ids, not words. We use one **subword** (SentencePiece BPE) vocabulary for both
# languages, trained on the training sentences (`python -m w1_nmt.tokenizer`). Id 0 is padding and
# id 1 marks the end of a sentence (EOS); the models append EOS to every sentence and pad batches
# with zeros to a common length.

# %%
from w1_nmt.tokenizer import EOS_ID, PAD_ID, default_tokenizer

tokenizer = default_tokenizer()
english, german = splits["train"][0]
ids = tokenizer.tokenize(english)
print(tokenizer)
print(ids)
print([tokenizer.id_to_piece(i) for i in ids])
print(tokenizer.detokenize(ids + [EOS_ID, PAD_ID, PAD_ID]))

# %% [markdown]
# ### Batches, bucketed by length
#
# The `trax.data` pipeline of `w1_nmt.pipeline` shuffles the pairs, tokenizes them, appends EOS,
# drops pairs longer than `max_length`, and **buckets** them by length: sentences of similar length
# are batched together and padded to the bucket's boundary (16, 32, 64 or 96 tokens), with more
# sentences per batch in the short buckets. Padding is small, and the model sees only four shapes, so
# JAX compiles it only four times. Each batch also carries loss **weights**: 1 on real target tokens,
# 0 on padding.

# %%
from w1_nmt.pipeline import make_batch_stream

batches = make_batch_stream(splits["train"], tokenizer, seed=0)
for _ in range(3):
    inputs, targets, mask = next(batches)
    print(f"inputs {inputs.shape} {inputs.dtype}, targets {targets.shape}, weights {mask.shape}")
print("first input:", inputs[0])
print("its weights:", mask[0])

# %% [markdown]
# ## 5. Teacher forcing
#
# A seq2seq decoder writes one token after the other, each time reading its previous output. In early
# training the model's predictions are wrong, and a wrong word early on derails the rest of the
# sentence: errors compound and training is slow. **Teacher forcing** feeds the decoder the *correct*
# previous token (from the target) instead of its own prediction. In Trax this is one layer:
# `tl.ShiftRight` shifts the targets right by one, so position $t$ sees the target tokens before $t$
# and predicts the token at $t$, all positions in parallel.

# %%
print(tl.ShiftRight(mode="train")(np.array([[11, 12, 13, EOS_ID]])))

# %% [markdown]
# ## 6. The NMT model with attention
#
# Feeding the decoder's own hidden state into the attention while it is being computed is hard to
# implement, so the model has a **pre-attention decoder**: an LSTM that reads the shifted targets
# and provides the queries. The whole model:
#
# ```
# inputs, targets
# -> copy both (tl.Select([0, 1, 0, 1]))          inputs, targets, inputs, targets
# -> input encoder  | pre-attention decoder        encoder activations, decoder activations, inputs, targets
# -> prepare_attention_input                       queries, keys, values, mask, targets
# -> attention (tl.AttentionQKV), plus a residual  context, mask, targets
# -> drop the mask (tl.Select([0, 2]))             context, targets
# -> decoder LSTMs, Dense, LogSoftmax              log-probabilities, targets
# ```
#
# You build it in four steps. The helpers the exercises use (argument checks) are imported here.

# %% provided: w1_nmt.model

# %% solution: w1_nmt.model:input_encoder_fn
# The encoder turns token ids into one activation per token: an embedding of size `d_model`, then
# `n_encoder_layers` LSTMs (`tl.LSTM(d_model)`). Use `tl.Serial`; a list of layers inside it is
# flattened, so `[tl.LSTM(d_model) for _ in range(n)]` works.

# %% visible-test: input_encoder_fn

# %% hidden-test: input_encoder_fn

# %% solution: w1_nmt.model:pre_attention_decoder_fn
# The pre-attention decoder: `tl.ShiftRight(mode=mode)` (teacher forcing), an embedding of the target
# vocabulary, one `tl.LSTM(d_model, mode=mode)`.

# %% visible-test: pre_attention_decoder_fn

# %% hidden-test: pre_attention_decoder_fn

# %% solution: w1_nmt.model:prepare_attention_input
# Queries come from the decoder, keys and values from the encoder. The mask marks real source tokens
# (`inputs != 0`); reshape it to `(batch, 1, 1, input_len)` and broadcast it to
# `(batch, 1, decoder_len, input_len)`, e.g. by adding `fastnp.zeros(..., dtype=bool)`.

# %% visible-test: prepare_attention_input

# %% hidden-test: prepare_attention_input

# %% solution: w1_nmt.model:NMTAttn
# Compose the model as in the diagram above. `tl.Fn("PrepareAttentionInput", prepare_attention_input,
# n_out=4)` makes a layer from your function; `tl.Residual(tl.AttentionQKV(d_model,
# n_heads=n_attention_heads, dropout=attention_dropout, mode=mode))` adds the context to the queries.

# %% visible-test: NMTAttn

# %% hidden-test: NMTAttn

# %%
print(NMTAttn(input_vocab_size=tokenizer.vocab_size, target_vocab_size=tokenizer.vocab_size,
              d_model=32, n_attention_heads=2, mode="eval"))

# %% [markdown]
# ## 7. Training
#
# `w1_nmt.train.train_model` trains the model with Trax's `TrainTask` (cross-entropy weighted by the
# loss weights, Adam, a warm-up then inverse-square-root learning rate) and an `EvalTask` (loss and
# token accuracy on held-out pairs), run by `training.Loop`. Teacher forcing is in the model itself.
# The batches follow a *curriculum* (`w1_nmt.pipeline.make_curriculum_stream`): first sentences of at
# most 12 words, then up to 30, then all lengths. Short sentences teach the attention to align words
# quickly. Trained on all lengths from the start, the same model reached 57% token accuracy after 4000
# steps and its translations wandered off after the first clause; with the curriculum it reaches 99%
# after 2500 steps (about 8 minutes on two CPU cores).
# Training a good model takes thousands of steps, so here we run a short demonstration on a tiny
# configuration and then load the reference model trained with `python -m w1_nmt.train`.

# %%
import dataclasses

from w1_nmt import config as cfg
from w1_nmt.train import input_signature, load_model, make_model, train_model

# %% [demonstration]
DEMO_CONFIG = dataclasses.replace(
    cfg.DEFAULT, d_model=32, n_attention_heads=2, n_encoder_layers=1, n_decoder_layers=1,
    n_train=2000, n_eval=200, n_test=200, batch_boundaries=(32,), batch_sizes=(16,), max_length=32,
    warmup_steps=10, steps_per_checkpoint=10, eval_batches=1)
demo_model, history, seconds = train_model(DEMO_CONFIG, n_steps=20 if FAST else 100, progress=True)
print(f"{history[-1]['step']} steps in {seconds:.0f} s: eval loss {history[-1]['eval_loss']:.3f}, "
      f"eval accuracy {history[-1]['eval_accuracy']:.3f}")

# %% [demonstration]
# The reference model, in 'eval' mode. Without its checkpoint (not trained yet) the demo model is used.
if cfg.REFERENCE_CHECKPOINT.exists():
    model = load_model()
else:
    print(f"note: no reference checkpoint at {cfg.REFERENCE_CHECKPOINT.name} (train it with "
          f"`make train`); using the demonstration model, whose translations are poor")
    model = make_model(tokenizer.vocab_size, DEMO_CONFIG, mode="eval")
    model.init(input_signature())
    model.weights = demo_model.weights

# %% [markdown]
# ### Where does the model look?
#
# The attention weights show the alignment the model learned. Below, the model reads an English
# sentence and, with teacher forcing, its German translation; row $i$ shows the weights of the
# source tokens when the model predicts German token $i$ (averaged over the heads). A well-trained
# model looks at the English verb when it writes the German verb, even at the other end of the clause.

# %% [demonstration]
from w1_nmt.visualize import attention_weights, plot_attention

english, german = next((en, de) for en, de in splits["test"] if "because" in en and len(en.split()) <= 16)
input_ids = tokenizer.tokenize(english) + [EOS_ID]
output_ids = tokenizer.tokenize(german) + [EOS_ID]
weights = attention_weights(model, input_ids, output_ids)
plot_attention(weights, [tokenizer.id_to_piece(i) for i in input_ids],
               [tokenizer.id_to_piece(i) for i in output_ids], title=english);

# %% [markdown]
# ## 8. Evaluating translations: BLEU
#
# **BLEU** (BiLingual Evaluation Understudy, Papineni et al., 2002) compares a candidate translation
# with one or more human reference translations; the closer to 1, the better. The course's example:
#
# | | | | | | |
# |---|---|---|---|---|---|
# | Candidate | I | I | am | I | |
# | Reference 1 | Younes | said | I | am | hungry |
# | Reference 2 | He | said | I | am | hungry |
#
# **How many words of the candidate appear in the references?** All four: $(1+1+1+1)/4 = 1$. A model that
# always outputs common words would score well, so BLEU uses a **modified** precision: once a candidate
# word is matched to a reference word, that reference word is used up. "I" occurs once in a reference,
# so only one of the three "I"s counts: $(1+1)/4 = 0.5$. For n-grams the same **clipping** applies:
# each candidate n-gram counts at most as often as it occurs in the single reference that holds it
# most often.
#
# Every token list below is a list of str tokens, e.g. `"I am hungry".split()`. The metrics use the
# library's n-gram counter and argument checks:

# %% provided: w1_nmt.metrics

# %%
print(ngram_counts("I I am I".split(), 2))

# %% solution: w1_nmt.metrics:simple_precision
# The naive precision: the share of candidate tokens that occur in any reference (no clipping).

# %% visible-test: simple_precision

# %% hidden-test: simple_precision

# %% solution: w1_nmt.metrics:modified_precision
# Count the candidate's n-grams with `ngram_counts(candidate, n)`; for each n-gram find its largest
# count in any *single* reference; credit each candidate n-gram `min(count, max reference count)`
# times; divide by the number of candidate n-grams, `len(candidate) - n + 1` (0.0 if there are none).
# A `Counter` returns 0 for missing keys.

# %% visible-test: modified_precision

# %% hidden-test: modified_precision

# %% [markdown]
# Precision alone rewards short candidates ("I" scores 1.0), so BLEU multiplies by a **brevity
# penalty**: with $c$ the candidate's length and $r$ the length of the reference closest to it,
#
# $$BP = \begin{cases} 1 & c > r \\ e^{1 - r/c} & c \le r \end{cases}$$
#
# and $BP = 0$ for an empty candidate. The provided `closest_reference_length(c, references)` finds
# $r$ (ties go to the shorter reference, as in sacrebleu).

# %% solution: w1_nmt.metrics:brevity_penalty
# Apply the formula above.

# %% visible-test: brevity_penalty

# %% hidden-test: brevity_penalty

# %% [markdown]
# **BLEU** combines the modified precisions $p_1, \dots, p_N$ of orders 1 to $N$ (usually 4) by their
# geometric mean:
#
# $$\mathrm{BLEU} = BP \cdot \exp\Big(\frac{1}{N} \sum_{n=1}^{N} \log p_n\Big)$$
#
# Sentence BLEU has no smoothing: if any $p_n$ is 0, BLEU is 0.

# %% solution: w1_nmt.metrics:bleu
# Use your `modified_precision` and `brevity_penalty`. Return 0.0 before taking the log of a zero.

# %% visible-test: bleu

# %% hidden-test: bleu

# %% [markdown]
# **Corpus BLEU** is *not* the mean of sentence BLEU scores: the clipped matches and n-gram counts of all
# sentences are summed first, then the precisions and the brevity penalty are formed from the sums
# (total candidate length against the sum of closest reference lengths). Our `corpus_bleu` equals
# `sacrebleu.corpus_bleu(...).score / 100`. Provided: `clipped_matches(candidate, references, n)`
# returns `(clipped matches, number of candidate n-grams)`, the numerator and denominator of your
# modified precision, and `bleu_from_statistics(matches, totals, candidate_length, reference_length,
# smooth_method)` forms BLEU from the summed statistics (with sacrebleu's smoothing).
#
# BLEU is useful, but it does not consider meaning or sentence structure: "Ate I was hungry because!"
# has a perfect unigram score against "I ate because I was hungry".

# %% solution: w1_nmt.metrics:corpus_bleu
# Sum the statistics of every order over the corpus, and the candidate and closest reference lengths,
# then call `bleu_from_statistics`.

# %% visible-test: corpus_bleu

# %% hidden-test: corpus_bleu

# %% [markdown]
# ## 9. ROUGE-N and F1
#
# **ROUGE** (Recall-Oriented Understudy for Gisting Evaluation, Lin 2004) was made to evaluate
# machine summaries. ROUGE-N counts the n-gram overlaps between candidate and reference, but asks the
# recall question: **how many words of the reference appear in the candidate?** For "I I am I",
# reference 1 has 5 words, of which "I" and "am" appear in the candidate: $(1+1)/5 = 0.4$; the same for
# reference 2. The overlap counts each shared n-gram min(candidate count, reference count) times.
#
# Precision (like BLEU) and recall (ROUGE-N) combine into the **F1 score**, their harmonic mean:
#
# $$F1 = 2 \times \frac{\mathrm{precision} \times \mathrm{recall}}{\mathrm{precision} + \mathrm{recall}}
#      = 2 \times \frac{0.5 \times 0.4}{0.5 + 0.4} = \frac{4}{9} \approx 0.44$$
#
# None of these scores considers sentence structure or meaning.

# %% solution: w1_nmt.metrics:f1
# The harmonic mean; 0.0 when precision and recall are both 0.

# %% visible-test: f1

# %% hidden-test: f1

# %% solution: w1_nmt.metrics:rouge_n
# For each reference: count n-grams of both, the clipped overlap, precision = overlap / candidate
# n-grams, recall = overlap / reference n-grams (each divided by at least 1), F1. Keep the reference
# with the highest F1 (the first on ties).

# %% visible-test: rouge_n

# %% hidden-test: rouge_n

# %% solution: w1_nmt.metrics:rouge1_similarity
# The ROUGE-1 F1 between two token lists, which may hold token ids: count both with `Counter`, take
# the clipped overlap, and return the F1 of overlap / len(system) and overlap / len(reference).

# %% visible-test: rouge1_similarity

# %% hidden-test: rouge1_similarity

# %% [markdown]
# ## 10. Sampling and decoding
#
# At each step the model outputs a probability distribution over the target vocabulary. How do we
# pick the next token?
#
# * **Greedy decoding** takes the most probable token. Fine for short sentences, but the best word now
#   is not always best for the whole sentence, and it can get stuck: "I am, am, am, am...".
# * **Random sampling** draws the token from the distribution: often too random for translation.
# * **Temperature** $T$ rescales the log-probabilities before sampling: $T \to 0$ is greedy (confident,
#   conservative), $T = 1$ samples from the model's distribution, higher $T$ is more random (and makes
#   more mistakes). `gumbel_sample` draws such a sample with the Gumbel-max trick.
#
# The model is used as a function of the whole output so far (see `next_symbol`'s docstring);
# `padded_length` pads the output to a power of 2 so that the model sees few shapes.

# %% provided: w1_nmt.decoding

# %% solution: w1_nmt.decoding:next_symbol
# Pad `cur_output_tokens` with `PAD` to `padded_length(len(cur_output_tokens))`, add a batch axis, run
# the model on `(input_tokens, padded)`, take the log-probabilities at position
# `len(cur_output_tokens)` and pick the symbol with `gumbel_sample(log_probs, temperature, rng)`.

# %% visible-test: next_symbol

# %% hidden-test: next_symbol

# %% solution: w1_nmt.decoding:sampling_decode
# Encode the sentence with `encode_sentence`, then call `next_symbol` until it returns `EOS` or
# `max_length` tokens are generated, summing the log-probabilities; detokenize the output.
#
# *Where this differs from the course, on purpose:* it returns the **sum** of the chosen tokens'
# log-probabilities, the whole output's log-probability (the course returns the last token's alone), so
# weighted MBR below weighs each sample by how probable the whole translation is; it takes the `model` and a
# `tokenizer` (not `NMTAttn` and a `vocab_file`) and stops after `max_length` tokens even without EOS.

# %% visible-test: sampling_decode

# %% hidden-test: sampling_decode

# %% solution: w1_nmt.decoding:greedy_decode
# Sampling at temperature 0.

# %% visible-test: greedy_decode

# %% hidden-test: greedy_decode

# %% [markdown]
# Let's translate. (`sampling_decode` runs the model through `jit_model`, which compiles it once per
# shape: much faster than running each layer op by op, with the same results.)

# %% [demonstration]
english, german = splits["test"][1]
print("source:   ", english)
print("reference:", german)
print("greedy:   ", greedy_decode(english, model, tokenizer=tokenizer, max_length=64))
for temperature in (0.3, 1.0):
    print(f"T = {temperature}:  ", sampling_decode(english, model, temperature, tokenizer=tokenizer,
                                                   max_length=64, rng=0)[2])

# %% [markdown]
# ## 11. Beam search
#
# The most probable translation is not always the one with the most probable word at each step. Beam
# search keeps the $B$ most probable sequences (the beam width $B$) at every step: it extends each
# unfinished one by every token, keeps the $B$ most probable of these extensions and of the finished
# sequences already in the beam, and drops the others for good. It stops when all $B$ sequences in the
# beam end with EOS (or at `max_length`), and the answer is the most probable of them. This is the
# lecture's rule, and the one your `beam_search` follows (its docstring gives the steps; equal scores rank
# the smaller token list first, and the checks' cases have no ties, so any consistent tie rule passes). A
# sequence once dropped never comes back, so a narrow beam can miss the most probable output. With
# $B = 1$ it is greedy decoding. The course's example with $B = 2$ and $P(\text{I}) = 0.5$,
# $P(\text{am}) = 0.4$ at the first step:
#
# | $P(w_2 \mid \text{I})$ | $P(\text{I}, w_2)$ | $P(w_2 \mid \text{am})$ | $P(\text{am}, w_2)$ |
# |---|---|---|---|
# | I 0.1 | I I 0.05 | I 0.7 | **am I 0.28** |
# | am 0.5 | **I am 0.25** | am 0.05 | am am 0.02 |
# | hungry 0.3 | I hungry 0.15 | hungry 0.2 | am hungry 0.08 |
# | EOS 0.1 | I EOS 0.05 | EOS 0.05 | am EOS 0.02 |
#
# The beam keeps "am I" (0.28) and "I am" (0.25). At the third step $P(\text{hungry} \mid \text{I am})
# = 0.6$ gives "I am hungry" 0.15 and $P(\text{hungry} \mid \text{am I}) = 0.5$ gives "am I hungry" 0.14.
# Beam search costs memory and time ($B$ sequences per step), and since every token multiplies the
# probability by a number below 1, it prefers short outputs: normalize the score by the length
# (`length_alpha`).
#
# `beam_search(log_prob_fn, beam_width, max_length, eos_id)` works with any function from the live
# prefixes (a `(k, t)` array of ids) to the next-token log-probabilities `(k, vocab)`.

# %% provided: w1_nmt.beam

# %% solution: w1_nmt.beam:beam_search
# Follow the steps of the docstring. Keep the beam as (score, tokens tuple, summed log-probability)
# triples; at each step ask `log_prob_fn` for the unfinished ones only, score every extension, add the
# beam's finished sequences, and keep the best `beam_width`. Provided: `_check_log_probs(log_probs, k)`
# checks the model's answer, `_rank_candidates(candidates, vocab, n_best)` returns the indices of the best
# `n_best` flat candidates (index = beam * vocab + token; ties with the last included),
# `_normalize(raw_score, length, length_alpha)` divides by the length penalty and `_ranked(hypotheses)`
# sorts (score, tokens, ...) tuples best first (ties: the smaller token tuple first).

# %% visible-test: beam_search

# %% hidden-test: beam_search

# %%
# The course's B = 2 example as a tiny "model": vocabulary 0 = EOS, 1 = I, 2 = am, 3 = hungry.
WORDS = ["<EOS>", "I", "am", "hungry"]
TABLE = {(): [0.0, 0.5, 0.4, 0.1], (1,): [0.1, 0.1, 0.5, 0.3], (2,): [0.05, 0.7, 0.05, 0.2],
         (1, 2): [0.3, 0.1, 0.0, 0.6], (2, 1): [0.2, 0.15, 0.15, 0.5]}


def table_log_probs(prefixes):
    rows = [TABLE.get(tuple(prefix), [1.0, 0.0, 0.0, 0.0]) for prefix in prefixes.tolist()]
    with np.errstate(divide="ignore"):
        return np.log(np.array(rows))


for tokens, score in beam_search(table_log_probs, beam_width=2, max_length=4, eos_id=0):
    print(" ".join(WORDS[t] for t in tokens), f"  P = {np.exp(score):.3f}")

# %% [demonstration]
from w1_nmt.beam import beam_search_translate

for sentence, score in beam_search_translate(english, model, beam_width=2, max_length=48,
                                             tokenizer=tokenizer):
    print(f"{score:8.3f}  {sentence}")

# %% [markdown]
# **What length normalisation changes.** Every token multiplies a translation's probability by a number
# below 1, so by probability alone (`length_alpha=0`) a shorter output scores higher, and a beam search
# happily ends a long sentence early. Dividing the log-probability by $\text{length}^{\alpha}$ (here
# $\alpha = 0.6$) takes that advantage away. On the reference model, among the first 150 test sentences
# only this long one is decoded differently (both settings, beam width 4). By probability alone the
# search ends the sentence early ("... obwohl der schwarze Sohn ohne die Limonade weint."), dropping two
# clauses of the source; normalised, it writes one more clause (not the right one: sentences this long are
# the model's weakest). The scores are not comparable across the two settings: one is a log-probability,
# the other a log-probability per length$^{0.6}$.

# %% [demonstration]
long_english, long_german = splits["test"][39]
print("SOURCE:   ", long_english)
print("REFERENCE:", long_german)
for alpha in (0.0, 0.6):
    print(f"length_alpha = {alpha}:")
    for sentence, score in beam_search_translate(long_english, model, beam_width=4, max_length=64,
                                                 length_alpha=alpha, tokenizer=tokenizer)[:2]:
        print(f"  {score:8.3f}  {len(sentence.split()):3d} words  {sentence}")

# %% [markdown]
# ## 12. Minimum Bayes Risk decoding
#
# MBR generates several candidate translations, scores every pair of candidates with a similarity
# (ROUGE-1 here), and returns the candidate with the highest average similarity to the others: the
# consensus of the samples. For four candidates, $R_1 = \frac{1}{3} \sum_{i \ne 1}
# \mathrm{ROUGE}(C_1, C_i)$, the same for $R_2, R_3, R_4$, and the answer is the candidate with the
# largest $R$. It usually beats random sampling and greedy decoding. A variant weights each other
# candidate by its probability under the model.

# %% solution: w1_nmt.decoding:generate_samples
# Call `sampling_decode` `n_samples` times with the same `rng` and collect the token lists and their
# log-probabilities.

# %% visible-test: generate_samples

# %% hidden-test: generate_samples

# %% solution: w1_nmt.decoding:average_overlap
# For each sample, the mean of `similarity_fn(sample, other)` over all the other samples.

# %% visible-test: average_overlap

# %% hidden-test: average_overlap

# %% solution: w1_nmt.decoding:weighted_avg_overlap
# Like `average_overlap`, weighting each other sample by its probability `exp(log_prob)`; subtract
# the largest log-probability before `exp` so that long sentences do not underflow.

# %% visible-test: weighted_avg_overlap

# %% hidden-test: weighted_avg_overlap

# %% solution: w1_nmt.decoding:mbr_decode
# Generate the samples, score them with `score_fn`, and detokenize the best one.

# %% visible-test: mbr_decode

# %% hidden-test: mbr_decode

# %% [demonstration]
translation, index, scores = mbr_decode(english, 4, average_overlap, rouge1_similarity, model,
                                        temperature=0.6, tokenizer=tokenizer, rng=0, max_length=64)
print({i: round(s, 3) for i, s in scores.items()}, "-> sample", index)
print("MBR:", translation)

# %% [markdown]
# ## 13. Why attention: BLEU by sentence length
#
# Finally, the experiment behind this week: corpus BLEU of greedy translations, grouped by the
# length of the English sentence, for the model with attention and for the seq2seq baseline whose
# decoder sees only the encoder's last state (`w1_nmt.model.Seq2SeqBaseline`, trained with
# `python -m w1_nmt.train --baseline`). Without attention, BLEU falls as sentences get longer.

# %% [demonstration]
from w1_nmt.visualize import bleu_by_length, plot_bleu_by_length

models = {"attention": model}
if cfg.BASELINE_CHECKPOINT.exists():
    models["no attention (seq2seq)"] = load_model(attention=False)
else:
    print(f"note: no baseline checkpoint at {cfg.BASELINE_CHECKPOINT.name} "
          f"(`python -m w1_nmt.train --baseline`); showing the attention model only")
result = bleu_by_length(models, splits["test"], tokenizer, buckets=[(3, 15), (16, 30), (31, 60)],
                        decode_fn=lambda s, m, t: greedy_decode(s, m, tokenizer=t, max_length=96),
                        max_per_bucket=2 if FAST else 20)
plot_bleu_by_length(result);

# %% [markdown]
# ## Summary
#
# * Attention lets the decoder focus on the relevant encoder states at every step, which removes the
#   fixed-size bottleneck of seq2seq models; queries, keys and values implement it as
#   $\mathrm{softmax}(QK^\top/\sqrt{d_k})V$, and it works across different word orders.
# * Teacher forcing trains the decoder on the correct previous tokens.
# * BLEU (precision, clipped, with a brevity penalty) and ROUGE-N (recall) compare n-grams; neither
#   understands meaning or structure.
# * Greedy decoding, sampling with a temperature, beam search and MBR trade speed, diversity and
#   quality when turning the model's distributions into a translation.

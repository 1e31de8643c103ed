"""Typical student mistakes in Week 1, one wrong version per function, as notebook cell sources.

The "mistakes" sample submission uses these in place of the solutions; the check tests assert that each
costs exactly its own function's points, with a message that names the function.
"""

MISTAKES = {
    # Forgets to clip: counts every candidate n-gram found in a reference.
    "modified_precision": '''
def modified_precision(candidate, references, n=1):
    candidate_ngrams = list(zip(*(candidate[i:] for i in range(n))))
    if not candidate_ngrams:
        return 0.0
    reference_ngrams = set()
    for reference in references:
        reference_ngrams.update(zip(*(reference[i:] for i in range(n))))
    return sum(1 for ngram in candidate_ngrams if ngram in reference_ngrams) / len(candidate_ngrams)
''',
    # Inverts the ratio in the exponent.
    "brevity_penalty": '''
def brevity_penalty(candidate, references):
    import math
    c = len(candidate)
    r = min((abs(len(ref) - c), len(ref)) for ref in references)[1]
    if c == 0:
        return 0.0
    return 1.0 if c > r else math.exp(1 - c / r)
''',
    # Recall divided by the candidate's length instead of the reference's.
    "rouge_n": '''
def rouge_n(candidate, references, n=1):
    from collections import Counter
    grams = lambda tokens: Counter(zip(*(tokens[i:] for i in range(n))))
    cand = grams(candidate)
    best = (0.0, 0.0, 0.0)
    for reference in references:
        ref = grams(reference)
        overlap = sum((cand & ref).values())
        precision = overlap / max(sum(cand.values()), 1)
        recall = overlap / max(sum(cand.values()), 1)
        f = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        if f > best[2]:
            best = (precision, recall, f)
    return best
''',
    # Mask not broadcast over the decoder positions: shape (batch, 1, 1, input_len).
    "prepare_attention_input": '''
def prepare_attention_input(encoder_activations, decoder_activations, inputs):
    keys = encoder_activations
    values = encoder_activations
    queries = decoder_activations
    mask = inputs != 0
    mask = fastnp.reshape(mask, (mask.shape[0], 1, 1, mask.shape[1]))
    return queries, keys, values, mask
''',
    # Forgets the residual connection around the attention layer.
    "NMTAttn": '''
def NMTAttn(input_vocab_size=2000, target_vocab_size=2000, d_model=128, n_encoder_layers=2,
            n_decoder_layers=2, n_attention_heads=4, attention_dropout=0.0, mode="train"):
    input_encoder = input_encoder_fn(input_vocab_size, d_model, n_encoder_layers)
    pre_attention_decoder = pre_attention_decoder_fn(mode, target_vocab_size, d_model)
    return tl.Serial(
        tl.Select([0, 1, 0, 1]),
        tl.Parallel(input_encoder, pre_attention_decoder),
        tl.Fn("PrepareAttentionInput", prepare_attention_input, n_out=4),
        tl.AttentionQKV(d_model, n_heads=n_attention_heads, dropout=attention_dropout, mode=mode),
        tl.Select([0, 2]),
        [tl.LSTM(d_model) for _ in range(n_decoder_layers)],
        tl.Dense(target_vocab_size),
        tl.LogSoftmax(),
    )
''',
    # Off by one: reads the distribution at the last generated position instead of the next one.
    "next_symbol": '''
def next_symbol(model, input_tokens, cur_output_tokens, temperature, rng=None):
    token_length = len(cur_output_tokens)
    padded_length = 2 ** int(np.ceil(np.log2(token_length + 1)))
    padded = cur_output_tokens + [0] * (padded_length - token_length)
    output, _ = model((input_tokens, np.array([padded], dtype=np.int32)))
    log_probs = np.asarray(output)[0, max(token_length - 1, 0), :]
    symbol = int(np.argmax(log_probs)) if temperature == 0 else int(tl.logsoftmax_sample(log_probs, temperature))
    return symbol, float(log_probs[symbol])
''',
    # Averages over all samples, the sample itself included.
    "average_overlap": '''
def average_overlap(similarity_fn, samples, *ignore_params):
    scores = {}
    for index, candidate in enumerate(samples):
        total = sum(similarity_fn(candidate, other) for other in samples)
        scores[index] = total / len(samples)
    return scores
''',
    # No length normalisation: scores are plain sums of log-probabilities.
    "beam_search": '''
def beam_search(log_prob_fn, beam_width, max_length, eos_id, length_alpha=0.0):
    beams = [([], 0.0)]
    finished = []
    for _ in range(max_length):
        prefixes = np.array([tokens for tokens, _ in beams], dtype=np.int32).reshape(len(beams), -1)
        log_probs = np.asarray(log_prob_fn(prefixes))
        candidates = []
        for row, (tokens, score) in enumerate(beams):
            for token in range(log_probs.shape[1]):
                candidates.append((score + float(log_probs[row, token]), tokens + [token]))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        beams = []
        for score, tokens in candidates[:beam_width]:
            (finished if tokens[-1] == eos_id else beams).append((tokens, score))
        if not beams:
            break
    finished.extend(beams)
    finished.sort(key=lambda h: -h[1])
    return finished[:beam_width]
''',
}

#: What every sample's cells may use, as the notebook's set-up cell imports it.
PRELUDE = '''
from coursekit.trax_env import import_trax
trax = import_trax()
from trax import layers as tl
from trax.fastmath import numpy as fastnp
import numpy as np
'''

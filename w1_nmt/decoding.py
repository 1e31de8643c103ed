"""Decoding a trained NMTAttn: greedy decoding, random sampling with temperature, and Minimum Bayes
Risk (MBR) decoding.

The model is used in 'eval' mode as a function of the whole output so far (see `w1_nmt.model`)::

    model((inputs, targets)) -> (log_probs, targets)
    inputs    (1, input_len)   int32 source ids, EOS-terminated
    targets   (1, padded_len)  int32 output ids so far, padded with 0
    log_probs (1, padded_len, vocab) float32; log_probs[0, t] is the distribution of the token that
                                     follows targets[0, :t] (teacher forcing shifts right by one)

Decoding repeats: run the model on the output so far, pick the next token from log_probs[0, t],
append it, stop at EOS. How the token is picked is the whole difference between the methods:

* greedy decoding takes the most probable token (temperature 0);
* sampling draws it from softmax(log_probs / temperature), with the Gumbel-max trick: the argmax of
  log_probs + temperature * g, where g is Gumbel noise, is such a sample (trax's
  `tl.logsoftmax_sample`, which `next_symbol` reproduces draw for draw);
* MBR draws several samples and returns the one that agrees most with all the others (highest
  average similarity, e.g. ROUGE-1), a consensus rather than the single most probable guess.

Beam search, the other decoding method of the week, lives in `w1_nmt.beam`. The ungraded helpers
`jit_model`, `padded_length` and `gumbel_sample` are the course's (`coursekit.decoding`).

The graded functions keep the course's names and meanings: `next_symbol`, `sampling_decode`,
`greedy_decode`, `generate_samples`, `average_overlap`, `weighted_avg_overlap`, `mbr_decode`.
"""
import numbers

import numpy as np

from coursekit.decoding import gumbel_sample, jit_model, padded_length
from coursekit.validation import as_rng, check_int, check_temperature

PAD = 0
EOS = 1


# -------------------------------------------------------------------------------------------------
# Argument checks: "expected ... but got ...", the type first, then the shape, then the value.
# -------------------------------------------------------------------------------------------------

def _check_input_tokens(input_tokens):
    array = np.asarray(input_tokens)
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"expected input_tokens to be an int array of shape (1, input_len) but got "
                        f"dtype {array.dtype}")
    if array.ndim != 2 or array.shape[0] != 1 or array.shape[1] < 1:
        raise ValueError(f"expected input_tokens of shape (1, input_len) with input_len >= 1 "
                         f"but got shape {array.shape}")
    return array.astype(np.int32)


def _check_output_tokens(tokens):
    if not isinstance(tokens, (list, tuple)):
        raise TypeError(f"expected cur_output_tokens to be a list of int token ids but got "
                        f"{type(tokens).__name__}")
    for i, token in enumerate(tokens):
        if isinstance(token, bool) or not isinstance(token, numbers.Integral):
            raise TypeError(f"expected cur_output_tokens[{i}] to be an int token id but got "
                            f"{type(token).__name__} {token!r}")
    return [int(token) for token in tokens]


def _check_sentence(sentence, name="input_sentence"):
    if not isinstance(sentence, str):
        raise TypeError(f"expected {name} to be a str but got {type(sentence).__name__}")
    if not sentence.strip():
        raise ValueError(f"expected a non-empty {name} but got {sentence!r}")


def _resolve_tokenizer(tokenizer):
    """The given tokenizer, or the package's default one; any object with tokenize/detokenize."""
    if tokenizer is None:
        from w1_nmt.tokenizer import default_tokenizer  # lazy: loads a vocabulary file
        tokenizer = default_tokenizer()
    for method in ("tokenize", "detokenize"):
        if not callable(getattr(tokenizer, method, None)):
            raise TypeError(f"expected tokenizer to have a {method}() method but got "
                            f"{type(tokenizer).__name__}")
    return tokenizer


def encode_sentence(sentence, tokenizer):
    """Tokenize a source sentence for the model: str -> (1, input_len) int32, EOS appended."""
    _check_sentence(sentence)
    ids = list(tokenizer.tokenize(sentence)) + [EOS]
    return np.asarray(ids, dtype=np.int32)[None, :]


# -------------------------------------------------------------------------------------------------
# Sampling and greedy decoding
# -------------------------------------------------------------------------------------------------

def next_symbol(model, input_tokens, cur_output_tokens, temperature, rng=None):
    """Pick the token that follows `cur_output_tokens`.

    Args:
        model: an NMTAttn in 'eval' mode (or any callable with its contract):
            model((inputs, targets)) -> (log_probs (1, padded_len, vocab), targets).
        input_tokens: (1, input_len) int array, the tokenized source sentence (EOS-terminated).
        cur_output_tokens: list of int token ids generated so far (may be empty).
        temperature: float >= 0; 0 picks the most probable token, 1 samples from the model's
            distribution, in between sharpens it.
        rng: numpy.random.Generator, an int seed, or None for numpy's global random state.

    Returns:
        (symbol, log_prob): the chosen token id (int) and its log-probability under the model
        (float, independent of the temperature).

    The output so far is padded with 0 to `padded_length(len(cur_output_tokens))` (the next power
    of 2 >= len + 1) so that the model sees few distinct shapes; the distribution of the next token
    is read at position len(cur_output_tokens).
    """
    input_tokens = _check_input_tokens(input_tokens)
    cur_output_tokens = _check_output_tokens(cur_output_tokens)
    temperature = check_temperature(temperature)
    rng = as_rng(rng)
    ### BEGIN SOLUTION
    token_length = len(cur_output_tokens)
    padded = cur_output_tokens + [PAD] * (padded_length(token_length) - token_length)
    padded_with_batch = np.asarray(padded, dtype=np.int32)[None, :]
    output, _ = model((input_tokens, padded_with_batch))
    log_probs = np.asarray(output)[0, token_length, :]
    symbol = gumbel_sample(log_probs, temperature, rng)
    ### END SOLUTION
    return symbol, float(log_probs[symbol])


def sampling_decode(input_sentence, model, temperature=0.0, tokenizer=None, max_length=100,
                    rng=None):
    """Translate `input_sentence` by drawing one token at a time with `next_symbol`.

    Args:
        input_sentence: str, the source sentence.
        model: an NMTAttn in 'eval' mode (see `next_symbol`); it is run through `jit_model`.
        temperature: float >= 0 (0 = greedy decoding).
        tokenizer: object with tokenize(str) -> list[int] (no EOS) and detokenize(ids) -> str
            (stops at EOS); None uses `w1_nmt.tokenizer.default_tokenizer()`.
        max_length: int >= 1, the most tokens generated (EOS included).
        rng: numpy.random.Generator, an int seed, or None for numpy's global random state.

    Returns:
        (cur_output_tokens, log_prob, sentence):
        cur_output_tokens: list of int ids, INCLUDING the final EOS as in the course (no EOS at the
            end only if max_length tokens were generated first);
        log_prob: float, the sum of the log-probabilities of all tokens in cur_output_tokens, i.e.
            the log-probability of the whole output (the course returned only the last token's,
            which MBR's weighting cannot use);
        sentence: str, the detokenized output.
    """
    _check_sentence(input_sentence)
    temperature = check_temperature(temperature)
    max_length = check_int("max_length", max_length, 1)
    tokenizer = _resolve_tokenizer(tokenizer)
    rng = as_rng(rng)
    model = jit_model(model)  # same results, compiled: one decode calls the model many times
    ### BEGIN SOLUTION
    input_tokens = encode_sentence(input_sentence, tokenizer)
    cur_output_tokens = []
    total_log_prob = 0.0
    cur_output = None
    while cur_output != EOS and len(cur_output_tokens) < max_length:
        cur_output, log_prob = next_symbol(model, input_tokens, cur_output_tokens, temperature, rng)
        cur_output_tokens.append(cur_output)
        total_log_prob += log_prob
    sentence = tokenizer.detokenize(cur_output_tokens)
    ### END SOLUTION
    return cur_output_tokens, total_log_prob, sentence


def greedy_decode(input_sentence, model, tokenizer=None, max_length=100):
    """Greedy translation (temperature 0): str -> str. Arguments as in `sampling_decode`."""
    ### BEGIN SOLUTION
    _, _, sentence = sampling_decode(input_sentence, model, temperature=0.0, tokenizer=tokenizer,
                                     max_length=max_length)
    ### END SOLUTION
    return sentence


# -------------------------------------------------------------------------------------------------
# Minimum Bayes Risk
# -------------------------------------------------------------------------------------------------

def generate_samples(sentence, n_samples, model, temperature=0.6, tokenizer=None, rng=None,
                     max_length=100):
    """Draw `n_samples` translations of `sentence` with `sampling_decode`.

    Returns:
        (samples, log_probs): a list of n_samples token-id lists (each as returned by
        sampling_decode, EOS included) and a list of their n_samples log-probabilities (floats).
    With an int seed or a Generator as `rng` the samples are reproducible.
    """
    _check_sentence(sentence, "sentence")
    n_samples = check_int("n_samples", n_samples, 1)
    tokenizer = _resolve_tokenizer(tokenizer)
    rng = as_rng(rng)  # one Generator for all samples, so an int seed does not repeat them
    ### BEGIN SOLUTION
    samples, log_probs = [], []
    for _ in range(n_samples):
        sample, log_prob, _ = sampling_decode(sentence, model, temperature, tokenizer=tokenizer,
                                              max_length=max_length, rng=rng)
        samples.append(sample)
        log_probs.append(log_prob)
    ### END SOLUTION
    return samples, log_probs


def _check_samples(samples):
    if not isinstance(samples, (list, tuple)):
        raise TypeError(f"expected samples to be a list of token lists but got "
                        f"{type(samples).__name__}")
    if len(samples) == 0:
        raise ValueError("expected at least one sample but got an empty list")


def average_overlap(similarity_fn, samples, *ignore_params):
    """Score each sample by its mean similarity to all the other samples.

    Args:
        similarity_fn: function(candidate, other) -> float, e.g. `w1_nmt.metrics.rouge1_similarity`.
        samples: list of n token lists.
        *ignore_params: ignored (so that it can be called like `weighted_avg_overlap`).

    Returns:
        dict {i: (1 / (n - 1)) * sum over j != i of similarity_fn(samples[i], samples[j])} for
        i = 0..n-1. With a single sample there is nothing to compare with: {0: 0.0}.
    """
    _check_samples(samples)
    n = len(samples)
    scores = {}
    ### BEGIN SOLUTION
    for index_candidate, candidate in enumerate(samples):
        overlap = 0.0
        for index_sample, sample in enumerate(samples):
            if index_candidate == index_sample:
                continue
            overlap += similarity_fn(candidate, sample)
        scores[index_candidate] = overlap / (n - 1) if n > 1 else 0.0
    ### END SOLUTION
    return scores


def weighted_avg_overlap(similarity_fn, samples, log_probs):
    """Score each sample by its similarity to the others, weighted by their probabilities.

    Args:
        similarity_fn: function(candidate, other) -> float.
        samples: list of n token lists.
        log_probs: list of n floats, the log-probability of each sample.

    Returns:
        dict {i: sum_{j != i} w_j * similarity_fn(samples[i], samples[j]) / sum_{j != i} w_j} with
        w_j = exp(log_probs[j]) (the course's definition). The weights are computed as
        exp(log_probs[j] - max_{j' != i} log_probs[j']), which gives the same ratio but cannot
        underflow to 0 / 0 for long sentences. A single sample, or others of probability 0,
        scores 0.0.
    """
    _check_samples(samples)
    log_probs = np.asarray(log_probs, dtype=np.float64)
    if log_probs.shape != (len(samples),):
        raise ValueError(f"expected log_probs of shape ({len(samples)},), one per sample, but got "
                         f"shape {log_probs.shape}")
    if np.isnan(log_probs).any():
        raise ValueError(f"expected log_probs without NaN but got {log_probs.tolist()}")
    scores = {}
    ### BEGIN SOLUTION
    for index_candidate, candidate in enumerate(samples):
        others = [j for j in range(len(samples)) if j != index_candidate]
        shift = max((log_probs[j] for j in others), default=-np.inf)
        overlap, weight_sum = 0.0, 0.0
        if np.isfinite(shift):
            for index_sample in others:
                weight = float(np.exp(log_probs[index_sample] - shift))
                weight_sum += weight
                overlap += weight * similarity_fn(candidate, samples[index_sample])
        scores[index_candidate] = overlap / weight_sum if weight_sum > 0 else 0.0
    ### END SOLUTION
    return scores


def mbr_decode(sentence, n_samples, score_fn, similarity_fn, model, temperature=0.6,
               tokenizer=None, rng=None, max_length=100):
    """Minimum Bayes Risk decoding: sample candidates, return the consensus.

    Args:
        sentence: str, the source sentence.
        n_samples: int >= 1, how many candidates to draw.
        score_fn: `average_overlap` or `weighted_avg_overlap` (similarity_fn, samples, log_probs)
            -> {index: score}.
        similarity_fn: function(candidate, other) -> float, e.g. rouge1_similarity.
        model, temperature, tokenizer, rng, max_length: as in `generate_samples`.

    Returns:
        (translated_sentence, max_score_index, scores): the detokenized sample with the highest
        score (the first one on ties), its index in the samples, and the dict of all scores.
    """
    tokenizer = _resolve_tokenizer(tokenizer)
    ### BEGIN SOLUTION
    samples, log_probs = generate_samples(sentence, n_samples, model, temperature,
                                          tokenizer=tokenizer, rng=rng, max_length=max_length)
    scores = score_fn(similarity_fn, samples, log_probs)
    max_score_index = max(scores, key=scores.get)
    translated_sentence = tokenizer.detokenize(samples[max_score_index])
    ### END SOLUTION
    return translated_sentence, max_score_index, scores

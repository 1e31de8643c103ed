"""Beam search decoding, and two ways to ask an NMTAttn for next-token log-probabilities.

Greedy decoding keeps the single most probable prefix; beam search keeps the `beam_width` most
probable ones ("the beam") and extends all of them at every step, because the most probable sentence
need not start with the most probable word. The seed's example (B = 2): after "I" (0.5) and "am"
(0.4), the best two-word prefixes are "am I" (0.4 * 0.7 = 0.28) and "I am" (0.5 * 0.5 = 0.25), and
"I am hungry <eos>" wins in the end although "am I" led after two words.

`beam_search` knows nothing about models: it asks a function

    log_prob_fn(prefixes) -> log_probs
    prefixes  (k, t) int32, the k live output prefixes, all of length t (t = 0 at the start)
    log_probs (k, vocab) float, log P(next token | source, prefix) for every row

once per step, for all live prefixes at once. Two adapters turn an NMTAttn and a source sentence
into such a function:

* `recompute_log_prob_fn`: runs the whole 'eval'-mode model on the k prefixes at every step
  (encoder included), O(t) work per step, like `decoding.next_symbol`;
* `cached_log_prob_fn`: encodes the source once, then advances the decoder one token per step from
  LSTM states cached per prefix (the model's 'predict' mode), O(1) work per step. Both give the same
  log-probabilities (to float rounding) and therefore the same beams.
"""
import numbers

import numpy as np

from coursekit.decoding import jit_model, padded_length
from coursekit.validation import check_int
from w1_nmt.decoding import EOS, PAD, _check_input_tokens, _check_sentence, _resolve_tokenizer
from w1_nmt.decoding import encode_sentence

#: log_prob_fn values above this are not log-probabilities (float rounding of 0 is far below it).
_LOG_PROB_TOLERANCE = 1e-3


# -------------------------------------------------------------------------------------------------
# Beam search on any log_prob_fn (numpy only)
# -------------------------------------------------------------------------------------------------

def _check_log_probs(log_probs, k):
    try:
        log_probs = np.asarray(log_probs, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"expected log_prob_fn to return a float array of shape ({k}, vocab) but "
                        f"got {type(log_probs).__name__}") from error
    if log_probs.ndim != 2 or log_probs.shape[0] != k or log_probs.shape[1] < 1:
        raise ValueError(f"expected log_prob_fn to return shape ({k}, vocab), one row per prefix, "
                         f"but got shape {log_probs.shape}")
    if np.isnan(log_probs).any():
        raise ValueError("expected log_prob_fn to return log-probabilities but got NaN")
    if (log_probs > _LOG_PROB_TOLERANCE).any():
        raise ValueError(f"expected log_prob_fn to return log-probabilities (<= 0) but got values "
                         f"up to {log_probs.max():.4g}")
    return np.minimum(log_probs, 0.0)


def _normalize(raw_score, length, length_alpha):
    return raw_score / float(length) ** length_alpha


def _ranked(hypotheses):
    """Hypotheses (score, tokens tuple, ...) best first; equal scores: the smaller token tuple first."""
    return sorted(hypotheses, key=lambda h: (-h[0], h[1]))


def beam_search(log_prob_fn, beam_width, max_length, eos_id, length_alpha=0.0):
    """Find high-scoring output sequences with beam search, by the lecture's rule.

    Args:
        log_prob_fn: function (k, t) int32 prefixes -> (k, vocab) next-token log-probabilities
            (see the module docstring); called once per step with the unfinished sequences.
        beam_width: int >= 1, the number of sequences kept (B). B = 1 is greedy decoding.
        max_length: int >= 1, the most tokens in an output (EOS included).
        eos_id: int, the end-of-sentence token.
        length_alpha: float, length normalisation: score = sum of log-probs / len(tokens) **
            length_alpha. 0 scores by probability alone (which favours short outputs); 0.6 is
            common.

    Returns:
        The final beam: a list of min(beam_width, number of sequences found) pairs (tokens, score),
        best first. tokens is a list of int ids ending in eos_id (EOS included) or, for a sequence
        cut at max_length, max_length ids without EOS; score a float as defined above. The answer
        is the first pair.

    The rule (the lecture's): keep the B best sequences, finished ones included, until all B end
    with EOS. Step by step, t = 1 .. max_length:

    1. Every unfinished sequence in the beam (length t - 1) is extended by every token: its score
       plus the token's log-probability. Extensions of probability 0 (-inf) are dropped.
    2. The finished sequences of the beam (ending in EOS) stay candidates as they are.
    3. The new beam is the best B of all candidates by score (the length-normalised one, so that
       sequences of different lengths compare); the others are dropped for good.
    4. The search stops when every sequence in the beam ends with EOS, or after step max_length
       (the unfinished sequences are then cut there).

    Equal scores are ranked by their token lists, the smaller first (as Python compares lists).
    """
    if not callable(log_prob_fn):
        raise TypeError(f"expected log_prob_fn to be callable but got {type(log_prob_fn).__name__}")
    beam_width = check_int("beam_width", beam_width, 1)
    max_length = check_int("max_length", max_length, 1)
    eos_id = check_int("eos_id", eos_id, 0)
    if isinstance(length_alpha, bool) or not isinstance(length_alpha, numbers.Real):
        raise TypeError(f"expected length_alpha to be a float but got "
                        f"{type(length_alpha).__name__} {length_alpha!r}")
    if not np.isfinite(length_alpha):
        raise ValueError(f"expected a finite length_alpha but got {length_alpha}")
    length_alpha = float(length_alpha)

    ### BEGIN SOLUTION
    beam = [(0.0, (), 0.0)]  # (normalised score, tokens tuple, sum of log-probs), best first
    for length in range(1, max_length + 1):
        live = [(tokens, raw) for _, tokens, raw in beam if not tokens or tokens[-1] != eos_id]
        if not live:
            break
        prefixes = np.array([tokens for tokens, _ in live], dtype=np.int32).reshape(len(live), length - 1)
        log_probs = _check_log_probs(log_prob_fn(prefixes), len(live))
        vocab = log_probs.shape[1]
        if eos_id >= vocab:
            raise ValueError(f"expected eos_id < vocab size {vocab} but got {eos_id}")
        raws = (np.array([raw for _, raw in live])[:, None] + log_probs).ravel()  # beam * vocab + token
        candidates = [(score, tokens, raw) for score, tokens, raw in beam
                      if tokens and tokens[-1] == eos_id]
        for index in _rank_candidates(raws, vocab, n_best=beam_width):
            tokens = live[index // vocab][0] + (int(index % vocab),)
            candidates.append((_normalize(raws[index], length, length_alpha), tokens, raws[index]))
        beam = _ranked(candidates)[:beam_width]
    results = [(list(tokens), float(score)) for score, tokens, _ in beam]
    ### END SOLUTION
    return results


def _rank_candidates(candidates, vocab, n_best):
    """Indices of the best `n_best` finite flat candidates (index = beam * vocab + token), best first.

    Everything tied with the n_best-th is included, so that the caller can break ties its own way.
    Only these are ranked: a full sort of k * vocab scores per step would dominate the search for
    large vocabularies.
    """
    finite = np.flatnonzero(np.isfinite(candidates))
    if len(finite) > n_best:
        threshold = np.partition(candidates[finite], len(finite) - n_best)[len(finite) - n_best]
        finite = finite[candidates[finite] >= threshold]
    return finite[np.argsort(-candidates[finite], kind="stable")]


# -------------------------------------------------------------------------------------------------
# Adapters: NMTAttn + source sentence -> log_prob_fn
# -------------------------------------------------------------------------------------------------

def _import_trax():
    from coursekit.trax_env import import_trax
    return import_trax()


def _check_prefixes(prefixes):
    array = np.asarray(prefixes)
    if array.ndim != 2 or array.shape[0] < 1:
        raise ValueError(f"expected prefixes of shape (k, t) with k >= 1 but got shape "
                         f"{array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"expected int prefixes but got dtype {array.dtype}")
    return array.astype(np.int32)


def _batch_size(k, batch_size):
    """Rows to run: batch_size if k fits, else the next power of 2 >= k (few distinct shapes)."""
    if batch_size is not None and k <= batch_size:
        return batch_size
    return 1 << (k - 1).bit_length()


def _pad_rows(array, rows):
    """Pad axis 0 to `rows` by repeating the first row (the extra rows' results are ignored)."""
    extra = rows - array.shape[0]
    if extra == 0:
        return array
    return np.concatenate([array, np.repeat(array[:1], extra, axis=0)], axis=0)


def recompute_log_prob_fn(model, input_tokens, batch_size=None):
    """log_prob_fn that runs the whole model on every call.

    Args:
        model: an initialised NMTAttn in 'eval' mode.
        input_tokens: (1, input_len) int array, the source sentence (EOS-terminated).
        batch_size: pad the k prefixes to this many rows (e.g. the beam width) so that every step
            has the same shape; None pads to the next power of 2.

    Returns:
        log_prob_fn: (k, t) int prefixes -> (k, target_vocab) float32 log-probs of the token after
        each prefix. Each call runs the jit-compiled model on (input repeated k times, prefixes
        padded with 0 to `padded_length(t)` positions) and reads position t.
    """
    input_tokens = _check_input_tokens(input_tokens)
    forward = jit_model(model)

    def log_prob_fn(prefixes):
        prefixes = _check_prefixes(prefixes)
        k, t = prefixes.shape
        rows = _batch_size(k, batch_size)
        targets = np.full((k, padded_length(t)), PAD, dtype=np.int32)
        targets[:, :t] = prefixes
        inputs = np.repeat(input_tokens, rows, axis=0)
        log_probs, _ = forward((inputs, _pad_rows(targets, rows)))
        return np.asarray(log_probs[:k, t, :])

    return log_prob_fn


def _find_heads(layer):
    """n_heads of the (first) PureAttention inside `layer`, None if there is none."""
    if hasattr(layer, "_n_heads"):
        return layer._n_heads
    for sublayer in layer.sublayers:
        heads = _find_heads(sublayer)
        if heads is not None:
            return heads
    return None


def _nmt_config(weights, n_attention_heads):
    """NMTAttn's constructor arguments, read off its weight tree (see `w1_nmt.model.NMTAttn`)."""
    try:
        encoder_weights, decoder_weights = weights[1]
        input_vocab_size, d_model = np.shape(encoder_weights[0])
        target_vocab_size = np.shape(decoder_weights[1])[0]
        n_decoder_layers = len(weights) - 7
    except (TypeError, ValueError, IndexError) as error:
        raise ValueError("expected the weights of an NMTAttn (see w1_nmt.model) but got a tree "
                         "of another structure") from error
    if n_decoder_layers < 1:
        raise ValueError("expected the weights of an NMTAttn (see w1_nmt.model) but got a tree "
                         f"of {len(weights)} top-level entries")
    return dict(input_vocab_size=int(input_vocab_size), target_vocab_size=int(target_vocab_size),
                d_model=int(d_model), n_encoder_layers=len(encoder_weights) - 1,
                n_decoder_layers=n_decoder_layers, n_attention_heads=int(n_attention_heads))


class _PredictDecoder:
    """NMTAttn's layers in 'predict' mode, with its encoder and one decoder step jit-compiled.

    Built once per model configuration and shared (compiling is what costs); the weights are
    arguments of the compiled functions. Once per source sentence, `encode`::

        inputs (1, input_len) -> [1][0] input encoder -> (1, input_len, d_model)
                              -> the attention's key and value Dense layers (inside [3])
                                 keys, values (1, input_len, d_model)

    and one decoder step per output token, `step` (layers of `model.sublayers`)::

        last token (rows, 1)  -> [1][1] pre-attention decoder: Embedding, LSTM(state)
                                        queries (rows, 1, d_model)
        + keys, values, mask  -> [3] Residual(AttentionQKV): query Dense, PureAttention, Dense, Add
                                        (rows, 1, d_model)
                              -> [5:] n_decoder_layers x LSTM(state), Dense, LogSoftmax
                                        log-probs (rows, 1, target_vocab)

    The states are the LSTMs' carries, (rows, 2 * d_model) each, in trax's state tree.
    """

    def __init__(self, config):
        trax = _import_trax()
        import jax

        from w1_nmt.model import NMTAttn, prepare_attention_input

        rng = trax.fastmath.random.get_prng(0)  # no dropout outside 'train' mode
        model = NMTAttn(mode="predict", **config)
        model.init(trax.shapes.signature((np.ones((1, 1), np.int32), np.ones((1, 1), np.int32))),
                   rng=rng)
        encoder, pre_decoder = model.sublayers[1].sublayers
        head = model.sublayers[5:]  # decoder LSTMs, Dense, LogSoftmax
        encoder_state = model.state[1][0]
        # Residual(AttentionQKV) = Serial(Branch(Select, Parallel(None, Serial(AssertShape,
        #     Serial(Parallel(Dense_q, Dense_k, Dense_v), PureAttention, Dense_o),
        #     AssertShape))), Add)
        core = model.sublayers[3].sublayers[0].sublayers[1].sublayers[1].sublayers[1]
        (dense_q, dense_k, dense_v), pure_attention, dense_o = (
            core.sublayers[0].sublayers, core.sublayers[1], core.sublayers[2])
        if type(pure_attention).__name__ != "PureAttention":
            raise RuntimeError("unexpected layout of trax's AttentionQKV; cached decoding "
                               "supports trax 1.4.1's")

        def attention_weights(weights):
            (w_q, w_k, w_v), _, w_o = weights[3][0][1][1][1]
            return w_q, w_k, w_v, w_o

        def encode(weights, input_tokens):
            """(1, input_len) int32 -> keys, values (1, input_len, d_model) of the attention."""
            encoded, _ = encoder.pure_fn(input_tokens, weights[1][0], encoder_state, rng)
            _, w_k, w_v, _ = attention_weights(weights)
            keys, _ = dense_k.pure_fn(encoded, w_k, (), rng)
            values, _ = dense_v.pure_fn(encoded, w_v, (), rng)
            return keys, values

        def step(weights, states, index, inputs, keys, values, last_tokens):
            """(rows, 1) last tokens + states[index] -> (rows, vocab) log-probs, new states.

            inputs (rows, input_len) int32 for the mask; keys, values (1, input_len, d_model).
            """
            w_pre, (w_q, w_o), w_head = weights
            s_pre, s_head = jax.tree_util.tree_map(lambda x: x[index], states)
            queries, s_pre = pre_decoder.pure_fn(last_tokens, w_pre, s_pre, rng)
            shape = (queries.shape[0],) + keys.shape[1:]
            keys = jax.numpy.broadcast_to(keys, shape)
            values = jax.numpy.broadcast_to(values, shape)
            _, _, _, mask = prepare_attention_input(keys, queries, inputs)
            q, _ = dense_q.pure_fn(queries, w_q, (), rng)
            (context, _), _ = pure_attention.pure_fn((q, keys, values, mask), (), (), rng)
            context, _ = dense_o.pure_fn(context, w_o, (), rng)
            x = queries + context  # the Residual
            new_s_head = []
            for layer, w, s in zip(head, w_head, s_head):
                x, s = layer.pure_fn(x, w, s, rng)
                new_s_head.append(s)
            return x[:, 0, :], (s_pre, tuple(new_s_head))

        # The state tree after one step holds the LSTM carries; zeroed, it is the state before the
        # first token (trax's LSTM starts from zeros too). eval_shape runs nothing.
        self.weight_structure = jax.tree_util.tree_structure(model.weights)
        self.step_weights = lambda w: (w[1][1], attention_weights(w)[::3], tuple(w[5:]))
        d_model, vocab = config["d_model"], config["target_vocab_size"]
        keys = np.zeros((1, 1, d_model), np.float32)
        _, states = jax.eval_shape(
            step, self.step_weights(model.weights), (model.state[1][1], tuple(model.state[5:])),
            np.zeros(1, np.int32), np.ones((1, 1), np.int32), keys, keys,
            np.ones((1, 1), np.int32))
        self.root = jax.tree_util.tree_map(lambda x: jax.numpy.zeros(x.shape, x.dtype), states)
        self.vocab = vocab
        self.encode = jax.jit(encode)
        self.step = jax.jit(step)


_PREDICT_DECODERS = {}


def _predict_decoder(config):
    key = tuple(sorted(config.items()))
    if key not in _PREDICT_DECODERS:
        _PREDICT_DECODERS[key] = _PredictDecoder(config)
    return _PREDICT_DECODERS[key]


class _CachedDecoder:
    """The log_prob_fn of `cached_log_prob_fn`: encoder output, decoder states cached per prefix.

    `self._cache` maps each prefix P (length t) of the last call to (states, row): the decoder
    state after feeding 0, P[0], ..., P[t - 1] (the output shifted right), i.e. the state reached
    while computing the log-probs after P. A child P + (w,) continues from it by feeding w. The
    key None is the zero state before the first token.
    """

    def __init__(self, model_or_weights, input_tokens, batch_size, n_attention_heads):
        _import_trax()
        import jax
        from trax import layers as tl

        if isinstance(model_or_weights, tl.Layer):
            if n_attention_heads is None:
                n_attention_heads = _find_heads(model_or_weights)
            weights = model_or_weights.weights
        else:
            if n_attention_heads is None:
                raise ValueError("expected n_attention_heads when passing a weight tree (the "
                                 "weights do not determine it) but got None")
            weights = model_or_weights
        decoder = _predict_decoder(_nmt_config(weights, n_attention_heads))
        if jax.tree_util.tree_structure(weights) != decoder.weight_structure:
            raise ValueError("expected the weights of an NMTAttn (see w1_nmt.model) but got a tree "
                             "of another structure")
        input_tokens = _check_input_tokens(input_tokens)
        self.batch_size = batch_size
        self.vocab = decoder.vocab
        self._weights = decoder.step_weights(weights)
        self._step = decoder.step
        self._root = decoder.root
        self._tree_map = jax.tree_util.tree_map
        # The input encoder runs once: (1, input_len) -> (1, input_len, d_model).
        self._input_tokens = input_tokens
        self._keys_values = decoder.encode(weights, input_tokens)
        self._inputs = {}  # rows -> input tokens repeated to that many rows (for the mask)
        self._cache = {None: (self._root, 0)}

    def _source(self, rows):
        if rows not in self._inputs:
            self._inputs[rows] = np.repeat(self._input_tokens, rows, axis=0)
        return (self._inputs[rows],) + tuple(self._keys_values)

    def _run(self, parents, last_tokens):
        """One decoder step for k rows: parents[i] = (states, row), last_tokens (k,) int.

        The states stay on the device; the parent rows are gathered inside the compiled step.
        """
        k = len(parents)
        rows = _batch_size(k, self.batch_size)
        if len({id(states) for states, _ in parents}) == 1:  # usual: all from the previous call
            states = parents[0][0]
            index = _pad_rows(np.array([row for _, row in parents], np.int32), rows)
        else:
            states = self._tree_map(lambda *xs: np.concatenate(xs, axis=0),
                                    *[self._tree_map(lambda x, r=row: np.asarray(x[r:r + 1]), s)
                                      for s, row in parents])
            index = _pad_rows(np.arange(k, dtype=np.int32), rows)
        tokens = _pad_rows(np.asarray(last_tokens, np.int32)[:, None], rows)
        log_probs, new_states = self._step(self._weights, states, index, *self._source(rows),
                                           tokens)
        return np.asarray(log_probs)[:k], new_states

    def _states_from_scratch(self, prefixes):
        """(states, row) for each prefix P (all of one length t): feed 0, P[0], ..., P[t - 1]."""
        entries = [self._cache[None]] * len(prefixes)
        length = len(prefixes[0])
        for position in range(length + 1):
            last = [prefix[position - 1] if position else PAD for prefix in prefixes]
            _, states = self._run(entries, last)
            entries = [(states, row) for row in range(len(prefixes))]
        return entries

    def __call__(self, prefixes):
        prefixes = _check_prefixes(prefixes)
        k, t = prefixes.shape
        keys = [tuple(row) for row in prefixes.tolist()]
        parents = [key[:-1] if t else None for key in keys]
        missing = sorted({parent for parent in parents if parent not in self._cache})
        if missing:
            self._cache.update(zip(missing, self._states_from_scratch(missing)))
        last = prefixes[:, -1] if t else np.full(k, PAD, np.int32)
        log_probs, states = self._run([self._cache[parent] for parent in parents], last)
        self._cache = {None: (self._root, 0)}
        self._cache.update((key, (states, row)) for row, key in enumerate(keys))
        return log_probs


def cached_log_prob_fn(model_or_weights, input_tokens, batch_size=None, n_attention_heads=None):
    """log_prob_fn that encodes the source once and advances the decoder one token per call.

    Args:
        model_or_weights: an initialised NMTAttn (any mode; its `weights` are used), or the weight
            tree of one (then n_attention_heads is required: the weights do not determine it).
        input_tokens: (1, input_len) int array, the source sentence (EOS-terminated).
        batch_size: pad the k prefixes to this many rows (e.g. the beam width) so that the jitted
            step always sees the same shape; None pads to the next power of 2.
        n_attention_heads: the model's number of attention heads; read from the model if None.

    Returns:
        log_prob_fn: (k, t) int prefixes -> (k, target_vocab) float32 log-probs, equal (to float
        rounding) to `recompute_log_prob_fn`'s. It builds an NMTAttn in 'predict' mode with the same
        weights, runs its input encoder once, and keeps, for every prefix of the previous call, the
        decoder's LSTM states after that prefix. A call with prefixes of length t gathers the states
        of each row's parent row[:-1] (beams may be reordered, repeated or dropped), feeds row[-1]
        (0 when t = 0) through the decoder, and caches the new states under the rows. A row whose
        parent was not in the previous call is recomputed from the start (correct, only slower).
    """
    return _CachedDecoder(model_or_weights, input_tokens, batch_size, n_attention_heads)


def beam_search_translate(sentence, model, beam_width=4, max_length=100, length_alpha=0.6,
                          tokenizer=None, cached=True):
    """Translate `sentence` with beam search.

    Args:
        sentence: str, the source sentence.
        model: an initialised NMTAttn in 'eval' mode.
        beam_width, max_length, length_alpha: as in `beam_search`.
        tokenizer: object with tokenize / detokenize (see `decoding.sampling_decode`); None uses
            the package default.
        cached: use `cached_log_prob_fn` (fast) rather than `recompute_log_prob_fn`.

    Returns:
        A list of up to beam_width pairs (sentence, score), best first.
    """
    _check_sentence(sentence, "sentence")
    tokenizer = _resolve_tokenizer(tokenizer)
    input_tokens = encode_sentence(sentence, tokenizer)
    make_fn = cached_log_prob_fn if cached else recompute_log_prob_fn
    log_prob_fn = make_fn(model, input_tokens, batch_size=beam_width)
    results = beam_search(log_prob_fn, beam_width, max_length, EOS, length_alpha)
    return [(tokenizer.detokenize(tokens), score) for tokens, score in results]

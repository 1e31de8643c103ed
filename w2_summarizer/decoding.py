"""Writing summaries with the Transformer language model, one token at a time.

The model continues the prompt "article EOS PAD" (see `pipeline.summary_prompt`) until it writes EOS.
Two ways to get the next token's distribution:

* `next_symbol` (the course's): run the eval-mode model on the whole prefix, padded to a power of 2
  (`coursekit.decoding.padded_length`, so JAX compiles few shapes), and read the position after the
  prefix. Each step recomputes every earlier position.
* `CachedSummarizer`: a 'predict'-mode copy of the model that keeps each layer's keys and values, so a
  step costs one position (the prompt goes in a few chunks). Same tokens, many times faster (`make bench`).

Sampling with a temperature is the course's `coursekit.decoding.gumbel_sample` (temperature 0 = greedy).
"""
import numpy as np

from coursekit.decoding import gumbel_sample, jit_model, padded_length
from coursekit.tokenizer import EOS_ID
from coursekit.validation import as_rng, check_positive_int, check_temperature
from w2_summarizer.pipeline import summary_prompt

DEFAULT_MAX_SUMMARY = 64
MAX_CHUNK = 64  # the longest prompt chunk that CachedSummarizer feeds in one call


def _check_tokens(tokens, name="cur_output_tokens"):
    if isinstance(tokens, (str, bytes)) or not hasattr(tokens, "__len__"):
        raise TypeError(f"{name} must be a list of int token ids, but got {type(tokens).__name__}")
    array = np.asarray(tokens)
    if array.ndim != 1 or array.size == 0 or array.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a non-empty 1-D list of int token ids, but got {tokens!r:.80}")
    return [int(t) for t in array]


def _resolve_tokenizer(tokenizer):
    if tokenizer is None:
        from w2_summarizer.tokenizer import default_tokenizer
        return default_tokenizer()
    return tokenizer


def next_symbol(cur_output_tokens, model, temperature=0.0, rng=None):
    """The token that follows `cur_output_tokens`, and its log-probability.

    Args:
        cur_output_tokens: non-empty list of int ids, the prompt and what was generated so far.
        model: a TransformerLM in 'eval' mode, (1, n) int32 -> (1, n, vocab) log-probabilities.
        temperature: float >= 0; 0 takes the most probable token.
        rng: numpy Generator, int seed, or None for numpy's global random state.

    Returns:
        (symbol, log_prob): int and float. The prefix is padded with 0 to `padded_length(len)` (the next
        power of 2 > len); the model shifts its input right, so position len holds the distribution of
        the token after the prefix.
    """
    cur_output_tokens = _check_tokens(cur_output_tokens)
    temperature = check_temperature(temperature)
    ### BEGIN SOLUTION
    token_length = len(cur_output_tokens)
    padded = cur_output_tokens + [0] * (padded_length(token_length) - token_length)
    padded_with_batch = np.asarray(padded, dtype=np.int32)[None, :]
    output = model(padded_with_batch)
    log_probs = np.asarray(output)[0, token_length, :]
    symbol = gumbel_sample(log_probs, temperature, as_rng(rng))
    ### END SOLUTION
    return symbol, float(log_probs[symbol])


def sampling_decode(input_sentence, model, temperature=0.0, tokenizer=None, max_length=DEFAULT_MAX_SUMMARY,
                    rng=None):
    """Summarize `input_sentence` by drawing tokens with `next_symbol` until EOS.

    Returns:
        (generated_tokens, log_prob, summary): the generated ids (EOS included unless max_length tokens
        came first), the sum of their log-probabilities, and the detokenized summary (str).
    """
    if not isinstance(input_sentence, str) or not input_sentence.strip():
        raise ValueError("input_sentence must be a non-empty str (the article)")
    temperature = check_temperature(temperature)
    max_length = check_positive_int("max_length", max_length)
    tokenizer = _resolve_tokenizer(tokenizer)
    rng = as_rng(rng)
    model = jit_model(model)  # compiled: a summary calls the model once per token
    ### BEGIN SOLUTION
    cur_output_tokens = summary_prompt(tokenizer.tokenize(input_sentence))
    generated_output = []
    total_log_prob = 0.0
    cur_output = None
    while cur_output != EOS_ID and len(generated_output) < max_length:
        cur_output, log_prob = next_symbol(cur_output_tokens, model, temperature, rng)
        cur_output_tokens.append(cur_output)
        generated_output.append(cur_output)
        total_log_prob += log_prob
    summary = tokenizer.detokenize(generated_output)
    ### END SOLUTION
    return generated_output, total_log_prob, summary


def greedy_decode(input_sentence, model, tokenizer=None, max_length=DEFAULT_MAX_SUMMARY):
    """The greedy summary of an article: str -> str (sampling_decode at temperature 0)."""
    ### BEGIN SOLUTION
    _, _, summary = sampling_decode(input_sentence, model, temperature=0.0, tokenizer=tokenizer,
                                    max_length=max_length)
    ### END SOLUTION
    return summary


class CachedSummarizer:
    """Generation with the 'predict'-mode cache: each step feeds one token and reuses the keys and values
    of all earlier ones.

    Args:
        model: a TransformerLM (any mode) whose weights to use, e.g. from `train.load_model`.
        config: the SummarizerConfig it was built with (layer sizes, max_len).
    """

    def __init__(self, model, config=None):
        import jax
        from trax import shapes

        from w2_summarizer import config as cfg
        from w2_summarizer.model import TransformerLM

        self.config = config or cfg.DEFAULT
        self._vocab_size = _output_size(model)
        predict = TransformerLM(self._vocab_size, mode="predict", **self.config.model_kwargs())
        predict.init(shapes.ShapeDtype((1, 1), np.int32))
        self._initial_state = predict.state
        self._weights = jax.device_put(model.weights)  # once: numpy weights would be copied at every call
        self._max_len = self.config.max_len
        rng = jax.random.PRNGKey(0)

        def step(weights, state, token):
            log_probs, new_state = predict.pure_fn(token, weights, state, rng)
            return log_probs[0, -1], new_state

        self._step = jax.jit(step)

    def _prefill(self, tokens):
        """Feed `tokens` in chunks of 64, 32, ..., 1 (the binary digits of the remaining length: at most
        7 compiled shapes, a handful of calls): the log-probabilities after the last token, and the state."""
        state, log_probs, position = self._initial_state, None, 0
        while position < len(tokens):
            size = min(MAX_CHUNK, 1 << ((len(tokens) - position).bit_length() - 1))
            chunk = np.asarray([tokens[position:position + size]], np.int32)
            log_probs, state = self._step(self._weights, state, chunk)
            position += size
        return log_probs, state

    def warm_up(self):
        """Compile every chunk shape once (a prompt of 127 = 64 + 32 + ... + 1 tokens), so that later calls
        do not compile."""
        self.generate([2] * (2 * MAX_CHUNK - 2), max_length=1)

    def generate(self, prompt_tokens, max_length=DEFAULT_MAX_SUMMARY, temperature=0.0, rng=None):
        """Continue `prompt_tokens` (list of int) until EOS: (generated ids, sum of log-probabilities).

        Feeds 0 then the prompt (the model's ShiftRight is off in 'predict' mode) in a few chunks, then each
        generated token, one per call. The prompt plus the output must fit in config.max_len positions.
        """
        prompt_tokens = _check_tokens(prompt_tokens, "prompt_tokens")
        max_length = check_positive_int("max_length", max_length)
        temperature = check_temperature(temperature)
        rng = as_rng(rng)
        if len(prompt_tokens) + max_length > self._max_len:
            max_length = self._max_len - len(prompt_tokens)
            if max_length < 1:
                raise ValueError(f"the prompt has {len(prompt_tokens)} tokens; the model's cache holds "
                                 f"{self._max_len}")
        log_probs, state = self._prefill([0] + prompt_tokens)
        generated, total = [], 0.0
        while True:
            values = np.asarray(log_probs)
            symbol = gumbel_sample(values, temperature, rng)
            generated.append(symbol)
            total += float(values[symbol])
            if symbol == EOS_ID or len(generated) >= max_length:
                return generated, total
            log_probs, state = self._step(self._weights, state, np.asarray([[symbol]], np.int32))

    def summarize(self, article, tokenizer=None, max_length=DEFAULT_MAX_SUMMARY, temperature=0.0, rng=None):
        """The summary of `article` (str -> str), greedy by default."""
        if not isinstance(article, str) or not article.strip():
            raise ValueError("article must be a non-empty str")
        tokenizer = _resolve_tokenizer(tokenizer)
        generated, _ = self.generate(summary_prompt(tokenizer.tokenize(article)), max_length=max_length,
                                     temperature=temperature, rng=rng)
        return tokenizer.detokenize(generated)


def _output_size(model):
    """The vocabulary size of a TransformerLM: the width of its last Dense layer's bias."""
    import jax

    leaves = jax.tree_util.tree_leaves(model.weights)
    if not leaves:
        raise ValueError("the model has no weights; initialise or load it first")
    return int(np.asarray(leaves[-1]).shape[-1])


def recompute_generate(model, prompt_tokens, max_length=DEFAULT_MAX_SUMMARY, temperature=0.0, rng=None):
    """The same continuation as `CachedSummarizer.generate`, by `next_symbol` on the whole prefix each step."""
    tokens = _check_tokens(prompt_tokens, "prompt_tokens")
    max_length = check_positive_int("max_length", max_length)
    model = jit_model(model)
    rng = as_rng(rng)
    generated, total = [], 0.0
    while not generated or (generated[-1] != EOS_ID and len(generated) < max_length):
        symbol, log_prob = next_symbol(tokens + generated, model, temperature, rng)
        generated.append(symbol)
        total += log_prob
    return generated, total

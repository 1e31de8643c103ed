"""Self-supervised targets from unlabeled text: T5's span corruption and BERT's masked language modelling.

T5 (the course's example)::

    original   Thank you for inviting me to your party last week.
    inputs     Thank you <X> me to your party <Y> week.
    targets    <X> for inviting <Y> last <Z>

Each run of consecutive masked tokens is replaced by one sentinel in the inputs; the targets list each
sentinel followed by the tokens it hides, and end with the next sentinel. The model learns to fill the
gaps from the context on both sides.

BERT picks 15% of the tokens to predict; of those, 80% become [MASK], 10% a random token and 10% stay as
they are, so the model cannot learn that only [MASK] positions matter. The loss is on the picked tokens
only (weight 1 there, 0 elsewhere).

Neither function imports trax: both work on lists or numpy arrays of token ids.
"""
import numpy as np

from w3_qa.tokenizer import FIRST_ORDINARY_ID, MASK_ID


def _default_tokenizer():
    from w3_qa.tokenizer import default_tokenizer
    return default_tokenizer()


def _check_noise(noise):
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.floating)):
        raise TypeError(f"noise must be a float in [0, 1], but got {type(noise).__name__}")
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must be in [0, 1], but got {noise}")


def tokenize_and_mask(text, noise=0.15, randomizer=np.random.uniform, tokenizer=None):
    """T5 span corruption of one text.

    Args:
        text: str, the original text.
        noise: float in [0, 1], the probability that a token is masked.
        randomizer: a function of no arguments returning a float in [0, 1); called once per token, in
            order. A token is masked when its draw is below `noise`.
        tokenizer: has ``tokenize(text) -> list of int`` and ``sentinel_id(k) -> int`` (the id of the k-th
            sentinel, k = 0, 1, ...); default: the packaged Week 3 tokenizer.

    Returns:
        (inputs, targets), two lists of int token ids, without EOS:

        * inputs: the unmasked tokens, with sentinel k in place of the k-th run of masked tokens;
        * targets: for each run, its sentinel then the tokens it hides; then the next sentinel, which closes
          the last run (with nothing masked, targets is just sentinel 0).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, but got {type(text).__name__}")
    _check_noise(noise)
    if not callable(randomizer):
        raise TypeError(f"randomizer must be a function of no arguments returning a float, but got "
                        f"{type(randomizer).__name__}")
    tokenizer = tokenizer or _default_tokenizer()
    ### BEGIN SOLUTION
    inputs, targets = [], []
    n_spans = 0
    previous_masked = False
    for token in tokenizer.tokenize(text):
        if randomizer() < noise:
            if not previous_masked:  # a new run of masked tokens: one new sentinel for all of it
                sentinel = tokenizer.sentinel_id(n_spans)
                n_spans += 1
                inputs.append(sentinel)
                targets.append(sentinel)
            targets.append(token)
            previous_masked = True
        else:
            inputs.append(token)
            previous_masked = False
    targets.append(tokenizer.sentinel_id(n_spans))
    ### END SOLUTION
    return inputs, targets


def mask_char_spans(text, spans, tokenizer):
    """Span corruption of chosen character spans, for salient-span masking: (inputs, targets) as
    `tokenize_and_mask` returns them, with sentinel k in place of the k-th span.

    Args:
        text: str.
        spans: sorted, non-overlapping (start, end) character offsets into `text`, e.g. a name's mention.
        tokenizer: has ``tokenize(text)`` and ``sentinel_id(k)``.

    The text between the spans and each span are tokenized separately, so a span's tokens are those of the
    span written on its own: the form an answer takes as a fine-tuning target.
    """
    previous_end = 0
    for start, end in spans:
        if not previous_end <= start < end <= len(text):
            raise ValueError(f"spans must be sorted, non-overlapping and inside the text, but got {spans}")
        previous_end = end
    def pieces(part):  # a span at the very start or end leaves no text beside it
        return tokenizer.tokenize(part) if part.strip() else []

    inputs, targets, position = [], [], 0
    for k, (start, end) in enumerate(spans):
        sentinel = tokenizer.sentinel_id(k)
        inputs += pieces(text[position:start]) + [sentinel]
        targets += [sentinel] + tokenizer.tokenize(text[start:end])
        position = end
    inputs += pieces(text[position:])
    targets.append(tokenizer.sentinel_id(len(spans)))
    return inputs, targets


def _as_token_array(tokens):
    if isinstance(tokens, (str, bytes)):
        raise TypeError("tokens must be a 1-D sequence of int token ids, not a str")
    array = np.asarray(tokens)
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
        raise ValueError(f"tokens must be a 1-D sequence of int token ids, but got shape {array.shape} "
                         f"and dtype {array.dtype}")
    return array.astype(np.int32)


def bert_mask(tokens, rng, vocab_size, rate=0.15, mask_id=MASK_ID, first_ordinary_id=FIRST_ORDINARY_ID):
    """BERT's masked-language-model corruption of one sequence.

    Args:
        tokens: (L,) int token ids.
        rng: a numpy ``Generator`` (``np.random.default_rng(seed)``).
        vocab_size: int, the number of ids; random replacements are drawn from
            [first_ordinary_id, vocab_size).
        rate: float in [0, 1], the probability that a token is picked for prediction (BERT: 0.15).
        mask_id: the id of [MASK].
        first_ordinary_id: ids below it (PAD, EOS, [CLS], [SEP], sentinels...) are never picked.

    The draws, in this order, make the result a function of `rng`'s state:

    1. ``pick = rng.random(L) < rate`` (and the token is ordinary);
    2. ``action = rng.random(n_picked)``: below 0.8 -> [MASK], 0.8 to 0.9 -> random token, else unchanged;
    3. ``random_ids = rng.integers(first_ordinary_id, vocab_size, size=n_picked)`` for the random ones.

    Returns:
        (inputs, targets, weights): (L,) int32 corrupted tokens, (L,) int32 original tokens, (L,) float32
        with 1.0 on the picked positions (the loss is on those only) and 0.0 elsewhere.
    """
    tokens = _as_token_array(tokens)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), but got "
                        f"{type(rng).__name__}")
    _check_noise(rate)
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, (int, np.integer)) or vocab_size <= first_ordinary_id:
        raise ValueError(f"vocab_size must be an int > first_ordinary_id ({first_ordinary_id}), but got "
                         f"{vocab_size!r}")
    if tokens.size and (tokens.min() < 0 or tokens.max() >= vocab_size):
        raise ValueError(f"tokens must be ids in [0, {vocab_size}), but got values from {tokens.min()} to "
                         f"{tokens.max()}")
    ### BEGIN SOLUTION
    picked = (rng.random(tokens.shape[0]) < rate) & (tokens >= first_ordinary_id)
    positions = np.flatnonzero(picked)
    action = rng.random(positions.size)
    random_ids = rng.integers(first_ordinary_id, vocab_size, size=positions.size)
    inputs = tokens.copy()
    to_mask = action < 0.8
    to_random = (action >= 0.8) & (action < 0.9)
    inputs[positions[to_mask]] = mask_id
    inputs[positions[to_random]] = random_ids[to_random]
    targets = tokens.copy()
    weights = picked.astype(np.float32)
    ### END SOLUTION
    return inputs, targets, weights


class SpanRandomizer:
    """A randomizer for `tokenize_and_mask` that masks runs of tokens, as T5 does (mean span length 3).

    The course's uniform randomizer masks each token on its own, so most masked runs are one sub-word long
    and can be guessed from the rest of the word. This one is a two-state chain: after a masked token the
    next is masked with probability 1 - 1/mean_span, after a kept token with probability
    noise / (mean_span (1 - noise)); runs then have a mean length of `mean_span` and a fraction `noise` of
    the tokens is masked. Each call returns a float below `noise` (mask) or at least `noise` (keep).

    Args:
        noise: float in (0, 1), the fraction of tokens to mask (pass the same to tokenize_and_mask).
        mean_span: float >= 1, the mean length of a masked run.
        rng: a numpy Generator.
    """

    def __init__(self, noise, mean_span, rng):
        _check_noise(noise)
        if not 0.0 < noise < 1.0:
            raise ValueError(f"noise must be in (0, 1), but got {noise}")
        if isinstance(mean_span, bool) or not isinstance(mean_span, (int, float)) or mean_span < 1:
            raise ValueError(f"mean_span must be a number >= 1, but got {mean_span!r}")
        if noise / (mean_span * (1 - noise)) > 1:
            raise ValueError(f"noise {noise} with mean_span {mean_span} is impossible: lower the noise")
        self.noise = float(noise)
        self._start = noise / (mean_span * (1.0 - noise))
        self._stay = 1.0 - 1.0 / mean_span
        self._rng = rng
        self._masked = False

    def __call__(self):
        u, v = self._rng.random(2)
        self._masked = bool(u < (self._stay if self._masked else self._start))
        return v * self.noise if self._masked else self.noise + v * (1.0 - self.noise)


class WordTokenizer:
    """A whitespace tokenizer over a fixed word list, with named sentinels: shows span corruption on words.

    ``WordTokenizer("Thank you for inviting me to your party last week.".split())`` numbers the words
    1..n (0 is PAD) and the sentinels "<X>", "<Y>", "<Z>" after them.
    """

    def __init__(self, words, sentinels=("<X>", "<Y>", "<Z>")):
        self.words = list(dict.fromkeys(words))
        self.sentinels = list(sentinels)
        self.pieces = ["<pad>"] + self.words + self.sentinels
        self._ids = {piece: i for i, piece in enumerate(self.pieces)}

    @property
    def vocab_size(self):
        return len(self.pieces)

    def tokenize(self, text):
        unknown = [word for word in text.split() if word not in self._ids]
        if unknown:
            raise ValueError(f"unknown words {unknown}; this tokenizer knows {self.words}")
        return [self._ids[word] for word in text.split()]

    def sentinel_id(self, k):
        if not 0 <= k < len(self.sentinels):
            raise ValueError(f"this tokenizer has {len(self.sentinels)} sentinels, but sentinel {k} was asked for")
        return self._ids[self.sentinels[k]]

    def detokenize(self, ids):
        return " ".join(self.pieces[int(i)] for i in ids if int(i) != 0)

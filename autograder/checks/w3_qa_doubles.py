"""Test doubles for the Week 3 checks: a randomizer that returns given draws, a question-answering model that
knows its answers, and a word tokenizer that shows every id it decodes; so span corruption and greedy
answering are checked without randomness of their own and without a trained model (and without trax)."""
import numpy as np

from coursekit.tokenizer import EOS_ID, PAD_ID, UNK_ID


class FixedDraws:
    """A randomizer for tokenize_and_mask: returns `draws` in order, one per call. tokenize_and_mask draws
    once per token, so a call past the last draw is an error that says so."""

    def __init__(self, draws):
        self.draws = [float(d) for d in draws]
        self.calls = 0

    def __call__(self):
        if self.calls >= len(self.draws):
            raise RuntimeError(f"the randomizer was called more than {len(self.draws)} times for a text of "
                               f"{len(self.draws)} tokens: draw once per token")
        self.calls += 1
        return self.draws[self.calls - 1]


class PlainWordTokenizer:
    """A whitespace tokenizer over a word list: PAD 0, EOS 1, UNK 2 (unknown words), then the words.

    Unlike the packaged tokenizer, detokenize shows every id but padding, EOS as "<eos>": stopping at EOS is
    the decoder's job, so a decoder that does not stop there shows it in its answer.
    """

    def __init__(self, words):
        self.pieces = ["<pad>", "<eos>", "<unk>"] + list(dict.fromkeys(words))
        self._ids = {piece: i for i, piece in enumerate(self.pieces)}

    @property
    def vocab_size(self):
        return len(self.pieces)

    def tokenize(self, text):
        return [self._ids.get(word, UNK_ID) for word in text.split()]

    def detokenize(self, ids):
        return " ".join(self.pieces[int(i)] for i in ids if int(i) != PAD_ID)


class AnswerTable:
    """Stands in for the question-answering model (trax.models.Transformer in 'eval' mode)::

        model((inputs (B, Li) int, targets (B, Lt) int)) -> (logits (B, Lt, vocab) float32, targets)

    It knows `answers`: {input ids (question and context, then EOS; padding ignored): answer ids}. As the
    real model, position t of the logits scores the token after targets[:t] (later targets are not read).
    When the inputs are known and targets[:t] is the answer's first t tokens, position t favours the answer's
    next token, or EOS after the last. Otherwise (a wrong prefix, inputs it does not know) it favours an
    ordinary token picked by t and the prefix, never EOS nor a token of a known answer: a decoder that reads
    the wrong position, encodes the question otherwise or goes on after EOS gives another answer, and runs
    to max_length.
    """

    def __init__(self, answers, vocab, first_ordinary=UNK_ID + 1, seed=0):
        self.answers = {tuple(int(i) for i in key): [int(i) for i in value] for key, value in answers.items()}
        self.vocab, self.first_ordinary, self.seed = int(vocab), int(first_ordinary), int(seed)
        self.calls = 0

    def _favourite(self, key, prefix):
        answer = self.answers.get(key)
        t = len(prefix)
        if answer is not None and prefix == answer[:t] and t <= len(answer):
            return answer[t] if t < len(answer) else EOS_ID
        # Another token, never EOS nor any known answer's token: a wrong read never looks right.
        right = {token for known in self.answers.values() for token in known}
        code = self.seed + 7 * t + sum((i + 1) * token for i, token in enumerate(prefix)) + 3 * len(key)
        token = self.first_ordinary + (31 * code) % (self.vocab - self.first_ordinary)
        while token in right and len(right) < self.vocab - self.first_ordinary:
            token = self.first_ordinary + (token + 1 - self.first_ordinary) % (self.vocab - self.first_ordinary)
        return token

    def __call__(self, batch):
        if not isinstance(batch, (tuple, list)) or len(batch) != 2:
            raise TypeError("the model takes one argument, the pair (inputs, targets) of (batch, length) arrays")
        inputs, targets = np.asarray(batch[0]), np.asarray(batch[1])
        for name, array in (("inputs", inputs), ("targets", targets)):
            if array.ndim != 2 or array.dtype.kind not in "iu":
                raise ValueError(f"the model's {name} must be a (batch, length) array of int token ids, but got "
                                 f"shape {array.shape} and dtype {array.dtype}")
        if inputs.shape[0] != targets.shape[0]:
            raise ValueError(f"inputs and targets must have the same batch size, got {inputs.shape[0]} and "
                             f"{targets.shape[0]}")
        self.calls += 1
        logits = np.zeros(targets.shape + (self.vocab,), np.float32)
        for row in range(targets.shape[0]):
            key = tuple(int(i) for i in inputs[row] if i != PAD_ID)
            for t in range(targets.shape[1]):
                logits[row, t, self._favourite(key, [int(i) for i in targets[row, :t]])] = 5.0
        return logits, targets


def answer_table(tokenizer, examples, seed=0, first_ordinary=UNK_ID + 1):
    """An AnswerTable that knows [(question, context, answer text)], encoded as answer_question must:
    tokenize(format_qa(question, context)) + [EOS] -> tokenize(answer)."""
    from w3_qa.tasks import format_qa

    answers = {tuple(tokenizer.tokenize(format_qa(q, c)) + [EOS_ID]): tokenizer.tokenize(a) if a else []
               for q, c, a in examples}
    return AnswerTable(answers, tokenizer.vocab_size, first_ordinary=first_ordinary, seed=seed)

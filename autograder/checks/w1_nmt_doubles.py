"""Test doubles for the Week 1 decoding checks: models, tokenizers and log-prob tables whose answers are
known, so decoding is checked without a trained model (and without trax).
"""
import numpy as np

EOS = 1


class TableModel:
    """Stands in for an NMTAttn in 'eval' mode: ((inputs (1, L), targets (1, T))) ->
    (log_probs (1, T, vocab), targets). The distribution at position t depends on the previous target
    token (0 at t = 0) and on the input, through a seeded table; padding after position t is ignored."""

    def __init__(self, vocab=12, seed=0, eos_bias=0.0):
        rng = np.random.default_rng(seed)
        logits = rng.normal(0.0, 2.0, size=(vocab, vocab)).astype(np.float32)
        logits[:, EOS] += eos_bias
        logits[:, 0] = -1e9  # never emit padding
        self.table = logits - np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True)) \
            - logits.max(1, keepdims=True)
        self.vocab = vocab

    def __call__(self, batch):
        inputs, targets = batch
        inputs, targets = np.asarray(inputs), np.asarray(targets)
        shift = int(inputs.sum()) % self.vocab
        previous = np.concatenate([np.zeros((targets.shape[0], 1), targets.dtype), targets[:, :-1]], axis=1)
        rows = (previous + shift) % self.vocab
        return self.table[rows], targets


class WordTokenizer:
    """tokenize: words -> ids (no EOS); detokenize: ids -> words, stopping at EOS, skipping padding."""

    def __init__(self, vocab=12):
        self.words = ["<pad>", "<eos>"] + [f"w{i}" for i in range(2, vocab)]
        self.ids = {w: i for i, w in enumerate(self.words)}
        self.vocab_size = vocab

    def tokenize(self, text):
        return [self.ids.get(w, 2) for w in text.split()]

    def detokenize(self, ids):
        out = []
        for i in [int(i) for i in ids]:
            if i == EOS:
                break
            if i:
                out.append(self.words[i])
        return " ".join(out)


class SeedBeamTable:
    """The seed's B=2 beam-search example as a log_prob_fn over tokens {0: <eos>, 1: I, 2: am,
    3: hungry}: P(w1) I 0.5, am 0.4; P(.|I) am 0.5, hungry 0.3; P(.|am) I 0.7, hungry 0.2;
    P(.|I am) hungry 0.6, <eos> 0.3; P(.|am I) hungry 0.5, <eos> 0.2; "hungry" is followed by <eos>."""

    TABLE = {(): [0.05, 0.5, 0.4, 0.05], (1,): [0.1, 0.1, 0.5, 0.3], (2,): [0.05, 0.7, 0.05, 0.2],
             (1, 2): [0.3, 0.05, 0.05, 0.6], (2, 1): [0.2, 0.15, 0.15, 0.5]}

    def __call__(self, prefixes):
        prefixes = np.asarray(prefixes)
        rows = []
        for prefix in prefixes:
            prefix = tuple(int(t) for t in prefix)
            if prefix and prefix[-1] == 3:
                probs = [0.97, 0.01, 0.01, 0.01]
            else:
                probs = self.TABLE.get(prefix, [0.4, 0.2, 0.2, 0.2])
            rows.append(np.log(np.asarray(probs, np.float64)))
        return np.stack(rows) if rows else np.zeros((0, 4))


class RandomTable:
    """log_prob_fn whose next-token distribution is a seeded function of the last two tokens."""

    def __init__(self, vocab=5, seed=0):
        rng = np.random.default_rng(seed)
        logits = rng.normal(0.0, 1.5, size=(vocab, vocab, vocab))
        self.log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        self.vocab = vocab

    def __call__(self, prefixes):
        prefixes = np.asarray(prefixes, dtype=np.int64)
        k, t = prefixes.shape
        a = prefixes[:, -2] if t >= 2 else np.zeros(k, np.int64)
        b = prefixes[:, -1] if t >= 1 else np.zeros(k, np.int64)
        return self.log_probs[a % self.vocab, b % self.vocab]


#: Candidate translations for the MBR checks (token ids): the consensus is not the most probable.
MBR_SAMPLES = [[2, 3, 4, 6, EOS], [7, 8, 9, EOS], [2, 3, 4, 5, EOS], [2, 9, 4, 5, 6, EOS], [3, 10, 5, EOS]]
MBR_LOG_PROBS = [-4.0, -0.5, -5.5, -6.0, -3.0]


def fixed_samples(sentence, n_samples, model, temperature=0.6, tokenizer=None, rng=None, max_length=100):
    """Replaces generate_samples in the mbr_decode check: the first n_samples of MBR_SAMPLES."""
    return [list(s) for s in MBR_SAMPLES[:n_samples]], list(MBR_LOG_PROBS[:n_samples])

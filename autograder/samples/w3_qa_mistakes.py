"""Typical student mistakes in Week 3, one wrong version per function, as notebook cell sources.

The "mistakes" sample submission uses these in place of the solutions; the check tests assert that each
costs exactly its own function's points, with a message that names the function.
"""

MISTAKES = {
    # A new sentinel for every masked token instead of one per run of masked tokens.
    "tokenize_and_mask": '''
def tokenize_and_mask(text, noise=0.15, randomizer=np.random.uniform, tokenizer=None):
    tokenizer = tokenizer or default_tokenizer()
    inputs, targets = [], []
    n_spans = 0
    for token in tokenizer.tokenize(text):
        if randomizer() < noise:
            sentinel = tokenizer.sentinel_id(n_spans)
            n_spans += 1
            inputs.append(sentinel)
            targets.append(sentinel)
            targets.append(token)
        else:
            inputs.append(token)
    targets.append(tokenizer.sentinel_id(n_spans))
    return inputs, targets
''',
    # Every picked token becomes [MASK]: no random replacements, none left unchanged.
    "bert_mask": '''
def bert_mask(tokens, rng, vocab_size, rate=0.15, mask_id=MASK_ID, first_ordinary_id=FIRST_ORDINARY_ID):
    tokens = np.asarray(tokens).astype(np.int32)
    picked = (rng.random(tokens.shape[0]) < rate) & (tokens >= first_ordinary_id)
    inputs = np.where(picked, mask_id, tokens).astype(np.int32)
    return inputs, tokens.copy(), picked.astype(np.float32)
''',
    # No space after the colons.
    "format_qa": '''
def format_qa(question, context):
    question = " ".join(question.split())
    context = " ".join(context.split())
    return f"question:{question} context:{context}"
''',
    # Raises the rates to the power T instead of 1/T: a higher temperature favours the large tasks more.
    "mixing_rates": '''
def mixing_rates(sizes, strategy="proportional", temperature=1.0, limit=None):
    sizes = np.asarray(sizes, dtype=np.float64)
    if strategy == "equal":
        has_examples = (sizes > 0).astype(np.float64)
        return has_examples / has_examples.sum()
    if limit is not None:
        sizes = np.minimum(sizes, limit)
    rates = sizes / sizes.sum()
    if strategy == "temperature":
        rates = rates ** temperature
        rates = rates / rates.sum()
    return rates
''',
    # Forgets the Dropout after the last Dense layer.
    "FeedForwardBlock": '''
def FeedForwardBlock(d_model, d_ff, dropout, dropout_shared_axes, mode, activation):
    return [tl.LayerNorm(), tl.Dense(d_ff), activation(),
            tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode), tl.Dense(d_model)]
''',
    # No residual connection around the feed-forward block.
    "EncoderBlock": '''
def EncoderBlock(d_model, d_ff, n_heads, dropout, dropout_shared_axes, mode, ff_activation):
    attention = EncoderAttention(d_model, n_heads=n_heads, dropout=dropout, mode=mode)
    feed_forward = FeedForwardBlock(d_model, d_ff, dropout, dropout_shared_axes, mode, ff_activation)
    return [tl.Residual(tl.LayerNorm(), attention,
                        tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode)),
            feed_forward]
''',
    # The causal part transposed: each position sees itself and the positions after it (the future).
    "attention_mask": '''
def attention_mask(length, pattern="fully_visible", prefix_length=0):
    if pattern == "fully_visible":
        return np.ones((length, length), dtype=bool)
    positions = np.arange(length)
    mask = positions[None, :] >= positions[:, None]
    if pattern == "prefix":
        mask = mask | (positions[None, :] < prefix_length)
    return mask
''',
    # No square root in the denominator: the product of the four sums instead of its root.
    "matthews_corrcoef": '''
def matthews_corrcoef(predictions, labels):
    tp, tn, fp, fn = _counts(predictions, labels)
    denominator = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
    if denominator == 0:
        return 0.0
    return (tp * tn - fp * fn) / denominator
''',
    # Forgets the final LogSoftmax: returns logits, not log-probabilities.
    "TransformerEncoder": '''
def TransformerEncoder(vocab_size=32000, n_classes=10, d_model=512, d_ff=2048, n_layers=6, n_heads=8,
                       dropout=0.1, dropout_shared_axes=None, max_len=DEFAULT_MAX_LEN, mode="train",
                       ff_activation=tl.Relu):
    encoder_blocks = [EncoderBlock(d_model, d_ff, n_heads, dropout, dropout_shared_axes, mode, ff_activation)
                      for _ in range(n_layers)]
    return tl.Serial(
        tl.Branch([], tl.PaddingMask()),
        tl.Embedding(vocab_size, d_model),
        tl.Dropout(rate=dropout, shared_axes=dropout_shared_axes, mode=mode),
        PositionalEncoding(max_len=max_len),
        encoder_blocks,
        tl.Select([0], n_in=2),
        tl.LayerNorm(),
        tl.Mean(axis=1),
        tl.Dense(n_classes),
    )
''',
    # Reads the logits one position too late (the prediction after the token it is choosing).
    "answer_question": '''
def answer_question(question, context, model, tokenizer=None, max_length=DEFAULT_MAX_ANSWER):
    tokenizer = tokenizer or default_tokenizer()
    input_ids = tokenizer.tokenize(format_qa(question, context)) + [EOS_ID]
    inputs = np.zeros((1, padded_length(len(input_ids))), np.int32)
    inputs[0, :len(input_ids)] = input_ids
    targets = np.zeros((1, max_length + 1), np.int32)
    answer = []
    for position in range(max_length):
        logits = model((inputs, targets))[0]
        next_token = int(np.argmax(np.asarray(logits)[0, position + 1]))
        if next_token == EOS_ID:
            break
        answer.append(next_token)
        targets[0, position] = next_token
    return tokenizer.detokenize(answer)
''',
}

PRELUDE = '''
from coursekit.trax_env import import_trax
trax = import_trax()
from trax import layers as tl
from trax.fastmath import numpy as jnp
import numpy as np
from coursekit.decoding import padded_length
from coursekit.tokenizer import EOS_ID, PAD_ID
from w3_qa.model import DEFAULT_MAX_LEN, EncoderAttention, PositionalEncoding
from w3_qa.qa import DEFAULT_MAX_ANSWER
from w3_qa.tasks import MIXING_STRATEGIES
from w3_qa.tokenizer import FIRST_ORDINARY_ID, MASK_ID, default_tokenizer
'''

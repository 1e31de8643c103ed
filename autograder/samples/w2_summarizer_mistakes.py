"""Typical student mistakes in Week 2, one wrong version per function, as notebook cell sources.

The "mistakes" sample submission uses these in place of the solutions; the check tests assert that each
costs exactly its own function's points, with a message that names the function.
"""

MISTAKES = {
    # Forgets to scale the scores by sqrt(depth).
    "DotProductAttention": '''
def DotProductAttention(query, key, value, mask):
    dots = jnp.matmul(query, jnp.swapaxes(key, -1, -2))
    if mask is not None:
        dots = jnp.where(mask, dots, jnp.full_like(dots, -1e9))
    weights = jnp.exp(dots - trax.fastmath.logsumexp(dots, axis=-1, keepdims=True))
    return jnp.matmul(weights, value)
''',
    # Masks the past instead of the future (upper instead of lower triangle).
    "dot_product_self_attention": '''
def dot_product_self_attention(q, k, v):
    mask_size = q.shape[-2]
    mask = jnp.triu(jnp.ones((1, mask_size, mask_size), dtype=jnp.bool_), k=0)
    return DotProductAttention(q, k, v, mask)
''',
    # Uses i instead of 2i in the exponent (forgets that sin and cos share a frequency).
    "positional_encoding": '''
def positional_encoding(max_len, d_model):
    positions = np.arange(max_len)[:, np.newaxis]
    features = np.arange(d_model)[np.newaxis, :]
    angles = positions / np.power(10000.0, features / np.float64(d_model))
    angles[:, 0::2] = np.sin(angles[:, 0::2])
    angles[:, 1::2] = np.cos(angles[:, 1::2])
    return angles[np.newaxis, ...].astype(np.float32)
''',
    # Reshapes to the right shape without moving the head axis next to the batch: heads get mixed up.
    "compute_attention_heads_closure": '''
def compute_attention_heads_closure(n_heads, d_head):
    def compute_attention_heads(x):
        return jnp.reshape(x, (-1, x.shape[1], d_head))
    return compute_attention_heads
''',
    # Same mistake on the way back.
    "compute_attention_output_closure": '''
def compute_attention_output_closure(n_heads, d_head):
    def compute_attention_output(x):
        return jnp.reshape(x, (-1, x.shape[1], n_heads * d_head))
    return compute_attention_output
''',
    # Forgets the last Dense layer that mixes the heads.
    "CausalAttention": '''
def CausalAttention(d_feature, n_heads, mode="train", max_len=DEFAULT_MAX_LEN):
    d_head = d_feature // n_heads
    heads = tl.Fn("AttnHeads", compute_attention_heads_closure(n_heads, d_head), n_out=1)
    return tl.Serial(
        tl.Branch([tl.Dense(d_feature), heads], [tl.Dense(d_feature), heads], [tl.Dense(d_feature), heads]),
        CausalSelfAttentionCore(dot_product_self_attention, DotProductAttention, mode=mode, max_len=max_len),
        tl.Fn("AttnOutput", compute_attention_output_closure(n_heads, d_head), n_out=1),
    )
''',
    # No LayerNorm before the feed-forward layers.
    "DecoderBlock": '''
def DecoderBlock(d_model, d_ff, n_heads, dropout, mode, ff_activation, max_len=DEFAULT_MAX_LEN):
    causal_attention = CausalAttention(d_model, n_heads=n_heads, mode=mode, max_len=max_len)
    feed_forward = [tl.Dense(d_ff), ff_activation(), tl.Dropout(rate=dropout, mode=mode), tl.Dense(d_model),
                    tl.Dropout(rate=dropout, mode=mode)]
    return [tl.Residual(tl.LayerNorm(), causal_attention, tl.Dropout(rate=dropout, mode=mode)),
            tl.Residual(feed_forward)]
''',
    # Forgets ShiftRight: every position sees the token it must predict.
    "TransformerLM": '''
def TransformerLM(vocab_size=33300, d_model=512, d_ff=2048, n_layers=6, n_heads=8, dropout=0.1, max_len=4096,
                  mode="train", ff_activation=tl.Relu):
    return tl.Serial(
        tl.Embedding(vocab_size, d_model), tl.Dropout(rate=dropout, mode=mode),
        PositionalEncoding(max_len=max_len, mode=mode),
        [DecoderBlock(d_model, d_ff, n_heads, dropout, mode, ff_activation, max_len=max_len)
         for _ in range(n_layers)],
        tl.LayerNorm(), tl.Dense(vocab_size), tl.LogSoftmax())
''',
    # A constant learning rate: no warm-up.
    "training_loop": '''
def training_loop(TransformerLM, train_gen, eval_gen, output_dir, config=cfg.DEFAULT, vocab_size=None):
    output_dir = os.path.expanduser(os.fspath(output_dir))
    vocab_size = vocab_size or config.vocab_size
    train_task = training.TrainTask(
        labeled_data=train_gen, loss_layer=tl.WeightedCategoryCrossEntropy(),
        optimizer=trax.optimizers.Adam(config.learning_rate),
        n_steps_per_checkpoint=config.steps_per_checkpoint, loss_name="loss")
    eval_task = training.EvalTask(
        labeled_data=eval_gen, metrics=[tl.WeightedCategoryCrossEntropy(), tl.WeightedCategoryAccuracy()],
        metric_names=["loss", "accuracy"], n_eval_batches=config.eval_batches)
    return training.Loop(TransformerLM(vocab_size, mode="train", **config.model_kwargs()), [train_task],
                         eval_tasks=[eval_task], output_dir=output_dir, random_seed=config.seed,
                         checkpoint_at=lambda step: False)
''',
    # Reads the distribution one position too early (the last prompt token's own prediction).
    "next_symbol": '''
def next_symbol(cur_output_tokens, model, temperature=0.0, rng=None):
    token_length = len(cur_output_tokens)
    padded = list(cur_output_tokens) + [0] * (padded_length(token_length) - token_length)
    log_probs = np.asarray(model(np.asarray(padded, dtype=np.int32)[None, :]))[0, token_length - 1, :]
    symbol = gumbel_sample(log_probs, temperature, rng)
    return symbol, float(log_probs[symbol])
''',
    # Forgets the EOS and separator after the article: the model is asked to continue the article.
    "sampling_decode": '''
def sampling_decode(input_sentence, model, temperature=0.0, tokenizer=None, max_length=64, rng=None):
    tokenizer = tokenizer or default_tokenizer()
    cur_output_tokens = list(tokenizer.tokenize(input_sentence))
    generated_output, total_log_prob, cur_output = [], 0.0, None
    while cur_output != EOS_ID and len(generated_output) < max_length:
        cur_output, log_prob = next_symbol(cur_output_tokens, model, temperature, rng)
        cur_output_tokens.append(cur_output)
        generated_output.append(cur_output)
        total_log_prob += log_prob
    return generated_output, total_log_prob, tokenizer.detokenize(generated_output)
''',
    # Returns the token ids instead of the text.
    "greedy_decode": '''
def greedy_decode(input_sentence, model, tokenizer=None, max_length=64):
    tokens, _, _ = sampling_decode(input_sentence, model, temperature=0.0, tokenizer=tokenizer,
                                   max_length=max_length)
    return tokens
''',
}

PRELUDE = '''
import os
from coursekit.trax_env import import_trax
trax = import_trax()
from trax import layers as tl
from trax.fastmath import numpy as jnp
from trax.supervised import training
import numpy as np
from coursekit.decoding import gumbel_sample, padded_length
from coursekit.tokenizer import EOS_ID
from w2_summarizer import config as cfg
from w2_summarizer.model import DEFAULT_MAX_LEN, CausalSelfAttentionCore, PositionalEncoding
from w2_summarizer.tokenizer import default_tokenizer
'''

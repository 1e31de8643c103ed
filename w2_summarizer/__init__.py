"""Week 2: a Transformer decoder (GPT-2 style) that summarizes news-like articles, in Trax.

Modules, one idea each: `data` (seeded article/summary generator, loaders), `tokenizer` (sentencepiece,
the course's class), `pipeline` (joint "article EOS PAD summary EOS" sequences, loss weights, buckets),
`model` (attention, positional encoding, CausalAttention, DecoderBlock, TransformerLM), `train`
(training_loop and checkpoints), `decoding` (next_symbol, greedy and sampling decoding, the cached
generator), `visualize` (attention of a causal head, loss curves), `baseline` (an LSTM language model and a
raw training step, to time against the TransformerLM), `config`.
Week 1's metrics (ROUGE) are reused by import; the tokenizer class, the training-loop runner and the
decoding helpers are the course's shared plumbing (`coursekit`).

Public names are importable from the package directly (``from w2_summarizer import TransformerLM``); they
load their module on first use, so ``import w2_summarizer`` stays cheap.
"""
from coursekit.exports import lazy_exports

_EXPORTS = {
    "data": ["TOPICS", "generate_examples", "iter_examples", "make_splits", "load_jsonl", "load_csv",
             "load_tfds_cnn_dailymail"],
    "tokenizer": ["default_tokenizer", "tokenize", "detokenize"],
    "pipeline": ["joint_sequence", "summary_prompt", "encode_example", "make_batch_stream"],
    "model": ["DotProductAttention", "dot_product_self_attention", "positional_encoding",
              "compute_attention_heads_closure", "compute_attention_output_closure", "CausalAttention",
              "DecoderBlock", "TransformerLM", "CausalSelfAttentionCore", "PositionalEncoding"],
    "train": ["training_loop", "train_model", "load_model", "make_model"],
    "decoding": ["next_symbol", "sampling_decode", "greedy_decode", "CachedSummarizer", "recompute_generate"],
    "visualize": ["causal_attention_weights", "plot_attention", "plot_loss_curves"],
    "baseline": ["lstm_lm", "matching_lstm_width", "make_train_step"],
    "config": ["SummarizerConfig", "DEFAULT"],
}
__all__, __getattr__, __dir__ = lazy_exports(__package__, globals(), _EXPORTS)

"""Week 1: neural machine translation with attention (English -> German), in Trax.

Modules, one idea each: `data` (seeded sentence-pair generator, loaders), `tokenizer` (the packaged
sentencepiece model), `pipeline` (trax.data batches), `model` (NMTAttn and the seq2seq baseline), `train`
(TrainTask/EvalTask/Loop and the reference checkpoints), `metrics` (BLEU, ROUGE-N, F1), `decoding`
(sampling, greedy, MBR), `beam` (beam search), `visualize` (attention maps, BLEU by length), `config`
(hyper-parameters and paths). The Tokenizer class, the Loop runner, checkpoint writing and the decoding
helpers are the course's shared plumbing (`coursekit`), re-exported here where Week 1 exported them.

Public names are importable from the package directly (``from w1_nmt import NMTAttn, beam_search``); they
load their module on first use, so ``import w1_nmt`` stays cheap and imports trax only when needed.
"""
from coursekit.exports import lazy_exports

_EXPORTS = {
    "data": ["generate_pairs", "iter_pairs", "make_splits", "load_tsv_pairs", "load_tfds_pairs"],
    "tokenizer": ["Tokenizer", "train_tokenizer", "tokenize", "detokenize", "default_tokenizer",
                  "PAD_ID", "EOS_ID", "UNK_ID"],
    "pipeline": ["make_batch_stream", "encode_sentence", "BatchPipeline"],
    "model": ["input_encoder_fn", "pre_attention_decoder_fn", "prepare_attention_input", "NMTAttn",
              "Seq2SeqBaseline"],
    "train": ["train_model", "load_model", "save_weights", "make_model"],
    "metrics": ["simple_precision", "modified_precision", "brevity_penalty", "bleu", "corpus_bleu",
                "rouge_n", "rouge_l", "lcs_length", "f1", "rouge1_similarity", "ngram_counts"],
    "decoding": ["next_symbol", "sampling_decode", "greedy_decode", "generate_samples", "average_overlap",
                 "weighted_avg_overlap", "mbr_decode"],
    "beam": ["beam_search", "recompute_log_prob_fn", "cached_log_prob_fn", "beam_search_translate"],
    "visualize": ["attention_weights", "plot_attention", "bleu_by_length", "plot_bleu_by_length"],
    "config": ["NMTConfig", "DEFAULT"],
}
__all__, __getattr__, __dir__ = lazy_exports(__package__, globals(), _EXPORTS)

"""Week 3: transfer learning and question answering (BERT and T5 ideas), in Trax.

Modules, one idea each: `data` (seeded encyclopedic paragraphs, SQuAD-style questions, an NLI set, an
acceptability set, loaders
for SQuAD JSON, C4 JSON lines and MNLI TSV), `tokenizer` (sentencepiece with [MASK], [CLS], [SEP] and
sentinels), `masking` (T5 span corruption, BERT's 80/10/10 masking), `tasks` (text-to-text formats, mixing
rates), `attention_masks` (T5's fully visible, causal and prefix attention patterns), `model` (feed-forward
and encoder blocks, the BERT-style encoder, the encoder-decoder), `glue` (GLUE's tasks, metrics and score),
`classifier` (training the encoder classifier on a labelled task), `glue_table` (a GLUE-style table of the
generated tasks), `pipeline` (batches for pre-training and
fine-tuning), `checkpoints` (the model of a config, checkpoints loaded back), `train` (pre-training and
fine-tuning), `qa` (answering questions), `evaluate` (SQuAD exact match and F1), `scoring` (a model's SQuAD
scores on a set of questions), `transfer` (the transfer curve), `visualize`, `config`.
Week 2's attention pieces are reused by import. The subpackage `w3_qa.hf` is the Hugging Face lab (offline:
WordPiece tokenizer, BERT models from configs, the Trainer and pipelines; it needs torch and transformers).

Public names are importable from the package directly (``from w3_qa import tokenize_and_mask``); they load
their module on first use, so ``import w3_qa`` stays cheap.
"""
from coursekit.exports import lazy_exports

_EXPORTS = {
    "data": ["KINDS", "generate_paragraphs", "iter_paragraphs", "qa_examples", "nli_examples",
             "acceptability_examples", "make_splits", "load_squad_json", "load_c4_jsonl", "load_mnli_tsv"],
    "tokenizer": ["QATokenizer", "default_tokenizer", "tokenize", "detokenize"],
    "masking": ["tokenize_and_mask", "bert_mask", "mask_char_spans", "WordTokenizer"],
    "tasks": ["format_qa", "format_nli", "mixing_rates", "sample_tasks"],
    "attention_masks": ["ATTENTION_PATTERNS", "attention_mask"],
    "model": ["EncoderAttention", "FeedForwardBlock", "EncoderBlock", "TransformerEncoder", "make_qa_model"],
    "glue": ["GLUE_TASKS", "accuracy", "binary_f1", "matthews_corrcoef", "task_score", "glue_score"],
    "classifier": ["train_classifier", "predict"],
    "glue_table": ["build_table", "format_table"],
    "pipeline": ["span_corruption_pairs", "salient_span_pairs", "qa_pairs", "make_seq2seq_batches"],
    "train": ["pretrain", "finetune", "load_model", "save_weights"],
    "qa": ["answer_question", "greedy_answers", "greedy_outputs", "answer_questions"],
    "evaluate": ["normalize_answer", "exact_match_score", "f1_score", "squad_scores"],
    "scoring": ["evaluate_model"],
    "config": ["QAConfig", "DEFAULT", "ClassifierConfig", "CLASSIFIER"],
}
__all__, __getattr__, __dir__ = lazy_exports(__package__, globals(), _EXPORTS)

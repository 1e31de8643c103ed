"""Small BERT models built from a config (no download), for the lab's three tasks.

    build_model("question-answering", tokenizer)   BertForQuestionAnswering: (B, L) ids -> start/end logits (B, L)
    build_model("fill-mask", tokenizer)            BertForMaskedLM: (B, L) ids -> logits (B, L, vocab)
    build_model("text-classification", tokenizer, labels=("negative", "positive"))
                                                   BertForSequenceClassification: (B, L) ids -> logits (B, 2)

The default size is BERT's layout shrunk to the course's scale: 2 layers, hidden 128, 4 heads,
feed-forward 512, 512 positions (about 0.9 M parameters besides the embeddings).
"""
from w3_qa import hf  # noqa: F401  (offline switches)

TASKS = ("question-answering", "fill-mask", "text-classification")
DEFAULT_SIZE = dict(hidden_size=128, num_hidden_layers=2, num_attention_heads=4, intermediate_size=512,
                    max_position_embeddings=512)


def bert_config(tokenizer, labels=None, **overrides):
    """A `BertConfig` for `tokenizer`'s vocabulary and special tokens, DEFAULT_SIZE unless overridden.

    labels: optional sequence of class names (id i is labels[i]), for text classification.
    """
    from transformers import BertConfig

    size = {**DEFAULT_SIZE, **overrides}
    extra = {}
    if labels is not None:
        labels = list(labels)
        if len(labels) < 2 or len(set(labels)) != len(labels):
            raise ValueError(f"labels must be two or more distinct names, but got {labels!r}")
        extra = dict(id2label=dict(enumerate(labels)), label2id={name: i for i, name in enumerate(labels)})
    return BertConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, **size, **extra)


def build_model(task, tokenizer, labels=None, seed=0, **overrides):
    """A randomly initialised (seeded) BERT for `task` (one of TASKS), sized for `tokenizer`."""
    import torch
    from transformers import AutoModelForMaskedLM, AutoModelForQuestionAnswering, AutoModelForSequenceClassification

    classes = {"question-answering": AutoModelForQuestionAnswering, "fill-mask": AutoModelForMaskedLM,
               "text-classification": AutoModelForSequenceClassification}
    if task not in classes:
        raise ValueError(f"task must be one of {TASKS}, but got {task!r}")
    if task == "text-classification" and labels is None:
        raise ValueError("a text-classification model needs its labels, e.g. labels=('negative', 'positive')")
    torch.manual_seed(seed)
    return classes[task].from_config(bert_config(tokenizer, labels, **overrides))


def count_parameters(model):
    """The number of trainable parameters of a torch model."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)

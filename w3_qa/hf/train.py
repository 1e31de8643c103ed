"""Train the lab's models with `Trainer`, and save each with its tokenizer to a folder of its own.

    python -m w3_qa.hf.train --out /tmp/w3_hf            # fill-mask, QA and review models
    python -m w3_qa.hf.train --out /tmp/w3_hf --qa-steps 200 --mlm-steps 100 --review-steps 50

Folders (each loads with `AutoTokenizer.from_pretrained(folder)` and the task's `AutoModelFor...`, or with
`pipeline(task, model=folder)`)::

    tokenizer/       the WordPiece tokenizer (a copy of the packaged one)
    fill-mask/       BERT pre-trained by masked language modelling on the unlabeled paragraphs
    qa/              the fill-mask model's encoder fine-tuned on the training questions (start/end heads)
    text-classification/   a BERT trained on generated reviews (negative / positive)
    lab.json         what was trained: steps, seconds, losses, parameter counts

Runs are seeded (`TrainingArguments(seed=...)`), on the CPU, with tqdm progress bars unless --quiet.
"""
import argparse
import dataclasses
import json
import pathlib
import tempfile
import time

from w3_qa import hf  # noqa: F401  (offline switches)

REVIEW_LABELS = ("negative", "positive")


@dataclasses.dataclass(frozen=True)
class LabConfig:
    """Sizes, steps and learning rates of the lab's runs (a few minutes on two CPU cores in all)."""

    max_length: int = 256  # training windows; the pipeline reads up to 384 tokens
    stride: int = 64
    n_pretrain: int = 4000  # unlabeled paragraphs for masked language modelling
    n_train: int = 4000  # labeled questions (Week 3's training split)
    mlm_steps: int = 300
    qa_steps: int = 600
    review_steps: int = 150
    n_reviews: int = 2000
    batch_size: int = 16
    learning_rate: float = 1e-3
    seed: int = 0


DEFAULT = LabConfig()


def training_arguments(steps, learning_rate, batch_size, seed, progress=True):
    """`TrainingArguments` for a seeded CPU run of `steps` steps with linear warm-up (10%) and decay; nothing
    is reported to outside services and no checkpoint is written during the run."""
    from transformers import TrainingArguments

    return TrainingArguments(
        output_dir=tempfile.mkdtemp(prefix="w3_hf_trainer_"), max_steps=steps, learning_rate=learning_rate,
        per_device_train_batch_size=batch_size, warmup_steps=max(1, steps // 10), weight_decay=0.01,
        lr_scheduler_type="linear", seed=seed, data_seed=seed, use_cpu=True, report_to=[], save_strategy="no",
        logging_steps=max(1, steps // 10), disable_tqdm=not progress, dataloader_num_workers=0,
        log_level="error")


def _train(model, dataset, collator, tokenizer, steps, learning_rate, batch_size, seed, progress):
    from transformers import Trainer

    from transformers.trainer_callback import PrinterCallback

    trainer = Trainer(model=model, args=training_arguments(steps, learning_rate, batch_size, seed, progress),
                      train_dataset=dataset, data_collator=collator, processing_class=tokenizer)
    if not progress:
        trainer.remove_callback(PrinterCallback)  # without a progress bar, the Trainer prints every log
    start = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - start
    losses = [round(entry["loss"], 4) for entry in trainer.state.log_history if "loss" in entry]
    return trainer.model.eval(), {"steps": steps, "seconds": round(seconds, 1), "losses": losses}


def _save(model, tokenizer, folder):
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder


def pretrain_mlm(tokenizer, texts, steps=DEFAULT.mlm_steps, config=DEFAULT, progress=True):
    """BERT's masked language modelling on `texts` (list of str): 15% of the tokens are chosen, 80% of
    those become [MASK], 10% a random token, 10% stay (`DataCollatorForLanguageModeling`).

    Returns (BertForMaskedLM in eval mode, record dict).
    """
    from datasets import Dataset
    from transformers import DataCollatorForLanguageModeling

    from w3_qa.hf.data import mlm_features
    from w3_qa.hf.models import build_model

    dataset = Dataset.from_dict({"text": list(texts)}).map(
        lambda batch: mlm_features(batch, tokenizer, config.max_length), batched=True, remove_columns=["text"])
    collator = DataCollatorForLanguageModeling(tokenizer, mlm=True, mlm_probability=0.15,
                                               mask_replace_prob=0.8, random_replace_prob=0.1, seed=config.seed)
    model = build_model("fill-mask", tokenizer, seed=config.seed)
    return _train(model, dataset, collator, tokenizer, steps, config.learning_rate, config.batch_size,
                  config.seed, progress)


def finetune_qa(tokenizer, examples, steps=DEFAULT.qa_steps, start_from=None, config=DEFAULT, progress=True):
    """Fine-tune a BertForQuestionAnswering on QA example dicts (Week 3's), from a random start or from the
    encoder of a pre-trained model folder `start_from` (its MLM head is dropped, the start/end head is new).

    Returns (model in eval mode, record dict).
    """
    from transformers import AutoModelForQuestionAnswering, default_data_collator

    from w3_qa.hf.data import qa_dataset, qa_features
    from w3_qa.hf.models import build_model

    dataset = qa_dataset(examples)
    features = dataset.map(lambda batch: qa_features(batch, tokenizer, config.max_length, config.stride),
                           batched=True, remove_columns=dataset.column_names)
    if start_from is None:
        model = build_model("question-answering", tokenizer, seed=config.seed)
    else:
        import torch
        torch.manual_seed(config.seed)  # the new start/end head
        model = AutoModelForQuestionAnswering.from_pretrained(str(start_from))
    return _train(model, features, default_data_collator, tokenizer, steps, config.learning_rate,
                  config.batch_size, config.seed, progress)


def train_classifier(tokenizer, examples, labels=REVIEW_LABELS, steps=DEFAULT.review_steps, config=DEFAULT,
                     progress=True):
    """A BertForSequenceClassification trained on {"text", "label"} dicts; returns (model, record)."""
    from datasets import Dataset
    from transformers import DataCollatorWithPadding

    from w3_qa.hf.models import build_model

    dataset = Dataset.from_list(list(examples)).map(
        lambda batch: tokenizer(batch["text"], truncation=True, max_length=config.max_length), batched=True,
        remove_columns=["text"])
    model = build_model("text-classification", tokenizer, labels=labels, seed=config.seed)
    return _train(model, dataset, DataCollatorWithPadding(tokenizer), tokenizer, steps, config.learning_rate,
                  config.batch_size, config.seed, progress)


def build_lab(out, config=DEFAULT, data=None, tokenizer=None, progress=True):
    """Train and save the three models under `out`, each with the tokenizer (default: the packaged one,
    `w3_qa.hf.tokenizer.default_tokenizer`); see the module doc. Returns the record written to lab.json."""
    from w3_qa.data import make_splits
    from w3_qa.hf.data import review_examples
    from w3_qa.hf.models import count_parameters
    from w3_qa.hf.tokenizer import default_tokenizer

    out = pathlib.Path(out)
    data = data or make_splits(n_pretrain=config.n_pretrain, n_train=config.n_train, seed=config.seed)
    texts = [paragraph["text"] for paragraph in data["pretrain"]]
    record = {"config": dataclasses.asdict(config)}
    tokenizer = tokenizer or default_tokenizer()
    tokenizer.save_pretrained(str(out / "tokenizer"))
    record["tokenizer"] = {"vocab_size": len(tokenizer)}
    mlm, record["fill-mask"] = pretrain_mlm(tokenizer, texts, config.mlm_steps, config, progress)
    _save(mlm, tokenizer, out / "fill-mask")
    qa, record["qa"] = finetune_qa(tokenizer, data["train"][:config.n_train], config.qa_steps,
                                   start_from=out / "fill-mask", config=config, progress=progress)
    _save(qa, tokenizer, out / "qa")
    classifier, record["text-classification"] = train_classifier(
        tokenizer, review_examples(config.n_reviews, config.seed), steps=config.review_steps, config=config,
        progress=progress)
    _save(classifier, tokenizer, out / "text-classification")
    for name, model in (("fill-mask", mlm), ("qa", qa), ("text-classification", classifier)):
        record[name]["parameters"] = count_parameters(model)
    (out / "lab.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(pathlib.Path(tempfile.gettempdir()) / "w3_hf_lab"))
    for field in ("mlm_steps", "qa_steps", "review_steps", "n_train", "n_pretrain"):
        parser.add_argument("--" + field.replace("_", "-"), type=int, default=getattr(DEFAULT, field))
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if args.quiet:
        import datasets
        import transformers

        datasets.disable_progress_bars()
        transformers.utils.logging.disable_progress_bar()
        transformers.utils.logging.set_verbosity_error()
    config = dataclasses.replace(DEFAULT, mlm_steps=args.mlm_steps, qa_steps=args.qa_steps,
                                 review_steps=args.review_steps, n_train=args.n_train, n_pretrain=args.n_pretrain)
    record = build_lab(args.out, config, progress=not args.quiet)
    for name in ("fill-mask", "qa", "text-classification"):
        print(f"{name}: {record[name]['steps']} steps in {record[name]['seconds']:.0f} s, last loss "
              f"{record[name]['losses'][-1] if record[name]['losses'] else float('nan'):.3f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Hyper-parameters and file locations of Week 3, in one place."""
import dataclasses
import pathlib

ASSETS_DIR = pathlib.Path(__file__).resolve().parent / "assets"
TOKENIZER_NAME = "w3_qa_spm"
TOKENIZER_MODEL = ASSETS_DIR / (TOKENIZER_NAME + ".model")
PRETRAINED_CHECKPOINT = ASSETS_DIR / "pretrained.pkl.gz"
QA_CHECKPOINT = ASSETS_DIR / "qa.pkl.gz"
TRANSFER_RESULTS = ASSETS_DIR / "transfer_curve.json"


@dataclasses.dataclass(frozen=True)
class QAConfig:
    """Everything that defines the Week 3 encoder-decoder, its pre-training and its fine-tuning runs."""

    vocab_size: int = 2000
    d_model: int = 128
    d_ff: int = 256
    n_encoder_layers: int = 2
    n_decoder_layers: int = 2
    n_heads: int = 4
    dropout: float = 0.1
    max_len: int = 256  # rows of the positional encoding tables
    # Span corruption (pre-training): the probability that a token is masked.
    noise: float = 0.15
    # Masked runs have this mean length (T5's 3): whole names and numbers, which the model must copy from
    # their other mention in the paragraph, as an answer is copied from its context.
    mean_span: float = 3.0
    # Salient-span masking (REALM): this fraction of the pre-training paragraphs has one mention of each of
    # about half its repeated facts masked, instead of random spans (pipeline.salient_span_pairs).
    salient_rate: float = 0.0
    pretrain_steps: int = 1500
    pretrain_learning_rate: float = 0.002  # 0.005 learned the copy test of test_model.py far slower
    pretrain_warmup_steps: int = 300
    pretrain_batch_size: int = 16
    # Inputs are padded to the first boundary that holds them; targets to a fixed length.
    input_boundaries: tuple = (128, 160, 192)
    pretrain_target_length: int = 64
    # Fine-tuning on "question: Q context: C" -> "A".
    finetune_steps: int = 400
    finetune_learning_rate: float = 0.002
    finetune_warmup_steps: int = 100
    finetune_batch_size: int = 16
    answer_length: int = 16
    finetune_eval_every: int = 50  # the returned weights are the best among these checkpoints:
    select_by: str = "f1"  # "f1": of greedy answers to the first select_questions eval questions; "loss"
    select_questions: int = 100
    # The unlabeled and labeled data (see data.make_splits).
    n_pretrain: int = 20000
    n_train: int = 4000
    n_eval: int = 300
    n_test: int = 300
    labeled_sizes: tuple = (100, 400, 1600)
    eval_batches: int = 4
    steps_per_checkpoint: int = 100
    seed: int = 0

    def with_overrides(self, assignments):
        """A copy with fields set from "name=value" strings (the command lines' --set), e.g.
        ["pretrain_batch_size=64", "labeled_sizes=100,400"]; values are parsed by the field's type."""
        fields = {field.name: field for field in dataclasses.fields(self)}
        changes = {}
        for assignment in assignments:
            name, sep, text = assignment.partition("=")
            name = name.strip()
            if not sep or name not in fields:
                raise ValueError(f"--set expects name=value with a QAConfig field name, but got {assignment!r}; "
                                 f"the fields are {', '.join(fields)}")
            kind = type(getattr(self, name))
            try:
                if kind is tuple:
                    changes[name] = tuple(int(part) for part in text.split(",") if part.strip())
                else:
                    changes[name] = kind(text)
            except ValueError:
                raise ValueError(f"--set {name}: {text!r} is not a valid {kind.__name__}") from None
        return dataclasses.replace(self, **changes)

    def model_kwargs(self):
        return dict(d_model=self.d_model, d_ff=self.d_ff, n_encoder_layers=self.n_encoder_layers,
                    n_decoder_layers=self.n_decoder_layers, n_heads=self.n_heads, dropout=self.dropout,
                    max_len=self.max_len)


DEFAULT = QAConfig()

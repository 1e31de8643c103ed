"""Hyper-parameters and file locations of Week 3, in one place."""
import dataclasses
import pathlib

ASSETS_DIR = pathlib.Path(__file__).resolve().parent / "assets"
TOKENIZER_NAME = "w3_qa_spm"
TOKENIZER_MODEL = ASSETS_DIR / (TOKENIZER_NAME + ".model")
PRETRAINED_CHECKPOINT = ASSETS_DIR / "pretrained.pkl.gz"  # the reference QA model's starting point
# The transfer curve's pre-training (w3_qa.transfer's default checkpoint): w3_qa.pretrain_levers' recipe
# TRANSFER_PRETRAIN_RECIPE for TRANSFER_PRETRAIN_STEPS steps, which the copy probe chose; `make train` writes it.
TRANSFER_PRETRAINED = ASSETS_DIR / "transfer_pretrained.pkl.gz"
TRANSFER_PRETRAIN_RECIPE = "cloze_heavy"
TRANSFER_PRETRAIN_STEPS = 9000
QA_CHECKPOINT = ASSETS_DIR / "qa.pkl.gz"
TRANSFER_RESULTS = ASSETS_DIR / "transfer_curve.json"
GLUE_RESULTS = ASSETS_DIR / "glue_table.json"


@dataclasses.dataclass(frozen=True)
class QAConfig:
    """Everything that defines the Week 3 encoder-decoder, its pre-training and its fine-tuning runs."""

    vocab_size: int = 2000
    d_model: int = 128
    d_ff: int = 256
    n_encoder_layers: int = 2
    n_decoder_layers: int = 2
    n_heads: int = 4
    dropout: float = 0.0  # the model under-fits its data: no dropout (0.1 until the curriculum recipe)
    max_len: int = 256  # rows of the positional encoding tables
    # Span corruption (pre-training): the probability that a token is masked.
    noise: float = 0.15
    # Masked runs have this mean length (T5's 3): whole names and numbers, which the model must copy from
    # their other mention in the paragraph, as an answer is copied from its context.
    mean_span: float = 3.0
    # Salient-span masking (REALM): this fraction of the pre-training paragraphs has one mention of each of
    # about half its repeated facts masked, instead of random spans (pipeline.salient_span_pairs).
    salient_rate: float = 0.5
    # The pre-training stream's levers (w3_qa.pretrain_stream; all off: the stream of
    # pipeline.salient_span_pairs over epochs of the n_pretrain paragraphs, as the committed checkpoint saw).
    # cloze_rate: the share of paragraphs given as a cloze in the downstream format; salient_fact_rate: the
    # share of a salient paragraph's repeated facts masked; pretrain_fresh: fresh paragraphs, each seen once;
    # pretrain_window_examples: the first that many salient or cloze paragraphs cut to short passages.
    cloze_rate: float = 0.0
    salient_fact_rate: float = 0.5
    pretrain_fresh: bool = False
    pretrain_window_examples: int = 0
    pretrain_steps: int = 800  # the reference model: 800 steps (about 9 minutes on 2 CPU cores)
    pretrain_learning_rate: float = 0.002  # 0.005 learned the copy test of test_model.py far slower
    pretrain_warmup_steps: int = 300
    pretrain_batch_size: int = 16
    # Inputs are padded to the first boundary that holds them; targets to a fixed length.
    input_boundaries: tuple = (128, 160, 192)
    pretrain_target_length: int = 64
    # Fine-tuning on "question: Q context: C" -> "A".
    finetune_steps: int = 11000  # the reference model: 11,000 steps, 51 minutes on 2 CPU cores
    finetune_learning_rate: float = 0.001
    finetune_warmup_steps: int = 200
    finetune_batch_size: int = 32
    # "rsqrt": linear warm-up then rsqrt decay (both stages); "constant": linear warm-up then constant
    # (fine-tuning only: while the loss plateaus, a decaying rate only slows the escape); "constant_decay":
    # constant, then linear to zero over the last finetune_decay_fraction of the run's steps.
    finetune_schedule: str = "constant_decay"
    finetune_decay_fraction: float = 0.25
    # Fine-tuning inputs ("question: Q context: C") are padded to the first of these that holds them; ():
    # input_boundaries. A batch holds finetune_tokens_per_batch // boundary rows (0: finetune_batch_size).
    finetune_input_boundaries: tuple = (64, 128, 192)
    finetune_tokens_per_batch: int = 0
    # The context-length curriculum (curriculum.curriculum_windows): the first curriculum_examples questions
    # see the answer's sentence plus 0 .. max_neighbours sentences around it (growing); then a question keeps
    # its whole paragraph with probability full_rate. curriculum_examples 0 and full_rate 1: no curriculum.
    curriculum_examples: int = 25000
    max_neighbours: int = 4
    full_rate: float = 0.75
    # Answer targets from the context's own tokens (curriculum.copy_target) instead of the answer alone.
    copy_targets: bool = True
    # finetune(n_labeled=None) trains on an endless stream of fresh generated questions
    # (curriculum.fresh_questions; eval and test entities excluded) instead of the training split.
    fresh_questions: bool = True
    answer_length: int = 16
    finetune_eval_every: int = 500  # the returned weights are the best among these checkpoints:
    select_by: str = "f1"  # "f1": of greedy answers to the first select_questions eval questions; "loss"
    select_questions: int = 100
    # The unlabeled and labeled data (see data.make_splits).
    n_pretrain: int = 20000
    n_train: int = 4000
    n_eval: int = 300
    n_test: int = 300
    labeled_sizes: tuple = (100, 400, 1600, 4000)
    # The transfer curve's fine-tuning runs (w3_qa.transfer): every arm of a labeled-set size n gets the same
    # steps, transfer_epochs epochs of finetune_batch_size, at least transfer_steps and at most
    # transfer_max_steps (rounded up to a multiple of transfer_eval_every, the evaluations to keep the best
    # of); the compute-matched scratch arm runs at transfer_matched_sizes only.
    transfer_steps: int = 400
    transfer_epochs: int = 12
    transfer_max_steps: int = 1500
    transfer_eval_every: int = 50
    transfer_matched_sizes: tuple = (100,)
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
                elif kind is bool:
                    if text.strip().lower() not in ("true", "false", "1", "0"):
                        raise ValueError
                    changes[name] = text.strip().lower() in ("true", "1")
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


@dataclasses.dataclass(frozen=True)
class ClassifierConfig:
    """The encoder classifier of the GLUE-style table (w3_qa.classifier, w3_qa.glue_table) and its training."""

    d_model: int = 64
    d_ff: int = 128
    n_layers: int = 2
    n_heads: int = 4
    dropout: float = 0.1
    max_len: int = 64  # inputs "[CLS] first [SEP] second [SEP]" are padded (or trimmed) to this length
    batch_size: int = 32
    learning_rate: float = 0.001
    warmup_steps: int = 100
    n_steps: int = 3000
    steps_per_checkpoint: int = 500
    eval_batches: int = 4
    # Examples per task: made from this many generated paragraphs each (about 6.2 examples per paragraph).
    train_paragraphs: int = 3000
    test_paragraphs: int = 150
    seed: int = 0


CLASSIFIER = ClassifierConfig()

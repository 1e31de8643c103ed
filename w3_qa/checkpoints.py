"""The encoder-decoder of a config, and its checkpoints loaded back.

`make_model` builds `model.make_qa_model` at a `QAConfig`'s size, `input_signature` is what it is initialised
with, `load_model` reads a checkpoint written by `save_weights` (`python -m w3_qa.train` writes them), and
`as_eval_model` copies a training model's weights into an 'eval'-mode one (no dropout). Training
(`w3_qa.train`, which re-exports these) and evaluation (`w3_qa.evaluate`'s command) both build on it.
"""
import jax
import numpy as np

from coursekit.loop import load_weights
from coursekit.trax_env import import_trax
from w3_qa import config as cfg
from w3_qa.model import make_qa_model

trax = import_trax()

__all__ = ["input_signature", "make_model", "load_model", "as_eval_model"]


def input_signature(batch=1, input_len=16, target_len=16):
    """The (inputs, targets) ShapeDtypes the model takes."""
    return (trax.shapes.ShapeDtype((batch, input_len), np.int32),
            trax.shapes.ShapeDtype((batch, target_len), np.int32))


def make_model(vocab_size=None, config=cfg.DEFAULT, mode="train"):
    """The encoder-decoder sized by `config`."""
    return make_qa_model(vocab_size or config.vocab_size, mode=mode, **config.model_kwargs())


def load_model(path=None, mode="eval", config=cfg.DEFAULT, vocab_size=None):
    """An encoder-decoder in `mode`, initialised from a checkpoint written by `save_weights`."""
    model = make_model(vocab_size, config, mode=mode)
    return load_weights(model, path or cfg.QA_CHECKPOINT, input_signature(), "python -m w3_qa.train")


def as_eval_model(model, config, tokenizer):
    """The same weights in an 'eval'-mode model (no dropout)."""
    evaluator = make_model(tokenizer.vocab_size, config, mode="eval")
    evaluator.init(input_signature())
    evaluator.weights = jax.device_put(model.weights)
    return evaluator

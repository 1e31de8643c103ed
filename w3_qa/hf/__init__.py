"""Week 3 lab: the Hugging Face ecosystem, offline, on the course's own data.

Everything a user would download from the hub is built here instead, then saved with `save_pretrained` to a
local folder and loaded back with `from_pretrained(folder)`, exactly as a hub checkpoint is loaded:

- `tokenizer`: a WordPiece tokenizer (BERT's) trained with `tokenizers` on the generated paragraphs.
- `data`: `datasets.Dataset`s of SQuAD-style questions (generated, or read from a user's SQuAD v1.1 JSON
  file), of paragraphs for masked language modelling, and of generated labelled reviews; the QA features
  (token windows with answer start/end positions) that fine-tuning reads.
- `models`: small BERT models from a config, for question answering, fill-mask and text classification.
- `train`: masked-language-model pre-training (BERT's 15%, 80/10/10) and fine-tuning with `Trainer`.
- `stages`: the question-answering pipeline's three stages (pre-processing, model, post-processing) one
  at a time, to set beside `pipeline("question-answering")`.
- `evaluate`: SQuAD exact match and F1 of a model's answers (Week 3's `w3_qa.evaluate` definitions).

Importing this package sets the hub's offline switches, so nothing tries the network. It needs `torch`,
`transformers` (5.2: the last release with the extractive "question-answering" pipeline), `tokenizers` and
`datasets`, which `make install` pins.
"""
import importlib
import os
import sys

for _name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
if "huggingface_hub" in sys.modules and os.environ["HF_HUB_OFFLINE"] == "1":
    # imported before this package: its switch was read at import time, so set it where it is kept
    importlib.import_module("huggingface_hub.constants").HF_HUB_OFFLINE = True

"""The copy probe: does a pre-trained checkpoint already find and copy a fact from elsewhere in its input?

Answering "question: ... context: ..." is finding the answer in the context and copying it out. A
pre-training that teaches that skill should show it zero-shot, before any labeled question, in its own
span-corruption format: take a held-out paragraph (an entity that no training stream describes,
`heldout.is_held_out`), pick a fact that the paragraph mentions at least twice (`pipeline.repeated_facts`),
mask one mention with a sentinel and let the model fill it greedily::

    inputs   ... The work that made Kenyon famous was the <X>. ... The Branton Lighthouse was finished ...
    expected <X> Branton Lighthouse <Y>

`copied` is the share of fills equal to the other mention word for word (whitespace aside). The same
paragraphs with every mention of the fact masked (`guessed`) measure what the model fills without a
mention to copy: names and numbers it merely finds likely. The difference is what finding and copying adds.
The same fill asked in the downstream format (`copied_cloze`: "question: <the mention's sentence with
<X>> context: <the rest>", `pretrain_stream.cloze_text`) shows whether the skill is there in the form
fine-tuning asks for it. It is the cheap signal to choose a pre-training by (a few seconds per checkpoint); the transfer curve
(`w3_qa.transfer`) is the expensive confirmation.

    python -m w3_qa.probe                                  # the committed pretrained.pkl.gz
    python -m w3_qa.probe --checkpoint a.pkl.gz --checkpoint b.pkl.gz --out w3_qa/assets/probe.json

prints one JSON line per checkpoint and, with --out, records it there (one entry per checkpoint name, with
the pre-training's steps and minutes read from the checkpoint's training record).
"""
import argparse
import json
import pathlib

import numpy as np

from coursekit.tokenizer import EOS_ID
from coursekit.validation import check_int, check_positive_int
from w3_qa import config as cfg
from w3_qa.data import iter_paragraphs
from w3_qa.evaluate import squad_scores
from w3_qa.heldout import is_held_out
from w3_qa.masking import mask_char_spans
from w3_qa.curriculum import sentence_spans
from w3_qa.pipeline import repeated_facts
from w3_qa.pretrain_stream import cloze_text, sentence_of
from w3_qa.tasks import format_qa
from w3_qa.tokenizer import FIRST_ORDINARY_ID, FIRST_SENTINEL_ID

__all__ = ["SEED_OFFSET", "probe_items", "probe_inputs", "first_fill", "probe", "main"]

# Probe paragraphs come from iter_paragraphs(seed + SEED_OFFSET): a stream apart from the training splits'
# (seed), the fine-tuning stream's and the held-out questions' (heldout.SEED_OFFSET), so choosing a
# pre-training by the probe never looks at the questions it is finally scored on.
SEED_OFFSET = 6271
# Greedy fills stop at EOS or after this many tokens (sentinel, fact, next sentinel: the longest fact
# takes 8 pieces; with every mention masked the fill sits behind up to two other sentinels).
MAX_FILL = 16


def probe_items(n=300, seed=0):
    """`n` probe items from fresh held-out paragraphs, one per paragraph (no title twice), deterministic in
    (n, seed): dicts {"title", "kind", "text", "fact" (its key), "answer" (its text), "span" (start, end) of
    the masked mention, "mentions" (the start offsets of every mention)}. Item i does not depend on n."""
    check_positive_int("n", n)
    check_int("seed", seed)
    rng = np.random.default_rng([seed, SEED_OFFSET])
    items, titles = [], set()
    for paragraph in iter_paragraphs(seed + SEED_OFFSET):
        if not is_held_out(paragraph["title"]) or paragraph["title"] in titles:
            continue
        spans = sentence_spans(paragraph["text"])
        # mentions with another mention in another sentence: the cloze form can drop the mention's sentence
        choices = [(key, value, starts, start) for key, value, starts in repeated_facts(paragraph)
                   for start in starts
                   if any(sentence_of(spans, other) != sentence_of(spans, start) for other in starts)]
        if not choices:
            continue
        titles.add(paragraph["title"])
        key, value, starts, start = choices[int(rng.integers(len(choices)))]
        items.append({"title": paragraph["title"], "kind": paragraph["kind"], "text": paragraph["text"],
                      "fact": key, "answer": value, "span": (start, start + len(value)), "mentions": starts})
        if len(items) == n:
            return items


def probe_inputs(item, tokenizer, every_mention=False, form="in_place"):
    """(input ids + [EOS], k): the item's paragraph with its chosen mention masked (with `every_mention`,
    all mentions of the fact), and the index k of the sentinel that stands for the chosen mention.

    form "cloze": the downstream format instead, "question: <the mention's sentence, the mention replaced
    by <X>> context: <the paragraph without that sentence>" (`pretrain_stream.cloze_text`); k is None (the
    output is the fill itself)."""
    if form == "cloze":
        others = [start for start in item["mentions"] if start != item["span"][0]]
        question, context = cloze_text(item, item["answer"], item["span"][0], others)
        return tokenizer.tokenize(format_qa(question, context)) + [EOS_ID], None
    if form != "in_place":
        raise ValueError(f"form must be 'in_place' or 'cloze', but got {form!r}")
    if every_mention:
        spans = [(start, start + len(item["answer"])) for start in item["mentions"]]
    else:
        spans = [tuple(item["span"])]
    inputs, _ = mask_char_spans(item["text"], spans, tokenizer)
    return inputs + [EOS_ID], spans.index(tuple(item["span"]))


def first_fill(output_ids, k, tokenizer):
    """The text a span-corruption output puts after sentinel k: the tokens between it and the next sentinel
    (or the end); None if the output has no sentinel k. k None: the whole output (the cloze form's)."""
    if k is None:
        return tokenizer.detokenize(output_ids)
    sentinel = tokenizer.sentinel_id(k)
    if sentinel not in output_ids:
        return None
    fill = []
    for token in output_ids[output_ids.index(sentinel) + 1:]:
        if FIRST_SENTINEL_ID <= token < FIRST_ORDINARY_ID or token == EOS_ID:
            break
        fill.append(token)
    return tokenizer.detokenize(fill)


def _same_words(a, b):
    return a is not None and a.split() == b.split()


def _fills(model, items, tokenizer, every_mention, batch_size, form="in_place"):
    from w3_qa.qa import greedy_outputs

    encoded = [probe_inputs(item, tokenizer, every_mention, form) for item in items]
    outputs = greedy_outputs([ids for ids, _ in encoded], model, batch_size, MAX_FILL)
    return [first_fill(output, k, tokenizer) for output, (_, k) in zip(outputs, encoded)]


def probe(model, items, tokenizer=None, batch_size=64):
    """The probe's scores of `model` (an 'eval'-mode encoder-decoder, or any callable with its contract:
    see w3_qa.qa) on `items` (`probe_items`).

    Returns:
        dict {"n", "copied" (% of fills equal to the other mention, word for word), "f1" (SQuAD F1 of the
        fills, %), "guessed" (% equal with every mention masked), "no_fill" (% of outputs without the
        sentinel), "copied_cloze" (% copied in the cloze form), "copied_by_fact" {fact key: % copied},
        "examples" (five (answer, fill) pairs)}.
    """
    if not items:
        raise ValueError("probe needs at least one item (probe_items)")
    if tokenizer is None:
        from w3_qa.tokenizer import default_tokenizer
        tokenizer = default_tokenizer()
    answers = [item["answer"] for item in items]
    fills = _fills(model, items, tokenizer, False, batch_size)
    guesses = _fills(model, items, tokenizer, True, batch_size)
    clozes = _fills(model, items, tokenizer, False, batch_size, form="cloze")
    copied = [_same_words(fill, answer) for fill, answer in zip(fills, answers)]
    by_fact = {}
    for item, hit in zip(items, copied):
        by_fact.setdefault(item["fact"], []).append(hit)

    def percent(flags):
        return round(100.0 * float(np.mean(flags)), 2)

    return {"n": len(items), "copied": percent(copied),
            "f1": round(squad_scores([fill or "" for fill in fills], answers)["f1"], 2),
            "guessed": percent([_same_words(g, a) for g, a in zip(guesses, answers)]),
            "no_fill": percent([fill is None for fill in fills]),
            "copied_cloze": percent([_same_words(c, a) for c, a in zip(clozes, answers)]),
            "copied_by_fact": {key: percent(hits) for key, hits in sorted(by_fact.items())},
            "examples": [[answer, fill] for answer, fill in zip(answers[:5], fills[:5])]}


def _training_record(checkpoint):
    path = pathlib.Path(str(checkpoint).replace(".pkl.gz", ".train.json"))
    if not path.exists():
        return {}
    record = json.loads(path.read_text(encoding="utf-8"))
    return {"pretrain_steps": record.get("steps"),
            "pretrain_minutes": None if record.get("seconds") is None else round(record["seconds"] / 60, 1)}


def probe_checkpoint(checkpoint, n=300, seed=0, config=cfg.DEFAULT):
    """`probe` of a checkpoint file on `probe_items(n, seed)`, with the checkpoint's name and its training
    record's steps and minutes."""
    from w3_qa.checkpoints import load_model
    from w3_qa.tokenizer import default_tokenizer

    tokenizer = default_tokenizer()
    model = load_model(checkpoint, mode="eval", config=config, vocab_size=tokenizer.vocab_size)
    scores = probe(model, probe_items(n, seed), tokenizer)
    return {"checkpoint": pathlib.Path(checkpoint).name, "seed": seed, **_training_record(checkpoint), **scores}


def record(result, path):
    """Add (or replace) `result`'s entry, keyed by checkpoint name and seed, in the JSON file at `path`."""
    path = pathlib.Path(path)
    entries = json.loads(path.read_text(encoding="utf-8"))["probes"] if path.exists() else []
    key = (result["checkpoint"], result["seed"])
    entries = [entry for entry in entries if (entry["checkpoint"], entry["seed"]) != key] + [result]
    path.write_text(json.dumps({"probes": entries}, indent=1) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", action="append", default=None,
                        help=f"a pre-trained checkpoint (repeatable; default {cfg.PRETRAINED_CHECKPOINT.name} and "
                             f"{cfg.TRANSFER_PRETRAINED.name})")
    parser.add_argument("--n", type=int, default=300, help="probe paragraphs (default 300)")
    parser.add_argument("--seed", type=int, default=0, help="draws the probe paragraphs (default 0)")
    parser.add_argument("--out", default=None, help="a JSON file to record the results in")
    args = parser.parse_args(argv)
    if args.n < 1 or args.seed < 0:
        parser.error("--n must be >= 1 and --seed >= 0")
    checkpoints = args.checkpoint or [str(cfg.PRETRAINED_CHECKPOINT), str(cfg.TRANSFER_PRETRAINED)]
    missing = [path for path in checkpoints if not pathlib.Path(path).exists()]
    if missing:
        parser.error(f"no checkpoint at {', '.join(missing)} (python -m w3_qa.train pretrain writes one)")
    for checkpoint in checkpoints:
        result = probe_checkpoint(checkpoint, args.n, args.seed)
        print(json.dumps(result), flush=True)
        if args.out:
            record(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

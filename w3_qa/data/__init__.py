"""Encyclopedic paragraphs, SQuAD-style questions and NLI pairs for Week 3, from a seeded template
bank.

Week 3 pre-trains an encoder-decoder with T5 span corruption on unlabeled paragraphs, then
fine-tunes it on (question, context, answer) triples over held-out paragraphs. Span corruption
only helps question answering if filling a masked span teaches the skill that answering needs:
copying a name or a number from elsewhere in the input. The paragraphs are built for that:

* Each paragraph describes one entity of one of four kinds (:data:`KINDS`):

  - ``person``: a painter, engineer, botanist, composer, ... (name, birth year and town,
    profession, best-known work, teacher, year of death, a count such as "wrote 14 novels");
  - ``place``: a town (region, founding year, population, river, founder, best-known building,
    twin town);
  - ``organisation``: a society, institute, guild, ... (founding year, founder, headquarters,
    number of members or staff, field, present leader);
  - ``event``: a treaty, battle, flood, fire, strike, ... (year, town, leading figure, a number
    such as houses destroyed or soldiers, outcome).

* Key facts appear at least twice where that is natural: the full name opens the paragraph and
  the surname comes back later ("Ada Lorimer (1843-1901) was a painter ... Lorimer was born in
  Lorvik in 1843 ... In 1889, Lorimer returned to Lorvik for good."), and so do the towns, the
  years, the teacher, founder or leader (surname), the river, the twin town and a person's
  best-known work. A model that learns to restore a masked mention from its other mention has
  learnt to copy names and numbers from the context.
* Every paragraph holds distractors of the facts' types: other people (a rival, a mayor, a
  secretary, a historian), other towns, other years, other numbers of the same kind ("In 1850, only 2,100
  people lived there."), another region, river, field or outcome. No question is answerable as
  "the only year in the text".
* A fixed-kind lead sentence (one of several phrasings) opens the paragraph; the other sentences
  (one of several phrasings each) are shuffled behind it, with one or two extra distractor
  sentences and, up to a random target length, neutral detail sentences. Paragraphs have
  50-110 words (split on whitespace), about 100 on average.

:func:`generate_paragraphs` (and the endless :func:`iter_paragraphs`) yields dicts ``{"title",
"kind", "text", "facts"}``; every fact value appears word for word in the text, and the first
mention of a value (as whole words) is a mention of that fact. :func:`qa_examples` turns a
paragraph into SQuAD v1.1-style examples, one question per fact key of :data:`QUESTION_TYPES`
(answers of 1-4 words copied from the context, with their character offset);
:func:`nli_examples` makes balanced entailment/neutral/contradiction pairs from the facts;
:func:`acceptability_examples` CoLA-style acceptable and corrupted single sentences; and
:func:`make_splits` builds a pre-training corpus plus train/eval/test question sets over disjoint
paragraphs (no title or text shared between splits).

Names are invented (ASCII only; the person and town lists extend Week 2's), so the whole corpus
has a modest vocabulary (under 3,000 distinct lowercase words, numbers aside) that a 2,000-piece
BPE tokenizer covers well. Years lie in 1600-1990 and are written as digits; large numbers have
thousands commas ("12,400").

The package also reads a user's own data, never downloading anything: :func:`load_squad_json`
(SQuAD v1.1/v2.0 JSON), :func:`load_c4_jsonl` (C4-style JSON lines) and :func:`load_mnli_tsv`
(GLUE's MNLI TSV). It does not import trax or jax. ``python -m w3_qa.data --n 3 --seed 0``
prints a few generated paragraphs and their questions.

Modules, one job each (the public names below are importable from the package directly):

* ``vocabulary``: :data:`KINDS` and the invented names and entity vocabularies
  (:data:`FIRST_NAMES`, :data:`LAST_NAMES`, :data:`TOWNS`, :data:`RIVERS`, :data:`BUILDINGS`,
  :data:`PROFESSIONS`, :data:`ORGANISATION_TYPES`, :data:`FIELDS`, :data:`EVENT_TYPES`);
* ``draws``: the per-paragraph pool of distinct values and the fields derived from the facts;
* ``kinds``: one paragraph builder per kind (facts, distractors and sentence templates);
* ``paragraphs``: the generator (:func:`iter_paragraphs`, :func:`generate_paragraphs`,
  :data:`MIN_PARAGRAPH_WORDS`, :data:`MAX_PARAGRAPH_WORDS`);
* ``questions``: :data:`QUESTION_TYPES` and :func:`qa_examples`;
* ``nli``: :data:`NLI_LABELS`, the single-fact statements and :func:`nli_examples`;
* ``acceptability``: :data:`ACCEPTABILITY_LABELS`, :data:`CORRUPTIONS` and :func:`acceptability_examples`;
* ``splits``: :func:`make_splits`;
* ``loaders``: :func:`load_squad_json`, :func:`load_c4_jsonl`, :func:`load_mnli_tsv`;
* ``cli``: the command line's :func:`main` (``__main__`` runs it).
"""
from w3_qa.data.acceptability import ACCEPTABILITY_LABELS, acceptability_examples
from w3_qa.data.cli import main
from w3_qa.data.loaders import load_c4_jsonl, load_mnli_tsv, load_squad_json
from w3_qa.data.nli import NLI_LABELS, nli_examples
from w3_qa.data.paragraphs import (
    MAX_PARAGRAPH_WORDS, MIN_PARAGRAPH_WORDS, generate_paragraphs, iter_paragraphs)
from w3_qa.data.questions import QUESTION_TYPES, qa_examples
from w3_qa.data.splits import make_splits
from w3_qa.data.vocabulary import (
    BUILDINGS, EVENT_TYPES, FIELDS, FIRST_NAMES, KINDS, LAST_NAMES, ORGANISATION_TYPES,
    PROFESSIONS, RIVERS, TOWNS)

__all__ = [
    "KINDS", "NLI_LABELS", "ACCEPTABILITY_LABELS", "MIN_PARAGRAPH_WORDS", "MAX_PARAGRAPH_WORDS",
    "FIRST_NAMES", "LAST_NAMES", "TOWNS", "RIVERS", "BUILDINGS", "PROFESSIONS",
    "ORGANISATION_TYPES", "FIELDS", "EVENT_TYPES", "QUESTION_TYPES",
    "iter_paragraphs", "generate_paragraphs", "qa_examples", "nli_examples", "acceptability_examples",
    "make_splits", "load_squad_json", "load_c4_jsonl", "load_mnli_tsv", "main",
]

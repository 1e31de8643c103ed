"""News-like articles with reference summaries for Week 2, generated from a seeded template bank.

Each example is a short news story about one of four topics (:data:`TOPICS`):

* ``match``: a football-like match report (winner, loser, score, venue, day, scorer);
* ``weather``: a regional forecast (region, day, conditions, high and low temperature and, in
  some reports, a weather warning);
* ``company``: quarterly results (company, quarter, revenue, change in percent, profit or loss,
  chief executive);
* ``event``: a local event (event, town, date, attendance, organiser).

A good summary has to find the key facts among several sentences of detail and distraction: the
first sentence is one of several openings per topic, the other sentences are shuffled, and every
article holds distractors of the same kind as the facts (last week's score and another match's
result, yesterday's weather and another region's forecast, last year's revenue and a rival's
results, last year's attendance and another town's event, other people's names). The reference
summary restates the key facts in one of a few fixed phrasings; it is a deterministic function of
the facts and of that choice of phrasing, and every fact in it (names, numbers) appears word for
word in the article. Each example also carries the facts themselves, as a dict of str -> str.

Names come from fixed lists of invented teams, towns, companies and people (ASCII only), so the
whole corpus has a modest vocabulary (under 3,000 distinct lowercase words) that a 2,000-piece
BPE tokenizer covers well. Articles have 45-110 words and summaries 10-30 (words split on
whitespace).

The package also reads a user's own data: :func:`load_jsonl` (JSON lines), :func:`load_csv` and
:func:`load_tfds_cnn_dailymail` (an already prepared TensorFlow Datasets directory; nothing is
downloaded). It does not import trax. ``python -m w2_summarizer.data --n 3 --seed 0`` prints a
few generated examples.

Modules, one job each (the public names below are importable from the package itself):

* ``vocabulary``: the topics, the length limits (:data:`MIN_ARTICLE_WORDS`,
  :data:`MAX_ARTICLE_WORDS`, :data:`MIN_SUMMARY_WORDS`, :data:`MAX_SUMMARY_WORDS`) and the
  invented names and words (:data:`TEAMS`, :data:`VENUES`, :data:`COMPANIES`, :data:`EVENTS`,
  days, months, quarters, weather conditions);
* ``articles``: the generator, one builder per topic, :func:`iter_examples` and
  :func:`generate_examples`;
* ``splits``: :func:`make_splits`, disjoint train/eval/test splits without repeated articles;
* ``loaders``: :func:`load_jsonl`, :func:`load_csv` and :func:`load_tfds_cnn_dailymail`;
* ``__main__``: the command line, :func:`main`.
"""
from w2_summarizer.data.articles import generate_examples, iter_examples
from w2_summarizer.data.loaders import load_csv, load_jsonl, load_tfds_cnn_dailymail
from w2_summarizer.data.splits import make_splits
from w2_summarizer.data.vocabulary import (COMPANIES, EVENTS, MAX_ARTICLE_WORDS, MAX_SUMMARY_WORDS,
                                           MIN_ARTICLE_WORDS, MIN_SUMMARY_WORDS, TEAMS, TOPICS, VENUES)

__all__ = ["TOPICS", "MIN_ARTICLE_WORDS", "MAX_ARTICLE_WORDS", "MIN_SUMMARY_WORDS", "MAX_SUMMARY_WORDS",
           "TEAMS", "VENUES", "COMPANIES", "EVENTS", "iter_examples", "generate_examples", "make_splits",
           "load_jsonl", "load_csv", "load_tfds_cnn_dailymail", "main"]


def __getattr__(name):
    # `main` is loaded on first use: importing w2_summarizer.data.__main__ here would make
    # ``python -m w2_summarizer.data`` warn that its module was imported before it ran.
    if name == "main":
        from w2_summarizer.data.__main__ import main

        globals()["main"] = main
        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))

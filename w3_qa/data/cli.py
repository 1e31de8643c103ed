"""The command line, ``python -m w3_qa.data --n 3 --seed 0`` (run by
:mod:`w3_qa.data.__main__`): a few generated paragraphs and their questions.
"""
import argparse

from w3_qa.data.paragraphs import generate_paragraphs
from w3_qa.data.questions import qa_examples
from w3_qa.data.vocabulary import KINDS


def main(argv=None):
    """Print a few generated paragraphs and their questions."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--n", type=int, default=3, help="number of paragraphs (default: 3)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS),
                        help="kinds to draw from (default: all)")
    parser.add_argument("--facts", action="store_true", help="also print the facts")
    args = parser.parse_args(argv)
    if args.n < 0 or args.seed < 0:
        parser.error("--n and --seed must be >= 0")
    for index, paragraph in enumerate(generate_paragraphs(args.n, args.seed, args.kinds)):
        print(f"--- paragraph {index}: {paragraph['title']} ({paragraph['kind']}) ---")
        print(paragraph["text"])
        if args.facts:
            print(f"FACTS: {paragraph['facts']}")
        for example in qa_examples(paragraph, args.seed):
            print(f"  Q: {example['question']}  A: {example['answer']} "
                  f"(at {example['answer_start']})")

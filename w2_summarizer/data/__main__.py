"""Command line: ``python -m w2_summarizer.data --n 3 --seed 0`` prints a few generated examples."""
import argparse

from w2_summarizer.data.articles import generate_examples
from w2_summarizer.data.vocabulary import TOPICS


def main(argv=None):
    """Print a few generated (article, summary) examples."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--n", type=int, default=3, help="number of examples (default: 3)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    parser.add_argument("--topics", nargs="+", choices=TOPICS, default=list(TOPICS),
                        help="topics to draw from (default: all)")
    parser.add_argument("--facts", action="store_true", help="also print the key facts")
    args = parser.parse_args(argv)
    if args.n < 0 or args.seed < 0:
        parser.error("--n and --seed must be >= 0")
    for index, example in enumerate(generate_examples(args.n, args.seed, args.topics)):
        print(f"--- example {index} ({example['topic']}) ---")
        print(f"ARTICLE: {example['article']}")
        print(f"SUMMARY: {example['summary']}")
        if args.facts:
            print(f"FACTS:   {example['facts']}")


if __name__ == "__main__":
    main()

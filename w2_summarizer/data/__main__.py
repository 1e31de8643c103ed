"""Command line: ``python -m w2_summarizer.data --n 3 --seed 0`` prints a few generated examples."""
from coursekit.commands import sample_arguments
from w2_summarizer.data.articles import generate_examples
from w2_summarizer.data.vocabulary import TOPICS


def main(argv=None):
    """Print a few generated (article, summary) examples."""
    args = sample_arguments("python -m w2_summarizer.data", main.__doc__, "examples", "topics", TOPICS, argv)
    for index, example in enumerate(generate_examples(args.n, args.seed, args.topics)):
        print(f"--- example {index} ({example['topic']}) ---")
        print(f"ARTICLE: {example['article']}")
        print(f"SUMMARY: {example['summary']}")
        if args.facts:
            print(f"FACTS:   {example['facts']}")


if __name__ == "__main__":
    main()

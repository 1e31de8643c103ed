"""The command line, ``python -m w3_qa.data --n 3 --seed 0`` (run by
:mod:`w3_qa.data.__main__`): a few generated paragraphs and their questions.
"""
from coursekit.commands import sample_arguments
from w3_qa.data.paragraphs import generate_paragraphs
from w3_qa.data.questions import qa_examples
from w3_qa.data.vocabulary import KINDS


def main(argv=None):
    """Print a few generated paragraphs and their questions."""
    args = sample_arguments("python -m w3_qa.data", main.__doc__, "paragraphs", "kinds", KINDS, argv)
    for index, paragraph in enumerate(generate_paragraphs(args.n, args.seed, args.kinds)):
        print(f"--- paragraph {index}: {paragraph['title']} ({paragraph['kind']}) ---")
        print(paragraph["text"])
        if args.facts:
            print(f"FACTS: {paragraph['facts']}")
        for example in qa_examples(paragraph, args.seed):
            print(f"  Q: {example['question']}  A: {example['answer']} "
                  f"(at {example['answer_start']})")

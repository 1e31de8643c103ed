"""The arguments of the weeks' command lines that share a shape: the data commands that print a few generated
items (``python -m w2_summarizer.data``, ``python -m w3_qa.data``) and the evaluations of a committed model on
fresh generated data (``python -m w2_summarizer.evaluate``, ``python -m w3_qa.evaluate``); and `int_list`, the
argparse type of a comma-separated list of ints (``--seeds 0,1,2``, ``--sizes 100,400``)."""
import argparse
import pathlib

__all__ = ["sample_arguments", "evaluation_arguments", "int_list"]


def sample_arguments(prog, description, unit, choices_flag, choices, argv=None):
    """The arguments of a week's ``python -m <week>.data`` command, which prints a few generated items.

    Args:
        prog: str, the command as its usage line shows it ("python -m w2_summarizer.data").
        description: str, the command's help text.
        unit: str, what the command prints ("examples", "paragraphs").
        choices_flag: str, the option that restricts what is drawn ("topics", "kinds": ``--topics``).
        choices: the names it accepts (all by default).
        argv: list of str, default the command line.

    Returns:
        argparse.Namespace with ``n`` (default 3), ``seed`` (default 0), the `choices_flag` attribute (list of
        names) and ``facts`` (bool: also print the facts); the command exits with a usage error if --n or
        --seed is negative.
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--n", type=int, default=3, help=f"number of {unit} (default: 3)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    parser.add_argument(f"--{choices_flag}", nargs="+", choices=choices, default=list(choices),
                        help=f"{choices_flag} to draw from (default: all)")
    parser.add_argument("--facts", action="store_true", help="also print the facts")
    args = parser.parse_args(argv)
    if args.n < 0 or args.seed < 0:
        parser.error("--n and --seed must be >= 0")
    return args


def evaluation_arguments(description, unit, n_default, seed_help, checkpoint_default, argv=None):
    """The arguments of a week's ``python -m <week>.evaluate`` command.

    Args:
        description: str, the command's help text.
        unit: str, what is scored ("articles", "questions").
        n_default: int, how many by default.
        seed_help: str, what the seed draws.
        checkpoint_default: str, the committed checkpoint, for the help text.
        argv: list of str, default the command line.

    Returns:
        argparse.Namespace with ``n``, ``seed`` (default 0), ``checkpoint`` (None: the committed one) and
        ``show`` (default 0: how many to print); the command exits with a usage error when --checkpoint names
        no file.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=n_default, help=f"number of {unit} (default {n_default})")
    parser.add_argument("--seed", type=int, default=0, help=seed_help)
    parser.add_argument("--checkpoint", default=None, help=f"default: {checkpoint_default}")
    parser.add_argument("--show", type=int, default=0, help=f"print this many {unit} with the model's output")
    args = parser.parse_args(argv)
    if args.checkpoint is not None and not pathlib.Path(args.checkpoint).exists():
        parser.error(f"no checkpoint at {args.checkpoint}")
    return args


def int_list(minimum=0):
    """An argparse ``type``: "0,1,2" -> (0, 1, 2), a usage error for anything but one or more comma-separated
    ints >= `minimum`."""
    def parse(text):
        try:
            values = tuple(int(part) for part in text.split(",") if part.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected comma-separated ints but got {text!r}") from None
        if not values or min(values) < minimum:
            raise argparse.ArgumentTypeError(f"expected one or more ints >= {minimum} but got {text!r}")
        return values
    return parse

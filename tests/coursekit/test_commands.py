"""The shared shapes of the weeks' command lines: their arguments, defaults and usage errors."""
import argparse

import pytest

from coursekit.commands import evaluation_arguments, int_list, sample_arguments


def test_sample_arguments(capsys):
    args = sample_arguments("python -m w9.data", "Print some.", "things", "things", ("a", "b"), ["--n", "2"])
    assert (args.n, args.seed, args.things, args.facts) == (2, 0, ["a", "b"], False)
    args = sample_arguments("python -m w9.data", "Print some.", "things", "things", ("a", "b"),
                            ["--things", "b", "--facts", "--seed", "5"])
    assert (args.n, args.seed, args.things, args.facts) == (3, 5, ["b"], True)
    for argv in (["--n", "-1"], ["--seed", "-2"], ["--things", "c"]):
        with pytest.raises(SystemExit):
            sample_arguments("python -m w9.data", "Print some.", "things", "things", ("a", "b"), argv)
    assert "usage: python -m w9.data" in capsys.readouterr().err


def test_evaluation_arguments(tmp_path, capsys):
    def parse(argv):
        return evaluation_arguments("Score it.", "questions", 300, "seed of the questions", "w9/assets/m.pkl.gz",
                                    argv)

    args = parse([])
    assert (args.n, args.seed, args.checkpoint, args.show) == (300, 0, None, 0)
    checkpoint = tmp_path / "m.pkl.gz"
    checkpoint.write_bytes(b"weights")
    args = parse(["--n", "5", "--seed", "3", "--checkpoint", str(checkpoint), "--show", "2"])
    assert (args.n, args.seed, args.checkpoint, args.show) == (5, 3, str(checkpoint), 2)
    with pytest.raises(SystemExit):
        parse(["--checkpoint", str(tmp_path / "missing.pkl.gz")])
    assert "no checkpoint at" in capsys.readouterr().err


def test_int_list_parses_comma_separated_ints_and_refuses_the_rest():
    assert int_list()("0,1, 2") == (0, 1, 2)
    assert int_list(1)("400") == (400,)
    for bad, message in (("x", "comma-separated ints"), ("", "one or more"), ("0,-1", ">= 0")):
        with pytest.raises(argparse.ArgumentTypeError, match=message):
            int_list()(bad)
    with pytest.raises(argparse.ArgumentTypeError, match=">= 1"):
        int_list(1)("0,100")

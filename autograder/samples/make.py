"""Build the bundled sample submissions of a week from its committed release notebook:
`python -m autograder.samples.make w1_nmt` writes autograder/samples/<week>/<student>.ipynb.

Each sample is the release with every solution cell filled in: with the library's solution (correct),
with typical mistakes (`<week>_mistakes.MISTAKES`), with functions that raise, with an infinite loop, and
with a cell that kills the kernel. A test rebuilds them and compares, so they never drift from the release.
"""
import copy
import importlib
import inspect
import json
import pathlib
import sys
import textwrap

REPO = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = pathlib.Path(__file__).resolve().parent
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")

# Per week: {function: cell source} of the "raises", "infinite_loop" and "kernel_death" samples.
RAISES = {
    "w1_nmt": {
        "brevity_penalty": "def brevity_penalty(candidate, references):\n"
                           "    raise RuntimeError('not finished: I ran out of time')\n",
        "NMTAttn": "def NMTAttn(*args, **kwargs):\n"
                   "    raise ValueError('something is wrong with my model')\n",
    },
    "w2_summarizer": {
        "dot_product_self_attention": "def dot_product_self_attention(q, k, v):\n"
                                      "    raise RuntimeError('not finished: I ran out of time')\n",
        "TransformerLM": "def TransformerLM(*args, **kwargs):\n"
                         "    raise ValueError('something is wrong with my model')\n",
    },
    "w3_qa": {
        "bert_mask": "def bert_mask(tokens, rng, vocab_size, rate=0.15, mask_id=3, first_ordinary_id=70):\n"
                     "    raise RuntimeError('not finished: I ran out of time')\n",
        "TransformerEncoder": "def TransformerEncoder(*args, **kwargs):\n"
                              "    raise ValueError('something is wrong with my model')\n",
    },
}
INFINITE_LOOP = {
    "w1_nmt": {
        "f1": "def f1(precision, recall):\n"
              "    while True:  # a loop that never ends\n"
              "        precision = precision * 1.0\n",
    },
    "w2_summarizer": {
        "positional_encoding": "def positional_encoding(max_len, d_model):\n"
                               "    while True:  # a loop that never ends\n"
                               "        max_len = max_len * 1\n",
    },
    "w3_qa": {
        "mixing_rates": "def mixing_rates(sizes, strategy='proportional', temperature=1.0, limit=None):\n"
                        "    while True:  # a loop that never ends\n"
                        "        temperature = temperature * 1.0\n",
    },
}
KERNEL_DEATH = {
    "w1_nmt": {"f1": "import os\nos._exit(1)  # the kernel dies when this cell runs\n"},
    "w2_summarizer": {"positional_encoding": "import os\nos._exit(1)  # the kernel dies when this cell runs\n"},
    "w3_qa": {"format_qa": "import os\nos._exit(1)  # the kernel dies when this cell runs\n"},
}


def solution_source(function):
    """The library's source of a graded function without the nbgrader markers."""
    lines = [line for line in inspect.getsource(function).splitlines()
             if line.strip() not in MARKERS]
    return textwrap.dedent("\n".join(lines)) + "\n"


def _solutions(week):
    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    from autograder.engine import resolve

    return {name: solution_source(resolve(checks[name].reference)) for name in checks}


def solution_namespace(week):
    """A notebook-like namespace holding the library's version of every graded function of `week`: the
    week's mistakes PRELUDE (the notebook's imports), the names of the functions' modules, then each
    function defined from its source, as a notebook cell would define it."""
    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    prelude = importlib.import_module(f"autograder.samples.{week}_mistakes").PRELUDE
    from autograder.engine import resolve

    namespace = {}
    exec(prelude, namespace)
    for name in checks:
        function = resolve(checks[name].reference)
        namespace.update({k: v for k, v in vars(inspect.getmodule(function)).items() if not k.startswith("__")})
    for name in checks:
        exec(textwrap.dedent(inspect.getsource(resolve(checks[name].reference))), namespace)
    return namespace


def _fill(notebook, sources):
    filled = copy.deepcopy(notebook)
    for cell in filled["cells"]:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code" and nbgrader.get("solution") and nbgrader.get("grade_id") in sources:
            grade_id = nbgrader["grade_id"]
            cell["source"] = sources[grade_id]
    return filled


def samples(week):
    """{student: notebook dict} for the week's bundled submissions."""
    release = json.loads((REPO / "assignments" / week / f"{week}.ipynb").read_text(encoding="utf-8"))
    mistakes = importlib.import_module(f"autograder.samples.{week}_mistakes").MISTAKES
    correct = _solutions(week)
    return {
        "correct": _fill(release, correct),
        "mistakes": _fill(release, {**correct, **{k: v.lstrip() for k, v in mistakes.items()}}),
        "raises": _fill(release, {**correct, **RAISES[week]}),
        "infinite_loop": _fill(release, {**correct, **INFINITE_LOOP[week]}),
        "kernel_death": _fill(release, {**correct, **KERNEL_DEATH[week]}),
    }


def generated(week, n, seed=0, max_mistakes=3):
    """{student: notebook dict} for `n` generated submissions (s01, s02, ...): each is the correct
    solution with 0 to `max_mistakes` of the week's typical mistakes, drawn by a seeded generator.
    Returns (notebooks, mistakes made: {student: sorted function names})."""
    import random

    release = json.loads((REPO / "assignments" / week / f"{week}.ipynb").read_text(encoding="utf-8"))
    mistakes = importlib.import_module(f"autograder.samples.{week}_mistakes").MISTAKES
    correct = _solutions(week)
    rng = random.Random(seed)
    notebooks, made = {}, {}
    for i in range(1, n + 1):
        chosen = sorted(rng.sample(sorted(mistakes), rng.randint(0, min(max_mistakes, len(mistakes)))))
        student = f"s{i:02d}"
        notebooks[student] = _fill(release, {**correct, **{k: mistakes[k].lstrip() for k in chosen}})
        made[student] = chosen
    return notebooks, made


def render(notebook):
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv=None):
    weeks = (argv if argv is not None else sys.argv[1:]) or list(RAISES)
    for week in weeks:
        folder = SAMPLES / week
        folder.mkdir(exist_ok=True)
        for student, notebook in samples(week).items():
            (folder / f"{student}.ipynb").write_text(render(notebook), encoding="utf-8")
            print(f"wrote {folder / student}.ipynb")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

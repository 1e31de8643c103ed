"""A corpus of hostile and broken submissions, built from the correct Week 1 sample.

`build(folder)` writes one .ipynb (or non-notebook file) per entry of CORPUS into `folder` and returns
{name: Expect}. Every hostile program here is self-bounded (the machine runs tests as root, where
RLIMIT_NPROC is not enforced): the fork bomb forks 50 sleeping processes, the memory bomb stops at 3 GB.
The runner grades them with GRADED functions only (cheap metrics), so the corpus runs in about a minute.
"""
import copy
import dataclasses
import json
import pathlib

SAMPLE = pathlib.Path(__file__).resolve().parents[2] / "autograder" / "samples" / "w1_nmt" / "correct.ipynb"
GRADED = ("simple_precision", "bleu", "f1", "rouge1_similarity")  # f1 is graded before rouge1_similarity
FULL = {"simple_precision": 1, "bleu": 2, "f1": 1, "rouge1_similarity": 1}


@dataclasses.dataclass
class Expect:
    scores: dict                    # function -> expected score
    status: str = "graded"          # graded / failed / malformed
    reason: str = ""                # a substring of the recorded reason or feedback
    where: str = "any"              # where `reason` must appear: "reason", "f1" (that test's output), "any"


def _zero_f1(reason=""):
    return Expect({**FULL, "f1": 0}, reason=reason, where="f1" if reason else "any")


def _with_f1(source):
    """The correct sample with f1's solution cell replaced by `source`."""
    notebook = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "f1":
            cell["source"] = source
    return notebook


def _with_cell(source, after="f1"):
    """The correct sample with an extra code cell after the solution cell `after`."""
    notebook = json.loads(SAMPLE.read_text(encoding="utf-8"))
    index = next(i for i, c in enumerate(notebook["cells"])
                 if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == after)
    notebook["cells"].insert(index + 1, {"cell_type": "code", "metadata": {}, "execution_count": None,
                                         "outputs": [], "source": source})
    return notebook


WRONG_F1 = "def f1(precision, recall):\n    return 0.0\n"

CORPUS = {
    "fake_output": (
        _with_f1(WRONG_F1 + "print('All tests passed'); print('{\"score\": 100, \"max_score\": 100}')\n"
                 "import os; os.write(1, b'{\"score\": 100}\\n'); os.write(2, b'All tests passed\\n')\n"),
        _zero_f1()),
    "patch_checkers": (
        _with_f1(WRONG_F1 + "import builtins, numpy, numpy.testing\n"
                 "numpy.allclose = lambda *a, **k: True\n"
                 "numpy.testing.assert_allclose = lambda *a, **k: None\n"
                 "import autograder.compare as C, autograder.engine as E\n"
                 "C.compare = E.compare = lambda *a, **k: None\n"
                 "builtins.print = lambda *a, **k: None\n"),
        _zero_f1()),
    "read_references": (
        _with_f1("import json, pathlib\n"
                 "import autograder.references as R, ctypes\n"
                 "ctypes.CDLL(None).umount2(str(R.REFERENCE_DIR).encode(), 2)\n"  # undo the hiding mount?
                 "from autograder.checks.w1_nmt import CHECKS as _C\n"
                 "_EXPECTED = R.load('w1_nmt')['f1']\n"      # raises if the references are hidden
                 "_BY_ARGS = {c.make_args()[0]: _EXPECTED[c.name] for c in _C['f1'].public + _C['f1'].hidden}\n"
                 "def f1(precision, recall):\n"
                 "    return float(_BY_ARGS.get((precision, recall), -1.0))\n"),
        Expect({**FULL, "f1": 0}, reason="no reference outputs")),
    "equals_everything": (
        _with_f1("class Anything(float):\n"
                 "    def __eq__(self, other): return True\n"
                 "    def __ne__(self, other): return False\n"
                 "def f1(precision, recall):\n    return Anything(7.0)\n"),
        _zero_f1("not a number")),
    "returns_nan": (_with_f1("def f1(precision, recall):\n    return float('nan')\n"), _zero_f1()),
    "keyboard_interrupt": (_with_f1("def f1(precision, recall):\n    raise KeyboardInterrupt\n"),
                           _zero_f1("KeyboardInterrupt")),
    "sys_exit_top": (_with_cell("import sys\nsys.exit(0)\n"), Expect(dict(FULL), reason="sys.exit")),
    "os_exit_top": (_with_cell("import os\nos._exit(0)\n"),
                    Expect({k: 0 for k in FULL}, "failed", "exited with status 0", "reason")),
    "os_exit_in_function": (_with_f1("def f1(precision, recall):\n    import os\n    os._exit(0)\n"),
                            _zero_f1("exited with status 0")),
    "renamed": (_with_f1("def f1_score(precision, recall):\n    return 0.0\n"), _zero_f1("not defined")),
    "huge_output": (_with_cell("for _ in range(200):\n    print('x' * 1_000_000)\n"), Expect(dict(FULL))),
    "fork_bomb": (_with_cell("import os, time\nfor _ in range(50):\n    pid = os.fork()\n    if pid == 0:\n"
                             "        time.sleep(120)\n        os._exit(0)\n"
                             "    with open(PID_FILE, 'a') as f:\n        f.write(f'{pid}\\n')\n"),
                  Expect(dict(FULL))),
    "memory_bomb": (_with_f1("def f1(precision, recall):\n    hog = []\n"
                             "    for _ in range(30):\n        hog.append(bytearray(100 * 2**20))\n"
                             "    return 2 * precision * recall / (precision + recall)\n"),
                    _zero_f1("emory")),
    "infinite_loop_top": (_with_cell("while True:\n    pass\n"), Expect(dict(FULL), reason="time limit")),
    "truncated_json": (None, Expect({k: 0 for k in FULL}, "malformed", "not valid JSON", "reason")),
    "non_utf8": (b"\xff\xfe\x00{not utf-8 \x80\x81", Expect({k: 0 for k in FULL}, "malformed", "not UTF-8", "reason")),
    "not_a_notebook": ({"hello": "world"}, Expect({k: 0 for k in FULL}, "malformed", "not a Jupyter notebook",
                                                  "reason")),
}


def build(folder, pid_file):
    """Write the corpus; the fork bomb appends its children's pids to `pid_file` (outside `folder`)."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    expectations = {}
    for name, (content, expect) in CORPUS.items():
        if name == "truncated_json":
            data = SAMPLE.read_bytes()[: len(SAMPLE.read_bytes()) // 2]
        elif isinstance(content, bytes):
            data = content
        else:
            text = json.dumps(copy.deepcopy(content), indent=1) + "\n"
            data = text.replace("PID_FILE", repr(str(pid_file)).replace("'", '\\"')).encode("utf-8")
        (folder / f"{name}.ipynb").write_bytes(data)
        expectations[name] = expect
    return expectations

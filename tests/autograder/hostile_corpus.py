"""A corpus of hostile and broken submissions, built from the correct Week 1 sample.

`build(folder)` writes one .ipynb (or non-notebook file) per entry of CORPUS into `folder` and returns
{name: Expect}. Every hostile program here is self-bounded (the machine runs tests as root, where
RLIMIT_NPROC is not enforced): the fork bomb forks 50 sleeping processes (named FORK_NAME, so that a test
can look for survivors in /proc), the memory bomb stops at 3 GB.
The runner grades them with GRADED functions only (cheap metrics), so the corpus runs in about a minute.
"""
import copy
import dataclasses
import json
import pathlib

SAMPLE = pathlib.Path(__file__).resolve().parents[2] / "autograder" / "samples" / "w1_nmt" / "correct.ipynb"
GRADED = ("simple_precision", "bleu", "f1", "rouge1_similarity",  # f1 is graded before rouge1_similarity
          "prepare_attention_input")                                # arrays: dtype and shape
FORK_NAME = "hostile-fork"
FULL = {"simple_precision": 1, "bleu": 2, "f1": 1, "rouge1_similarity": 1, "prepare_attention_input": 2}


@dataclasses.dataclass
class Expect:
    scores: dict                    # function -> expected score
    status: str = "graded"          # graded / failed / malformed
    reason: str = ""                # a substring of the recorded reason or feedback
    where: str = "any"              # where `reason` must appear: "reason", "f1" (that test's output), "any"


def _zero_f1(reason=""):
    return Expect({**FULL, "f1": 0}, reason=reason, where="f1" if reason else "any")


def _with_f1(source, function="f1"):
    """The correct sample with the solution cell of `function` replaced by `source`."""
    notebook = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == function:
            cell["source"] = source
    return notebook


# prepare_attention_input, right values but a wrong dtype / shape / type.
_ATTENTION = ("def prepare_attention_input(encoder_activations, decoder_activations, inputs):\n"
              "    import numpy as np\n"
              "    mask = np.asarray(inputs) != 0\n"
              "    mask = np.broadcast_to(mask[:, None, None, :], (mask.shape[0], 1, decoder_activations.shape[1],"
              " mask.shape[1]))\n")


def _zero_attention(reason):
    return Expect({**FULL, "prepare_attention_input": 0}, reason=reason)


# Look for the reference outputs anywhere this process can reach: the checkout's folder, and the same path
# seen through /proc/<pid>/root of every visible process; and for a secret in the grader's environment
# (the test sets AUTOGRADE_TEST_SECRET) in its own environment and in every visible /proc/<pid>/environ.
_SNOOP = ("import os, json, pathlib\n"
          "import autograder.references as R\n"
          "_FOUND = {}\n"
          "for _root in [''] + [f'/proc/{p}/root' for p in os.listdir('/proc') if p.isdigit()]:\n"
          "    try:\n"
          "        _dir = pathlib.Path(_root + str(R.REFERENCE_DIR))\n"
          "        _names = os.listdir(_dir)\n"
          "        if any(n.endswith('.json') for n in _names):\n"
          "            R.REFERENCE_DIR = _dir\n"
          "            _FOUND = R.load('w1_nmt')['f1']\n"
          "            break\n"
          "    except Exception:\n"
          "        pass\n"
          "for _pid in [p for p in os.listdir('/proc') if p.isdigit()]:\n"
          "    try:\n"
          "        _env = open(f'/proc/{_pid}/environ', 'rb').read()\n"
          "        if b'AUTOGRADE_TEST_SECRET' in _env:\n"
          "            _FOUND = {'leak': 1.0}\n"
          "    except OSError:\n"
          "        pass\n"
          "if os.environ.get('AUTOGRADE_TEST_SECRET'):\n"
          "    _FOUND = {'leak': 1.0}\n"
          "from autograder.checks.w1_nmt import CHECKS as _C\n"
          "_BY_ARGS = {c.make_args()[0]: _FOUND[c.name] for c in _C['f1'].public + _C['f1'].hidden\n"
          "            if c.name in _FOUND}\n"
          "def f1(precision, recall):\n"
          "    if 'leak' in _FOUND:\n"
          "        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0  # leak!\n"
          "    return float(_BY_ARGS.get((precision, recall), -1.0))\n")


def _with_cell(source, after="f1"):
    """The correct sample with an extra code cell after the solution cell `after`."""
    notebook = json.loads(SAMPLE.read_text(encoding="utf-8"))
    index = next(i for i, c in enumerate(notebook["cells"])
                 if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == after)
    notebook["cells"].insert(index + 1, {"cell_type": "code", "metadata": {}, "execution_count": None,
                                         "outputs": [], "source": source})
    return notebook


WRONG_F1 = "def f1(precision, recall):\n    return 0.0\n"

# Submissions that use the course's reference implementation of f1 instead of their own, each in another
# way; the reference is refused however it is reached (autograder/referee.py), in the runner and in
# nbgrader's hidden cells alike. {name: f1's cell}.
REFERENCE_USES = {
    "import_reference": "from w1_nmt.metrics import f1\n",
    "alias": "import w1_nmt.metrics as _m\nmy_f1 = _m.f1\nf1 = my_f1\n",
    "wrapped": ("import functools\nimport w1_nmt.metrics as _m\n@functools.wraps(_m.f1)\n"
                "def f1(*args, **kwargs):\n    return _m.f1(*args, **kwargs)\n"),
    "called_inside": "def f1(precision, recall):\n    from w1_nmt import metrics\n    return metrics.f1(precision, recall)\n",
    "captured_before_grading": ("_SAVED = [__import__('w1_nmt.metrics', fromlist=['f1']).f1]\n"
                                "def f1(precision, recall):\n    return _SAVED[0](precision, recall)\n"),
    "importlib": ("def f1(precision, recall):\n    import importlib\n"
                  "    return getattr(importlib.import_module('w1_nmt.metrics'), 'f1')(precision, recall)\n"),
    "sys_modules": ("import sys, w1_nmt.metrics\n"
                    "def f1(precision, recall):\n    return sys.modules['w1_nmt.metrics'].f1(precision, recall)\n"),
    "code_object_copy": ("import types, w1_nmt.metrics as _m\n"
                         "f1 = types.FunctionType(_m.f1.__code__, _m.f1.__globals__, 'f1', _m.f1.__defaults__)\n"),
    "module_recompiled": ("import importlib.util, w1_nmt.metrics as _m\n"
                          "_spec = importlib.util.spec_from_file_location('my_metrics', _m.__file__)\n"
                          "_mod = importlib.util.module_from_spec(_spec)\n_spec.loader.exec_module(_mod)\n"
                          "f1 = _mod.f1\n"),
    "lambda_in_thread": ("import concurrent.futures, w1_nmt.metrics as _m\n"
                         "def f1(precision, recall):\n"
                         "    with concurrent.futures.ThreadPoolExecutor(1) as pool:\n"
                         "        return pool.submit(lambda: _m.f1(precision, recall)).result()\n"),
    "monitor_off": ("def f1(precision, recall):\n    import sys\n    sys.settrace(None)\n"
                    "    from w1_nmt.metrics import f1 as reference\n    return reference(precision, recall)\n"),
}

# The runner's reasons where they are not "uses the course's reference implementation of f1": its child reads
# the stubbed library file (below), so the recompiled module holds the stub.
REASONS_IN_RUNNER = {"monitor_off": "turned off the grader's monitor", "module_recompiled": "yours to write"}

# Copies of the reference solution read from the checkout at grading time: the runner's child sees the
# libraries' graded functions as stubs (autograder/stubs.py) and no instructor folder (source/, samples,
# .git, ...), so neither finds a solution. (nbgrader's kernel runs in the course folder: see the README.)
SOURCE_COPIES = {
    "recompiled_library_source": (
        "import inspect, w1_nmt.metrics as _m\n"
        "_namespace = {}\n"
        "exec(compile('\\n' * 7 + inspect.getsource(_m), 'my_metrics.py', 'exec'), _namespace)\n"
        "f1 = _namespace['f1']\n", "yours to write"),
    "solution_from_source_notebook": (
        "import json, pathlib, autograder\n"
        "_repo = pathlib.Path(autograder.__file__).parents[1]\n"
        "_nb = json.loads((_repo / 'source' / 'w1_nmt' / 'w1_nmt.ipynb').read_text())\n"
        "exec(next(''.join(c['source']) for c in _nb['cells']\n"
        "          if c.get('metadata', {}).get('nbgrader', {}).get('grade_id') == 'f1'))\n", "not defined"),
}

CORPUS = {
    **{f"reference_{name}": (_with_f1(source), _zero_f1(REASONS_IN_RUNNER.get(name, "reference implementation of f1")))
       for name, source in REFERENCE_USES.items()},
    **{name: (_with_f1(source), _zero_f1(reason)) for name, (source, reason) in SOURCE_COPIES.items()},
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
    "snoop_proc_and_environment": (_with_f1(_SNOOP), _zero_f1()),
    "poison_compile_cache": (
        _with_f1("import os, pathlib\n"
                 "_cache = pathlib.Path(os.environ['JAX_COMPILATION_CACHE_DIR'])\n"
                 "_written = []\n"
                 "for _entry in list(_cache.rglob('*'))[:50] + [_cache / 'planted']:\n"
                 "    try:\n"
                 "        os.chmod(_cache, 0o777)\n"
                 "    except OSError:\n"
                 "        pass\n"
                 "    try:\n"
                 "        _entry.write_bytes(b'poison') if not _entry.is_dir() else None\n"
                 "        _written.append(_entry)\n"
                 "    except OSError:\n"
                 "        pass\n"
                 "def f1(precision, recall):\n"
                 "    if _written:  # full marks would prove the write\n"
                 "        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0\n"
                 "    return -1.0\n"),
        _zero_f1()),
    "read_hidden_tests": (
        _with_f1("import json, pathlib, re\n"
                 "import autograder\n"
                 "_repo = pathlib.Path(autograder.__file__).parents[1]\n"
                 "_text = (_repo / 'source' / 'w1_nmt' / 'w1_nmt.ipynb').read_text()\n"
                 "_text += (_repo / 'autograder' / 'checks' / 'w1_nmt.py').read_text()\n"
                 "_numbers = [float(x) for x in re.findall(r'0\\.[0-9]+', _text)] or [0.5]\n"
                 "def f1(precision, recall):\n"
                 "    return _numbers[int(1000 * (precision + recall)) % len(_numbers)]\n"),
        _zero_f1()),
    "base_exception": (_with_f1("def f1(precision, recall):\n    raise BaseException('boom')\n"),
                       _zero_f1("BaseException: boom")),
    "sys_exit_in_function": (_with_f1("def f1(precision, recall):\n    import sys\n    sys.exit(3)\n"),
                             _zero_f1("sys.exit(3)")),
    "numpy_subclass": (
        _with_f1("import numpy as np\n"
                 "class Sneaky(np.ndarray):\n"
                 "    def __eq__(self, other): return True\n"
                 "def f1(precision, recall):\n"
                 "    return np.asarray(2 * precision * recall / (precision + recall)).view(Sneaky)\n"),
        _zero_f1("subclass")),
    "wrong_dtype": (_with_f1(_ATTENTION + "    return decoder_activations, encoder_activations, encoder_activations,"
                             " mask.astype(np.float32)\n", "prepare_attention_input"), _zero_attention("dtype")),
    "wrong_shape": (_with_f1(_ATTENTION + "    return decoder_activations, encoder_activations, encoder_activations,"
                             " mask[:, 0]\n", "prepare_attention_input"), _zero_attention("shape")),
    "wrong_type": (_with_f1(_ATTENTION + "    return [decoder_activations, encoder_activations, encoder_activations,"
                            " mask.tolist()]\n", "prepare_attention_input"), _zero_attention("prepare_attention_input")),
    "returns_nan": (_with_f1("def f1(precision, recall):\n    return float('nan')\n"), _zero_f1()),
    "returns_inf": (_with_f1("def f1(precision, recall):\n    return float('inf')\n"), _zero_f1()),
    "keyboard_interrupt": (_with_f1("def f1(precision, recall):\n    raise KeyboardInterrupt\n"),
                           _zero_f1("KeyboardInterrupt")),
    "sys_exit_top": (_with_cell("import sys\nsys.exit(0)\n"), Expect(dict(FULL), reason="sys.exit")),
    "os_exit_top": (_with_cell("import os\nos._exit(0)\n"),
                    Expect({k: 0 for k in FULL}, "failed", "exited with status 0", "reason")),
    "os_exit_in_function": (_with_f1("def f1(precision, recall):\n    import os\n    os._exit(0)\n"),
                            _zero_f1("exited with status 0")),
    "renamed": (_with_f1("def f1_score(precision, recall):\n    return 0.0\n"), _zero_f1("not defined")),
    "missing": (_with_f1("# (the student deleted the solution)\n"), _zero_f1("f1 is not defined")),
    "huge_output": (_with_cell("for _ in range(200):\n    print('x' * 1_000_000)\n"), Expect(dict(FULL))),
    "fork_bomb": (_with_cell("import os, time, ctypes\nfor _ in range(50):\n    pid = os.fork()\n    if pid == 0:\n"
                             "        ctypes.CDLL(None).prctl(15, b'hostile-fork', 0, 0, 0)  # PR_SET_NAME\n"
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

"""What a student sees in JupyterLab, in the student edition (tools/student_edition.py), in headless chromium
(issue 34's student path). Week 1: "Restart Kernel and Run All Cells" on the unfilled notebook finishes and
every visible test says "not implemented yet" (step 5, first: it needs the unfilled notebook and a fresh
kernel), the first cells it ran show no start-up noise (step 1), a solution typed into the first graded cell
passes its test cell and a wrong one gets the check's precise message in full (steps 2-3), and with the
model's functions typed the training cell's progress bar moves and the attention plot renders (step 4).
Weeks 2 and 3: steps 1-3 on their first graded function.

The edition runs in this test run's venv: its requirements.in and constraints.txt are copies of the
repository's (asserted), so the venv holds the edition's pins, and PYTHONPATH puts the edition's packages
first, so that every course module the kernels import is the edition's (asserted in a process started with
the server's environment): the stubbed libraries, the public checks. FAST sizes (nbgrader_driver.FAST_ENV).
"""
import json
import pathlib
import re
import subprocess
import sys
import time

import pytest

from autograder import nbgrader_driver
from tests.browser import lab
from tests.browser.conftest import ROOT, VENV_BIN, user_environment
from tools import student_edition
from tools.build_notebooks import BEGIN, END

pytestmark = [pytest.mark.slow]

# What must not reach a student's page from the first cells: TensorFlow's C++ log lines (I/W/E + date),
# absl, TensorFlow, oneDNN, CUDA, gym's notice, Python warnings.
NOISE = re.compile(r"(?im)^[IWEF]\d{4} |tensorflow|absl|onednn|cuda|\bgym\b|warning|deprecat")
LIBRARIES = ("coursekit", "w1_nmt", "w2_summarizer", "w3_qa", "autograder")


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The student edition in a temporary folder, and the environment of a JupyterLab run in it."""
    out = tmp_path_factory.mktemp("browser-edition") / "student"
    student_edition.build(out)
    for name in ("requirements.in", "constraints.txt"):
        assert (out / name).read_bytes() == (ROOT / name).read_bytes(), f"the edition's {name} differs"
    env = user_environment(PYTHONPATH=str(out), **nbgrader_driver.FAST_ENV)
    probe = ("import importlib, json; print(json.dumps({m: importlib.import_module(m).__file__ for m in %r}))"
             % (LIBRARIES,))
    where = json.loads(subprocess.run([str(VENV_BIN / "python"), "-c", probe], env=env, check=True,
                                      cwd=out / "assignments" / "w1_nmt", capture_output=True, text=True).stdout)
    for module, path in where.items():
        assert pathlib.Path(path).is_relative_to(out), f"{module} comes from {path}, not the edition"
    return out, env


def solution(week, name):
    """The lines a student writes in `name`'s exercise: the instructor notebook's solution block."""
    notebook = json.loads((ROOT / "source" / week / f"{week}.ipynb").read_text())
    cell = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == name)
    source = "".join(cell["source"])
    return "\n".join(source.split(BEGIN)[1].split(END)[0].split("\n")[1:-1])


def solution_cell(week, name):
    """The instructor notebook's cell of `name` (its solution markers are comments)."""
    notebook = json.loads((ROOT / "source" / week / f"{week}.ipynb").read_text())
    return "".join(next(c for c in notebook["cells"]
                        if c["metadata"].get("nbgrader", {}).get("grade_id") == name)["source"])


class Expected:
    """The messages of the week's typical mistake (tests/browser/mistakes.py), computed in a process of its own
    while the browser works; `result()` waits for them. Stopped at the end of the test (the fixture)."""

    def __init__(self, week):
        name, (right, wrong) = WEEKS[week]
        cell = solution_cell(week, name)
        assert right in cell, f"the mistake's line is not in {name}'s solution"
        job = {"week": week, "name": name, "source": cell.replace(right, wrong),
               "imports": provided_imports(week, name)}
        self.process = subprocess.Popen([sys.executable, "-m", "tests.browser.mistakes", json.dumps(job)], cwd=ROOT,
                                        text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def result(self, timeout=120):
        out, err = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0, f"tests.browser.mistakes failed:\n{err[-3000:]}"
        return json.loads(out)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@pytest.fixture
def expected_messages():
    """week -> Expected (its process killed at the end of the test, failed or not)."""
    started = []

    def start(week):
        started.append(Expected(week))
        return started[-1]

    yield start
    for expected in started:
        expected.stop()


def assert_no_grader_frames(text):
    """A failing test cell shows the test cell's line and the check's message, none of the grader's frames."""
    assert "AssertionError" in text and "checks.run(" in text, text
    assert not re.search(r"autograder/|engine\.py|WeekChecks", text), \
        f"the failing test shows the grader's own frames:\n{text[-3000:]}"


def assert_quiet(notebook, cells):
    for i in cells:
        for out in notebook.outputs(i):
            assert "stderr" not in out["mime"], f"cell {i} wrote to stderr:\n{out['text'][:2000]}"
            assert not NOISE.search(out["text"]), f"cell {i} shows start-up noise:\n{out['text'][:2000]}"


class Steps:
    """Each step's seconds, printed at the end of the test (the report lists them)."""

    def __init__(self, browser):
        self.browser, self.start, self.times = browser, time.perf_counter(), []

    def done(self, name):
        self.browser.shot(name)
        now = time.perf_counter()
        self.times.append((name, now - self.start))
        self.start = now
        print(f"step {name}: {self.times[-1][1]:.1f} s")


# Per week: the first graded function and a typical mistake (a piece of the solution, and what the student
# writes instead).
WEEKS = {
    "w1_nmt": ("input_encoder_fn", ("tl.LSTM(d_model)", "tl.GRU(d_model)")),           # the wrong RNN
    "w2_summarizer": ("DotProductAttention", (" / jnp.sqrt(depth)", "")),              # no scaling
    "w3_qa": ("tokenize_and_mask", ("n_spans += 1", "n_spans = 1")),                   # = for +=
}


def provided_imports(week, name):
    """The code cell above `name`'s exercise in the instructor notebook: the provided names it uses."""
    cells = json.loads((ROOT / "source" / week / f"{week}.ipynb").read_text())["cells"]
    at = next(i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {}).get("grade_id") == name)
    return "".join(next(c for c in reversed(cells[:at]) if c["cell_type"] == "code")["source"])


def run_first_cells(notebook, name, run=True):
    """Run the code cells above `name`'s exercise, one by one (unless `run` is False: they ran already);
    returns their indices."""
    end = notebook.index(f"def {name}(")
    cells = [i for i in range(end) if "jp-CodeCell" in notebook.cells()[i].get_attribute("class")]
    for i in cells if run else ():
        notebook.run(i, timeout=180)
    return cells


def first_cells_step(week, notebook, steps, run=True):
    """Step 1: the code cells above the first exercise run, one by one (or ran in a fresh kernel's Run All:
    `run` False), and show no start-up noise."""
    first = run_first_cells(notebook, WEEKS[week][0], run)
    notebook.scroll_to(first[0])
    assert_quiet(notebook, first)
    steps.done("first-cells-quiet")


def graded_steps(week, notebook, steps, expected):
    """Steps 3 then 2 on the week's first graded function: a typical mistake typed into its cell gets the
    check's precise message in full (`expected`: an Expected), then the solution passes."""
    name, (right, wrong) = WEEKS[week]

    exercise, test = notebook.index(f"def {name}("), notebook.index(f'checks.run("{name}"')
    typed = solution(week, name)
    assert right in typed, f"the mistake's line is not in {name}'s solution"
    written = ("# YOUR CODE HERE", "raise NotImplementedError()")  # the stub's lines, then the student's
    for attempt, body in (("wrong", typed.replace(right, wrong)), ("correct", typed)):
        source = notebook.type_into(exercise, written, body)
        written = (body.split("\n")[0].strip(), body.split("\n")[-1].strip())
        assert "NotImplementedError" not in source and body.split("\n")[-1].strip() in source, source
        notebook.run(exercise)
        out = notebook.run(test)
        notebook.scroll_to(test, "center")
        text = "\n".join(o["text"] for o in out)
        if attempt == "correct":
            assert re.search(rf"{name}: all \d+ public cases passed", text), text
        else:
            wanted = expected.result()
            assert wanted and all("expected" in m and "got" in m and "case" in m for m in wanted), wanted
            for message in wanted:
                assert message in text, f"the page does not show {message!r} in full:\n{text}"
            assert_no_grader_frames(text)
            assert not any(o["clipped"] for o in out), "an output area of the failing test is cut off"
        steps.done(f"{attempt}-{name}")
    return exercise, test


def visible_tests(root, week):
    """The grade ids of the visible test cells of the week's release, in order."""
    notebook = json.loads((root / "assignments" / week / f"{week}.ipynb").read_text())
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id", "") for c in notebook["cells"]]
    return [i[len("test_"):-len("_public")] for i in ids if i.startswith("test_") and i.endswith("_public")]


def run_all_step(root, week, notebook, steps):
    """Step 5: Kernel > Restart Kernel and Run All Cells on the unfilled notebook finishes (no cell runs past
    60 s, the first, which starts the kernel and imports TensorFlow, JAX and trax, past 180 s, the whole run
    past 360 s: `make test`'s other work shares the two cores), and every visible test says its exercise is
    not implemented yet."""
    notebook.restart_and_run_all()
    seen = notebook.wait_all_run(cell_seconds=60, first_cell_seconds=180, total_seconds=360)
    names = visible_tests(root, week)
    assert names, f"{week} has no visible tests"
    for name in names:
        i = notebook.index(f'checks.run("{name}"')
        text = notebook.text(i)
        assert re.search(rf"^{name}, case '.+': not implemented yet", text, re.M), \
            f"the test of {name} (cell {i}) does not say 'not implemented yet':\n{text[-2000:]}"
        assert_no_grader_frames(text)
    longest = max(seen.items(), key=lambda item: item[1], default=(None, 0))
    print(f"run all: {len(names)} tests say 'not implemented yet'; longest cell {longest[0]}: {longest[1]:.1f} s")
    notebook.scroll_to(notebook.index(f'checks.run("{names[0]}"'), "center")
    steps.done("run-all-unfilled")


def type_solution(week, notebook, name):
    """Type the solution of `name` in place of its stub and run its cell (the function is defined)."""
    exercise = notebook.index(f"def {name}(")
    body = solution(week, name)
    source = notebook.type_into(exercise, ("# YOUR CODE HERE", "raise NotImplementedError()"), body)
    assert "NotImplementedError" not in source, source
    out = notebook.run(exercise)
    assert not any("Traceback" in o["text"] for o in out), f"{name}'s cell failed:\n{notebook.text(exercise)}"


def training_step(week, notebook, steps, functions, train, plot):
    """Step 4: with the model's functions typed (`functions`), the training cell (its source starts with
    `train`) shows a progress bar that moves while it runs (two reads of its output area, at different times,
    show different progress: a screenshot of each), and the plot cell (`plot`: the cells from `train` to
    it run in order) renders its figure as an image."""
    start = time.perf_counter()
    for name in functions:
        type_solution(week, notebook, name)
    print(f"typed and ran {', '.join(functions)}: {time.perf_counter() - start:.1f} s")
    first, last = notebook.index(train), notebook.index(plot)
    seen = []

    def watch(outputs):
        # tqdm's bar: the widget's bar (its width), else (no widget manager) its text "training:  50% 10/20 [...]"
        progress = [value for o in outputs for value in o["progress"]] or \
            re.findall(r"(\d+/\d+)\s*\[", "\n".join(o["text"] for o in outputs))[-1:]
        if progress and (not seen or progress != seen[-1][0]):
            seen.append((progress, time.perf_counter()))
            notebook.driver.execute_script(  # the bar (the first output) in view
                "const o = arguments[0].querySelector('.jp-OutputArea-output'); "
                "if (o) o.scrollIntoView({block: 'center'});", notebook.cells()[first])
            notebook.browser.shot(f"training-progress-{'-'.join(progress)}")

    notebook.scroll_to(first)
    notebook.run(first, timeout=180, watch=watch)
    values = [p for p, _ in seen]
    assert len(values) >= 2 and len({tuple(v) for v in values}) >= 2, \
        f"the training cell's progress bar did not move (read {values}):\n{notebook.text(first)[-2000:]}"
    print(f"progress bar read at {len(values)} values: {values}")
    for i in range(first + 1, last + 1):
        if "jp-CodeCell" in notebook.cells()[i].get_attribute("class"):
            out = notebook.run(i, timeout=180)
            assert not any("Traceback" in o["text"] for o in out), f"cell {i} failed:\n{notebook.text(i)[-3000:]}"
    images = [size for o in notebook.outputs(last) for size in o["images"]]
    assert images and all(w > 100 and h > 100 for w, h in images), \
        f"the plot cell shows no image ({images}):\n{notebook.text(last)[-2000:]}"
    notebook.scroll_to(last)
    steps.done("trained-and-plotted")


def test_week1_student_path(edition, jupyterlab, expected_messages):
    root, env = edition
    server, browser = jupyterlab(root, env)
    expected = expected_messages("w1_nmt")
    steps = Steps(browser)
    notebook = lab.Notebook(browser, server, "assignments/w1_nmt/w1_nmt.ipynb")
    steps.done("opened")
    run_all_step(root, "w1_nmt", notebook, steps)
    first_cells_step("w1_nmt", notebook, steps, run=False)
    graded_steps("w1_nmt", notebook, steps, expected)
    training_step("w1_nmt", notebook, steps, ("pre_attention_decoder_fn", "prepare_attention_input", "NMTAttn"),
                  "DEMO_CONFIG = ", "from w1_nmt.visualize import attention_weights")



@pytest.mark.parametrize("week", ["w2_summarizer", "w3_qa"])
def test_later_week_student_path(week, edition, jupyterlab, expected_messages):
    """Weeks 2 and 3: steps 1-3 on their first graded function (one kernel each)."""
    root, env = edition
    server, browser = jupyterlab(root, env)
    expected = expected_messages(week)
    steps = Steps(browser)
    notebook = lab.Notebook(browser, server, f"assignments/{week}/{week}.ipynb")
    steps.done("opened")
    first_cells_step(week, notebook, steps)
    graded_steps(week, notebook, steps, expected)

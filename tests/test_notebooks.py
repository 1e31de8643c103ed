"""The notebooks: generated from the library without drift, released by nbgrader without solutions,
and runnable top to bottom.

* no drift: source/ equals a fresh `python -m tools.build_notebooks`, and every solution cell is
  exactly inspect.getsource of its library function;
* the committed release equals a fresh `nbgrader generate_assignment` in a temporary course copy;
* the release holds no solution or hidden-test code, and every exercise's stub raises
  NotImplementedError;
* the source notebook runs top to bottom under nbval (`FAST_ENV`: tiny demonstrations) and its
  outputs pass nbgrader's validation: one execution per notebook (one to two minutes) serves both
  verdicts. These tests are marked `slow`; `pytest -m "not slow"` skips them.
"""
import importlib
import inspect
import pathlib
import re
import subprocess
import sys
import time

import nbformat
import pytest

from autograder import nbgrader_driver
from autograder.release_notes import strip_builder_note
from tools import build_notebooks, release

ROOT = pathlib.Path(__file__).resolve().parent.parent
WEEKS = build_notebooks.WEEKS  # graded
NOTEBOOKS = build_notebooks.NOTEBOOKS  # the graded weeks and the ungraded labs



def _source(week):
    return nbformat.read(build_notebooks.notebook_path(week), as_version=4)


def _release(week):
    return nbformat.read(ROOT / "assignments" / week / f"{week}.ipynb", as_version=4)


def _meta(cell):
    return cell.metadata.get("nbgrader", {})


def _solution_cells(notebook):
    return [cell for cell in notebook.cells if _meta(cell).get("solution")]


@pytest.fixture(scope="module")
def fresh_builds():
    return {week: build_notebooks.dumps(build_notebooks.build(week, warn=lambda m: None)) for week in NOTEBOOKS}


# ----------------------------------------------------------------------------------------- no drift

@pytest.mark.parametrize("week", NOTEBOOKS)
def test_source_notebook_equals_a_fresh_build(week, fresh_builds):
    committed = build_notebooks.notebook_path(week).read_text(encoding="utf-8")
    assert committed == fresh_builds[week], "source notebook is stale: run `make notebooks`"


@pytest.mark.parametrize("week", WEEKS)
def test_solution_cells_are_the_library_source(week):
    cells = _solution_cells(_source(week))
    assert cells, "no solution cells"
    for cell in cells:
        name = _meta(cell)["grade_id"]
        module = _library_module(week, name)
        function = getattr(module, name)
        assert cell.source == inspect.getsource(function).rstrip("\n"), name
        assert build_notebooks.BEGIN in cell.source and build_notebooks.END in cell.source


def _library_module(week, name):
    package = importlib.import_module(week)
    for path in sorted(pathlib.Path(package.__file__).parent.glob("*.py")):
        module = importlib.import_module(f"{week}.{path.stem}")
        if inspect.isfunction(getattr(module, name, None)) and getattr(module, name).__module__ == module.__name__:
            return module
    raise AssertionError(f"{name} is not a function of the {week} library")


@pytest.mark.parametrize("week", WEEKS)
def test_every_check_with_an_exercise_has_its_test_cells(week):
    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    notebook = _source(week)
    exercises = {_meta(cell)["grade_id"] for cell in _solution_cells(notebook)}
    grade_ids = {_meta(cell).get("grade_id") for cell in notebook.cells}
    for name in exercises & set(checks):
        assert f"test_{name}_public" in grade_ids and f"test_{name}" in grade_ids, name
    points = {_meta(cell)["grade_id"]: _meta(cell)["points"] for cell in notebook.cells
              if _meta(cell).get("grade")}
    assert points == {f"test_{name}": checks[name].points for name in exercises & set(checks)}
    for cell in notebook.cells:
        if _meta(cell).get("grade"):
            assert cell.source.splitlines()[1:] == [
                "### BEGIN HIDDEN TESTS", f'checks.run("{_meta(cell)["grade_id"][5:]}", '
                f'{_meta(cell)["grade_id"][5:]}, hidden=True)', "### END HIDDEN TESTS"]


def test_provided_imports_take_each_name_from_where_it_comes_from():
    """A module the library holds (w2_summarizer.train's `trax = import_trax()`) is imported as itself, not from
    the library; a name the library imported is imported as it did; its own names come from it."""
    assert build_notebooks.import_statements({"w2_summarizer.train": {"trax"}}) == "import trax"
    assert build_notebooks.import_statements({"w2_summarizer.train": {"tl", "training_loop"}}) == (
        "from trax import layers as tl\nfrom w2_summarizer.train import training_loop")


@pytest.mark.parametrize("week", NOTEBOOKS)
def test_source_notebook_has_no_outputs_and_provided_code_is_imported(week):
    notebook = _source(week)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    library_defs = set()
    package = pathlib.Path(importlib.import_module(week if week in WEEKS else "w3_qa").__file__).parent
    for path in package.rglob("*.py"):
        library_defs |= {line.split("(")[0] for line in path.read_text().splitlines()
                         if line.startswith("def ")}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            if not _meta(cell).get("solution"):
                pasted = {line.split("(")[0] for line in cell.source.splitlines()
                          if line.startswith("def ")} & library_defs
                assert not pasted, f"library code pasted into the notebook: {pasted}"


# ----------------------------------------------------------------------------------------- release

@pytest.mark.parametrize("week", NOTEBOOKS)
def test_committed_release_equals_a_fresh_generation(week, tmp_path):
    fresh = release.fresh_release(week, tmp_path)
    committed = ROOT / "assignments" / week / f"{week}.ipynb"
    assert committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), \
        "assignments/ is stale: run `make release`"
    assert (ROOT / "assignments" / "README.md").read_text(encoding="utf-8") == release.README


@pytest.mark.parametrize("week", NOTEBOOKS)
def test_release_has_no_solutions_or_hidden_tests(week):
    text = (ROOT / "assignments" / week / f"{week}.ipynb").read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                   "hidden=True"):
        assert marker not in text, marker
    source_solutions = {_meta(cell)["grade_id"]: cell.source for cell in _solution_cells(_source(week))}
    released = {_meta(cell)["grade_id"]: cell.source for cell in _solution_cells(_release(week))}
    assert released.keys() == source_solutions.keys()
    if week not in WEEKS:  # a lab: no exercises, released cell for cell (but the builder's note)
        assert not released and [c.source for c in _release(week).cells] == \
            [strip_builder_note(c.source) for c in _source(week).cells]
    for name, stub in released.items():
        assert re.search(r"^( +)# YOUR CODE HERE\n\1raise NotImplementedError\(\)$", stub, re.M), name
        before, rest = source_solutions[name].split(build_notebooks.BEGIN)
        inside, after = rest.split(build_notebooks.END)
        given = set((before + after).splitlines())
        secret = [line for line in inside.splitlines() if line.strip() and line not in given]
        leaked = [line for line in secret if line in stub.splitlines()]
        assert not leaked, f"{name}: solution lines in the release: {leaked}"


@pytest.mark.parametrize("week", NOTEBOOKS)
def test_the_builders_note_is_for_instructors_only(week):
    """The source notebook opens with the note that it is generated (naming its template and library); the
    student's release opens with the lesson."""
    library = build_notebooks.LIBRARIES.get(week, week)
    note = build_notebooks.GENERATED.format(week=week, library=library)
    source_first, release_first = _source(week).cells[0].source, _release(week).cells[0].source
    assert source_first.startswith(note + "\n") and (ROOT / library).is_dir()
    assert release_first == source_first[len(note) + 1:] and "Generated by" not in release_first
    assert strip_builder_note("# A title\n<!-- not the note -->") == "# A title\n<!-- not the note -->"


@pytest.mark.parametrize("week", WEEKS)
def test_release_stubs_raise_not_implemented(week):
    """Define each released exercise (with the imports of the notebook's provided-code cells) and
    call it on its check's first public case: it must raise NotImplementedError."""
    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    notebook = _release(week)
    namespace = {}
    for cell in notebook.cells:
        lines = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")]
        is_import_cell = cell.cell_type == "code" and lines and all(
            line.startswith(("import ", "from ", "    ", ")")) for line in lines)
        if is_import_cell or _meta(cell).get("solution"):
            exec(compile(cell.source, f"<{_meta(cell).get('grade_id', 'imports')}>", "exec"), namespace)
    for cell in _solution_cells(notebook):
        name = _meta(cell)["grade_id"]
        function = namespace[name]
        if name in checks.checks:
            case = checks[name].public[0]
            args, kwargs = case.make_args()
            with pytest.raises(NotImplementedError):
                result = function(*args, **kwargs)
                if case.probe:  # a closure raises when the function it returns is called
                    case.probe(result)
        else:
            assert "NotImplementedError" in function.__code__.co_names, name


# ------------------------------------------------------------------------------- running the notebook

def _run(command, env_extra, timeout):
    env = nbgrader_driver.nbgrader_env(extra=env_extra)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    return result, time.perf_counter() - start


_EXECUTIONS = {}  # week -> (nbval's CompletedProcess, seconds, the executed notebook's path)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The source notebook of a week, run once per test process under nbval (FAST_ENV), with its outputs
    kept (tests/nbval_executed.py): the nbval test reads the run's verdict, the validation test nbgrader's
    verdict on the same outputs. Returns a function week -> (result, seconds, executed notebook)."""
    def run(week):
        if week not in _EXECUTIONS:
            notebook = build_notebooks.notebook_path(week)
            path = tmp_path_factory.mktemp(f"executed-{week}") / f"{week}.ipynb"
            result, seconds = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                                    "--nbval-cell-timeout=300", "-W", "ignore", "-p", "tests.nbval_executed",
                                    f"--nbval-executed={path}", str(notebook.relative_to(ROOT))],
                                   nbgrader_driver.FAST_ENV, timeout=1200)
            _EXECUTIONS[week] = result, seconds, path
        return _EXECUTIONS[week]
    return run


# Seconds a notebook's nbval run takes on two busy cores (tests/conftest.py deals the longest groups out first).
NBVAL_COST = {"w1_nmt": 22, "w2_summarizer": 25, "w3_qa": 25, "w3_hf_lab": 140}


def _one_run_per_worker(weeks, cost=False):
    """Parameters whose tests share their week's notebook execution: one xdist group per notebook."""
    return [pytest.param(week, marks=[pytest.mark.xdist_group(f"notebook-{week}")]
                         + ([pytest.mark.cost(NBVAL_COST.get(week, 120))] if cost else [])) for week in weeks]


@pytest.mark.slow
@pytest.mark.parametrize("week", _one_run_per_worker(NOTEBOOKS, cost=True))
def test_source_notebook_runs_top_to_bottom_with_nbval(week, executed):
    result, seconds, path = executed(week)
    print(f"nbval {week}: {seconds:.0f} s")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # nbval lets a cell tagged raises-exception raise (the tag is for a student's Run All): with the
    # solutions in place, none may
    raised = [(index, output.get("ename"), output.get("evalue", "")[:200])
              for index, cell in enumerate(nbformat.read(str(path), as_version=4).cells)
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert raised == [], f"cells of the instructor notebook raised: {raised}"


@pytest.mark.slow
@pytest.mark.parametrize("week", _one_run_per_worker(WEEKS))
def test_source_notebook_passes_nbgrader_validate(week, executed):
    """nbgrader's validation (every grade cell passes) of the outputs of the nbval run above: the notebook is
    executed once for both verdicts."""
    result, _, path = executed(week)
    assert path.exists(), "nbval wrote no executed notebook:\n" + result.stdout[-3000:] + result.stderr[-2000:]
    passed, output = release.validate_executed(path)
    assert passed, output[-6000:]


def test_one_execution_gives_both_verdicts(tmp_path):
    """tests/nbval_executed.py keeps the outputs of an nbval run, and nbgrader's validation of them gives
    `nbgrader validate`'s verdict (which runs the notebook again): it fails exactly when a grade cell failed
    (a tiny notebook without trax: a few kernel starts)."""
    def notebook(test):
        grade = {"grade": True, "grade_id": "test_x", "locked": True, "points": 1, "schema_version": 3,
                 "solution": False, "task": False}
        cells = [nbformat.v4.new_code_cell("x = 2\nprint('x is', x)"),
                 nbformat.v4.new_code_cell(test, metadata={"nbgrader": grade})]
        nb = nbformat.v4.new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        return nb

    for test, passes in (("assert x == 2", True), ("assert x == 3, 'x is not 3'", False)):
        source, executed = tmp_path / f"{passes}.ipynb", tmp_path / f"{passes}-executed.ipynb"
        nbformat.write(notebook(test), str(source))
        result, _ = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                          "-p", "tests.nbval_executed", f"--nbval-executed={executed}", str(source)], {}, 300)
        assert (result.returncode == 0) == passes, result.stdout[-3000:]
        run = nbformat.read(str(executed), as_version=4)
        assert run.cells[0].outputs[0]["text"] == "x is 2\n"
        assert [o["output_type"] for o in run.cells[1].outputs] == ([] if passes else ["error"])
        assert nbformat.read(str(source), as_version=4).cells[0].outputs == []  # the source is not touched
        passed, output = release.validate_executed(executed)
        assert passed == passes, output
        cli_passed, cli_output = release.validate(None, fast=False, timeout=300, notebook=source)
        assert cli_passed == passes, cli_output
        if not passes:
            assert "x is not 3" in output and "x is not 3" in cli_output

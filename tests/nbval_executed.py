"""A pytest plugin for nbval runs: `--nbval-executed PATH` writes the notebook as nbval executed it (each
code cell with the outputs its kernel produced: streams, results, displays and errors) to PATH.

One execution of a notebook then serves two verdicts: nbval's (every cell ran; the run's exit code) and
nbgrader's validation of the same outputs (`tools.release.validate_executed`), instead of running the
notebook a second time under `nbgrader validate`. Used by tests/test_notebooks.py:

    python -m pytest --nbval-lax -p tests.nbval_executed --nbval-executed out.ipynb source/w1_nmt/w1_nmt.ipynb
"""
import pathlib

import nbformat
import pytest

_NOTEBOOKS = {}  # the nbval file item -> its notebook (nbval's own NotebookNode, cells filled in as they run)


def pytest_addoption(parser):
    parser.addoption("--nbval-executed", metavar="PATH", default=None,
                     help="write the notebook nbval executed, with every code cell's outputs, to PATH")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield  # nbval's runtest has compared (or not) the outputs with the committed ones; now record them
    outputs = getattr(item, "test_outputs", None)
    notebook = getattr(item.parent, "nb", None)
    if outputs is None or notebook is None or not hasattr(item, "cell"):
        return
    item.cell.outputs = list(outputs)
    item.cell.execution_count = item.cell_num + 1
    for output in item.cell.outputs:
        if output.get("output_type") == "execute_result":
            output["execution_count"] = item.cell.execution_count
    _NOTEBOOKS[item.parent] = notebook


def pytest_sessionfinish(session):
    path = session.config.getoption("nbval_executed")
    if not path:
        return
    if len(_NOTEBOOKS) > 1:
        raise pytest.UsageError("--nbval-executed takes a run of one notebook")
    if _NOTEBOOKS:
        (notebook,) = _NOTEBOOKS.values()
        pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, str(path))

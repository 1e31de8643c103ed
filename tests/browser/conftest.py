"""Fixtures of the browser tests (`pytest -m browser`): the browser (skipped where none is installed,
a failure under CI=true), JupyterLab servers that are stopped even when a test fails, and the folder of each
test's screenshots (BROWSER_SHOTS=DIR, else under pytest's temporary folder, which keeps the last runs)."""
import os
import pathlib
import sys

import pytest

from tests.browser import lab

ROOT = pathlib.Path(__file__).resolve().parents[2]
VENV_BIN = pathlib.Path(sys.executable).parent
# What the test run sets that a student's or instructor's JupyterLab would not have: left out of the server's
# environment (and so its kernels'), so that the page shows what they would see (TF_CPP_MIN_LOG_LEVEL hides
# TensorFlow's start-up log: `make test` exports it, a student does not).
NOT_A_USERS = ("PYTHON", "VIRTUAL_ENV", "PYTEST", "COV", "TF_", "NBGRADER", "JUPYTER", "COURSE_TESTS")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab in headless chromium (`make browser` "
                                       "installs it); run them alone with `pytest -m browser`")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser_tools():
    tools, reason = lab.find_browser()
    if tools is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    return tools


def user_environment(**extra):
    """The environment of a person's JupyterLab: this venv's bin on PATH, none of the test run's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_A_USERS)}
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "")])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # The run's JAX compilation cache (tests/conftest.py) only saves compiling; it prints nothing.
    for name in ("JAX_COMPILATION_CACHE_DIR", "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS",
                 "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(extra)
    return env


@pytest.fixture
def shots(request, tmp_path_factory):
    """The folder of this test's screenshots: $BROWSER_SHOTS/<test>, else <pytest's temporary folder>/
    browser-shots/<test> (pytest keeps its last three runs' folders, failed or not)."""
    name = request.node.name.replace("[", "-").replace("]", "")
    base = pathlib.Path(os.environ["BROWSER_SHOTS"]) if os.environ.get("BROWSER_SHOTS") else \
        tmp_path_factory.getbasetemp() / "browser-shots"
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshots of {request.node.nodeid}: {folder}")
    yield folder
    sys.stdout.write(f"\nscreenshots of {request.node.nodeid}: {folder}\n")


@pytest.fixture
def jupyterlab(request, browser_tools, shots, tmp_path):
    """start(root, env) -> (server, browser): JupyterLab serving `root` and a browser, both stopped at the
    end of the test, failed or not; the teardown fails if any process they started is still running."""
    started = []

    def start(root, env):
        env = lab.lab_environment(env, tmp_path / f"lab-{len(started)}")
        server = lab.LabServer(VENV_BIN / "jupyter", root, env, tmp_path / f"jupyterlab-{len(started)}.log")
        started.append(server)
        browser = lab.Browser(browser_tools, shots)
        started.append(browser)
        return server, browser

    yield start
    report = getattr(request.node, "report_call", None)
    if report is None or report.failed:
        for thing in started:
            if isinstance(thing, lab.Browser):
                try:
                    print(f"the page when the test failed: {thing.shot('failed')}")
                except Exception as exc:  # noqa: BLE001 - a dead browser has no page to show
                    print(f"no screenshot of the failure: {exc}")
    left = set()
    for thing in reversed(started):
        if isinstance(thing, lab.LabServer):
            left |= thing.stop()
        else:
            left |= thing.quit()
    assert not left, f"processes still running after the test: {sorted(left)}"

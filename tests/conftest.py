"""Shared pytest set-up: trax is imported through coursekit (fast, quiet, with fixes); one JAX compilation
cache per run; and the grouping that lets `make test` run on both cores (pytest-xdist, `--dist loadgroup`).

* Compilation cache. Many tests compile the same computations in different processes: the xdist workers,
  nbval's and nbgrader's kernels (the source notebooks, then the sample submissions built from them), the
  command-line tests. A fresh JAX persistent compilation cache in a temporary folder, shared by every
  process of the run (through JAX_COMPILATION_CACHE_DIR, which subprocesses inherit) and removed at the
  end, compiles each of them once per run. Nothing outlives the run, so every run starts cold. The
  isolating runner's children never see it: the runner strips it from their environment and fills its
  own (autograder/runner/warm_cache.py).
* Groups. Under `--dist loadgroup` a test goes to a worker with the rest of its group. By default a test's
  group is its module (module-scoped fixtures are then built once, as in a serial run); a test that carries
  its own `xdist_group` mark forms a group with the tests sharing that mark (the slow notebook and grading
  tests, split so that both cores share them). Groups are dealt out longest first, by the sum of their
  tests' `cost` marks (estimated seconds on two busy cores; unmarked tests count 0 and keep the collection
  order), so that no long group starts last. An estimate that goes stale costs balance, never a result.
"""
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

_CACHE_VARIABLE = "COURSE_TESTS_JAX_CACHE"  # set by the first process of a run; xdist workers inherit it
_OWN_CACHE = _CACHE_VARIABLE not in os.environ
if _OWN_CACHE:
    os.environ[_CACHE_VARIABLE] = tempfile.mkdtemp(prefix="pytest-jax-cache-")
os.environ["JAX_COMPILATION_CACHE_DIR"] = os.environ[_CACHE_VARIABLE]
os.environ["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] = "0"
os.environ["JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES"] = "-1"


def pytest_configure(config):
    config.addinivalue_line("markers", "cost(seconds): the estimated run time of a test on two busy cores, to "
                                       "deal the longest xdist groups out first")
    config.addinivalue_line("markers", "xdist_group(name): run with the other tests of this group on one xdist "
                                       "worker (registered here too, for runs without pytest-xdist)")
    if getattr(config.option, "loadgroup", False):  # an xdist worker under --dist loadgroup
        config.pluginmanager.register(_GroupSuffix(), "course-xdist-group-suffix")


def pytest_unconfigure(config):
    if _OWN_CACHE and not hasattr(config, "workerinput"):
        shutil.rmtree(os.environ.get(_CACHE_VARIABLE, ""), ignore_errors=True)


@pytest.fixture(scope="session")
def sample_grading(tmp_path_factory):
    """The isolating runner's results of the bundled samples, each graded once per session, with one warm
    spawner per week (tests/autograder/test_nbgrader_samples.py: SampleGrading; its users share an xdist
    group per week, so that one worker grades them)."""
    from tests.autograder.test_nbgrader_samples import SampleGrading

    grading = SampleGrading(tmp_path_factory.mktemp("sample-grading"))
    yield grading
    grading.close()


def _group(item):
    mark = item.get_closest_marker("xdist_group")
    if mark:
        return mark.args[0] if mark.args else mark.kwargs["name"]
    return item.nodeid.split("::")[0]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Give every test a group (its module unless marked), then order the groups: longest first, by cost."""
    groups = {}
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(_group(item)))
        groups.setdefault(_group(item), []).append(item)

    def cost(members):
        return -sum(item.get_closest_marker("cost").args[0] for item in members if item.get_closest_marker("cost"))

    ordered = sorted(groups.values(), key=cost)  # stable: groups without a cost keep the collection order
    items[:] = [item for members in ordered for item in members]


class _GroupSuffix:
    """xdist tells its scheduler a test's group by appending `@group` to the test's nodeid. pytest-xdist 3.8.0
    writes it to `item._nodeid`, which pytest 9.2 no longer reads (a nodeid is now `item._id`, a NodeId), so
    every group silently falls apart into single tests (pytest-dev/pytest-xdist#1386; the open fix #1388
    sets the structured id, as done here). Runs after xdist's own hook; fails the run if a group is lost."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        for item in items:
            if "@" not in item.nodeid.rpartition("]")[2]:
                suffixed = f"{item.nodeid}@{_group(item)}"
                if hasattr(item, "_id"):
                    from _pytest.nodeid import NodeId

                    item._id = NodeId.parse(suffixed)
                else:
                    item._nodeid = suffixed
            if not item.nodeid.endswith(f"@{_group(item)}"):
                raise pytest.UsageError(f"xdist group not applied to {item.nodeid}: check pytest-xdist's loadgroup")

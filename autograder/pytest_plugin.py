"""`pytest --grade PATH`: grade notebooks with pytest, one test per graded function.

Registered through the package's `pytest11` entry point (pyproject.toml), so every pytest in the
environment has it; without `--grade` it only declares its options and the `points` marker.

With `--grade PATH` (a notebook, or a folder in either layout `autograde` takes: flat, or nbgrader's
[submitted/]<student>/<assignment>/; repeatable) pytest collects nothing but grading items: one per graded
function, `<submission>::<function>`, with the function's points as a `points(n)` marker and as user
properties (`points`, then `score` once run; `--junitxml` writes them). Positional arguments select items
(`pytest --grade nb.ipynb w1_nmt::bleu`). A notebook's week comes from its metadata (the nbgrader grade ids
of its cells name the week's graded functions: autograder/notebook.py), else from its path (an assignment
folder or file named after the week), else from the other notebooks graded with it; `--week` overrides.

Each submission is graded once, when its first item runs, and its items read that one result:
- with the isolating runner (the instructors' checkout): `autograder.runner.grade.Grader`, exactly as
  `autograde` grades (same child, limits, refusal of the course's reference code, feedback, results.json);
  the runner's settings are `--grade-timeout`, `--grade-memory`, ... (`autograde`'s, prefixed), and with
  `--grade-out DIR` its results stay in DIR (`autograde`'s layout) and a rerun reuses them while the
  notebook is unchanged;
- without it (the student edition), or with `--self-check`: autograder/selfcheck.py, the public cases only,
  labelled as a self-check everywhere (header, items' properties, summary), never as a grade.

A failing item's report is the check's feedback (the case, then expected vs got for public cases; where
the output differs for hidden ones). The session ends with the points per function and submission; its
exit status is 0 only when every function scored. With pytest-xdist's `-n N`, submissions are graded in
parallel: all items of one submission go to one worker (pytest-xdist's loadfile scheduling).
"""
import importlib
import pathlib
import shutil
import sys
import tempfile

import pytest

from autograder.notebook import parse, week_of
from autograder.submissions import Submission, find_submissions

PLAN_KEY = "course_grading_plan"       # the plan, handed from xdist's controller to its workers
UNKNOWN_WEEK = "notebook"               # the one item of a notebook whose week cannot be told


def runner_available():
    """True where this autograder package holds the isolating runner (the instructors' checkout, not the
    student edition)."""
    return (pathlib.Path(__file__).resolve().parent / "runner" / "grade.py").is_file()


# ------------------------------------------------------------------------------------------ options

def pytest_addoption(parser):
    group = parser.getgroup("course grader", "grade notebooks (autograder/pytest_plugin.py)")
    group.addoption("--grade", action="append", default=[], metavar="PATH",
                    help="grade this notebook, or the notebooks of this folder (flat, or nbgrader's "
                         "submitted/<student>/<assignment>/), one test per graded function; repeatable")
    group.addoption("--week", help="the week of every notebook graded (default: read from each notebook)")
    group.addoption("--self-check", action="store_true",
                    help="self-check the public cases only, as the notebook's own tests do: not a grade (the "
                         "default where the isolating runner is not installed, as in the student edition)")
    if runner_available():
        from autograder.runner import cli

        group.addoption("--grade-out", metavar="DIR",
                        help="keep the runner's results here (autograde's layout: <id>/results.json, "
                             "feedback.html, grades.csv); a rerun reuses those of unchanged notebooks")
        cli.add_grading_options(group.addoption, prefix="grade-")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): the points of a graded function (pytest --grade)")
    if not config.getoption("grade"):
        return
    plan = getattr(config, "workerinput", {}).get(PLAN_KEY)
    if plan is None:
        plan = make_plan(config)
    # Nothing but the grading items is collected: not the testpaths (the plan holds the arguments).
    config.args, config.args_source = [], pytest.Config.ArgsSource.ARGS
    config.pluginmanager.register(GradingSession(config, plan), "course-grading-session")


# ------------------------------------------------------------------------------------------ the plan

def _weeks():
    from autograder.checks import WEEKS

    return {week: importlib.import_module(f"autograder.checks.{week}").CHECKS for week in WEEKS}


def make_plan(config):
    """What to grade, as JSON (xdist's workers get the controller's, so that all collect the same):
    {"mode", "selectors", "submissions": [{"id", "path", "folder_copy", "folder" (the --grade folder it
    was found in), "week", "why" (no week)}]}."""
    weeks = _weeks()
    names = {week: list(checks) for week, checks in weeks.items()}
    forced = config.getoption("week")
    if forced and forced not in weeks:
        raise pytest.UsageError(f"--week {forced}: no such week (known: {', '.join(weeks)})")
    unknown = [name for name in only_functions(config) if not any(name in n for n in names.values())]
    if unknown:
        raise pytest.UsageError(f"--grade-functions: no graded function {unknown[0]}")
    found = []
    for argument in config.getoption("grade"):
        path = pathlib.Path(config.invocation_params.dir, argument).resolve()
        if path.is_file():
            found.append((Submission(path.stem, path, False), path.parent))
        elif path.is_dir():
            subs = find_submissions(path)
            if not subs:
                raise pytest.UsageError(f"--grade {argument}: no .ipynb notebooks in this folder")
            found.extend((sub, path) for sub in subs)
        else:
            raise pytest.UsageError(f"--grade {argument}: no such notebook or folder")
    submissions, seen = [], set()
    for sub, folder in found:
        sid = sub.id
        if sid in seen:
            sid = f"{sub.path.parent.name}-{sub.id}"
        while sid in seen:
            sid += "+"
        seen.add(sid)
        week, why = forced, ""
        if not week:
            week, why = _week_of(sub.path, names)
        submissions.append({"id": sid, "path": str(sub.path), "folder_copy": sub.folder_copy, "folder": str(folder),
                            "week": week, "why": why})
    known = [s["week"] for s in submissions if s["week"]]
    for sub in submissions:     # a notebook that does not say: the week of the others, if they agree
        if not sub["week"] and known and len(set(known)) == 1:
            sub["week"], sub["why"] = known[0], ""
    mode = "self-check" if config.getoption("self_check") or not runner_available() else "runner"
    selectors = list(config.args) if config.args_source == pytest.Config.ArgsSource.ARGS else []
    return {"mode": mode, "selectors": selectors, "submissions": submissions}


def _week_of(path, names):
    """(week, "") from the notebook's metadata or path, or (None, why not)."""
    try:
        week = week_of(parse(path.read_bytes()), names)
    except (OSError, ValueError) as exc:
        week, why = None, str(exc)
    else:
        why = "its metadata names no week's graded functions"
    if week is None:
        week = next((part for part in reversed(path.with_suffix("").parts) if part in names), None)
    return (week, "") if week else (None, why)


# ------------------------------------------------------------------------------------------ backends

class RunnerBackend:
    """Grades with the isolating runner: one Grader (and warm zygote) per week, results in `--grade-out`
    (or a temporary folder removed at the end)."""

    def __init__(self, config, plan):
        from autograder.runner import cli, grade

        self.grade, self.plan = grade, plan
        self.options = cli.options_from(config.option, prefix="grade-")
        self.own_out = not grade_out(config)
        self.out = tempfile.mkdtemp(prefix="pytest-grade-") if self.own_out else grade_out(config)
        # As `autograde` hides the folder it grades: every child is kept from the graded folders (not from
        # one that holds the course's own code or environment).
        course = [grade.REPO, pathlib.Path(sys.prefix).resolve()]
        folders = {pathlib.Path(sub["folder"]) for sub in plan["submissions"]}
        self.hide = sorted(f for f in folders if not any(c == f or f in c.parents for c in course))
        self.graders = {}

    def grader(self, week):
        if week not in self.graders:
            spawner = self.grade.Spawner(week, zygote=self.options.zygote, functions=self.options.functions)
            self.graders[week] = self.grade.Grader(week, results_dir(self.out, self.plan, week), self.options,
                                                   hide=self.hide, spawner=spawner)
        return self.graders[week]

    def document(self, sub):
        grader = self.grader(sub["week"])
        try:
            return grader.grade(self.grade.Submission(sub["id"], pathlib.Path(sub["path"]), sub["folder_copy"]))
        except BaseException:   # interrupted: no child outlives it, no half result is kept
            grader.interrupt()
            raise

    def close(self):
        for grader in self.graders.values():
            grader.spawner.close()
        self.graders = {}
        if self.own_out:
            shutil.rmtree(self.out, ignore_errors=True)


def grade_out(config):
    """The --grade-out folder (relative to where pytest was started), or None."""
    out = config.getoption("grade_out", None)
    return pathlib.Path(config.invocation_params.dir, out).resolve() if out else None


def only_functions(config):
    """The graded functions that --grade-functions names (all if it names none)."""
    return [name for name in (config.getoption("grade_functions", "") or "").split(",") if name]


def results_dir(out, plan, week):
    """Where a week's results go: `out` itself (autograde's layout), or out/<week> when several weeks are
    graded together."""
    several = len({s["week"] for s in plan["submissions"] if s["week"]}) > 1
    return pathlib.Path(out) / week if several else pathlib.Path(out)


def write_gradebooks(config, plan):
    """With --grade-out: grades.csv in each week's results folder (autograde's), from its results.json files."""
    out = grade_out(config)
    if not out:
        return
    from autograder.runner import grade

    only = only_functions(config)
    for week in sorted({s["week"] for s in plan["submissions"] if s["week"]}):
        folder = results_dir(out, plan, week)
        if folder.is_dir():
            checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
            grade.write_grades_csv(folder, [name for name in checks if not only or name in only])


class SelfCheckBackend:
    """Checks the public cases only (autograder/selfcheck.py)."""

    def __init__(self, config, plan):
        self.functions = tuple(only_functions(config))

    def document(self, sub):
        from autograder import selfcheck

        return selfcheck.check_notebook(sub["path"], sub["week"], self.functions)

    def close(self):
        pass


# ------------------------------------------------------------------------------------------ the nodes

class FunctionFailed(Exception):
    """A graded function did not score: the message is its feedback."""


class SubmissionNode(pytest.Collector):
    """One notebook: its items are the graded functions of its week."""

    def __init__(self, *, submission, functions, **kwargs):
        super().__init__(**kwargs)
        self.submission, self.functions = submission, functions

    def collect(self):
        for name, points in self.functions:
            yield FunctionItem.from_parent(self, name=name, points=points)


class FunctionItem(pytest.Item):
    """One graded function of one submission."""

    def __init__(self, *, points, **kwargs):
        super().__init__(**kwargs)
        self.points = points
        sub = self.parent.submission
        self.add_marker(pytest.mark.points(points))
        mode = self.config.pluginmanager.get_plugin("course-grading-session").plan["mode"]
        self.user_properties += [("submission", sub["id"]), ("week", sub["week"] or ""), ("function", self.name),
                                 ("points", points), ("mode", mode)]

    def runtest(self):
        session = self.config.pluginmanager.get_plugin("course-grading-session")
        sub = self.parent.submission
        if not sub["week"]:
            self.user_properties.append(("score", 0))
            raise FunctionFailed(f"not graded: cannot tell which week {pathlib.Path(sub['path']).name} is for "
                                 f"({sub['why']}); pass --week")
        document = session.document(sub)
        extra = document.get("extra_data", {})
        test = next((t for t in document["tests"] if t["name"] == self.name), None)
        score = test["score"] if test else 0
        self.user_properties += [("score", score),
                                 ("status", "reused" if extra.get("skipped") else extra.get("status", "")),
                                 ("seconds", extra.get("seconds", 0))]
        if test is None or score < self.points:
            raise FunctionFailed(_feedback(self.name, test, document))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, FunctionFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.parent.submission["path"], None, self.nodeid


def _feedback(name, test, document):
    extra = document.get("extra_data", {})
    lines = [test["output"] if test else f"{name}: no result (the grader did not grade it)"]
    if test:
        lines.append(f"{name}: {test['score']}/{test['max_score']} points")
    if extra.get("status") not in ("graded", "self-checked"):
        lines.append(f"status: {extra.get('status')} ({extra.get('reason', '')})")
    lines += [f"cell error: {error}" for error in extra.get("cell_errors", [])]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ the session

class GradingSession:
    """The hooks of a `--grade` run (registered only then)."""

    def __init__(self, config, plan):
        self.config, self.plan = config, plan
        self.self_check = plan["mode"] == "self-check"
        self.backend = None
        self.documents = {}
        self.rows = {}          # submission id -> [(function, score, points, properties)] from the reports

    def document(self, sub):
        if sub["id"] not in self.documents:
            if self.backend is None:
                backend = SelfCheckBackend if self.self_check else RunnerBackend
                self.backend = backend(self.config, self.plan)
            self.documents[sub["id"]] = self.backend.document(sub)
        return self.documents[sub["id"]]

    # collection: the submissions, and nothing else
    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector):
        report = yield
        if isinstance(collector, pytest.Session) and report.passed:
            report.result = [self._node(collector, sub) for sub in self.plan["submissions"]]
        return report

    def _node(self, session, sub):
        if sub["week"]:
            checks = importlib.import_module(f"autograder.checks.{sub['week']}").CHECKS
            only = only_functions(self.config)
            functions = [(name, checks[name].points) for name in checks if not only or name in only]
        else:
            functions = [(UNKNOWN_WEEK, 0)]
        # The nodes' path is the rootdir: pytest looks for conftest.py files along a node's path, and a
        # submission's folder is the student's, never to be imported here.
        return SubmissionNode.from_parent(session, name=sub["id"], nodeid=sub["id"], path=session.path,
                                          submission=sub, functions=functions)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        """Positional arguments select items: `<submission>::<function>`, or `<submission>` for all of its."""
        selectors = self.plan["selectors"]
        if not selectors:
            return

        def selected(item, selector):
            nodeid = item.nodeid.split("@")[0]      # xdist's loadgroup may append "@group"
            return nodeid == selector or nodeid.startswith(selector + "::")

        unknown = [s for s in selectors if not any(selected(item, s) for item in items)]
        if unknown:
            raise pytest.UsageError(f"no graded item {unknown[0]} (items are <submission>::<function>, e.g. "
                                    f"{items[0].nodeid if items else 'correct::bleu'})")
        keep = [item for item in items if any(selected(item, s) for s in selectors)]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep

    # xdist: the controller hands its plan to the workers; a submission's items stay on one worker
    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node):
        node.workerinput[PLAN_KEY] = self.plan

    @pytest.hookimpl(optionalhook=True, tryfirst=True)
    def pytest_xdist_make_scheduler(self, config, log):
        if config.getvalue("dist") == "each":
            return None
        from xdist.scheduler import LoadFileScheduling  # groups by the part of the nodeid before "::"

        return LoadFileScheduling(config, log)

    # reporting
    def pytest_report_header(self, config):
        subs = self.plan["submissions"]
        weeks = ", ".join(sorted({s["week"] or "week unknown" for s in subs}))
        if self.self_check:
            how = ("SELF-CHECK of the public cases only, as the notebook's tests (autograder/selfcheck.py): "
                   "not a grade; grading adds hidden cases")
        else:
            how = "graded by the isolating runner (as `autograde`: public and hidden cases)"
        return [f"course grader: {len(subs)} notebook(s) ({weeks}), {how}"]

    def pytest_runtest_logreport(self, report):
        if report.when != "call" and not (report.when == "setup" and not report.passed):
            return
        props = dict(report.user_properties)
        if "submission" not in props:
            return
        rows = self.rows.setdefault(props["submission"], [])
        rows.append((props["function"], int(props.get("score", 0)), int(props["points"]), props))

    def pytest_terminal_summary(self, terminalreporter):
        """Per submission: `function  score/points`, and the total."""
        if not self.rows:
            return
        terminalreporter.section("self-check: public cases only, NOT a grade" if self.self_check else "points")
        write = terminalreporter.write_line
        for sid, rows in self.rows.items():
            properties = [row[3] for row in rows]
            seconds = max(float(p.get("seconds", 0)) for p in properties)
            status = next((p["status"] for p in properties if p.get("status")), "not graded")
            write(f"{sid} ({properties[0].get('week') or 'week unknown'}; {status}, {seconds:.1f} s)")
            width = max(len(row[0]) for row in rows) + 2
            for function, score, points, _ in rows:
                write(f"  {function:<{width}} {score:>3}/{points}")
            write(f"  {'total':<{width}} {sum(r[1] for r in rows):>3}/{sum(r[2] for r in rows)}")
        if self.self_check:
            write("This checks the public cases of the notebook's tests only; your grade also counts hidden cases.")

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        if self.backend is not None:
            self.backend.close()
        if not self.self_check and not hasattr(session.config, "workerinput"):  # xdist: the controller
            write_gradebooks(self.config, self.plan)

"""The ground floor holds: coursekit imports no week, and the later weeks (their libraries, checks, sample
mistakes, notebook templates and tests) take nothing from Week 1 but the metrics it taught (Week 2's ROUGE),
and Week 3 nothing from Week 2 but the attention it taught; the plumbing they share comes from coursekit."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
WEEKS = ("w1_nmt", "w2_summarizer", "w3_qa")
LATER_WEEKS = ("w2_summarizer", "w3_qa")
WEEK_ONE_TAUGHT = {"w1_nmt.metrics"}
WEEK_TWO_TAUGHT = {"w2_summarizer.model"}


def _imported_modules(path):
    """Every module that `path` imports, at any depth (imports inside functions included); a notebook
    template's magics (`%matplotlib inline`) are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    source = "\n".join("" if line.startswith(("%", "!")) else line for line in lines)
    tree = ast.parse(source, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module in WEEKS:  # `from w1_nmt import metrics`
                yield from (f"{node.module}.{alias.name}" for alias in node.names)
            else:
                yield node.module


def _later_week_files():
    for week in LATER_WEEKS:
        yield from (ROOT / week).rglob("*.py")
        yield from (ROOT / "tests" / week).rglob("*.py")
        yield from (ROOT / "autograder" / "checks").glob(f"{week}*.py")
        yield from (ROOT / "autograder" / "samples").glob(f"{week}*.py")
        yield from (ROOT / "tools" / "templates").glob(f"{week}*.py")


def test_coursekit_imports_no_week():
    found = {f"{path.relative_to(ROOT)}: {module}"
             for path in (ROOT / "coursekit").rglob("*.py") for module in _imported_modules(path)
             if module.split(".")[0] in WEEKS}
    assert not found


def test_later_weeks_take_only_week_ones_taught_metrics():
    found = {f"{path.relative_to(ROOT)}: {module}"
             for path in _later_week_files() for module in _imported_modules(path)
             if module.split(".")[0] == "w1_nmt" and module not in WEEK_ONE_TAUGHT}
    assert not found, "import the shared plumbing from coursekit, not from Week 1"


def test_week_three_takes_only_week_twos_taught_attention():
    files = [*(ROOT / "w3_qa").rglob("*.py"), *(ROOT / "tests" / "w3_qa").rglob("*.py"),
             *(ROOT / "autograder" / "checks").glob("w3_qa*.py"), *(ROOT / "autograder" / "samples").glob("w3_qa*.py"),
             *(ROOT / "tools" / "templates").glob("w3_qa*.py")]
    found = {f"{path.relative_to(ROOT)}: {module}" for path in files for module in _imported_modules(path)
             if module.split(".")[0] == "w2_summarizer" and module not in WEEK_TWO_TAUGHT}
    assert not found, "import the shared plumbing from coursekit, not from Week 2"

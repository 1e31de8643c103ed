"""Drive nbgrader for a course folder: release, autograde one student at a time, feedback, export, and a
per-function score table read back from the gradebook.

nbgrader drops a submission whose kernel dies (and exits 1) and shows 0 with no feedback; here every
student is autograded in its own `nbgrader autograde --student` call, so one bad submission cannot take
the others down, and a failed call is recorded with the reason found in nbgrader's log.
Submitted files are copied, never edited: their sha256 is taken before and after.
Time limits (autograder/limits.py): `measure_limits` runs the reference solutions once and writes the limits
file that `autograde(limits_file=...)` hands to nbgrader and its kernels, so each case may use a multiple of
its reference's CPU time, whatever else the machine is doing.
"""
import dataclasses
import datetime
import os
import pathlib
import re
import shutil
import subprocess
import sys

from coursekit.files import sha256  # noqa: F401  (nbgrader_driver.sha256: the demo's and tests' hashes)

REPO = pathlib.Path(__file__).resolve().parent.parent
NBGRADER = [sys.executable, "-m", "nbgrader"]
# Environment of notebooks run by tests, the demo and benchmarks: tiny demonstrations in every week.
FAST_ENV = {"W1_NMT_FAST": "1", "W2_SUMMARIZER_FAST": "1", "W3_QA_FAST": "1", "W3_HF_LAB_FAST": "1"}
_REASONS = (
    (r"Kernel died|DeadKernelError|kernel died", "the kernel died while running the notebook"),
    (r"CellTimeoutError|timed out|TimeoutError", "a cell ran past the time limit"),
    (r"not valid JSON|NotJSONError|JSONDecodeError|Notebook does not appear to be JSON",
     "the file is not a valid notebook"),
    (r"MemoryError", "the notebook ran out of memory"),
)


@dataclasses.dataclass
class StudentResult:
    student: str
    status: str                     # "graded" or "failed"
    reason: str = ""
    scores: dict = dataclasses.field(default_factory=dict)   # grade cell -> (score, max_score)
    seconds: float = 0.0

    @property
    def total(self):
        return sum(score for score, _ in self.scores.values())


def nbgrader_env(course_dir=None, extra=None):
    """Environment for nbgrader and its kernels: this venv's bin first on PATH, the repository
    importable, quiet TensorFlow, and the course root (when given)."""
    env = dict(os.environ)
    if course_dir is not None:
        env["NBGRADER_COURSE_ROOT"] = str(course_dir)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    # nbgrader runs `alembic` (its database migrations) from PATH: use this environment's.
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    env.update(extra or {})
    return env


def nbgrader(course_dir, *args, timeout=3600, env=None):
    """Run one nbgrader command in `course_dir`; returns CompletedProcess (never raises on failure)."""
    try:
        return subprocess.run(NBGRADER + list(args), cwd=course_dir, env=nbgrader_env(course_dir, env),
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else exc.stdout
        return subprocess.CompletedProcess(exc.cmd, 124, out or "", f"nbgrader ran past {timeout} s")


def make_course(course_dir, assignment, source_dir=REPO / "source"):
    """A fresh nbgrader course folder holding the repository's config and `assignment`'s source."""
    course_dir = pathlib.Path(course_dir)
    if course_dir.exists():
        shutil.rmtree(course_dir)
    (course_dir / "source").mkdir(parents=True)
    shutil.copy2(REPO / "nbgrader_config.py", course_dir / "nbgrader_config.py")
    shutil.copytree(pathlib.Path(source_dir) / assignment, course_dir / "source" / assignment)
    return course_dir


def release(course_dir, assignment):
    result = nbgrader(course_dir, "generate_assignment", assignment, "--force")
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{result.stdout}\n{result.stderr}")
    return course_dir / "assignments" / assignment


def submit(course_dir, assignment, student, notebook_path, notebook_name, name=None):
    """Copy a student's notebook into submitted/<student>/<assignment>/ (the original is untouched), with the
    time of the submission (timestamp.txt, as `nbgrader collect` writes it; the formgrader shows it).
    name: (first, last) recorded in the gradebook, which the formgrader lists (else "None, None")."""
    target = pathlib.Path(course_dir) / "submitted" / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(notebook_path, target / notebook_name)
    now = datetime.datetime.now(datetime.timezone.utc)
    (target / "timestamp.txt").write_text(now.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    if name is not None:
        add_student(course_dir, student, *name)
    return target / notebook_name


def sample_name(student):
    """The gradebook name of a bundled sample submission: first name its id, last name "Sample"."""
    return student, "Sample"


def add_student(course_dir, student, first_name, last_name):
    """Record a student's name in the course's gradebook (created if absent), as `nbgrader db student add`."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{pathlib.Path(course_dir) / 'gradebook.db'}") as gb:
        gb.update_or_create_student(student, first_name=first_name, last_name=last_name)


def failure_reason(log):
    for pattern, reason in _REASONS:
        if re.search(pattern, log):
            return reason
    lines = [line for line in log.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "nbgrader failed without a message"


def measure_limits(course_dir, assignment, timeout=1800, env=None):
    """Measure the reference solutions' CPU time per case (`python -m autograder.reference_times`) into
    <course_dir>/case_limits.json; returns (path, None), or (None, reason) where it failed (the kernels
    then use the default limits)."""
    from autograder import limits

    path = pathlib.Path(course_dir) / "case_limits.json"
    try:
        result = subprocess.run([sys.executable, "-m", "autograder.reference_times", "--week", assignment, "--out", str(path)],
                                cwd=REPO, env=nbgrader_env(None, env), capture_output=True, text=True,
                                timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"measuring the reference solutions ran past {timeout} s"
    if result.returncode != 0 or not path.exists():
        lines = (result.stderr or result.stdout or "no message").strip().splitlines()
        return None, f"measuring the reference solutions failed: {lines[-1] if lines else ''}"
    try:
        limits.Limits.load(path)
    except (OSError, ValueError, TypeError) as exc:
        return None, f"the measured limits could not be read ({exc})"
    return path, None


def autograde(course_dir, assignment, student=None, timeout=1800, env=None, cell_timeout=None, limits_file=None):
    """Autograde one student (or, with student=None, every submission); returns (returncode, log).
    limits_file: the cases' time limits (`measure_limits`; default: autograder.limits' defaults).
    cell_timeout: wall-clock seconds of a cell besides its test cases (default: the config's, 300)."""
    from autograder import limits

    extra = [f"--ExecutePreprocessor.timeout={int(cell_timeout)}"] if cell_timeout else []
    if student is not None:
        extra += ["--student", student]
    env = dict(env or {})
    if cell_timeout:
        env[limits.CELL_ENV] = str(int(cell_timeout))
    if limits_file:
        env[limits.ENV] = str(pathlib.Path(limits_file).resolve())
    result = nbgrader(course_dir, "autograde", assignment, "--force", *extra, timeout=timeout, env=env)
    return result.returncode, (result.stdout or "") + (result.stderr or "")


def gradebook_scores(course_dir, assignment, student):
    """{grade cell name: (score, max_score)} for one student's autograded submission, or {}."""
    from nbgrader.api import Gradebook, MissingEntry

    db = pathlib.Path(course_dir) / "gradebook.db"
    if not db.exists():
        return {}
    with Gradebook(f"sqlite:///{db}") as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return {}
        return {grade.name: (float(grade.score), float(grade.max_score))
                for notebook in submission.notebooks for grade in notebook.grades}


def feedback_and_export(course_dir, assignment, csv_path):
    feedback = nbgrader(course_dir, "generate_feedback", assignment, "--force")
    export = nbgrader(course_dir, "export", "--to", str(csv_path))
    return feedback, export


def log_has_interrupted_cell(log):
    return "Interrupting kernel" in log or "CellTimeoutError" in log or "timed out" in log

"""Finding submissions: a flat folder of .ipynb files, or nbgrader's [submitted/]<student>/<assignment>/
layout. Shared by `autograde` (autograder/runner) and `pytest --grade` (autograder/pytest_plugin.py)."""
import dataclasses
import pathlib


@dataclasses.dataclass
class Submission:
    id: str
    path: pathlib.Path
    folder_copy: bool               # copy the notebook's whole folder (nbgrader layout) or only the file


def find_submissions(root):
    """Flat folder of .ipynb files, or nbgrader's [submitted/]<student>/<assignment>/*.ipynb."""
    root = pathlib.Path(root)
    if (root / "submitted").is_dir():
        root = root / "submitted"
    found = []
    for path in sorted(root.glob("*.ipynb")):
        found.append(Submission(path.stem, path, False))
    for student in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        notebooks = sorted(p for p in student.glob("*/*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        for path in notebooks:
            sid = student.name if len(notebooks) == 1 else f"{student.name}-{path.parent.name}-{path.stem}"
            found.append(Submission(sid, path, True))
    return found

"""Reading a submitted notebook, the same way in every grader that runs it cell by cell: the isolating
runner (autograder/runner), the pytest grader's self-check (autograder/selfcheck.py) and the week a
notebook belongs to (autograder/pytest_plugin.py).

A malformed file raises ValueError with a reason meant for the student; nothing here runs any of its code.
"""
import json

# Cells a grader does not run: nbgrader's test cells (the checks run them in the grader's own way) and
# cells tagged "demonstration" (training runs and plots: ungraded).
TEST_PREFIX = "test_"
DEMONSTRATION_TAG = "demonstration"


def parse(data):
    """The notebook document of the bytes `data`, or ValueError with the reason it is not one."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the file is not UTF-8 text (byte {exc.start})") from None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"the file is not valid JSON ({str(exc)[:120]}): is it a notebook?") from None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise ValueError("the file is JSON but not a Jupyter notebook (no list of cells)")
    if document.get("nbformat") != 4:
        raise ValueError(f"unsupported notebook format {document.get('nbformat')!r} (expected 4)")
    return document


def _metadata(cell):
    return cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}


def grade_id(cell):
    """nbgrader's grade_id of a cell ("" if none)."""
    nbgrader = _metadata(cell).get("nbgrader")
    return str((nbgrader if isinstance(nbgrader, dict) else {}).get("grade_id") or "")


def code_cells(document):
    """The code cells to run as [(index, source)], test and demonstration cells left out; ValueError for
    a cell whose source is not text."""
    cells = []
    for index, cell in enumerate(document["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if not isinstance(source, str):
            raise ValueError(f"cell {index} has a malformed source")
        tags = _metadata(cell).get("tags") or []
        if grade_id(cell).startswith(TEST_PREFIX) or (isinstance(tags, list) and DEMONSTRATION_TAG in tags):
            continue
        cells.append([index, source])
    return cells


def notebook_cells(data):
    """The code cells of the notebook file's bytes to run, or ValueError with a reason for the student."""
    return code_cells(parse(data))


def strip_magics(source):
    """A cell's source as plain Python: a cell magic (%%...) drops the cell, line magics and shell lines
    (%..., !...) become `pass` (so the line numbers of the rest stay those of the notebook)."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        return ""
    return "\n".join("pass  # " + line if line.lstrip().startswith(("%", "!")) else line for line in lines)


def week_of(document, weeks):
    """The week of a notebook document from its metadata, or None.

    `weeks` maps each week to the names of its graded functions. A notebook's own `week` (in its metadata,
    top level or under "course" or "autograder") wins; otherwise the nbgrader grade_ids of its cells name
    the graded functions and their test cells (`f`, `test_f`, `test_f_public`): the week whose functions
    they name, when exactly one week has the most of them."""
    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
    for holder in (metadata, metadata.get("course"), metadata.get("autograder")):
        if isinstance(holder, dict) and holder.get("week") in weeks:
            return holder["week"]
    named = set()
    for cell in document.get("cells") or []:
        if isinstance(cell, dict):
            name = grade_id(cell)
            if name.startswith(TEST_PREFIX):
                name = name[len(TEST_PREFIX):].removesuffix("_public")
            named.add(name)
    counts = {week: len(named & set(functions)) for week, functions in weeks.items()}
    best = max(counts.values(), default=0)
    winners = [week for week, count in counts.items() if count == best]
    return winners[0] if best and len(winners) == 1 else None

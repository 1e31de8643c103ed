"""The student edition's library sources: every graded function's body replaced by a stub.

`stub_module(source, functions)` keeps a module's provided code, and each graded function's decorators and
signature (defaults included), and replaces its body (docstring included) by a call of the student's own
version (`coursekit.student.yours`), marked with `coursekit.student.stub`. tools/student_edition.py builds
the student edition with it; the isolating runner mounts the same stubbed sources over the libraries' files
in its children, so a submission cannot read the reference implementations' source.
"""
import ast
import importlib
import importlib.util
import json
import pathlib
import re

from autograder.checks import WEEKS

ROOT = pathlib.Path(__file__).resolve().parent.parent
_EXERCISE = re.compile(r"^### Exercise (\d+): `(\w+)`", re.M)


def graded_functions():
    """{module name: {function name: (week, exercise number)}} for every graded function of every week."""
    out = {}
    for week in WEEKS:
        checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
        release = json.loads((ROOT / "assignments" / week / f"{week}.ipynb").read_text(encoding="utf-8"))
        exercises = {}
        for cell in release["cells"]:
            if cell["cell_type"] == "markdown":
                for number, name in _EXERCISE.findall("".join(cell["source"])):
                    exercises[name] = int(number)
        for name, check in checks.checks.items():
            module, _, function = check.reference.partition(":")
            if function not in exercises:
                raise ValueError(f"{week}: {name} has a check but no exercise in the release")
            out.setdefault(module, {})[function] = (week, exercises[function])
    return out


def _call_arguments(args):
    """The call that forwards a def's parameters: `a, b, *rest, c=c, **kw`."""
    parts = [a.arg for a in args.posonlyargs + args.args]
    if args.vararg:
        parts.append(f"*{args.vararg.arg}")
    parts += [f"{a.arg}={a.arg}" for a in args.kwonlyargs]
    if args.kwarg:
        parts.append(f"**{args.kwarg.arg}")
    return ", ".join(parts)


def stub_module(source, functions, module_name):
    """`source` with the body (docstring included) of each top-level function in `functions`
    ({name: (week, exercise)}) replaced by a call of the student's version; decorators and the def line
    (signature and defaults) are kept. Raises if a function is missing."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    nodes = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    missing = set(functions) - set(nodes)
    if missing:
        raise ValueError(f"{module_name}: no top-level function {sorted(missing)}")
    replacements = []
    for name, (week, exercise) in functions.items():
        node = nodes[name]
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        body_start = node.body[0].lineno
        header = lines[first - 1: body_start - 1]
        while header and header[-1].strip().startswith("#") or (header and not header[-1].strip()):
            header = header[:-1]  # comments between the signature and the body go with the body
        indent = " " * (node.body[0].col_offset)
        notebook = f"assignments/{week}/{week}.ipynb"
        stub = (
            f"@_student.stub({week!r}, {name!r}, {exercise})\n" + "".join(header)
            + f'{indent}"""Yours to write: Exercise {exercise} of {notebook}. This stub runs your version."""\n'
            + f"{indent}return _student.yours({week!r}, {name!r}, {exercise})({_call_arguments(node.args)})\n")
        last = node.end_lineno
        while last < len(lines) and lines[last].strip().startswith("#") and \
                len(lines[last]) - len(lines[last].lstrip()) > node.col_offset:
            last += 1  # comments that close the body (e.g. a final "### END SOLUTION")
        replacements.append((first, last, stub))
    for first, last, stub in sorted(replacements, reverse=True):
        lines[first - 1: last] = [stub]
    text = "".join(lines)
    # The import goes after the module docstring and any `from __future__` imports.
    insert_at = 0
    for node in tree.body:
        is_docstring = isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant) \
            and isinstance(node.value.value, str)
        is_future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        if (is_docstring and node is tree.body[0]) or is_future:
            insert_at = node.end_lineno
        else:
            break
    text_lines = text.splitlines(keepends=True)
    text_lines.insert(insert_at, "from coursekit import student as _student  # the edition's graded stubs\n")
    stubbed = "".join(text_lines)
    ast.parse(stubbed)
    return stubbed


def write_stubbed_sources(folder):
    """Write the stubbed version of every library module that holds graded functions into `folder`
    (readable by anyone); returns [(the module's file in this checkout, its stubbed copy)]."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pairs = []
    for module_name, functions in sorted(graded_functions().items()):
        original = pathlib.Path(importlib.util.find_spec(module_name).origin)
        stubbed = folder / f"{module_name}.py"
        stubbed.write_text(stub_module(original.read_text(encoding="utf-8"), functions, module_name), encoding="utf-8")
        stubbed.chmod(0o644)
        pairs.append((str(original), str(stubbed)))
    return pairs

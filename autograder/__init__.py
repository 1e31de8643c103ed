"""Checks of each graded function against reference outputs, and the runners that grade submissions.

Notebook use (visible and hidden test cells)::

    from autograder.checks.w1_nmt import CHECKS as checks
    checks.run("modified_precision", modified_precision)               # public cases, with feedback
    checks.run("modified_precision", modified_precision, hidden=True)  # public + hidden (grading)
"""

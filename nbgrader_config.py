"""nbgrader configuration: the repository root is the course directory.

source/<assignment>/ holds the instructor notebooks, assignments/<assignment>/ the generated student
releases. Submissions, autograded copies and feedback go where nbgrader puts them by default
(submitted/, autograded/, feedback/ under the course root; the demo uses its own course folder).
"""
import os

c = get_config()  # noqa: F821  (provided by nbgrader)

c.CourseDirectory.root = os.environ.get("NBGRADER_COURSE_ROOT", os.path.dirname(os.path.abspath(__file__)))
c.CourseDirectory.course_id = "nlp-attention"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "assignments"

# Time limits (autograder/limits.py). Every case of a graded function runs under a CPU-time limit in the
# kernel (the test cells call the checks), so a busy machine cannot fail correct code, and an infinite loop
# stops with "ran past its N s CPU time limit". nbgrader's own limit is wall-clock, per cell, and only a
# backstop: 300 s (trax takes ~5 s to import with coursekit, up to ~25 s without, more on a busy machine),
# and a test cell on top of that what its cases may take; 60 s for a cell tagged "demonstration" (ungraded,
# so interrupting one costs no points). Limits from the reference solutions' CPU time:
# `python -m autograder.limits --week w1_nmt --out limits.json`, then
# `AUTOGRADER_CASE_LIMITS=limits.json nbgrader autograde w1_nmt` (make demo does this; without the file each
# case gets 120 CPU seconds). An interrupted cell fails; the submission is still graded.
try:
    from autograder import limits as _limits
except ImportError:  # the course package is not importable here: one wall-clock limit for every cell
    c.ExecutePreprocessor.timeout = 600
else:
    c.ExecutePreprocessor.timeout = _limits.NBGRADER_CELL_SECONDS
    c.ExecutePreprocessor.timeout_func = _limits.nbgrader_cell_timeout
c.ExecutePreprocessor.interrupt_on_timeout = True
c.ExecutePreprocessor.raise_on_iopub_timeout = False

# The student release starts with the lesson: the builder's note for instructors ("generated, edit the
# template") is removed first (autograder/release_notes.py), then nbgrader's own preprocessors run.
try:
    from nbgrader.converters.generate_assignment import GenerateAssignment as _Generate

    from autograder.release_notes import StripBuilderNote as _StripBuilderNote
except ImportError:  # the course package is not importable here: the note stays
    pass
else:
    c.GenerateAssignment.preprocessors = [_StripBuilderNote] + list(
        _Generate.class_traits()["preprocessors"].default())

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Hidden tests only call checks from autograder/; hide their source in feedback all the same.
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

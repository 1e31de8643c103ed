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

# trax takes ~5 s to import (with coursekit) and up to ~25 s without; a cell must be able to import it,
# and an infinite loop must be interrupted, not drop the whole submission.
c.ExecutePreprocessor.timeout = 120
c.ExecutePreprocessor.interrupt_on_timeout = True
c.ExecutePreprocessor.raise_on_iopub_timeout = False

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Hidden tests only call checks from autograder/; hide their source in feedback all the same.
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

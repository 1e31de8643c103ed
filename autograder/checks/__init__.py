"""The checks of each graded week: ``autograder.checks.<week>.CHECKS``.

WEEKS is the one list of graded weeks; the builder, the release script, the references, the demo and the
tests read it from here (ungraded labs are listed in ``tools.build_notebooks.LABS``).
"""
WEEKS = ("w1_nmt", "w2_summarizer", "w3_qa")

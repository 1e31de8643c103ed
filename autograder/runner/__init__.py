"""The isolating autograder: each submission runs in its own limited child process; a trusted parent sends
inputs, the child answers with plain outputs (JSON + .npy, no pickles), the parent compares them with the
reference outputs that the child never receives and cannot read. See autograder/runner/grade.py.

Modules: `cli` (`autograde`), `grade` (the Grader: one submission, many), `spawner` (starting children, and
the parent's handle on one), `report` (grades.csv, feedback.html), `remote` (grading on a Dask cluster),
`child` (the untrusted side), `zygote` (the warm process children are forked from), `warm_cache` (the
compilation cache, filled from the reference solutions before any child), `protocol` (their messages).
"""

"""The isolating autograder: each submission runs in its own limited child process; a trusted parent sends
inputs, the child answers with plain outputs (JSON + .npy, no pickles), the parent compares them with the
reference outputs that the child never receives and cannot read. See autograder/runner/grade.py.
"""

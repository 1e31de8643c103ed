"""Shared plumbing for every week, notebook, test and grader of the course.

`coursekit.trax_env` imports trax fast, quietly and deterministically, and applies the known fixes for
trax 1.4.1 on jax 0.10 / numpy 2 (see ../shared/STACK.md and the module's docstring).
"""

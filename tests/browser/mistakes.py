"""The check's public messages for a version of a graded function, computed in a process of its own:

    python -m tests.browser.mistakes '{"week": ..., "name": ..., "source": ..., "imports": ...}'

prints the messages as a JSON list. The browser tests start it while the browser works and compare what the
page shows with its answer: the check runs on the instructor's cell with the mistake, in the repository's
autograder (not the edition's, not on the page's text). trax comes through coursekit's import, as in the
notebooks (~5 s and quiet, instead of ~25 s).
"""
import importlib
import json
import sys


def messages(week, name, source, imports):
    from coursekit.trax_env import import_trax

    import_trax()
    namespace = {}
    exec(imports, namespace)
    exec(source, namespace)
    checks = importlib.import_module(f"autograder.checks.{week}").CHECKS
    return list(checks.grade(name, namespace[name], hidden=False).messages)


if __name__ == "__main__":
    print(json.dumps(messages(**json.loads(sys.argv[1]))))

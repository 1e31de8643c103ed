"""What an instructor sees in JupyterLab's formgrader (nbgrader's pages), in headless chromium (issue 34's
instructor path): in a course that holds the three weeks, with Week 1's bundled samples autograded by nbgrader
(as `make demo` grades them), the assignments page lists the three weeks, Week 1's submissions page shows each
graded submission with its student's name, its time and the gradebook's score, "Generate Feedback" (a click on the page) writes the feedback of
the typical-mistakes sample, and its HTML, opened in the browser, shows every graded function's result: full
points for the ones written right, the check's precise message for the ones that lose their points.

The graded course is the one test_nbgrader_samples.py's comparison graded for Week 1 earlier in this worker
(the same xdist group, `sample_grading.courses`), copied; run alone (`pytest -m browser`), this test grades
it itself with nbgrader first (about a minute more).
"""
import importlib
import json
import re
import shutil
import time

import pytest

from autograder import nbgrader_driver as driver
from autograder.checks import WEEKS
from tests.autograder.test_nbgrader_samples import SAMPLES, STUDENTS
from tests.browser.conftest import ROOT, user_environment

WEEK = "w1_nmt"
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(f"samples-{WEEK}"), pytest.mark.cost(25)]


@pytest.fixture
def course(sample_grading, tmp_path):
    """A course folder with the three weeks' sources, Week 1 released and its correct and mistakes samples
    autograded by nbgrader (its gradebook.db)."""
    folder = tmp_path / "course"
    graded = sample_grading.courses.get(WEEK)
    if graded is not None and (graded / "gradebook.db").exists():
        shutil.copytree(graded, folder)
    else:
        driver.make_course(folder, WEEK)
        driver.release(folder, WEEK)
        for student in STUDENTS:
            driver.submit(folder, WEEK, student, SAMPLES / WEEK / f"{student}.ipynb", f"{WEEK}.ipynb",
                          name=driver.sample_name(student))
        rc, log = driver.autograde(folder, WEEK, None, env=driver.FAST_ENV)
        assert rc == 0, log[-4000:]
    for week in WEEKS:   # the instructor's course holds every week; only Week 1 is released and graded so far
        if not (folder / "source" / week).exists():
            shutil.copytree(ROOT / "source" / week, folder / "source" / week)
    return folder


def page_rows(driver_, timeout=60):
    """The text of each cell of each row of the page's table, once the formgrader's script has filled it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = driver_.execute_script(
            "return [...document.querySelectorAll('table tbody tr')].map(r => "
            "[...r.querySelectorAll('td')].map(td => td.textContent.trim()))")
        if rows and not any("Loading" in " ".join(r) for r in rows):   # its placeholder row first
            return rows
        time.sleep(0.3)
    raise AssertionError(f"the formgrader's table did not fill in {timeout} s:\n"
                         f"{driver_.find_element('tag name', 'body').text[:2000]}")


def page_text(driver_, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = driver_.find_element("tag name", "body").text
        if text.strip():
            return text
        time.sleep(0.3)
    raise AssertionError(f"the page {driver_.current_url} stayed empty for {timeout} s")


def test_instructor_path(course, jupyterlab, shots):
    checks = importlib.import_module(f"autograder.checks.{WEEK}").CHECKS
    mistakes = importlib.import_module(f"autograder.samples.{WEEK}_mistakes").MISTAKES
    expected = {s: driver.gradebook_scores(course, WEEK, s) for s in STUDENTS}
    total = {s: sum(score for score, _ in expected[s].values()) for s in STUDENTS}
    points = sum(check.points for check in checks.checks.values())
    assert total["correct"] == points and total["mistakes"] == points - sum(
        checks[name].points for name in mistakes), total
    times, start = [], time.perf_counter()

    def done(step):
        nonlocal start
        browser.shot(step)
        times.append((step, time.perf_counter() - start))
        print(f"step {step}: {times[-1][1]:.1f} s")
        start = time.perf_counter()

    server, browser = jupyterlab(course, user_environment())
    page = browser.driver

    # The assignments: the three weeks, Week 1 with its two submissions.
    page.get(f"{server.url}/formgrader/manage_assignments?token={server.token}")
    rows = {r[0]: r for r in page_rows(page)}
    assert set(WEEKS) <= set(rows), f"the formgrader lists {sorted(rows)}"
    assert str(len(STUDENTS)) in rows[WEEK], rows[WEEK]
    done("assignments")

    # Week 1's submissions, each with the gradebook's score.
    page.get(f"{server.url}/formgrader/manage_submissions/{WEEK}")
    rows = {r[1]: r for r in page_rows(page)}
    assert set(STUDENTS) <= set(rows), f"the submissions page lists {sorted(rows)}"
    for student in STUDENTS:
        first, last = driver.sample_name(student)
        name, _, when, status, score = rows[student][:5]
        assert (name, status, score) == (f"{last}, {first}", "graded", f"{total[student]:g} / {points:g}"), \
            (student, rows[student])
        assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d", when), f"{student}'s submission time: {when!r}"
    done("submissions")

    # "Generate Feedback" for the mistakes sample, as an instructor clicks it.
    row = next(r for r in page.find_elements("css selector", "table tbody tr")
               if r.find_elements("css selector", "td")[1].text.strip() == "mistakes")
    row.find_element("css selector", ".generate-feedback a, td:nth-child(7) a").click()
    feedback = course / "feedback" / "mistakes" / WEEK / f"{WEEK}.html"
    deadline = time.monotonic() + 120
    while not feedback.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert feedback.exists(), f"no feedback written:\n{page.find_element('tag name', 'body').text[:2000]}\n" \
                              f"{server.log()[-3000:]}"
    time.sleep(1)   # the page's own message on the click
    done("feedback-generated")

    # The feedback HTML: every graded function's score, and the check's message where it lost its points.
    page.get(feedback.as_uri())
    body = page_text(page)
    for name, check in checks.checks.items():
        score = expected["mistakes"][f"test_{name}"][0]
        assert re.search(rf"test_{name}\b.*?Score:\s*{score:g}(\.0)?\s*/\s*{check.points:g}", body, re.S), \
            f"the feedback does not show {name}'s score {score:g} / {check.points:g}:\n{body[:3000]}"
    for name in mistakes:
        assert re.search(rf"{name}, case '.+': ", body), f"the feedback does not say why {name} lost its points"
    lost = next(iter(mistakes))   # the screenshot: the first function that lost its points, its message
    where = page.find_elements("xpath", f"//*[contains(text(), \"{lost}, case '\")]")
    if where:
        page.execute_script("arguments[0].scrollIntoView({block: 'center'});", where[0])
    done("feedback-opened")
    (shots / "times.json").write_text(json.dumps(dict(times), indent=1))

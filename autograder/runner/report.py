"""The run's outputs for people: <out>/grades.csv over all results, and a submission's feedback.html."""
import csv
import html
import json
import os
import pathlib


def write_grades_csv(out_dir, functions):
    """Rebuild <out_dir>/grades.csv from every <out_dir>/<id>/results.json: one row per submission (status,
    score, max score, the score of each of `functions`, reason)."""
    out_dir = pathlib.Path(out_dir)
    rows = []
    for path in sorted(out_dir.glob("*/results.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        extra = document.get("extra_data", {})
        scores = {t["name"]: t["score"] for t in document.get("tests", [])}
        rows.append([extra.get("submission", path.parent.name), extra.get("status", ""), document["score"],
                     document["max_score"], *[scores.get(f, "") for f in functions], extra.get("reason", "")])
    tmp = out_dir / "grades.csv.tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", "status", "score", "max_score", *functions, "reason"])
        writer.writerows(rows)
    os.replace(tmp, out_dir / "grades.csv")


def feedback_html(document):
    """A results document as a self-contained HTML page for the student (every text escaped)."""
    e = html.escape
    extra = document.get("extra_data", {})
    rows = "".join(
        f"<tr><td>{e(t['name'])}</td><td>{t['score']} / {t['max_score']}</td><td><pre>{e(t['output'])}</pre></td></tr>"
        for t in document["tests"])
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Feedback: {e(str(extra.get('submission')))}"
            f"</title></head><body><h1>Feedback for {e(str(extra.get('submission')))}</h1>"
            f"<p>Score: {document['score']} / {document['max_score']}</p><pre>{e(document['output'])}</pre>"
            f"<table border='1'><tr><th>Function</th><th>Score</th><th>Feedback</th></tr>{rows}</table>"
            f"</body></html>\n")

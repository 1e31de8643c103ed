"""The front page and docs/ cannot rot: every link resolves, every picture exists, every command named exists.

Checked over README.md and docs/*.md (plain Markdown, as a Git host renders it):

* links `[text](target)` and pictures `![alt](target)` outside code: a relative target is a file of the
  repository (relative to the page), and its `#anchor`, if any, is a heading of the target page (GitHub's
  anchors: lower case, punctuation dropped, spaces to hyphens); a picture is a PNG file;
* in code (fenced blocks and `inline code`): `make TARGET` names a target of the Makefile, `python -m MODULE`
  (any python) a module that exists and runs as a command (a package's __main__.py, or a module with a
  `__main__` block), `autograde` the console script of pyproject.toml;
* the front page stays short (at most 150 lines).
"""
import importlib.util
import pathlib
import re
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 150

_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
_MAKE = re.compile(r"(?<![\w./-])make\s+([a-z][\w-]*)")
_PYTHON_M = re.compile(r"python[\d.]*\s+-m\s+([A-Za-z_][\w.]*)")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _prose(text):
    """The page's text outside fenced code blocks and inline code."""
    return _INLINE_CODE.sub("", _FENCE.sub("", text))


def _code(text):
    """The page's fenced code blocks and inline code spans, one string."""
    return "\n".join(_FENCE.findall(text) + _INLINE_CODE.findall(_FENCE.sub("", text)))


def github_anchor(heading):
    """The anchor a Git host gives a heading: `Week 3: the GLUE-style table` -> `week-3-the-glue-style-table`."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)   # a link in a heading keeps its text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page):
    """Every anchor of a Markdown page (repeated headings get -1, -2, ... as on GitHub)."""
    seen, out = {}, set()
    for _, title in _HEADING.findall(_FENCE.sub("", page.read_text(encoding="utf-8"))):
        anchor = github_anchor(title)
        n = seen.get(anchor, 0)
        seen[anchor] = n + 1
        out.add(anchor if n == 0 else f"{anchor}-{n}")
    return out


def broken_links(page):
    """[(target, why)] for each link of `page` that does not resolve."""
    problems = []
    for target in _LINK.findall(_prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):     # http(s), mailto: not fetched (no network)
            if not target.startswith(("https://", "http://", "mailto:")):
                problems.append((target, "unknown scheme"))
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            problems.append((target, f"no file {file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}"))
            continue
        if not file.is_relative_to(ROOT):
            problems.append((target, "outside the repository"))
            continue
        if anchor and file.suffix == ".md" and anchor not in anchors(file):
            problems.append((target, f"no heading with anchor #{anchor} in {file.relative_to(ROOT)}"))
        if target.split("#")[0].lower().endswith(".png") and file.read_bytes()[:8] != PNG_MAGIC:
            problems.append((target, "not a PNG file"))
    return problems


def pictures(page):
    """The picture files a page shows."""
    return [(page.parent / target).resolve() for target in
            re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", _prose(page.read_text(encoding="utf-8")))]


def make_targets():
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def runnable_module(name):
    """Whether `python -m name` can run: a module of this repository with a __main__ block (or a package with
    __main__.py), or an installed one."""
    base = ROOT.joinpath(*name.split("."))
    if (base / "__main__.py").exists():
        return True
    if base.with_suffix(".py").exists():
        return "__name__ == \"__main__\"" in base.with_suffix(".py").read_text(encoding="utf-8")
    if (ROOT / name.split(".")[0]).is_dir():
        return False                                     # a package of ours without that module
    return importlib.util.find_spec(name) is not None


def unknown_commands(page):
    """[(command, why)] for each `make` target, `python -m` module or console script a page names that does
    not exist."""
    code = _code(page.read_text(encoding="utf-8"))
    problems = [(f"make {t}", "no such Makefile target") for t in sorted(set(_MAKE.findall(code)))
                if t not in make_targets()]
    problems += [(f"python -m {m}", "no such runnable module") for m in sorted(set(_PYTHON_M.findall(code)))
                 if not runnable_module(m)]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("scripts", {})
    if re.search(r"(?m)(^|`|\s)autograde\s", code) and "autograde" not in scripts:
        problems.append(("autograde", "no such console script in pyproject.toml"))
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves(page):
    assert broken_links(page) == [], f"{page.relative_to(ROOT)}: broken links"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_command_named_exists(page):
    assert unknown_commands(page) == [], f"{page.relative_to(ROOT)}: commands that do not exist"


def test_every_picture_exists_and_the_pages_show_them():
    shown = {p for page in PAGES for p in pictures(page)}
    assert shown, "no page shows a picture"
    assert all(p.exists() for p in shown), sorted(str(p) for p in shown if not p.exists())
    committed = set((ROOT / "docs" / "images").glob("*.png"))
    assert committed <= shown, f"pictures no page shows: {sorted(p.name for p in committed - shown)}"


def test_the_front_page_is_short_and_links_every_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= README_MAX_LINES
    linked = {t.split("#")[0] for t in _LINK.findall(_prose(readme))}
    for guide in ("students", "instructors", "course", "models", "contributing"):
        assert f"docs/{guide}.md" in linked, f"README.md does not link docs/{guide}.md"


def test_the_checker_catches_what_it_is_for(tmp_path, monkeypatch):
    """A broken file link, a missing anchor, a missing picture and unknown commands are reported."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "Makefile").write_text("test: install\n\techo\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.md").write_text("# Real heading\n")
    page = tmp_path / "docs" / "a.md"
    page.write_text("# A\n[ok](b.md#real-heading) [gone](c.md) [anchor](b.md#nope) ![pic](images/x.png)\n"
                    "[self](#a) `[not a link](nowhere.md)`\n\n```bash\nmake test\nmake tset\n"
                    "python -m nosuchpkg_xyz\nautograde w1_nmt subs\n```\n")
    assert [t for t, _ in broken_links(page)] == ["c.md", "b.md#nope", "images/x.png"]
    assert [c for c, _ in unknown_commands(page)] == ["make tset", "python -m nosuchpkg_xyz", "autograde"]

"""The docs a newcomer walks: the README stays short, every relative link and anchor in it and in
docs/*.md leads somewhere, every scripts/… or bench/… path they name exists, and so does every
file or folder of the repository they name in code (`spatial/access.py`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README_MAX_LINES = 150
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")  # [text](target "title")
HTML_LINK = re.compile(r"""<(?:img|a)\b[^>]*\b(?:src|href)=["']([^"']+)["']""")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`[^`]*`")
SCRIPT_PATH = re.compile(r"(?<![\w./-])((?:scripts|bench)/[\w.-]+(?:/[\w.-]+)*)")
PACKAGES = "spatial|layers|etl|tiles|vision|services|web_map|democity|ioc|tests|docs|scripts|bench"
CODE_PATH = re.compile(rf"`((?:{PACKAGES})/[\w./-]*)`")  # `tiles/lane.py`, `web_map/frontend/`


def doc_files(root: Path = ROOT) -> list[Path]:
    """README.md and the pages of docs/ (not docs/research/, which keeps notes as they were written)."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    text = re.sub(r"[^\w\- ]", "", text.replace("`", "").lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor a Markdown file offers (repeated headings get -1, -2 … as on GitHub)."""
    seen: dict[str, int] = {}
    found = set()
    for line in prose_lines(path.read_text(encoding="utf-8")):
        if match := HEADING.match(line):
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[str]:
    """The link targets of a Markdown file (Markdown and HTML links, outside code)."""
    targets = []
    for line in prose_lines(path.read_text(encoding="utf-8")):
        line = CODE_SPAN.sub("", line)
        targets += LINK.findall(line) + HTML_LINK.findall(line)
    return targets


def broken_links(path: Path) -> list[str]:
    """Relative links of `path` whose file, or whose anchor in that file, does not exist."""
    broken = []
    for target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # http:, mailto: …
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no file {file_part}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    return broken


def named_paths(path: Path) -> set[str]:
    """Every scripts/… and bench/… path a page names, in prose or in code."""
    return {match.rstrip(".") for match in SCRIPT_PATH.findall(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(path):
    assert broken_links(path) == []


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_scripts_or_bench_path_named_exists(path):
    assert sorted(name for name in named_paths(path) if not (ROOT / name).exists()) == []


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_repository_path_named_in_code_exists(path):
    named = set(CODE_PATH.findall(path.read_text(encoding="utf-8")))
    assert sorted(name for name in named if not (ROOT / name).exists()) == []


def test_the_readme_fits_on_a_screen_or_two():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= README_MAX_LINES


def test_the_docs_index_links_every_page():
    index = ROOT / "docs" / "README.md"
    linked = {target.partition("#")[0] for target in links(index)}
    pages = {path.name for path in doc_files()[1:]} - {"README.md"}
    assert sorted(pages - linked) == []


def test_the_checks_find_a_broken_file_a_broken_anchor_and_a_missing_script(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.md").write_text("# Real heading\n")
    page = tmp_path / "docs" / "a.md"
    page.write_text("[ok](b.md#real-heading) [gone](c.md) [bad](b.md#nope) [web](https://x.org/y)\n"
                    "```\n[in code](nowhere.md)\n```\nRun `bench/nothing` or scripts/up.sh.\n"
                    "See `tiles/nowhere.py` and `tiles/lane.py`.\n")
    assert broken_links(page) == ["c.md: no file c.md", "b.md#nope: no heading #nope in b.md"]
    assert named_paths(page) == {"bench/nothing", "scripts/up.sh"}
    assert set(CODE_PATH.findall(page.read_text())) == {"bench/nothing", "tiles/nowhere.py", "tiles/lane.py"}


def test_slugs_follow_github(tmp_path):
    assert slug("Two commands (Debian 12, as root)") == "two-commands-debian-12-as-root"
    assert slug("Đồng Tâm: `as-of` pages") == "đồng-tâm-as-of-pages"
    page = tmp_path / "p.md"
    page.write_text("# Notes\n## Notes\n```\n# not a heading\n```\n")
    assert anchors(page) == {"notes", "notes-1"}

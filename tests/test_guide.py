"""The user guide (guide/, a documentation site built with MkDocs) and the short README that leads to it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from conftest import REPO
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from crossbrief import load

GUIDE = REPO / "guide"


def test_the_guide_builds_with_mkdocs_strict(tmp_path):
    config = load_config(str(GUIDE / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    mkdocs_build(config)  # raises on any warning: a broken link or anchor, a page missing from the nav
    pages = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").glob("*.html"))
    assert pages == sorted(["404.html", *(p.with_suffix(".html").name for p in (GUIDE / "docs").glob("*.md"))])


def test_the_properties_table_is_the_shipped_registry():
    with tempfile.TemporaryDirectory() as empty:
        registry = load.load_properties(Path(empty), [])
    rows = ["| property | label | type | single | inverse |", "|---|---|---|---|---|"]
    rows += [
        f"| `{pid}` | {p.label} | {p.type} | {'yes' if p.single else 'no'} | {p.inverse if p.type == 'entity' else ''} |"
        for pid, p in registry.items()
    ]
    table = "\n".join(rows) + "\n"
    assert table in (GUIDE / "docs" / "properties.md").read_text(), (
        "paste this table into guide/docs/properties.md:\n" + table
    )


def test_the_readmes_tutorial_is_the_guides():
    readme = (REPO / "README.md").read_text()
    tutorial = (GUIDE / "docs" / "tutorial.md").read_text().split("\n", 2)[2]
    assert tutorial in readme


def test_the_readme_is_short_and_shows_the_site_and_a_pdf_page():
    readme = (REPO / "README.md").read_text()
    assert len(readme.splitlines()) < 200
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", readme)
    assert images == ["guide/docs/images/site.png", "guide/docs/images/pdf-page.png"]
    for image in images:
        assert (REPO / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for link in re.findall(r"\]\((guide/docs/[^)#]+)", readme):
        assert (REPO / link).is_file(), link

"""Zensical, Material's successor, reads the same mkdocs.yml: built from `crossbrief generate`'s pages, the seed
briefing gives the same pages, with the same links in their content, as MkDocs does. Zensical is a test
dependency: without it the test fails under `make test` and CI, and skips elsewhere (conftest.missing_tool)."""

from __future__ import annotations

import html.parser
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, missing_tool


class _ArticleLinks(html.parser.HTMLParser):
    """The links inside a page's <article>: its content, whatever the theme's chrome around it."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "article"
        href = dict(attrs).get("href")
        if self.depth and tag == "a" and href:
            self.links.add(href)

    def handle_endtag(self, tag):
        self.depth -= tag == "article"


def _pages(site: Path) -> dict[str, set[str]]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        parser = _ArticleLinks()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = parser.links
    return pages


def test_zensical_builds_the_seed_with_the_same_pages_and_links_as_mkdocs(tmp_path, cli):
    if importlib.util.find_spec("zensical") is None:
        missing_tool("Zensical is not installed: pip install -e '.[test]'")
    root = tmp_path / "seed"
    for name in ("briefings", "sources"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "crossbrief").symlink_to(REPO / "crossbrief", target_is_directory=True)  # the hook's path
    assert cli("build", "--no-pdf", "-C", root).status == 0
    mkdocs = _pages(root / "site")
    shutil.rmtree(root / "site")

    run = subprocess.run(
        [sys.executable, "-m", "zensical", "build"], cwd=root, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout + run.stderr
    zensical = _pages(root / "site")

    assert len(mkdocs) > 60 and sorted(zensical) == sorted(mkdocs)
    assert {page: links for page, links in zensical.items() if links != mkdocs[page]} == {}
    assert sum(len(links) for links in mkdocs.values()) > 500

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


def _quote_examples(text: str) -> list[tuple[list[str], list[str]]]:
    """Each `$ crossbrief quote ...` shown in a document: its arguments and the lines shown after it (up to the
    next command or the end of the block; a `...` line ends what is compared)."""
    import shlex

    examples = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ crossbrief quote "):
                shown = []
                for after in lines[i + 1 :]:
                    if after.startswith("$ ") or after == "...":
                        break
                    shown.append(after)
                examples.append((shlex.split(line[2:])[1:], shown))
    return examples


def test_the_tutorials_quote_shows_the_real_line(tmp_path, cli, monkeypatch):
    """The tutorial's steps 1 to 3, run as written: `quote` prints the line shown, and says the real line number."""
    article = (REPO / "sources/afp-2012-07-06.md").read_text().split("---\n", 2)[2]
    (tmp_path / "article.txt").write_text(article)
    monkeypatch.chdir(tmp_path)
    assert cli("init", "tlass-defection", "--title", "Defection of Manaf Tlass", "--date", "2012-07-06").status == 0
    monkeypatch.chdir(tmp_path / "tlass-defection")
    assert cli("new", "organisation", "Agence France-Presse", "--id", "afp", "--kind", "news-agency").status == 0
    title = "Top general in Assad's inner circle defects"
    made = cli("new", "source", title, "--outlet", "afp", "--published", "2012-07-06", "--text", "../article.txt")
    assert made.status == 0
    readme = (REPO / "README.md").read_text()
    examples = _quote_examples(readme)
    assert examples and examples == _quote_examples((GUIDE / "docs/tutorial.md").read_text())
    for args, shown in examples:
        run = cli(*args)
        assert run.out.splitlines() + run.err.splitlines() == shown


def test_the_guides_quote_examples_show_the_seeds_real_lines(cli):
    examples = _quote_examples((GUIDE / "docs/commands.md").read_text())
    assert len(examples) == 2
    for args, shown in examples:
        run = cli(*args, "-C", REPO)
        printed = run.out.splitlines() + run.err.splitlines()
        # the found passage: its line and where; the closest ones: each '# N% alike, file:line' and its line
        assert [line for line in printed if not line.startswith("crossbrief quote: not found")][: len(shown)] == shown


def test_the_guide_does_not_cite_what_users_do_not_have():
    for page in (GUIDE / "docs").glob("*.md"):
        assert "DESIGN.md" not in page.read_text(), page.name

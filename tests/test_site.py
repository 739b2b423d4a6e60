"""The generated site: golden pages, MkDocs strict validation, safety, and what a build leaves behind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from crossbrief import site
from crossbrief.cli import main
from crossbrief.infra import write

GOLDEN = Path(__file__).parent / "golden" / "full"


def generated(root: Path) -> dict[str, str]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_text("utf-8") for p in sorted(docs.rglob("*.md"))}


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> Path:
    """The full fixture built once, for the tests that only read it (without the PDF, which test_pdf.py builds:
    its pages are then those `generate` writes, which the golden files hold)."""
    root = tmp_path_factory.mktemp("site") / "full"
    shutil.copytree(FIXTURES / "full", root, ignore=shutil.ignore_patterns("docs", "site", "expected*"))
    assert main(["build", "--no-pdf", str(root)]) == 0
    return root


def test_full_fixture_pages_match_golden(full, golden):
    pages = generated(full)
    for rel, text in pages.items():
        golden(GOLDEN / rel, text)
    assert sorted(pages) == sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md"))


def test_generated_pages_pass_mkdocs_strict(full, tmp_path):
    config = load_config(
        str(site.config_file(full)), docs_dir=str(full / "docs"), site_dir=str(tmp_path / "strict"), strict=True
    )
    mkdocs_build(config)  # raises on any warning, broken links and anchors included
    assert (tmp_path / "strict" / "people" / "ana-lima.html").exists()


def test_build_makes_every_page(full):
    html = {p.relative_to(full / "site").as_posix() for p in (full / "site").rglob("*.html")}
    for page in (
        "index.html",
        "timeline.html",
        "disagreements.html",
        "sources/index.html",
        "sources/gazette-2021-03-04.html",
        "people/index.html",
        "people/ana-lima.html",
        "organisations/dockers-union.html",
        "events/velmar-strike.html",
        "events/index.html",
    ):
        assert page in html


def test_dossier_page_content(full):
    root = full
    page = (root / "docs/people/ana-lima.md").read_text()
    assert "Also written: Ana Lima-Souza, Ms Lima" in page
    # relations both ways: Ana leads the union; the union's page shows the inverse label
    assert 'Leader of: <a href="../organisations/dockers-union.html">' in page
    union = (root / "docs/organisations/dockers-union.md").read_text()
    assert 'Led by: <a href="../people/ana-lima.html">Ana Lima</a>' in union
    # the contested fact is marked and linked to its disagreement
    assert '<a class="cb-contested" href="../disagreements.html#ana-lima--age">contested (explained)</a>' in page
    # each citation links to its highlighted passage
    assert 'href="../sources/gazette-2021-03-04.html#q--ana-lima--age-late-40s--1"' in page
    # mentions with the sentence around them
    assert "<li>Ms Lima, in her late 40s, has led the union for two years.</li>" in page


def test_source_page_highlights_and_anchors_every_quote(full):
    page = (full / "docs/sources/courier-2021-03-05.md").read_text()
    assert '<span class="cb-anchor" id="q--velmar-strike--turnout-police--1"></span><mark class="cb-quote"' in page
    assert ">Some 1,200 strikers</mark>" in page
    assert page.count('class="cb-anchor"') == 6  # six citations quote this article


def test_a_title_the_editors_supplied_is_marked_on_the_source_page(project, cli):
    root = project("full")
    source = root / "sources/courier-2021-03-05.md"
    front = source.read_text()
    source.write_text(front.replace("outlet: courier\n", "title_by_editors: maybe\noutlet: courier\n", 1))
    run = cli("check", root)
    assert run.status == 1
    assert (
        "sources/courier-2021-03-05.md:3:19: error[E114]: 'title_by_editors' must be true or false, not 'maybe'"
        in run.err
    )
    source.write_text(front.replace("outlet: courier\n", "title_by_editors: true\noutlet: courier\n", 1))
    assert cli("generate", root).status == 0
    page = (root / "docs/sources/courier-2021-03-05.md").read_text()
    assert "<dt>Title</dt><dd>supplied by the editors: the article has no headline</dd>" in page
    assert "supplied by the editors" not in (root / "docs/sources/gazette-2021-03-04.md").read_text()


def test_disagreements_page_shows_positions_side_by_side(full):
    page = (full / "docs/disagreements.md").read_text()
    assert "## Ana Lima: Age &#40;years&#41; {#ana-lima--age}" in page
    assert page.count('<section class="cb-position') == 4
    assert "2 independent origins" in page  # the police said it, and the Wire Press copy
    # compatible values are no disagreement: "up to 16,000" and 15,800
    assert "dockers-union--size" not in page


def test_minimal_root_builds_with_shipped_defaults(project, cli):
    root = project("minimal")
    assert not (root / "mkdocs.yml").exists() and not (root / "templates").exists()
    run = cli("build", "--no-pdf", root)  # the PDF of a minimal root: test_output_is_readable_as_the_umask_allows
    assert run.status == 0, run.err
    index = (root / "site" / "index.html").read_text()
    assert "<title>A resignation</title>" in index or "A resignation" in index


def test_root_templates_override_file_by_file(project, cli):
    root = project("minimal")
    (root / "templates/site").mkdir(parents=True)
    (root / "templates/site/timeline.md.j2").write_text("# Our own timeline\n")
    cli("generate", root)
    assert (root / "docs/timeline.md").read_text() == "# Our own timeline\n"
    assert "# Jane Roe" in (root / "docs/people/jane-roe.md").read_text()


def test_a_roots_own_macros_reach_every_page_template(project, cli):
    root = project("full")
    (root / "templates/site").mkdir(parents=True)
    (root / "templates/site/_macros.html.j2").write_text(
        '{% macro status(s) %}<b class="our-status">{{ s }}</b>{% endmacro %}\n'
    )
    # a page template written for an earlier crossbrief, importing the macros itself, still works
    (root / "templates/site/timeline.md.j2").write_text(
        '{% from "site/_macros.html.j2" import status %}# Timeline {{ status("open") }}\n'
    )
    assert cli("generate", root).status == 0
    assert '<b class="our-status">open</b>' in (root / "docs/disagreements.md").read_text()
    assert (root / "docs/timeline.md").read_text() == '# Timeline <b class="our-status">open</b>\n'


def test_regeneration_rewrites_only_changed_pages(project, cli):
    root = project("full")
    cli("generate", root)
    before = {p: p.stat().st_mtime_ns for p in (root / "docs").rglob("*.md")}
    dossier = root / "briefings/organisations/courier.yaml"
    dossier.write_text(dossier.read_text().replace("The Courier", "The Daily Courier"))
    run = cli("generate", root)
    changed = sorted(p.relative_to(root / "docs").as_posix() for p in before if p.stat().st_mtime_ns != before[p])
    assert run.out == f"{len(changed)} pages changed\n"
    assert "organisations/courier.md" in changed and "timeline.md" not in changed


def test_failed_build_leaves_previous_site_untouched(project, cli):
    root = project("minimal")
    assert cli("build", "--no-pdf", root).status == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "briefings/people/jane-roe.yaml").write_text("name: [unclosed\n")
    run = cli("build", root)
    assert run.status == 1 and "E101" in run.err
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("mask", [0o022, 0o002])
def test_output_is_readable_as_the_umask_allows(mask, project, cli):
    """A web server or a colleague reads the published site and PDFs as any file the user makes."""
    root = project("minimal")
    before = os.umask(mask)
    try:
        assert cli("build", root).status == 0
        assert cli("pdf", "-C", root, "-o", root / "out" / "briefing.pdf").status == 0
    finally:
        os.umask(before)
    made = [root / "docs", root / "site", root / "out"]
    made += [p for top in made for p in top.rglob("*")]
    modes = {p.relative_to(root).as_posix(): oct(p.stat().st_mode & 0o777) for p in made}
    wanted = {rel: oct((0o777 if (root / rel).is_dir() else 0o666) & ~mask) for rel in modes}
    assert modes == wanted
    assert {"site", "site/index.html", "site/resignation.pdf", "docs/index.md", "out/briefing.pdf"} <= set(modes)


def test_docs_folder_not_written_by_crossbrief_is_refused(project, cli):
    root = project("minimal")
    (root / "docs").mkdir()
    (root / "docs/notes.md").write_text("mine")
    run = cli("build", root)
    assert run.status == 1
    assert "error[E212]" in run.err
    assert (root / "docs/notes.md").read_text() == "mine"


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[click](javascript:alert(3))",
    "{ onclick=alert(4) }",
    "{{ 7*7 }}",
    '--8<-- "/etc/passwd"',
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_strings_reach_the_page_as_text(payload, project, cli):
    root = project("minimal")
    person = root / "briefings/people/jane-roe.yaml"
    quoted = payload.replace("'", "''")
    person.write_text(
        person.read_text().replace("name: Jane Roe", f"name: 'Jane {quoted}'\naliases: [Jane Roe]")
        + f"    note: '{quoted}'\n"
        + f"summary: '{quoted}'\n"
    )
    source = root / "sources/wire-2020-01-02.md"
    source.write_text(source.read_text() + payload + "\n")
    run = cli("build", root)
    assert run.status == 0, run.err
    for page in ("people/jane-roe.html", "sources/wire-2020-01-02.html", "people/index.html"):
        tags, text = parse_html((root / "site" / page).read_text())
        article = [t for t in tags if t.inside_article]
        assert not [t for t in article if t.name in ("script", "img", "iframe", "object")], page
        assert not [
            t
            for t in article
            for k, v in t.attrs
            if k.startswith("on") or (v or "").strip().lower().startswith("javascript:")
        ], page
        assert " ".join(payload.split()) in text, page
    assert "49" not in parse_html((root / "site/people/jane-roe.html").read_text())[1].replace("2020", "")


class Tag:
    def __init__(self, name, attrs, inside_article):
        self.name, self.attrs, self.inside_article = name, attrs, inside_article


def parse_html(html: str) -> tuple[list[Tag], str]:
    """Every tag (marking those inside the page's article) and the article's visible text."""
    from html.parser import HTMLParser

    tags, text = [], []

    class Parser(HTMLParser):
        depth = 0

        def handle_starttag(self, name, attrs):
            if name == "article":
                self.depth += 1
            tags.append(Tag(name, attrs, self.depth > 0))

        def handle_endtag(self, name):
            if name == "article":
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                text.append(data)

    Parser(convert_charrefs=True).feed(html)
    return tags, " ".join(" ".join(text).split())


def test_a_second_write_rewrites_only_the_changed_pages_and_removes_the_others(tmp_path):
    docs = tmp_path / "docs"
    pages = {"index.md": "home\n", "timeline.md": "when\n", "people/a.md": lambda: "A\n"}
    assert write.write_tree(docs, pages) == ["index.md", "people/a.md", "timeline.md"]
    kept = (docs / "people/a.md").stat().st_mtime_ns
    changed = {"index.md": "home, edited\n", "people/a.md": lambda: "A\n", "people/new.md": "new\n"}
    assert write.write_tree(docs, changed) == ["index.md", "people/new.md"]
    assert not (docs / "timeline.md").exists()
    assert (docs / "people/a.md").stat().st_mtime_ns == kept
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()) == [
        write.MARKER,
        "index.md",
        "people/a.md",
        "people/new.md",
    ]


@pytest.mark.parametrize(
    "path, page, flat, folders",
    [
        ("people/x.md", "people/index.md", "x.html", "x/"),
        ("people/x.md", "people/y.md", "x.html", "../x/"),
        ("sources/s.md", "people/y.md", "../sources/s.html", "../../sources/s/"),
        ("index.md", "people/y.md", "../index.html", "../../"),
        ("index.md", "index.md", "index.html", "./"),
        ("people/index.md", "timeline.md", "people/index.html", "../people/"),
        ("disagreements.md", "index.md", "disagreements.html", "disagreements/"),
        ("brief.pdf", "index.md", "brief.pdf", "brief.pdf"),
    ],
)
def test_links_go_where_mkdocs_puts_each_page_under_either_use_directory_urls(path, page, flat, folders):
    from crossbrief.site.markup import page_url

    assert page_url(path, page) == flat
    assert page_url(path, page, directory_urls=True) == folders


@pytest.mark.parametrize(
    "config, expected",
    [
        ("site_name: x\n", True),  # MkDocs' default
        ("site_name: x\nuse_directory_urls: false\n", False),
        ("site_name: x\nplugins: [search, offline]\n", False),  # Material's offline plugin turns it off
        ("site_name: x\nplugins:\n  - material/offline\n  - crossbrief\n", False),
        ("site_name: x\nplugins:\n  - search:\n      lang: en\n", True),
    ],
)
def test_crossbrief_build_links_pages_as_mkdocs_will_place_them(tmp_path, config, expected):
    (tmp_path / "mkdocs.yml").write_text(config)
    assert site.directory_urls(tmp_path) is expected


def test_a_project_without_mkdocs_yml_gets_flat_urls_that_work_from_disk(tmp_path):
    assert site.directory_urls(tmp_path) is False

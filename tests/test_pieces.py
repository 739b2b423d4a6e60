"""The pieces a project can override (a claim, a citation, a verdict, a disagreement): each shipped template writes
what the Python fast path writes, to the byte, and a project's own shows on its pages."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from crossbrief.analyse import analyse
from crossbrief.load import load
from crossbrief.review import provenance
from crossbrief.site import render
from crossbrief.site.fragments import DISAGREEMENTS, PIECES

SHIPPED = Path(str(resources.files("crossbrief"))) / "templates"
GOLDEN = Path(__file__).parent / "golden" / "full"

HOSTILE = {
    "briefings/people/ana-lima.yaml": [
        ("name: Ana Lima", "name: 'Ana <i>\"Lima\"</i> & {{ 7*7 }}'"),
        ("said_by: a police spokesman", "said_by: a <script>alert(1)</script> spokesman\n        as_of: 2021-03-04"),
        ("note: The police", "note: <img src=x onerror=alert(2)> The police"),
    ],
    "briefings/properties.yaml": [("label: Age (years)", "label: 'Age <years> & \"more\"'")],
    "sources/gazette-2021-03-04.md": [("title: Dockers walk out", "title: Dockers <b>walk</b> out &")],
}
"""Edits to the full fixture putting markup in every kind of string a piece shows."""
PROJECTS = {"full": FIXTURES / "full", "gasplant": FIXTURES / "gasplant", "seed": REPO}


def hostile(folder: Path) -> Path:
    root = folder / "hostile"
    shutil.copytree(FIXTURES / "full", root)
    for file, edits in HOSTILE.items():
        text = (root / file).read_text("utf-8")
        for old, new in edits:
            assert old in text
            text = text.replace(old, new)
        (root / file).write_text(text, "utf-8")
    return root


def both_ways(root: Path) -> list[tuple[str, str]]:
    """Each piece of a project's pages as its shipped template renders it, and as the fast path does."""
    project, problems = load(root)
    assert not [p for p in problems if p.code.startswith("E")]
    analysis = provenance.attach(analyse(project))
    templated = render.common_context(analysis, pieces=PIECES)
    fast = render.common_context(analysis, pieces=())

    def pair(method: str, page: str, *args) -> tuple[str, str]:
        return getattr(templated["html"], method)(page, *args), getattr(fast["html"], method)(page, *args)

    found = []
    for dossier in analysis.project.dossiers:
        page = fast["page_of"](dossier.id)
        for claim in dossier.claims:
            found.append(pair("claim", page, claim))  # each of its citations through the piece as well
            found += [pair("citation", DISAGREEMENTS, claim, i) for i in range(len(claim.citations))]
    for dis in analysis.disagreements:
        found.append(pair("verdict", DISAGREEMENTS, dis))
        found.append(pair("disagreement", DISAGREEMENTS, dis, str(fast["status"](dis.status))))
    return found


@pytest.fixture(scope="module")
def pieces(tmp_path_factory) -> dict[str, list[tuple[str, str]]]:
    roots = {**PROJECTS, "hostile": hostile(tmp_path_factory.mktemp("pieces"))}
    return {name: both_ways(root) for name, root in roots.items()}


@pytest.mark.parametrize("name", [*PROJECTS, "hostile"])
def test_each_shipped_piece_writes_what_the_fast_path_writes(pieces, name):
    assert pieces[name]
    for templated, fast in pieces[name]:
        assert templated == fast


def test_the_pieces_compared_show_every_part_of_them(pieces):
    shown = "".join(fast for found in pieces.values() for _, fast in found)
    for part in (
        "cb-contested",
        "cb-superseded",
        "cb-claim-text",
        "cb-note",
        "cb-said",
        ", as of ",
        "cb-verdict",
        "cb-stale",
        "cb-preferred",
        "cb-merged",
        "cb-history",
        "cb-contradiction",
    ):
        assert part in shown, part


def test_pieces_escape_every_project_string(pieces):
    shown = "".join(fast for _, fast in pieces["hostile"])
    for escaped in (
        "Ana &lt;i&gt;&#34;Lima&#34;&lt;/i&gt; &amp; {{ 7*7 }}",
        "a &lt;script&gt;alert(1)&lt;/script&gt; spokesman",
        "Age &lt;years&gt; &amp; &#34;more&#34;",
        "Dockers &lt;b&gt;walk&lt;/b&gt; out &amp;",
        "&lt;img src=x",
    ):
        assert escaped in shown, escaped
    for raw in ("<i>", "<script", "<years>", "<b>", "<img"):
        assert raw not in shown, raw


def override(root: Path, piece: str, old: str, new: str) -> None:
    """A project's own template of a piece: the shipped one with `old` replaced."""
    text = (SHIPPED / render.piece_template(piece)).read_text("utf-8")
    assert old in text
    (root / "templates" / render.piece_template(piece)).parent.mkdir(parents=True, exist_ok=True)
    (root / "templates" / render.piece_template(piece)).write_text(text.replace(old, new), "utf-8")


def test_a_projects_own_pieces_show_on_its_pages_until_removed(project, cli):
    root = project("full")
    for piece in PIECES:
        override(root, piece, f'class="cb-{piece}"', f'class="cb-{piece} our-{piece}"')
    run = cli("build", root)
    assert run.status == 0, run.err
    dossier = (root / "site/people/ana-lima.html").read_text("utf-8")
    assert dossier.count('class="cb-claim our-claim"') == 4
    assert dossier.count('class="cb-citation our-citation"') == 4
    disagreements = (root / "site/disagreements.html").read_text("utf-8")
    assert disagreements.count('class="cb-disagreement our-disagreement"') == 2
    assert disagreements.count('class="cb-verdict our-verdict"') == 1  # Ana Lima's age, explained
    assert disagreements.count('class="cb-citation our-citation"') == 5
    # without them, a rebuild writes the shipped pieces again
    shutil.rmtree(root / "templates")
    assert cli("generate", root).status == 0
    for page in ("people/ana-lima.md", "disagreements.md"):
        assert (root / "docs" / page).read_text("utf-8") == (GOLDEN / page).read_text("utf-8")


def test_a_failing_piece_is_reported_at_its_file_and_line(project, cli):
    root = project("full")
    override(root, "citation", "{{ citation.quote }}", "{{ citation.quoted }}")
    run = cli("generate", root)
    assert run.status != 0
    lines = (root / "templates/site/_citation.html.j2").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "citation.quoted" in text)
    assert f"templates/site/_citation.html.j2:{line}:1: error[E213]: template error:" in run.err
    assert "'quoted'" in run.err


def test_every_piece_is_documented_in_the_guide():
    guide = (REPO / "guide" / "docs" / "configuration.md").read_text("utf-8")
    for piece in PIECES:
        assert f"| `_{piece}.html.j2` |" in guide, piece

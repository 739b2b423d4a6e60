"""A rebuild renders again only the pages an edit can change, and its pages are those of a build from scratch."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import conftest
import pytest
from conftest import REPO

from crossbrief import site
from crossbrief.build import build, inspect, page_options
from crossbrief.infra.store import Store
from crossbrief.site import fragments, incremental


def docs(root: Path) -> dict[str, bytes]:
    folder = site.docs_dir(root)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def from_scratch(root: Path, tmp_path: Path, monkeypatch) -> dict[str, bytes]:
    """The pages of the project built into a fresh copy with no cache."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    # the built docs and site, not templates/site
    shutil.copytree(
        root, fresh, ignore=lambda folder, names: {"docs", "site"} & set(names) if Path(folder) == root else set()
    )
    with monkeypatch.context() as m:
        m.setenv("CROSSBRIEF_CACHE_DIR", "")
        outcome = build(fresh, with_site=False)
    assert not outcome.failed(strict=False), outcome.problems
    return docs(fresh)


def remembered(root: Path) -> dict[str, list]:
    """What the state saved by the last build says each page shows: its ids and fingerprint."""
    return pickle.loads(incremental._store(site.docs_dir(root), root).read()[b"state"])["pages"]


def taken_afresh(analysis) -> dict[str, list]:
    """What each page shows, as a build with no state before it finds it, in the state's form."""
    return {page: [i.deps, i.fingerprint] for page, i in incremental.page_inputs(analysis).items()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


PEOPLE, ORGS = "briefings/people", "briefings/organisations"
EDITS = [
    ("a dossier renamed", f"{PEOPLE}/ana-lima.yaml", "name: Ana Lima", "name: Ana Lima Costa"),
    ("a value changed", f"{PEOPLE}/ana-lima.yaml", "value: {min: 47, max: 49}", "value: {min: 47, max: 50}"),
    ("said by a dossier", f"{PEOPLE}/ana-lima.yaml", "said_by: a police spokesman", "said_by: wire-press"),
    ("a relation's target changed", f"{PEOPLE}/ana-lima.yaml", "value: dockers-union", "value: gazette"),
    ("a verdict changed", f"{PEOPLE}/ana-lima.yaml", "status: explained", "status: settled"),
    ("an alias added", f"{ORGS}/dockers-union.yaml", "aliases: [the union]", "aliases: [the union, Union officials]"),
    ("a name another's mention holds", f"{ORGS}/wire-press.yaml", "name: ", "aliases: [Dockers' Union called]\nname: "),
    ("an article's title", "sources/courier-2021-03-05.md", "title: “Some 1,200”", "title: “Some 1,300”"),
    ("an article's agency", "sources/courier-2021-03-05.md", "via: [wire-press]", "via: [gazette]"),
    ("an article's text", "sources/gazette-2021-03-04.md", "has led the union", "has led the Courier and the union"),
    ("a new mention", "sources/gazette-2021-03-04.md", "has led the union", "has led the union, Wire Press says,"),
    ("a relation's target renamed", f"{ORGS}/dockers-union.yaml", "name: Dockers' Union", "name: Velmar Dockers"),
    ("an agency renamed", f"{ORGS}/wire-press.yaml", "name: Wire Press", "name: Wire Press Agency"),
]


EVENT = "briefings/events/dravik-explosion.yaml"
IN_TIME_EDITS = [  # the gas plant fixture: statements on a speaker's page, origins merged, figures in time
    ("a statement given to another speaker", EVENT, "said_by: piotr-anders", "said_by: elena-varga"),
    ("a statement's quote", EVENT, "quote: eight people were now", "quote: that eight people were now"),
    ("a speaker's organisation", f"{PEOPLE}/piotr-anders.yaml", "value: dravik-police", "value: dravik-hospital"),
    ("a speaker no longer counted with it", f"{PEOPLE}/marta-kell.yaml", "property: works-for", "property: member-of"),
    (
        "an organisation renamed",
        f"{ORGS}/dravik-police.yaml",
        "name: Dravik regional police command",
        "name: Dravik police",
    ),
    ("a statement's speaker renamed", f"{PEOPLE}/elena-varga.yaml", "name: Elena Varga", "name: Elena Varga-Lind"),
    ("an article's date", "sources/courier-2026-03-03.md", "published: 2026-03-03 12:15", "published: 2026-02-28"),
    ("an as_of given", EVENT, "said_by: marta-kell", "said_by: marta-kell\n        as_of: 2026-03-01 18:00"),
]


COVERAGE_EDITS = [  # the coverage fixture: a source page marks the sentences no claim quotes, by how they bear on claims
    ("a claim an unquoted sentence conflicts with", "briefings/events/karvik-flood.yaml", "value: 12", "value: 30"),
    ("a name making a sentence name a dossier", f"{PEOPLE}/ida-strom.yaml", "aliases: [", "aliases: [Engineers, "),
]


WALKOUT = "briefings/events/kessel-walkout.yaml"
WALKOUT_EDITS = [  # the walkout fixture: a reprint dated by its agency's report, a union's speaker's statements
    (
        "an agency's report no longer holding a reprinted sentence",
        "sources/wire-2026-05-08.md",
        "told reporters at the gates that 300",
        "told reporters that 300",
    ),
    ("a statement of a speaker counted with an organisation", WALKOUT, "said_by: jon-barr", "said_by: ann-lee"),
]


@pytest.mark.parametrize(
    "fixture, what, rel, old, new",
    [("full", *e) for e in EDITS]
    + [("gasplant", *e) for e in IN_TIME_EDITS]
    + [("walkout", *e) for e in WALKOUT_EDITS]
    + [("coverage", *e) for e in COVERAGE_EDITS],
    ids=[e[0] for e in EDITS + IN_TIME_EDITS + WALKOUT_EDITS + COVERAGE_EDITS],
)
def test_a_rebuild_after_an_edit_matches_a_build_from_scratch(
    project, tmp_path, monkeypatch, fixture, what, rel, old, new
):
    root = project(fixture)
    assert not build(root, with_site=False).failed(strict=False)
    edit(root / rel, old, new)
    outcome = build(root, with_site=False)
    assert not outcome.failed(strict=False), outcome.problems
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)
    # and so will the next rebuild: the ids remembered for the pages not looked at again are still right
    assert remembered(root) == taken_afresh(outcome.analysis)


def test_edit_after_edit_every_rebuild_matches_a_build_from_scratch(project, tmp_path, monkeypatch):
    """Each rebuild starts from what the one before remembered, so what it carries over must stay right."""
    root = project("full")
    build(root, with_site=False)
    applied = 0
    for what, rel, old, new in EDITS:
        if old not in (root / rel).read_text("utf-8"):  # an earlier edit changed it
            continue
        edit(root / rel, old, new)
        outcome = build(root, with_site=False)
        assert not outcome.failed(strict=False), (what, outcome.problems)
        assert docs(root) == from_scratch(root, tmp_path, monkeypatch), what
        assert remembered(root) == taken_afresh(outcome.analysis), what
        applied += 1
    assert applied >= 10


def test_dossiers_added_and_removed(project, tmp_path, monkeypatch):
    root = project("full")
    build(root, with_site=False)
    added = root / PEOPLE / "union-officials.yaml"
    added.write_text("name: Union officials\nsummary: Quoted by [[courier-2021-03-05]].\n", "utf-8")
    build(root, with_site=False)
    assert "people/union-officials.md" in docs(root)
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)
    added.unlink()
    build(root, with_site=False)
    assert "people/union-officials.md" not in docs(root)
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)


def test_the_disagreements_page_is_kept_when_no_disputed_dossier_changed(project, tmp_path, monkeypatch):
    root = project("full")
    build(root, with_site=False)
    added = root / PEOPLE / "union-officials.yaml"
    added.write_text("name: Union officials\n", "utf-8")
    outcome = build(root, with_site=False)
    assert "disagreements.md" in outcome.kept
    # a disagreement in a dossier the page did not show: which disagreements there are changed
    added.write_text(
        "name: Union officials\nclaims:\n"
        "  - {id: pay-yes, property: strike-pay, value: 'yes', sources: [{source: courier-2021-03-05, quote: police said}]}\n"
        "  - {id: pay-no, property: strike-pay, value: 'no', sources: [{source: courier-2021-03-05, quote: NO strike pay}]}\n",
        "utf-8",
    )
    outcome = build(root, with_site=False)
    assert not outcome.failed(strict=False), outcome.problems
    assert "disagreements.md" in outcome.written
    assert "union-officials--strike-pay" in (site.docs_dir(root) / "disagreements.md").read_text("utf-8")
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)
    edit(
        root / "sources/courier-2021-03-05.md", "title: “Some 1,200”", "title: “Some 1,300”"
    )  # cited in a disagreement
    outcome = build(root, with_site=False)
    assert "disagreements.md" in outcome.written
    assert "Some 1,300" in (site.docs_dir(root) / "disagreements.md").read_text("utf-8")
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)


STRIKE_PAY = (
    "name: Union officials\nclaims:\n"
    "  - {id: pay-yes, property: strike-pay, value: 'yes', sources: [{source: courier-2021-03-05, quote: police said}]}\n"
    "  - {id: pay-no, property: strike-pay, value: 'no', sources: [{source: courier-2021-03-05, quote: NO strike pay}]}\n"
)


def test_the_disagreements_an_edit_cannot_change_are_taken_from_the_page_as_written(project, tmp_path, monkeypatch):
    root = project("full")
    (root / PEOPLE / "union-officials.yaml").write_text(STRIKE_PAY, "utf-8")
    build(root, with_site=False)
    page = site.docs_dir(root) / "disagreements.md"
    before = set(fragments.sections(page.read_text("utf-8")))
    assert "union-officials--strike-pay" in before and len(before) > 1
    edit(root / PEOPLE / "ana-lima.yaml", "status: explained", "status: settled")

    def reused() -> set[str]:
        return set(incremental.plan(inspect(root).analysis, site.docs_dir(root), page_options(True, False)).sections)

    assert reused() == {"union-officials--strike-pay"}
    right = from_scratch(root, tmp_path, monkeypatch)
    page.write_text(page.read_text("utf-8").replace("strike pay", "STRIKE PAY"), "utf-8")  # by hand: none is taken
    assert reused() == set()
    outcome = build(root, with_site=False)
    assert "disagreements.md" in outcome.written
    assert docs(root) == right


def test_each_disagreement_is_found_on_the_page_as_written_whatever_its_names(project, tmp_path):
    root = project("full")
    hostile = 'x {#gazette--age}\n\n<div class="cb-disagreement">\n</section>\n</div>\n</div>\n\n## y'
    (root / PEOPLE / "union-officials.yaml").write_text(
        STRIKE_PAY.replace("name: Union officials", f"name: {json.dumps(hostile)}"), "utf-8"
    )
    analysis = inspect(root).analysis
    page = conftest.rendered(analysis)["disagreements.md"]
    found = fragments.sections(page)
    assert sorted(found) == sorted(d.anchor for d in analysis.disagreements)
    assert "".join(found.values()) in page  # each whole, none overlapping another
    assert "&#123;&#35;gazette&#45;&#45;age&#125;" in found["union-officials--strike-pay"]


def test_a_retitled_article_retitles_the_pages_that_only_mention_it(project, tmp_path, monkeypatch):
    root = project("full")
    (root / PEOPLE / "union-officials.yaml").write_text("name: Union officials\n", "utf-8")  # named in the Courier
    build(root, with_site=False)
    edit(root / "sources/courier-2021-03-05.md", "title: “Some 1,200”", "title: “Some 1,300”")
    outcome = build(root, with_site=False)
    assert "people/union-officials.md" in outcome.written
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)


def test_a_dossier_moved_to_another_section_moves_the_links_to_it(project, tmp_path, monkeypatch):
    root = project("full")
    edit(root / ORGS / "gazette.yaml", "kind: outlet\n", "")  # a field people do not have
    build(root, with_site=False)
    (root / ORGS / "gazette.yaml").rename(root / PEOPLE / "gazette.yaml")
    outcome = build(root, with_site=False)
    assert not outcome.failed(strict=False), outcome.problems
    assert "sources/gazette-2021-03-04.md" in outcome.written
    assert b"people/gazette" in docs(root)["sources/gazette-2021-03-04.md"]
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)


def test_a_link_to_a_relation_follows_its_target(project, tmp_path, monkeypatch):
    """[[ana-lima#leads-union]] reads as the union's name, so renaming the union changes the linking page."""
    root = project("full")
    edit(root / ORGS / "courier.yaml", "name: ", "summary: Interviewed [[ana-lima#leads-union]].\nname: ")
    build(root, with_site=False)
    edit(root / ORGS / "dockers-union.yaml", "name: Dockers' Union", "name: Velmar Dockers")
    outcome = build(root, with_site=False)
    assert "organisations/courier.md" in outcome.written
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)


def seed(tmp_path: Path) -> Path:
    root = tmp_path / "seed"
    for folder in ("briefings", "sources"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_an_edit_renders_only_the_pages_that_show_what_changed(tmp_path, monkeypatch):
    root = seed(tmp_path)
    first = build(root, with_site=False)
    assert first.kept == ()
    dossier = sorted((root / PEOPLE).glob("*.yaml"))[0]
    edit(dossier, "name: ", "name: Dr ")
    again = build(root, with_site=False)
    page = f"people/{dossier.stem}.md"
    assert page in again.written and page not in again.kept
    assert len(again.kept) > 40, again.kept
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)


def test_a_page_changed_by_hand_is_rendered_again(project):
    root = project("full")
    build(root, with_site=False)
    page = site.docs_dir(root) / "organisations" / "gazette.md"
    right = page.read_bytes()
    page.write_text("tampered", "utf-8")
    outcome = build(root, with_site=False)
    assert "organisations/gazette.md" in outcome.written
    assert page.read_bytes() == right


def test_without_a_cache_everything_is_rendered(project, monkeypatch):
    monkeypatch.setenv("CROSSBRIEF_CACHE_DIR", "")
    root = project("full")
    build(root, with_site=False)
    assert build(root, with_site=False).kept == ()


def test_a_damaged_state_renders_everything(project, monkeypatch, tmp_path):
    monkeypatch.setenv("CROSSBRIEF_CACHE_DIR", str(tmp_path / "cache"))
    root = project("full")
    build(root, with_site=False)
    [state] = (tmp_path / "cache" / "pages").glob("*.pickle")
    store = Store(state, "pages")
    damaged = pickle.loads(store.read()[b"state"])
    damaged["pages"] = dict.fromkeys(damaged["pages"], 3)  # a state of another shape, as written by crossbrief
    store.write({b"state": pickle.dumps(damaged)})
    assert build(root, with_site=False).kept == ()
    state.write_bytes(b"\xff\x00 not a pickle")
    assert build(root, with_site=False).kept == ()


def test_a_projects_own_templates_are_rendered_again_on_every_rebuild(project, tmp_path, monkeypatch):
    """A project's template may show anything on any page, which no list of what a shipped page shows covers."""
    root = project("full")
    (root / "templates" / "site").mkdir(parents=True)
    shipped = (REPO / "crossbrief" / "templates" / "site" / "dossier.md.j2").read_text("utf-8")
    (root / "templates" / "site" / "dossier.md.j2").write_text(
        "Dossiers in the project: {{ a.project.dossiers | length }}\n\n" + shipped, "utf-8"
    )
    build(root, with_site=False)
    count = len(build(root, with_site=False).analysis.project.dossiers)
    assert f"Dossiers in the project: {count}" in (site.docs_dir(root) / "people" / "ana-lima.md").read_text("utf-8")
    (root / PEOPLE / "union-officials.yaml").write_text("name: Union officials\n", "utf-8")
    outcome = build(root, with_site=False)
    assert not outcome.failed(strict=False), outcome.problems
    assert f"Dossiers in the project: {count + 1}" in (site.docs_dir(root) / "people" / "ana-lima.md").read_text(
        "utf-8"
    )
    assert docs(root) == from_scratch(root, tmp_path, monkeypatch)

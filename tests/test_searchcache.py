"""The names found in each source are remembered across builds, and a build that uses them finds what one
searching every source finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossbrief.analyse import analyse, searchcache
from crossbrief.analyse.mentions import Names
from crossbrief.infra.store import Store
from crossbrief.load import load

TEXTS = {
    "s1": "Jo Bloggs, 46, left for Paris. Officials said Mr Bloggs flew via Ankara.",
    "s2": "The Wire Service reported it first. Bloggs was not reached.",
    "s3": "Nobody here is named; only Ankara and Paris are.",
}
DOSSIERS = {
    "people/jo.yaml": "name: Jo Bloggs\naliases: [Mr Bloggs]\n",
    "organisations/wire.yaml": "name: Wire\n",
    "organisations/bloggs-co.yaml": "name: Bloggs\n",
}


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")


@pytest.fixture
def root(tmp_path):
    write(tmp_path, {f"briefings/{rel}": text for rel, text in DOSSIERS.items()})
    write(
        tmp_path,
        {
            f"sources/{sid}.md": f"---\ntitle: {sid}\noutlet: wire\npublished: 2020-01-01\n---\n{text}\n"
            for sid, text in TEXTS.items()
        },
    )
    return tmp_path


def to_search(root: Path) -> set[str]:
    """The sources a build of the project as it is now would search for names."""
    project, _ = load(root)
    return {s.id for s in searchcache.recall(project, Names(project), searchcache.Texts(project.sources)).todo}


def mentions_without_cache(root: Path, monkeypatch) -> dict:
    with monkeypatch.context() as m:
        m.setenv("CROSSBRIEF_CACHE_DIR", "")
        return analyse(load(root)[0]).mentions


EDITS = [
    ("a name renamed", "briefings/people/jo.yaml", "name: Jo Bloggs", "name: Joanna Bloggs", {"s1"}),
    (
        "an alias that is another's name",
        "briefings/organisations/wire.yaml",
        "name: Wire\n",
        "name: Wire\naliases: [Bloggs]\n",
        set(),
    ),
    (
        "a longer name over a shorter one",
        "briefings/organisations/wire.yaml",
        "name: Wire\n",
        "name: Wire\naliases: [Wire Service]\n",
        {"s2"},
    ),
    (
        "a name that hid a shorter one removed",
        "briefings/people/jo.yaml",
        "aliases: [Mr Bloggs]",
        "aliases: []",
        {"s1"},
    ),
    ("a source's text", "sources/s3.md", "Nobody here", "Jo Bloggs", {"s3"}),
    (
        "a name found nowhere",
        "briefings/organisations/wire.yaml",
        "name: Wire\n",
        "name: Wire\naliases: [Reuters]\n",
        set(),
    ),
]


@pytest.mark.parametrize("what, rel, old, new, searched", EDITS, ids=[e[0] for e in EDITS])
def test_after_an_edit_only_the_sources_holding_a_changed_name_are_searched(
    root, monkeypatch, what, rel, old, new, searched
):
    analyse(load(root)[0])
    assert to_search(root) == set()
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    assert to_search(root) == searched
    assert analyse(load(root)[0]).mentions == mentions_without_cache(root, monkeypatch)
    assert to_search(root) == set()


def test_an_alias_shared_by_two_dossiers_names_both_from_the_cache(root, monkeypatch):
    analyse(load(root)[0])
    write(root, {"briefings/organisations/wire.yaml": "name: Wire\naliases: [Mr Bloggs]\n"})
    assert to_search(root) == set()  # the names in the texts are the same; only who they name changed
    mentions = analyse(load(root)[0]).mentions
    assert [m.name for m in mentions["wire"] if m.source == "s1"] == ["Mr Bloggs"]
    assert mentions == mentions_without_cache(root, monkeypatch)


def test_a_damaged_cache_is_searched_again(root, monkeypatch):
    analyse(load(root)[0])
    stored = Store.of(root, "found").path
    stored.write_bytes(stored.read_bytes()[:-10])
    assert to_search(root) == {"s1", "s2", "s3"}
    assert analyse(load(root)[0]).mentions == mentions_without_cache(root, monkeypatch)


def test_a_quote_is_looked_for_again_when_its_source_changes(root):
    write(
        root,
        {
            "briefings/people/jo.yaml": DOSSIERS["people/jo.yaml"]
            + "claims:\n  - {id: went, property: role, value: traveller, "
            "sources: [{source: s1, quote: left for Paris}]}\n"
        },
    )
    [passage] = analyse(load(root)[0]).passages["s1"]
    assert (passage.start, passage.end) == (15, 29)
    write(root, {"sources/s1.md": (root / "sources/s1.md").read_text("utf-8").replace("Jo Bloggs, 46,", "Jo, 46,")})
    [passage] = analyse(load(root)[0]).passages["s1"]
    assert (passage.start, passage.end) == (8, 22)
    write(root, {"sources/s1.md": (root / "sources/s1.md").read_text("utf-8").replace("Paris", "Rome")})
    assert analyse(load(root)[0]).passages["s1"] == ()


def test_a_build_that_found_nothing_new_leaves_the_store_as_it_was(root):
    analyse(load(root)[0])
    stored = Store.of(root, "found").path
    before = stored.stat()
    analyse(load(root)[0])
    after = stored.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)

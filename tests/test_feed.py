"""The Changes page as an Atom feed: valid per RFC 4287's schema, an entry per commit linking to the claims it
changed, found from every page; and stable anchors a reader can copy for each claim and disagreement."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import lxml.etree as et
import pytest
import rnc2rng
from conftest import FIXTURES
from gitutil import GitProject

from crossbrief.cli import main

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def schema() -> et.RelaxNG:
    """RFC 4287's grammar (its Appendix B, in compact syntax) for lxml."""
    rng = rnc2rng.dumps(rnc2rng.load(str(Path(__file__).parent / "schemas" / "atom.rnc")))
    # rnc2rng declares the empty "local" prefix it never uses (its names spell ns=""): XML allows no such prefix
    return et.RelaxNG(et.fromstring(rng.replace('xmlns:local=""', "").encode()))


def committed(folder: Path, site_url: str = "") -> GitProject:
    """The full fixture in git: a first commit, then one adding a claim and one changing a verdict."""
    root = folder / "harbour"
    shutil.copytree(FIXTURES / "full", root)
    shutil.copy(Path(__file__).parent.parent / "crossbrief" / "data" / "mkdocs.yml", root / "mkdocs.yml")
    if site_url:
        text = (root / "mkdocs.yml").read_text("utf-8")
        (root / "mkdocs.yml").write_text(
            text.replace("site_name: Briefing\n", f"site_name: Briefing\nsite_url: {site_url}\n")
        )
    repo = GitProject(root)
    repo.commit("The harbour strike, first version")
    repo.edit(
        "briefings/people/ana-lima.yaml",
        "claims:\n",
        "claims:\n  - id: role-leader\n    property: role\n    value: union leader\n    sources:\n"
        "      - source: gazette-2021-03-04\n        quote: Ana Lima, who leads the Dockers' Union\n",
    )
    repo.commit("Ana Lima's role, <from the Gazette> & more")
    return repo


def feed(site: Path, schema: et.RelaxNG) -> et._Element:
    tree = et.parse(str(site / "changes.xml"))
    assert schema.validate(tree), schema.error_log
    root = tree.getroot()
    # RFC 4287's two Schematron rules: every entry has an author, and an alternate link or content
    for entry in root.iter(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    return root


def test_the_changes_feed_is_valid_atom_with_an_entry_per_commit_linking_to_the_claims(tmp_path, schema):
    repo = committed(tmp_path)
    assert main(["build", str(repo.root), "--no-pdf"]) == 0
    site = repo.root / "site"
    root = feed(site, schema)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Ana Lima's role, <from the Gazette> & more",
        "The harbour strike, first version",
    ]
    newest = entries[0]
    assert newest.findtext(f"{ATOM}updated") == "2024-03-02T10:00:00+00:00"
    assert root.findtext(f"{ATOM}updated") == newest.findtext(f"{ATOM}updated")
    assert newest.findtext(f"{ATOM}id").startswith("urn:uuid:")
    alternate = newest.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == f"changes.html#commit-{repo.commits[-1][:7]}"
    assert f'id="commit-{repo.commits[-1][:7]}"' in (site / "changes.html").read_text("utf-8")
    # the content is HTML (escaped in the feed) linking to the claim it added, relative to the feed
    content = newest.findtext(f"{ATOM}content")
    assert newest.find(f"{ATOM}content").get("type") == "html"
    links = re.findall(r'href="([^"]+)"', content)
    assert "people/ana-lima.html#claim-role-leader" in links
    assert 'id="claim-role-leader"' in (site / "people" / "ana-lima.html").read_text("utf-8")
    # ids are stable: a rebuild gives the same feed
    before = (site / "changes.xml").read_bytes()
    assert main(["build", str(repo.root), "--no-pdf"]) == 0
    assert (site / "changes.xml").read_bytes() == before


def test_every_page_links_to_the_feed_in_its_head(tmp_path):
    repo = committed(tmp_path)
    assert main(["build", str(repo.root), "--no-pdf"]) == 0
    site = repo.root / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        head = page.read_text("utf-8").split("</head>")[0]
        found = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', head)
        assert len(found) == 1, page
        target = urljoin(page.relative_to(site).as_posix(), found[0])
        assert target == "changes.xml", page


def test_with_a_site_url_the_feed_links_and_ids_are_absolute(tmp_path, schema):
    repo = committed(tmp_path, "https://briefings.example.org/harbour")
    assert main(["build", str(repo.root), "--no-pdf"]) == 0
    root = feed(repo.root / "site", schema)
    assert root.findtext(f"{ATOM}id") == "https://briefings.example.org/harbour/changes.xml"
    entry = root.find(f"{ATOM}entry")
    assert (
        entry.findtext(f"{ATOM}id")
        == f"https://briefings.example.org/harbour/changes.html#commit-{repo.commits[-1][:7]}"
    )
    assert root.get("{http://www.w3.org/XML/1998/namespace}base") == "https://briefings.example.org/harbour/"


def test_without_history_the_feed_is_valid_and_empty(tmp_path, schema):
    root = tmp_path / "harbour"
    shutil.copytree(FIXTURES / "full", root)
    assert main(["build", str(root), "--no-pdf"]) == 0
    assert feed(root / "site", schema).findall(f"{ATOM}entry") == []


def test_each_claim_and_disagreement_has_a_link_to_copy(tmp_path):
    root = tmp_path / "harbour"
    shutil.copytree(FIXTURES / "full", root)
    assert main(["build", str(root), "--no-pdf"]) == 0
    person = (root / "site" / "people" / "ana-lima.html").read_text("utf-8")
    for claim in ("leads-union", "age-late-40s", "age-mid-40s", "born"):
        assert f'<div class="cb-claim" id="claim-{claim}">' in person
        assert f'<a class="cb-permalink" href="#claim-{claim}"' in person
    disagreements = (root / "site" / "disagreements.html").read_text("utf-8")
    assert re.search(r'<h2 id="ana-lima--age">.*<a class="headerlink" href="#ana-lima--age"', disagreements)

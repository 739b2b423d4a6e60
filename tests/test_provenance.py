"""Provenance from git: who added and changed each claim, revision dates, the Changes page, export;
and everything without it outside a repository."""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest
from conftest import rendered
from gitutil import AUTHORS, GitProject, scenario
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from crossbrief import site
from crossbrief.build import inspect
from crossbrief.infra import fork
from crossbrief.review import compare, provenance
from crossbrief.review.provenance import attach, history


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> GitProject:
    return scenario(tmp_path_factory.mktemp("provenance") / "briefing")


def line(h) -> tuple:
    return (h.added.short, h.added.author, h.added.day, h.changed.short, h.changed.author, h.changed.day, h.uncommitted)


def test_each_claim_knows_who_added_and_changed_it(repo):
    a = inspect(repo.root).analysis
    h = history(repo.root, a)
    c = [sha[:7] for sha in repo.commits]
    ana, ben = AUTHORS
    assert {ref: line(x) for ref, x in h.claims.items()} == {
        "jane-roe#age-49": (c[3], ben, "2024-03-04", c[4], ana, "2024-03-05", False),  # added, then its quote fixed
        "jane-roe#age-52": (c[0], ana, "2024-03-01", c[0], ana, "2024-03-01", False),
        "jane-roe#role-minister": (c[0], ana, "2024-03-01", c[2], ana, "2024-03-03", False),  # value changed
        # the dossier was renamed in c[5]: the claim keeps its history under the new id
        "ministry-of-finance#no-comment": (c[1], ben, "2024-03-02", c[1], ben, "2024-03-02", False),
    }
    assert {path: x.short for path, x in h.files.items()} == {
        "briefings/organisations/ministry-of-finance.yaml": c[5],
        "briefings/organisations/post.yaml": c[0],
        "briefings/organisations/wire.yaml": c[0],
        "briefings/people/jane-roe.yaml": c[4],
        "briefings/resignation.yaml": c[0],
        "sources/post-2020-01-03.md": c[0],
        "sources/wire-2020-01-02.md": c[0],
    }
    assert [(commit.subject, d.counts() and sorted(d.counts())) for commit, d in h.changes] == [
        ("Rename the ministry", ["dossiers"]),
        ("Fix the Post quote", ["claims", "problems"]),
        ("Age according to the Post", ["claims", "disagreements", "problems"]),
        ("Role: finance minister", ["claims"]),
        ("Add the ministry", ["claims", "dossiers"]),
        ("Initial briefing", ["briefings", "claims", "dossiers", "sources"]),
    ]
    assert [commit.subject for commit, _ in history(repo.root, a, limit=2).changes] == [
        "Rename the ministry",
        "Fix the Post quote",
    ]


def test_uncommitted_changes_and_new_claims(tmp_path):
    g = scenario(tmp_path / "p")
    g.edit("briefings/people/jane-roe.yaml", "value: 52", "value: 53")
    g.edit(
        "briefings/organisations/wire.yaml",
        "kind: news-agency\n",
        "kind: news-agency\nclaims:\n"
        "  - {id: hq, property: headquarters, value: Paris, sources: [{source: wire-2020-01-02, quote: Jane Roe}]}\n",
    )
    h = history(g.root, inspect(g.root).analysis)
    assert h.claims["jane-roe#age-52"].uncommitted
    assert not h.claims["jane-roe#age-49"].uncommitted
    assert "wire#hq" not in h.claims  # never committed: no provenance


def test_a_claim_removed_and_added_again_is_new(tmp_path):
    g = scenario(tmp_path / "p")
    original = (g.root / "briefings/people/jane-roe.yaml").read_text()
    g.write({"briefings/people/jane-roe.yaml": original.replace("  - id: age-52", "  - id: age-52-gone")})
    g.commit("Claim renamed")
    g.write({"briefings/people/jane-roe.yaml": original})
    g.commit("Claim back", author=AUTHORS[1])
    h = history(g.root, inspect(g.root).analysis)
    assert line(h.claims["jane-roe#age-52"])[:3] == (g.commits[-1][:7], AUTHORS[1], "2024-03-08")


def test_site_pages_show_provenance_and_changes(repo, tmp_path):
    pages = rendered(attach(inspect(repo.root).analysis))
    c = [sha[:7] for sha in repo.commits]
    jane = pages["people/jane-roe.md"]
    assert jane.startswith('---\nrevision_date: "5\xa0March\xa02024"\n')  # Material shows it as it is
    assert (
        '<details class="cb-provenance"><summary>History</summary>'
        f'<span title="{c[3]}: Age according to the Post">added <time datetime="2024-03-04">4\xa0March\xa02024</time> '
        f'by Ben Reviewer</span>, <span title="{c[4]}: Fix the Post quote">changed <time datetime="2024-03-05">'
        "5\xa0March\xa02024</time> by Ana Editor</span></details>"
    ) in jane
    assert (
        f'<span title="{c[0]}: Initial briefing">added <time datetime="2024-03-01">1\xa0March\xa02024</time> '
        "by Ana Editor</span></details>"
    ) in jane
    assert pages["sources/wire-2020-01-02.md"].startswith('---\nrevision_date: "1\xa0March\xa02024"\n')
    changes = pages["changes.md"]
    assert changes.startswith("# Changes\n")
    assert f"## Rename the ministry {{#commit-{c[5]}}}" in changes
    assert (
        f'<p class="cb-meta"><code>{c[5]}</code> · Ben Reviewer · <time datetime="2024-03-06">6\xa0March\xa02024</time></p>'
    ) in changes
    assert (
        '<li><span class="cb-change-kind cb-change-renamed">renamed</span> <code>finance-ministry</code> → '
        '<a href="organisations/ministry-of-finance.html">Ministry of Finance</a>'
    ) in changes
    assert (
        '<li><span class="cb-meta">Quote (The Post, 3\xa0January\xa02020):</span> <del>Jane Roe, 49, stood down</del> → '
        "<ins>Jane Roe, 49, stepped down</ins></li>"
    ) in changes
    assert (
        '<span class="cb-change-kind cb-change-removed">fixed</span> <code lang="en">briefings/people/jane-roe.yaml:21:16: '
        "error[E203]: quote not found in source post-2020-01-03</code>" in changes
    )
    assert changes.count("\n## ") == 6


def test_the_site_builds_strictly_with_history(repo, cli, tmp_path):
    assert cli("generate", repo.root).status == 0
    config = load_config(
        str(site.config_file(repo.root)),
        docs_dir=str(repo.root / "docs"),
        site_dir=str(tmp_path / "strict"),
        strict=True,
    )
    mkdocs_build(config)
    html = (tmp_path / "strict" / "people" / "jane-roe.html").read_text()
    assert "2024-03-05" in html and "md-source-file" in html  # Material's "last update", with no plugin
    assert "Rename the ministry" in (tmp_path / "strict" / "changes.html").read_text()


def test_hostile_commit_subjects_and_authors_reach_the_page_as_text(tmp_path):
    g = GitProject(tmp_path / "p")
    g.write(
        {
            "briefings/people/x.yaml": "name: X\nclaims: [{id: a, property: role, value: b, sources: [{source: s, quote: q}]}]\n"
        }
    )
    g.commit("<script>alert(1)</script> [link](javascript:alert(1)) **bold**", author='Eve & "Co" onmouseover=x')
    pages = rendered(attach(inspect(g.root).analysis))
    assert "<script>" not in pages["changes.md"] and "](javascript" not in pages["changes.md"]
    assert "## &#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62; &#91;link&#93;" in pages["changes.md"]
    assert 'Eve &amp; &#34;Co&#34; onmouseover=x · <time datetime="2024-03-01">' in pages["changes.md"]
    assert 'title="' + g.commits[0][:7] + ": &lt;script&gt;alert(1)&lt;/script&gt;" in pages["people/x.md"]


def test_export_includes_provenance(repo, cli):
    data = json.loads(cli("export", repo.root).out)
    jane = next(d for d in data["dossiers"] if d["id"] == "jane-roe")
    assert jane["revision_date"] == "2024-03-05"
    age = next(c for c in jane["claims"] if c["id"] == "age-49")
    assert age["provenance"] == {
        "added": {
            "commit": repo.commits[3],
            "author": "Ben Reviewer",
            "date": "2024-03-04T10:00:00+00:00",
            "subject": "Age according to the Post",
        },
        "changed": {
            "commit": repo.commits[4],
            "author": "Ana Editor",
            "date": "2024-03-05T10:00:00+00:00",
            "subject": "Fix the Post quote",
        },
        "uncommitted": False,
    }


def test_without_git_everything_builds_without_history(project, cli, monkeypatch, repo):
    root = project("minimal")
    assert history(root, inspect(root).analysis) is None
    assert cli("build", root).status == 0
    assert "No history to show" in (root / "docs" / "changes.md").read_text()
    assert not (root / "docs" / "people" / "jane-roe.md").read_text().startswith("---\nrevision_date")
    assert json.loads(cli("export", root).out)["dossiers"][0]["claims"][0]["provenance"] is None
    monkeypatch.setenv("CROSSBRIEF_NO_HISTORY", "1")
    assert history(repo.root, inspect(repo.root).analysis) is None
    monkeypatch.setenv("PATH", "/nonexistent")  # no git at all
    monkeypatch.delenv("CROSSBRIEF_NO_HISTORY")
    assert history(repo.root, inspect(repo.root).analysis) is None


def test_a_shallow_clone_or_an_empty_repository_has_no_history(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    assert history(clone, inspect(clone).analysis) is None
    empty = GitProject(tmp_path / "empty")
    empty.write({"briefings/people/x.yaml": "name: X\n"})
    assert history(empty.root, inspect(empty.root).analysis) is None


def test_a_project_in_a_subfolder_of_its_repository(tmp_path):
    g = GitProject(tmp_path / "repo")
    g.write(
        {
            "briefing/briefings/people/x.yaml": "name: X\nclaims:\n  - {id: a, property: role, value: b, "
            "sources: [{source: s, quote: X is b}]}\n",
            "briefing/sources/s.md": "---\ntitle: S\noutlet: x\npublished: 2020-01-01\n---\nX is b\n",
            "other.txt": "x",
        }
    )
    g.commit("Add X")
    root = g.root / "briefing"
    h = history(root, inspect(root).analysis)
    assert list(h.claims) == ["x#a"] and list(h.files) == ["briefings/people/x.yaml", "sources/s.md"]
    assert [sorted(d.counts()) for _, d in h.changes] == [["claims", "dossiers", "sources"]]
    (root / "briefings/people/x.yaml").write_text("name: Y\n")
    changes, old, new = compare(root)
    assert [(c.kind, c.key) for c in changes.dossiers + changes.claims] == [("changed", "x"), ("removed", "x#a")]


def test_a_second_build_reads_the_history_and_the_diffs_from_the_cache(tmp_path, monkeypatch):
    """The history up to a commit and a commit's diff never change: a rebuild computes neither again,
    a new commit costs its own diff and a replay, and the pages are those of a build with no cache."""
    monkeypatch.setenv("CROSSBRIEF_CACHE_DIR", str(tmp_path / "cache"))
    g = scenario(tmp_path / "p")
    calls = []
    real_walk, real_diff = provenance._walk, provenance._commit_diff
    monkeypatch.setattr(
        provenance, "_walk", lambda repo, log, *args: calls.append(("replay", len(log))) or real_walk(repo, log, *args)
    )
    monkeypatch.setattr(provenance, "_commit_diff", lambda *args: calls.append("diff") or real_diff(*args))

    def pages(cache=str(tmp_path / "cache")):
        monkeypatch.setenv("CROSSBRIEF_CACHE_DIR", cache)
        monkeypatch.setattr(provenance, "_DIFFS", {})  # a new process
        calls.clear()
        return rendered(attach(inspect(g.root).analysis))

    first = pages()
    assert calls.count(("replay", len(g.commits))) == 1 and calls.count("diff") == len(g.commits)
    assert pages() == first and calls == []
    g.edit("briefings/people/jane-roe.yaml", "value: 52", "value: 53")
    g.commit("Age: 53")
    again = pages()
    assert calls == [("replay", 1), "diff"]  # only the new commit
    assert pages(cache="") == again and "Age: 53" in again["changes.md"]
    # a history rewritten is replayed from the start
    g.git("reset", "-q", "--hard", "HEAD~2")
    g.edit("briefings/people/jane-roe.yaml", "value: 52", "value: 54")
    g.commit("Age: 54")
    rewritten = pages()
    assert ("replay", len(g.commits) - 2) in calls
    assert (
        pages(cache="") == rewritten
        and "Age: 54" in rewritten["changes.md"]
        and "Age: 53" not in rewritten["changes.md"]
    )


def test_a_damaged_history_cache_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSBRIEF_CACHE_DIR", str(tmp_path / "cache"))
    g = scenario(tmp_path / "p")
    monkeypatch.setattr(provenance, "_DIFFS", {})
    first = rendered(attach(inspect(g.root).analysis))
    stores = sorted(p for p in (tmp_path / "cache").glob("*.pickle") if p.name.split(".")[1] in ("diffs", "history"))
    assert len(stores) == 2
    for path in stores:
        data = bytearray(path.read_bytes())
        data[-10] ^= 0xFF
        path.write_bytes(bytes(data))
    monkeypatch.setattr(provenance, "_DIFFS", {})
    assert rendered(attach(inspect(g.root).analysis)) == first


def test_commit_diffs_made_on_two_cores_are_those_made_on_one(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSBRIEF_CACHE_DIR", "")
    g = scenario(tmp_path / "p")
    a = inspect(g.root).analysis
    monkeypatch.setattr(provenance, "_DIFFS", {})
    one = history(g.root, a).changes
    monkeypatch.setattr(fork, "MINIMUM", 2)
    monkeypatch.setattr(provenance, "_DIFFS", {})
    parent, made_by, started = os.getpid(), [], tmp_path / "child started"
    real = provenance._commit_diff

    def spy(*args):
        if os.getpid() != parent:
            started.touch()
        elif not made_by:  # so that the parent cannot make them all before the child begins
            for _ in range(2000):
                if started.exists():
                    break
                time.sleep(0.005)
        made_by.append(os.getpid() == parent)
        return real(*args)

    monkeypatch.setattr(provenance, "_commit_diff", spy)
    assert history(g.root, a).changes == one
    assert 0 < len(made_by) < len(one)  # the child made the others

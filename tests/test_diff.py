"""`crossbrief diff`: the review scenario step by step in each format, the working tree,
hostile revisions, and the diff of a revision with itself."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from gitutil import INITIAL, GitProject, scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossbrief.analyse import analyse
from crossbrief.load import load
from crossbrief.review import compare, gitrepo
from crossbrief.review.diff import diff

STEPS = [
    """\
crossbrief diff: main~5 (@0) -> main~4 (@1)
dossiers: 1 added; claims: 1 added

Dossiers
  + finance-ministry: Ministry of Finance

Claims
  + finance-ministry#no-comment: Description: Declined to comment
      citation: wire-2020-01-02: “The Ministry of Finance declined to comment”
""",
    """\
crossbrief diff: main~4 (@1) -> main~3 (@2)
claims: 1 changed

Claims
  ~ jane-roe#role-minister: Role: finance minister
      value: minister -> finance minister
""",
    """\
crossbrief diff: main~3 (@2) -> main~2 (@3)
claims: 1 added; disagreements: 1 appeared; problems: 1 introduced

Claims
  + jane-roe#age-49: Age: 49
      citation: post-2020-01-03: “Jane Roe, 49, stood down”

Disagreements
  + jane-roe:age: Jane Roe: Age (open): 49 / 52

Problems
  + briefings/people/jane-roe.yaml:21:16: error[E203]: quote not found in source post-2020-01-03
      hint: closest passage (83%): "Jane Roe, 49, stepped down"
""",
    """\
crossbrief diff: main~2 (@3) -> main~1 (@4)
claims: 1 changed; problems: 1 fixed

Claims
  ~ jane-roe#age-49: Age: 49
      quote (post-2020-01-03): Jane Roe, 49, stood down -> Jane Roe, 49, stepped down

Problems
  - briefings/people/jane-roe.yaml:21:16: error[E203]: quote not found in source post-2020-01-03
""",
    """\
crossbrief diff: main~1 (@4) -> main~0 (@5)
dossiers: 1 renamed

Dossiers
  > finance-ministry -> ministry-of-finance: Ministry of Finance
""",
]

MARKDOWN = [
    """\
### Briefing changes: main\\~5 \\(@0\\) → main\\~4 \\(@1\\)

**Dossiers:** 1 added · **Claims:** 1 added

#### Dossiers

- **added** `finance-ministry`: Ministry of Finance

#### Claims

- **added** `finance-ministry#no-comment`: Description: Declined to comment
  - citation: wire-2020-01-02: “The Ministry of Finance declined to comment”
""",
    """\
### Briefing changes: main\\~4 \\(@1\\) → main\\~3 \\(@2\\)

**Claims:** 1 changed

#### Claims

- **changed** `jane-roe#role-minister`: Role: finance minister
  - value: minister → finance minister
""",
    """\
### Briefing changes: main\\~3 \\(@2\\) → main\\~2 \\(@3\\)

**Claims:** 1 added · **Disagreements:** 1 appeared · **Problems:** 1 introduced

#### Claims

- **added** `jane-roe#age-49`: Age: 49
  - citation: post-2020-01-03: “Jane Roe, 49, stood down”

#### Disagreements

- **appeared** `jane-roe:age`: Jane Roe: Age \\(open\\): 49 / 52

#### Problems

- **introduced** `briefings/people/jane-roe.yaml:21:16`: error\\[E203\\]: quote not found in source post-2020-01-03
  - hint: closest passage \\(83%\\): "Jane Roe, 49, stepped down"
""",
    """\
### Briefing changes: main\\~2 \\(@3\\) → main\\~1 \\(@4\\)

**Claims:** 1 changed · **Problems:** 1 fixed

#### Claims

- **changed** `jane-roe#age-49`: Age: 49
  - quote \\(post-2020-01-03\\): Jane Roe, 49, stood down → Jane Roe, 49, stepped down

#### Problems

- **fixed** `briefings/people/jane-roe.yaml:21:16`: error\\[E203\\]: quote not found in source post-2020-01-03
""",
    """\
### Briefing changes: main\\~1 \\(@4\\) → main\\~0 \\(@5\\)

**Dossiers:** 1 renamed

#### Dossiers

- **renamed** `finance-ministry` → `ministry-of-finance`: Ministry of Finance
""",
]


def change(kind, key, label, old_key=None, fields=()):
    old = key if old_key is None and kind != "added" else (old_key or "")
    return {
        "kind": kind,
        "key": key,
        "old_key": old,
        "label": label,
        "fields": [{"name": n, "old": o, "new": w} for n, o, w in fields],
    }


JSON = [
    {
        "summary": "dossiers: 1 added; claims: 1 added",
        "dossiers": [change("added", "finance-ministry", "Ministry of Finance")],
        "claims": [
            change(
                "added",
                "finance-ministry#no-comment",
                "Description: Declined to comment",
                fields=[("citation", "", "wire-2020-01-02: “The Ministry of Finance declined to comment”")],
            )
        ],
    },
    {
        "summary": "claims: 1 changed",
        "claims": [
            change(
                "changed",
                "jane-roe#role-minister",
                "Role: finance minister",
                fields=[("value", "minister", "finance minister")],
            )
        ],
    },
    {
        "summary": "claims: 1 added; disagreements: 1 appeared; problems: 1 introduced",
        "claims": [
            change(
                "added",
                "jane-roe#age-49",
                "Age: 49",
                fields=[("citation", "", "post-2020-01-03: “Jane Roe, 49, stood down”")],
            )
        ],
        "disagreements": [change("added", "jane-roe:age", "Jane Roe: Age (open): 49 / 52")],
        "problems": [
            change(
                "added",
                "briefings/people/jane-roe.yaml:21:16",
                "error[E203]: quote not found in source post-2020-01-03",
                fields=[("hint", "", 'closest passage (83%): "Jane Roe, 49, stepped down"')],
            )
        ],
    },
    {
        "summary": "claims: 1 changed; problems: 1 fixed",
        "claims": [
            change(
                "changed",
                "jane-roe#age-49",
                "Age: 49",
                fields=[("quote (post-2020-01-03)", "Jane Roe, 49, stood down", "Jane Roe, 49, stepped down")],
            )
        ],
        "problems": [
            change(
                "removed",
                "briefings/people/jane-roe.yaml:21:16",
                "error[E203]: quote not found in source post-2020-01-03",
            )
        ],
    },
    {
        "summary": "dossiers: 1 renamed",
        "dossiers": [change("renamed", "ministry-of-finance", "Ministry of Finance", old_key="finance-ministry")],
    },
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> GitProject:
    return scenario(tmp_path_factory.mktemp("review") / "briefing")


def anonymised(g: GitProject, text: str) -> str:
    """Commit ids as @0, @1...: they are deterministic, but the expectations read better without them."""
    for i, sha in enumerate(g.commits):
        text = text.replace(sha, f"@{i}").replace(sha[:7], f"@{i}")
    return text


@pytest.mark.parametrize("step", range(5))
def test_each_step_as_text(cli, repo, step):
    run = cli("diff", f"main~{5 - step}", f"main~{4 - step}", "-C", repo.root)
    assert (run.status, run.err) == (0, "")
    assert anonymised(repo, run.out) == STEPS[step]


@pytest.mark.parametrize("step", range(5))
def test_each_step_as_markdown(cli, repo, step):
    run = cli("diff", f"main~{5 - step}", f"main~{4 - step}", "--format", "markdown", "-C", repo.root)
    assert (run.status, run.err) == (0, "")
    assert anonymised(repo, run.out) == MARKDOWN[step]


@pytest.mark.parametrize("step", range(5))
def test_each_step_as_json(cli, repo, step):
    run = cli("diff", f"main~{5 - step}", f"main~{4 - step}", "--format", "json", "-C", repo.root)
    assert (run.status, run.err) == (0, "")
    assert run.out == json.dumps(json.loads(run.out), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    sections = ("briefings", "claims", "disagreements", "dossiers", "problems", "sources", "verdicts")
    expected = {
        "format": 1,
        "empty": False,
        "summary": JSON[step]["summary"],
        "base": {"label": f"main~{5 - step} (@{step})", "revision": f"main~{5 - step}", "commit": f"@{step}"},
        "head": {"label": f"main~{4 - step} (@{step + 1})", "revision": f"main~{4 - step}", "commit": f"@{step + 1}"},
        "changes": {s: JSON[step].get(s, []) for s in sections},
    }
    assert json.loads(anonymised(repo, run.out)) == expected


def test_whole_history_at_once(cli, repo):
    run = cli("diff", repo.commits[0], repo.commits[-1], "-C", repo.root)
    assert (
        anonymised(repo, run.out)
        == """\
crossbrief diff: @0 -> @5
dossiers: 1 added; claims: 2 added, 1 changed; disagreements: 1 appeared

Dossiers
  + ministry-of-finance: Ministry of Finance

Claims
  + jane-roe#age-49: Age: 49
      citation: post-2020-01-03: “Jane Roe, 49, stepped down”
  ~ jane-roe#role-minister: Role: finance minister
      value: minister -> finance minister
  + ministry-of-finance#no-comment: Description: Declined to comment
      citation: wire-2020-01-02: “The Ministry of Finance declined to comment”

Disagreements
  + jane-roe:age: Jane Roe: Age (open): 49 / 52
"""
    )


def test_working_tree_against_head_by_default(cli, tmp_path):
    g = GitProject(tmp_path / "p")
    g.write(INITIAL)
    g.commit("Initial briefing")
    g.edit("briefings/people/jane-roe.yaml", "quote: Ms Roe, 52,", "quote: Ms Roe, 52,\n        said_by: officials")
    g.write(
        {"sources/wire-2020-01-02.md": INITIAL["sources/wire-2020-01-02.md"].replace("Minister resigns", "Roe resigns")}
    )
    (g.root / "sources/post-2020-01-03.md").unlink()
    before = g.state()
    run = cli("diff", "-C", g.root)
    assert g.state() == before
    assert (
        anonymised(g, run.out)
        == """\
crossbrief diff: HEAD (@0) -> working tree
sources: 1 removed, 1 changed; claims: 1 changed; problems: 1 introduced

Sources
  - post-2020-01-03: Roe steps down
  ~ wire-2020-01-02: Roe resigns
      title: Minister resigns -> Roe resigns

Claims
  ~ jane-roe#age-52: Age: 52
      said_by (wire-2020-01-02): (none) -> officials

Problems
  + briefings/organisations/post.yaml: warning[W302]: nothing cites, links or mentions 'post'
      hint: add its spelling in the sources as an alias, or link it from a related dossier
"""
    )


def test_marking_a_title_as_the_editors_is_a_change_of_the_source(cli, tmp_path):
    g = GitProject(tmp_path / "p")
    g.write(INITIAL)
    g.commit("Initial briefing")
    g.edit(
        "sources/wire-2020-01-02.md", "title: Minister resigns\n", "title: Minister resigns\ntitle_by_editors: true\n"
    )
    run = cli("diff", "-C", g.root)
    assert "  ~ wire-2020-01-02: Minister resigns\n      title_by_editors: false -> true\n" in run.out


def test_renamed_source_and_moved_claims(cli, tmp_path):
    g = GitProject(tmp_path / "p")
    g.write(INITIAL)
    g.commit("Initial briefing")
    g.move("sources/wire-2020-01-02.md", "sources/wire-roe-resigns.md")
    g.edit(
        "briefings/people/jane-roe.yaml",
        "source: wire-2020-01-02\n        quote: Jane Roe",
        "source: wire-roe-resigns\n        quote: Jane Roe",
    )
    run = cli("diff", "-C", g.root)
    assert (
        anonymised(g, run.out)
        == """\
crossbrief diff: HEAD (@0) -> working tree
sources: 1 renamed; claims: 1 changed; problems: 1 introduced

Sources
  > wire-2020-01-02 -> wire-roe-resigns: Minister resigns

Claims
  ~ jane-roe#role-minister: Role: minister
      source: wire-2020-01-02 -> wire-roe-resigns

Problems
  + briefings/people/jane-roe.yaml:14:17: error[E205]: unknown source 'wire-2020-01-02'
      hint: did you mean 'post-2020-01-03'?
"""
    )


HOSTILE = ["-p", "--output=OUT", "--output=/tmp/x", "-", "HEAD\0", "a\0b", "HEAD\n--output=OUT", "\x1b[31m", ""]


@pytest.mark.parametrize("rev", HOSTILE)
def test_hostile_revisions_are_refused_and_nothing_is_written(cli, repo, tmp_path, monkeypatch, rev):
    out = tmp_path / "x"
    rev = rev.replace("OUT", str(out))
    calls = []
    real = gitrepo._run
    monkeypatch.setattr(gitrepo, "_run", lambda cwd, *args: calls.append(args) or real(cwd, *args))
    before = repo.state()
    literal = Path("/tmp/x")
    literal_before = literal.stat() if literal.exists() else None
    for args in (["--", rev], ["HEAD", "--", rev], ["--", rev, "HEAD"]):
        run = cli("diff", "-C", repo.root, *args)
        assert run.status == 2
        assert run.out == ""
        assert run.err.startswith(f"crossbrief diff: refused revision {rev!r}: ")
        assert run.err.count("\n") == 1
    assert repo.state() == before
    assert not out.exists()
    assert (literal.stat() if literal.exists() else None) == literal_before
    assert not any(arg in (rev, f"{rev}^{{commit}}") for args in calls for arg in args)  # git never saw it


@pytest.mark.parametrize("option", ["-p", "--output=OUT", "--output", "--no-index"])
def test_options_in_place_of_revisions_are_usage_errors(cli, repo, tmp_path, option):
    out = tmp_path / "x"
    before = repo.state()
    run = cli("diff", "-C", repo.root, option.replace("OUT", str(out)), str(out))
    assert run.status == 2 and run.out == ""
    assert repo.state() == before and not out.exists()


def test_unknown_revision_and_no_repository(cli, repo, project):
    run = cli("diff", "no-such-branch", "-C", repo.root)
    assert (run.status, run.out, run.err) == (
        2,
        "",
        "crossbrief diff: unknown revision 'no-such-branch': it names no commit\n",
    )
    root = project("minimal")
    run = cli("diff", "-C", root)
    assert (
        run.status == 2 and run.err == f"crossbrief diff: {root} is not in a git repository (or git is not installed)\n"
    )


def test_a_revision_found_by_its_message_resolves(cli, repo):
    run = cli("diff", ":/Initial briefing", repo.commits[0], "--format", "json", "-C", repo.root)
    assert run.status == 0, run.err
    assert json.loads(run.out)["base"]["commit"] == repo.commits[0]
    run = cli("diff", ":/no commit says this", "-C", repo.root)
    assert (run.status, run.err) == (
        2,
        "crossbrief diff: unknown revision ':/no commit says this': it names no commit\n",
    )


def test_two_revisions_are_diffed_on_a_checkout_with_no_briefing(cli, tmp_path):
    g = GitProject(tmp_path / "p")
    g.write(INITIAL)
    g.commit("Initial briefing")
    g.git("rm", "-r", "-q", "briefings", "sources")
    g.commit("Everything deleted")
    run = cli("diff", "HEAD~1", "HEAD", "-C", g.root)
    assert run.status == 0, run.err
    assert "jane-roe" in run.out
    assert cli("diff", "-C", g.root).status == 0  # HEAD against the (empty) working tree


def test_a_revision_against_itself_and_an_unchanged_working_tree(cli, repo):
    for args in ([], ["HEAD"], ["HEAD", "HEAD"], ["main~3", repo.commits[2]]):
        for fmt in ("text", "markdown", "json"):
            run = cli("diff", *args, "--format", fmt, "-C", repo.root)
            assert run.status == 0
            if fmt == "json":
                data = json.loads(run.out)
                assert data["empty"] and not any(data["changes"].values())
            else:
                assert run.out.rstrip().endswith(("no changes", "No changes to the briefing."))


# The property: whatever the project holds, broken or not, a revision compared with itself has no changes.

_ids = st.from_regex(r"[a-z]{1,6}(-[a-z0-9]{1,3})?", fullmatch=True)
_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=30)
_WORDS = "Jane Roe, 52, the finance minister, resigned on Monday in Paris, officials said."


@st.composite
def projects(draw) -> dict[str, str]:
    files = dict(INITIAL)
    for section in draw(st.lists(st.sampled_from(["people", "organisations", "events"]), max_size=3)):
        claims = []
        for _ in range(draw(st.integers(0, 4))):
            prop, value = draw(
                st.sampled_from(
                    [
                        (
                            "age",
                            st.one_of(
                                st.integers(0, 120).map(str), st.just("{min: 40, max: 49}"), _text.map(json.dumps)
                            ),
                        ),
                        ("role", _text.map(json.dumps)),
                        ("destination", st.sampled_from(["Paris", "Ankara", "paris "])),
                        ("born", st.sampled_from(["1970", "1970-02", "1970-02-30", "{from: 1969, to: 1971}"])),
                        ("member-of", st.sampled_from(["wire", "post", "nobody"])),
                        ("nonsense", _text.map(json.dumps)),
                    ]
                )
            )
            words = _WORDS.split()
            start = draw(st.integers(0, len(words) - 1))
            quote = draw(st.one_of(st.just(" ".join(words[start : start + draw(st.integers(1, 4))])), _text))
            claims.append(
                f"  - id: {draw(_ids)}\n    property: {prop}\n    value: {draw(value)}\n"
                f"    sources:\n      - source: {draw(st.sampled_from(['wire-2020-01-02', 'post-2020-01-03', 'gone']))}\n"
                f"        quote: {json.dumps(quote)}\n"
            )
        verdicts = draw(st.sampled_from(["", "disagreements:\n  - {property: age, status: explained, note: Both.}\n"]))
        date = "date: 2020-01-01\n" if section == "events" else ""
        body = (
            f"name: {json.dumps(draw(_text) or 'X')}\n{date}"
            + ("claims:\n" + "".join(claims) if claims else "")
            + verdicts
        )
        files[f"briefings/{section}/{draw(_ids)}.yaml"] = draw(st.one_of(st.just(body), _text))
    return files


@settings(max_examples=60, deadline=None)
@given(projects())
def test_property_loading_a_project_twice_diffs_empty(files):
    with tempfile.TemporaryDirectory() as tmp:
        sides = []
        for _ in range(2):
            project, problems = load(tmp, lambda problems: iter(files.items()))
            a = analyse(project)
            from crossbrief.check import check

            sides.append((a, [*problems, *check(a)]))
        assert diff(sides[0][0], sides[1][0], sides[0][1], sides[1][1]).empty
        assert diff(sides[0][0], sides[0][0], sides[0][1], sides[0][1]).empty


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_property_a_committed_revision_diffs_empty_with_itself_and_its_checkout(files):
    tmp = Path(tempfile.mkdtemp())
    try:
        g = GitProject(tmp / "p")
        g.write(files)
        g.commit("Random briefing")
        for base, head in (("HEAD", "HEAD"), ("HEAD", None)):
            changes, old, new = compare(g.root, base, head)
            assert changes.empty, changes
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_markdown_is_inert_and_fits_in_a_comment():
    from crossbrief.review.diff import Change, Diff, Field
    from crossbrief.review.diffformat import MARKDOWN_LIMIT, markdown

    hostile = "[x](javascript:alert(1)) ![i](http://x/i.png) <img src=x> @someone #12 **b** `c` | ~s~"
    d = Diff(claims=(Change("changed", "x#a", "x#a", hostile, (Field("value", hostile, "ok"),)),))
    out = markdown(d, {"label": "a"}, {"label": "b"})
    line = out.splitlines()[-2]
    assert line == (
        "- **changed** `x#a`: \\[x\\]\\(javascript:alert\\(1\\)\\) \\!\\[i\\]\\(http:\u200b//x/i.png\\) "
        "\\<img src=x\\> @\u200bsomeone \\#\u200b12 \\*\\*b\\*\\* \\`c\\` \\| \\~s\\~"
    )
    bare = "see https://evil.example/x, HTTP://a.b and www.evil.example or ftp://f.example"
    out = markdown(Diff(claims=(Change("changed", "x#a", "x#a", bare, ()),)), {"label": "a"}, {"label": "b"})
    assert (
        "see https:\u200b//evil.example/x, HTTP:\u200b//a.b and www\u200b.evil.example or ftp:\u200b//f.example" in out
    )
    many = Diff(
        claims=tuple(
            Change("added", f"x#c{i:05d}", "", "Role: " + "w" * 50, (Field("citation", "", "q" * 80),))
            for i in range(2000)
        )
    )
    out = markdown(many, {"label": "a"}, {"label": "b"})
    assert len(out) <= MARKDOWN_LIMIT + 200
    assert out.endswith("more changes not shown; run `crossbrief diff` to see them all.*\n")
    shown = out.count("- **added**")
    assert f"*{2000 - shown} more changes not shown" in out


def test_a_forked_child_reads_objects_through_a_git_process_of_its_own(tmp_path):
    """Two processes asking one `cat-file --batch` at once would read each other's answers."""
    g = GitProject(tmp_path / "p")
    g.write({f"sources/s{i}.md": f"text {i}\n" * (i + 1) for i in range(200)})
    g.commit("Many files")
    shas = [line.split()[2] for line in g.git("ls-tree", "HEAD", "sources/").splitlines()]
    expected = {sha: g.git("cat-file", "-p", sha).encode() for sha in shas}
    with gitrepo.Repo.find(g.root) as repo:
        repo.blob(shas[0])  # the parent's cat-file is running
        pid = os.fork()
        if pid == 0:
            os._exit(0 if all(repo.blob(sha) == expected[sha] for sha in shas[1:]) else 1)
        fine = all(repo.blob(sha) == expected[sha] for sha in reversed(shas[1:]))
        _, status = os.waitpid(pid, 0)
    assert fine and status == 0


def _published(name: str):
    jsonschema = pytest.importorskip("jsonschema")
    from crossbrief.authoring import schema

    return jsonschema.Draft7Validator(json.loads(schema.shipped(name)))


def _errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_json_outputs_follow_their_published_schemas(cli, repo, tmp_path):
    """Every step of the scenario's diff, the whole history's and an empty one, and the export of a project in git
    (with provenance) and of one outside (without), against schemas/diff.json and schemas/export.json."""
    diffs = _published("diff")
    steps = [(f"main~{5 - step}", f"main~{4 - step}") for step in range(5)]
    for revisions in [*steps, (repo.commits[0], repo.commits[-1]), ("HEAD", "HEAD"), ("HEAD",)]:
        run = cli("diff", *revisions, "--format", "json", "-C", repo.root)
        assert run.status == 0 and _errors(diffs, json.loads(run.out)) == [], revisions
    exports = _published("export")
    in_git = json.loads(cli("export", "-C", repo.root).out)
    assert any(c["provenance"] for d in in_git["dossiers"] for c in d["claims"])
    assert _errors(exports, in_git) == []
    plain = tmp_path / "full"
    shutil.copytree(Path(__file__).parent / "fixtures" / "full", plain)
    exported = json.loads(cli("export", "-C", plain).out)
    assert exported["disagreements"] and any(d["relations"]["in"] for d in exported["dossiers"])
    assert _errors(exports, exported) == []
    gasplant = tmp_path / "gasplant"  # figures in time, excluded ends, times of day, speakers counted with their police
    shutil.copytree(Path(__file__).parent / "fixtures" / "gasplant", gasplant)
    moving = json.loads(cli("export", "-C", gasplant).out)
    assert moving["in_time"] and any(d["counted_with"] for d in moving["dossiers"])
    assert any(d["statements"] for d in moving["dossiers"])
    assert _errors(exports, moving) == []
    exported["dossiers"][0]["claims"][0]["confidence"] = "high"  # a field the schema does not know
    assert _errors(exports, exported) == [
        "dossiers/0/claims/0: Additional properties are not allowed ('confidence' was unexpected)"
    ]

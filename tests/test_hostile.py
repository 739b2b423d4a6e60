"""Hostile and careless input: crossbrief never executes, leaks, loses or half-writes anything.

Every refusal is checked the same way (`refused`): a diagnostic at the right
place (file:line:column where there is a line), exit status 1, no traceback,
and the whole project tree (the input files, the previous `docs/` and the
previous `site/`) unchanged byte for byte.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import FIXTURES, REPO

from crossbrief.load import load

CROSSBRIEF = [sys.executable, "-m", "crossbrief.cli"]


# --- helpers ---------------------------------------------------------------


def snapshot(root: Path) -> dict[str, object]:
    """Every entry under `root`: a file's bytes, a symlink's target, or a folder (symlinks are not followed)."""
    tree: dict[str, object] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                tree[rel] = ("symlink", os.readlink(path))
            elif path.is_dir():
                tree[rel] = ("dir",)
            elif path.is_file():
                tree[rel] = path.read_bytes()
            else:
                tree[rel] = ("special", path.lstat().st_mode)
    return tree


@pytest.fixture(scope="session")
def built_minimal(tmp_path_factory) -> Path:
    """The minimal fixture, built once: it has a previous docs/ and site/ to lose."""
    root = tmp_path_factory.mktemp("built") / "minimal"
    shutil.copytree(FIXTURES / "minimal", root, ignore=shutil.ignore_patterns("docs", "site"))
    run = subprocess.run([*CROSSBRIEF, "build", str(root)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    return root


@pytest.fixture
def built(built_minimal, tmp_path) -> Path:
    """A fresh copy of the built minimal project."""
    root = tmp_path / "project"
    shutil.copytree(built_minimal, root, symlinks=True)
    return root


def refused(cli, root: Path, *expected: str, command: str = "build") -> str:
    """Run `crossbrief COMMAND ROOT`; assert it fails cleanly, says each `expected` line start, and changes nothing."""
    before = snapshot(root)
    run = cli(*command.split(), root)
    assert run.status == 1, run.err
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert run.out == ""
    lines = run.err.splitlines()
    for want in expected:
        assert any(line.startswith(want) for line in lines), f"no line starting {want!r} in:\n{run.err}"
    assert snapshot(root) == before, "the project tree changed"
    return run.err


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


SOURCE = "---\ntitle: Minister resigns\noutlet: wire\npublished: 2020-01-02\n---\nJane Roe, the minister, resigned on Monday, officials said.\n"


# --- YAML: safe loading only -----------------------------------------------

TAGS = [
    '!!python/object/apply:os.system ["touch PWNED"]',
    "!!python/name:os.system",
    '!!python/object/new:subprocess.Popen [["touch", "PWNED"]]',
    "!!str Jane",
    "!custom Jane",
    "!<tag:yaml.org,2002:str> Jane",
    "!!binary aGVsbG8=",
]


@pytest.mark.parametrize("tagged", TAGS)
def test_yaml_tags_are_refused_and_never_run(tagged, built, cli):
    write(built, "briefings/people/bad.yaml", f"name: Bad\naliases:\n  - {tagged}\n")
    refused(cli, built, "briefings/people/bad.yaml:3:5: error[E102]: YAML tags (")
    assert not (built / "PWNED").exists() and not (REPO / "PWNED").exists()


def test_yaml_tags_in_front_matter_and_properties_are_refused(built, cli):
    write(
        built, "sources/wire-2020-01-03.md", SOURCE.replace("title: Minister resigns", "title: !!python/name:os.system")
    )
    write(built, "briefings/properties.yaml", "mood: {label: !custom Mood, type: text}\n")
    refused(cli, built, "sources/wire-2020-01-03.md:2:8: error[E102]", "briefings/properties.yaml:1:15: error[E102]")


def billion_laughs(levels: int = 9) -> str:
    """The classic: nine levels of ten aliases each, a billion "lol"s once expanded."""
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_at_once_in_bounded_memory(built, cli):
    write(built, "briefings/people/laughs.yaml", "name: Laughs\n" + billion_laughs())
    refused(cli, built, "briefings/people/laughs.yaml:2:7: error[E102]: YAML anchors (&lol0) are not allowed")
    write(built, "briefings/people/laughs.yaml", "name: Laughs\naliases: *lol9\n" + billion_laughs())
    refused(cli, built, "briefings/people/laughs.yaml:2:10: error[E102]: YAML aliases (*name) are not allowed")
    tracemalloc.start()
    try:
        _, problems = load(built)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.code for p in problems] == ["E102"]
    assert peak < 5_000_000, peak  # refused before any alias was expanded: a billion "lol"s would take gigabytes


def test_an_alias_without_anchor_is_refused(built, cli):
    write(built, "briefings/people/bad.yaml", "name: Bad\naliases: [*x]\n")
    refused(cli, built, "briefings/people/bad.yaml:2:11: error[E102]: YAML aliases")


def test_duplicate_keys_name_both_lines(built, cli):
    write(
        built,
        "briefings/people/bad.yaml",
        "name: Bad\nclaims:\n  - id: a\n    property: role\n    value: x\n    value: y\n"
        "    sources: [{source: wire-2020-01-02, quote: the minister, quote: resigned}]\n",
    )
    write(built, "sources/wire-2020-01-03.md", SOURCE.replace("outlet: wire\n", "outlet: wire\ntitle: Again\n"))
    err = refused(
        cli,
        built,
        "briefings/people/bad.yaml:6:5: error[E103]: duplicate key 'value' (first on line 5)",
        "briefings/people/bad.yaml:7:62: error[E103]: duplicate key 'quote' (first on line 7, column 41)",
        "sources/wire-2020-01-03.md:4:1: error[E103]: duplicate key 'title' (first on line 2)",
    )
    assert "hint: keep one of the two, line 5 or line 6" in err


def test_a_duplicate_key_leaves_its_mapping_located(built, cli):
    """The claim below has a duplicate key and lacks a field: the missing field is reported at the claim."""
    write(built, "briefings/people/bad.yaml", "name: Bad\nclaims:\n  - id: a\n    id: b\n    property: role\n")
    refused(
        cli,
        built,
        "briefings/people/bad.yaml:4:5: error[E103]: duplicate key 'id' (first on line 3)",
        "briefings/people/bad.yaml:3:5: error[E111]: a claim has no 'sources'",
        "briefings/people/bad.yaml:3:5: error[E111]: a claim has no 'value'",
    )


# Plain scalars that YAML 1.1 would turn into booleans, octal or float numbers, dates or nulls.
TRICKY = [
    "NO",
    "yes",
    "off",
    "0123",
    "1.10",
    "0x1F",
    "1e3",
    ".inf",
    "2012-07-06",
    "2012-07-06 14:30:00",
    "12:30:45",
    "1_000",
    "+1",
    "0o17",
]


def test_implicit_typing_never_changes_a_string(built, cli):
    names = ", ".join(TRICKY)
    write(
        built,
        "briefings/people/tricky.yaml",
        f"name: NO\naliases: [{names}]\nclaims:\n"
        + "".join(
            f"  - id: c{i}\n    property: role\n    value: {t}\n"
            f"    sources: [{{source: wire-2020-01-02, quote: the minister, said_by: {t}}}]\n"
            # a said_by that looks like a hyphenated id must name a dossier
            .replace(", said_by: 2012-07-06}", "}")
            for i, t in enumerate(TRICKY)
        ),
    )
    write(
        built,
        "sources/wire-2020-01-03.md",
        "---\ntitle: 2012-07-06\noutlet: wire\npublished: 2020-01-03\nauthor: [0123, 1.10, off]\n---\nText.\n",
    )
    run = cli("export", built)
    assert run.status == 0, run.err
    data = json.loads(run.out)
    tricky = next(d for d in data["dossiers"] if d["id"] == "tricky")
    assert tricky["name"] == "NO"
    assert tricky["aliases"] == TRICKY
    assert [c["value"]["text"] for c in tricky["claims"]] == TRICKY
    assert [c["citations"][0]["said_by"] for c in tricky["claims"]] == [t if t != "2012-07-06" else "" for t in TRICKY]
    source = next(s for s in data["sources"] if s["id"] == "wire-2020-01-03")
    assert (source["title"], source["authors"]) == ("2012-07-06", ["0123", "1.10", "off"])


def test_numbers_are_read_as_decimals_never_octal(built, cli):
    write(
        built,
        "briefings/people/tricky.yaml",
        "name: Tricky\naliases: [Jane Roe]\nclaims:\n  - id: age\n    property: age\n    value: 0123\n"
        "    sources: [{source: wire-2020-01-02, quote: the minister}]\n",
    )
    run = cli("export", built)
    tricky = next(d for d in json.loads(run.out)["dossiers"] if d["id"] == "tricky")
    assert tricky["claims"][0]["value"] == {"text": "123", "interval": [123, 123]}


@pytest.mark.parametrize(
    "field,value,expected",
    [
        ("age", "NO", "E208"),
        ("age", "1e3", "E208"),
        ("age", "0x1F", "E208"),
        ("age", ".inf", "E208"),
        ("age", "9" * 400, "E208"),
        ("born", "NO", "E208"),
        ("born", "12:30:45", "E208"),
        ("born", "2012-13-45", "E208"),
    ],
)
def test_a_word_where_a_number_or_date_is_due_is_a_typed_error(field, value, expected, built, cli):
    write(
        built,
        "briefings/people/bad.yaml",
        f"name: Bad\naliases: [Jane Roe]\nclaims:\n  - id: c\n    property: {field}\n    value: {value}\n"
        "    sources: [{source: wire-2020-01-02, quote: the minister}]\n",
    )
    refused(cli, built, f"briefings/people/bad.yaml:6:12: error[{expected}]")


def test_typed_fields_refuse_words(built, cli):
    write(built, "briefings/properties.yaml", "mood: {label: Mood, type: text, single: NO}\n")
    write(built, "sources/wire-2020-01-03.md", SOURCE.replace("published: 2020-01-02", "published: NO"))
    write(built, "briefings/events/when.yaml", "name: When\ndate: yes\n")
    refused(
        cli,
        built,
        "briefings/properties.yaml:1:41: error[E114]: 'single' must be true or false, not 'NO'",
        "sources/wire-2020-01-03.md:4:12: error[E114]",
        "briefings/events/when.yaml:2:7: error[E208]",
    )


def test_deep_nesting_is_refused(built, cli):
    block = "".join("  " * i + "- \n" for i in range(45))
    write(built, "briefings/people/deep.yaml", "name: Deep\naliases:\n" + block)
    write(
        built,
        "sources/wire-2020-01-03.md",
        SOURCE.replace("title: Minister resigns", "title: " + "{a: " * 50 + "x" + "}" * 50),
    )
    refused(
        cli,
        built,
        "briefings/people/deep.yaml:42:79: error[E104]: nested deeper than 40 levels",
        "sources/wire-2020-01-03.md:2:164: error[E104]: nested deeper than 40 levels",
    )


def test_files_over_the_size_limit_are_refused_unread(built, cli):
    write(built, "briefings/people/huge.yaml", "name: Huge\nsummary: " + "x" * 2_000_001 + "\n")
    write(built, "sources/wire-2020-01-03.md", SOURCE + "lorem ipsum " * 200_000)
    refused(
        cli,
        built,
        "briefings/people/huge.yaml: error[E104]: larger than 2,000,000 bytes",
        "sources/wire-2020-01-03.md: error[E104]",
    )


@pytest.mark.parametrize(
    "data,message",
    [
        (b"name: \xff\xfe Bad\n", "not UTF-8 text"),
        (b"name: Bad\x00\n", "YAML syntax error"),
        (b"name: Bad\x1b[31m\n", "YAML syntax error"),
        (b"name: 'Bad\n", "YAML syntax error"),
        (b"---\nname: A\n---\nname: B\n", "more than one YAML document"),
        (b"- name\n", "a dossier must be a mapping"),
        (b"", "the file is empty"),
    ],
)
def test_malformed_files_are_diagnosed(data, message, built, cli):
    (built / "briefings/people/bad.yaml").write_bytes(data)
    err = refused(cli, built, "briefings/people/bad.yaml")
    assert message in err


def test_deeply_nested_markdown_renders_without_recursion_errors(built, cli):
    import markdown

    deep = (
        ">" * 3000
        + " x\n\n"
        + "".join("  " * i + "- a\n" for i in range(300))
        + "\n"
        + "(" * 3000
        + "x"
        + ")" * 3000
        + "\n"
        + "*" * 5000
        + "x"
        + "*" * 5000
        + "\n"
        + "`" * 3000
        + "\n"
        + "[x](" * 1000
    )
    person = built / "briefings/people/jane-roe.yaml"
    person.write_text(person.read_text() + "summary: " + json.dumps(deep) + "\n")
    run = cli("generate", built)
    assert run.status == 0, run.err
    page = (built / "docs/people/jane-roe.md").read_text()
    assert len(page) < 20 * len(deep)  # the nesting is rendered as text or flat markup, not blown up
    html = markdown.markdown(page, extensions=["attr_list", "tables", "toc", "meta"])  # what MkDocs does with it
    assert len(html) < 20 * len(page)


# --- Files: ids, symlinks, collisions ----------------------------------------


@pytest.mark.parametrize(
    "name", ["-x", "x.y", "x..", "X", "jane roe", "ｘ", "x\u0301", "x\\..\\y", "x;rm -rf", "a" * 81]
)
def test_file_names_that_break_the_id_rule_are_refused(name, built, cli):
    write(built, f"briefings/people/{name}.yaml", "name: Odd\naliases: [Jane Roe]\n")
    refused(cli, built, f"briefings/people/{name}.yaml: error[E201]: '{name}' is not a valid id")


@pytest.mark.parametrize(
    "rel", ["briefings/people/link.yaml", "sources/link.md", "briefings/link.yaml", "briefings/properties.yaml"]
)
def test_symlinked_files_are_refused_unread(rel, built, cli, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: SECRET-CONTENT\n")
    (built / rel).symlink_to(secret)
    err = refused(cli, built, f"{rel}: error[E105]: not a regular file (symlinks are refused)")
    assert "SECRET" not in err


@pytest.mark.parametrize("folder", ["briefings/people", "briefings/organisations", "sources"])
def test_symlinked_folders_are_refused_unread(folder, built, cli, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(built / folder, elsewhere)
    (built / folder).symlink_to(elsewhere, target_is_directory=True)
    refused(cli, built, f"{folder}: error[E105]: a symlinked folder is not read")


def test_special_files_are_refused_without_opening_them(built, cli):
    os.mkfifo(built / "briefings/people/pipe.yaml")  # opening it would block forever
    (built / "sources/folder.md").mkdir()
    refused(cli, built, "briefings/people/pipe.yaml: error[E105]", "sources/folder.md: error[E105]")


@pytest.mark.parametrize(
    "other", ["briefings/people/Jane-Roe.yaml", "sources/ｊane-roe.md", "briefings/organisations/JANE-ROE.yaml"]
)
def test_ids_colliding_by_case_or_normalisation_name_both_files(other, built, cli):
    write(built, other, SOURCE if other.endswith(".md") else "name: Other\naliases: [Jane Roe]\n")
    err = refused(cli, built, f"{other}: error[E201]")
    mine, theirs = other, "briefings/people/jane-roe.yaml"
    assert (
        f"{mine}: error[E202]: id '{Path(mine).stem}' is already used by {theirs}" in err
        or f"{theirs}: error[E202]: id '{Path(theirs).stem}' is already used by {mine}" in err
    ), err


def test_ids_differing_only_by_unicode_normal_form_name_both_files(built, cli):
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    write(built, f"briefings/people/{composed}.yaml", "name: A\naliases: [Jane Roe]\n")
    write(built, f"briefings/people/{decomposed}.yaml", "name: B\naliases: [Jane Roe]\n")
    err = refused(cli, built)
    assert re.search(
        rf"error\[E202\]: id '({composed}|{decomposed})' is already used by briefings/people/({composed}|{decomposed}).yaml",
        err,
    )


def test_references_that_are_paths_are_refused_as_invalid_ids(built, cli):
    write(
        built,
        "briefings/people/bad.yaml",
        """name: Bad
aliases: [Jane Roe]
summary: See [[../x]], [[/etc/x]] and [[jane-roe#../y]].
claims:
  - id: a
    property: leader-of
    value: ../wire
    sources:
      - source: ../wire-2020-01-02
        quote: the minister
      - source: wire-2020-01-02
        quote: the minister
        said_by: -x
      - source: wire-2020-01-02
        quote: resigned
        said_by: /etc/passwd
""",
    )
    write(built, "sources/wire-2020-01-03.md", SOURCE.replace("outlet: wire", "outlet: /etc/x\nvia: [-rf]"))
    err = refused(
        cli,
        built,
        "briefings/people/bad.yaml:3:14: error[E209]: link target '[[../x]]' is not a valid id",
        "briefings/people/bad.yaml:3:24: error[E209]: link target '[[/etc/x]]' is not a valid id",
        "briefings/people/bad.yaml:3:39: error[E209]: link target '[[jane-roe#../y]]' is not a valid id",
        "briefings/people/bad.yaml:7:12: error[E208]: '../wire' is not a valid id, but 'leader-of' takes a dossier id",
        "briefings/people/bad.yaml:9:17: error[E205]: source '../wire-2020-01-02' is not a valid id",
        "briefings/people/bad.yaml:13:18: error[E206]: said_by '-x' is not a valid id",
        "briefings/people/bad.yaml:16:18: error[E206]: said_by '/etc/passwd' is not a valid id",
        "sources/wire-2020-01-03.md:3:9: error[E206]: outlet '/etc/x' is not a valid id",
        "sources/wire-2020-01-03.md:4:6: error[E206]: agency '-rf' is not a valid id",
    )
    assert "hint: an id is a file name without its extension" in err


def test_a_said_by_description_is_not_taken_for_a_path(built, cli):
    write(
        built,
        "briefings/people/jane-roe.yaml",
        (FIXTURES / "minimal/briefings/people/jane-roe.yaml").read_text() + "        said_by: AFP/Reuters\n",
    )
    assert cli("check", built).status == 0


def test_property_ids_follow_the_id_rule(built, cli):
    # A property id becomes a heading's attribute list, `{#dossier--<property>}`: `x onclick=...` would add an attribute.
    write(
        built,
        "briefings/properties.yaml",
        '"x onclick=alert(1)": {label: X, type: text, single: true}\n"../y": {label: Y, type: text}\n',
    )
    write(
        built,
        "briefings/people/bad.yaml",
        "name: Bad\naliases: [Jane Roe]\nclaims:\n  - id: a\n    property: x onclick=alert(1)\n    value: one\n"
        "    sources: [{source: wire-2020-01-02, quote: the minister}]\n",
    )
    refused(
        cli,
        built,
        "briefings/properties.yaml:1:1: error[E201]: 'x onclick=alert(1)' is not a valid property id",
        "briefings/properties.yaml:2:1: error[E201]: '../y' is not a valid property id",
        "briefings/people/bad.yaml:5:15: error[E207]: unknown property 'x onclick=alert(1)'",
    )


# --- Output ------------------------------------------------------------------


@pytest.mark.parametrize(
    "setting",
    [
        "site_dir: briefings",
        "site_dir: sources/site",
        "docs_dir: briefings/people",
        "site_dir: .",
        "site_dir: ..",
        "docs_dir: sources/../sources",
    ],
)
def test_output_can_never_land_among_the_curated_files(setting, built, cli):
    write(
        built,
        "mkdocs.yml",
        f"site_name: T\nuse_directory_urls: false\ntheme: {{name: material, font: false}}\n{setting}\n",
    )
    refused(cli, built, "mkdocs.yml: error[E211]")


@pytest.mark.parametrize("link,target", [("site", "briefings"), ("docs", "sources"), ("site", "sources/x")])
def test_output_symlinked_into_the_curated_files_is_refused(link, target, built, cli):
    shutil.rmtree(built / link)
    (built / target).mkdir(exist_ok=True)
    (built / link).symlink_to(built / target, target_is_directory=True)
    refused(cli, built, "mkdocs.yml: error[E211]")


@pytest.mark.parametrize(
    "link,command",
    [("site", "build"), ("docs", "generate"), ("docs", "build"), ("build", "pdf"), ("schemas", "schemas -C")],
)
def test_an_output_folder_linked_outside_the_project_is_refused_and_nothing_there_is_lost(link, command, built, cli):
    """A committed symlink (`/site/` in .gitignore matches only folders) must not send output, or the
    removal of what it replaces, to another folder."""
    victim = built.parent / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me\n")
    (victim / "x.pdf").write_text("keep me too\n")
    if (built / link).exists():
        shutil.rmtree(built / link)
    (built / link).symlink_to(Path("..") / "victim", target_is_directory=True)
    refused(cli, built, f"{link}: error[E214]: ", command=command)
    assert sorted(p.name for p in victim.iterdir()) == ["precious.txt", "x.pdf"]
    assert (victim / "precious.txt").read_text() == "keep me\n"


@pytest.mark.parametrize("setting", ["site_dir: ../elsewhere", "docs_dir: /tmp/crossbrief-docs"])
def test_an_output_folder_configured_outside_the_project_is_refused(setting, built, cli):
    write(
        built,
        "mkdocs.yml",
        f"site_name: T\nuse_directory_urls: false\ntheme: {{name: material, font: false}}\n{setting}\n",
    )
    refused(cli, built, "mkdocs.yml: error[E214]")
    assert not (built.parent / "elsewhere").exists()


def big_project(root: Path, people: int = 80, sources: int = 20) -> None:
    """A project that takes MkDocs a second or more: many dossiers, each quoted from a source."""
    write(root, "briefings/big.yaml", "title: Big\ndate: 2020-01-01\nsummary: Many people.\n")
    write(root, "briefings/organisations/wire.yaml", "name: The Wire\nkind: news-agency\n")
    for j in range(sources):
        lines = [f"Person {i} was seen in town {i}." for i in range(j, people, sources)]
        write(
            root,
            f"sources/wire-{j:03d}.md",
            f"---\ntitle: Report {j}\noutlet: wire\npublished: 2020-01-02\n---\n" + "\n".join(lines) + "\n",
        )
    for i in range(people):
        write(
            root,
            f"briefings/people/person-{i:04d}.yaml",
            f"name: Person {i}\nsummary: Seen in town {i}.\nclaims:\n  - id: location\n    property: location\n"
            f"    value: Town {i}\n    sources:\n      - source: wire-{i % sources:03d}\n        quote: Person {i} was seen in town {i}\n",
        )


# Without the PDF, for speed: it is rendered in memory before MkDocs runs and touches site/ only
# through the staging folder, so a kill while it renders is one more kill "while loading".
BUILD = ["build", "--no-pdf"]


def run_build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CROSSBRIEF, *BUILD, str(root)], capture_output=True, text=True, cwd=REPO)


def staging_left(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site.", ".docs.")))


def _staged(root: Path, rel: str = "") -> bool:
    return any((folder / rel).exists() for folder in root.glob(".site.new-*"))


# Moments to kill a build at, from its start to just before the swap.
MOMENTS = {
    "at once": lambda root: True,
    "while loading": lambda root: time.sleep(0.3) or True,
    "when MkDocs starts": lambda root: _staged(root),
    "when MkDocs has copied the theme": lambda root: _staged(root, "assets/javascripts"),
    "halfway through the pages": lambda root: _staged(root, "people/person-0040.html"),
    "when the search index is written": lambda root: _staged(root, "search/search_index.json"),
    "when the sitemap is written": lambda root: _staged(root, "sitemap.xml.gz"),
}


def kill_when(root: Path, moment) -> bool:
    """Start a build, SIGKILL it at `moment`; return whether it was still running then."""
    process = subprocess.Popen(
        [*CROSSBRIEF, *BUILD, str(root)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while process.poll() is None and not moment(root):
            time.sleep(0.002)
        running = process.poll() is None
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return running


def test_a_build_killed_at_any_moment_leaves_the_previous_site(tmp_path):
    root = tmp_path / "big"
    big_project(root)
    assert run_build(root).returncode == 0
    previous = snapshot(root / "site")
    # The same change, built to completion elsewhere: the only other site a kill may leave.
    dossier = "briefings/people/person-0000.yaml"
    changed = (root / dossier).read_text().replace("Person 0\n", "Person Zero\naliases: [Person 0]\n")
    other = tmp_path / "other"
    shutil.copytree(root, other, symlinks=True)
    write(other, dossier, changed)
    assert run_build(other).returncode == 0
    following = snapshot(other / "site")
    assert following != previous
    write(root, dossier, changed)
    saved = tmp_path / "previous-site"
    shutil.copytree(root / "site", saved, symlinks=True)
    landed = []
    for name, moment in MOMENTS.items():
        kill_when(root, moment)
        site = snapshot(root / "site")
        if site == previous:
            landed.append(name)
            continue
        # Only a run that finished before the kill may have changed site/, and then to the whole new site.
        assert site == following, f"killed {name}: site/ is neither the previous site nor the new one"
        shutil.rmtree(root / "site")
        shutil.copytree(saved, root / "site", symlinks=True)
    assert len(landed) >= 5, f"only these kills landed before the swap: {landed}"
    # The next build clears what the killed runs left behind, and builds the new site.
    assert run_build(root).returncode == 0
    assert staging_left(root) == []
    assert snapshot(root / "site") == following


def test_staging_folders_of_killed_runs_are_cleared_and_a_half_swapped_site_restored(built, cli):
    from crossbrief import site

    previous = snapshot(built / "site")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    # A run killed between the two renames of the fallback swap: site/ moved aside, the new one not yet in place.
    aside = built / f".site.old-{dead}-abc12345"
    aside.mkdir()
    os.rename(built / "site", aside / "site")
    (built / f".site.new-{dead}-def12345").mkdir()
    (built / f".site.new-{dead}-def12345/index.html").write_text("half")
    site._recover((built / "site").resolve())
    assert snapshot(built / "site") == previous
    assert staging_left(built) == []
    # A live run's staging folder is left alone.
    live = built / f".site.new-{os.getppid()}-ghi12345"
    live.mkdir()
    site._recover((built / "site").resolve())
    assert live.is_dir()


def test_the_swap_is_atomic_where_the_system_allows(tmp_path):
    from crossbrief import site

    new, final = tmp_path / "new", tmp_path / "site"
    new.mkdir(), final.mkdir()
    (new / "page.html").write_text("new")
    (final / "page.html").write_text("old")
    site._swap(new, final)
    assert (final / "page.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    if sys.platform.startswith("linux"):
        a, b = tmp_path / "a", tmp_path / "b"
        a.mkdir(), b.mkdir()
        (a / "x").write_text("a")
        assert site._exchange(a, b) and (b / "x").read_text() == "a" and not (a / "x").exists()


def test_a_failed_swap_puts_the_previous_site_back(built, cli, monkeypatch):
    from crossbrief import site

    previous = snapshot(built / "site")
    real_rename = os.rename

    def rename(a, b):
        if Path(b).name == "site" and Path(a).name.startswith(".site.new-"):
            raise OSError(28, "No space left on device")
        return real_rename(a, b)

    monkeypatch.setattr(site, "_exchange", lambda a, b: False)  # the two-rename fallback of other systems
    monkeypatch.setattr(site.os, "rename", rename)
    write(
        built,
        "briefings/people/jane-roe.yaml",
        (built / "briefings/people/jane-roe.yaml")
        .read_text()
        .replace("Jane Roe\n", "Jane Roe\naliases: [Ms Roe]\n", 1),
    )
    run = cli("build", built)
    assert run.status == 1 and "error[E212]: could not put the new site in place" in run.err, run.err
    assert snapshot(built / "site") == previous
    assert staging_left(built) == []


def test_a_failed_mkdocs_run_leaves_the_previous_site_and_no_staging(built, cli):
    previous = snapshot(built / "site")
    write(built, "mkdocs.yml", "site_name: T\nuse_directory_urls: false\ntheme: {name: no-such-theme}\n")
    run = cli("build", built)
    assert run.status == 1 and "error[E212]" in run.err and "Traceback" not in run.err
    assert snapshot(built / "site") == previous
    assert staging_left(built) == []


# --- Markdown and HTML: every field comes out as inert text -------------------

PAYLOAD = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> <svg onload=alert(3)> "
    "[a](javascript:alert(4)) [b](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==) <javascript:alert(6)> "
    '<a href="javascript:alert(7)">c</a> { onclick=alert(8) } {: onmouseover="alert(9)" } '
    '--8<-- "/etc/hostname" {{ 7*191 }} {% print 1336+1 %} ${1336+1} '
    "\"><iframe src=javascript:alert(10)> ' onfocus='alert(11) </title></textarea></q><style>body{display:none}</style> <!-- x -->"
)
"""One line of hostile text: HTML, script links, attribute lists, snippet includes, template syntax."""

BLOCK = (
    PAYLOAD + '\n\n<div onclick="alert(20)">\n\n[c](javascript:alert(21))\n\n</div>\n\n'
    '```\n</div>\n\n[d](javascript:alert(22)) <b onclick=alert(23)>\n{: onclick="alert(24)" }\n```\n\n'
    "# heading { onclick=alert(25) }\n\n    indented <script>alert(26)</script>\n\n"
    '[ref]: javascript:alert(27)\n\n[e][ref] [f](https://example.org "t\\" onclick=\\"alert(28)") '
    '[[mallory|<script>alert(29)</script>]]\n\n--8<-- "/etc/hostname"\n'
)
"""Markdown fields also get blank lines, code blocks, raw HTML blocks and link tricks."""

FORBIDDEN_ANYWHERE = {"iframe", "object", "embed", "frame", "frameset", "base", "applet"}
FORBIDDEN_IN_ARTICLE = FORBIDDEN_ANYWHERE | {
    "script",
    "img",
    "math",
    "form",
    "input",
    "textarea",
    "button",
    "link",
    "meta",
    "video",
    "audio",
    "source",
    "foreignobject",
    "animate",
    "set",
    "handler",
    "listener",
}
# (crossbrief draws pictures as inline SVG and writes a <style> for quote highlights: no payload may reach either)
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "ping",
    "cite",
}


def field(tag: str, text: str = PAYLOAD) -> str:
    return f"TAG:{tag} {text}"


def hostile_project(root: Path) -> list[str]:
    """A project with the payload in every field of every kind; returns the tags of fields shown as text."""
    q = json.dumps  # a JSON string is a YAML double-quoted scalar
    write(
        root,
        "briefings/hostile.yaml",
        f"title: {q(field('briefing-title'))}\ndate: 2020-01-01\nsummary: {q(field('briefing-summary', BLOCK))}\n"
        f"key_points:\n  - {q(field('key-point', PAYLOAD))}\n  - {q(field('key-point-2', BLOCK))}\n",
    )
    write(
        root,
        "briefings/properties.yaml",
        f"motive: {{label: {q(field('property-label'))}, type: text, single: true}}\n"
        f"handler: {{label: {q(field('relation-label'))}, type: entity, inverse: {q(field('relation-inverse'))}}}\n",
    )
    citation = f"{{source: evil-2020-01-01, quote: {q(field('quote'))}, said_by: {q(field('said-by'))}}}"
    write(
        root,
        "briefings/people/mallory.yaml",
        f"""name: {q(field("person-name"))}
aliases: [{q(field("alias"))}, Mallory]
summary: {q(field("person-summary", BLOCK))}
claims:
  - id: motive-a
    property: motive
    value: {q(field("value-a"))}
    text: {q(field("claim-text", BLOCK))}
    note: {q(field("claim-note", BLOCK))}
    sources: [{citation}]
  - id: motive-b
    property: motive
    value: {q(field("value-b"))}
    sources: [{{source: evil-2020-01-01, quote: {q(field("quote"))}}}]
  - id: handler
    property: handler
    value: evil-corp
    sources: [{citation}]
  - id: location
    property: location
    value: {q(field("place"))}
    sources: [{citation}]
disagreements:
  - property: motive
    status: explained
    preferred: motive-a
    note: {q(field("verdict-note", BLOCK))}
""",
    )
    write(
        root,
        "briefings/organisations/evil-corp.yaml",
        f"name: {q(field('organisation-name'))}\naliases: [Evil Corp]\nkind: {q(field('organisation-kind'))}\n",
    )
    write(
        root,
        "briefings/events/incident.yaml",
        f"name: {q(field('event-name'))}\nkind: {q(field('event-kind'))}\ndate: 2020-01-01\n"
        f"summary: {q(field('event-summary', BLOCK))}\n",
    )
    write(
        root,
        "sources/evil-2020-01-01.md",
        f"""---
title: {q(field("source-title"))}
outlet: evil-corp
published: 2020-01-01
author: [{q(field("author"))}, {q(field("author-2"))}]
url: "https://example.org/'onmouseover=alert(30)//"
---
{field("quote")}
{field("article")}
Mallory met Evil Corp.
<script>alert(31)</script>
<div onclick="alert(32)">

# heading {{ onclick=alert(33) }}
{{: onclick="alert(34)" }}
    indented code <img src=x onerror=alert(35)>
[ref]: javascript:alert(36)
--8<-- "/etc/hostname"
{{{{ 7*191 }}}}
""",
    )
    return [
        "briefing-title",
        "key-point",
        "property-label",
        "relation-label",
        "relation-inverse",
        "quote",
        "said-by",
        "person-name",
        "alias",
        "value-a",
        "value-b",
        "place",
        "organisation-name",
        "organisation-kind",
        "event-name",
        "event-kind",
        "source-title",
        "author",
        "author-2",
        "article",
    ]


class Page(HTMLParser):
    """Every tag of an HTML page, its scripts, and its visible text (inside <article> and in all)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]], bool]] = []
        self.scripts: list[tuple[str | None, str]] = []
        self.text: list[str] = []
        self.article = 0
        self.raw: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.article += 1
        self.tags.append((tag, attrs, self.article > 0))
        if tag in ("script", "style"):
            self.raw = ""
            self.scripts.append((dict(attrs).get("src") if tag == "script" else "style", ""))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs, self.article > 0))

    def handle_endtag(self, tag):
        if tag == "article":
            self.article -= 1
        if tag in ("script", "style") and self.raw is not None:
            self.scripts[-1] = (self.scripts[-1][0], self.raw)
            self.raw = None

    def handle_data(self, data):
        if self.raw is not None:
            self.raw += data
        else:
            self.text.append(data)

    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def theme_scripts(site: Path) -> set[str]:
    """The inline scripts of a site built from harmless input: what the theme itself writes."""
    return {body for page in site.rglob("*.html") for src, body in Page(page.read_text("utf-8")).scripts if src is None}


def _unsafe_url(value: str | None) -> bool:
    cleaned = re.sub(r"[\x00-\x20]", "", value or "").lower()
    return cleaned.startswith(("javascript:", "data:", "vbscript:"))


def test_every_field_of_every_kind_comes_out_as_inert_text(built_minimal, tmp_path, cli):
    import material

    import crossbrief

    root = tmp_path / "hostile"
    shown = hostile_project(root)
    run = cli("build", root)
    assert run.status == 0, run.err
    assert "W304" not in run.err  # the print briefing fetched nothing either
    site = root / "site"
    shipped = Path(material.__file__).parent / "templates"
    ours = Path(crossbrief.__file__).parent / "templates" / "site" / "assets"
    allowed_inline = theme_scripts(built_minimal / "site")
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").is_file() else ""
    visible = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        rel = page.relative_to(site).as_posix()
        html = page.read_text("utf-8")
        parsed = Page(html)
        for tag, attrs, in_article in parsed.tags:
            assert tag not in FORBIDDEN_ANYWHERE, (rel, tag, attrs)
            assert not (in_article and tag in FORBIDDEN_IN_ARTICLE), (rel, tag, attrs)
            for name, value in attrs:
                assert not name.startswith("on"), (rel, tag, attrs)
                assert not (name in URL_ATTRIBUTES and _unsafe_url(value)), (rel, tag, attrs)
                assert name != "style" or not in_article, (rel, tag, attrs)
        for src, body in parsed.scripts:
            assert "TAG:" not in body and "alert(" not in body, (rel, src, body[:200])
            if src == "style":
                continue
            if src is None:
                assert body in allowed_inline, (rel, body[:200])
                continue
            # A script file is Material's (under assets/javascripts/) or crossbrief's own (assets/*.js), unchanged.
            target = Path(urlsplit(urljoin(f"http://site/{rel}", src)).path.lstrip("/"))
            origin = shipped / target if target.parts[:2] == ("assets", "javascripts") else ours / target.name
            assert target.parts[0] == "assets" and origin.is_file(), (rel, src)
            assert (site / target).read_bytes() == origin.read_bytes(), (rel, src)
        assert "1337" not in html, rel
        assert not hostname or len(hostname) < 6 or hostname not in html, rel
        visible.append(parsed.visible())
    text = "\n".join(visible)
    payload = " ".join(PAYLOAD.split())
    missing = [tag for tag in shown if f"TAG:{tag} {payload}" not in text]
    assert not missing, missing
    # Material's search renders the index's titles and texts as HTML: they must be inert too.
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    for doc in index["docs"]:
        for part in (doc["title"], doc["text"]):
            for tag, attrs, _ in Page(part).tags:
                assert tag not in FORBIDDEN_IN_ARTICLE, (doc["location"], tag, attrs)
                assert not any(
                    name.startswith("on") or (name in URL_ATTRIBUTES and _unsafe_url(v)) for name, v in attrs
                ), (doc["location"], attrs)


@pytest.mark.parametrize(
    "template,line,message",
    [
        (b"# x\n{% if %}\n", 2, "Expected an expression"),
        (b"# x\n{{ nothing.here }}\n", 2, "'nothing' is undefined"),
        (b"# x\n{{ 1 / 0 }}\n", 2, "ZeroDivisionError: division by zero"),
        (b'# x\n{% include "site/home.md.j2" %}\n', 2, "RecursionError"),
        (b"# x\n\n\xff\xfe\n", 3, "not UTF-8 text"),
    ],
)
def test_a_broken_project_template_is_reported_at_its_line_and_changes_nothing(template, line, message, built, cli):
    path = built / "templates/site/home.md.j2"
    path.parent.mkdir(parents=True)
    path.write_bytes(template)
    err = refused(cli, built, f"templates/site/home.md.j2:{line}:1: error[E213]: template error: ")
    assert message in err


# --- Second round: lengths, control characters, dates ------------------------

HUGE = "a" * 700_000


@pytest.mark.parametrize("command", ["check", "build", "export"])
@pytest.mark.parametrize(
    "dossier,where",
    [
        (f"name: {HUGE}\n", "briefings/people/huge.yaml:1:7: error[E115]: 'name' is 700,000 characters long"),
        (f"name: Huge\naliases: [{HUGE}]\n", "briefings/people/huge.yaml:2:11: error[E115]: 'aliases' is 700,000"),
    ],
)
def test_a_huge_name_or_alias_is_refused_and_never_crashes_the_process(dossier, where, command, built):
    write(built, "briefings/people/huge.yaml", dossier)
    before = snapshot(built)
    run = subprocess.run([*CROSSBRIEF, command, str(built)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 1, (run.returncode, run.stderr[-500:])  # was -11 (SIGSEGV) with nothing printed
    assert where in run.stderr and "Traceback" not in run.stderr
    assert snapshot(built) == before


def test_a_quote_longer_than_the_limit_is_refused_at_its_place(built, cli):
    write(built, "sources/long.md", SOURCE.replace("Jane Roe", "x" * 6000))
    write(
        built,
        "briefings/people/long.yaml",
        f"name: Long\nclaims:\n  - id: x\n    property: role\n    value: m\n    sources:\n"
        f"      - source: long\n        quote: {'x' * 6000}\n",
    )
    refused(
        cli, built, "briefings/people/long.yaml:8:16: error[E115]: 'quote' is 6,000 characters long, more than 5,000"
    )


CONTROLS = ["\\x7f", "\\x85", "\\u0080", "\\x9b", "\\x1b", "\\x00", "\\x0b", "\\r"]


@pytest.mark.parametrize("char", CONTROLS)
@pytest.mark.parametrize(
    "rel,text,where",
    [
        (
            "briefings/people/jane-roe.yaml",
            'name: "Jane{c}Roe"\n',
            "briefings/people/jane-roe.yaml:1:7: error[E116]: 'name'",
        ),
        (
            "briefings/people/jane-roe.yaml",
            'name: Jane Roe\naliases: ["J{c}R"]\n',
            "briefings/people/jane-roe.yaml:2:11: error[E116]: 'aliases'",
        ),
        (
            "briefings/people/jane-roe.yaml",
            'name: Jane Roe\nsummary: "A {c}minister."\n',
            "briefings/people/jane-roe.yaml:2:10: error[E116]: 'summary'",
        ),
        (
            "briefings/resignation.yaml",
            'title: "Re{c}signation"\ndate: 2020-01-02\n',
            "briefings/resignation.yaml:1:8: error[E116]: 'title'",
        ),
        (
            "sources/wire-2020-01-02.md",
            '---\ntitle: Minister\noutlet: wire\npublished: 2020-01-02\nauthor: "A{c}B"\n---\nJane Roe, the minister, resigned.\n',
            "sources/wire-2020-01-02.md:5:9: error[E116]: 'author'",
        ),
    ],
)
def test_control_characters_in_any_text_field_are_refused_at_their_place(char, rel, text, where, built, cli):
    write(built, rel, text.format(c=char))
    out = refused(cli, built, where)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), "a raw control character reached the terminal"


def test_a_control_character_in_an_unknown_key_is_shown_escaped(built, cli):
    write(built, "briefings/people/jane-roe.yaml", 'name: Jane Roe\n"x\\e]0;pwned\\a": 1\n')
    out = refused(cli, built, "briefings/people/jane-roe.yaml:2:1: error[E113]: unknown field 'x\\x1b]0;pwned\\x07'")
    assert "\x1b" not in out and "\x07" not in out


@pytest.mark.parametrize(
    "published",
    [
        "2021-13-45",
        "0000-00-00 12:99",
        "2021-02-29",
        "2020-01-02 24:00",
        "2020-01-02 12:99",
        "2020-01-02T12:30+25:00",
        "0999-12-31",
        "3000-01-01",
    ],
)
def test_an_impossible_publication_date_is_refused_at_its_place(published, built, cli):
    write(built, "sources/wire-2020-01-02.md", SOURCE.replace("2020-01-02", published))
    refused(cli, built, "sources/wire-2020-01-02.md:4:12: error[E114]: 'published' must be YYYY-MM-DD")


@pytest.mark.parametrize("date", ["0001", "9999-12-31", "2021-13", "2021-02-30", "0000"])
def test_an_impossible_event_date_is_refused_at_the_input_not_in_the_timeline(date, built, cli):
    write(built, "briefings/events/launch.yaml", f"name: Launch\ndate: {date}\n")
    write(built, "briefings/events/later.yaml", "name: Later\ndate: 2020-05-01\n")
    refused(cli, built, "briefings/events/launch.yaml:2:7: error[E208]: the event's 'date' must be YYYY")


def test_the_widest_dates_accepted_still_draw_a_timeline(built, cli):
    write(built, "briefings/events/first.yaml", "name: First\ndate: 1000-01-01\n")
    write(built, "briefings/events/last.yaml", "name: Last\ndate: 2999-12-31\n")
    run = cli("build", "--no-pdf", built)
    assert run.status == 0, run.err


@pytest.mark.parametrize(
    "rel",
    [
        "briefings/people/index.yaml",
        "briefings/organisations/index.yaml",
        "briefings/events/index.yaml",
        "sources/index.md",
        "sources/INDEX.md",
    ],
)
def test_an_id_naming_a_generated_page_is_refused(rel, built, cli):
    write(
        built,
        rel,
        SOURCE if rel.startswith("sources/") else "name: Index\ndate: 2020\n" if "events" in rel else "name: Index\n",
    )
    refused(cli, built, f"{rel}: error[E215]: ")


def test_every_file_the_tool_does_not_read_is_named_in_a_warning(built, cli):
    for rel in (
        "briefings/people/x.yml",
        "briefings/persons/x.yaml",
        "briefings/people/nested/y.yaml",
        "sources/z.txt",
        "sources/sub/w.md",
        "briefings/notes.md",
    ):
        write(built, rel, "name: X\n")
    write(built, "briefings/people/.x.yaml.swp", "")
    run = cli("check", built)
    warned = sorted(line.split(": ")[0] for line in run.err.splitlines() if "warning[W305]" in line)
    assert warned == [
        "briefings/notes.md",
        "briefings/people/nested/y.yaml",
        "briefings/people/x.yml",
        "briefings/persons/x.yaml",
        "sources/sub/w.md",
        "sources/z.txt",
    ], run.err
    assert run.status == 0
    assert cli("check", "--strict", built).status == 1


# --- Unwritable output (the tests run as root: a file where a folder goes, or an immutable folder) ---


@pytest.mark.parametrize(
    "name,command",
    [("docs", "generate"), ("docs", "build"), ("site", "build"), ("build", "pdf"), ("schemas", "schemas -C")],
)
def test_a_file_where_an_output_folder_goes_is_a_located_error(name, command, built, cli):
    if (built / name).exists():
        shutil.rmtree(built / name)
    write(built, name, "not a folder\n")
    refused(cli, built, f"{name}: error[E216]: ", command=command)


@pytest.fixture
def immutable():
    """Make folders immutable (chattr +i: even root cannot write in them); undone after the test."""
    made = []

    def make(path: Path) -> None:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("chattr +i is not available here")
        made.append(path)

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize(
    "folder,command", [("docs", "generate"), ("docs/people", "build"), (".", "build"), ("build", "pdf")]
)
def test_an_unwritable_output_folder_is_a_located_error_with_a_hint(folder, command, built, cli, immutable):
    (built / "build").mkdir(exist_ok=True)
    write(built, "briefings/people/new.yaml", "name: Newcomer\n")  # so that docs/people/ is written to
    immutable(built / folder)
    run = cli(*command.split(), built)
    assert run.status == 1, run.err
    assert "internal error" not in run.err and "Traceback" not in run.err, run.err
    assert re.search(
        r"^\S+: error\[E216\]: could not be written: (Operation not permitted|Permission denied)\n    hint: ",
        run.err,
        re.M,
    ), run.err


# --- Caches, leftovers and children --------------------------------------------


@pytest.mark.parametrize("chosen", ["cache", ".", "docs/../.cache"])
def test_a_cache_folder_inside_the_project_is_never_used(chosen, built):
    """A pickle inside the project could be committed, and unpickled by someone else's build."""
    before = {rel for rel in snapshot(built) if not rel.startswith(("docs", "site"))}
    run = subprocess.run(
        [*CROSSBRIEF, "build", "--no-pdf", "."],
        capture_output=True,
        text=True,
        cwd=built,
        env={**os.environ, "CROSSBRIEF_CACHE_DIR": chosen},
    )
    assert run.returncode == 0, run.stderr
    after = {rel for rel in snapshot(built) if not rel.startswith(("docs", "site"))}
    assert after == before, after - before


def test_a_relative_cache_folder_is_taken_from_the_current_folder(built, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run(
        [*CROSSBRIEF, "check", str(built)],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={**os.environ, "CROSSBRIEF_CACHE_DIR": "cache"},
    )
    assert run.returncode == 0, run.stderr
    assert any(p.suffix == ".pickle" for p in (elsewhere / "cache").iterdir())


def test_only_staging_folders_crossbrief_made_are_cleared_and_a_reused_pid_does_not_keep_them(built, cli):
    from crossbrief import site

    mine = [".site.new-backup", ".site.new-1-my-notes", ".site.old-x"]
    for name in mine:
        write(built, f"{name}/keep.txt", "mine\n")
    # A killed run's folder whose pid another process has taken since (containers reuse the same few pids).
    other = subprocess.Popen(["sleep", "60"])
    try:
        stale = built / f".site.new-{other.pid}-k2j4h6g8"
        (stale / "assets").mkdir(parents=True)
        hour_ago = time.time() - 3600
        os.utime(stale, (hour_ago, hour_ago))
        site._recover((built / "site").resolve())
        assert not stale.exists()
    finally:
        other.kill()
        other.wait()
    assert all((built / name / "keep.txt").read_text() == "mine\n" for name in mine)

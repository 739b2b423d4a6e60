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

from crossbrief.load import load

from conftest import FIXTURES, REPO

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
    run = cli(command, root)
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
    write(built, "sources/wire-2020-01-03.md", SOURCE.replace("title: Minister resigns", "title: !!python/name:os.system"))
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
    started = time.perf_counter()
    try:
        _, problems = load(built)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.code for p in problems] == ["E102"]
    assert elapsed < 1.0 and peak < 5_000_000, (elapsed, peak)


def test_an_alias_without_anchor_is_refused(built, cli):
    write(built, "briefings/people/bad.yaml", "name: Bad\naliases: [*x]\n")
    refused(cli, built, "briefings/people/bad.yaml:2:11: error[E102]: YAML aliases")


def test_duplicate_keys_name_both_lines(built, cli):
    write(built, "briefings/people/bad.yaml",
          "name: Bad\nclaims:\n  - id: a\n    property: role\n    value: x\n    value: y\n"
          "    sources: [{source: wire-2020-01-02, quote: the minister, quote: resigned}]\n")
    write(built, "sources/wire-2020-01-03.md", SOURCE.replace("outlet: wire\n", "outlet: wire\ntitle: Again\n"))
    err = refused(cli, built,
                  "briefings/people/bad.yaml:6:5: error[E103]: duplicate key 'value' (first on line 5)",
                  "briefings/people/bad.yaml:7:62: error[E103]: duplicate key 'quote' (first on line 7, column 41)",
                  "sources/wire-2020-01-03.md:4:1: error[E103]: duplicate key 'title' (first on line 2)")
    assert "hint: keep one of the two, line 5 or line 6" in err


# Plain scalars that YAML 1.1 would turn into booleans, octal or float numbers, dates or nulls.
TRICKY = ["NO", "yes", "off", "0123", "1.10", "0x1F", "1e3", ".inf", "2012-07-06", "2012-07-06 14:30:00", "12:30:45", "1_000", "+1", "0o17"]


def test_implicit_typing_never_changes_a_string(built, cli):
    names = ", ".join(TRICKY)
    write(built, "briefings/people/tricky.yaml",
          f"name: NO\naliases: [{names}]\nclaims:\n"
          + "".join(f"  - id: c{i}\n    property: role\n    value: {t}\n"
                    f"    sources: [{{source: wire-2020-01-02, quote: the minister, said_by: {t}}}]\n"
                    # a said_by that looks like a hyphenated id must name a dossier
                    .replace(", said_by: 2012-07-06}", "}")
                    for i, t in enumerate(TRICKY)))
    write(built, "sources/wire-2020-01-03.md", "---\ntitle: 2012-07-06\noutlet: wire\npublished: 2020-01-03\nauthor: [0123, 1.10, off]\n---\nText.\n")
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
    write(built, "briefings/people/tricky.yaml",
          "name: Tricky\naliases: [Jane Roe]\nclaims:\n  - id: age\n    property: age\n    value: 0123\n"
          "    sources: [{source: wire-2020-01-02, quote: the minister}]\n")
    run = cli("export", built)
    tricky = next(d for d in json.loads(run.out)["dossiers"] if d["id"] == "tricky")
    assert tricky["claims"][0]["value"] == {"text": "123", "interval": [123, 123]}


@pytest.mark.parametrize("field,value,expected", [
    ("age", "NO", "E208"), ("age", "1e3", "E208"), ("age", "0x1F", "E208"), ("age", ".inf", "E208"),
    ("age", "9" * 400, "E208"), ("born", "NO", "E208"), ("born", "12:30:45", "E208"), ("born", "2012-13-45", "E208"),
])
def test_a_word_where_a_number_or_date_is_due_is_a_typed_error(field, value, expected, built, cli):
    write(built, "briefings/people/bad.yaml",
          f"name: Bad\naliases: [Jane Roe]\nclaims:\n  - id: c\n    property: {field}\n    value: {value}\n"
          "    sources: [{source: wire-2020-01-02, quote: the minister}]\n")
    refused(cli, built, f"briefings/people/bad.yaml:6:12: error[{expected}]")


def test_typed_fields_refuse_words(built, cli):
    write(built, "briefings/properties.yaml", "mood: {label: Mood, type: text, single: NO}\n")
    write(built, "sources/wire-2020-01-03.md", SOURCE.replace("published: 2020-01-02", "published: NO"))
    write(built, "briefings/events/when.yaml", "name: When\ndate: yes\n")
    refused(cli, built, "briefings/properties.yaml:1:41: error[E114]: 'single' must be true or false, not 'NO'",
            "sources/wire-2020-01-03.md:4:12: error[E114]", "briefings/events/when.yaml:2:7: error[E208]")


def test_deep_nesting_is_refused(built, cli):
    block = "".join("  " * i + "- \n" for i in range(45))
    write(built, "briefings/people/deep.yaml", "name: Deep\naliases:\n" + block)
    write(built, "sources/wire-2020-01-03.md", SOURCE.replace("title: Minister resigns", "title: " + "{a: " * 50 + "x" + "}" * 50))
    refused(cli, built, "briefings/people/deep.yaml:42:79: error[E104]: nested deeper than 40 levels",
            "sources/wire-2020-01-03.md:2:164: error[E104]: nested deeper than 40 levels")


def test_files_over_the_size_limit_are_refused_unread(built, cli):
    write(built, "briefings/people/huge.yaml", "name: Huge\nsummary: " + "x" * 2_000_001 + "\n")
    write(built, "sources/wire-2020-01-03.md", SOURCE + "lorem ipsum " * 200_000)
    refused(cli, built, "briefings/people/huge.yaml: error[E104]: larger than 2,000,000 bytes",
            "sources/wire-2020-01-03.md: error[E104]")


@pytest.mark.parametrize("data,message", [
    (b"name: \xff\xfe Bad\n", "not UTF-8 text"),
    (b"name: Bad\x00\n", "YAML syntax error"),
    (b"name: Bad\x1b[31m\n", "YAML syntax error"),
    (b"name: 'Bad\n", "YAML syntax error"),
    (b"---\nname: A\n---\nname: B\n", "more than one YAML document"),
    (b"- name\n", "a dossier must be a mapping"),
    (b"", "the file is empty"),
])
def test_malformed_files_are_diagnosed(data, message, built, cli):
    (built / "briefings/people/bad.yaml").write_bytes(data)
    err = refused(cli, built, "briefings/people/bad.yaml")
    assert message in err


# --- Files: ids, symlinks, collisions ----------------------------------------

@pytest.mark.parametrize("name", ["-x", "x.y", "x..", "X", "jane roe", "ｘ", "x\u0301", "x\\..\\y", "x;rm -rf", "a" * 81])
def test_file_names_that_break_the_id_rule_are_refused(name, built, cli):
    write(built, f"briefings/people/{name}.yaml", "name: Odd\naliases: [Jane Roe]\n")
    refused(cli, built, f"briefings/people/{name}.yaml: error[E201]: '{name}' is not a valid id")


@pytest.mark.parametrize("rel", ["briefings/people/link.yaml", "sources/link.md", "briefings/link.yaml", "briefings/properties.yaml"])
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


@pytest.mark.parametrize("other", ["briefings/people/Jane-Roe.yaml", "sources/ｊane-roe.md", "briefings/organisations/JANE-ROE.yaml"])
def test_ids_colliding_by_case_or_normalisation_name_both_files(other, built, cli):
    write(built, other, SOURCE if other.endswith(".md") else "name: Other\naliases: [Jane Roe]\n")
    err = refused(cli, built, f"{other}: error[E201]")
    mine, theirs = other, "briefings/people/jane-roe.yaml"
    assert (f"{mine}: error[E202]: id '{Path(mine).stem}' is already used by {theirs}" in err
            or f"{theirs}: error[E202]: id '{Path(theirs).stem}' is already used by {mine}" in err), err


def test_ids_differing_only_by_unicode_normal_form_name_both_files(built, cli):
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    write(built, f"briefings/people/{composed}.yaml", "name: A\naliases: [Jane Roe]\n")
    write(built, f"briefings/people/{decomposed}.yaml", "name: B\naliases: [Jane Roe]\n")
    err = refused(cli, built)
    assert re.search(rf"error\[E202\]: id '({composed}|{decomposed})' is already used by briefings/people/({composed}|{decomposed}).yaml", err)


# --- Output ------------------------------------------------------------------

@pytest.mark.parametrize("setting", ["site_dir: briefings", "site_dir: sources/site", "docs_dir: briefings/people",
                                     "site_dir: .", "site_dir: ..", "docs_dir: sources/../sources"])
def test_output_can_never_land_among_the_curated_files(setting, built, cli):
    write(built, "mkdocs.yml", f"site_name: T\nuse_directory_urls: false\ntheme: {{name: material, font: false}}\n{setting}\n")
    refused(cli, built, "mkdocs.yml: error[E211]")


@pytest.mark.parametrize("link,target", [("site", "briefings"), ("docs", "sources"), ("site", "sources/x")])
def test_output_symlinked_into_the_curated_files_is_refused(link, target, built, cli):
    shutil.rmtree(built / link)
    (built / target).mkdir(exist_ok=True)
    (built / link).symlink_to(built / target, target_is_directory=True)
    refused(cli, built, "mkdocs.yml: error[E211]")

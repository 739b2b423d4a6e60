"""One broken project per diagnostic code, with its exact expected output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from crossbrief.model.problems import CODES

CASES = FIXTURES / "diagnostics"
# E212 needs a docs folder that crossbrief did not write; test_site.py covers it.
NOT_A_FIXTURE = {"E212"}


def overlay(tmp_path: Path, code: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root, ignore=shutil.ignore_patterns("docs", "site"))
    shutil.copytree(CASES / code, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt", "args.txt"))
    return root


@pytest.mark.parametrize("code", sorted(p.name for p in CASES.iterdir()))
def test_each_code_prints_its_exact_diagnostic(code, tmp_path, cli, golden):
    root = overlay(tmp_path, code)
    args_file = CASES / code / "args.txt"
    args = args_file.read_text().split() if args_file.exists() else ["check"]
    run = cli(*args, root)
    assert run.status == 1
    assert "Traceback" not in run.err
    assert f"[{code}]" in run.err
    golden(CASES / code / "expected.txt", run.err.replace(str(root.resolve()), "ROOT"))


def test_every_code_has_a_broken_fixture():
    assert set(CODES) - NOT_A_FIXTURE == {p.name for p in CASES.iterdir()}


def test_every_code_is_documented_in_the_user_guide():
    guide = (REPO / "guide" / "docs" / "diagnostics.md").read_text()
    documented = dict(re.findall(r"^\| ([EW]\d{3}) \| (.+) \|$", guide, re.M))
    assert set(documented) == set(CODES)


def test_all_problems_are_reported_at_once_sorted(tmp_path, cli):
    root = overlay(tmp_path, "E203")
    for code in ("E114", "W302"):
        shutil.copytree(CASES / code, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.txt"))
    run = cli("check", root)
    lines = [line for line in run.err.splitlines() if not line.startswith("    ")]
    assert run.status == 1
    assert [re.search(r"\[(\w+)\]", line)[1] for line in lines[:-1]] == ["W302", "E203", "E114", "E114"]
    assert lines[-1] == "3 errors, 1 warning in 7 files"


def test_clean_project_exits_zero(project, cli):
    run = cli("check", project("minimal"))
    assert (run.status, run.out, run.err) == (0, "no problems in 4 files\n", "")


def test_warnings_fail_only_under_strict(tmp_path, cli):
    root = overlay(tmp_path, "W302")
    assert cli("check", root).status == 0
    assert cli("check", "--strict", root).status == 1


@pytest.mark.parametrize("args", [["check", "/nonexistent/x"], ["frobnicate"], ["check", "--bogus", "."]])
def test_usage_errors_exit_two(args, cli):
    run = cli(*args)
    assert run.status == 2
    assert "Traceback" not in run.err


def _seed(tmp_path) -> Path:
    root = tmp_path / "seed"
    for name in ("briefings", "sources"):
        shutil.copytree(REPO / name, root / name)
    return root


def test_a_file_that_cannot_be_read_is_the_only_error_not_its_referrers(tmp_path, cli):
    """A syntax error in the AFP dossier and in an AFP article: what names them (an outlet, an agency, [[links]],
    citations) is not reported as a mistake of its own, nor any dossier as unreferenced."""
    root = _seed(tmp_path)
    with open(root / "briefings/organisations/afp.yaml", "a") as f:
        f.write("name: [broken\n")
    source = root / "sources/afp-2012-07-06.md"
    source.write_text(source.read_text().replace("outlet: afp", "outlet: [afp", 1))
    run = cli("check", "--strict", root)
    lines = [line for line in run.err.splitlines() if "W303" not in line and not line.startswith("    hint: ")]
    assert lines[:2] == [
        "briefings/organisations/afp.yaml:22:1: error[E101]: YAML syntax error: did not find expected ',' or ']'",
        "sources/afp-2012-07-06.md:4:10: error[E101]: YAML syntax error: did not find expected ',' or ']'",
    ]
    assert not [line for line in lines[2:-1] if "error" in line or "W302" in line], run.err
    assert run.status == 1


def test_a_reference_to_a_missing_file_is_still_reported(tmp_path, cli):
    root = _seed(tmp_path)
    (root / "briefings/organisations/afp.yaml").unlink()
    run = cli("check", root)
    assert "sources/afp-2012-07-06.md:3:9: error[E206]: outlet 'afp' is not a dossier id" in run.err


PASTED = "Assad refused to promote him from brigadier general to divisional general or commander"


@pytest.mark.parametrize(
    "mistake, line, message, hint",
    [
        (
            ("quote: " + PASTED, "quote: Assad refused: to promote him"),
            34,
            "the value of 'quote' holds ': ', which YAML reads as the start of another key",
            "put it in quotes: quote: 'Assad refused: to promote him'",
        ),
        (
            ("quote: " + PASTED, 'quote: "Assad refused" to promote him'),
            34,
            "the value of 'quote' starts with a quote mark, so YAML takes only the text up to the closing one",
            "put the whole value in quotes: quote: '\"Assad refused\" to promote him'",
        ),
        (
            ("        quote: Brig Gen Manaf Tlas fled", "      quote: Brig Gen Manaf Tlas fled"),
            32,
            "this line is indented 6 spaces, but 'source:' on line 31 is indented 8",
            "indent it by 8 spaces, as 'source:' on line 31",
        ),
        (
            ("    property: role\n", ""),
            36,
            "a claim has no 'property'",
            "add a line 'property: ...' to it",
        ),
    ],
    ids=["colon", "opening-quote", "indentation", "no-property"],
)
def test_a_paste_mistake_gives_one_diagnostic_at_its_line_with_the_fix(tmp_path, cli, mistake, line, message, hint):
    root = _seed(tmp_path)
    dossier = root / "briefings/people/manaf-tlass.yaml"
    text = dossier.read_text()
    assert mistake[0] in text
    dossier.write_text(text.replace(mistake[0], mistake[1], 1))
    run = cli("check", root)
    assert run.status == 1
    diagnostics = [line for line in run.err.splitlines() if ": error[" in line or ": warning[" in line]
    assert len(diagnostics) == 1, run.err
    assert diagnostics[0].startswith(f"briefings/people/manaf-tlass.yaml:{line}:")
    assert diagnostics[0].endswith(message)
    assert f"    hint: {hint}" in run.err

"""One broken project per diagnostic code, with its exact expected output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from crossbrief.problems import CODES

from conftest import FIXTURES, REPO

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


def test_every_code_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text()
    documented = dict(re.findall(r"^\| ([EW]\d{3}) \| (.+) \|$", readme, re.M))
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

"""scripts/pre-commit: a commit whose staged briefing has errors or is not in canonical form is refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitutil import INITIAL, GitProject

from conftest import REPO

HOOK = REPO / "scripts" / "pre-commit"


@pytest.fixture
def repo(tmp_path) -> GitProject:
    g = GitProject(tmp_path / "p")
    g.write(INITIAL)
    g.commit("Initial briefing")
    (g.root / "scripts").mkdir()
    shutil.copy2(HOOK, g.root / "scripts" / "pre-commit")
    os.symlink("../../scripts/pre-commit", g.root / ".git" / "hooks" / "pre-commit")  # the documented install
    return g


def commit(g: GitProject, *paths: str) -> subprocess.CompletedProcess:
    """`git commit` with the hook, crossbrief on the PATH."""
    env = {**g.env(), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["git", "add", "--", *paths], cwd=g.root, env=env, check=True)
    return subprocess.run(["git", "commit", "-q", "-m", "change"], cwd=g.root, env=env, capture_output=True, text=True)


def test_a_clean_change_is_committed(repo):
    repo.edit("briefings/people/jane-roe.yaml", "value: minister", "value: finance minister")
    done = commit(repo, "briefings/people/jane-roe.yaml")
    assert done.returncode == 0, done.stderr
    assert "no problems in 6 files" in done.stderr  # git shows a hook's output on stderr


def test_a_broken_quote_is_refused(repo):
    repo.edit("briefings/people/jane-roe.yaml", "quote: Ms Roe, 52,", "quote: Ms Roe, 53,")
    done = commit(repo, "briefings/people/jane-roe.yaml")
    assert done.returncode == 1
    assert "briefings/people/jane-roe.yaml:15:16: error[E203]: quote not found in source wire-2020-01-02" in done.stderr
    assert "pre-commit: commit refused" in done.stderr
    assert repo.git("rev-list", "--count", "HEAD").strip() == "1"


def test_a_file_not_in_canonical_form_is_refused(repo):
    repo.edit("briefings/organisations/wire.yaml", "kind: news-agency\n", "kind: 'news-agency'\n")
    done = commit(repo, "briefings/organisations/wire.yaml")
    assert done.returncode == 1
    assert "would reformat briefings/organisations/wire.yaml" in done.stderr
    assert "pre-commit: run 'crossbrief fmt .' and stage the result" in done.stderr


def test_what_is_staged_is_checked_not_the_working_tree(repo):
    path = "briefings/people/jane-roe.yaml"
    repo.edit(path, "value: minister", "value: finance minister")
    subprocess.run(["git", "add", path], cwd=repo.root, check=True, env=repo.env())
    repo.edit(path, "quote: Ms Roe, 52,", "quote: broken")  # not staged
    index = (repo.root / ".git" / "index").read_bytes()
    env = {**repo.env(), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["git", "commit", "-q", "-m", "staged part"], cwd=repo.root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "quote: broken" in (repo.root / path).read_text()  # the working tree is left alone
    assert index != (repo.root / ".git" / "index").read_bytes()  # (the commit itself updates the index)


def test_commits_that_do_not_touch_the_briefing_are_not_checked(repo):
    repo.edit("briefings/people/jane-roe.yaml", "quote: Ms Roe, 52,", "quote: broken")  # broken, but not staged
    repo.write({"notes.txt": "x"})
    done = commit(repo, "notes.txt")
    assert done.returncode == 0, done.stderr
    assert "no problems" not in done.stderr

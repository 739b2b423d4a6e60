"""Compare two revisions of a project: each side loaded (from git objects or the working tree),
analysed and checked, then diffed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from crossbrief.analyse import Analysis, analyse
from crossbrief.check import check
from crossbrief.load import load
from crossbrief.model.problems import Problem
from crossbrief.review.diff import Diff, diff
from crossbrief.review.gitrepo import GitError, Repo

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Side:
    """One side of a comparison."""

    revision: str
    """The revision as given (`HEAD`, `main~2`), or empty for the working tree or an empty project."""
    commit: str
    """The commit id it resolved to, or empty."""
    analysis: Analysis
    """The project at that revision, analysed."""
    problems: tuple[Problem, ...]
    """What `check` finds there (load problems included)."""

    @property
    def label(self) -> str:
        """How the side reads: `HEAD (1a2b3c4)`, `1a2b3c4`, `working tree`, `nothing`."""
        if not self.commit:
            return self.revision or WORKING_TREE
        if self.revision and not self.commit.startswith(self.revision):
            return f"{self.revision} ({self.commit[:7]})"
        return self.commit[:7]

    def describe(self) -> dict:
        """The side as plain data, for JSON."""
        return {"label": self.label, "revision": self.revision or None, "commit": self.commit or None}


def side(root: Path, files=None, revision: str = "", commit: str = "") -> Side:
    """Load, analyse and check a project from the working tree, or from `files` (a git revision)."""
    project, problems = load(root, files)
    analysis = analyse(project)
    return Side(revision, commit, analysis, tuple(sorted({*problems, *check(analysis)})))


def empty_side(root: Path) -> Side:
    """The project before its first commit: nothing at all."""
    return side(root, lambda problems: iter(()), revision="nothing")


def commit_side(repo: Repo, commit: str, revision: str = "") -> Side:
    """The project at a commit id."""
    return side(repo.root, repo.files(commit), revision, commit)


def compare(root: str | os.PathLike, base: str | None = None, head: str | None = None) -> tuple[Diff, Side, Side]:
    """The semantic diff from `base` (default HEAD) to `head` (default the working tree).

    Raises RevisionError for a refused or unknown revision, GitError outside a repository.
    """
    root = Path(root)
    with _repo(root) as repo:
        base_rev = "HEAD" if base is None else base
        base_commit = repo.resolve(base_rev)
        head_commit = repo.resolve(head) if head is not None else ""
        old = commit_side(repo, base_commit, base_rev)
        new = commit_side(repo, head_commit, head) if head is not None else side(root)
    return diff(old.analysis, new.analysis, old.problems, new.problems), old, new


def _repo(root: Path) -> Repo:
    repo = Repo.find(root)
    if repo is None:
        raise GitError(f"{root} is not in a git repository (or git is not installed)")
    return repo

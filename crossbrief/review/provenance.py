"""Provenance from the git history: who added each claim and who last changed it, when each
dossier last changed, and the latest commits touching the briefing with their semantic diffs.

One `git log --raw` pass lists every commit touching briefings/ or sources/
with the blob ids of the files it changed; the dossier blobs are read through
one `cat-file --batch` process and parsed once each, so the cost grows with
the number of changes, not with the number of dossiers times commits.
Outside a git repository, in a shallow clone, or with CROSSBRIEF_NO_HISTORY
set, there is no history and everything builds without it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

from crossbrief import load
from crossbrief.analyse import Analysis
from crossbrief.infra import fork
from crossbrief.infra.store import Store, unpickled
from crossbrief.load import projectfiles
from crossbrief.model import Dossier, Property
from crossbrief.review import Side, commit_side, empty_side
from crossbrief.review.diff import Diff, diff, fingerprint, match_renames
from crossbrief.review.gitrepo import Commit, FileChange, GitError, Repo

CHANGES = 20
"""How many of the latest commits the Changes page shows, unless CROSSBRIEF_CHANGES says otherwise."""
_DIFFS: dict[bytes, Diff] = {}
"""Diffs between two commits never change: kept across builds in one process (`mkdocs serve`), and on
disk across runs (a Store), where each costs a second at the M benchmark's size to compute again."""


@dataclass(frozen=True)
class ClaimHistory:
    """When a claim was added and last changed."""

    added: Commit
    """The commit that added the claim (under its current id, through dossier renames)."""
    changed: Commit
    """The latest commit that changed what it says; `added` if none did."""
    uncommitted: bool
    """Whether the working tree says something else than the latest commit."""


@dataclass(frozen=True)
class History:
    """What the git history tells about a project."""

    claims: dict[str, ClaimHistory]
    """By `<dossier>#<claim>`, for the claims in the analysed project that were ever committed."""
    files: dict[str, Commit]
    """The latest commit touching each project file, by relative path."""
    changes: tuple[tuple[Commit, Diff], ...]
    """The latest commits touching the briefing, newest first, each with its semantic diff."""

    def claim(self, ref: str) -> ClaimHistory | None:
        """A claim's history, if it has one."""
        return self.claims.get(ref)

    def revision_date(self, path: str) -> str:
        """The date (YYYY-MM-DD) of the latest commit touching a file; empty if none."""
        commit = self.files.get(path)
        return commit.day if commit else ""


def attach(analysis: Analysis, limit: int | None = None) -> Analysis:
    """The analysis with its history, when the project is in a git repository with its history."""
    if limit is None:
        setting = os.environ.get("CROSSBRIEF_CHANGES", "")
        limit = int(setting) if setting.isdigit() else CHANGES
    found = history(Path(analysis.project.root), analysis, limit)
    return replace(analysis, history=found) if found else analysis


def history(root: Path, analysis: Analysis, limit: int = CHANGES) -> History | None:
    """The project's history, or None outside a full git repository."""
    if os.environ.get("CROSSBRIEF_NO_HISTORY"):
        return None
    repo = Repo.find(root)
    if repo is None:
        return None
    with repo:
        try:
            if repo.is_shallow():
                return None
            log = repo.log("--reverse", "--topo-order", "HEAD")
        except GitError:  # no commit yet
            return None
        claims, files = _walked(repo, log, analysis.project.properties)
        current = {c.ref: c for c in analysis.claims.values()}
        found = {
            ref: ClaimHistory(added, changed, fp != fingerprint(current[ref]))
            for ref, (added, changed, fp) in claims.items()
            if ref in current
        }
        changes = _changes(repo, [commit for commit, _ in reversed(log[-limit:])] if limit else [], len(current))
    return History(dict(sorted(found.items())), dict(sorted(files.items())), changes)


class _Dossiers:
    """Dossier blobs read and parsed once each."""

    def __init__(self, repo: Repo, properties: dict[str, Property]):
        self.repo, self.properties, self.cache = repo, properties, {}

    def get(self, blob: str, path: str) -> Dossier | None:
        if not blob:
            return None
        if (blob, path) not in self.cache:  # the path too: a dossier's id is its file name
            text = projectfiles.decode(path, self.repo.blob(blob), [])
            self.cache[blob, path] = load.load_dossier(path, text, self.properties) if text is not None else None
        return self.cache[blob, path]

    def claims(self, blob: str, path: str) -> dict[str, tuple]:
        dossier = self.get(blob, path)
        return {c.id: fingerprint(c) for c in dossier.claims if c.id} if dossier else {}


def _walked(repo: Repo, log: list[tuple[Commit, list[FileChange]]], properties: dict[str, Property]):
    """What `_walk` finds, kept on disk with the commits it replayed (and the property registry the
    dossiers were read with): replaying thousands of dossiers takes seconds, so a history that only grew
    since is replayed from where the last replay ended; one rewritten (a rebase, a reset) from the start."""
    key = hashlib.sha256(repr(tuple(properties.items())).encode()).digest()  # the store is the project's own
    ids = tuple(commit.id for commit, _ in log)
    store = Store.of(repo.root, "history")
    found = unpickled(store.read(), key) if store else None
    done, records, files = found if isinstance(found, tuple) and len(found) == 3 else ((), {}, {})
    if ids[: len(done)] != done:
        done, records, files = (), {}, {}
    if done == ids:
        return records, files
    records, files = _walk(repo, log[len(done) :], properties, records, files)
    if store:
        store.write({key: pickle.dumps((ids, records, files), pickle.HIGHEST_PROTOCOL)})  # only the latest
    return records, files


def _walk(
    repo: Repo,
    log: list[tuple[Commit, list[FileChange]]],
    properties: dict[str, Property],
    records: dict[str, tuple[Commit, Commit, tuple]],
    files: dict[str, Commit],
):
    """Replay the history, oldest first, from where `records` and `files` leave it (updated in place):
    (added, changed, fingerprint) by claim ref, and each file's latest commit."""
    dossiers = _Dossiers(repo, properties)
    for commit, changes in log:
        for fc in changes:
            if fc.new:
                files[fc.path] = commit
            else:
                files.pop(fc.path, None)
        changes = [fc for fc in changes if _is_dossier(fc.path)]
        removed = [d for fc in changes if not fc.new and (d := dossiers.get(fc.old, fc.path))]
        added = [d for fc in changes if not fc.old and (d := dossiers.get(fc.new, fc.path))]
        renamed_from = {new: old for old, new in match_renames(removed, added).items()}
        gone = {}
        for fc in changes:
            if not fc.new:
                dossier = load.file_id(fc.path)
                for cid in dossiers.claims(fc.old, fc.path):
                    gone[(dossier, cid)] = records.pop(f"{dossier}#{cid}", None)
        for fc in changes:
            if not fc.new:
                continue
            dossier = load.file_id(fc.path)
            before, after = dossiers.claims(fc.old, fc.path), dossiers.claims(fc.new, fc.path)
            for cid in before.keys() - after.keys():
                records.pop(f"{dossier}#{cid}", None)
            source = renamed_from.get(dossier)
            for cid, fp in after.items():
                ref = f"{dossier}#{cid}"
                prev = records.get(ref) if cid in before else gone.get((source, cid)) if source else None
                if prev is None:
                    records[ref] = (commit, commit, fp)
                elif prev[2] != fp:
                    records[ref] = (prev[0], commit, fp)
                else:
                    records[ref] = prev
    return records, files


def _is_dossier(path: str) -> bool:
    return projectfiles.is_project_file(path) and path.count("/") == 2


def _changes(repo: Repo, commits: list[Commit], claims: int) -> tuple[tuple[Commit, Diff], ...]:
    """Each commit with its semantic diff against its first parent (against nothing for a root commit)."""
    root = os.fsencode(repo.root.resolve())  # a repository can hold several projects
    keys = [
        hashlib.sha256(b"%s\0%s\0%s" % (root, (c.parents[0] if c.parents else "").encode(), c.id.encode())).digest()
        for c in commits
    ]
    if len(_DIFFS) > 256:
        _DIFFS.clear()
    store = Store.of(repo.root, "diffs") if any(key not in _DIFFS for key in keys) else None
    stored = store.read() if store else {}
    for key in keys:
        if key not in _DIFFS and isinstance(found := unpickled(stored, key), Diff):
            _DIFFS[key] = found
    sides: dict[str, Side] = {}
    missing = [(commit, key) for commit, key in zip(commits, keys) if key not in _DIFFS]
    # a commit's diff reads two revisions of the whole project: some ten pages' worth of work per
    # hundred claims (and the child reads blobs through a git process of its own: see Repo.blob)
    _DIFFS.update(
        fork.map_jobs(missing, lambda job: (job[1], _commit_diff(repo, job[0], sides)), weight=max(1, claims // 10))
    )
    if store and stored.keys() != set(keys):  # only the diffs shown now, so the file stays small
        store.write({key: stored.get(key) or pickle.dumps(_DIFFS[key], pickle.HIGHEST_PROTOCOL) for key in keys})
    return tuple(zip(commits, (_DIFFS[key] for key in keys)))


def _commit_diff(repo: Repo, commit: Commit, sides: dict[str, Side]) -> Diff:
    """The diff of a commit against its first parent; `sides` keeps the two revisions for the next
    commit, which shares one of them whether it comes after or before (and lets go of the others)."""
    parent = commit.parents[0] if commit.parents else ""
    for c in (parent, commit.id):
        if c not in sides:
            sides[c] = commit_side(repo, c) if c else empty_side(repo.root)
    for c in sides.keys() - {parent, commit.id}:
        del sides[c]
    old, new = sides[parent], sides[commit.id]
    return diff(old.analysis, new.analysis, old.problems, new.problems)


def page_context() -> dict:
    """What the Changes page's template needs besides the analysis."""
    from crossbrief.review.diff import SECTIONS
    from crossbrief.review.diffformat import excerpt, word

    return {"sections": SECTIONS, "word": word, "excerpt": excerpt}


def revision_date(analysis: Analysis, path: str) -> str:
    """The day of the latest commit touching a project file, empty without history: a dossier's or
    source's page gives it as `revision_date`, which Material shows with no plugin."""
    history: History | None = analysis.history
    return history.revision_date(path) if history else ""


def export(analysis: Analysis, claim_ref: str) -> dict | None:
    """A claim's provenance as plain data, for `export`."""
    history: History | None = analysis.history
    found = history.claim(claim_ref) if history else None
    if found is None:
        return None
    return {"added": _commit(found.added), "changed": _commit(found.changed), "uncommitted": found.uncommitted}


def _commit(c: Commit) -> dict:
    return {"commit": c.id, "author": c.author, "date": c.date, "subject": c.subject}

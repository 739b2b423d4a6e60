"""Read a project's files and history from git, never writing anything (but `init`, which makes a new repository
for `crossbrief init --git`).

Git runs as a subprocess with a list of arguments (no shell), with
`-c core.quotepath=off` and `--` before paths. A revision given by a user is
refused if it starts with `-` or holds control characters, and is resolved to
a commit id with `rev-parse --verify --end-of-options` before any other use.
Files are read from git objects (`ls-tree`, one `cat-file --batch` process),
so no checkout happens and neither the working tree nor the index changes.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from crossbrief.load import projectfiles
from crossbrief.load.fields import CONTROL
from crossbrief.model.problems import Location, Problem

ZERO = "0" * 40
_SHA = re.compile(r"[0-9a-f]{40}")
# Variables a git hook or a caller may set that would point git at another repository or index.
_UNSET = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_PREFIX",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_COMMON_DIR",
)


class GitError(Exception):
    """git is missing, or failed."""


class RevisionError(GitError):
    """A revision was refused, or names no commit."""


@dataclass(frozen=True)
class Commit:
    """A commit, as the history shows it."""

    id: str
    """The full commit id."""
    parents: tuple[str, ...]
    """The parents' ids; none for a root commit."""
    author: str
    """The author's name."""
    date: str
    """The author date, ISO 8601 with offset."""
    subject: str
    """The first line of the message."""

    @property
    def short(self) -> str:
        """The id abbreviated to 7 characters."""
        return self.id[:7]

    @property
    def day(self) -> str:
        """The author date as YYYY-MM-DD."""
        return self.date[:10]


@dataclass(frozen=True)
class FileChange:
    """A file a commit changed, with its blob ids before and after (empty when absent)."""

    path: str
    """The path relative to the project root."""
    old: str
    """The blob before the commit, or empty if the commit added the file."""
    new: str
    """The blob after the commit, or empty if the commit deleted the file."""


def refuse(rev: str) -> str:
    """Why a revision given by a user is refused before git sees it; empty if it may be passed on."""
    if not rev:
        return "an empty revision"
    if rev.startswith("-"):
        return "a revision may not start with '-'"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in rev):
        return "a revision may not hold control characters"
    if len(rev) > 256:
        return "a revision may not be longer than 256 characters"
    return ""


class Repo:
    """The git repository holding a project root; use `Repo.find`, and `close` (or `with`) when done."""

    def __init__(self, root: Path, top: Path):
        self.root = Path(root)
        """The project root, where git runs (paths are relative to it)."""
        self.top = top
        """The repository's top-level folder."""
        self._batch: subprocess.Popen | None = None
        self._batch_owner = 0
        self._blobs: dict[str, bytes] = {}

    @classmethod
    def find(cls, root: str | os.PathLike) -> Repo | None:
        """The repository whose working tree holds `root`, or None (no git, not a repository, not trusted)."""
        try:
            out = _run(Path(root), "rev-parse", "--show-toplevel")
        except GitError:
            return None
        return cls(Path(root), Path(out.decode("utf-8", "replace").rstrip("\n")))

    def __enter__(self) -> Repo:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the cat-file process, if one was started."""
        if self._batch:
            self._batch.stdin.close()
            self._batch.wait()
            self._batch = None

    def git(self, *args: str) -> bytes:
        """Run a read-only git command in the project root; its standard output."""
        return _run(self.root, *args)

    def resolve(self, rev: str) -> str:
        """The commit id a user's revision names; RevisionError if refused or unknown."""
        why = refuse(rev)
        if why:
            raise RevisionError(f"refused revision {rev!r}: {why}")
        try:  # the object first, then its commit: `^{commit}` added to `:/text` would be part of the text looked for
            return self._object(rev, self._object(rev, rev) + "^{commit}")
        except RevisionError as e:
            if self.is_shallow():  # CI's checkouts are: the commit may be one the clone does not have
                raise RevisionError(
                    f"{e}; this clone is shallow, so older commits are missing: git fetch --unshallow"
                ) from None
            raise

    def _object(self, rev: str, wanted: str) -> str:
        """The id of the object `wanted` names (a revision `rev` leads to); RevisionError if none."""
        try:
            out = self.git("rev-parse", "--verify", "--quiet", "--end-of-options", wanted)
        except GitError:
            raise RevisionError(f"unknown revision {rev!r}: it names no commit") from None
        found = out.decode("ascii", "replace").strip()
        if not _SHA.fullmatch(found):
            raise RevisionError(f"unknown revision {rev!r}: it names no commit")
        return found

    def is_shallow(self) -> bool:
        """Whether the clone lacks history (a CI checkout with depth 1, say)."""
        return self.git("rev-parse", "--is-shallow-repository").strip() == b"true"

    def files(self, commit: str) -> projectfiles.Files:
        """The project's files at a commit (an id from `resolve`), for `load.load(root, files)`."""
        if not _SHA.fullmatch(commit):
            raise RevisionError(f"not a commit id: {commit!r}")

        def provide(problems: list[Problem]):
            out = self.git("ls-tree", "-r", "-z", "--long", commit, "--", "briefings", "sources")
            for entry in out.split(b"\0"):
                if not entry:
                    continue
                meta, _, raw = entry.partition(b"\t")
                mode, kind, sha, size = meta.decode("ascii").split()
                rel = raw.decode("utf-8", "surrogateescape")
                if rel.rpartition("/")[0] in projectfiles.FOLDERS and (bad := projectfiles.name_problem(rel)):
                    problems.append(bad)
                elif rel in projectfiles.FOLDERS and mode == "120000":
                    problems.append(Problem(Location(rel), "E105", "a symlinked folder is not read"))
                elif not (projectfiles.is_project_file(rel) or rel == f"briefings/{projectfiles.PROPERTIES_FILE}"):
                    continue
                elif kind != "blob" or mode not in ("100644", "100755"):
                    problems.append(Problem(Location(rel), "E105", "not a regular file (symlinks are refused)"))
                    yield rel, None
                elif not projectfiles.size_ok(rel, int(size), problems):
                    yield rel, None
                else:
                    yield rel, projectfiles.decode(rel, self.blob(sha), problems)

        return provide

    def blob(self, sha: str) -> bytes:
        """An object's content, through one long-running `git cat-file --batch`."""
        if sha in self._blobs:
            return self._blobs[sha]
        if not _SHA.fullmatch(sha):
            raise GitError(f"not an object id: {sha!r}")
        if self._batch is None or self._batch_owner != os.getpid():  # a forked child must not share the parent's pipes
            self._batch_owner = os.getpid()
            self._batch = subprocess.Popen(
                _command("cat-file", "--batch"),
                cwd=self.root,
                env=_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        self._batch.stdin.write(sha.encode() + b"\n")
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        if len(header) != 3:
            raise GitError(f"cannot read object {sha}")
        data = self._batch.stdout.read(int(header[2]))
        self._batch.stdout.read(1)
        self._blobs[sha] = data
        return data

    def log(
        self, *args: str, paths: tuple[str, ...] = ("briefings", "sources")
    ) -> list[tuple[Commit, list[FileChange]]]:
        """Commits touching `paths` (newest first unless `--reverse` is among `args`), each with the files it changed.

        Merges show no changes (their parents' commits do); renames show as a
        deletion and an addition.
        """
        fmt = "%x01%H%x00%P%x00%an%x00%aI%x00%s"
        out = self.git(
            "log",
            *args,
            "-z",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--no-relative",
            "--no-color",
            "--no-show-signature",
            f"--format={fmt}",
            "--",
            *paths,
        )
        return _parse_log(out.decode("utf-8", "replace"), self.prefix())

    def prefix(self) -> str:
        """The project root's path inside the repository, with a trailing slash, or empty at the top."""
        if not hasattr(self, "_prefix"):
            self._prefix = self.git("rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").rstrip("\n")
        return self._prefix


def _parse_log(out: str, prefix: str) -> list[tuple[Commit, list[FileChange]]]:
    tokens = out.split("\0")
    found: list[tuple[Commit, list[FileChange]]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if token.startswith("\x01") and i + 4 < len(tokens):
            sha, parents, author, date, subject = token[1:], *tokens[i + 1 : i + 5]
            found.append((Commit(sha, tuple(parents.split()), _shown(author), date, _shown(subject)), []))
            i += 5
        elif token.startswith(":") and i + 1 < len(tokens) and found:
            _, _, old, new, _ = token[1:].split(" ", 4)
            path = tokens[i + 1]
            if path.startswith(prefix):
                found[-1][1].append(
                    FileChange(path[len(prefix) :], "" if old == ZERO else old, "" if new == ZERO else new)
                )
            i += 2
        else:
            i += 1
    return found


def _shown(text: str) -> str:
    """An author's name or a commit's subject with each control character (ESC, BEL) made U+FFFD: git
    takes them, and the pages, the export and a terminal must not (a project's files refuse them, E116)."""
    return CONTROL.sub("\ufffd", text)


def init(folder: Path) -> Path:
    """Make `folder` a new git repository; return its hooks folder."""
    _run(folder, "init", "-q")
    return folder / _run(folder, "rev-parse", "--git-path", "hooks").decode().strip()


def _command(*args: str) -> list[str]:
    return ["git", "-c", "core.quotepath=off", "-c", "log.showSignature=false", *args]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def _run(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            _command(*args), cwd=cwd, env=_env(), stdin=subprocess.DEVNULL, capture_output=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GitError(f"cannot run git: {e}") from None
    if done.returncode:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout

"""The project's files: which paths are briefings, dossiers and sources, and reading them from disk as text."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from crossbrief.model import SECTIONS
from crossbrief.model.problems import Location, Problem

MAX_FILE_BYTES = 2_000_000
PROPERTIES_FILE = "properties.yaml"

Files = Callable[[list[Problem]], Iterable[tuple[str, "str | None"]]]
"""A provider of project files other than the file system (a git revision, say): called with the
problem list, it yields (path relative to the root, text, or None when it could not be read and a
problem says why) for the files under briefings/ and sources/."""


FOLDERS = ("briefings", *(f"briefings/{s}" for s in SECTIONS), "sources")
"""The folders a project is read from, in reading order."""


def find_root(start: Path) -> Path | None:
    """The project `start` is in: the nearest of it and the folders above it holding briefings/ or sources/,
    as git finds its repository from any subfolder; `start` itself when it is one, so that paths print as given."""
    for folder in (start, *start.resolve().parents):
        if any((folder / name).is_dir() for name in ("briefings", "sources")):
            return folder
    return None


def is_project_file(rel: str) -> bool:
    """Whether a relative path names a briefing, a dossier or a source (the property registry aside)."""
    folder, _, name = rel.rpartition("/")
    suffix = ".md" if folder == "sources" else ".yaml"
    return (
        folder in FOLDERS
        and name.endswith(suffix)
        and not name.startswith(".")
        and rel != f"briefings/{PROPERTIES_FILE}"
    )


def read_order(rel: str) -> tuple[int, str]:
    """Where a file comes in reading order: its folder's place in FOLDERS, then its name."""
    folder, _, name = rel.rpartition("/")
    return FOLDERS.index(folder), name


def project_files(root: Path, problems: list[Problem]):
    """Yield the relative path of every briefing, dossier and source file, in a stable order."""
    wanted = [("briefings", ".yaml"), *((f"briefings/{s}", ".yaml") for s in SECTIONS), ("sources", ".md")]
    for folder, suffix in wanted:
        directory = root / folder
        if directory.is_symlink():
            problems.append(Problem(Location(folder), "E105", "a symlinked folder is not read"))
            continue
        if not directory.is_dir():
            continue
        for entry in sorted(os.scandir(directory), key=lambda e: e.name):
            rel = f"{folder}/{entry.name}"
            if entry.name.startswith("."):
                continue
            if (problem := name_problem(rel)) is not None:
                problems.append(problem)
                continue
            if not entry.name.endswith(suffix) or rel == f"briefings/{PROPERTIES_FILE}":
                continue
            yield rel


def name_problem(rel: str) -> Problem | None:
    """E105 for a file whose name is not UTF-8 (os and git give such a name with surrogates, which no page,
    id or terminal can take): it is not read, and the diagnostic shows the odd bytes as escapes."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
        return Problem(Location(shown), "E105", "its name is not UTF-8: it is not read", "rename it")
    return None


def unread_files(root: Path) -> list[Problem]:
    """W305 for each file under briefings/ and sources/ that no reader takes (`x.yml`, a misspelt or nested
    folder), lest a dossier be left out unnoticed. Hidden files (`.gitkeep`, an editor's swap file) are
    passed over; symlinked folders are not entered (project_files refuses them)."""
    problems = []
    for top in ("briefings", "sources"):
        for here, folders, names in os.walk(Path(root) / top):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            prefix = Path(here).relative_to(root).as_posix()
            for name in sorted(names):
                rel = f"{prefix}/{name}"
                if name.startswith("."):
                    continue
                if name_problem(rel) is not None:
                    if prefix not in FOLDERS:  # project_files reports those in the folders it reads
                        problems.append(name_problem(rel))
                elif (
                    not is_project_file(rel)
                    and rel != f"briefings/{PROPERTIES_FILE}"
                    and not _original_page(Path(here), name)
                ):
                    problems.append(
                        Problem(Location(rel), "W305", "crossbrief does not read this file", _where_files_go(rel))
                    )
    return problems


def _original_page(folder: Path, name: str) -> bool:
    """Whether a file is the web page a source was made from, kept beside it (`new source --keep-original`)."""
    return folder.name == "sources" and name.endswith(".html") and (folder / (name[:-5] + ".md")).is_file()


def _where_files_go(rel: str) -> str:
    folder = rel.rpartition("/")[0]
    if folder in FOLDERS:
        return "a source is a .md file, a briefing or dossier a .yaml file"
    return (
        "dossiers go straight in "
        + ", ".join(f for f in FOLDERS if f.count("/") == 1)
        + "; briefings in briefings/, sources in sources/"
    )


def read_file(root: Path, rel: str, problems: list[Problem]) -> str | None:
    """A file's text, or None with a problem if it is a symlink, too large or not UTF-8."""
    # os rather than pathlib, one lstat rather than three stats: a project has thousands of files
    path = os.path.join(root, rel)
    try:
        info = os.lstat(path)
    except OSError:
        info = None
    if info is None or not stat.S_ISREG(info.st_mode):
        problems.append(Problem(Location(rel), "E105", "not a regular file (symlinks are refused)"))
        return None
    if not size_ok(rel, info.st_size, problems):
        return None
    try:  # O_NOFOLLOW: the file may have become a symlink since
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb", buffering=0) as f:
            data = f.read()
    except OSError as e:
        problems.append(Problem(Location(rel), "E105", f"could not be read ({e.strerror})"))
        return None
    return decode(rel, data, problems)


def size_ok(rel: str, size: int, problems: list[Problem]) -> bool:
    """Whether a file is small enough to read; if not, a problem says so."""
    if size > MAX_FILE_BYTES:
        problems.append(Problem(Location(rel), "E104", f"larger than {MAX_FILE_BYTES:,} bytes"))
        return False
    return True


def decode(rel: str, data: bytes, problems: list[Problem]) -> str | None:
    """A file's bytes as text with Unix line ends and no byte order mark, or None with a problem if not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(Location(rel), "E105", f"not UTF-8 text ({e.reason} at byte {e.start})"))
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")

"""Typst, confined: a staging folder as its root, the fonts of the typst package alone, no package fetched,
and what it reports as crossbrief problems at the template's file and line.

The staging folder holds only what the PDF is made of: the print templates
(crossbrief's, each replaced by the project's `templates/print/` file of the
same name, pictures included) and `data.json`. Typst reads nothing outside
it: a template naming another file gets a located error (E213), as does one
importing a package, which is never fetched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import typst

from crossbrief.model.problems import Location, Problem

TEMPLATES = "templates/print"
"""Where the print templates are, in crossbrief and in a project."""

STANDARDS = {"pdf/ua-1": "ua-1", "pdf/a-2b": "a-2b"}
"""The PDF standards Typst can check a briefing against, by option value."""

_PROXIES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
_NO_PROXIES = ("no_proxy", "NO_PROXY")
_NOWHERE = "http://127.0.0.1:0"
"""A proxy no connection can be made to: port 0 is refused at once, on this machine."""

_DIAGNOSTIC = re.compile(r"^(error|warning): (.*)\n\s*┌─ (.+?):(\d+):(\d+)$", re.M)


@dataclass(frozen=True)
class Stage:
    """A staging folder: the files Typst may read, by their path in it, and where each came from."""

    files: dict[str, bytes]
    """Each file's bytes, by its path in the staging folder."""
    origins: dict[str, str]
    """Each template's path as a problem names it: `templates/print/x.typ` (the project's, or
    `crossbrief/templates/print/x.typ`, the shipped one), by its path in the staging folder."""


def shipped_templates() -> Path:
    return Path(str(resources.files("crossbrief").joinpath("templates", "print")))


def stage(root: Path, data: dict) -> Stage:
    """The files of the staging folder: the shipped templates, the project's over them, and data.json."""
    files, origins = {}, {}
    for folder, shown in ((shipped_templates(), "crossbrief/" + TEMPLATES), (Path(root) / TEMPLATES, TEMPLATES)):
        for path in _files(folder):
            rel = path.relative_to(folder).as_posix()
            files[rel], origins[rel] = path.read_bytes(), f"{shown}/{rel}"
    files["data.json"] = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Stage(files, origins)


def _files(folder: Path) -> Iterator[Path]:
    """A templates folder's regular files, hidden ones and symlinks passed over (a symlink may point anywhere)."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(p.startswith(".") for p in rel.parts):
            if not any(parent.is_symlink() for parent in [path, *path.parents][: len(rel.parts)]):
                yield path


@contextmanager
def _no_network() -> Iterator[None]:
    """Typst downloads a package it does not find locally, through the proxy the environment names: for the
    compile, that proxy is one no connection can be made to, with no exceptions."""
    saved = {k: os.environ.get(k) for k in (*_PROXIES, *_NO_PROXIES)}
    try:
        for k in _PROXIES:
            os.environ[k] = _NOWHERE
        for k in _NO_PROXIES:
            os.environ.pop(k, None)
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass(frozen=True)
class Compiled:
    pdf: bytes
    """The PDF, or b"" when Typst failed."""
    problems: tuple[Problem, ...]
    """Typst's errors and warnings, at the templates' lines."""


def compile_pdf(staged: Stage, main: str, standard: str | None, timestamp: int) -> Compiled:
    """Compile `main` (brief.typ or book.typ) in a staging folder of `staged`'s files."""
    with tempfile.TemporaryDirectory(prefix="crossbrief-pdf-") as tmp:
        folder = Path(tmp) / "root"
        for rel, content in staged.files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        empty = Path(tmp) / "packages"
        empty.mkdir()
        if not (folder / main).is_file():
            return Compiled(b"", (Problem(Location(TEMPLATES), "E213", f"template error: no {main}"),))
        try:
            with _no_network():
                pdf, warnings = typst.compile_with_warnings(
                    str(folder / main),
                    root=str(folder),
                    font_paths=[],
                    ignore_system_fonts=True,
                    package_path=str(empty),
                    package_cache_path=str(empty),
                    pdf_standards=[STANDARDS[standard]] if standard else [],
                    timestamp=timestamp,
                )
        except typst.TypstError as e:
            return Compiled(b"", tuple(_problems(e.diagnostic or str(e), folder, staged, main)))
        finally:
            shutil.rmtree(empty, ignore_errors=True)
    found = [p for w in warnings for p in _problems(w.diagnostic or w.message, folder, staged, main)]
    return Compiled(pdf, tuple(sorted(set(found))))


def _problems(diagnostic: str, folder: Path, staged: Stage, main: str) -> Iterator[Problem]:
    """Typst's diagnostics as problems at the template's line: errors E213, warnings W306."""
    found = False
    for m in _DIAGNOSTIC.finditer(diagnostic):
        found = True
        severity, message, path, line, column = m.groups()
        where = staged.origins.get(_in_stage(path, folder), path)
        message = _plainer(message)
        if severity == "error":
            yield Problem(Location(where, int(line), int(column)), "E213", f"template error: {message}", _HINT)
        else:
            yield Problem(Location(where, int(line), int(column)), "W306", f"Typst: {message}")
    if not found:
        first = diagnostic.strip().splitlines()[0] if diagnostic.strip() else "failed"
        yield Problem(
            Location(staged.origins.get(main, TEMPLATES)), "E213", f"template error: {_plainer(first)}", _HINT
        )


def _in_stage(path: str, folder: Path) -> str:
    """A path Typst names (relative to the current folder, or to its root) as a path in the staging folder."""
    for candidate in (Path(path), Path.cwd() / path):
        try:
            return candidate.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            continue
    return Path(path).as_posix()


_HINT = "the print templates may read only data.json and the files of templates/print/; no package is fetched"


def _plainer(message: str) -> str:
    """Typst's message, saying what crossbrief did where it names a path of its own."""
    message = re.sub(r"^error: ", "", message)
    if message.startswith("failed to download package"):
        package = re.search(r"/([^/\s]+)\.tar\.gz", message)
        return f"imports a package{f' ({package[1]})' if package else ''}: packages are never fetched"
    message = re.sub(r"\(searched at [^)]*\)", "(only the files of templates/print/ can be read)", message)
    return message

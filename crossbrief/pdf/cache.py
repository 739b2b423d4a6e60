"""The last PDF of each briefing and product, kept by what it is made of, so that a build with nothing changed
compiles nothing.

One file per project, briefing, product, paper and standard in the cache folder
($CROSSBRIEF_CACHE_DIR, else the user's cache folder; never inside the project):
the key, then the PDF. The key covers every input of the PDF: crossbrief's own
code and data, the typst package's version (its compiler and fonts), the
project's files (from which data.json is made), every file of the shipped and
the project's templates/print/ (all that Typst can read, pictures included),
and the options.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from functools import lru_cache
from importlib import resources
from pathlib import Path

import typst

from crossbrief.infra.write import atomic
from crossbrief.load import projectfiles

_KEY = 32


def folder(root: Path) -> Path | None:
    """Where this project's PDFs are kept, or None (no cache folder, or one inside the project)."""
    chosen = os.environ.get("CROSSBRIEF_CACHE_DIR")
    if chosen is None:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        try:
            chosen = str(Path(xdg) / "crossbrief" if os.path.isabs(xdg) else Path.home() / ".cache" / "crossbrief")
        except RuntimeError:  # no home folder
            return None
    if not chosen:
        return None
    base, root = Path(os.path.abspath(chosen)), Path(root).resolve()
    if root in (base, *base.parents) or root in (base.resolve(), *base.resolve().parents):
        return None
    return base / "pdf" / hashlib.sha256(os.fsencode(root)).hexdigest()[:24]


@lru_cache(maxsize=1)
def _code() -> bytes:
    """crossbrief's code and shipped data, as one digest: a new version makes new PDFs."""
    digest = hashlib.sha256(typst.__version__.encode())
    package = Path(str(resources.files("crossbrief")))
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml", ".typ", ".json") and path.is_file() and "__pycache__" not in path.parts:
            digest.update(b"\0%s\0%s" % (path.relative_to(package).as_posix().encode(), path.read_bytes()))
    return digest.digest()


def key(root: Path, options: str) -> bytes:
    """What a PDF is made of, read in a few milliseconds."""
    from crossbrief.pdf.engine import TEMPLATES, shipped_templates

    root = Path(root).resolve()
    digest = hashlib.sha256(_code() + options.encode())
    files = [root / rel for rel in (*projectfiles.project_files(root, []), f"briefings/{projectfiles.PROPERTIES_FILE}")]
    for templates in (root / TEMPLATES, shipped_templates()):
        if templates.is_dir():
            files += sorted(p for p in templates.rglob("*") if p.is_file())
    for path in files:
        with suppress(OSError):
            digest.update(b"\0%s\0%s" % (os.fsencode(path), path.read_bytes()))
    return digest.digest()


def read(where: Path | None, name: str, wanted: bytes) -> bytes | None:
    """The PDF kept under `name`, if it was made of the same inputs."""
    if where is None:
        return None
    try:
        data = (where / name).read_bytes()
    except OSError:
        return None
    return data[_KEY:] if data[:_KEY] == wanted else None


def write(where: Path | None, name: str, made_of: bytes, pdf: bytes) -> None:
    """Keep a PDF (a cache that cannot be written is no cache: never an error)."""
    if where is None:
        return
    with suppress(OSError):
        where.mkdir(parents=True, exist_ok=True)
        atomic(where / name, made_of + pdf)

"""crossbrief's cache folder, and a file of pickled results in it for one project root.

Everything cached lives outside the project: a cache is unpickled, and a
file a pull request could plant would run code in CI. A file is read only if
this user alone could have written it, and only by the crossbrief that wrote
it (its header holds a fingerprint of the code); a damaged or foreign file is
no cache, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import yaml

CACHE_DIR = "CROSSBRIEF_CACHE_DIR"


def cache_dir(project: str | os.PathLike) -> Path | None:
    """Where caches for `project` are kept: $CROSSBRIEF_CACHE_DIR (empty: nowhere; relative: from the
    current folder), else the user's cache folder; never a folder inside the project, where a pickle
    could be committed and then read by someone else's build (none is kept then)."""
    folder = _chosen_dir()
    if folder is None:
        return None
    folder, project = Path(os.path.abspath(folder)), Path(project).resolve()
    if project in (folder, *folder.parents) or project in (folder.resolve(), *folder.resolve().parents):
        return None
    return folder


def _chosen_dir() -> Path | None:
    chosen = os.environ.get(CACHE_DIR)
    if chosen is not None:
        return Path(chosen) if chosen else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG specification says to ignore a relative path
        return Path(xdg) / "crossbrief"
    try:
        return Path.home() / ".cache" / "crossbrief"
    except RuntimeError:  # no home folder to be found
        return None


def _code_fingerprint() -> bytes:
    """What the parse of a file depends on besides the file: crossbrief's code (all of it, which costs
    a millisecond, so that no module can be forgotten), Python, PyYAML and libyaml."""
    digest = hashlib.sha256(f"{sys.version}\0{yaml.__version__}\0{yaml.__with_libyaml__}".encode())
    package = Path(__file__).parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(b"\0%s\0%s" % (path.relative_to(package).as_posix().encode(), path.read_bytes()))
    return digest.digest()


FINGERPRINT = _code_fingerprint()
"""Taken when crossbrief is imported, not when first needed: code edited after that is not the code
that runs in this process."""


@dataclass(frozen=True)
class Store:
    """The file of one kind of results for one project root: a header, a checksum, then a pickled dict
    from key to pickled result (so that a run that adds a few pickles only those)."""

    path: Path
    """Where the file is."""
    kind: str
    """What it holds (`parsed`, `diffs`): part of its name and of its header."""

    @classmethod
    def of(cls, root: Path, kind: str) -> Store | None:
        """The store of `kind` for the project `root`; None when there is no cache folder."""
        folder = cache_dir(root)
        if folder is None:
            return None
        name = hashlib.sha256(os.fsencode(Path(root).resolve())).hexdigest()[:32]
        return cls(folder / f"{name}.{kind}.pickle", kind)

    def header(self) -> bytes:
        return b"crossbrief %s 1\n" % self.kind.encode() + FINGERPRINT

    def read(self) -> dict[bytes, bytes]:
        """The stored entries; none if the file is missing, foreign, damaged, or someone else's."""
        try:
            with open(os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb") as f:
                info = os.fstat(f.fileno())
                if not stat.S_ISREG(info.st_mode) or not _private(info):
                    return {}
                data = f.read()
        except OSError:
            return {}
        header = self.header()
        checksum, body = data[len(header) : len(header) + 32], memoryview(data)[len(header) + 32 :]
        if not data.startswith(header) or hashlib.sha256(body).digest() != checksum:
            return {}
        try:
            entries = pickle.loads(body)
        except Exception:  # the checksum matched, so this is not expected; still, a cache never fails a run
            return {}
        return entries if isinstance(entries, dict) else {}

    def write(self, entries: dict[bytes, bytes]) -> None:
        """Replace the file in one step (a reader sees the old file or the new one); a cache folder
        that cannot be written only means no cache."""
        body = pickle.dumps(entries, pickle.HIGHEST_PROTOCOL)
        try:
            _make_private_dirs(self.path.parent)
            fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with open(fd, "wb") as f:
                f.write(self.header() + hashlib.sha256(body).digest())
                f.write(body)
            os.replace(temporary, self.path)
        except BaseException as e:
            with suppress(OSError):
                os.unlink(temporary)
            if not isinstance(e, OSError):
                raise


def _private(info: os.stat_result) -> bool:
    """Whether only this user could have written the file: another's pickle could run any code."""
    if not hasattr(os, "getuid"):  # Windows: a user's cache folder is private by default
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _make_private_dirs(folder: Path) -> None:
    """Create `folder` and any missing parents readable by this user only."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)


def unpickled(stored: dict[bytes, bytes], key: bytes):
    """The stored result for `key`, or None (dropped from `stored`, to be written afresh) if it will not load."""
    data = stored.get(key)
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # written by this very code and checksummed, so only damage in memory could get here
        del stored[key]
        return None

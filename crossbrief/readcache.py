"""Files already parsed, remembered by their content: in memory for this process, on disk across runs.

Parsing is most of loading, and between two builds only the files someone edited change. A file's
parse is keyed by a hash of its path, its text and what else it depends on (the property registry),
so an edited file is simply a new key. The disk cache holds one file per project root, outside the
project: it is unpickled, and a file a pull request could plant would run code in CI.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml

from . import fork, gcpause
from .problems import Location

T = TypeVar("T")

CACHE_DIR = "CROSSBRIEF_CACHE_DIR"
_MAGIC = b"crossbrief parsed files 1\n"
_MEMO_LIMIT = 100_000_000
"""Characters of text the in-memory cache may stand for before it starts afresh."""

_memo: dict[bytes, object] = {}
_memo_size = 0


def parsed(root: Path, files: list[tuple[str, str]], context: str, parse: Callable[[str, str], T],
           save: bool = True) -> list[T]:
    """`parse(rel, text)` of each file, from the cache where the same path, text and `context` were
    parsed before: in memory, or on disk for the project `root`, where these files' results are saved."""
    salt = hashlib.sha256(context.encode()).digest()
    keys = [hashlib.sha256(b"%s%s\0%s" % (salt, rel.encode(), text.encode())).digest() for rel, text in files]
    store = _Store.of(root)
    stored: dict[bytes, bytes] = {}
    stale = False
    fresh: dict[bytes, T] = {}
    with gcpause.paused():
        if any(key not in _memo for key in keys):
            stored = store.read() if store else {}
            stale = stored.keys() != set(keys)  # entries missing, or of files since edited or removed
            fresh = {key: result for key in keys if key not in _memo and (result := _unpickled(stored, key)) is not None}
            missing = [(key, rel, text) for key, (rel, text) in zip(keys, files) if key not in _memo and key not in fresh]
            mine: dict[bytes, T] = {}

            def parse_one(job: tuple[bytes, str, str]) -> tuple[bytes, bytes]:
                """Parsed and pickled, as the store keeps it (and as the child's half travels back); the
                parent keeps its own results too, so as not to unpickle them (the child's `mine` is its own)."""
                key, rel, text = job
                mine[key] = parse(rel, text)
                return key, _pickled(mine[key])

            now = fork.shared(missing, parse_one)
            stored.update(now)
            stale = stale or bool(now)  # a damaged entry parsed again
            fresh.update((key, mine[key] if key in mine else pickle.loads(data)) for key, data in now.items())
        results = [fresh[key] if key in fresh else _memo[key] for key in keys]
        for key, (_, text) in zip(keys, files):
            if key in fresh:
                _remember(key, fresh[key], len(text))
        if save and store and stale:
            # only this run's entries, so the file never grows with versions nobody reads again
            store.write({key: stored.get(key) or _pickled(result) for key, result in zip(keys, results)})
    return results


def _remember(key: bytes, result: object, size: int) -> None:
    global _memo_size
    if _memo_size + size > _MEMO_LIMIT:
        _memo.clear()
        _memo_size = 0
    _memo_size += size
    _memo[key] = result


def _pickled(result: object) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(result)
    return out.getvalue()


def _location(path: str, line: int, column: int) -> Location:
    """A Location unpickled with less time and memory than pickle's generic way for a dataclass (which
    gives each one a __dict__ of its own); they are most of the objects in the cache (some ninety a
    dossier in the benchmark's projects)."""
    location = object.__new__(Location)
    object.__setattr__(location, "path", path)
    object.__setattr__(location, "line", line)
    object.__setattr__(location, "column", column)
    return location


_REDUCERS = {**copyreg.dispatch_table, Location: lambda loc: (_location, (loc.path, loc.line, loc.column))}


def _unpickled(stored: dict[bytes, bytes], key: bytes):
    """The stored result for `key`, or None (dropped from `stored`, to be written afresh) if it will not load."""
    data = stored.get(key)
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # written by this very code and checksummed, so only damage in memory could get here
        del stored[key]
        return None


def cache_dir() -> Path | None:
    """Where parsed files are kept: $CROSSBRIEF_CACHE_DIR (empty: nowhere), else the user's cache folder."""
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
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(b"\0%s\0%s" % (path.name.encode(), path.read_bytes()))
    return digest.digest()


FINGERPRINT = _code_fingerprint()
"""Taken when crossbrief is imported, not when first needed: code edited after that is not the code
that runs in this process."""


@dataclass(frozen=True)
class _Store:
    """The file of parsed files for one project root: a header, a checksum, then a pickled dict from
    key to pickled result (so that a run after an edit pickles only what it parsed)."""

    path: Path

    @classmethod
    def of(cls, root: Path) -> _Store | None:
        folder = cache_dir()
        if folder is None:
            return None
        name = hashlib.sha256(os.fsencode(Path(root).resolve())).hexdigest()[:32]
        return cls(folder / f"{name}.pickle")

    def header(self) -> bytes:
        return _MAGIC + FINGERPRINT

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
        checksum, body = data[len(header):len(header) + 32], memoryview(data)[len(header) + 32:]
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

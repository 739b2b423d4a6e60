"""Files already parsed, remembered by their content: in memory for this process, on disk across runs.

Parsing is most of loading, and between two builds only the files someone edited change. A file's
parse is keyed by a hash of its path, its text and what else it depends on (the property registry),
so an edited file is simply a new key. On disk they are kept in one file per project root (store.py).
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from crossbrief.infra import fork, gcpause
from crossbrief.infra.store import Store, unpickled
from crossbrief.model.problems import Location

T = TypeVar("T")

_MEMO_LIMIT = 100_000_000
"""Characters of text the in-memory cache may stand for before it starts afresh."""

_memo: dict[bytes, object] = {}
_memo_size = 0


def parsed(
    root: Path, files: list[tuple[str, str]], context: str, parse: Callable[[str, str], T], save: bool = True
) -> list[T]:
    """`parse(rel, text)` of each file, from the cache where the same path, text and `context` were
    parsed before: in memory, or on disk for the project `root`, where these files' results are saved."""
    salt = hashlib.sha256(context.encode()).digest()
    keys = [hashlib.sha256(b"%s%s\0%s" % (salt, rel.encode(), text.encode())).digest() for rel, text in files]
    store = Store.of(root, "parsed")
    stored: dict[bytes, bytes] = {}
    stale = False
    fresh: dict[bytes, T] = {}
    with gcpause.paused():
        if any(key not in _memo for key in keys):
            stored = store.read() if store else {}
            stale = stored.keys() != set(keys)  # entries missing, or of files since edited or removed
            fresh = {key: result for key in keys if key not in _memo and (result := unpickled(stored, key)) is not None}
            missing = [
                (key, rel, text) for key, (rel, text) in zip(keys, files) if key not in _memo and key not in fresh
            ]
            mine: dict[bytes, T] = {}

            def parse_one(job: tuple[bytes, str, str]) -> tuple[bytes, bytes]:
                """Parsed and pickled, as the store keeps it (and as the child's half travels back); the
                parent keeps its own results too, so as not to unpickle them (the child's `mine` is its own)."""
                key, rel, text = job
                mine[key] = parse(rel, text)
                return key, _pickled(mine[key])

            theirs: dict[bytes, T] = {}

            def arrived(item: tuple[bytes, bytes]) -> None:
                """One of the child's files, unpickled here while both still parse."""
                key, data = item
                theirs[key] = pickle.loads(data)

            now = fork.map_jobs(missing, parse_one, arrived=arrived)
            stored.update(now)
            stale = stale or bool(now)  # a damaged entry parsed again
            fresh.update((key, mine[key] if key in mine else theirs[key]) for key in now)
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

"""Render on two cores: a forked child renders half the pages while the parent renders the others.

The child shares the analysed project with the parent without copying or
pickling it; only its rendered pages travel back, pickled through a pipe.
Whatever goes wrong in the child (an exception, a kill, a short pipe) costs
only time: the parent then renders the child's half itself, and an error in
it surfaces there as it would have without a child.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

Job = TypeVar("Job")

MINIMUM = 200
"""Fewer jobs than this are done in one process: forking and the pipe would cost more than they save."""


def shared(jobs: list[Job], work: Callable[[list[Job]], dict[str, str]]) -> dict[str, str]:
    """`work(jobs)`, with every other job done in a forked child when that is worth it."""
    if len(jobs) < MINIMUM or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return work(jobs)
    theirs, mine = jobs[: len(jobs) // 2], jobs[len(jobs) // 2 :]
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return work(jobs)
    if pid == 0:
        _child(read, write, lambda: work(theirs))
    os.close(write)
    out = work(mine)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    try:
        if status != 0:
            raise ValueError(f"the child rendering half the pages ended with status {status}")
        out.update(pickle.loads(data))
    except (ValueError, EOFError, pickle.UnpicklingError):
        out.update(work(theirs))
    return out


def _child(read: int, write: int, work: Callable[[], dict[str, str]]) -> None:
    """Do the work, send it, and leave without running anything of the parent's (atexit, buffered output)."""
    status = 1
    try:
        os.close(read)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)

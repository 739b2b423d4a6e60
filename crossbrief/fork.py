"""Work on two cores: a forked child does jobs from the front of the list while the parent does them
from the back, until they meet.

Taking jobs from both ends balances the two however uneven the jobs are (one
page of the site can take a hundred times another's time) and keeps each
side's jobs contiguous, which is kinder to the memory they share. The child
shares what the jobs read with the parent without copying or pickling it;
only its results travel back, pickled through a pipe. Whatever goes wrong in
the child (an exception, a kill, a short pipe) costs only time: the parent
then does the child's jobs itself, and an error in one surfaces there as it
would have without a child.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from typing import TypeVar

Job = TypeVar("Job")
Key = TypeVar("Key")
Result = TypeVar("Result")

MINIMUM = 200
"""Fewer jobs than this are done in one process: forking and the pipe would cost more than they save."""


def shared(jobs: list[Job], do: Callable[[Job], tuple[Key, Result]]) -> dict[Key, Result]:
    """`dict(do(job) for job in jobs)`, with some of the jobs done in a forked child when that is worth it."""
    ends = _Ends.make(len(jobs)) if len(jobs) >= MINIMUM and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 else None
    if ends is None:
        return dict(map(do, jobs))
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return dict(map(do, jobs))
    if pid == 0:
        _child(read, write, lambda: dict(do(jobs[i]) for i in ends.taken(front=True)))
    os.close(write)
    out = dict(do(jobs[i]) for i in ends.taken(front=False))
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    try:
        if status != 0:
            raise ValueError(f"the child sharing the work ended with status {status}")
        theirs = pickle.loads(data)
    except (ValueError, EOFError, pickle.UnpicklingError):
        theirs = dict(do(jobs[i]) for i in range(ends.front()))
    return {**theirs, **out}


class _Ends:
    """The jobs neither side has taken yet, [front, back), in memory the two processes share."""

    def __init__(self, lock, bounds):
        self._lock = lock
        self._bounds = bounds

    @classmethod
    def make(cls, count: int) -> _Ends | None:
        """None where the system has no shared semaphores (some sandboxes): then one process does it all."""
        import multiprocessing

        try:
            return cls(multiprocessing.Lock(), multiprocessing.RawArray("q", [0, count]))
        except (OSError, ImportError):
            return None

    def taken(self, front: bool) -> Iterator[int]:
        """The index of each job this side takes, until none is left."""
        while True:
            with self._lock:
                low, high = self._bounds
                if low >= high:
                    return
                if front:
                    self._bounds[0] = low + 1
                else:
                    self._bounds[1] = high - 1
            yield low if front else high - 1

    def front(self) -> int:
        """How many jobs the child took (all of them from the front)."""
        return self._bounds[0]


def _child(read: int, write: int, work: Callable[[], dict]) -> None:
    """Do the work, send it, and leave without running anything of the parent's (atexit, buffered output)."""
    status = 1
    try:
        os.close(read)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)

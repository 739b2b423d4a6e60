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

import mmap
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from typing import TypeVar

Job = TypeVar("Job")
Key = TypeVar("Key")
Result = TypeVar("Result")

MINIMUM = 200
"""Less work than this many small jobs is done in one process: forking and the pipe would cost more than they save."""


def shared(jobs: list[Job], do: Callable[[Job], tuple[Key, Result]], weight: int = 1) -> dict[Key, Result]:
    """`dict(do(job) for job in jobs)`, with some of the jobs done in a forked child when that is worth it;
    `weight`: how many small jobs (a page rendered, a file parsed) one of these is worth."""
    if len(jobs) * weight < MINIMUM or len(jobs) < 2 or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return dict(map(do, jobs))
    ends = _Ends(len(jobs))
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return dict(map(do, jobs))
    if pid == 0:
        _child(read, write, lambda: {i: do(jobs[i]) for i in ends.taken(front=True)})
    os.close(write)
    try:
        done = {i: do(jobs[i]) for i in ends.taken(front=False)}
    except BaseException:  # an error, or Ctrl-C: the child's work is of no use any more
        os.close(read)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    try:
        if status != 0:
            raise ValueError(f"the child sharing the work ended with status {status}")
        done = {**pickle.loads(data), **done}  # a job both sides took at the meeting point: the parent's result
    except (ValueError, EOFError, pickle.UnpicklingError):
        pass
    # what neither side did: the child's jobs when it failed, or a last job each side left to the other
    done.update((i, do(jobs[i])) for i in range(len(jobs)) if i not in done)
    return dict(done[i] for i in range(len(jobs)))


class _Ends:
    """Where each side has got to: the child's next job from the front, and the first job the parent
    has taken from the back, in memory the two processes share.

    Each end is written by one side only, so no lock is needed, and a child
    killed at any moment cannot leave the parent waiting. At the meeting point
    both sides may take the same job (harmless: the same result twice) or each
    leave it to the other (the parent then does it).
    """

    def __init__(self, count: int):
        self._memory = mmap.mmap(-1, 16)  # anonymous and shared: a forked child sees the parent's writes
        self._ends = memoryview(self._memory).cast("q")
        self._ends[1] = count

    def taken(self, front: bool) -> Iterator[int]:
        """The index of each job this side takes, until the two sides meet."""
        ends = self._ends
        while True:
            if front:
                i = ends[0]
                ends[0] = i + 1
                if i >= ends[1]:
                    return
            else:
                i = ends[1] - 1
                ends[1] = i
                if i < ends[0]:
                    return
            yield i


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

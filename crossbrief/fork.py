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
Other = TypeVar("Other")

_FAILED = object()
"""What a child that failed sent back: nothing usable."""

MINIMUM = 200
"""Less work than this many small jobs is done in one process: forking and the pipe would cost more than they save."""


def shared(jobs: list[Job], do: Callable[[Job], tuple[Key, Result]], weight: int = 1) -> dict[Key, Result]:
    """`dict(do(job) for job in jobs)`, with some of the jobs done in a forked child when that is worth it;
    `weight`: how many small jobs (a page rendered, a file parsed) one of these is worth."""
    if len(jobs) * weight < MINIMUM or len(jobs) < 2:
        return dict(map(do, jobs))
    ends = _Ends(len(jobs))
    child = _Child.start(lambda: {i: do(jobs[i]) for i in ends.taken(front=True)})
    if child is None:
        return dict(map(do, jobs))
    done = child.beside(lambda: {i: do(jobs[i]) for i in ends.taken(front=False)})
    theirs = child.result()
    if theirs is not _FAILED:
        done = {**theirs, **done}  # a job both sides took at the meeting point: the parent's result
    # what neither side did: the child's jobs when it failed, or a last job each side left to the other
    done.update((i, do(jobs[i])) for i in range(len(jobs)) if i not in done)
    return dict(done[i] for i in range(len(jobs)))


def beside(there: Callable[[], Result], here: Callable[[], Other], weight: int = 1) -> tuple[Result, Other]:
    """`(there(), here())`, `there` done in a forked child while this process does `here`, when `weight`
    small jobs' worth of work makes that pay. For two independent pieces of work where `there` sends back
    a result that stands alone (no object of the parent's in it: it comes back as a copy) and `here`
    makes what must be the parent's own objects."""
    child = _Child.start(there) if weight >= MINIMUM else None
    if child is None:
        return there(), here()
    mine = child.beside(here)
    theirs = child.result()
    return (there() if theirs is _FAILED else theirs), mine


class _Child:
    """A forked child doing some work and sending back its result, pickled through a pipe."""

    def __init__(self, pid: int, read: int):
        self.pid, self.read = pid, read

    @classmethod
    def start(cls, work: Callable[[], object]) -> _Child | None:
        """The child doing `work`; None if there is no second core or the child could not be forked."""
        if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            return None
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return None
        if pid == 0:
            _child(read, write, work)
        os.close(write)
        return cls(pid, read)

    def beside(self, work: Callable[[], Result]) -> Result:
        """`work()` here while the child works; if it fails or is interrupted, the child is killed."""
        try:
            return work()
        except BaseException:  # an error, or Ctrl-C: the child's work is of no use any more
            os.close(self.read)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            raise

    def result(self):
        """What the child sent back, once it has ended; _FAILED if it failed (its work is then to be done again)."""
        with os.fdopen(self.read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if status != 0:
            return _FAILED
        try:
            return pickle.loads(data)
        except (ValueError, EOFError, pickle.UnpicklingError):
            return _FAILED


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


def _child(read: int, write: int, work: Callable[[], object]) -> None:
    """Do the work, send it, and leave without running anything of the parent's (atexit, buffered output)."""
    status = 1
    try:
        os.close(read)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)

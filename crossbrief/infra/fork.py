"""Work on two cores: a forked child does jobs from the front of the list while the parent does them
from the back, until they meet.

Taking jobs from both ends balances the two however uneven the jobs are (one
page of the site can take a hundred times another's time) and keeps each
side's jobs contiguous, which is kinder to the memory they share. The child
shares what the jobs read with the parent without copying or pickling it;
only its results travel back, pickled through a pipe a few jobs at a time, and
the parent takes them in between its own jobs, so that unpickling them is
shared out like the jobs rather than left for the end. Whatever goes wrong in
the child (an exception, a kill, a short pipe) costs only time: the parent
then does the jobs the child sent nothing back for, and an error in one
surfaces there as it would have without a child.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

try:
    from fcntl import F_SETPIPE_SZ, fcntl
except ImportError:  # not Linux: pipes keep the system's size
    F_SETPIPE_SZ = None

Job = TypeVar("Job")
Key = TypeVar("Key")
Result = TypeVar("Result")

MINIMUM = 200
"""Less work than this many small jobs is done in one process: forking and the pipe would cost more than they save."""

_BATCH = 16
"""How many of its results the child sends back at once."""

_PIPE_SIZE = 1 << 20
"""Room in the pipe for what the child sends while the parent is in a long job (Linux's default is 64 KiB)."""


def map_jobs(
    jobs: list[Job],
    do: Callable[[Job], tuple[Key, Result]],
    weight: int = 1,
    arrived: Callable[[tuple[Key, Result]], None] | None = None,
) -> dict[Key, Result]:
    """`dict(do(job) for job in jobs)`, with some of the jobs done in a forked child when that is worth it;
    `weight`: how many small jobs (a page rendered, a file parsed) one of these is worth; `arrived`: called
    here on each of the child's results as it comes back, while this process goes on with its own jobs."""
    if len(jobs) * weight < MINIMUM or len(jobs) < 2:
        return dict(map(do, jobs))
    ends = _Ends(len(jobs))

    def theirs(send: Callable[[object], None]) -> None:
        batch = {}
        for i in ends.taken(front=True):
            batch[i] = do(jobs[i])
            if len(batch) == _BATCH:
                send(batch)
                batch = {}
        send(batch)

    child = _Child.start(theirs)
    if child is None:
        return dict(map(do, jobs))
    sent: dict[int, tuple[Key, Result]] = {}

    def take(batches: list[dict]) -> None:
        for batch in batches:
            sent.update(batch)
            if arrived:
                for result in batch.values():
                    arrived(result)

    def mine() -> dict[int, tuple[Key, Result]]:
        done = {}
        for i in ends.taken(front=False):
            done[i] = do(jobs[i])
            take(child.received())
        return done

    done = child.beside(mine)
    take(child.rest())
    done = {**sent, **done}  # a job both sides took at the meeting point: the parent's result
    # what neither side did: what a failed child sent nothing back for, or a last job each side left to the other
    done.update((i, do(jobs[i])) for i in range(len(jobs)) if i not in done)
    return dict(done[i] for i in range(len(jobs)))


class _Child:
    """A forked child doing some work and sending back what it makes, each piece pickled through a pipe."""

    def __init__(self, pid: int, read: int):
        self.pid, self.read = pid, read
        self._buffer = bytearray()
        self._broken = False

    @classmethod
    def start(cls, work: Callable[[Callable[[object], None]], None]) -> _Child | None:
        """The child doing `work(send)`; None if there is no second core or the child could not be forked."""
        if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            return None
        read, write = os.pipe()
        try:
            if F_SETPIPE_SZ is not None:
                fcntl(read, F_SETPIPE_SZ, _PIPE_SIZE)
        except OSError:  # more than the system allows: the default will do
            pass
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return None
        if pid == 0:
            _die_with(parent)
            _child(read, write, work)
        os.close(write)
        os.set_blocking(read, False)
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

    def received(self) -> list:
        """What the child has sent since last asked, without waiting for more."""
        try:
            while chunk := os.read(self.read, _PIPE_SIZE):
                self._buffer += chunk
        except BlockingIOError:
            pass
        return self._pieces()

    def rest(self) -> list:
        """What the child sends from now until it ends, once it has ended. A child that failed sent only
        part of its work, or none (the parent then does the rest)."""
        os.set_blocking(self.read, True)
        with os.fdopen(self.read, "rb") as pipe:
            self._buffer += pipe.read()
        os.waitpid(self.pid, 0)
        return self._pieces()

    def _pieces(self) -> list:
        """The whole pieces in the buffer, unpickled; one that cannot be (a damaged pipe) ends the reading."""
        pieces = []
        while not self._broken and len(self._buffer) >= 8:
            end = 8 + int.from_bytes(self._buffer[:8], "little")
            if len(self._buffer) < end:
                break
            data = bytes(self._buffer[8:end])
            del self._buffer[:end]
            try:
                pieces.append(pickle.loads(data))
            except (ValueError, EOFError, pickle.UnpicklingError):
                self._broken = True
        return pieces


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


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when its parent dies (Linux), so that a build killed, by Ctrl-C
    or SIGKILL, leaves no child working on for seconds; leave at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # died before the prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _child(read: int, write: int, work: Callable[[Callable[[object], None]], None]) -> None:
    """Do the work, sending each piece as it is made (its length, then its pickle), and leave without
    running anything of the parent's (atexit, buffered output)."""
    status = 1
    try:
        os.close(read)
        with os.fdopen(write, "wb") as pipe:

            def send(piece: object) -> None:
                data = pickle.dumps(piece, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.write(len(data).to_bytes(8, "little"))
                pipe.write(data)
                pipe.flush()

            work(send)
        status = 0
    finally:
        os._exit(status)

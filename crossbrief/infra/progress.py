"""Progress and timing for long runs: one line on stderr, redrawn in place, only on a terminal.

The pipeline reports its stages (`with progress.stage("render"): ...`); what
is shown is decided here. Off a terminal (CI, a pipe, a log file) nothing is
written. On one, nothing is written either until a run has taken DELAY
seconds, so quick runs stay quiet; a long run shows a bar of its stages,
the current one and the time it has taken, and ends with the time of each
stage. `CROSSBRIEF_PROGRESS_DELAY` sets DELAY (seconds).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager

DELAY = 0.5
TICK = 0.1
WIDTH = 20


class Progress:
    """The stages of one run, drawn as a bar when enabled."""

    def __init__(
        self,
        stream=None,
        plan: tuple[str, ...] = (),
        enabled: bool = False,
        delay: float = DELAY,
        ticker: bool = True,
        clock=time.monotonic,
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.plan = plan
        self.enabled = enabled
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.timings: list[tuple[str, float]] = []
        self.current = ""
        self.detail = ""
        self.stage_started = self.started
        self.drawn = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, daemon=True) if enabled and ticker else None

    def __enter__(self) -> Progress:
        if self._thread:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close(summary=exc[0] is None)

    @contextmanager
    def stage(self, name: str, detail: str = ""):
        """Time a stage of the run, showing it while it runs."""
        if not self.enabled:
            yield
            return
        with self._lock:
            self.current, self.detail, self.stage_started = name, detail, self.clock()
            self._draw()
        try:
            yield
        finally:
            with self._lock:
                self.timings.append((name, self.clock() - self.stage_started))
                self.current = ""

    def close(self, summary: bool = True) -> None:
        """Stop drawing, clear the line, and after a long run print how long each stage took."""
        self._stop.set()
        if self._thread and self._thread.is_alive():
            self._thread.join()
        with self._lock:
            if not self.drawn:
                return
            self.stream.write("\r\x1b[K")
            if summary and self.timings:
                stages = ", ".join(f"{name} {_seconds(t)}" for name, t in self.timings)
                self.stream.write(f"done in {_seconds(self.clock() - self.started)} ({stages})\n")
            self.stream.flush()
            self.drawn = False

    def line(self) -> str:
        """The progress line as it reads now."""
        done = len(self.timings)
        total = max(len(self.plan), done + (1 if self.current else 0), 1)
        filled = WIDTH * done // total
        bar = "#" * filled + "-" * (WIDTH - filled)
        now = self.clock()
        what = f"{self.current} {self.detail}".strip() if self.current else "finishing"
        return f"[{bar}] {done}/{total} {what} {_seconds(now - self.stage_started)} ({_seconds(now - self.started)})"

    def _draw(self) -> None:
        if not self.enabled or self.clock() - self.started < self.delay:
            return
        self.stream.write("\r" + self.line()[: _width(self.stream) - 1] + "\x1b[K")  # a wrapped line would not redraw
        self.stream.flush()
        self.drawn = True

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            with self._lock:
                self._draw()


QUIET = Progress()
"""A progress that shows nothing: the default of every pipeline function."""


def for_terminal(plan: tuple[str, ...], stream=None) -> Progress:
    """A progress shown on `stream` (stderr) only if it is a terminal."""
    stream = stream if stream is not None else sys.stderr
    enabled = _isatty(stream) and os.environ.get("TERM") != "dumb"
    try:
        delay = float(os.environ.get("CROSSBRIEF_PROGRESS_DELAY", DELAY))
    except ValueError:
        delay = DELAY
    return Progress(stream, plan, enabled, delay)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(stream) -> int:
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        columns = 0
    return columns if columns > 0 else 80  # a terminal whose size is not set says 0


def _seconds(t: float) -> str:
    return f"{t:.1f} s" if t < 60 else f"{int(t // 60)} min {int(t % 60):02d} s"

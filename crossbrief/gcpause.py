"""Pausing Python's cycle collector while the pipeline builds its model."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cycle collector: parsing, analysing and rendering make a large graph of long-lived
    objects and free almost none, so the collector's full passes over it only cost time (1.5 s of
    20 s at the L benchmark). Nested pauses restore what the outermost found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

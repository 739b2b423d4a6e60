"""Pausing Python's cycle collector while the pipeline builds its model."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_one_shot = False


def one_shot() -> None:
    """Say that this process ends with its command (the command line does): what a pause made is then
    left out of the collector's passes for good when the pause ends (gc.freeze).

    Every object made during a pause is still in the youngest generation when
    it ends, so the collector's next pass walks the whole model (a second at
    the L benchmark), and so does every later full pass, MkDocs' included, and
    the passes of the interpreter's exit (three more). Frozen, the model is
    never walked again; cycles made during the pause are then never freed,
    which only a process that goes on to other work (a test run, `mkdocs serve`
    with the hook) would notice, so only the command line asks for it.
    """
    global _one_shot
    _one_shot = True


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
            if _one_shot:
                gc.freeze()
            gc.enable()

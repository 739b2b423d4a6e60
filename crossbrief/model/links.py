"""Cross-references in Markdown fields: [[id]], [[id|text]] and [[dossier#claim]]."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from crossbrief.model import Markdown
from crossbrief.model.problems import Location

# The label may wrap onto the next line, as Markdown text does; the target may not.
LINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]]*))?\]\]")
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_ID = 80
RESERVED_IDS = ("index",)
"""Ids no dossier or source may have: render.pages writes each section's list of members (and the
sources') as `<section>/index.md`, which a file of that id would silently replace."""


def is_id(text: str) -> bool:
    """Whether `text` follows the id rule."""
    return len(text) <= MAX_ID and ID.fullmatch(text) is not None


@dataclass(frozen=True)
class Link:
    """A [[...]] cross-reference as written."""

    target: str
    """A dossier or source id, or `dossier#claim`."""
    label: str
    """The text after `|`, or empty."""
    location: Location
    """Where the link is written."""


def closest_id(word: str, known) -> str | None:
    """The known id a mistyped one most likely meant: the closest spelling, else the first id it begins
    (`afp` for `afp-2012-07-06`, too short for a spelling to be close)."""
    close = difflib.get_close_matches(word, list(known), n=1)
    if close:
        return close[0]
    return min((k for k in known if word and k.startswith(word)), default=None)


def links(md: Markdown | None) -> Iterator[Link]:
    """Every cross-reference in a Markdown field."""
    if md is None or "[[" not in md.text:
        return
    for m in LINK.finditer(md.text):
        yield Link(m[1].strip(), (m[2] or "").strip(), md.locate(m.start()))


def targets(md: Markdown | None) -> Iterator[str]:
    """The target of every cross-reference in a Markdown field (without finding where each is written)."""
    if md is None or "[[" not in md.text:
        return
    for m in LINK.finditer(md.text):
        yield m[1].strip()

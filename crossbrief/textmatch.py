"""Finding quotes and names in article text, forgiving typography but nothing else."""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u00b4`"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_TABLE = str.maketrans({**{c: "'" for c in _SINGLE}, **{c: '"' for c in _DOUBLE}, **{c: "-" for c in _DASHES}})
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"\s{2,}")
_SINGLE_SPACE = re.compile(r"\s")
_SENTENCE_END = re.compile(r"[.!?][\"')\]\u201d\u2019]*(?=\s)|\n")
CONTEXT_LIMIT = 300


@dataclass(frozen=True)
class Normalised:
    """A text with white space collapsed and quotes and dashes made plain."""

    text: str
    """The normalised text."""
    starts: tuple[int, ...]
    """Normalised offsets after which the original text had extra white space..."""
    shifts: tuple[int, ...]
    """...and how far the original is ahead of the normalised text from there on."""

    def original(self, index: int) -> int:
        """The original offset of a normalised one."""
        at = bisect.bisect_right(self.starts, index) - 1
        return index + (self.shifts[at] if at >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalised slice [start, end)."""
        return self.original(start), self.original(end - 1) + 1 if end > start else self.original(start)


def normalise(text: str) -> Normalised:
    """Collapse white space, straighten quotes and dashes, keeping a map back to the original.

    Quotes and dashes map one character to one, and so does a single white
    space character; only runs of white space shift offsets, so only they are recorded.
    """
    translated = text.translate(_TABLE)
    parts, starts, shifts = [], [], []
    pos = shift = 0
    for m in _RUN.finditer(translated):
        parts.append(translated[pos:m.start()])
        parts.append(" ")
        shift += m.end() - m.start() - 1
        starts.append(m.start() - (shift - (m.end() - m.start() - 1)) + 1)
        shifts.append(shift)
        pos = m.end()
    parts.append(translated[pos:])
    single = "".join(parts)
    return Normalised(_SINGLE_SPACE.sub(" ", single), tuple(starts), tuple(shifts))


def key(text: str) -> str:
    """The normalised form of a short string, for comparing quotes and names."""
    return _SPACE.sub(" ", text.translate(_TABLE)).strip()


def find(haystack: Normalised, quote: str) -> tuple[int, int] | None:
    """Original offsets of the first occurrence of `quote` in the text, or None."""
    needle = key(quote)
    if not needle:
        return None
    at = haystack.text.find(needle)
    return None if at < 0 else haystack.span(at, at + len(needle))


def closest(haystack: Normalised, quote: str) -> tuple[float, str]:
    """The passage of the text most like `quote`, and how alike they are (0 to 1)."""
    needle = key(quote)[:400]
    text = haystack.text
    if not needle or not text:
        return 0.0, ""
    starts = [0, *(m.end() for m in re.finditer(r"\s", text))]
    best = (0.0, 0)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    for start in starts:
        window = text[start:start + len(needle)]
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() > best[0] and matcher.quick_ratio() > best[0]:
            ratio = matcher.ratio()
            if ratio > best[0]:
                best = (ratio, start)
    ratio, start = best
    end = start + len(needle)
    while end < len(text) and not text[end].isspace():
        end += 1
    return ratio, text[start:end].strip()


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], at most CONTEXT_LIMIT characters either side."""
    lo = max(0, start - CONTEXT_LIMIT)
    before = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    first = before[-1] if before else lo
    after = _SENTENCE_END.search(text, end, min(len(text), end + CONTEXT_LIMIT))
    last = after.end() if after else min(len(text), end + CONTEXT_LIMIT)
    return " ".join(text[first:last].split())

"""Finding quotes and names in article text, forgiving typography but nothing else."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rapidfuzz import fuzz, process

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u00b4`"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_PLAIN = {**{c: "'" for c in _SINGLE}, **{c: '"' for c in _DOUBLE}, **{c: "-" for c in _DASHES}}
_PLAIN_ASCII = {c: plain for c, plain in _PLAIN.items() if c.isascii()}  # the backtick
_RUN = re.compile(r"\s{2,}")
_ODD_SPACE = re.compile(r"[^\S ]")  # spaces are left alone: replacing them with themselves is 3 times slower
# A newline, or a full stop, question or exclamation mark (and closing quotes or brackets) before
# white space; one character class first, which the regex engine skips to (twice as fast).
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|[\"')\]\u201d\u2019]*(?=\s))")
CONTEXT_LIMIT = 300
MAX_NEEDLE = 400


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
        at = bisect_right(self.starts, index) - 1
        return index + (self.shifts[at] if at >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalised slice [start, end)."""
        return self.original(start), self.original(end - 1) + 1 if end > start else self.original(start)


def normalise(text: str) -> Normalised:
    """Collapse white space, straighten quotes and dashes, keeping a map back to the original.

    Quotes and dashes map one character to one, and so does a single white
    space character; only runs of white space shift offsets, so only they are recorded.
    """
    translated = _straighten(text)
    parts, starts, shifts = [], [], []
    pos = shift = 0
    for m in _RUN.finditer(translated):
        parts.append(translated[pos : m.start()])
        parts.append(" ")
        shift += m.end() - m.start() - 1
        starts.append(m.start() - (shift - (m.end() - m.start() - 1)) + 1)
        shifts.append(shift)
        pos = m.end()
    parts.append(translated[pos:])
    single = "".join(parts)
    return Normalised(_ODD_SPACE.sub(" ", single), tuple(starts), tuple(shifts))


def key(text: str) -> str:
    """The normalised form of a short string, for comparing quotes and names."""
    return " ".join(_straighten(text).split())  # split() and a regex's \s agree on what is white space


def _straighten(text: str) -> str:
    """Quotes and dashes made plain: a replace per character, as str.translate of text that is not
    ASCII looks every character up in a dict (30 times slower), and few characters need replacing."""
    for char, plain in (_PLAIN_ASCII if text.isascii() else _PLAIN).items():
        text = text.replace(char, plain)
    return text


def find(haystack: Normalised, quote: str) -> tuple[int, int] | None:
    """Original offsets of the first occurrence of `quote` in the text, or None."""
    needle = key(quote)
    if not needle:
        return None
    at = haystack.text.find(needle)
    return None if at < 0 else haystack.span(at, at + len(needle))


def closest(haystack: Normalised, quote: str) -> tuple[float, str]:
    """The passage of the text most like `quote`, and how alike they are (0 to 1)."""
    found = closest_passages(haystack, quote, 1)
    if not found:
        return 0.0, ""
    ratio, start, end = found[0]
    return ratio, haystack.text[start:end]


HINT_WORK = 5_000_000
"""The most characters one search for the closest passages compares (windows scored times the needle's
length), some 0.1 s: a 2 MB article has some 330,000 windows, and scoring each took 0.4 s per misquote."""
HINTS_WORK = 100_000_000
"""The most characters all the E203 hints of one run compare (some 2 s): past it, a hint is not searched."""


def work(haystack: Normalised, wanted: str) -> int:
    """The most characters `closest_passages(haystack, wanted, ...)` compares: no more than HINT_WORK."""
    return min(HINT_WORK, (haystack.text.count(" ") + 1) * len(key(wanted)[:MAX_NEEDLE]))


def closest_passages(haystack: Normalised, wanted: str, n: int) -> list[tuple[float, int, int]]:
    """Up to `n` non-overlapping passages most like `wanted`: (ratio, start, end) in the normalised text.

    Every window of the needle's length starting at a word is a candidate, extended to the end of its last
    word; RapidFuzz's normalised Indel similarity (difflib's ratio, computed in C with bit-parallel LCS, some
    hundred times faster than difflib) scores them all, and they are taken best first. In a text too long to
    score every window within HINT_WORK, every k-th window is scored first, then every window near the best
    of those: a passage much like the needle is alike from a few words either side too.
    """
    needle = key(wanted)[:MAX_NEEDLE]
    text = haystack.text
    if not needle or not text or n < 1:
        return []
    starts = [0, *(m.end() for m in re.finditer(" ", text))]
    stride = -(-len(starts) * len(needle) // (HINT_WORK // 2))
    candidates = list(range(len(starts)))
    if stride > 1:
        coarse = _ranked(needle, text, [starts[i] for i in candidates[::stride]])
        near = max(1, (HINT_WORK // 2) // (2 * stride * len(needle)))  # how many of the best to look around
        around = {j for _, _, i in coarse[:near] for j in range(max(0, i * stride - stride), i * stride + stride)}
        candidates = sorted(j for j in around if j < len(starts))
    ranked = _ranked(needle, text, [starts[i] for i in candidates])
    chosen: list[tuple[float, int, int]] = []
    for _, score, i in ranked:
        start = starts[candidates[i]]
        end = start + len(needle)
        while end < len(text) and not text[end].isspace():
            end += 1
        first, last = start + (len(text[start:end]) - len(text[start:end].lstrip())), len(text[:end].rstrip())
        if all(last <= a or first >= b for _, a, b in chosen):
            chosen.append((score / 100, first, last))
            if len(chosen) == n:
                break
    return chosen


def _ranked(needle: str, text: str, starts: list[int]) -> list[tuple[str, float, int]]:
    """The windows of the needle's length at `starts`, scored and best first: (window, score, index)."""
    windows = [text[start : start + len(needle)] for start in starts]
    # ties go to the earlier passage, as extract keeps the choices' order among equal scores
    return process.extract(needle, windows, scorer=fuzz.ratio, limit=None, score_cutoff=1e-9)


class Sentences:
    """Where one text's sentences end, found once for the sentence around each of many spans."""

    def __init__(self, text: str):
        self.text = text
        found = list(_SENTENCE_END.finditer(text))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        # A search of text[:limit] sees an end only if it needs no character from limit on:
        # a newline needs itself, a full stop the white space after it.
        self.needs = [m.end() - 1 if m.group() == "\n" else m.end() for m in found]

    def around(self, start: int, end: int) -> str:
        """The sentence holding text[start:end], at most CONTEXT_LIMIT characters either side."""
        lo = max(0, start - CONTEXT_LIMIT)
        before = bisect_left(self.needs, start) - 1
        first = self.ends[before] if before >= 0 and self.starts[before] >= lo else lo
        hi = min(len(self.text), end + CONTEXT_LIMIT)
        after = bisect_left(self.starts, end)
        last = self.ends[after] if after < len(self.starts) and self.needs[after] < hi else hi
        return " ".join(self.text[first:last].split())

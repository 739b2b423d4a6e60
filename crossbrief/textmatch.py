"""Finding quotes and names in article text, forgiving typography but nothing else."""

from __future__ import annotations

import difflib
import heapq
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

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
# Past this many characters compared (windows times needle length), windows are first
# picked by how alike their words are, and only the PREFILTER best are compared in full.
EXACT_LIMIT = 200_000
PREFILTER = 50



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
        parts.append(translated[pos:m.start()])
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


def closest_passages(haystack: Normalised, wanted: str, n: int) -> list[tuple[float, int, int]]:
    """Up to `n` non-overlapping passages most like `wanted`: (ratio, start, end) in the normalised text.

    Every window of the needle's length starting at a word is a candidate,
    extended to the end of its last word. Candidates are
    taken best first; SequenceMatcher's quick ratio bounds each from above,
    so only the ones that can still make the top `n` are compared in full.
    """
    needle = key(wanted)[:MAX_NEEDLE]
    text = haystack.text
    if not needle or not text or n < 1:
        return []
    starts = [0, *(m.end() for m in re.finditer(r"\s", text))]
    if len(starts) * len(needle) > EXACT_LIMIT:
        starts = _likely(text, starts, needle, max(PREFILTER, 10 * n))
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    heap = []
    for start in starts:
        matcher.set_seq1(text[start:start + len(needle)])
        heap.append((-matcher.quick_ratio(), start, False))
    heapq.heapify(heap)
    chosen: list[tuple[float, int, int]] = []
    while heap and len(chosen) < n:
        bound, start, exact = heapq.heappop(heap)
        if not exact:
            matcher.set_seq1(text[start:start + len(needle)])
            heapq.heappush(heap, (-matcher.ratio(), start, True))
            continue
        end = start + len(needle)
        while end < len(text) and not text[end].isspace():
            end += 1
        first, last = start + (len(text[start:end]) - len(text[start:end].lstrip())), len(text[:end].rstrip())
        if -bound > 0 and all(last <= a or first >= b for _, a, b in chosen):
            chosen.append((-bound, first, last))
    return chosen


def _likely(text: str, starts: list[int], needle: str, keep: int) -> list[int]:
    """In a long text, the `keep` word starts whose next words share the most words with the needle.

    The count is kept up to date as a window of the needle's length in words
    slides along the text, so this takes one pass.
    """
    words = text.casefold().split(" ")  # normalised text: single spaces, so word i starts at starts[i]
    wanted = Counter(needle.casefold().split(" "))
    size = sum(wanted.values())
    window: Counter = Counter()
    shared = 0
    scored = []
    for i, word in enumerate(words):
        window[word] += 1
        shared += window[word] <= wanted[word]
        if i >= size:
            old = words[i - size]
            shared -= window[old] <= wanted[old]
            window[old] -= 1
        if i >= size - 1:
            scored.append((-shared, i - size + 1))
    if not scored:
        return starts
    return sorted(starts[i] for _, i in heapq.nsmallest(keep, scored))


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

"""`crossbrief quote`: find a passage in a source, as the source has it, ready to paste into a claim.

Matching is the checker's (textmatch): white space, quotes and dashes are
forgiven, nothing else. A passage found is printed with the source's own
characters (its curly quotes and dashes), white space runs made single
spaces, so that pasted as a citation's `quote` it is found again. When the
text is not in the source, the closest passages are printed instead, with
how alike they are.
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
import re
from dataclasses import dataclass

from . import textmatch

MAX_NEEDLE = 400
# Past this many characters compared (windows times needle length), windows are first
# picked by how alike their words are, and only the PREFILTER best are compared in full.
EXACT_LIMIT = 200_000
PREFILTER = 50


@dataclass(frozen=True)
class Passage:
    """A passage of a source."""

    text: str
    """The passage as the source has it, white space runs made single spaces."""
    ratio: float
    """How alike it is to the text looked for, 0 to 1 (1 when found)."""
    start: int
    """Its offset in the source's text."""
    line: int
    """The line of the source's text it starts on, counting from 1."""


def find(source_text: str, wanted: str, closest: int = 3) -> tuple[Passage | None, list[Passage]]:
    """The passage holding `wanted`, or else up to `closest` passages most like it, best first."""
    haystack = textmatch.normalise(source_text)
    span = textmatch.find(haystack, wanted)
    if span:
        return _passage(source_text, *span, 1.0), []
    return None, [_passage(source_text, *haystack.span(a, b), ratio)
                  for ratio, a, b in closest_passages(haystack, wanted, closest)]


def closest_passages(haystack: textmatch.Normalised, wanted: str, n: int) -> list[tuple[float, int, int]]:
    """Up to `n` non-overlapping passages most like `wanted`: (ratio, start, end) in the normalised text.

    Like textmatch.closest, every window of the needle's length starting at a
    word is a candidate, extended to the end of its last word. Candidates are
    taken best first; SequenceMatcher's quick ratio bounds each from above,
    so only the ones that can still make the top `n` are compared in full.
    """
    needle = textmatch.key(wanted)[:MAX_NEEDLE]
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


def _passage(source_text: str, start: int, end: int, ratio: float) -> Passage:
    return Passage(" ".join(source_text[start:end].split()), ratio, start, source_text.count("\n", 0, start) + 1)


def as_yaml(passage: str) -> str:
    """`quote: ...` ready to paste into a citation, in double quotes only where YAML needs quoting."""
    from .scaffold import scalar

    return f"quote: {scalar(passage)}"

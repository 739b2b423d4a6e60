"""`crossbrief quote`: find a passage in a source, as the source has it, ready to paste into a claim.

Matching is the checker's (textmatch): white space, quotes and dashes are
forgiven, nothing else. A passage found is printed with the source's own
characters (its curly quotes and dashes), white space runs made single
spaces, so that pasted as a citation's `quote` it is found again. When the
text is not in the source, the closest passages are printed instead, with
how alike they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from crossbrief.analyse import textmatch


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
    return None, [
        _passage(source_text, *haystack.span(a, b), ratio)
        for ratio, a, b in textmatch.closest_passages(haystack, wanted, closest)
    ]


def _passage(source_text: str, start: int, end: int, ratio: float) -> Passage:
    return Passage(" ".join(source_text[start:end].split()), ratio, start, source_text.count("\n", 0, start) + 1)


def as_yaml(passage: str) -> str:
    """`quote: ...` ready to paste into a citation, in double quotes only where YAML needs quoting."""
    from crossbrief.authoring.scaffold import scalar

    return f"quote: {scalar(passage)}"

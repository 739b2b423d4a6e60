"""What in a report's text is not the report: datelines, bylines, photo credits, "Advertisement", sign-offs."""

from __future__ import annotations

import re

_CREDIT = re.compile(
    r"\s*\((?:[^()]*\b(?:photo|picture|image|getty|file)\b[^()]*)\)\s*$|\s*\b(?:photo|picture|image)(?: credit)?:.*$|"
    r"\s*(?:©|copyright\b).*$",
    re.I,
)
_BOILERPLATE = re.compile(
    r"^(?:advertisement|read more\b.*|share this\b.*|related:.*|follow \S.* on (?:twitter|facebook|x|instagram)\b.*|"
    r"image (?:copyright|source)\b.*|getty images|sign up\b.*|[a-z]{2,4}(?:/[a-z]{2,4})+\s*\([^)]*\)\.?|"
    r".*\b(?:correspondent|editor|reporter)s?\b[^.]*\breports?:?)$",
    re.I,
)
_BYLINE = re.compile(r"^By [A-Z][\w'.-]+(?: (?:and )?[A-Z][\w'.-]+){0,4}(?:,.*)?$")
_DATELINE = re.compile(  # matched at a paragraph's start
    r"(?:[A-Z][\w .'-]{0,40}?\s*\((?:AFP|Reuters|AP|dpa|DPA|Xinhua|Anadolu|UPI|Interfax|[A-Z]{2,6})\)|"
    r"[A-Z]{3,}(?:[ ,]+[A-Z]{2,})*|[A-Z][a-z]+(?: [A-Z][a-z]+)?,\s*(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]{2,8}\.?\s+\d{1,2})"
    r"(?:,?\s+\d{4})?(?:\s*\([^)]{2,20}\))?)\s*[-\u2013\u2014:]+\s+"
)


_SHORT = 300


def cleaned(source, start: int, end: int) -> tuple[int, str] | None:
    """A sentence of a source's text as it is read, where it starts and its words, white space collapsed: None
    if its line is boilerplate (a byline, "Advertisement", a sign-off), its dateline and photo credit left out."""
    text = source.text
    line = _line(text, start).strip()
    # boilerplate is a short line of its own; a long paragraph is not matched at all (nor backtracked over)
    if len(line) <= _SHORT and (_BOILERPLATE.match(line) or _BYLINE.match(line) or line in source.authors):
        return None
    dateline = _DATELINE.match(text, start, end) if start == 0 or text[start - 1] == "\n" else None
    if dateline:
        start = dateline.end()
    words = _CREDIT.sub("", " ".join(text[start:end].split()))
    return (start, words) if words else None


def _line(text: str, at: int) -> str:
    first = text.rfind("\n", 0, at) + 1
    last = text.find("\n", at)
    return text[first : last if last >= 0 else len(text)]

"""The print briefing: the analysed project as a PDF, in two forms, laid out by Typst in one compile.

The brief (a few pages for the decision-maker: summary, key points, the
disagreements at a glance, the sources) and the book (everything, for the
analyst) are `templates/print/brief.typ` and `book.typ`, given the project as
data (document.py) in a confined staging folder (engine.py). The last PDF of
each is kept by its inputs (cache.py): a build with nothing changed compiles
nothing.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass, field
from pathlib import Path

from crossbrief.analyse import Analysis
from crossbrief.infra.write import atomic
from crossbrief.model import Briefing
from crossbrief.model.problems import Problem
from crossbrief.pdf import cache, document, engine
from crossbrief.pdf.document import FORMS, LABELS
from crossbrief.site import render

__all__ = [
    "FORMS",
    "LABELS",
    "NoBriefing",
    "Printed",
    "briefing_of",
    "file_name",
    "render_pdf",
    "site_files",
    "write",
]

PAPERS = {"a4": "a4", "letter": "us-letter"}
"""Paper sizes by setting, as Typst names them."""


class NoBriefing(LookupError):
    """The briefing asked for does not exist (or the project has none)."""


@dataclass(frozen=True)
class Printed:
    """A rendered print briefing."""

    pdf: bytes
    """The PDF file, or b"" when a template failed."""
    pages: int
    """How many pages it has."""
    problems: tuple[Problem, ...] = ()
    """Where a template failed (then there is no PDF), and what Typst warned of."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent on each step: data (the project as data.json), typst (the compile, 0 from the cache)."""
    cached: bool = False
    """Whether the PDF came from the cache."""


def briefing_of(analysis: Analysis, briefing_id: str | None = None) -> Briefing:
    """The briefing with this id, or the first one when no id is given."""
    briefings = analysis.project.briefings
    if not briefings:
        raise NoBriefing("the project has no briefing (briefings/<id>.yaml)")
    if briefing_id is None:
        return briefings[0]
    for b in briefings:
        if b.id == briefing_id:
            return b
    raise NoBriefing(f"no briefing {briefing_id!r}; the project has: {', '.join(b.id for b in briefings)}")


def file_name(briefing: Briefing, form: str = "book") -> str:
    """The PDF's file name, in the site and by default: `<id>.pdf` for the book, `<id>.brief.pdf` for the brief
    (ids have no dots, so no briefing's book is named as another's brief)."""
    return f"{briefing.id}.pdf" if form == "book" else f"{briefing.id}.{form}.pdf"


def render_pdf(
    analysis: Analysis,
    briefing: Briefing,
    form: str = "book",
    paper: str | None = None,
    standard: str | None = None,
    use_cache: bool = True,
) -> Printed:
    """The brief or the book of a briefing, from the cache when nothing it is made of changed. `paper`: a4 or
    letter (default: the briefing's setting); `standard`: "pdf/ua-1" or "pdf/a-2b", checked by Typst."""
    root = Path(analysis.project.root).resolve()
    paper = paper or briefing.paper
    started = time.perf_counter()
    options = f"{briefing.id}\0{form}\0{paper}\0{standard}"
    where = cache.folder(root) if use_cache else None
    name = f"{briefing.id}.{form}.{paper}.{(standard or 'pdf').replace('/', '-')}.pdf"
    made_of = cache.key(root, options) if where else b""
    kept = cache.read(where, name, made_of)
    if kept is not None:
        return Printed(kept, _pages(kept), (), {"data": time.perf_counter() - started, "typst": 0.0}, True)
    lang = render.environment(analysis.project.root).globals["lang"]
    data = document.data(analysis, briefing, form, lang)
    data.update(paper=PAPERS[paper], lang=lang.code.split("-")[0].lower())
    staged = engine.stage(root, data)
    timings = {"data": time.perf_counter() - started}
    started = time.perf_counter()
    compiled = engine.compile_pdf(staged, f"{form}.typ", standard, _timestamp(briefing.date))
    timings["typst"] = time.perf_counter() - started
    if compiled.pdf and not compiled.problems:
        cache.write(where, name, made_of, compiled.pdf)
    return Printed(compiled.pdf, _pages(compiled.pdf), compiled.problems, timings)


def _timestamp(date: str) -> int:
    """The PDF's creation date: the briefing's own, so that the same project gives the same bytes."""
    parts = [int(p) for p in (date or "1970").split("-")[:3] if p.isdigit()] + [1, 1]
    try:
        return calendar.timegm((parts[0], parts[1], parts[2], 0, 0, 0))
    except (ValueError, OverflowError):
        return 0


def _pages(pdf: bytes) -> int:
    """How many pages a PDF Typst wrote has (its page tree's count, which Typst writes first)."""
    import re

    counts = re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf) or re.findall(
        rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf
    )
    return max((int(c) for c in counts), default=0)


def write(target: Path, data: bytes) -> None:
    """Write a PDF whole: into a temporary file next to the target, then renamed over it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic(target, data)


def site_files(analysis: Analysis) -> tuple[dict[str, bytes], tuple[Problem, ...]]:
    """Every briefing's PDFs for the site (those its `pdf` setting names), by file name, and what rendering
    them reported."""
    files, problems = {}, []
    for briefing in analysis.project.briefings:
        for form in briefing.pdf:
            printed = render_pdf(analysis, briefing, form)
            if printed.pdf:
                files[file_name(briefing, form)] = printed.pdf
            problems += printed.problems
    return files, tuple(sorted(set(problems)))

"""The print briefing: the analysed project as a PDF, through `templates/print/` and WeasyPrint.

The HTML comes from the same Jinja environment as the site (a project's own
`templates/print/` overrides the shipped files one by one), from the same
Analysis. WeasyPrint lays it out; its URL fetcher serves only the project's
own files and crossbrief's templates, and refuses, records and reports
anything else (other files, any network address) without fetching it.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import posixpath
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import fragments, gcpause, markup, render
from .analyse import Analysis
from .model import SECTIONS, Briefing, Markdown
from .problems import Location, Problem
from .write import atomic

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
"""Page sizes by option name, as CSS `size` values."""


class NoBriefing(LookupError):
    """The briefing asked for does not exist (or the project has none)."""


@dataclass(frozen=True)
class Printed:
    """A rendered print briefing."""

    pdf: bytes
    """The PDF file."""
    pages: int
    """How many pages it has."""
    problems: tuple[Problem, ...] = ()
    """Resources the templates asked for and were refused, or where a template failed (then there is no PDF)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent on each step: html, layout, pdf."""
    document: object = field(default=None, repr=False, compare=False)
    """WeasyPrint's laid-out Document, for a look at the pages' boxes."""


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


def file_name(briefing: Briefing) -> str:
    """The PDF's file name, in the site (the home page links to `<briefing-id>.pdf`) and by default."""
    return f"{briefing.id}.pdf"


def anchor(item: str, part: str = "") -> str:
    """The in-document id of a dossier or source (ids are unique across kinds), or of a part of it."""
    return f"cb-{item}" + (f"--{part}" if part else "")


def _md_href(path: str, part: str) -> str:
    """A resolved [[link]] (a site page and anchor) as an in-document href."""
    return "#" + anchor(posixpath.basename(path).removesuffix(".md"), part)


def html(analysis: Analysis, briefing: Briefing, page_size: str = "a4") -> str:
    """The print briefing as one HTML document."""
    env = render.environment(analysis.project.root)

    def md(field: Markdown | None, inline: bool = False):
        if field is None:
            return ""
        return markup.render_markdown(field.text, "", lambda t: fragments.resolve(analysis, t), inline, href=_md_href)

    by_name = sorted(analysis.project.dossiers, key=lambda d: (d.name.casefold(), d.id))
    sections = {s: members for s in SECTIONS if (members := [d for d in by_name if d.section == s])}
    sources = sorted(analysis.project.sources, key=lambda s: (s.published, s.id))
    return env.get_template("print/briefing.html.j2").render(
        a=analysis, b=briefing, md=md, anchor=anchor, page_size=PAGE_SIZES[page_size],
        sections=sections, sources=sources, source_number={s.id: i for i, s in enumerate(sources, 1)},
    )


def render_pdf(analysis: Analysis, briefing: Briefing, page_size: str = "a4") -> Printed:
    """Lay the print briefing out and write it as PDF; when a print template fails, no PDF and the
    problem saying where (E213)."""
    root = Path(analysis.project.root).resolve()
    timings = {}
    started = time.perf_counter()
    try:
        document_html = html(analysis, briefing, page_size)
    except Exception as e:  # a project's own print template, most likely
        problem = render.template_problem(analysis.project.root, e)
        if problem is None:
            raise
        return Printed(b"", 0, (problem,))
    timings["html"] = time.perf_counter() - started
    fetcher = ProjectFetcher([root, Path(str(resources.files("crossbrief").joinpath("templates")))])
    # WeasyPrint's boxes are a large graph of long-lived objects: the cycle collector's full passes over
    # it were a sixth of the seed's layout, and a growing share at larger sizes, for little memory back
    with _quiet(), gcpause.paused():
        started = time.perf_counter()
        document = HTML(string=document_html, base_url=root.as_uri() + "/", url_fetcher=fetcher).render()
        timings["layout"] = time.perf_counter() - started
        started = time.perf_counter()
        pdf = document.write_pdf()
        timings["pdf"] = time.perf_counter() - started
    problems = tuple(
        Problem(Location("templates/print"), "W304", f"refused to fetch {url}",
                "the print briefing reads only the project's own files; nothing is fetched from elsewhere")
        for url in dict.fromkeys(fetcher.refused)
    )
    return Printed(pdf, len(document.pages), problems, timings, document)


def write(target: Path, data: bytes) -> None:
    """Write a PDF whole: into a temporary file next to the target, then renamed over it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic(target, data)


def site_files(analysis: Analysis) -> tuple[dict[str, bytes], tuple[Problem, ...]]:
    """Every briefing's PDF for the site, by file name, and what rendering them reported."""
    files, problems = {}, []
    for briefing in analysis.project.briefings:
        printed = render_pdf(analysis, briefing)
        files[file_name(briefing)] = printed.pdf
        problems += printed.problems
    return files, tuple(sorted(set(problems)))


@contextmanager
def _quiet():
    """WeasyPrint logs each refused resource and unsupported CSS; the refusals are reported as problems instead."""
    log = logging.getLogger("weasyprint")
    if os.environ.get("CROSSBRIEF_DEBUG"):
        yield
        return
    propagate, log.propagate = log.propagate, False
    handler = logging.NullHandler()
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.propagate = propagate


class ProjectFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only regular files under some folders.

    Any other URL (another file, a hidden folder, http, https, data, ...) is
    recorded in `refused` and raises, so WeasyPrint skips the resource; nothing
    is opened or fetched.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.roots = tuple(Path(r).resolve() for r in roots)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}: only the project's own files are read")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    def local_path(self, url: str) -> Path | None:
        """The file a `file:` URL names, if it is a regular file inside one of the roots."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        for root in self.roots:
            if path.is_relative_to(root) and path.is_file():
                if not any(part.startswith(".") for part in path.relative_to(root).parts):
                    return path
        return None

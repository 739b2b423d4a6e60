"""The print briefing: the analysed project as a PDF, through `templates/print/` and WeasyPrint.

The briefing is laid out in pieces (pieces.py), each on its own, on both
cores, each kept in the cache folder until its HTML changes, and joined
(join.py). WeasyPrint's URL fetcher (fetch.py) serves only the project's own
files and crossbrief's templates, and refuses, records and reports anything
else (other files, any network address) without fetching it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from contextlib import suppress
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import weasyprint
from weasyprint import HTML

from crossbrief.analyse import Analysis
from crossbrief.infra import fork, gcpause
from crossbrief.infra.store import Store, unpickled
from crossbrief.infra.write import atomic
from crossbrief.load import projectfiles
from crossbrief.model import Briefing
from crossbrief.model.problems import Location, Problem
from crossbrief.pdf import fetch
from crossbrief.pdf import join as pdfjoin
from crossbrief.pdf.fetch import ProjectFetcher
from crossbrief.pdf.pieces import ELSEWHERE, html, linked_across, rendered, renderer
from crossbrief.site import render

__all__ = [
    "NoBriefing",
    "Printed",
    "ProjectFetcher",
    "briefing_of",
    "file_name",
    "html",
    "render_pdf",
    "site_files",
    "write",
]


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
    """Seconds spent on each step: html, layout (of the pieces not in the cache), pdf (joining them)."""
    laid_out: int = 0
    """How many pieces (and PDFs of footers) were laid out; the others came from the cache."""
    documents: tuple = field(default=(), repr=False, compare=False)
    """WeasyPrint's laid-out Document of each piece, in order, when asked for (render_pdf's `inspect`)."""


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


@dataclass(frozen=True)
class Laid:
    """A piece laid out: what the join needs of it, as kept in the cache."""

    pdf: bytes
    """The piece's PDF."""
    pages: int
    """How many pages it has."""
    anchors: dict[str, int]
    """The page (from 0) each id of the piece is on."""
    refused: tuple[str, ...]
    """The URLs its fetcher refused."""


def _lay_out(html_text: str, root: Path) -> tuple[Laid, object]:
    """Lay one piece out: the result to keep, and WeasyPrint's Document."""
    fetcher = ProjectFetcher([root, Path(str(resources.files("crossbrief").joinpath("templates")))])
    # WeasyPrint's boxes are a large graph of long-lived objects: the cycle collector's full passes over
    # it were a sixth of the seed's layout, and a growing share at larger sizes, for little memory back
    with fetch.quiet(), gcpause.paused():
        linked = linked_across(html_text)
        document = HTML(string=linked, base_url=root.as_uri() + "/", url_fetcher=fetcher).render()
        data = document.write_pdf()
    if linked != html_text:
        data = pdfjoin.named_links(data, ELSEWHERE)
    anchors = {}
    for i, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, i)  # an element over several pages is on each: it starts on the first
    return Laid(data, len(document.pages), anchors, tuple(dict.fromkeys(fetcher.refused))), document


def _footers(total: int, front: str) -> str:
    """A document of `total` pages holding only their footers, "page X of Y", as the print stylesheet draws
    them, from the front piece's head."""
    head = front.split("<body>", 1)[0].replace("@page { @bottom-center { content: none; } }", "")
    style = "<style>@page { @top-left { content: none; } @top-right { content: none; } }</style>"
    return (
        head.replace("</head>", style + "</head>")
        + "<body>"
        + '<div style="break-before: page"></div>' * total
        + "</body></html>"
    )


def render_pdf(analysis: Analysis, briefing: Briefing, page_size: str = "a4", inspect: bool = False) -> Printed:
    """Lay the print briefing out in pieces, on both cores, each piece laid out again only when its HTML
    changed (the others come from the cache folder), and join them; when a print template fails, no PDF and
    the problem saying where (E213). `inspect`: lay every piece out here, none from the cache, and keep
    WeasyPrint's Documents."""
    root = Path(analysis.project.root).resolve()
    started = time.perf_counter()
    store = None if inspect else Store.of(root, f"pdf.{briefing.id}.{page_size}")
    stored = store.read() if store else {}
    inputs = _inputs_key(root, briefing, page_size)
    whole = unpickled(stored, b"whole")
    if whole and whole[0] == inputs:  # nothing the PDF is made of changed: no HTML, no layout
        data, total, refused = whole[1]
        return Printed(
            data, total, _refusals(refused), {"html": time.perf_counter() - started, "layout": 0.0, "pdf": 0.0}
        )
    try:
        render_piece, pieces = renderer(analysis, briefing, page_size)
        documents = rendered(render_piece, pieces)
    except Exception as e:  # a project's own print template, most likely
        problem = render.template_problem(analysis.project.root, e)
        if problem is None:
            raise
        return Printed(b"", 0, (problem,))
    timings = {"html": time.perf_counter() - started}
    started = time.perf_counter()
    layouts = _Layouts(root, stored, inspect)
    front, *rest = documents
    # the contents' numbers need the front's own length: as long as last time, or as laid out without numbers
    guess = unpickled(stored, b"front-pages")
    first = layouts.of([documents[p] for p in rest] + ([] if guess else [documents[front]]))
    body = first[: len(rest)]
    guess = guess or first[-1].pages
    starts, offset = {}, 0
    for laid in body:
        starts.update((name, offset + page) for name, page in laid.anchors.items())
        offset += laid.pages
    while True:  # the front and the footers at once; again in the rare case the front's length was not the guess
        numbered = render_piece(front, lambda name: str(starts[name] + guess + 1) if name in starts else "")
        front_laid, footers = layouts.of([numbered, _footers(guess + offset, numbered)])
        if front_laid.pages == guess:
            break
        guess = front_laid.pages
    layouts.kept[b"front-pages"] = pickle.dumps(guess)
    timings["layout"] = time.perf_counter() - started
    started = time.perf_counter()
    continued = [False, *(not p.first for p in rest)]
    data = pdfjoin.join([(laid.pdf, c) for laid, c in zip([front_laid, *body], continued)], footers.pdf)
    timings["pdf"] = time.perf_counter() - started
    refused = tuple(dict.fromkeys(url for laid in [front_laid, *body] for url in laid.refused))
    total = guess + offset
    if store:
        layouts.kept[b"whole"] = pickle.dumps((inputs, (data, total, refused)), pickle.HIGHEST_PROTOCOL)
        store.write(layouts.kept)
    ordered = [
        layouts.documents[k] for k in map(_key, [numbered, *(documents[p] for p in rest)]) if k in layouts.documents
    ]
    return Printed(data, total, _refusals(refused), timings, layouts.count, tuple(ordered))


class _Layouts:
    """Pieces laid out, from the cache or afresh on both cores; what this build used, to be kept."""

    def __init__(self, root: Path, stored: dict[bytes, bytes], inspect: bool):
        self.root, self.stored, self.inspect = root, stored, inspect
        self.kept: dict[bytes, bytes] = {}
        """The cache's entries this build used: the next build's cache (what no build uses is let go)."""
        self.documents: dict[bytes, object] = {}
        """WeasyPrint's Document of each piece laid out here, when inspecting."""
        self.count = 0
        """How many pieces were laid out."""

    def of(self, texts: list[str]) -> list[Laid]:
        keys = [_key(text) for text in texts]
        found = {k: laid for k in keys if (laid := unpickled(self.stored, k)) is not None}
        missing = list(dict.fromkeys((k, t) for k, t in zip(keys, texts) if k not in found))
        # a piece is worth forking for: it takes WeasyPrint a tenth of a second at the least
        found.update(
            dict(map(self._lay_out, missing)) if self.inspect else fork.map_jobs(missing, self._lay_out, fork.MINIMUM)
        )
        self.count += len(missing)
        for k in keys:
            self.kept[k] = self.stored.get(k) or pickle.dumps(found[k], pickle.HIGHEST_PROTOCOL)
        return [found[k] for k in keys]

    def _lay_out(self, key_and_html: tuple[bytes, str]) -> tuple[bytes, Laid]:
        key, text = key_and_html
        laid, document = _lay_out(text, self.root)
        if self.inspect:
            self.documents[key] = document
        return key, laid


def _refusals(refused: tuple[str, ...]) -> tuple[Problem, ...]:
    return tuple(
        Problem(
            Location("templates/print"),
            "W304",
            f"refused to fetch {url}",
            "the print briefing reads only the project's own files; nothing is fetched from elsewhere",
        )
        for url in refused
    )


def _key(text: str) -> bytes:
    """A piece's key in the cache: its HTML (the print stylesheet included) and WeasyPrint's version."""
    return hashlib.sha256(f"{weasyprint.__version__}\0{text}".encode()).digest()


def _inputs_key(root: Path, briefing: Briefing, page_size: str) -> bytes:
    """What the whole PDF is made of, read in a few milliseconds: the project's files, its templates (images
    included) and crossbrief's print templates, the briefing and page size asked for (crossbrief's code is
    the cache's own fingerprint)."""
    digest = hashlib.sha256(f"{weasyprint.__version__}\0{briefing.id}\0{page_size}".encode())
    files = [root / rel for rel in (*projectfiles.project_files(root, []), f"briefings/{projectfiles.PROPERTIES_FILE}")]
    shipped = Path(str(resources.files("crossbrief").joinpath("templates", "print")))
    for folder in (root / "templates", shipped):
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        with suppress(OSError):
            digest.update(b"\0%s\0%s" % (os.fsencode(path), path.read_bytes()))
    return digest.digest()


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

"""The print briefing: the analysed project as a PDF, through `templates/print/` and WeasyPrint.

The HTML comes from the same Jinja environment as the site (a project's own
`templates/print/` overrides the shipped files one by one), from the same
Analysis. WeasyPrint lays it out; its URL fetcher serves only the project's
own files and crossbrief's templates, and refuses, records and reports
anything else (other files, any network address) without fetching it.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import pickle
import posixpath
import re
import time
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import markupsafe
import weasyprint
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from crossbrief.analyse import Analysis
from crossbrief.infra import fork, gcpause
from crossbrief.infra.store import Store, unpickled
from crossbrief.infra.write import atomic
from crossbrief.load import projectfiles
from crossbrief.model import SECTIONS, Briefing, Markdown
from crossbrief.model.problems import Location, Problem
from crossbrief.pdf import join as pdfjoin
from crossbrief.site import fragments, markup, render

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


def anchor(item: str, part: str = "") -> str:
    """The in-document id of a dossier or source (ids are unique across kinds), or of a part of it."""
    return f"cb-{item}" + (f"--{part}" if part else "")


def _md_href(path: str, part: str) -> str:
    """A resolved [[link]] (a site page and anchor) as an in-document href."""
    return "#" + anchor(posixpath.basename(path).removesuffix(".md"), part)


@dataclass(frozen=True)
class Piece:
    """A part of the briefing laid out on its own: the cover and contents, the summary, a run of the
    disagreements, a run of a section's dossiers, the timeline or the sources."""

    kind: str
    """front, summary, disagreements, section, timeline or sources."""
    section: str = ""
    """For a section's piece, the section."""
    members: tuple = ()
    """For a run, what it holds: a section's dossiers, or disagreements."""
    first: bool = True
    """Whether the piece opens its part of the briefing (and so has its heading)."""
    running: str = ""
    """The running header's section title a piece that opens no section reads on with."""
    notes_before: int = 0
    """How many numbered notes come before the piece."""


RUNS = {"section": 8, "disagreements": 32}
"""About how many dossiers, or disagreements, a run holds: a dossier is a page or two, a disagreement a
third of one, so that a run is about ten pages, which an edit lays out again in a second or so."""

_ZWSP = "\u200b"
_LONG_RUN = re.compile(r"[^\s<>]{200,}")
_TEXT = re.compile(r">([^<]+)<")


def _runs(members: list, key: Callable[[object], str], size: int) -> list[list]:
    """The members in runs of about `size` (at most half as many again, the most an edit lays out again), each
    run ending after a member whose key's hash says so: a member added or removed moves no other run's bounds
    (but where a run was cut short, the next), so the other runs' layouts are reused."""
    runs = [[]]
    for member in members:
        runs[-1].append(member)
        ends = int(hashlib.sha256(key(member).encode()).hexdigest()[:8], 16) % size == 0
        if ends or len(runs[-1]) >= size * 3 // 2:
            runs.append([])
    return [run for run in runs if run] or [[]]


def _pieces(disagreements: list, sections: dict[str, list]) -> list[Piece]:
    """The pieces of the briefing, in order (notes_before still 0)."""
    found = [Piece("front"), Piece("summary")]
    for i, run in enumerate(_runs(disagreements, lambda d: d.anchor, RUNS["disagreements"])):
        found.append(Piece("disagreements", "", tuple(run), i == 0, "" if i == 0 else "Disagreements"))
    for section, members in sections.items():
        for i, run in enumerate(_runs(members, lambda d: d.id, RUNS["section"])):
            found.append(
                Piece("section", section, tuple(run), i == 0, "" if i == 0 else render.SECTION_TITLES[section])
            )
    return [*found, Piece("timeline"), Piece("sources")]


def _css_string(text: str) -> markupsafe.Markup:
    """A CSS string holding `text`: every character but letters, digits and spaces as a CSS escape."""
    return markupsafe.Markup('"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"')


def _wrappable(html_text: str) -> str:
    """The HTML with a break opportunity (a zero-width space) every 30 characters of any run of 200 or more
    without one, in text only: WeasyPrint lays out a line of a long unbreakable run in time that grows with
    what is left of it, so one pasted blob of 150,000 characters took minutes whatever overflow-wrap says."""

    def run(m: re.Match) -> str:
        tokens = re.findall(r"&[#\w]+;|.", m[0], re.S)  # never inside a character reference
        return _ZWSP.join("".join(tokens[i : i + 30]) for i in range(0, len(tokens), 30))

    return _TEXT.sub(lambda m: ">" + _LONG_RUN.sub(run, m[1]) + "<", html_text)


def html(analysis: Analysis, briefing: Briefing, page_size: str = "a4") -> dict[Piece, str]:
    """The print briefing as one HTML document per piece, in order, the contents without page numbers."""
    return _documents(*_renderer(analysis, briefing, page_size))


def _documents(render_piece: Callable[[Piece], str], pieces: list[Piece]) -> dict[Piece, str]:
    """Each piece's HTML, in order, with the number of notes before it."""
    documents, notes = {}, 0
    for piece in pieces:
        piece = replace(piece, notes_before=notes)
        documents[piece] = text = render_piece(piece)
        notes += text.count(' class="fn"')  # the notes' numbers run on through the whole briefing
    return documents


def _renderer(analysis: Analysis, briefing: Briefing, page_size: str):
    """A function rendering a piece's HTML (with `page_number`, the page an id is on, for the contents),
    and the pieces."""
    env = render.environment(analysis.project.root)
    env.filters["css_string"] = _css_string

    def md(field: Markdown | None, inline: bool = False):
        if field is None:
            return ""
        return markup.render_markdown(field.text, "", lambda t: fragments.resolve(analysis, t), inline, href=_md_href)

    by_name = sorted(analysis.project.dossiers, key=lambda d: (d.name.casefold(), d.id))
    sections = {s: members for s in SECTIONS if (members := [d for d in by_name if d.section == s])}
    sources = sorted(analysis.project.sources, key=lambda s: (s.published, s.id))
    template = env.get_template("print/briefing.html.j2")
    context = dict(
        a=analysis,
        b=briefing,
        md=md,
        anchor=anchor,
        page_size=PAGE_SIZES[page_size],
        sections=sections,
        sources=sources,
        source_number={s.id: i for i, s in enumerate(sources, 1)},
    )

    def render_piece(piece: Piece, page_number: Callable[[str], str] = lambda _: "") -> str:
        return _wrappable(template.render(piece=piece, page_number=page_number, **context))

    return render_piece, _pieces(list(analysis.disagreements), sections)


_ELSEWHERE = "crossbrief-anchor:"
"""How a piece links to an id in another piece: WeasyPrint keeps the link as a URI, the join points it at the id."""


def _linked_across(html_text: str) -> str:
    """The piece's HTML with its links to ids in other pieces made `crossbrief-anchor:` URIs (WeasyPrint
    drops a link to an id it does not find)."""
    ids = set(re.findall(r' id="([^"]+)"', html_text))
    return re.sub(r'href="#([^"]+)"', lambda m: m[0] if m[1] in ids else f'href="{_ELSEWHERE}{m[1]}"', html_text)


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
    with _quiet(), gcpause.paused():
        linked = _linked_across(html_text)
        document = HTML(string=linked, base_url=root.as_uri() + "/", url_fetcher=fetcher).render()
        data = document.write_pdf()
        if linked != html_text:
            data = pdfjoin.named_links(data, _ELSEWHERE)
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
        render_piece, pieces = _renderer(analysis, briefing, page_size)
        documents = _documents(render_piece, pieces)
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

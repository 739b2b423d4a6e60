"""The print briefing's pieces, each a whole HTML document laid out on its own: which pieces there are (the
front, the summary, runs of the disagreements and of each section's dossiers, the timeline, the sources),
and their HTML, from the same Jinja environment as the site (a project's own `templates/print/` overrides
the shipped files one by one) and the same Analysis.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import markupsafe

from crossbrief.analyse import Analysis
from crossbrief.infra.i18n import ENGLISH, Language
from crossbrief.model import SECTIONS, Briefing, Markdown
from crossbrief.site import fragments, markup, render

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
"""Page sizes by option name, as CSS `size` values."""


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
third of one, so that a run is about ten pages, which an edit lays out again in a second or two."""

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


def _pieces(disagreements: list, sections: dict[str, list], lang: Language = ENGLISH) -> list[Piece]:
    """The pieces of the briefing, in order (notes_before still 0), their running titles in the reader's language."""
    parts = [
        ("disagreements", "", disagreements, lambda d: d.anchor, lang.gettext("Disagreements")),
        *(
            ("section", s, members, lambda d: d.id, lang.gettext(render.SECTION_TITLES[s]))
            for s, members in sections.items()
        ),
    ]
    found = [Piece("front"), Piece("summary")]
    for kind, section, members, key, title in parts:
        for i, run in enumerate(_runs(members, key, RUNS[kind])):
            found.append(Piece(kind, section, tuple(run), i == 0, "" if i == 0 else title))
    return [*found, Piece("timeline"), Piece("sources")]


def _css_string(text: str) -> markupsafe.Markup:
    """A CSS string holding `text`: every character but letters, digits and spaces as a CSS escape."""
    return markupsafe.Markup('"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"')


def _page_of_pages(lang: Language) -> markupsafe.Markup:
    """The footer's CSS content, "page X of Y" in the reader's language."""
    words = re.split(r"(%\(page\)s|%\(pages\)s)", lang.gettext("page %(page)s of %(pages)s"))
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    return markupsafe.Markup(" ".join(counters.get(w) or _css_string(w) for w in words if w))


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
    return rendered(*renderer(analysis, briefing, page_size))


def rendered(render_piece: Callable[[Piece], str], pieces: list[Piece]) -> dict[Piece, str]:
    """Each piece's HTML, in order, with the number of notes before it."""
    documents, notes = {}, 0
    for piece in pieces:
        piece = replace(piece, notes_before=notes)
        documents[piece] = text = render_piece(piece)
        notes += text.count(' class="fn"')  # the notes' numbers run on through the whole briefing
    return documents


def renderer(analysis: Analysis, briefing: Briefing, page_size: str):
    """A function rendering a piece's HTML (with `page_number`, the page an id is on, for the contents),
    and the pieces."""
    env = render.environment(analysis.project.root)
    env.filters["css_string"] = _css_string

    def md(field: Markdown | None, inline: bool = False):
        if field is None:
            return ""
        return markup.render_markdown(field.text, "", resolve, inline, href=_md_href)

    def resolve(target: str) -> tuple[str, str, str] | None:
        """A [[link]]'s target, a claim's value in the reader's language."""
        found = fragments.resolve(analysis, target)
        claim = analysis.claims.get(target)
        if found and claim and not fragments.entity(analysis, claim):
            return env.globals["lang"].value(claim.value), *found[1:]
        return found

    by_name = sorted(analysis.project.dossiers, key=lambda d: (d.name.casefold(), d.id))
    sections = {s: members for s in SECTIONS if (members := [d for d in by_name if d.section == s])}
    sources = sorted(analysis.project.sources, key=lambda s: (s.published, s.id))
    template = env.get_template("print/briefing.html.j2")
    context = dict(
        page_of_pages=_page_of_pages(env.globals["lang"]),
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

    return render_piece, _pieces(list(analysis.disagreements), sections, env.globals["lang"])


ELSEWHERE = "crossbrief-anchor:"
"""How a piece links to an id in another piece: WeasyPrint keeps the link as a URI, the join points it at the id."""


def linked_across(html_text: str) -> str:
    """The piece's HTML with its links to ids in other pieces made `crossbrief-anchor:` URIs (WeasyPrint
    drops a link to an id it does not find)."""
    ids = set(re.findall(r' id="([^"]+)"', html_text))
    return re.sub(r'href="#([^"]+)"', lambda m: m[0] if m[1] in ids else f'href="{ELSEWHERE}{m[1]}"', html_text)

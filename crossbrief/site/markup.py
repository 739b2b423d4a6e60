"""Turning project strings into safe page content.

MkDocs renders pages with Python-Markdown, which passes raw HTML and
`javascript:` links straight through, so nothing from a dossier or an article
reaches a page unescaped: plain strings become HTML text (or, inside
Markdown, numeric character references for every punctuation mark), and
Markdown fields are rendered here by markdown-it-py with raw HTML off,
images off (they would fetch from other hosts) and only safe link schemes;
a field of plain text and [[links]] only, as most are, is rendered the same
way without it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from crossbrief.model.links import LINK

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# target -> (label, page path, anchor), or None when the target is unknown
Resolver = Callable[[str], "tuple[str, str, str] | None"]
# (page path, anchor) -> the href a [[link]] gets
Href = Callable[[str, str], str]
# target -> for a link to a claim: (what its marker says, the href of the dossier its value names or ""); None
Cite = Callable[[str], "tuple[str, str] | None"]

try:  # markupsafe's own escaping (in C), as the templates' autoescape spells it, as a str: escape() wraps
    # it in a Markup, which costs more than escaping, and this runs a million times at L
    from markupsafe import _escape_inner as escaped_text
except ImportError:  # MarkupSafe before 3.0

    def escaped_text(text: str) -> str:
        return str(escape(text))


def escaped(value: object) -> str:
    """markupsafe.escape(value) as a str: text escaped, what has an __html__ as that gives it. The one
    escaper of crossbrief's own HTML (templates, fragments, pictures, articles' text, titles)."""
    if type(value) is str:
        return escaped_text(value)
    html = getattr(value, "__html__", None)
    return html() if html is not None else escaped_text(str(value))


_PUNCTUATION = {ord(c): f"&#{ord(c)};" for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}


def heading_id(anchor: str) -> Markup:
    """attr_list's `{#id}` after a Markdown heading (in a template, Jinja would read `{#` as a comment)."""
    return Markup("{#%s}") % anchor  # the anchor escaped, as Markup's % does


def md_text(text: str) -> Markup:
    """A plain string for a Markdown context (a heading): every punctuation mark a character reference."""
    return Markup(" ".join(str(text).split()).translate(_PUNCTUATION))


def front_matter(title: str = "", revision_date: str = "") -> str:
    """YAML front matter giving a page its title as HTML text and the day it was last revised (as the reader's
    language writes it: Material shows it as it is); none without either.

    Without a title MkDocs takes it from the page's heading and Material
    writes it into `<title>` through `striptags`, which turns character
    references back into markup: a dossier named `</title><script>` would
    run. Material writes `page.meta.title` as it is, so it must be HTML;
    the JSON string is a YAML double-quoted scalar.
    """
    lines = f"revision_date: {json.dumps(revision_date, ensure_ascii=False)}\n" if revision_date else ""
    if title:
        lines += "title: " + json.dumps(escaped_text(" ".join(str(title).split())), ensure_ascii=False) + "\n"
    return f"---\n{lines}---\n\n" if lines else ""


def page_url(path: str, page: str, anchor: str = "", directory_urls: bool = False) -> str:
    """The URL of the page generated from `path` (`people/x.md`), relative to `page`, where MkDocs puts it:
    `people/x.html`, or with `use_directory_urls` `people/x/index.html`, linked as MkDocs links it, `people/x/`."""
    if path.endswith(".md"):
        stem = path[:-3]
        if not directory_urls:
            path = stem + ".html"
        else:
            path = "" if stem == "index" else stem.removesuffix("index") if stem.endswith("/index") else stem + "/"
    target = path.split("/")
    here = located(page, directory_urls).split("/")[:-1]
    common = 0
    while common < min(len(here), len(target) - 1) and here[common] == target[common]:
        common += 1
    rel = "/".join([".."] * (len(here) - common) + target[common:]) or "./"
    return rel + (f"#{anchor}" if anchor else "")


def located(path: str, directory_urls: bool) -> str:
    """Where MkDocs writes the page generated from `path`, as a path in the docs folder: with
    `use_directory_urls`, `people/x.md` becomes `people/x/index.html`, so it is `people/x/index.md`."""
    if not directory_urls or not path.endswith(".md") or path == "index.md" or path.endswith("/index.md"):
        return path
    return path[:-3] + "/index.md"


def wikilink_rule(emit: Callable[[Any, re.Match], None]) -> Callable[[Any, bool], bool]:
    """A markdown-it inline rule reading a [[link]] and handing its match to `emit(state, match)`, which
    pushes the tokens: the site pushes HTML, the PDF a link into the document."""

    def rule(state, silent: bool) -> bool:
        if not state.src.startswith("[[", state.pos):
            return False
        m = LINK.match(state.src, state.pos)
        if not m:
            return False
        if not silent:
            emit(state, m)
        state.pos = m.end()
        return True

    return rule


def _push_link_html(state, m: re.Match) -> None:
    state.push("html_inline", "", 0).content = _link_html(m, state.env)


_wikilink = wikilink_rule(_push_link_html)


def _link_html(m: re.Match, env: dict) -> str:
    """A [[link]] as HTML: a link under its label when its target is known, its label alone otherwise. With
    `cite`, a link to a claim is its label (linked to the dossier its value names, if any) followed by a
    superscript marker leading to the claim: the text reads as text, the evidence is one step away."""
    target = m[1].strip()
    found = env["resolve"](target)
    label = _escape_html(" ".join((m[2] or "").split()) or (found[0] if found else target))
    if not found:
        return label
    href = _escape_html(env["href"](found[1], found[2]))
    cited = env["cite"](target) if env.get("cite") else None
    if cited is None:
        return f'<a href="{href}" class="cb-xref">{label}</a>'
    said, named = cited
    if named and not m[2]:
        label = f'<a href="{_escape_html(named)}">{label}</a>'
    said = _escape_html(said)
    return f'{label}<sup class="cb-cite"><a href="{href}" aria-label="{said}" title="{said}"></a></sup>'


def _safe_link(url: str) -> bool:
    """Only http, https and mailto links, as the format says: no javascript:, data: or file: links, and no
    paths (`../../etc/passwd`, `//host/x`, a UNC path in the PDF), which a page or a PDF reader resolves
    against wherever it is opened; [[links]] are the way to another page."""
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return scheme is not None and scheme[1].lower() in ("http", "https", "mailto")


@lru_cache(maxsize=1)
def markdown_it() -> MarkdownIt:
    """markdown-it as crossbrief sets it up, made when first needed: a project whose fields are all plain
    text and links never needs it, and importing it was a sixth of crossbrief's start."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default").disable("image")
    md.validateLink = _safe_link
    md.inline.ruler.before("link", "wikilink", _wikilink)
    return md


def render_markdown(
    text: str,
    page: str,
    resolve: Resolver,
    inline: bool = False,
    href: Href | None = None,
    directory_urls: bool = False,
    cite: Cite | None = None,
) -> Markup:
    """A Markdown field as HTML, its [[links]] resolved relative to `page`.

    `href` replaces how a resolved link's page and anchor become its href: the
    PDF, a single document, makes them in-document `#anchor`s. `cite` makes
    links to claims quiet markers (see `_link_html`).
    """
    env = {
        "resolve": resolve,
        "href": href or (lambda path, anchor: page_url(path, page, anchor, directory_urls)),
        "cite": cite,
    }
    out = _plain(text, env, inline)
    if out is None:
        out = markdown_it().renderInline(text, env) if inline else markdown_it().render(text, env)
    return Markup(out.strip())


_LINK_TEXT = r"\[\[[^\[\]|\n]*(?:\|[^\[\]\n]*)?\]\]"
# A line starting with a letter or a link (no Markdown block starts so, nor interrupts a paragraph) and holding,
# outside its links, none of the characters any Markdown starts with (emphasis, code, links, escapes, entities,
# HTML, tables, strikethrough): markdown-it makes such lines one paragraph of text and links, joined by line
# breaks. tests/test_fuzz.py compares the two on generated text, and the golden pages on the seed's fields.
_PLAIN_LINE = re.compile(
    rf"(?:[^\W\d_]|{_LINK_TEXT})(?:[^\W_]|[ ,.;:?'\"()/%+=\u2018\u2019\u201c\u201d\u2013\u2014-]|{_LINK_TEXT})*"
)


def _plain(text: str, env: dict, inline: bool) -> str | None:
    """Plain text with [[links]] rendered as markdown-it renders it, without markdown-it (which took 90 µs
    for a one-line summary, a tenth of a dossier's page); None for anything else."""
    # a paragraph drops the spaces and line breaks after its last line (not other white space, such as U+0085),
    # but text rendered inline breaks at two spaces
    lines = (text.rstrip("\n") if inline else text.rstrip(" \n")).split("\n")
    if not all(_PLAIN_LINE.fullmatch(line) and line[-1] != " " for line in lines):  # a trailing space breaks a line
        return None
    out = "\n".join(_plain_line(line, env) for line in lines)
    return out if inline else f"<p>{out}</p>"


def _escape_html(text: str) -> str:
    """Text as markdown-it escapes it (`"` as `&quot;`, not `'`), for the text it would have rendered, byte
    for byte: a copy of its escapeHtml, as importing that imports all of markdown-it. Not another escaper of
    crossbrief's (that is `escaped`): markdown-it's own spelling, which this fast path must match."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _plain_line(line: str, env: dict) -> str:
    out, at = [], 0
    for m in LINK.finditer(line):
        out.append(_escape_html(line[at : m.start()]))
        out.append(_link_html(m, env))
        at = m.end()
    out.append(_escape_html(line[at:]))
    return "".join(out)


def highlight(
    text: str,
    passages: list[tuple[int, int, str, str]],
    uncovered: list[tuple[int, int, str, str]] = (),
    labels: dict[int, tuple[str, str]] | None = None,
    separator: str = "; ",
) -> Markup:
    """Article text as paragraphs, each quoted passage marked, its start anchored; the lines starting at
    the offsets in `labels` are set apart as their kind (`caption`, `headline`) under their label (with its colon);
    a piece in several passages has their titles joined by `separator` (the reader's language's).

    `passages` are (start, end, anchor id, title); passages may overlap, so the
    text is cut at every passage boundary and each piece marked if any covers it.
    Each mark lists the passages covering it (`data-q`, numbered from 1), and a
    style rule per passage highlights every piece of the passage whose anchor is
    the page's target, however other passages cut it. `uncovered` are sentences
    no passage overlaps, (start, end, note code, title), marked apart (coverage.py).
    """
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    bounds = [p[0] for p in passages] + [p[1] for p in passages] + [u[0] for u in uncovered] + [u[1] for u in uncovered]
    cuts = sorted({0, len(text), *bounds, *newlines, *(i + 1 for i in newlines)})
    notes = {u[0]: u for u in uncovered}
    note = None
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for k, (start, end, _, _) in enumerate(passages):
        starts.setdefault(start, []).append(k)
        ends.setdefault(end, []).append(k)
    # every passage boundary is a cut, so a piece is covered by the passages open at its start
    covering: set[int] = set()
    marks: dict[tuple[int, ...], str] = {}  # a passage cut by a line break covers the pieces either side
    paragraphs: list[list[str]] = [[]]
    starts_at = [0]  # each paragraph's offset in the text
    for lo, hi in zip(cuts, cuts[1:]):
        if lo in ends:
            covering.difference_update(ends[lo])
        begun = starts.get(lo, ())
        if begun:
            covering.update(k for k in begun if passages[k][1] > lo)
        piece = text[lo:hi]
        if piece == "\n":
            paragraphs.append([])
            starts_at.append(hi)
            continue
        out = paragraphs[-1]
        for k in begun:
            out.append(f'<span class="cb-anchor" id="{escaped_text(passages[k][2])}"></span>')
        note = notes.get(lo, note)
        if note and lo >= note[1]:
            note = None
        if note and not covering:
            out.append(
                f'<span class="cb-uncovered" data-note="{note[2]}" title="{escaped_text(note[3])}">{escaped_text(piece)}</span>'
            )
        elif covering:
            ordered = tuple(sorted(covering))
            if ordered not in marks:
                titles = escaped_text(separator.join(sorted({passages[k][3] for k in ordered})))
                marks[ordered] = (
                    f'<mark class="cb-quote" data-q="{" ".join(str(k + 1) for k in ordered)}" title="{titles}">'
                )
            out.append(f"{marks[ordered]}{escaped_text(piece)}</mark>")
        else:
            out.append(escaped_text(piece))
    targets = [
        f'.cb-source-text:has(#{p[2]}:target) mark[data-q~="{k + 1}"]'
        for k, p in enumerate(passages)
        if _CSS_ID.fullmatch(p[2])
    ]
    style = f"<style>{', '.join(targets)} {{ {_CURRENT} }}</style>\n" if targets else ""
    labels = labels or {}
    texts = (("".join(p), labels.get(at)) for p, at in zip(paragraphs, starts_at))
    return Markup(style + "\n".join(_paragraph(t, label) for t, label in texts if t.strip()))


def _paragraph(html: str, label: tuple[str, str] | None) -> str:
    if label is None:
        return f"<p>{html}</p>"
    kind, text = label
    return f'<p class="cb-{kind}"><span class="cb-label">{escaped_text(text)}</span> {html}</p>'


_CSS_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_NEWLINE = re.compile("\n")
_CURRENT = "background: #ffd54f; outline: 2px solid #e6a100;"
"""How the passage a link led to is highlighted."""

"""The pieces of HTML that repeat per passage, relation, mention or fact, built in Python.

The page templates lay out each page; what they repeat thousands of times
(a row of facts, a line citing a passage, a link to a dossier) is built here,
once per page section, from names, titles and URLs escaped once. At 40,000
claims Jinja's cost per expression (a context call, an escape, a new Markup)
was most of the build. Every string from the project is escaped here as the
templates' autoescape would, and every word crossbrief writes is the reader's
language's (`Language`).

The pieces a newsroom may want to restyle (`PIECES`: a claim, a citation, a
disagreement's verdict, a disagreement) are templates only,
`templates/site/_<piece>.html.j2`, rendered here through `Piece`s; a project's
own file of that name replaces crossbrief's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import groupby

from markupsafe import Markup

from crossbrief.analyse import Analysis, Carried, Disagreement, Facts, Passage, Position, origin_key
from crossbrief.infra.i18n import Language
from crossbrief.model import Claim, Dossier, Markdown
from crossbrief.site import markup
from crossbrief.site.markup import escaped_text as _e


def preferred_position(dis: Disagreement) -> Position | None:
    """The position holding the claim the editors' verdict prefers, if any."""
    chosen = dis.verdict.preferred if dis.verdict else None
    return next((p for p in dis.positions if any(c.id == chosen for c in p.claims)), None)


def page_of(analysis: Analysis, item_id: str) -> str:
    """The page path of a dossier or source."""
    if item_id in analysis.sources:
        return f"sources/{item_id}.md"
    return f"{analysis.dossiers[item_id].section}/{item_id}.md"


def entity(analysis: Analysis, claim: Claim) -> str | None:
    """The dossier a claim's value names, when its property is a relation."""
    prop = analysis.project.properties.get(claim.property)
    if claim.value and prop and prop.type == "entity" and claim.value.text in analysis.dossiers:
        return claim.value.text
    return None


def value_text(analysis: Analysis, lang: Language, claim: Claim) -> str:
    """A claim's value as plain text in the reader's language: a relation reads as its target's name."""
    target = entity(analysis, claim)
    return analysis.dossiers[target].name if target else lang.value(claim.value)


def claim_label(analysis: Analysis, lang: Language, claim: Claim) -> str:
    """What a claim says, as plain text: `Manaf Tlass — Destination: Paris`."""
    prop = analysis.project.properties.get(claim.property)
    label = lang.gettext(prop.label) if prop else claim.property
    return f"{analysis.dossiers[claim.dossier].name} — {label}{lang.colon} {value_text(analysis, lang, claim)}"


def resolve(analysis: Analysis, target: str) -> tuple[str, str, str] | None:
    """Label, page and anchor of a [[link]] target."""
    if target in analysis.dossiers:
        return analysis.dossiers[target].name, page_of(analysis, target), ""
    if target in analysis.sources:
        return analysis.sources[target].title, page_of(analysis, target), ""
    claim = analysis.claims.get(target)
    if claim:
        found = entity(analysis, claim)
        label = analysis.dossiers[found].name if found else claim.value.text if claim.value else claim.id
        return label, page_of(analysis, claim.dossier), f"claim-{claim.id}"
    return None


PIECES = ("claim", "citation", "verdict", "disagreement")
"""The pieces rendered from `templates/site/_<piece>.html.j2`, which a project's own file replaces."""

Piece = Callable[..., str]
"""A piece's template rendered for a page: piece(page, **variables)."""

DISAGREEMENTS = "disagreements.md"
"""The disagreements page's path in the docs folder (a rebuild takes its sections from it as last written)."""

_SECTION_START = '<div class="cb-disagreement">\n'
_SECTION_CLOSE = "</div>\n</div>\n\n"
_SECTION_END = "</section>\n" + _SECTION_CLOSE
"""How a disagreement's section ends, and nothing before it in the section does: its last position, then
the positions and the section closed (no text from the project can hold a tag: it is escaped)."""

_HEADING = re.compile(r"## [^\n]* \{#([^{}\s]+)\}\n\n")
"""A section's heading, as `Fragments.disagreements` writes it before the section's start."""


def sections(text: str) -> dict[str, str]:
    """The disagreements' sections in a page's text as `Fragments.disagreements` wrote them, by anchor."""
    found = {}
    at = text.find(_SECTION_START)
    while at >= 0:
        heading = _HEADING.fullmatch(text, text.rfind("\n", 0, max(at - 2, 0)) + 1, at)
        end = text.find(_SECTION_END, at)
        if end < 0:
            break
        if heading:
            found[heading[1]] = text[heading.start() : end + len(_SECTION_END)]
        at = text.find(_SECTION_START, end)
    return found


class Fragments:
    """HTML pieces for one analysed project, with the names and URLs they repeat computed once."""

    def __init__(
        self,
        analysis: Analysis,
        reused: dict[str, str] | None,
        pieces: dict[str, Piece],
        lang: Language,
        own: bool = False,
        directory_urls: bool = False,
    ):
        """`reused`: sections of the disagreements page as the last build wrote them that are still right,
        by anchor (incremental.Plan.sections); `pieces`: each of `PIECES` as its template renders it;
        `lang`: the reader's language; `own`: whether the project has its own template of a piece;
        `directory_urls`: MkDocs' `use_directory_urls`, which says where each page is, and so what a link
        to it is."""
        self.a = analysis
        self.lang = lang
        self.directory_urls = directory_urls
        self._pieces = pieces
        # `sections` finds a section by the shipped markup around it, which a project's piece need not write
        self._reused = {} if own else reused or {}
        self._names = {i: _e(d.name) for i, d in analysis.dossiers.items()}
        self._titles = {i: _e(s.title) for i, s in analysis.sources.items()}
        self._labels = {i: _e(lang.gettext(p.label)) for i, p in analysis.project.properties.items()}
        self._pages = {i: page_of(analysis, i) for i in (*analysis.dossiers, *analysis.sources)}
        self._urls: dict[tuple[str, str], str] = {}
        self._links: dict[tuple[str, str], str] = {}
        self._markdown: dict[tuple[str, str, bool], str] = {}
        self._words = {
            "claim": _e(lang.gettext("claim")),
            "contested": _e(lang.gettext("contested")),
            "reports disagree": _e(lang.gettext("reports disagree")),
            "earlier": _e(lang.gettext("earlier")),
            "show passage": _e(lang.gettext("Show the passage")),
        }

    def href(self, page: str, path: str, anchor: str = "") -> str:
        """The escaped URL of a generated page (and anchor), relative to `page`."""
        key = (path, self._folder(page))
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = _e(markup.page_url(path, page, directory_urls=self.directory_urls))
        return f"{url}#{_e(anchor)}" if anchor else url

    def who(self, page: str, name: str) -> str:
        """A dossier id as a link under its name; any other text as text."""
        key = (name, self._folder(page))
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = (
                f'<a href="{self.href(page, self._pages[name])}">{self._names[name]}</a>'
                if name in self._names
                else _e(name)
            )
        return link

    def phrase(self, message: str, **html: str) -> str:
        """A message in the reader's language as HTML, its `%(name)s` placeholders filled with `html`
        (already HTML: escaped text, links)."""
        return _e(self.lang.gettext(message)) % html

    def page_of(self, item_id: str) -> str:
        """The page path of a dossier or source."""
        return self._pages[item_id]

    def label(self, prop: str) -> str:
        """A property's label, or its id when the registry does not know it."""
        return self._labels[prop] if prop in self._labels else _e(prop)

    def value(self, page: str, claim: Claim) -> str:
        """A claim's value as HTML in the reader's language: a relation links to its target, a date is a `<time>`."""
        target = entity(self.a, claim)
        return self.who(page, target) if target else self.lang.value(claim.value, html=True)

    def value_text(self, claim: Claim) -> str:
        """A claim's value as plain text in the reader's language: a relation reads as its target's name."""
        return value_text(self.a, self.lang, claim)

    def claim_label(self, claim: Claim) -> str:
        """What a claim says, as plain text for a link's title: `Manaf Tlass — Destination: Paris`."""
        return claim_label(self.a, self.lang, claim)

    def claim_link(self, page: str, claim: Claim, text: str) -> str:
        """A link to a claim on its dossier's page, `text` (HTML) its text, what it says in its title."""
        url = self.href(page, self._pages[claim.dossier], "claim-" + claim.id)
        return f'<a href="{url}" title="{_e(self.claim_label(claim))}">{text}</a>'

    def origins(self, claims: tuple[Claim, ...]) -> str:
        """How many independent origins some claims have, the origins in a tooltip, with the speakers and
        the articles carrying agency copy counted with another origin."""
        return self._count(self.a.corroboration(claims), claims)

    def support(self, position: Position) -> str:
        """How many independent origins still hold a position (see Position.origins), named in a tooltip."""
        return self._count(position.origins, position.claims)

    def _count(self, found: tuple[str, ...], claims: tuple[Claim, ...]) -> str:
        names = ", ".join(self._name(o) for o in found)
        merged = "".join(
            self.lang.separator
            + self.lang.gettext(
                "%(speaker)s counted with %(organisation)s (%(relation)s)",
                speaker=self._name(r.subject),
                organisation=self._name(r.target),
                relation=self.lang.gettext(r.property.label).lower(),
            )
            for r in self.a.merged_into(claims)
        )
        merged += "".join(self.lang.separator + self._carrier(c) for c in self.a.carriers(claims))
        title = self.lang.gettext("independent origins: %(names)s", names=names + merged)
        count = self.lang.ngettext("%(num)s independent origin", "%(num)s independent origins", len(found))
        return f'<span class="cb-origins" title="{_e(title)}">{_e(count)}</span>'

    def _carrier(self, c: Carried) -> str:
        """Why an article carrying agency copy counts with an agency, as plain text."""
        names = {"outlet": self._name(c.outlet), "source": c.source, "agency": self._name(c.agency)}
        if c.own:
            return self.lang.gettext("%(outlet)s (%(source)s) counted with %(agency)s: carries its copy", **names)
        return self.lang.gettext(
            "%(outlet)s (%(source)s) counted with %(agency)s: carries its copy; the project has no report of its own",
            **names,
        )

    def _name(self, origin: str) -> str:
        """An origin's name as plain text."""
        return self.a.dossiers[origin].name if origin in self.a.dossiers else origin

    def merged(self, page: str, claims: tuple[Claim, ...]) -> str:
        """Which speakers and articles of some claims count as one origin with another, and why."""
        with_ = _e(self.lang.gettext("with"))
        items = [
            f"{self.who(page, r.subject)} {with_} {self.who(page, r.target)} "
            f"({self.claim_link(page, r.claim, _e(self.lang.gettext(r.property.label).lower()))})"
            for r in self.a.merged_into(claims)
        ]
        own = _e(self.lang.gettext("carries its copy"))
        alone = _e(self.lang.gettext("carries its copy; no report of its own here"))
        items += [
            f'<a href="{self.href(page, self._pages[c.source])}">{_e(self._name(c.outlet))}</a> {with_} '
            f"{self.who(page, c.agency)} ({own if c.own else alone})"
            for c in self.a.carriers(claims)
        ]
        if not items:
            return ""
        counted = _e(self.lang.gettext("Counted as one origin:"))
        return f'<p class="cb-meta cb-merged">{counted} {self.lang.separator.join(items)}</p>\n'

    def split(self, page: str, position: Position) -> str:
        """The origins holding a position and another one, which count for neither."""
        if not position.split:
            return ""
        names = ", ".join(self.who(page, o) for o in position.split)
        said = self.phrase(
            "Not counted as independent: %(names)s also holds another position, and no date orders the two.",
            names=names,
        )
        return f'<p class="cb-meta cb-split">{said}</p>\n'

    def in_time(self, page: str, facts: Facts | None) -> str:
        """The figures that changed, per origin (4 → 8 → 9, with dates; values no date orders side by
        side), and the origins holding incompatible values."""
        if facts is None:
            return ""
        out = ""
        for h in facts.histories:
            steps = " → ".join(self._stage(page, stage) for stage in h.stages)
            key = origin_key(h.origin)
            merged = "".join(
                self.lang.separator
                + self.phrase(
                    "%(speaker)s counted with it (%(relation)s)",
                    speaker=self.who(page, r.subject),
                    relation=_e(self.lang.gettext(r.property.label).lower()),
                )
                for r in self.a.merged_into(tuple(s.claim for s in h.steps))
                if origin_key(r.target) == key
            )
            merged += "".join(
                self.lang.separator
                + self.phrase(
                    "%(outlet)s (%(source)s) counted with it: carries its copy",
                    outlet=self.who(page, c.outlet),
                    source=_e(c.source),
                )
                for c in self.a.carriers(tuple(s.claim for s in h.steps))
                if origin_key(c.agency) == key
            )
            out += (
                f'<li>{self.who(page, h.origin)}{self.lang.colon} {steps}<span class="cb-meta">{merged}</span></li>\n'
            )
        changed = _e(self.lang.gettext("Figures that changed"))
        latest = _e(self.lang.gettext("(the latest counts):"))
        history = (
            f'<div class="cb-history"><p><strong>{changed}</strong> {latest}</p>\n<ul>\n{out}</ul>\n</div>\n'
            if out
            else ""
        )
        contradiction = _e(self.lang.gettext("Self-contradiction:"))
        undated = _e(self.lang.gettext("undated"))
        for c in facts.contradictions:
            first, second = c.statements
            if c.simultaneous:
                said = self.phrase(
                    "%(origin)s is reported giving %(first)s and %(second)s at the same time (%(when)s): "
                    "a self-contradiction or a misquote.",
                    origin=self.who(page, c.origin),
                    first=self.value(page, first.claim),
                    second=self.value(page, second.claim),
                    when=self.lang.date_html(first.when),
                )
            else:
                said = self.phrase(
                    "%(origin)s is reported giving %(first)s (%(first_when)s) and %(second)s (%(second_when)s), "
                    "and no date orders them: a change of account, a self-contradiction or a misquote.",
                    origin=self.who(page, c.origin),
                    first=self.value(page, first.claim),
                    second=self.value(page, second.claim),
                    first_when=self.lang.date_html(first.when) if first.when else undated,
                    second_when=self.lang.date_html(second.when) if second.when else undated,
                )
            history += f'<p class="cb-contradiction"><strong>{contradiction}</strong> {said}</p>\n'
        return history

    def _stage(self, page: str, stage: tuple) -> str:
        """Values given at once, or at times no source orders: `5 / 6 (31 August 2017)`."""
        parts = []
        for when, group in groupby(stage, key=lambda s: s.when):
            values = " / ".join(self.claim_link(page, s.claim, _e(self.value_text(s.claim))) for s in group)
            parts.append(f'{values} <span class="cb-meta">({self.lang.date_html(when)})</span>')
        return " / ".join(parts)

    def md(self, page: str, field: Markdown | None, inline: bool = False) -> str:
        """A Markdown field as HTML, its [[links]] relative to `page`: a link to a claim is its text (the
        name of the dossier it names, linked) and a quiet superscript marker leading to the claim."""
        if field is None:
            return ""
        key = (field.text, self._folder(page), inline)
        if key not in self._markdown:
            self._markdown[key] = str(
                markup.render_markdown(
                    field.text,
                    page,
                    self._resolve,
                    inline,
                    directory_urls=self.directory_urls,
                    cite=lambda t: self._cite(page, t),
                )
            )
        return self._markdown[key]

    def _folder(self, page: str) -> str:
        """The folder MkDocs writes `page` into: the pages of one folder share their links."""
        return markup.located(page, self.directory_urls).rpartition("/")[0]

    def _resolve(self, target: str) -> tuple[str, str, str] | None:
        """`resolve`, a claim's value in the reader's language."""
        found = resolve(self.a, target)
        claim = self.a.claims.get(target)
        return (self.value_text(claim), *found[1:]) if found and claim else found

    def _cite(self, page: str, target: str) -> tuple[str, str] | None:
        """For a [[link]] to a claim: what its marker says to a screen reader and in its tooltip, and the
        href of the dossier its value names (empty when it names none); None for any other target."""
        claim = self.a.claims.get(target)
        if claim is None:
            return None
        found = entity(self.a, claim)
        said = self.lang.gettext("Claim: %(claim)s", claim=self.claim_label(claim))
        return said, markup.page_url(self._pages[found], page, directory_urls=self.directory_urls) if found else ""

    def citation(self, page: str, claim: Claim, index: int) -> str:
        """One citation of a claim: the quote, its article (at the passage when found), who said it."""
        c = claim.citations[index]
        s = self.a.sources.get(c.source)
        passage = self.a.passage(claim, index) if s else None
        return self._pieces["citation"](page, claim=claim, index=index, citation=c, source=s, passage=passage)

    def citations(self, page: str, claim: Claim) -> str:
        """A claim's citations as a list."""
        items = "".join(self.citation(page, claim, i) + "\n" for i in range(len(claim.citations)))
        return f'<ul class="cb-citations">\n{items}</ul>\n'

    def claim(self, page: str, claim: Claim) -> str:
        """A claim on its dossier's page: property, value, disagreement, origins, text, citations, note, and
        its provenance, folded away."""
        dis = self.a.disagreement(claim.dossier, claim.property)
        facts = self.a.facts(claim.dossier, claim.property)
        superseded = facts is not None and claim in facts.superseded
        return self._pieces["claim"](page, claim=claim, disagreement=dis, superseded=superseded)

    def provenance(self, claim: Claim) -> str:
        """Who added a claim and who last changed it, from git, folded away as a reader needs it rarely."""
        ph = self.a.history.claim(claim.ref) if self.a.history else None
        if not ph:
            return ""
        added, changed = ph.added, ph.changed
        summary = _e(self.lang.gettext("History"))
        out = (
            f'<details class="cb-provenance"><summary>{summary}</summary>'
            f'<span title="{_e(added.short)}{self.lang.colon} {_e(added.subject)}">'
            + self.phrase("added %(day)s by %(author)s", day=self.lang.date_html(added.day), author=_e(added.author))
            + "</span>"
        )
        if changed.id != added.id:
            out += (
                f', <span title="{_e(changed.short)}{self.lang.colon} {_e(changed.subject)}">'
                + self.phrase(
                    "changed %(day)s by %(author)s", day=self.lang.date_html(changed.day), author=_e(changed.author)
                )
                + "</span>"
            )
        if ph.uncommitted:
            out += ", " + _e(self.lang.gettext("changed since (not committed)"))
        return out + "</details>"

    def claims(self, page: str, dossier: Dossier) -> Markup:
        """Every claim of a dossier, in order."""
        return Markup("\n".join(self.claim(page, c) for c in dossier.claims))

    def facts(self, page: str, dossier: Dossier) -> Markup:
        """The facts-at-a-glance rows: each property with its distinct values, each linked to the first claim
        holding it, with how many claims do."""
        rows = []
        for prop, group in groupby(sorted(dossier.claims, key=lambda c: c.property), key=lambda c: c.property):
            facts = self.a.facts(dossier.id, prop)
            old = set(facts.superseded) if facts else set()
            distinct: dict[str, list[Claim]] = {}
            for c in group:
                distinct.setdefault(c.value.key if c.value else c.id, []).append(c)
            items = []
            for held in distinct.values():
                first = held[0]
                count = self.lang.ngettext("%(num)s claim", "%(num)s claims", len(held))
                count = f' <span class="cb-meta">{_e(count)}</span>' if len(held) > 1 else ""
                earlier = (
                    f' <span class="cb-meta">({self._words["earlier"]})</span>' if all(c in old for c in held) else ""
                )
                items.append(
                    f'<li><a href="#claim-{_e(first.id)}">{self.value(page, first)}</a>{count}{earlier}</li>'
                    if not entity(self.a, first)
                    else f"<li>{self.value(page, first)} "
                    f'<a class="cb-meta" href="#claim-{_e(first.id)}">({self._words["claim"]})</a>{count}{earlier}</li>'
                )
            values = f'<ul class="cb-values">{"".join(items)}</ul>'
            dis = self.a.disagreement(dossier.id, prop)
            if dis:
                contested = self.lang.gettext("contested (%(status)s)", status=self.lang.gettext(dis.status))
                values += (
                    f'<a class="cb-contested" href="{self.href(page, DISAGREEMENTS, dis.anchor)}">{_e(contested)}</a>'
                )
            values += self.in_time(page, facts)
            rows.append(f'<tr><th scope="row">{self.label(prop)}</th><td>{values}</td></tr>\n')
        return Markup("".join(rows))

    def cited_by(self, page: str, passages: Iterable[Passage]) -> Markup:
        """A source's passages, each linking to the claim that cites it."""
        lines = []
        show = self._words["show passage"]
        for p in passages:
            claim = p.claim
            said_by = claim.citations[p.index].said_by
            said = (
                f' <span class="cb-said">({self.phrase("said by %(who)s", who=self.who(page, said_by))})</span>'
                if said_by
                else ""
            )
            lines.append(
                f'<li><a href="#{_e(p.anchor)}" title="{show}" aria-label="{show}">¶</a> '
                f'<a href="{self.href(page, self._pages[claim.dossier], "claim-" + claim.id)}">'
                f"{self._names[claim.dossier]} — {self.label(claim.property)}{self.lang.colon} {_e(self.value_text(claim))}</a>{said}</li>\n"
            )
        return Markup("".join(lines))

    def relations(self, page: str, dossier_id: str) -> Markup:
        """A dossier's relations both ways, each with a link to the claim making it."""
        claim = self._words["claim"]
        lines = [
            f'<li>{_e(self.lang.gettext(r.property.label))}{self.lang.colon} {self.who(page, r.target)} <a class="cb-meta" href="#claim-{_e(r.claim.id)}">({claim})</a></li>\n'
            for r in sorted(
                self.a.relations_out.get(dossier_id, ()), key=lambda r: (r.property.label.lower(), r.target.lower())
            )
        ]
        lines += [
            f"<li>{_e(self.lang.gettext(r.property.inverse))}{self.lang.colon} {self.who(page, r.subject)} "
            f'<a class="cb-meta" href="{self.href(page, self._pages[r.subject], "claim-" + r.claim.id)}">({claim})</a></li>\n'
            for r in sorted(
                self.a.relations_in.get(dossier_id, ()), key=lambda r: (r.property.inverse.lower(), r.subject.lower())
            )
        ]
        return Markup("".join(lines))

    def mentions(self, page: str, dossier_id: str) -> Markup:
        """Where the sources name a dossier: per source, how often, and each sentence once."""
        out = []
        found = sorted(self.a.mentions.get(dossier_id, ()), key=lambda m: m.source.lower())
        for source_id, group in groupby(found, key=lambda m: m.source.lower()):
            group = list(group)
            source_id = group[0].source
            count = _e(self.lang.ngettext("%(num)s mention", "%(num)s mentions", len(group)))
            out.append(
                f'<p class="cb-mention-source"><a href="{self.href(page, self._pages[source_id])}">{self._titles[source_id]}</a> '
                f'<span class="cb-meta">{count}</span></p>\n<ul>\n'
            )
            seen = set()
            for m in group:
                if m.sentence.lower() not in seen:
                    seen.add(m.sentence.lower())
                    out.append(f"<li>{_e(m.sentence)}</li>\n")
            out.append("</ul>\n")
        return Markup("".join(out))

    def disagreement_links(self, page: str, disagreements: Iterable[Disagreement]) -> Markup:
        """A list item per disagreement, linking to it on the disagreements page, with the values held."""
        itself = f" ({_e(self.lang.gettext('self-contradiction'))})"
        return Markup(
            "".join(
                f'<li><a href="{self.href(page, DISAGREEMENTS, d.anchor)}">{self._names[d.dossier.id]}{self.lang.colon} '
                f"{self.label(d.property.id)}</a>{itself if d.self_contradiction else ''}"
                f" — {' / '.join(self.position_value(page, p, links=False) for p in d.positions)}</li>\n"
                for d in disagreements
            )
        )

    def position_text(self, position: Position) -> str:
        """A position's values as plain text in the reader's language: a relation reads as its target's name."""
        if len(position.values) > 1:
            return self.lang.separator.join(self.lang.value(v) for v in position.values)
        return self.value_text(position.claims[0])

    def position_value(self, page: str, position: Position, links: bool = True) -> str:
        """A position's values as HTML in the reader's language, several separated by semicolons; a
        relation links to its target, unless `links` is false (inside another link's line)."""
        if len(position.values) > 1:
            return self.lang.separator.join(self.lang.value(v, html=True) for v in position.values)
        claim = position.claims[0]
        return self.value(page, claim) if links or not entity(self.a, claim) else _e(self.value_text(claim))

    def kind(self, dis: Disagreement) -> str:
        """What a disagreement is, when one origin alone holds its positions."""
        if not dis.self_contradiction:
            return ""
        return f' · <strong class="cb-kind">{_e(self.lang.gettext("self-contradiction"))}</strong>'

    def disagreements(self, page: str, disagreements: Iterable[Disagreement], status: Callable[[str], str]) -> Markup:
        """A section per disagreement: its heading, then `disagreement`; `status`: the template's macro
        showing a status (called once per status, not per disagreement)."""
        statuses: dict[str, str] = {}
        reused = self._reused if page == DISAGREEMENTS else {}
        out = []
        for d in disagreements:
            if d.anchor in reused:
                out.append(reused[d.anchor])
                continue
            if d.status not in statuses:
                statuses[d.status] = str(status(d.status))
            out.append(
                f"## {markup.md_text(d.dossier.name)}{self.lang.colon} {markup.md_text(self.lang.gettext(d.property.label))} {markup.heading_id(d.anchor)}\n\n"
                f"{self.disagreement(page, d, statuses[d.status])}"
            )
        return Markup("".join(out))

    def disagreement(self, page: str, dis: Disagreement, status: str) -> str:
        """One disagreement's section under its heading: its status (`status`, as HTML), dossier, the verdict,
        the figures that changed, and the positions side by side."""
        return self._pieces["disagreement"](page, dis=dis, preferred=preferred_position(dis))

    def verdict(self, page: str, dis: Disagreement) -> str:
        """A disagreement's editors' note, and a notice when its verdict was written for other claims."""
        return self._pieces["verdict"](page, dis=dis, stale=dis.stale)

    def statements(self, page: str, speaker: str) -> Markup:
        """Every quote attributed to a dossier (`said_by`), earliest first: what it is evidence of, the
        source and when."""
        out = []
        on = _e(self.lang.gettext("on"))
        for claim, i in self.a.statements.get(speaker, ()):
            c = claim.citations[i]
            s = self.a.sources.get(c.source)
            passage = self.a.passage(claim, i)
            cite = (
                (
                    f'<a href="{self.href(page, self._pages[s.id], passage.anchor if passage else "")}">{self._titles[s.id]}</a> '
                    f'<span class="cb-meta">{self.who(page, s.outlet)}, {self.lang.date_html(self.a.when(c))}</span>'
                )
                if s
                else _e(c.source)
            )
            said = f"{self.who(page, c.said_by)}{self.lang.colon} " if c.said_by != speaker else ""
            out.append(
                f'<li>{said}<q>{_e(c.quote)}</q> — {cite}<br><span class="cb-meta">{on} '
                f'<a href="{self.href(page, self._pages[claim.dossier], "claim-" + claim.id)}">{self._names[claim.dossier]}{self.lang.colon} '
                f"{self.label(claim.property)}{self.lang.colon} {_e(self.value_text(claim))}</a></span></li>\n"
            )
        return Markup("".join(out))

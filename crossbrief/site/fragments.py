"""The pieces of HTML that repeat per claim, citation and passage, built in Python.

The page templates lay out each page; what they repeat thousands of times
(a claim with its citations, a row of facts, a line citing a passage) is built
here, once per page section, from names, titles and URLs escaped once. At
40,000 claims Jinja's cost per expression (a context call, an escape, a new
Markup) was most of the build. Every string from the project is escaped here
as the templates' autoescape would.

The pieces a newsroom may want to restyle (`PIECES`: a claim, a citation, a
disagreement's verdict, a disagreement) are also templates,
`templates/site/_<piece>.html.j2`, that write the same bytes (a test compares
them on every fixture). A project that has its own file of that name gets it
rendered in place of the Python here, with the same variables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import groupby

from markupsafe import Markup

from crossbrief.analyse import Analysis, Carried, Disagreement, Facts, Passage, Position, origin_key
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
"""The pieces built here that a project's `templates/site/_<piece>.html.j2` replaces."""

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
        reused: dict[str, str] | None = None,
        pieces: dict[str, Piece] | None = None,
        directory_urls: bool = False,
    ):
        """`reused`: sections of the disagreements page as the last build wrote them that are still right,
        by anchor (incremental.Plan.sections); `pieces`: the pieces (of `PIECES`) to render through their
        templates rather than here; `directory_urls`: MkDocs' `use_directory_urls`, which says where each
        page is, and so what a link to it is."""
        self.a = analysis
        self.directory_urls = directory_urls
        self._pieces = pieces or {}
        # `sections` finds a section by the shipped markup around it, which a project's piece need not write
        self._reused = {} if self._pieces else reused or {}
        self._names = {i: _e(d.name) for i, d in analysis.dossiers.items()}
        self._titles = {i: _e(s.title) for i, s in analysis.sources.items()}
        self._labels = {i: _e(p.label) for i, p in analysis.project.properties.items()}
        self._pages = {i: page_of(analysis, i) for i in (*analysis.dossiers, *analysis.sources)}
        self._urls: dict[tuple[str, str], str] = {}
        self._links: dict[tuple[str, str], str] = {}
        self._markdown: dict[tuple[str, str, bool], str] = {}

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

    def page_of(self, item_id: str) -> str:
        """The page path of a dossier or source."""
        return self._pages[item_id]

    def label(self, prop: str) -> str:
        """A property's label, or its id when the registry does not know it."""
        return self._labels[prop] if prop in self._labels else _e(prop)

    def value(self, page: str, claim: Claim) -> str:
        """A claim's value as HTML: a relation links to its target."""
        target = entity(self.a, claim)
        return self.who(page, target) if target else _e(self.value_text(claim))

    def value_text(self, claim: Claim) -> str:
        """A claim's value as plain text: a relation reads as its target's name."""
        target = entity(self.a, claim)
        if target:
            return self.a.dossiers[target].name
        return claim.value.text if claim.value else "(unreadable value)"

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
            f"; {self._name(r.subject)} counted with {self._name(r.target)} ({r.property.label.lower()})"
            for r in self.a.merged_into(claims)
        )
        merged += "".join(f"; {self._carrier(c)}" for c in self.a.carriers(claims))
        plural = "" if len(found) == 1 else "s"
        return (
            f'<span class="cb-origins" title="independent origins: {_e(names + merged)}">'
            f"{len(found)} independent origin{plural}</span>"
        )

    def _carrier(self, c: Carried) -> str:
        """Why an article carrying agency copy counts with an agency, as plain text."""
        why = "carries its copy" if c.own else "carries its copy; the project has no report of its own"
        return f"{self._name(c.outlet)} ({c.source}) counted with {self._name(c.agency)}: {why}"

    def _name(self, origin: str) -> str:
        """An origin's name as plain text."""
        return self.a.dossiers[origin].name if origin in self.a.dossiers else origin

    def merged(self, page: str, claims: tuple[Claim, ...]) -> str:
        """Which speakers and articles of some claims count as one origin with another, and why."""
        found = self.a.merged_into(claims)
        items = [
            f"{self.who(page, r.subject)} with {self.who(page, r.target)} "
            f'(<a href="{self.href(page, self._pages[r.subject], "claim-" + r.claim.id)}">{_e(r.property.label.lower())}</a>)'
            for r in found
        ]
        items += [
            f'<a href="{self.href(page, self._pages[c.source])}">{_e(self._name(c.outlet))}</a> with '
            f"{self.who(page, c.agency)} (carries its copy{'' if c.own else '; no report of its own here'})"
            for c in self.a.carriers(claims)
        ]
        if not items:
            return ""
        return f'<p class="cb-meta cb-merged">Counted as one origin: {"; ".join(items)}</p>\n'

    def split(self, page: str, position: Position) -> str:
        """The origins holding a position and another one, which count for neither."""
        if not position.split:
            return ""
        names = ", ".join(self.who(page, o) for o in position.split)
        return (
            f'<p class="cb-meta cb-split">Not counted as independent: {names} also holds another position, '
            "and no date orders the two.</p>\n"
        )

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
                f"; {self.who(page, r.subject)} counted with it ({_e(r.property.label.lower())})"
                for r in self.a.merged_into(tuple(s.claim for s in h.steps))
                if origin_key(r.target) == key
            )
            merged += "".join(
                f"; {self.who(page, c.outlet)} ({_e(c.source)}) counted with it: carries its copy"
                for c in self.a.carriers(tuple(s.claim for s in h.steps))
                if origin_key(c.agency) == key
            )
            out += f'<li>{self.who(page, h.origin)}: {steps}<span class="cb-meta">{merged}</span></li>\n'
        history = (
            f'<div class="cb-history"><p><strong>Figures that changed</strong> (the latest counts):</p>\n<ul>\n{out}</ul>\n</div>\n'
            if out
            else ""
        )
        for c in facts.contradictions:
            first, second = c.statements
            a, b = _e(self.value_text(first.claim)), _e(self.value_text(second.claim))
            said = (
                f"{a} and {b} at the same time ({_e(first.when)}): a self-contradiction or a misquote."
                if c.simultaneous
                else f"{a} ({_e(first.when or 'undated')}) and {b} ({_e(second.when or 'undated')}), and no date "
                "orders them: a change of account, a self-contradiction or a misquote."
            )
            history += (
                f'<p class="cb-contradiction"><strong>Self-contradiction:</strong> {self.who(page, c.origin)} '
                f"is reported giving {said}</p>\n"
            )
        return history

    def _stage(self, page: str, stage: tuple) -> str:
        """Values given at once, or at times no source orders: `5 / 6 (2017-08-31)`."""
        parts = []
        for when, group in groupby(stage, key=lambda s: s.when):
            values = " / ".join(
                f'<a href="{self.href(page, self._pages[s.claim.dossier], "claim-" + s.claim.id)}">'
                f"{_e(self.value_text(s.claim))}</a>"
                for s in group
            )
            parts.append(f'{values} <span class="cb-meta">({_e(when)})</span>')
        return " / ".join(parts)

    def md(self, page: str, field: Markdown | None, inline: bool = False) -> str:
        """A Markdown field as HTML, its [[links]] relative to `page`."""
        if field is None:
            return ""
        key = (field.text, self._folder(page), inline)
        if key not in self._markdown:
            self._markdown[key] = str(
                markup.render_markdown(
                    field.text, page, lambda t: resolve(self.a, t), inline, directory_urls=self.directory_urls
                )
            )
        return self._markdown[key]

    def _folder(self, page: str) -> str:
        """The folder MkDocs writes `page` into: the pages of one folder share their links."""
        return markup.located(page, self.directory_urls).rpartition("/")[0]

    def citation(self, page: str, claim: Claim, index: int) -> str:
        """One citation of a claim: the quote, its article (at the passage when found), who said it."""
        c = claim.citations[index]
        s = self.a.sources.get(c.source)
        passage = self.a.passage(claim, index) if s else None
        if "citation" in self._pieces:
            return self._pieces["citation"](page, claim=claim, index=index, citation=c, source=s, passage=passage)
        out = f'<li class="cb-citation"><q>{_e(c.quote)}</q>\n'
        if s:
            url = self.href(page, self._pages[s.id], passage.anchor if passage else "")
            as_of = f", as of {_e(c.as_of)}" if c.as_of else ""
            out += (
                f' — <a href="{url}">{self._titles[s.id]}</a> '
                f'<span class="cb-meta">{self.who(page, s.outlet)}, {_e(s.published)}{as_of}</span>'
            )
        else:
            out += f" — {_e(c.source)}"
        if c.said_by:
            out += f'<br><span class="cb-said">said by {self.who(page, c.said_by)}</span>'
        return out + "</li>"

    def citations(self, page: str, claim: Claim) -> str:
        """A claim's citations as a list."""
        items = "".join(self.citation(page, claim, i) + "\n" for i in range(len(claim.citations)))
        return f'<ul class="cb-citations">\n{items}</ul>\n'

    def claim(self, page: str, claim: Claim) -> str:
        """A claim on its dossier's page: property, value, disagreement, origins, provenance, text, citations, note."""
        dis = self.a.disagreement(claim.dossier, claim.property)
        facts = self.a.facts(claim.dossier, claim.property)
        superseded = facts is not None and claim in facts.superseded
        if "claim" in self._pieces:
            return self._pieces["claim"](page, claim=claim, disagreement=dis, superseded=superseded)
        contested = (
            (
                f' <a class="cb-contested" href="{self.href(page, DISAGREEMENTS, dis.anchor)}" '
                'title="reports disagree">contested</a>'
            )
            if dis
            else ""
        )
        if superseded:
            contested += ' <span class="cb-badge cb-superseded" title="its origins have given a later figure">earlier figure</span>'

        out = (
            f'<div class="cb-claim" id="claim-{_e(claim.id)}">\n<p class="cb-claim-head"><span class="cb-prop">'
            f"{self.label(claim.property)}</span>: <strong>{self.value(page, claim)}</strong>{contested} "
            f'<span class="cb-meta">{self.origins((claim,))}</span></p>\n'
        )
        out += self.provenance(claim)
        if claim.text:
            out += f'<div class="cb-claim-text">{self.md(page, claim.text)}</div>'
        out += self.citations(page, claim)
        if claim.note:
            out += f'<div class="cb-note"><strong>Editors’ note:</strong> {self.md(page, claim.note)}</div>'
        return out + "</div>"

    def provenance(self, claim: Claim) -> str:
        """Who added a claim and who last changed it, from git."""
        ph = self.a.history.claim(claim.ref) if self.a.history else None
        if not ph:
            return ""
        added, changed = ph.added, ph.changed
        out = (
            f'<p class="cb-meta cb-provenance"><span title="{_e(added.short)}: {_e(added.subject)}">'
            f"added {_e(added.day)} by {_e(added.author)}</span>"
        )
        if changed.id != added.id:
            out += (
                f', <span title="{_e(changed.short)}: {_e(changed.subject)}">'
                f"changed {_e(changed.day)} by {_e(changed.author)}</span>"
            )
        if ph.uncommitted:
            out += ", changed since (not committed)"
        return out + "</p>"

    def claims(self, page: str, dossier: Dossier) -> Markup:
        """Every claim of a dossier, in order."""
        return Markup("\n".join(self.claim(page, c) for c in dossier.claims))

    def facts(self, page: str, dossier: Dossier) -> Markup:
        """The facts-at-a-glance rows: each property with its values, linked to their claims."""
        rows = []
        for prop, group in groupby(sorted(dossier.claims, key=lambda c: c.property), key=lambda c: c.property):
            facts = self.a.facts(dossier.id, prop)
            old = facts.superseded if facts else ()
            values = "; ".join(
                f'<a href="#claim-{_e(c.id)}">{_e(self.value_text(c))}</a>'
                + (' <span class="cb-meta">(earlier)</span>' if c in old else "")
                for c in group
            )
            dis = self.a.disagreement(dossier.id, prop)
            if dis:
                values += (
                    f' <a class="cb-contested" href="{self.href(page, DISAGREEMENTS, dis.anchor)}">'
                    f"contested ({_e(dis.status)})</a>"
                )
            values += self.in_time(page, facts)
            rows.append(f'<tr><th scope="row">{self.label(prop)}</th><td>{values}</td></tr>\n')
        return Markup("".join(rows))

    def cited_by(self, page: str, passages: Iterable[Passage]) -> Markup:
        """A source's passages, each linking to the claim that cites it."""
        lines = []
        for p in passages:
            claim = p.claim
            said_by = claim.citations[p.index].said_by
            said = f' <span class="cb-said">(said by {self.who(page, said_by)})</span>' if said_by else ""
            lines.append(
                f'<li><a href="#{_e(p.anchor)}" title="Show the passage" aria-label="Show the passage">¶</a> '
                f'<a href="{self.href(page, self._pages[claim.dossier], "claim-" + claim.id)}">'
                f"{self._names[claim.dossier]} — {self.label(claim.property)}: {_e(self.value_text(claim))}</a>{said}</li>\n"
            )
        return Markup("".join(lines))

    def relations(self, page: str, dossier_id: str) -> Markup:
        """A dossier's relations both ways, each with a link to the claim making it."""
        lines = [
            f'<li>{_e(r.property.label)}: {self.who(page, r.target)} <a class="cb-meta" href="#claim-{_e(r.claim.id)}">(claim)</a></li>\n'
            for r in sorted(
                self.a.relations_out.get(dossier_id, ()), key=lambda r: (r.property.label.lower(), r.target.lower())
            )
        ]
        lines += [
            f"<li>{_e(r.property.inverse)}: {self.who(page, r.subject)} "
            f'<a class="cb-meta" href="{self.href(page, self._pages[r.subject], "claim-" + r.claim.id)}">(claim)</a></li>\n'
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
            plural = "" if len(group) == 1 else "s"
            out.append(
                f'<p class="cb-mention-source"><a href="{self.href(page, self._pages[source_id])}">{self._titles[source_id]}</a> '
                f'<span class="cb-meta">{len(group)} mention{plural}</span></p>\n<ul>\n'
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
        return Markup(
            "".join(
                f'<li><a href="{self.href(page, DISAGREEMENTS, d.anchor)}">{self._names[d.dossier.id]}: {_e(d.property.label)}</a>'
                f"{' (self-contradiction)' if d.self_contradiction else ''}"
                f" — {_e(' / '.join(self.position_text(p) for p in d.positions))}</li>\n"
                for d in disagreements
            )
        )

    def position_text(self, position: Position) -> str:
        """A position's values as plain text: a relation reads as its target's name."""
        if len(position.values) > 1:
            return position.text
        return self.value_text(position.claims[0])

    def kind(self, dis: Disagreement) -> str:
        """What a disagreement is, when one origin alone holds its positions."""
        return ' · <strong class="cb-kind">self-contradiction</strong>' if dis.self_contradiction else ""

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
                f"## {markup.md_text(d.dossier.name)}: {markup.md_text(d.property.label)} {markup.heading_id(d.anchor)}\n\n"
                f"{self.disagreement(page, d, statuses[d.status])}"
            )
        return Markup("".join(out))

    def disagreement(self, page: str, dis: Disagreement, status: str) -> str:
        """One disagreement's section under its heading: its status (`status`, as HTML), dossier, the verdict,
        the figures that changed, and the positions side by side."""
        if "disagreement" in self._pieces:
            return self._pieces["disagreement"](page, dis=dis, preferred=preferred_position(dis))
        return (
            f'{_SECTION_START}<p>{status} <a href="{self.href(page, self._pages[dis.dossier.id])}">'
            f"{self._names[dis.dossier.id]}</a> · {len(dis.positions)} positions{self.kind(dis)}</p>\n{self.verdict(page, dis)}"
            f'{self.in_time(page, dis.facts)}<div class="cb-positions">\n{self.positions(page, dis)}{_SECTION_CLOSE}'
        )

    def verdict(self, page: str, dis: Disagreement) -> str:
        """A disagreement's editors' note, and a notice when its verdict was written for other claims."""
        stale = dis.stale
        if "verdict" in self._pieces:
            return self._pieces["verdict"](page, dis=dis, stale=stale)
        note = (
            f'<div class="cb-verdict"><strong>Editors’ note:</strong> {self.md(page, dis.verdict.note)}</div>'
            if dis.verdict and dis.verdict.note
            else ""
        )
        if stale:
            note += (
                f'<p class="cb-stale"><strong>Verdict to re-confirm:</strong> it was written for other claims '
                f"({_e('; '.join(stale))}).</p>\n"
            )
        return note

    def positions(self, page: str, dis: Disagreement) -> str:
        """A disagreement's positions: each value, its origins, and its claims with their quotes."""
        preferred = preferred_position(dis)
        out = []
        for pos in dis.positions:
            badge = ' <span class="cb-badge">preferred</span>' if pos is preferred else ""
            origins = ", ".join(self.who(page, o) for o in pos.origins)
            out.append(
                f'<section class="cb-position{" cb-preferred" if pos is preferred else ""}">\n'
                f'<h3 class="cb-position-value">{self.position_value(page, pos)}{badge}</h3>\n'
                f'<p class="cb-meta">{self.support(pos)}{": " + origins if origins else ""}</p>\n{self.merged(page, pos.claims)}'
                f"{self.split(page, pos)}"
            )
            for claim in pos.claims:
                text = f": {self.md(page, claim.text, inline=True)}" if claim.text else ""
                out.append(
                    f'<div class="cb-position-claim">\n<p><a href="{self.href(page, self._pages[claim.dossier], "claim-" + claim.id)}">'
                    f"{_e(claim.id)}</a>{text}</p>\n{self.citations(page, claim)}</div>\n"
                )
            out.append("</section>\n")
        return "".join(out)

    def position_value(self, page: str, position: Position) -> str:
        """A position's values as HTML: a relation links to its target."""
        if len(position.values) > 1:
            return _e(position.text)
        return self.value(page, position.claims[0])

    def statements(self, page: str, speaker: str) -> Markup:
        """Every quote attributed to a dossier (`said_by`), earliest first: what it is evidence of, the
        source and when."""
        out = []
        for claim, i in self.a.statements.get(speaker, ()):
            c = claim.citations[i]
            s = self.a.sources.get(c.source)
            passage = self.a.passage(claim, i)
            cite = (
                (
                    f'<a href="{self.href(page, self._pages[s.id], passage.anchor if passage else "")}">{self._titles[s.id]}</a> '
                    f'<span class="cb-meta">{self.who(page, s.outlet)}, {_e(self.a.when(c))}</span>'
                )
                if s
                else _e(c.source)
            )
            said = f"{self.who(page, c.said_by)}: " if c.said_by != speaker else ""
            out.append(
                f'<li>{said}<q>{_e(c.quote)}</q> — {cite}<br><span class="cb-meta">on '
                f'<a href="{self.href(page, self._pages[claim.dossier], "claim-" + claim.id)}">{self._names[claim.dossier]}: '
                f"{self.label(claim.property)}: {_e(self.value_text(claim))}</a></span></li>\n"
            )
        return Markup("".join(out))

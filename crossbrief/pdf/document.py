"""What the print templates are given: the analysed project as plain JSON values, every string of it data.

`data(analysis, briefing, form)` is the whole of it; the templates
(templates/print/*.typ) read it from `data.json` and place its strings as text.
The interface's own words are in `LABELS`, passed in with it, so that they
can be translated in one place. Markdown fields are blocks and inline text as
richtext.py describes; a dossier, a claim, a disagreement and a source have a
`label`, their place in the document, which [[links]] and cross-references
point at (the brief has no dossiers, so links to them are text there).
"""

from __future__ import annotations

import re

from crossbrief.analyse import Analysis, Disagreement
from crossbrief.infra import i18n
from crossbrief.model import PLACEHOLDERS, SECTIONS, Briefing, Claim, Markdown
from crossbrief.pdf import richtext
from crossbrief.pdf.richtext import wrappable as w
from crossbrief.site import fragments
from crossbrief.site.render import SECTION_TITLES

FORMS = ("brief", "book")
"""The two print products: the brief (a few pages for the decision-maker) and the book (everything)."""

LABELS = {
    "briefing": i18n.N_("Briefing"),
    "brief": i18n.N_("Brief"),
    "book": i18n.N_("Briefing book"),
    "contents": i18n.N_("Contents"),
    "summary": i18n.N_("Summary"),
    "key-points": i18n.N_("Key points"),
    "disagreements": i18n.N_("Disagreements"),
    "disagreements-glance": i18n.N_("Where the reports disagree"),
    "glance-key": i18n.N_(
        "Each position is followed by the number of independent origins behind it; the editors’ verdict below it."
    ),
    "people": SECTION_TITLES["people"],
    "organisations": SECTION_TITLES["organisations"],
    "events": SECTION_TITLES["events"],
    "person": i18n.N_("Person"),
    "organisation": i18n.N_("Organisation"),
    "event": i18n.N_("Event"),
    "timeline": i18n.N_("Timeline"),
    "sources": i18n.N_("Sources"),
    "claims": i18n.N_("Claims"),
    "facts": i18n.N_("Facts at a glance"),
    "relations": i18n.N_("Relations"),
    "statements": i18n.N_("Statements"),
    "also-written": i18n.N_("Also written"),
    "position": i18n.N_("Position"),
    "property": i18n.N_("Property"),
    "value": i18n.N_("Value"),
    "position-sources": i18n.N_("Sources"),
    "origins": i18n.N_("Independent origins"),
    "positions": i18n.N_("positions"),
    "preferred": i18n.N_("preferred"),
    "editors-note": i18n.N_("Editors’ note"),
    "notes": i18n.N_("Notes"),
    "more-values": i18n.N_("and {n} more (all under Claims)"),
    "more-quotes": i18n.N_("and {n} more citations (all under the dossier’s claims)"),
    "no-verdict": i18n.N_("none yet; the disagreement is open."),
    "stale": i18n.N_("Verdict to re-confirm: it was written for other claims"),
    "changed": i18n.N_("Figures that changed (the latest counts)"),
    "self-contradiction": i18n.N_("Self-contradiction"),
    "reported-giving": i18n.N_("is reported giving"),
    "same-time": i18n.N_("at the same time ({when}): a self-contradiction or a misquote."),
    "and": i18n.N_("and"),
    "contested": i18n.N_("contested"),
    "earlier": i18n.N_("earlier figure"),
    "as-of": i18n.N_("as of"),
    "said-by": i18n.N_("said by"),
    "on": i18n.N_("on"),
    "counted-with": i18n.N_("counted with"),
    "when": i18n.N_("When"),
    "what": i18n.N_("What"),
    "agency-copy": i18n.N_("agency copy"),
    "title-by-editors": i18n.N_("title supplied by the editors"),
    "unreadable": i18n.N_("(unreadable value)"),
    "see": i18n.N_("see"),
    "page-of": i18n.N_("page %(page)s of %(pages)s"),
    "status-open": i18n.N_("open"),
    "status-explained": i18n.N_("explained"),
    "status-settled": i18n.N_("settled"),
    "counts-sources": i18n.N_("Sources"),
    "counts-claims": i18n.N_("Claims"),
    "counts-disagreements": i18n.N_("Disagreements"),
    "open-count": i18n.N_("open"),
    "self-contradictions-count": i18n.N_("self-contradictions"),
    "self-contradiction-count": i18n.N_("a self-contradiction"),
    "not-counted": i18n.N_("Not counted: {who} also holds another position, and no date orders the two"),
    "carries": i18n.N_("carries its copy"),
    "contested-explained": i18n.N_("contested ({status})"),
    "status-settled-short": i18n.N_("settled"),
    "undated": i18n.N_("undated"),
    "no-order": i18n.N_("and no date orders them: a change of account, a self-contradiction or a misquote."),
    "agree": i18n.N_("The reports agree on every single-valued fact."),
    "full-book": i18n.N_("The briefing book has every dossier, claim and citation."),
    "handling": i18n.N_("For the recipient only. Compiled from open reporting; not for further distribution."),
}
"""Every word the print templates show that is not the project's: one place to translate them."""


SHOWN = 12
"""At most how many values a fact at a glance lists, and quotes a position of a disagreement: the rest are
counted, and each is in its dossier's claims. A table cell is laid out again on each page it runs onto, so
one of a thousand values made a dossier's pages cost in proportion to their square."""


def anchor(item: str, part: str = "") -> str:
    """The document label of a dossier or source (ids are unique across kinds), or of a part of it."""
    return f"cb-{item}" + (f"--{part}" if part else "")


def data(analysis: Analysis, briefing: Briefing, form: str, lang: i18n.Language = i18n.ENGLISH) -> dict:
    """Everything the templates show, as JSON values, in the reader's language (`lang`: its labels, dates and
    numbers)."""
    labels = {key: lang.gettext(text) if "%(" not in text else text for key, text in LABELS.items()}
    before, _, rest = lang.gettext(LABELS["page-of"]).partition("%(page)s")
    middle, _, after = rest.partition("%(pages)s")
    # the footer's "page X of Y" around its numbers, and the colon and separator the language sets
    labels.update(
        {
            "page-before": before,
            "page-middle": middle,
            "page-after": after,
            "colon": lang.colon,
            "separator": lang.separator,
        }
    )
    return _Document(analysis, briefing, form, labels, lang).data()


class _Document:
    def __init__(self, a: Analysis, b: Briefing, form: str, labels: dict[str, str], lang: i18n.Language):
        self.a, self.b, self.form, self.labels, self.lang = a, b, form, labels, lang
        self.sources = sorted(a.project.sources, key=lambda s: (s.published, s.id))
        self.number = {s.id: i for i, s in enumerate(self.sources, 1)}
        self.book = form == "book"

    # links into the document

    def target(self, ident: str) -> tuple[str, str | None] | None:
        """A [[link]] target: its label, and its document label when the document has it."""
        found = fragments.resolve(self.a, ident)
        if found is None:
            return None
        name, page, part = found
        claim = self.a.claims.get(ident)
        if claim is not None and claim.value is not None and not fragments.entity(self.a, claim):
            name = self.lang.value(claim.value)  # a claim's value in the reader's language, as on the site
        item = page.rsplit("/", 1)[-1].removesuffix(".md")
        in_document = self.book or item in self.number
        return name, anchor(item, part) if in_document else None

    def md(self, field: Markdown | None) -> list:
        if field is None or field.text.strip() in PLACEHOLDERS:
            return []
        return richtext.blocks(field, self.target)

    def md_inline(self, field: Markdown | None) -> list:
        if field is None or field.text.strip() in PLACEHOLDERS:
            return []
        return richtext.inline(field, self.target)

    def who(self, ident: str) -> list:
        """A dossier by name (a link in the book), or a description as it is."""
        d = self.a.dossiers.get(ident)
        if d is None:
            return [w(ident)]
        return [{"to": anchor(d.id), "c": [w(d.name)]}] if self.book else [w(d.name)]

    def name(self, ident: str) -> str:
        d = self.a.dossiers.get(ident)
        return w(d.name if d else ident)

    def prop(self, prop_id: str) -> str:
        p = self.a.project.properties.get(prop_id)
        return w(self.lang.gettext(p.label) if p else prop_id)

    def value(self, claim: Claim) -> list:
        if claim.value is None:
            return [self.labels["unreadable"]]
        p = self.a.project.properties.get(claim.property)
        if p and p.type == "entity" and claim.value.text in self.a.dossiers:
            return self.who(claim.value.text)
        return [w(self.lang.value(claim.value))]

    def cite(self, source_id: str) -> list:
        """A source, short: outlet, date and its number in the list of sources (a link to it)."""
        s = self.a.sources.get(source_id)
        if s is None:
            return [w(source_id)]
        return [
            f"{self.name(s.outlet)}, {self.lang.date(s.published)} ",
            {"to": anchor(s.id), "c": [f"S{self.number[s.id]}"]},
        ]

    def citation(self, c, speaker: bool = True) -> dict:
        by = self.cite(c.source)
        if c.as_of:
            by.append(f", {self.labels['as-of']} {self.lang.date(c.as_of)}")
        if speaker and c.said_by:
            by += [f"{self.lang.separator}{self.labels['said-by']} ", *self.who(c.said_by)]
        return {"quote": w(c.quote), "by": by}

    # the parts

    def data(self) -> dict:
        a, b = self.a, self.b
        sections = self.sections() if self.book else []
        found = {
            "form": self.form,
            "labels": self.labels,
            "briefing": {
                "id": b.id,
                "title": w(b.title),
                "date": self.lang.date(b.date),
                "summary": self.md(b.summary),
                "key_points": [p for k in b.key_points if (p := self.md_inline(k))],
                "handling": w(getattr(b, "handling", "") or self.labels["handling"]),
                "classification": w(getattr(b, "classification", "") or ""),
            },
            "counts": self.counts(),
            "disagreements": [self.disagreement(d) for d in a.disagreements],
            "sections": sections,
            "timeline": self.timeline() if self.book else [],
            "sources": [self.source(s) for s in self.sources],
        }
        return found

    def counts(self) -> list:
        a, labels = self.a, self.labels
        dossiers = a.project.dossiers
        found = [[labels["counts-sources"], str(len(a.project.sources))]]
        for s in SECTIONS:
            found.append([labels[s], str(sum(d.section == s for d in dossiers))])
        found.append([labels["counts-claims"], str(len(a.claims))])
        shown = str(len(a.disagreements))
        if a.disagreements:
            shown += f" ({sum(d.status == 'open' for d in a.disagreements)} {labels['open-count']}"
            own = sum(d.self_contradiction for d in a.disagreements)
            if own:
                shown += (
                    f"{self.lang.separator}{own} {labels['self-contradictions-count']}"
                    if own > 1
                    else f"{self.lang.separator}{labels['self-contradiction-count']}"
                )
            shown += ")"
        found.append([labels["counts-disagreements"], shown])
        return found

    def disagreement(self, d: Disagreement) -> dict:
        preferred = d.verdict.preferred if d.verdict else ""
        positions = []
        for pos in d.positions:
            cited = [c for claim in pos.claims for c in claim.citations]
            quotes = [self.citation(c) for c in cited[:SHOWN]]
            origins: list = []
            for i, o in enumerate(pos.origins):
                origins += ([", "] if i else []) + self.who(o)
            split: list = []
            for i, o in enumerate(pos.split):
                split += ([", "] if i else []) + self.who(o)
            positions.append(
                {
                    "value": [w(self.lang.separator.join(map(self.lang.value, pos.values)))]
                    if len(pos.values) > 1
                    else self.value(pos.claims[0]),
                    "split": _format(self.labels["not-counted"], who=split) if split else [],
                    "preferred": preferred in {c.id for c in pos.claims},
                    "quotes": quotes,
                    "more": self.labels["more-quotes"].format(n=len(cited) - SHOWN) if len(cited) > SHOWN else "",
                    "count": len(pos.origins),
                    "origins": origins,
                    "merged": self.merged(pos.claims),
                }
            )
        return {
            "label": anchor("disagreement", d.anchor),
            "dossier": {"label": anchor(d.dossier.id), "name": w(d.dossier.name)},
            "title": f"{w(d.dossier.name)}{self.lang.colon} {self.prop(d.property.id)}",
            "status": d.status,
            "status_label": self.labels[f"status-{d.status}"],
            "self_contradiction": d.self_contradiction,
            "positions": positions,
            "note": self.md(d.verdict.note) if d.verdict and d.verdict.note else [],
            "stale": [w(self.stale(d, change)) for change in d.stale],
            **self.in_time(d.facts),
        }

    def stale(self, d: Disagreement, change) -> str:
        """How a claim changed since the verdict was written for it, worded as the site words it."""
        claim = self.a.claims.get(f"{d.dossier.id}#{change.claim}")
        if claim is not None and claim.value is not None:
            target = fragments.entity(self.a, claim)
            now = self.a.dossiers[target].name if target else self.lang.value(claim.value)
        else:
            now = self.lang.written(change.after, self.a.dossiers)
        if change.kind == "added":
            return self.lang.gettext("a claim of %(value)s added", value=now)
        if change.kind == "removed":
            return self.lang.gettext(
                "a claim of %(value)s removed", value=self.lang.written(change.before, self.a.dossiers)
            )
        return self.lang.gettext(
            "a claim of %(before)s now %(after)s", before=self.lang.written(change.before, self.a.dossiers), after=now
        )

    def merged(self, claims) -> list:
        """Who counts with whom among these claims' origins: speakers with their organisation, articles with
        the agency whose copy they carry."""
        out: list = []
        for r in self.a.merged_into(tuple(claims)):
            out += ([self.lang.separator] if out else []) + self.who(r.subject) + [f" {self.labels['counted-with']} "]
            out += self.who(r.target) + [f" ({w(self.lang.gettext(r.property.label).lower())})"]
        for c in self.a.carriers(tuple(claims)):
            out += ([self.lang.separator] if out else []) + self.who(c.outlet) + [f" {self.labels['counted-with']} "]
            out += self.who(c.agency) + [f": {self.labels['carries']}"]
        return out

    def in_time(self, facts) -> dict:
        """The figures that changed per origin (4 → 8 → 9) and the self-contradictions."""
        if not facts:
            return {"histories": [], "contradictions": []}
        histories = []
        for h in facts.histories:
            steps: list = []
            for i, stage in enumerate(h.stages):
                steps += [" → "] if i else []
                for j, s in enumerate(stage):
                    steps += ([" / "] if j else []) + self.value(s.claim)
                    if j == len(stage) - 1 or s.when != stage[j + 1].when:
                        steps.append(f" ({self.lang.date(s.when)})")
            merged = self.merged([s.claim for s in h.steps])
            histories.append(
                self.who(h.origin)
                + [f"{self.lang.colon} "]
                + steps
                + ([self.lang.separator, *merged] if merged else [])
            )
        contradictions = []
        for c in facts.contradictions:
            first, second = c.statements
            said = [*self.who(c.origin), f" {self.labels['reported-giving']} ", *self.value(first.claim)]
            if c.simultaneous:
                said += [f" {self.labels['and']} ", *self.value(second.claim)]
                said.append(" " + self.labels["same-time"].format(when=first.when))
            else:
                said.append(f" ({first.when or self.labels['undated']}) {self.labels['and']} ")
                said += self.value(second.claim)
                said.append(f" ({second.when or self.labels['undated']}), {self.labels['no-order']}")
            contradictions.append(said)
        return {"histories": histories, "contradictions": contradictions}

    def sections(self) -> list:
        by_name = sorted(self.a.project.dossiers, key=lambda d: (d.name.casefold(), d.id))
        found = []
        for s in SECTIONS:
            members = [self.dossier(d) for d in by_name if d.section == s]
            if members:
                found.append({"id": s, "title": self.labels[s], "dossiers": members})
        return found

    def dossier(self, d) -> dict:
        a, labels = self.a, self.labels
        kind = labels["person" if d.section == "people" else d.section[:-1]]
        meta = " · ".join(
            x for x in (kind, w(d.kind or ""), self.lang.value(d.date) if getattr(d, "date", None) else "") if x
        )
        facts = []
        seen: dict[str, list] = {}
        for c in d.claims:
            seen.setdefault(c.property, []).append(c)
        for prop_id, claims in seen.items():
            dis = a.disagreement(d.id, prop_id)
            f = a.facts(d.id, prop_id)
            values: list = []
            for i, c in enumerate(claims[:SHOWN]):
                values += ([self.lang.separator] if i else []) + self.value(c)
                if f and c in f.superseded:
                    values.append(f" ({labels['earlier']})")
            if len(claims) > SHOWN:
                values.append(" " + labels["more-values"].format(n=len(claims) - SHOWN))
            if dis:
                values += [
                    " ",
                    {
                        "to": anchor("disagreement", dis.anchor),
                        "c": [f"{labels['contested']}, {labels[f'status-{dis.status}']}"],
                    },
                ]
            facts.append({"label": self.prop(prop_id), "value": values, **self.in_time(f)})
        relations = [
            [f"{w(self.lang.gettext(r.property.label))}{self.lang.colon} ", *self.who(r.target)]
            for r in sorted(a.relations_out.get(d.id, ()), key=lambda r: (r.property.label, r.target))
        ] + [
            [f"{w(self.lang.gettext(r.property.inverse))}{self.lang.colon} ", *self.who(r.subject)]
            for r in sorted(a.relations_in.get(d.id, ()), key=lambda r: (r.property.inverse, r.subject))
        ]
        statements = []
        for claim, i in a.statements.get(d.id, ()):
            c = claim.citations[i]
            cited = self.citation(c, speaker=False)
            if c.said_by != d.id:  # a speaker counted with this organisation
                cited["speaker"] = self.who(c.said_by)
            on = f"{self.name(claim.dossier)}{self.lang.colon} {self.prop(claim.property)}{self.lang.colon} "
            link = {"to": anchor(claim.dossier, "claim-" + claim.id), "c": [on, *_text_of(self.value(claim))]}
            statements.append({**cited, "by": [*cited["by"], f"{self.lang.separator}{labels['on']} ", link]})
        claims, noted = [], 0
        for c in d.claims:
            dis = a.disagreement(d.id, c.property)
            f = a.facts(d.id, c.property)
            noted += bool(c.citations)
            claims.append(
                {
                    "label": anchor(d.id, "claim-" + c.id),
                    "note_label": anchor(d.id, "note-" + c.id),
                    "number": str(noted) if c.citations else "",
                    "property": self.prop(c.property),
                    "value": self.value(c),
                    "citations": [self.citation(x) for x in c.citations],
                    "contested": anchor("disagreement", dis.anchor) if dis else "",
                    "earlier": bool(f and c in f.superseded),
                    "text": self.md(c.text),
                    "note": self.md_inline(c.note),
                }
            )
        return {
            "label": anchor(d.id),
            "name": w(d.name),
            "meta": meta,
            "aliases": w(", ".join(d.aliases)),
            "summary": self.md(d.summary),
            "facts": facts,
            "relations": relations,
            "statements": statements,
            "claims": claims,
        }

    def contested(self, dis: Disagreement) -> str:
        """How the timeline marks a disputed date: settled, contested, or contested and how the editors see it."""
        if dis.status == "settled":
            return self.labels["status-settled-short"]
        if dis.status == "open":
            return self.labels["contested"]
        return self.labels["contested-explained"].format(status=self.labels[f"status-{dis.status}"])

    def timeline(self) -> list:
        found = []
        for e in self.a.timeline:
            if e.claim:
                dis = self.a.disagreement(e.dossier.id, e.claim.property)
                what = [
                    {
                        "to": anchor(e.dossier.id, "claim-" + e.claim.id),
                        "c": [f"{w(e.dossier.name)}{self.lang.colon} {self.prop(e.claim.property)}"],
                    }
                ]
                if dis:
                    what += [" ", {"to": anchor("disagreement", dis.anchor), "c": [self.contested(dis)]}]
                found.append({"when": self.lang.value(e.when), "what": what, "event": False})
            else:
                what = [{"to": anchor(e.dossier.id), "c": [{"strong": [w(e.dossier.name)]}]}]
                if e.dossier.kind:
                    what.append(f" · {w(e.dossier.kind)}")
                found.append({"when": self.lang.value(e.when), "what": what, "event": True})
        return found

    def source(self, s) -> dict:
        return {
            "label": anchor(s.id),
            "number": f"S{self.number[s.id]}",
            "outlet": self.name(s.outlet),
            "via": ", ".join(self.name(v) for v in s.via),
            "title": w(s.title),
            "by_editors": s.title_by_editors,
            "authors": w(", ".join(s.authors)),
            "published": self.lang.date(s.published),
            "url": s.url,
            "url_text": w(s.url),
        }


def _format(template: str, **parts: list) -> list:
    """A label with `{name}` holes filled with inline text (a label is translated whole, with its holes)."""
    out: list = []
    for piece in re.split(r"(\{\w+\})", template):
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else ""
        out += parts[name] if name in parts else [piece] if piece else []
    return out


def _text_of(inline: list) -> list:
    """Inline text without its links (a link may not hold another)."""
    out = []
    for item in inline:
        if isinstance(item, dict) and "to" in item:
            out.extend(item["c"])
        else:
            out.append(item)
    return out

"""How the Changes page and the feed word a change's fields in the reader's language: the diff (review/diff.py)
names them and writes their values as `crossbrief diff` prints them, with ids and English value words; a
reader gets each field's label, and values as the rest of the site writes them (names, not ids)."""

from __future__ import annotations

import re

from crossbrief.analyse import Analysis
from crossbrief.infra.i18n import N_, Language
from crossbrief.review.diff import Change, Field

LABELS = {
    "title": N_("Title"),
    "date": N_("Date"),
    "summary": N_("Summary"),
    "key point": N_("Key point %(n)s"),
    "section": N_("Section"),
    "name": N_("Name"),
    "aliases": N_("Also written"),
    "kind": N_("Kind"),
    "title_by_editors": N_("Title supplied by the editors"),
    "outlet": N_("Outlet"),
    "published": N_("Published"),
    "author": N_("Author"),
    "url": N_("Address"),
    "via": N_("Carries the copy of"),
    "text": N_("Text"),
    "captions": N_("Captions"),
    "property": N_("Property"),
    "value": N_("Value"),
    "citation": N_("Citation"),
    "source": N_("Source"),
    "quote": N_("Quote"),
    "said_by": N_("Said by"),
    "as_of": N_("As of"),
    "note": N_("Editors’ note"),
    "status": N_("Status"),
    "positions": N_("Positions"),
    "origins": N_("Independent origins"),
    "preferred": N_("Preferred"),
    "covers": N_("Written for"),
    "message": N_("Message"),
    "hint": N_("Hint"),
}
"""The label of each field the diff names (`Field.field`)."""
STATUSES = {"open": N_("open"), "explained": N_("explained"), "settled": N_("settled")}
_CITATION = re.compile(r"([\w.-]+): “(.*)”", re.S)
_SUPPORT = re.compile(r"(.*?): (.*?)(?: \(also holding another: (.*)\))?", re.S)


class Wording:
    """A change's fields in the reader's language, for one analysed project (the newer side of each change)."""

    def __init__(self, analysis: Analysis, lang: Language, sections: dict[str, str]):
        """`sections`: each section's title in the reader's language."""
        self.a, self.lang, self.sections = analysis, lang, sections

    def field(self, section: str, key: str, f: Field) -> tuple[str, str, str]:
        """A field of the change of item `key` in a section: its label, and its older and newer values."""
        label = self.lang.gettext(LABELS.get(f.field, f.field), n=f.of)
        if f.of and f.field != "key point":
            label = f"{label} ({self.source(f.of)})"
        return label, self.value(section, key, f.field, f.old), self.value(section, key, f.field, f.new)

    def item(self, section: str, c: Change) -> str:
        """An item the project no longer has (or whose page is gone), as plain text: a claim by its dossier,
        property and value, a disagreement or verdict by its dossier and property, anything else by its label."""
        if section == "claims":
            dossier, _, _ = c.key.partition("#")
            prop, _, value = c.label.partition(": ")
            value = self.lang.written(value, self.a.dossiers)
            return f"{self.name(dossier)} — {self.lang.gettext(prop)}{self.lang.colon} {value}"
        if section in ("disagreements", "verdicts"):
            dossier, _, prop = c.key.partition(":")
            return f"{self.name(dossier)}{self.lang.colon} {self.label(prop)}"
        return c.label

    def value(self, section: str, key: str, field: str, text: str) -> str:
        """One side of a field as the site writes it; empty stays empty."""
        if not text:
            return ""
        if field in ("value", "date", "positions"):
            return " / ".join(self.values(t) for t in text.split(" / "))
        if field in ("published", "as_of"):
            return self.lang.date(text)
        if field == "status":
            return self.lang.gettext(STATUSES[text]) if text in STATUSES else text
        if field == "section":
            return self.sections.get(text, text)
        if field == "property":
            return self.label(text)
        if field == "title_by_editors":
            return self.lang.gettext("yes") if text == "true" else self.lang.gettext("no")
        if field in ("outlet", "said_by", "via"):
            return ", ".join(self.name(t) for t in text.split(", "))
        if field == "source":
            return self.source(text)
        if field == "citation":
            return self.citation(text)
        if field == "origins":
            return " / ".join(self.support(t) for t in text.split(" / "))
        if field == "covers":
            return self.lang.separator.join(
                self.lang.written(t.partition(": ")[2], self.a.dossiers) for t in text.split("; ")
            )
        if field == "preferred":
            claim = self.a.claims.get(f"{key.split(':')[0]}#{text}")
            return self.lang.value(claim.value) if claim and claim.value else text
        return text

    def name(self, ident: str) -> str:
        """A dossier's name; any other text as it is."""
        return self.a.dossiers[ident].name if ident in self.a.dossiers else ident

    def label(self, prop: str) -> str:
        """A property's label in the reader's language, or its id when the project no longer has it."""
        p = self.a.project.properties.get(prop)
        return self.lang.gettext(p.label) if p else prop

    def source(self, ident: str) -> str:
        """A source, short: its outlet and day (as a citation names it); its id when the project no longer has it."""
        s = self.a.sources.get(ident)
        return f"{self.name(s.outlet)}, {self.lang.date(s.published)}" if s else ident

    def values(self, text: str) -> str:
        """A value, or a position's values (`62; 64`), as the diff writes them, in the reader's language."""
        return self.lang.separator.join(self.lang.written(v, self.a.dossiers) for v in text.split("; "))

    def citation(self, text: str) -> str:
        """A citation as the site shows one: the quote, then its source."""
        m = _CITATION.fullmatch(text)
        if not m:
            return text
        return self.lang.gettext("“%(words)s”", words=m[2]) + " — " + self.source(m[1])

    def support(self, text: str) -> str:
        """A position with the origins holding it (and those holding another too)."""
        m = _SUPPORT.fullmatch(text)
        if not m:
            return text
        value, origins, split = m.groups()
        if origins == "no independent origin":
            held = self.lang.gettext("no independent origin")
        else:
            held = ", ".join(self.name(o) for o in origins.split(", "))
        out = f"{self.values(value)}{self.lang.colon} {held}"
        if split:
            names = ", ".join(self.name(o) for o in split.split(", "))
            out += " " + self.lang.gettext("(also holding another: %(names)s)", names=names)
        return out

"""What a source page says of a sentence no claim quotes, when a reader points at it: the assessment
`crossbrief coverage` makes of it (analyse/candidates.py), worded in the reader's language, with dossiers and
claims named as the pages name them (the command's own notes, analyse/notes.py, name them by id)."""

from __future__ import annotations

from datetime import date, timedelta

from crossbrief.analyse import Analysis
from crossbrief.analyse.candidates import Candidate
from crossbrief.analyse.coverage import Uncovered
from crossbrief.analyse.figures import ATTRIBUTION, DATE, NUMBER, PLACE, TIME, Reading
from crossbrief.infra.i18n import N_, Language
from crossbrief.model.values import Value
from crossbrief.site.fragments import claim_label

HEADS = {
    "N402": N_("Not quoted, may conflict with a claim"),
    "N403": N_("Not quoted, would corroborate a claim"),
    "N401": N_("Not quoted by any claim"),
}
KINDS = {
    NUMBER: N_("figure"),
    DATE: N_("date"),
    TIME: N_("time"),
    PLACE: N_("place"),
    ATTRIBUTION: N_("attribution"),
}
"""What a sentence states, by the kind of its reading."""


def note(analysis: Analysis, lang: Language, u: Uncovered) -> str:
    """An uncovered sentence's note: whether it may conflict with a claim or would corroborate one, the dossier
    (and property) it is likely about, and how it bears on the claims, or else what it states."""
    a = u.assessment
    about = _name(analysis, a.dossier)
    if a.property:
        about = lang.gettext(
            "%(dossier)s, likely %(property)s", dossier=about, property=_label(analysis, lang, a.property)
        )
    bears = [_bearing(analysis, lang, c) for c in a.candidates]
    if not bears and a.restates:
        claims = ", ".join(claim_label(analysis, lang, analysis.claims[r]) for r in a.restates if r in analysis.claims)
        bears.append(lang.gettext("restates %(claims)s, quoted from the same report", claims=claims))
    if not bears:
        bears = [f"{lang.gettext(KINDS.get(r.kind, r.kind))} {_quoted(lang, r)}" for r in a.readings]
    colon = lang.colon + " "
    return lang.gettext(HEADS[u.code]) + colon + about + colon + lang.separator.join(bears)


def _bearing(analysis: Analysis, lang: Language, c: Candidate) -> str:
    said = (
        f"{_quoted(lang, c.reading)} ({_interval(lang, c.reading.value)})"
        if c.reading.value
        else _quoted(lang, c.reading)
    )
    claim = claim_label(analysis, lang, c.claim)
    if not c.agrees:
        return lang.gettext("%(said)s conflicts with %(claim)s", said=said, claim=claim)
    if c.only_compatible:
        return lang.gettext("%(said)s is compatible with %(claim)s", said=said, claim=claim)
    return lang.gettext("%(said)s would corroborate %(claim)s", said=said, claim=claim)


def _quoted(lang: Language, r: Reading) -> str:
    """The words of the sentence that state something, between the language's quotation marks."""
    return lang.gettext("“%(words)s”", words=r.text)


def _interval(lang: Language, value: Value) -> str:
    """What a sentence's figure or date was read as: a number as the language writes it, a date as the days it
    may be (`Monday` of a report of Tuesday: the day before; `1961`, the whole year)."""
    if value.kind != "date":
        return lang.value(value)
    low, high = (date.fromordinal(int(x)) if x is not None else None for x in (value.low, value.high))
    if low is None or high is None:
        known = lang.date((low or high).isoformat())
        return lang.gettext("from %(date)s", date=known) if low else lang.gettext("until %(date)s", date=known)
    if low.day == 1 and (high + timedelta(days=1)).day == 1 and (low.year, low.month) == (high.year, high.month):
        return lang.date(low.isoformat()[:7])
    if (low.month, low.day, high.month, high.day) == (1, 1, 12, 31) and low.year == high.year:
        return str(low.year)
    first, last = lang.date(low.isoformat()), lang.date(high.isoformat())
    return first if low == high else f"{first} – {last}"


def _name(analysis: Analysis, dossier: str) -> str:
    return analysis.dossiers[dossier].name if dossier in analysis.dossiers else dossier


def _label(analysis: Analysis, lang: Language, prop: str) -> str:
    p = analysis.project.properties.get(prop)
    return lang.gettext(p.label) if p else prop

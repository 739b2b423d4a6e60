"""How `crossbrief coverage` words what it found: a located note per uncovered sentence (N401 to N403) and per
state never compared (N404). (A source page words them in the reader's language: site/uncovered.py.)"""

from __future__ import annotations

from crossbrief.analyse.candidates import Assessment
from crossbrief.analyse.coverage import Coverage, Uncovered
from crossbrief.analyse.dates import interval_text
from crossbrief.model.problems import NOTES, Problem


def notes(found: Coverage, source: str | None = None) -> tuple[Problem, ...]:
    """The uncovered sentences as located notes, in rank order, with the claims never compared (N404) when no
    source is asked for."""
    listed = found.of_source(source) if source else found.uncovered
    out = [Problem(u.sentence.location, u.code, *describe(u)) for u in listed]
    if source is None:
        out += [Problem(c.claim.location, "N404", c.message, c.hint) for c in found.uncompared]
    return tuple(out)


def summary(found: Coverage, source: str | None, listed: tuple[Problem, ...]) -> str:
    """The line after the notes: how many of each, and how many figure-bearing sentences are quoted."""
    counts = {code: sum(p.code == code for p in listed) for code in NOTES}
    chosen = [source] if source else sorted(found.shares)
    figures = sum(found.shares[s].figures for s in chosen)
    covered = sum(found.shares[s].covered for s in chosen)
    uncovered = counts["N401"] + counts["N402"] + counts["N403"]
    line = (
        f"{_plural(uncovered, 'uncovered sentence')} in {source or _plural(len(chosen), 'source')} "
        f"({_plural(counts['N402'], 'candidate conflict')}, {counts['N403']} would corroborate); "
        f"{covered} of {_plural(figures, 'figure-bearing sentence')} quoted"
    )
    return line + (f"; {_plural(counts['N404'], 'state')} never compared" if source is None else "")


def _plural(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def describe(u: Uncovered) -> tuple[str, str]:
    """An uncovered sentence's note: its message and hint."""
    a = u.assessment
    where = "headline" if u.sentence.headline else "sentence"
    message = f'{where} uncovered: {_gist(a)}: "{_clip(u.sentence.text)}"'
    hints = []
    if len(a.dossiers) > 1:
        hints.append("also names " + ", ".join(a.dossiers[1:]))
    if u.reprints:
        hints.append("also printed in " + ", ".join(sorted({s.source for s in u.reprints})))
    return message, "; ".join(hints)


def _gist(a: Assessment) -> str:
    """The dossier, likely property, and how the sentence bears on the claims, or what it states."""
    states = "; ".join(f"{r.kind} '{r.text}'" for r in a.readings)
    bears = []
    for c in a.candidates:
        value = interval_text(c.reading.value) if c.reading.value else c.reading.text
        verb = "conflicts with" if not c.agrees else "is compatible with" if c.only_compatible else "would corroborate"
        bears.append(f"'{c.reading.text}' ({value}) {verb} {c.claim.ref} ({c.claim.value.text})")
    head = a.dossier + (f", likely '{a.property}'" if a.property else "")
    if not bears and a.restates:
        bears.append(f"restates {', '.join(a.restates)}, quoted from the same report")
    return f"{head}: " + ("; ".join(bears) if bears else states)


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"

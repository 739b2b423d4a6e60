"""Cross-reference the loaded project: pure functions from a Project to an Analysis."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from . import textmatch
from .model import Citation, Claim, Dossier, Project, Property, Source, Verdict
from .values import Value


@dataclass(frozen=True)
class Passage:
    """Where a citation's quote sits in its source."""

    claim: Claim
    """The claim citing it."""
    index: int
    """Which of the claim's citations it is (from 0)."""
    start: int
    """Offset of the quote's first character in the source text."""
    end: int
    """Offset just past the quote."""

    @property
    def anchor(self) -> str:
        """The HTML id of the passage on its source page; ids never hold `--`, so this is unique."""
        return f"q--{self.claim.dossier}--{self.claim.id}--{self.index + 1}"


@dataclass(frozen=True)
class Mention:
    """An occurrence of a dossier's name or alias in a source."""

    source: str
    """The source id."""
    name: str
    """The name as it occurs."""
    sentence: str
    """The sentence around it."""


@dataclass(frozen=True)
class Relation:
    """A claim whose value is another dossier, seen from either end."""

    claim: Claim
    """The claim making the relation."""
    property: Property
    """Its property; the label reads from the subject, `inverse` from the target."""
    subject: str
    """The dossier the claim is about."""
    target: str
    """The dossier the claim's value names."""


@dataclass(frozen=True)
class Position:
    """One value held on a disputed property, and who holds it."""

    value: Value
    """The value (the first claim's wording when several are equal)."""
    claims: tuple[Claim, ...]
    """The claims holding it."""
    origins: tuple[str, ...]
    """The distinct origins behind those claims, sorted."""


@dataclass(frozen=True)
class Disagreement:
    """Incompatible claims on a single-valued property of one dossier."""

    dossier: Dossier
    """The dossier."""
    property: Property
    """The disputed property."""
    positions: tuple[Position, ...]
    """Every value held, in value order."""
    verdict: Verdict | None
    """The editors' verdict, if any."""

    @property
    def status(self) -> str:
        """open, explained or settled."""
        return self.verdict.status if self.verdict else "open"

    @property
    def anchor(self) -> str:
        """The HTML id of the disagreement on the disagreements page."""
        return f"{self.dossier.id}--{self.property.id}"


@dataclass(frozen=True)
class TimelineEntry:
    """A dated event or claim."""

    when: Value
    """The date or date range."""
    dossier: Dossier
    """The event, or the dossier the claim is about."""
    claim: Claim | None
    """The dated claim, or None for an event's own date."""


@dataclass(frozen=True)
class Analysis:
    """The project cross-referenced; everything the pages, the PDF, export and diff show."""

    project: Project
    """What was loaded."""
    dossiers: dict[str, Dossier]
    """Dossiers by id."""
    sources: dict[str, Source]
    """Sources by id."""
    claims: dict[str, Claim]
    """Claims by `dossier#claim`."""
    passages: dict[str, tuple[Passage, ...]]
    """Quoted passages found in each source, by source id, in text order."""
    mentions: dict[str, tuple[Mention, ...]]
    """Occurrences of each dossier's names, by dossier id."""
    relations_out: dict[str, tuple[Relation, ...]]
    """Relations by subject id."""
    relations_in: dict[str, tuple[Relation, ...]]
    """Relations by target id."""
    disagreements: tuple[Disagreement, ...]
    """Every disagreement, by dossier then property."""
    timeline: tuple[TimelineEntry, ...]
    """Dated events and claims, in date order."""

    def disagreement(self, dossier: str, prop: str) -> Disagreement | None:
        """The disagreement on a dossier's property, if there is one."""
        return next((d for d in self.disagreements if d.dossier.id == dossier and d.property.id == prop), None)

    def origins(self, citation: Citation) -> tuple[str, ...]:
        """Who a citation ultimately comes from: said_by, else the agencies, else the outlet."""
        return origins(citation, self.sources)

    def corroboration(self, claims: tuple[Claim, ...]) -> tuple[str, ...]:
        """The distinct origins behind some claims, sorted."""
        return corroboration(claims, self.sources)

    def passage(self, claim: Claim, index: int) -> Passage | None:
        """Where a claim's citation was found in its source, if it was."""
        source = claim.citations[index].source
        return next((p for p in self.passages.get(source, ()) if p.claim is claim and p.index == index), None)


def analyse(project: Project) -> Analysis:
    """Cross-reference everything; works on broken projects too, skipping what cannot be resolved."""
    dossiers = {d.id: d for d in project.dossiers}
    sources = {s.id: s for s in project.sources}
    claims = {c.ref: c for d in project.dossiers for c in d.claims}
    relations = find_relations(project)
    out, inc = defaultdict(list), defaultdict(list)
    for r in relations:
        out[r.subject].append(r)
        inc[r.target].append(r)
    return Analysis(
        project=project, dossiers=dossiers, sources=sources, claims=claims,
        passages=find_passages(project),
        mentions=find_mentions(project),
        relations_out={k: tuple(v) for k, v in out.items()},
        relations_in={k: tuple(v) for k, v in inc.items()},
        disagreements=find_disagreements(project),
        timeline=build_timeline(project),
    )


def origins(citation: Citation, sources: dict[str, Source]) -> tuple[str, ...]:
    """Who a citation ultimately comes from: said_by, else the agencies, else the outlet."""
    if citation.said_by:
        return (citation.said_by,)
    source = sources.get(citation.source)
    if source is None:
        return ()
    return source.via or (source.outlet,)


def corroboration(claims: tuple[Claim, ...], sources: dict[str, Source]) -> tuple[str, ...]:
    """The distinct origins behind some claims, compared case- and space-insensitively, sorted."""
    seen: dict[str, str] = {}
    for claim in claims:
        for citation in claim.citations:
            for origin in origins(citation, sources):
                seen.setdefault(textmatch.key(origin).casefold(), origin)
    return tuple(sorted(seen.values(), key=str.casefold))


def find_passages(project: Project) -> dict[str, tuple[Passage, ...]]:
    """Every quote located in its source's text."""
    by_source: dict[str, list[tuple[Claim, int]]] = defaultdict(list)
    for dossier in project.dossiers:
        for claim in dossier.claims:
            for i, citation in enumerate(claim.citations):
                by_source[citation.source].append((claim, i))
    found: dict[str, tuple[Passage, ...]] = {}
    for source in project.sources:
        text = textmatch.normalise(source.text)
        passages = []
        for claim, i in by_source.get(source.id, ()):
            span = textmatch.find(text, claim.citations[i].quote)
            if span:
                passages.append(Passage(claim, i, *span))
        found[source.id] = tuple(sorted(passages, key=lambda p: (p.start, p.end, p.anchor)))
    return found


def find_mentions(project: Project) -> dict[str, tuple[Mention, ...]]:
    """Where each dossier's name or aliases occur in the sources: one pattern, one pass per source."""
    owners: dict[str, set[str]] = defaultdict(set)
    for dossier in project.dossiers:
        for name in dossier.names:
            if textmatch.key(name):
                owners[textmatch.key(name)].add(dossier.id)
    if not owners:
        return {}
    names = sorted(owners, key=lambda n: (-len(n), n))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
    found: dict[str, list[Mention]] = defaultdict(list)
    for source in project.sources:
        text = textmatch.normalise(source.text)
        for m in pattern.finditer(text.text):
            start, end = text.span(m.start(), m.end())
            mention = Mention(source.id, m[0], textmatch.sentence_around(source.text, start, end))
            for dossier in sorted(owners[m[0]]):
                found[dossier].append(mention)
    return {k: tuple(v) for k, v in found.items()}


def find_relations(project: Project) -> list[Relation]:
    """Every claim whose property is an entity and whose value names a known dossier."""
    ids = {d.id for d in project.dossiers}
    return [
        Relation(claim, project.properties[claim.property], dossier.id, claim.value.text)
        for dossier in project.dossiers
        for claim in dossier.claims
        if claim.value and claim.property in project.properties
        and project.properties[claim.property].type == "entity" and claim.value.text in ids
    ]


def find_disagreements(project: Project) -> tuple[Disagreement, ...]:
    """For each dossier and single-valued property, the positions when some are incompatible."""
    sources = {s.id: s for s in project.sources}
    found = []
    for dossier in project.dossiers:
        by_property: dict[str, list[Claim]] = defaultdict(list)
        for claim in dossier.claims:
            prop = project.properties.get(claim.property)
            if prop and prop.single and claim.value:
                by_property[claim.property].append(claim)
        for prop_id, claims in sorted(by_property.items()):
            positions = _positions(claims, sources)
            if any(not a.value.compatible(b.value) for i, a in enumerate(positions) for b in positions[i + 1:]):
                verdict = next((v for v in dossier.verdicts if v.property == prop_id), None)
                found.append(Disagreement(dossier, project.properties[prop_id], positions, verdict))
    return tuple(found)


def _positions(claims: list[Claim], sources: dict[str, Source]) -> tuple[Position, ...]:
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        v = claim.value
        groups[(v.low, v.high) if v.is_span else v.key].append(claim)
    positions = [Position(cs[0].value, tuple(cs), corroboration(tuple(cs), sources)) for cs in groups.values()]
    return tuple(sorted(positions, key=lambda p: p.value.sort_key))


def build_timeline(project: Project) -> tuple[TimelineEntry, ...]:
    """Every event's date and every date-valued claim, earliest first."""
    entries = [TimelineEntry(d.date, d, None) for d in project.dossiers if d.date]
    entries += [
        TimelineEntry(c.value, d, c)
        for d in project.dossiers
        for c in d.claims
        if c.value and c.value.is_span and project.properties.get(c.property, None)
        and project.properties[c.property].type == "date"
    ]
    return tuple(sorted(entries, key=lambda e: (*e.when.sort_key, e.dossier.id, e.claim.id if e.claim else "")))

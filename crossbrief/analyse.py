"""Cross-reference the loaded project: pure functions from a Project to an Analysis."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from . import searchcache, textmatch
from .mentions import Mention, Names, of_dossiers
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
    anchor: str
    """The HTML id of the passage on its source page; ids never hold `--`, so this is unique (see `of`)."""

    @classmethod
    def of(cls, claim: Claim, index: int, start: int, end: int) -> Passage:
        """The passage with its anchor, made once: passages are sorted by it, and pages name it."""
        return cls(claim, index, start, end, f"q--{claim.dossier}--{claim.id}--{index + 1}")


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
    by_dossier: dict[str, tuple[Disagreement, ...]] = field(default_factory=dict)
    """Disagreements by dossier id (an index of `disagreements`)."""
    by_citation: dict[tuple[str, int], Passage] = field(default_factory=dict)
    """Passages by claim reference and citation index (an index of `passages`)."""
    history: object = None
    """provenance.History from git (who added and changed each claim, the latest commits); None
    outside a git repository. Not computed by `analyse`, which reads no history: see `provenance.attach`."""

    def disagreement(self, dossier: str, prop: str) -> Disagreement | None:
        """The disagreement on a dossier's property, if there is one."""
        return next((d for d in self.by_dossier.get(dossier, ()) if d.property.id == prop), None)

    def origins(self, citation: Citation) -> tuple[str, ...]:
        """Who a citation ultimately comes from: said_by, else the agencies, else the outlet."""
        return origins(citation, self.sources)

    def corroboration(self, claims: tuple[Claim, ...]) -> tuple[str, ...]:
        """The distinct origins behind some claims, sorted."""
        return corroboration(claims, self.sources)

    def passage(self, claim: Claim, index: int) -> Passage | None:
        """Where a claim's citation was found in its source, if it was."""
        found = self.by_citation.get((claim.ref, index))
        return found if found and found.claim is claim else None


def analyse(project: Project) -> Analysis:
    """Cross-reference everything; works on broken projects too, skipping what cannot be resolved. The names
    found in each source are remembered in the cache folder for the next build (searchcache.py)."""
    dossiers = {d.id: d for d in project.dossiers}
    sources = {s.id: s for s in project.sources}
    claims = {c.ref: c for d in project.dossiers for c in d.claims}
    texts = searchcache.Texts(project.sources)
    names = Names(project)
    recalled = searchcache.recall(project, names, texts)
    fresh = searchcache.search(recalled, texts, names)
    passages, spans = find_passages(project, recalled.spans, texts)
    disagreements, relations, timeline = find_disagreements(project), find_relations(project), build_timeline(project)
    searchcache.save(project, names, recalled, fresh, spans)
    return Analysis(
        project=project, dossiers=dossiers, sources=sources, claims=claims,
        passages=passages,
        mentions=of_dossiers(project, {**recalled.known, **fresh}, names),
        relations_out=_group(relations, lambda r: r.subject),
        relations_in=_group(relations, lambda r: r.target),
        disagreements=disagreements,
        timeline=timeline,
        by_dossier=_group(disagreements, lambda d: d.dossier.id),
        by_citation={(p.claim.ref, p.index): p for ps in passages.values() for p in ps},
    )


def _group(items, key) -> dict:
    groups = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return {k: tuple(v) for k, v in groups.items()}


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
                seen.setdefault(_origin_key(origin), origin)
    return tuple(sorted(seen.values(), key=str.casefold))


@lru_cache(maxsize=4096)
def _origin_key(origin: str) -> str:
    """Remembered: a few outlets, agencies and speakers stand behind thousands of citations."""
    return textmatch.key(origin).casefold()


def find_passages(project: Project, known: dict[str, dict[str, searchcache.Span]], texts: searchcache.Texts
                  ) -> tuple[dict[str, tuple[Passage, ...]], dict[str, dict[str, searchcache.Span]]]:
    """Every quote located in its source's text, with where each quote is by source (for the next build);
    `known`: where quotes were before, by source id, for the sources as they are."""
    cited: dict[str, list[tuple[Claim, int, str]]] = {s.id: [] for s in project.sources}
    for dossier in project.dossiers:
        for claim in dossier.claims:
            for i, citation in enumerate(claim.citations):
                if citation.source in cited:
                    cited[citation.source].append((claim, i, citation.quote))
    found, spans = {}, {}
    for source_id, citations in cited.items():
        spans[source_id] = where = searchcache.spans((q for _, _, q in citations), known.get(source_id, {}), lambda: texts[source_id])
        passages = [Passage.of(claim, i, *where[quote]) for claim, i, quote in citations if where[quote]]
        found[source_id] = tuple(sorted(passages, key=lambda p: (p.start, p.end, p.anchor)))
    return found, spans


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
            groups = _equal_values(claims)
            if any(not a[0].value.compatible(b[0].value) for i, a in enumerate(groups) for b in groups[i + 1:]):
                verdict = next((v for v in dossier.verdicts if v.property == prop_id), None)
                found.append(Disagreement(dossier, project.properties[prop_id], _positions(groups, sources), verdict))
    return tuple(found)


def _equal_values(claims: list[Claim]) -> list[list[Claim]]:
    """The claims grouped by value, equal strings or identical intervals together."""
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        v = claim.value
        groups[(v.low, v.high) if v.is_span else v.key].append(claim)
    return list(groups.values())


def _positions(groups: list[list[Claim]], sources: dict[str, Source]) -> tuple[Position, ...]:
    """Only made for a disagreement: most properties have one value, and their origins are not needed."""
    positions = [Position(cs[0].value, tuple(cs), corroboration(tuple(cs), sources)) for cs in groups]
    return tuple(sorted(positions, key=lambda p: p.value.sort_key))


def build_timeline(project: Project) -> tuple[TimelineEntry, ...]:
    """Every event's date and every date-valued claim, earliest first.

    A claim that only restates its event's own date (the source for it) is
    not listed again.
    """
    entries = [TimelineEntry(d.date, d, None) for d in project.dossiers if d.date]
    entries += [
        TimelineEntry(c.value, d, c)
        for d in project.dossiers
        for c in d.claims
        if c.value and c.value.kind == "date" and not (d.date and c.value.text == d.date.text)
    ]
    return tuple(sorted(entries, key=lambda e: (*e.when.sort_key, e.dossier.id, e.claim.id if e.claim else "")))

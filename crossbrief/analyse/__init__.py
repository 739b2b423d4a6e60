"""Cross-reference the loaded project: pure functions from a Project to an Analysis."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from crossbrief.analyse import searchcache, textmatch
from crossbrief.analyse.intime import Facts, in_time_facts
from crossbrief.analyse.mentions import Mention, Names, of_dossiers
from crossbrief.analyse.origin import Attribution, Carried, merged_origins, origin_key
from crossbrief.analyse.relations import Relation, find_relations
from crossbrief.model import Citation, Claim, Dossier, Project, Property, Source, Verdict
from crossbrief.model.values import Value


@dataclass(frozen=True)
class Passage:
    """Where a citation's quote sits in its source."""

    claim: Claim
    """The claim citing it."""
    index: int
    """Which of the claim's citations it is (from 0)."""
    start: int
    """Offset of the quote's first character in the source text (in its headline if `in_title`)."""
    end: int
    """Offset just past the quote."""
    anchor: str
    """The HTML id of the passage on its source page; ids never hold `--`, so this is unique (see `of`)."""
    in_title: bool = False
    """Whether the quote is from the article's headline (its `title`), not its text: a headline is the
    outlet's words too, unless the editors wrote it (`title_by_editors`)."""

    @classmethod
    def of(cls, claim: Claim, index: int, start: int, end: int, in_title: bool = False) -> Passage:
        """The passage with its anchor, made once: passages are sorted by it, and pages name it."""
        return cls(claim, index, start, end, f"q--{claim.dossier}--{claim.id}--{index + 1}", in_title)


@dataclass(frozen=True)
class Position:
    """One account of a disputed property: values that can all be true at once, and who holds them."""

    value: Value
    """The first value, in value order (the first claim's wording when several are equal)."""
    claims: tuple[Claim, ...]
    """The claims holding it, in value order."""
    origins: tuple[str, ...]
    """The independent origins that still hold it (not superseded by a later statement of their own), and
    hold no other position of the disagreement, sorted."""
    values: tuple[Value, ...] = ()
    """The distinct values, in value order: one, or several that all overlap (24 Dec, about 11:00)."""
    split: tuple[str, ...] = ()
    """The origins that hold this position and another of the same disagreement, where no date orders
    the two (see Facts.contradictions): not counted as independent support for either, sorted."""

    @property
    def text(self) -> str:
        """How the position reads: its values, separated by semicolons."""
        return "; ".join(v.text for v in self.values or (self.value,))


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
    facts: Facts | None = None
    """The property's claims in time: superseded figures, histories and self-contradictions."""

    @property
    def self_contradiction(self) -> bool:
        """Whether one origin alone holds every position: the conflict is within it, not between origins."""
        return len({origin_key(o) for p in self.positions for o in (*p.origins, *p.split)}) == 1 and all(
            p.origins or p.split for p in self.positions
        )

    @property
    def status(self) -> str:
        """open, explained or settled."""
        return self.verdict.status if self.verdict else "open"

    @property
    def stale(self) -> tuple[VerdictChange, ...]:
        """How the claims changed since the verdict was written for them (see `verdict_changes`)."""
        return verdict_changes(self.dossier, self.verdict) if self.verdict else ()

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
    """Quoted passages found in each source, by source id: those in its headline, then those in its text,
    in order (`Passage.in_title` tells them apart; only the text's offsets are offsets in `Source.text`)."""
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
    merged: dict[str, Relation] = field(default_factory=dict)
    """For each person who is no origin of their own (see Property.same_origin), the relation making them
    count with an organisation, by the person's id."""
    in_time: dict[tuple[str, str], Facts] = field(default_factory=dict)
    """For each dossier and single-valued property where some origin's figure changed or contradicts
    itself, the claims in time, by (dossier id, property id)."""
    statements: dict[str, tuple[tuple[Claim, int], ...]] = field(default_factory=dict)
    """The citations attributed (`said_by`) to each dossier, as (claim, citation index), by the speaker's id;
    an organisation's include those of the speakers counted with it."""
    attribution: Attribution = field(default_factory=lambda: Attribution({}))
    """Who each citation comes from, and when."""
    history: object = None
    """provenance.History from git (who added and changed each claim, the latest commits); None
    outside a git repository. Not computed by `analyse`, which reads no history: see `provenance.attach`."""

    def disagreement(self, dossier: str, prop: str) -> Disagreement | None:
        """The disagreement on a dossier's property, if there is one."""
        return next((d for d in self.by_dossier.get(dossier, ()) if d.property.id == prop), None)

    def origins(self, citation: Citation) -> tuple[str, ...]:
        """Who a citation ultimately comes from (none if unknown): said_by, else the agency whose copy its
        article carries, else the outlet; a person speaking for an organisation counts as the organisation."""
        origin = self.attribution.origin(citation)
        return (origin,) if origin else ()

    def corroboration(self, claims: tuple[Claim, ...]) -> tuple[str, ...]:
        """The distinct origins behind some claims, sorted."""
        return self.attribution.corroboration(claims)

    def carriers(self, claims: tuple[Claim, ...]) -> tuple[Carried, ...]:
        """The articles carrying agency copy behind some claims, each counted once with an agency."""
        return self.attribution.carriers(claims)

    def merged_into(self, claims: tuple[Claim, ...]) -> tuple[Relation, ...]:
        """The relations by which a speaker of these claims counts with an organisation, sorted."""
        found = {self.merged[c.said_by] for claim in claims for c in claim.citations if c.said_by in self.merged}
        return tuple(sorted(found, key=lambda r: (r.subject, r.target)))

    def facts(self, dossier: str, prop: str) -> Facts | None:
        """The claims on a dossier's property in time, when some origin's figure changed or contradicts itself."""
        return self.in_time.get((dossier, prop))

    def when(self, citation: Citation) -> str:
        """When a citation's figure was given, as written: its `as_of`, else the agency's report it
        reprints, else its source's `published`."""
        return self.attribution.when(citation)

    @cached_property
    def coverage(self):
        """What the sources say that no citation quotes (coverage.py's Coverage), found the first time it is
        asked for: the pages, the export and `crossbrief coverage` share it."""
        from crossbrief.analyse.coverage import coverage

        return coverage(self)

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
    relations, timeline = find_relations(project), build_timeline(project)
    merged = merged_origins(project, relations)
    attribution = Attribution.of(sources, merged, claims.values())
    disagreements, in_time = find_disagreements(project, attribution)
    searchcache.save(project, names, recalled, fresh, spans)
    return Analysis(
        project=project,
        dossiers=dossiers,
        sources=sources,
        claims=claims,
        passages=passages,
        mentions=of_dossiers(project, {**recalled.known, **fresh}, names),
        relations_out=_group(relations, lambda r: r.subject),
        relations_in=_group(relations, lambda r: r.target),
        disagreements=disagreements,
        timeline=timeline,
        by_dossier=_group(disagreements, lambda d: d.dossier.id),
        by_citation={(p.claim.ref, p.index): p for ps in passages.values() for p in ps},
        merged=merged,
        in_time=in_time,
        statements=find_statements(project, attribution),
        attribution=attribution,
    )


def _group(items, key) -> dict:
    groups = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return {k: tuple(v) for k, v in groups.items()}


def find_statements(project: Project, attribution: Attribution) -> dict[str, tuple[tuple[Claim, int], ...]]:
    """The citations attributed to each dossier by `said_by`, as (claim, citation index), earliest first
    (when each was given), then by claim; an organisation's include those of the speakers counted with it."""
    ids = {d.id for d in project.dossiers}
    found: dict[str, list[tuple[str, str, int, Claim]]] = defaultdict(list)
    for dossier in project.dossiers:
        for claim in dossier.claims:
            for i, citation in enumerate(claim.citations):
                if citation.said_by in ids:
                    speakers = {citation.said_by, attribution.origin(citation)}
                    for speaker in speakers & ids:
                        found[speaker].append((attribution.when(citation), claim.ref, i, claim))
    return {k: tuple((claim, i) for *_, i, claim in sorted(v, key=lambda t: t[:3])) for k, v in found.items()}


def covered(dossier: Dossier, prop: str) -> tuple[tuple[str, str], ...]:
    """A property's claims as a verdict's `covers` records them: (claim id, value as it reads), sorted."""
    return tuple(
        sorted((c.id, " ".join(c.value.text.split())) for c in dossier.claims if c.property == prop and c.value)
    )


@dataclass(frozen=True)
class VerdictChange:
    """A claim on a verdict's property added, removed or given another value since the verdict was written
    for it (its `covers`)."""

    claim: str
    """The claim's id."""
    before: str
    """Its value as the verdict records it (as it read, `Value.text`); empty when the claim was added since."""
    after: str
    """Its value as it reads now; empty when the claim was removed since."""

    @property
    def kind(self) -> str:
        """added, removed or changed."""
        return "added" if not self.before else "removed" if not self.after else "changed"

    def __str__(self) -> str:
        """The change as `crossbrief check` words it (W312), by claim id."""
        if self.kind == "added":
            return f"{self.claim} added ({self.after})"
        if self.kind == "removed":
            return f"{self.claim} removed"
        return f"{self.claim} {self.before} -> {self.after}"


def verdict_changes(dossier: Dossier, verdict: Verdict) -> tuple[VerdictChange, ...]:
    """How the claims on a verdict's property differ from those it was written for (`covers`): each claim
    added, removed or with another value, by claim id; none when the verdict does not say what it covers."""
    if verdict.covers is None:
        return ()
    then, now = dict(verdict.covers), dict(covered(dossier, verdict.property))
    changes = [VerdictChange(i, then.get(i, ""), now.get(i, "")) for i in then.keys() | now.keys()]
    return tuple(sorted((c for c in changes if c.before != c.after), key=lambda c: c.claim))


def find_passages(
    project: Project, known: dict[str, dict[str, searchcache.Span]], texts: searchcache.Texts
) -> tuple[dict[str, tuple[Passage, ...]], dict[str, dict[str, searchcache.Span]]]:
    """Every quote located in its source's text, with where each quote is by source (for the next build);
    `known`: where quotes were before, by source id, for the sources as they are."""
    sources = {s.id: s for s in project.sources}
    cited: dict[str, list[tuple[Claim, int, str]]] = {s.id: [] for s in project.sources}
    for dossier in project.dossiers:
        for claim in dossier.claims:
            for i, citation in enumerate(claim.citations):
                if citation.source in cited:
                    cited[citation.source].append((claim, i, citation.quote))
    found, spans = {}, {}
    for source_id, citations in cited.items():
        spans[source_id] = where = searchcache.spans(
            (q for _, _, q in citations), known.get(source_id, {}), lambda: texts[source_id]
        )
        passages = [Passage.of(claim, i, *where[quote]) for claim, i, quote in citations if where[quote]]
        passages += _in_title(
            sources[source_id], [(claim, i, quote) for claim, i, quote in citations if not where[quote]]
        )
        found[source_id] = tuple(sorted(passages, key=lambda p: (not p.in_title, p.start, p.end, p.anchor)))
    return found, spans


def _in_title(source: Source, citations: list[tuple[Claim, int, str]]) -> list[Passage]:
    """The quotes not found in a source's text that are in its headline (never searched for in a headline
    the editors wrote). Headlines are short and such quotes few, so they are not remembered between builds."""
    if not citations or source.title_by_editors:
        return []
    title = textmatch.normalise(source.title)
    found = ((claim, i, textmatch.find(title, quote)) for claim, i, quote in citations)
    return [Passage.of(claim, i, *span, in_title=True) for claim, i, span in found if span]


def find_disagreements(
    project: Project, attribution: Attribution
) -> tuple[tuple[Disagreement, ...], dict[tuple[str, str], Facts]]:
    """For each dossier and single-valued property, the positions when the claims still held are
    incompatible; and the claims in time where some origin's figure changed or contradicts itself."""
    found, in_time = [], {}
    for dossier in project.dossiers:
        by_property: dict[str, list[Claim]] = defaultdict(list)
        for claim in dossier.claims:
            prop = project.properties.get(claim.property)
            if prop and prop.single and claim.value:
                by_property[claim.property].append(claim)
        for prop_id, claims in sorted(by_property.items()):
            if len(claims) < 2:
                continue
            prop = project.properties[prop_id]
            facts = in_time_facts(dossier, prop, claims, attribution)
            notable = facts if facts.histories or facts.contradictions else None
            if notable:
                in_time[(dossier.id, prop_id)] = facts
            groups = _accounts(facts.current)
            if len(groups) > 1:
                verdict = next((v for v in dossier.verdicts if v.property == prop_id), None)
                found.append(Disagreement(dossier, prop, _positions(groups, facts), verdict, notable))
    return tuple(found), in_time


def _accounts(claims: tuple[Claim, ...]) -> list[list[Claim]]:
    """The claims grouped into accounts: each value joins the first group it is compatible with every
    value of, in value order, so that two groups are incompatible accounts (24 Dec, about 11:00 and about
    12:00 are one; Friday, 22 Dec, another)."""
    groups: list[list[Claim]] = []
    for claim in sorted(claims, key=lambda c: (c.value.sort_key, c.ref)):
        group = next((g for g in groups if all(claim.value.compatible(c.value) for c in g)), None)
        if group is None:
            groups.append([claim])
        else:
            group.append(claim)
    return groups


def _positions(groups: list[list[Claim]], facts: Facts) -> tuple[Position, ...]:
    """Each account with the origins still holding it; an origin holding two is counted for neither."""
    held = [{origin_key(o): o for c in g for o in facts.held_by(c)} for g in groups]
    twice = {k for i, h in enumerate(held) for k in h if any(k in other for other in held[i + 1 :])}
    positions = []
    for claims, origins in zip(groups, held, strict=True):
        values = {(c.value.key if not c.value.is_span else c.value.text): c.value for c in claims}
        positions.append(
            Position(
                claims[0].value,
                tuple(claims),
                tuple(sorted((o for k, o in origins.items() if k not in twice), key=str.casefold)),
                tuple(values.values()),
                tuple(sorted((o for k, o in origins.items() if k in twice), key=str.casefold)),
            )
        )
    return tuple(positions)


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

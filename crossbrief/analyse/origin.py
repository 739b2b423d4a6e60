"""Who a citation comes from (its origin), when it was said, and how many independent origins back some
claims: a person who speaks for an organisation counts once with it, an article carrying agency copy
once with the agency, and a reprint of an agency's statement is that statement, dated by the agency."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from crossbrief.analyse import textmatch
from crossbrief.analyse.relations import Relation
from crossbrief.analyse.times import earlier
from crossbrief.model import Citation, Claim, Project, Source


@dataclass(frozen=True)
class Carried:
    """An article carrying agency copy, counted as one origin with an agency."""

    source: str
    """The article's source id."""
    outlet: str
    """Its outlet's id."""
    agency: str
    """The agency it is counted with: the first of its `via` whose own report the project has, else its
    first `via`."""
    own: bool
    """Whether the project has a report of that agency's own."""


@dataclass(frozen=True, eq=False)
class Attribution:
    """Who each citation comes from and when, for one project."""

    sources: dict[str, Source]
    """Sources by id."""
    merged: dict[str, Relation] = field(default_factory=dict)
    """Speakers counted with an organisation (see `merged_origins`), by the speaker's id."""
    reporting: frozenset[str] = frozenset()
    """The outlets with a report of their own in the project (a source they publish carrying no copy)."""
    reprinted: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    """For each citation of an article carrying agency copy whose quote is in the text of one of those
    agencies' own reports, by (source id, quote): the `published` of the earliest such report."""

    @classmethod
    def of(
        cls, sources: dict[str, Source], merged: dict[str, Relation] | None = None, claims: Iterable[Claim] = ()
    ) -> Attribution:
        """The attribution of a project's sources and claims."""
        agencies = {a for s in sources.values() for a in s.via}
        reports: dict[str, list[tuple[str, str]]] = {}
        for s in sorted(sources.values(), key=lambda s: (s.published, s.id)):
            if not s.via and s.outlet in agencies:
                reports.setdefault(s.outlet, []).append((s.published, textmatch.key(s.text)))
        reprinted = {}
        for claim in claims:
            for c in claim.citations:
                source = sources.get(c.source)
                if source is None or not any(a in reports for a in source.via) or (c.source, c.quote) in reprinted:
                    continue
                wanted = textmatch.key(c.quote)
                found = [when for a in source.via for when, text in reports.get(a, ()) if wanted and wanted in text]
                if found:
                    reprinted[(c.source, c.quote)] = min(found)
        return cls(sources, merged or {}, frozenset(s.outlet for s in sources.values() if not s.via), reprinted)

    def origin(self, citation: Citation) -> str:
        """Who a citation ultimately comes from: said_by (a speaker counted with an organisation as the
        organisation), else the agency whose copy its article carries, else the outlet; "" if unknown."""
        if citation.said_by:
            relation = self.merged.get(citation.said_by)
            return relation.target if relation else citation.said_by
        source = self.sources.get(citation.source)
        if source is None:
            return ""
        carried = self.carried(source)
        return carried.agency if carried else source.outlet

    def inferred(self, citation: Citation) -> bool:
        """Whether a citation is counted with an agency only because its article carries the agency's copy:
        unattributed, and not found in the text of the agency's own report (so it may be the outlet's own
        reporting). Such a statement counts with the agency, the lower count, but is never taken as the
        agency's revision, nor revised by it: that would hide a conflict between two reports."""
        source = self.sources.get(citation.source)
        return bool(
            source and source.via and not citation.said_by and (citation.source, citation.quote) not in self.reprinted
        )

    def carried(self, source: Source) -> Carried | None:
        """How an article carrying agency copy is counted; None for an outlet's own report."""
        if not source.via:
            return None
        own = next((a for a in source.via if a in self.reporting), "")
        return Carried(source.id, source.outlet, own or source.via[0], bool(own))

    def when(self, citation: Citation) -> str:
        """When a citation's statement was made, as written: its `as_of`, else, for a reprint of an agency's
        report (the quote is in the text of the agency's own earliest report carrying it), that report's
        `published`, else its source's `published`; "" if unknown."""
        if citation.as_of:
            return citation.as_of
        source = self.sources.get(citation.source)
        if source is None:
            return ""
        agency = self.reprinted.get((citation.source, citation.quote), "")
        # the copy was out by the time the article carrying it was: a later report is a later version
        return agency if agency and not earlier(source.published, agency) else source.published

    def corroboration(self, claims: tuple[Claim, ...]) -> tuple[str, ...]:
        """The distinct origins behind some claims' citations, compared case- and space-insensitively, sorted."""
        seen: dict[str, str] = {}
        for claim in claims:
            for citation in claim.citations:
                origin = self.origin(citation)
                if origin:
                    seen.setdefault(origin_key(origin), origin)
        return tuple(sorted(seen.values(), key=str.casefold))

    def carriers(self, claims: tuple[Claim, ...]) -> tuple[Carried, ...]:
        """The articles carrying agency copy among some claims' unattributed citations, sorted."""
        found = {
            self.carried(self.sources[c.source])
            for claim in claims
            for c in claim.citations
            if not c.said_by and c.source in self.sources and self.sources[c.source].via
        }
        return tuple(sorted(found, key=lambda c: (c.agency, c.source)))


def merged_origins(project: Project, relations: list[Relation]) -> dict[str, Relation]:
    """Each person who speaks for an organisation (a relation whose property has `same_origin`), with the
    relation: to the organisation of the first such relation by id, when there are several."""
    sections = {d.id: d.section for d in project.dossiers}
    merged: dict[str, Relation] = {}
    for r in sorted(relations, key=lambda r: (r.subject, r.target, r.claim.ref)):
        if (
            r.property.same_origin
            and sections.get(r.subject) == "people"
            and sections.get(r.target) == "organisations"
            and r.subject not in merged
        ):
            merged[r.subject] = r
    return merged


@lru_cache(maxsize=4096)
def origin_key(origin: str) -> str:
    """The same origin, however it is spelt: compared case- and space-insensitively, a dossier id or a
    description alike (remembered: a few outlets, agencies and speakers stand behind thousands of citations)."""
    return textmatch.key(origin).casefold()

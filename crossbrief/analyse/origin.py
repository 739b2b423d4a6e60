"""Who a citation comes from (its origin), and how many independent origins back some claims: a person who
speaks for an organisation counts once with it."""

from __future__ import annotations

from functools import lru_cache

from crossbrief.analyse import textmatch
from crossbrief.analyse.relations import Relation
from crossbrief.model import Citation, Claim, Project, Source


def origins(
    citation: Citation, sources: dict[str, Source], merged: dict[str, Relation] | None = None
) -> tuple[str, ...]:
    """Who a citation ultimately comes from: said_by, else the agencies, else the outlet; a speaker in
    `merged` counts as the organisation they speak for."""
    if citation.said_by:
        relation = merged.get(citation.said_by) if merged else None
        return (relation.target if relation else citation.said_by,)
    source = sources.get(citation.source)
    if source is None:
        return ()
    return source.via or (source.outlet,)


def corroboration(
    claims: tuple[Claim, ...], sources: dict[str, Source], merged: dict[str, Relation] | None = None
) -> tuple[str, ...]:
    """The distinct origins behind some claims, compared case- and space-insensitively, sorted."""
    seen: dict[str, str] = {}
    for claim in claims:
        for citation in claim.citations:
            for origin in origins(citation, sources, merged):
                seen.setdefault(_origin_key(origin), origin)
    return tuple(sorted(seen.values(), key=str.casefold))


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
def _origin_key(origin: str) -> str:
    """Remembered: a few outlets, agencies and speakers stand behind thousands of citations."""
    return textmatch.key(origin).casefold()

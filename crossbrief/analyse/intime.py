"""Figures in time: what each origin said on a property and when, which figures later ones replaced, and
where one origin contradicts itself."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from crossbrief.analyse.origin import origins
from crossbrief.analyse.relations import Relation
from crossbrief.model import Citation, Claim, Dossier, Property, Source


@dataclass(frozen=True)
class Statement:
    """A value given by one origin at one time: a citation of a claim, seen from one of its origins."""

    origin: str
    """The origin (a dossier id: origins described in words are never compared in time)."""
    when: str
    """When it was given: the citation's `as_of`, else its source's `published`, as written."""
    claim: Claim
    """The claim giving the value."""


@dataclass(frozen=True)
class History:
    """How one origin's figure on a property moved in time: every value it gave, earliest first."""

    origin: str
    """The origin, a dossier id."""
    steps: tuple[Statement, ...]
    """Its statements in time order, one per time and value."""


@dataclass(frozen=True)
class Contradiction:
    """One origin giving incompatible values on a property at the same time: a self-contradiction or a misquote."""

    dossier: Dossier
    """The dossier."""
    property: Property
    """The property."""
    origin: str
    """The origin contradicting itself, a dossier id."""
    statements: tuple[Statement, ...]
    """Its statements at that time, in the order the claims are written."""


@dataclass(frozen=True)
class Facts:
    """What one dossier's sources say on one single-valued property, in time."""

    current: tuple[Claim, ...]
    """The claims some origin still holds (not superseded by a later statement of the same origin)."""
    superseded: tuple[Claim, ...]
    """The claims every origin of which has since given another figure."""
    histories: tuple[History, ...]
    """The origins whose figure changed, each with its figures in time order."""
    contradictions: tuple[Contradiction, ...]
    """The origins giving incompatible values at the same time."""


def earlier(a: str, b: str) -> bool:
    """Whether time `a` is known to come before `b` (`YYYY-MM-DD`, optionally with a time, as written):
    an earlier day, or the same day and both with a time of day that is earlier. Zones are not converted."""
    if a[:10] != b[:10]:
        return a[:10] < b[:10]
    return len(a) > 10 and len(b) > 10 and a[11:19] < b[11:19]


def given_on(citation: Citation, sources: dict[str, Source]) -> str:
    """When a citation's figure was given, as written: its `as_of`, else its source's `published` ("" if
    neither is known)."""
    source = sources.get(citation.source)
    return citation.as_of or (source.published if source else "")


def in_time_facts(
    dossier: Dossier,
    prop: Property,
    claims: list[Claim],
    sources: dict[str, Source],
    merged: dict[str, Relation],
    ids: set[str],
) -> Facts:
    """One property's claims in time. Each citation is a statement of each of its origins that names a
    dossier (origins described in words, `activists`, may be different people each time), made when
    its `as_of` says, else when its source was published. A claim is superseded when every statement
    of it is followed by a later one of the same origin, with another value."""
    by_origin: dict[str, list[Statement]] = defaultdict(list)
    held = set()  # a claim that an origin not followed in time holds (in words, or of no known source) stays held
    for claim in claims:
        for citation in claim.citations:
            when = given_on(citation, sources)
            found = origins(citation, sources, merged)
            for origin in found:
                if when and origin in ids:
                    by_origin[origin].append(Statement(origin, when, claim))
                else:
                    held.add(claim.ref)
            if not found:
                held.add(claim.ref)
    histories, contradictions = [], []
    for origin, statements in sorted(by_origin.items()):
        latest = [
            s
            for s in statements
            if not any(earlier(s.when, t.when) and not s.claim.value.compatible(t.claim.value) for t in statements)
        ]
        held.update(s.claim.ref for s in latest)
        if len(latest) < len(statements):
            steps = {
                (s.when, s.claim.value.key): s
                for s in sorted(statements, key=lambda s: (s.when, s.claim.value.sort_key))
            }
            histories.append(History(origin, tuple(steps.values())))
        clash = _at_once(statements)
        if clash:
            contradictions.append(Contradiction(dossier, prop, origin, clash))
    return Facts(
        current=tuple(c for c in claims if c.ref in held),
        superseded=tuple(c for c in claims if c.ref not in held),
        histories=tuple(histories),
        contradictions=tuple(contradictions),
    )


def _at_once(statements: list[Statement]) -> tuple[Statement, ...]:
    """The first pair of figures (numbers or dates) of one origin made at the same time that cannot both be
    true, if any: on the same day with no time of day, or at the same time of day (a statement with a time
    and one without on the same day may be hours apart, and are not compared). Strings are not compared:
    they differ in spelling where they need not differ in meaning (Paris, France)."""
    for i, s in enumerate(statements):
        for t in statements[i + 1 :]:
            if (
                _same_time(s.when, t.when)
                and s.claim.value.is_span
                and t.claim.value.is_span
                and not s.claim.value.compatible(t.claim.value)
            ):
                return (s, t)
    return ()


def _same_time(a: str, b: str) -> bool:
    return a[:10] == b[:10] and (len(a) > 10) == (len(b) > 10) and a[11:19] == b[11:19]

"""Figures in time: what each origin said on a property and when, which statements a later one of the same
origin replaced, and where one origin gives incompatible values that no date orders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from crossbrief.analyse.origin import Attribution, origin_key
from crossbrief.analyse.times import earlier, same_time
from crossbrief.model import Claim, Dossier, Property


@dataclass(frozen=True)
class Statement:
    """A value given by one origin at one time: a citation of a claim, seen from its origin."""

    origin: str
    """The origin: a dossier id or a description (`fire brigade`), as first written for this property."""
    when: str
    """When it was given (Attribution.when): `as_of`, a reprinted agency's report's date, or the
    source's `published`; "" if unknown, which no other time is known to come before or after."""
    claim: Claim
    """The claim giving the value."""
    index: int = 0
    """Which of the claim's citations it is (from 0)."""
    inferred: bool = False
    """Whether the origin is only inferred from agency copy its article carries (Attribution.inferred): such
    a statement neither revises nor is revised."""


@dataclass(frozen=True)
class History:
    """How one origin's figure on a property moved in time: every value it gave, earliest first."""

    origin: str
    """The origin."""
    steps: tuple[Statement, ...]
    """Its dated statements in time order as written, one per time and value (a day without a time of day
    sorts before the times of that day, though it is not known to come before them: see `stages`)."""

    @property
    def stages(self) -> tuple[tuple[Statement, ...], ...]:
        """The steps grouped by time: the values of a stage were given at once, or at times no source orders
        (`5 / 6 (2017-08-31)`), and each stage comes strictly after the one before."""
        stages: list[list[Statement]] = []
        for s in self.steps:
            if stages and not all(earlier(t.when, s.when) for t in stages[-1]):
                stages[-1].append(s)
            else:
                stages.append([s])
        return tuple(tuple(stage) for stage in stages)


@dataclass(frozen=True)
class Contradiction:
    """One origin still holding incompatible values on a property that no date orders: a
    self-contradiction, a misquote, or an undated change of account."""

    dossier: Dossier
    """The dossier."""
    property: Property
    """The property."""
    origin: str
    """The origin contradicting itself."""
    statements: tuple[Statement, ...]
    """The first two of its statements that cannot both be true, in the order the claims are written."""

    @property
    def simultaneous(self) -> bool:
        """Whether the two were given at the same time (the same day, neither with a time of day, or the same
        minute), rather than at times no source orders."""
        first, second = self.statements
        return bool(first.when) and same_time(first.when, second.when)


@dataclass(frozen=True)
class Facts:
    """What one dossier's sources say on one single-valued property, in time."""

    current: tuple[Claim, ...]
    """The claims some origin still holds (some statement of it is not superseded), or that have no
    known origin."""
    superseded: tuple[Claim, ...]
    """The claims every statement of which a later one of the same origin replaced."""
    histories: tuple[History, ...]
    """The origins whose figure changed, each with its figures in time order."""
    contradictions: tuple[Contradiction, ...]
    """The origins still holding incompatible values that no date orders."""
    backers: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    """The origins that still hold each current claim, sorted, by claim reference."""

    def held_by(self, claim: Claim) -> tuple[str, ...]:
        """The origins still holding a claim: none for a superseded one."""
        return self.backers.get(claim.ref, ())


def _unordered(a: str, b: str) -> bool:
    return not earlier(a, b) and not earlier(b, a)


def in_time_facts(dossier: Dossier, prop: Property, claims: list[Claim], attribution: Attribution) -> Facts:
    """One property's claims in time. Each citation is a statement of its origin (the same origin key is
    the same origin, whether it names a dossier or describes one), made when Attribution.when says. A
    statement is superseded by a strictly later one of the same origin with an incompatible value that
    the origin had not already given at the time of the first (repeating a value is no revision), unless
    either is agency copy only inferred to be the agency's. A claim is superseded when every statement of
    it is."""
    by_origin: dict[str, list[Statement]] = defaultdict(list)
    names: dict[str, str] = {}
    unattributed = set()  # claims with a citation of no known origin: nothing can supersede it
    for claim in claims:
        for i, citation in enumerate(claim.citations):
            origin = attribution.origin(citation)
            if not origin:
                unattributed.add(claim.ref)
                continue
            key = origin_key(origin)
            names.setdefault(key, origin)
            by_origin[key].append(
                Statement(names[key], attribution.when(citation), claim, i, attribution.inferred(citation))
            )
    order = {c.ref: i for i, c in enumerate(claims)}
    histories, contradictions = [], []
    backers: dict[str, set[str]] = defaultdict(set)
    for key, statements in sorted(by_origin.items()):
        latest = [s for s in statements if len(statements) == 1 or not _superseded(s, statements)]
        for s in latest:
            backers[s.claim.ref].add(s.origin)
        if len(latest) < len(statements):
            dated = sorted(
                (s for s in statements if s.when), key=lambda s: (s.when, s.claim.value.sort_key, order[s.claim.ref])
            )
            steps = {(s.when, s.claim.value.key): s for s in dated}
            histories.append(History(names[key], tuple(steps.values())))
        clash = _clash(sorted(latest, key=lambda s: (order[s.claim.ref], s.index)))
        if clash:
            contradictions.append(Contradiction(dossier, prop, names[key], clash))
    held = set(backers) | unattributed
    return Facts(
        current=tuple(c for c in claims if c.ref in held),
        superseded=tuple(c for c in claims if c.ref not in held),
        histories=tuple(histories),
        contradictions=tuple(contradictions),
        backers={ref: tuple(sorted(origins, key=str.casefold)) for ref, origins in backers.items()},
    )


def _superseded(s: Statement, statements: list[Statement]) -> bool:
    """Whether a strictly later statement of the origin gives a value incompatible with `s` that the origin
    did not also give at the time of `s`."""
    if s.inferred:
        return False
    later = [
        t
        for t in statements
        if not t.inferred and earlier(s.when, t.when) and not s.claim.value.compatible(t.claim.value)
    ]
    if not later:
        return False
    alongside = [u.claim.value for u in statements if _unordered(u.when, s.when)]
    return any(not any(v.compatible(t.claim.value) for v in alongside) for t in later)


def _clash(statements: list[Statement]) -> tuple[Statement, ...]:
    """The first pair of an origin's current statements that cannot both be true, if any: as neither
    supersedes the other, no date orders them as a change of account."""
    for i, s in enumerate(statements):
        for t in statements[i + 1 :]:
            if not s.claim.value.compatible(t.claim.value):
                return (s, t)
    return ()

"""How an uncovered sentence bears on the briefing: which dossier and property it most likely is about, whether
its figure, date or place conflicts with a claim or would corroborate it, and how likely it hides a conflict;
and which dossiers hold claims on related properties that no check compares."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crossbrief.analyse import figures
from crossbrief.analyse.figures import Reading
from crossbrief.model import Claim, Property
from crossbrief.model.values import Value

# Words pointing at a shipped property besides those of its id and label; a project's own properties are
# pointed at by the words of their id and label alone.
CUES = {
    "deaths": "killed killing kill kills dead died die death deaths toll lives bodies",
    "injured": "injured wounded hurt",
    "casualties": "casualties",
    "displaced": "displaced refugees",
    "age": "age aged old",
    "born": "born birth",
    "died": "died",
    "start": "began begun started broke outbreak",
    "end": "ended",
    "founded": "founded established built opened",
    "size": "strong members troops fighters",
    "destination": "to towards toward headed heading bound reach",
    "location": "in at",
    "transit": "via through",
    "origin": "from",
    "residence": "lives living resides",
}
_PREPOSITIONS = frozenset("to towards toward in at via through from".split())
_STOP = frozenset("the of and his her its per for since date day days with who what when from".split())
_WORD = re.compile(r"[a-z]+")
_BEGINS = frozenset(("start", "founded", "born"))
"""Properties dating when something began, which a duration ("the 16-month crisis") dates."""


@dataclass(frozen=True)
class Candidate:
    """A claim an uncovered sentence bears on."""

    claim: Claim
    """The claim."""
    reading: Reading
    """What the sentence states on the claim's property."""
    agrees: bool
    """Whether the two can both be true: the sentence would corroborate the claim; else a candidate conflict."""

    @property
    def only_compatible(self) -> bool:
        """Whether an agreement is only that of an open-ended figure ("at least 11" and 25): compatible, which
        is less than the same account."""
        ends = (self.reading.value, self.claim.value)
        return (
            self.agrees
            and any(v.is_span and v.kind == "number" and (v.low is None or v.high is None) for v in ends)
            and self.reading.value.text != self.claim.value.text
        )


@dataclass(frozen=True)
class Assessment:
    """What an uncovered sentence is most likely about, and what it would change."""

    dossier: str
    """The dossier it most likely is about."""
    dossiers: tuple[str, ...]
    """Every dossier it names, that one first."""
    readings: tuple[Reading, ...]
    """What it states: figures, dates, times, known places, attributions."""
    property: str
    """The property it most likely bears on; empty when no word points at one."""
    candidates: tuple[Candidate, ...]
    """The claims it conflicts with or would corroborate."""
    rank: int
    """How likely it hides a conflict: the higher, the likelier (see `_weigh`)."""
    restates: tuple[str, ...] = ()
    """The claims quoted from the same report whose value it only gives again (a headline summing up its text)."""


def used(analysis) -> dict[str, frozenset[str]]:
    """The properties some dossier of each section holds claims on, and (under "*") of any: a sentence about a
    person is not read for `deaths` if only events have deaths."""
    found: dict[str, set[str]] = {}
    for dossier in analysis.project.dossiers:
        found.setdefault(dossier.section, set()).update(c.property for c in dossier.claims)
    return {"*": frozenset().union(*found.values()), **{section: frozenset(props) for section, props in found.items()}}


def assess(analysis, sentence: str, dossiers: tuple[str, ...], readings, sources: frozenset[str], usage) -> Assessment:
    """Weigh an uncovered sentence for each dossier it names; the likeliest one is the one it is about (then
    the one a word points at a property of, then an event, which dates and counts are most often about).
    `sources`: the sources printing it, whose claims it may only restate; `usage`: `used(analysis)`."""
    words = frozenset(_WORD.findall(sentence.lower()))
    best = None
    candidates: list[Candidate] = []
    restates: set[Claim] = set()
    for dossier in dossiers:
        subject = analysis.dossiers.get(dossier)
        weighed = _weigh(analysis, subject, sentence, words, readings, dossiers, sources, usage)
        prop, found, rank, restated = weighed
        candidates += found
        restates.update(restated)
        key = (rank, bool(prop), subject is not None and subject.section == "events")
        if best is None or key > best[3]:
            best = (dossier, prop, rank, key)
    dossier, prop, rank, _ = best
    found = sorted(set(candidates), key=lambda c: (c.agrees, c.claim.ref, c.reading.start))
    prop = next((c.claim.property for c in found if c.claim.dossier == dossier), prop)
    if found:
        rank = 100 if any(not c.agrees for c in found) else 70
    elif restates:
        rank = 1  # a headline or a sentence giving again what a quote from the same report holds
    others = tuple(d for d in dossiers if d != dossier)
    return Assessment(
        dossier, (dossier, *others), readings, prop, tuple(found), rank, tuple(sorted(c.ref for c in restates))
    )


def _weigh(analysis, dossier, sentence: str, words: frozenset[str], readings, named, sources, usage) -> tuple:
    """The property a sentence most likely gives a dossier a value of, the claims it bears on, its rank, and
    the claims quoted from the same report that it restates. Ranks: 100 a conflict, 70 a corroboration, 50 a
    figure or place on a property the dossier holds claims on and a word points at, 40 a figure or date where
    it holds claims of that type, 35 to 45 a statement by an origin quoted elsewhere (more when some of its
    words are disputed), 20 another figure or date, 10 a known place, 5 an attribution alone."""
    if dossier is None:
        return "", [], 0, []
    props = analysis.project.properties
    held: dict[str, list[Claim]] = {}
    for claim in dossier.claims:
        if claim.value and claim.property in props:
            held.setdefault(claim.property, []).append(claim)
    prop_id, rank, found, restated = "", 0, [], []
    own = {n.casefold() for n in dossier.names}
    own_words = frozenset(w for n in own for w in _WORD.findall(n))
    for reading in readings:
        kind = "date" if reading.kind == figures.TIME else reading.kind
        if kind not in ("number", "date", "place") or (kind == "place" and reading.text.casefold() in own):
            continue
        typed = [p for p in props.values() if p.type == kind]
        if kind != "place":  # a count or a date of one kind of dossier is not another's (places are anyone's)
            typed = [p for p in typed if p.id in usage.get(dossier.section, ()) or p.id not in usage["*"]]
        choice = _likely(typed, reading, sentence, words, held, own_words)
        rank = max(rank, 20 if kind != "place" else 10)
        if any(props[p].type == kind for p in held):
            rank = max(rank, 40 if kind != "place" else 10)
        if choice is None:
            continue
        prop_id = prop_id or choice.id
        if choice.id in held:
            rank = max(rank, 50)
            if reading.value is None:
                continue
            same = [
                c
                for c in held[choice.id]
                if _agrees(reading, c.value) and any(x.source in sources for x in c.citations)
            ]
            restated += same
            if not same:
                compared = [
                    Candidate(c, reading, _agrees(reading, c.value)) for c in _current(analysis, dossier, choice, held)
                ]
                # a value some claim holds already is a position in a dispute the page shows: it corroborates
                found += [c for c in compared if c.agrees] or compared
    # a conflict stands only on a single-valued property, and only if nothing else in the sentence agrees there
    agreed = {c.claim.property for c in found if c.agrees}
    found = [c for c in found if c.agrees or (props[c.claim.property].single and c.claim.property not in agreed)]
    found += _entities(analysis, dossier, sentence, named, held)
    if any(r.kind == figures.ATTRIBUTION for r in readings):
        rank = max(rank, 5, *(_speaker(analysis, d) for d in named if d != dossier.id))
    return prop_id, found, rank, restated


def _likely(
    typed: list[Property], reading: Reading, sentence: str, words: frozenset[str], held, own
) -> Property | None:
    """The property of the reading's type that words of the sentence point at, those the dossier holds claims
    on first; None when no word points at any."""
    if reading.kind == figures.NUMBER and _AGE.search(reading.text):
        return next((p for p in typed if p.id == "age"), None)
    place = reading.kind == figures.PLACE
    before = sentence[: reading.start].lower().split()[-1:] if place else []
    scored = []
    for p in typed:
        cues = _cues(p)
        if place:  # a preposition points at a place's property only right before it ("to Paris")
            cues, before_cues = cues - _PREPOSITIONS, cues
        else:
            before_cues = cues
        shared = len(_quoted_words(held.get(p.id), own) & words)
        score = len(cues & words) + (2 * bool(before_cues & set(before))) + (2 if shared >= 2 else 0)
        if reading.began and (p.id in _BEGINS or p.id.endswith("-since")):
            score += 2
        if score:
            scored.append((score, p.id in held, p.id, p))
    return max(scored)[3] if scored else None


_AGE = re.compile(r"\d0'?s|ties\b", re.I)


def _quoted_words(claims: list[Claim] | None, own: frozenset[str]) -> frozenset[str]:
    """The words of the quotes a dossier's claims on a property rest on, names aside (capitalised ones, and
    the dossier's own): a sentence sharing two of them ("house arrest") is likely about that property,
    whatever its name."""
    if not claims:
        return frozenset()
    found = {w for c in claims for cit in c.citations for w in _WORD.findall(cit.quote) if len(w) > 3 and w.islower()}
    return frozenset(found - _STOP - _COMMON - own)


_COMMON = frozenset("that this with from have been were said says told their there after before about".split())


def _cues(p: Property) -> frozenset[str]:
    words = set(_WORD.findall(f"{p.id} {p.label}".lower().replace("-", " "))) - _STOP
    return frozenset(w for w in words if len(w) > 2) | frozenset(CUES.get(p.id, "").split())


def _current(analysis, dossier, prop: Property, held) -> list[Claim]:
    """The claims on a property still held: a figure its origin replaced later is history, not a position."""
    facts = analysis.facts(dossier.id, prop.id)
    return list(facts.current) if facts else held[prop.id]


_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


def _agrees(reading: Reading, claimed: Value) -> bool:
    """Whether a value read from a sentence can be true with a claim's: overlapping intervals (a claim may count
    in the sentence's thousands or millions: "20 million" and 20), or places of which one names the other
    ("Rastan" and "Rastan, Homs province")."""
    value = reading.value
    if value.is_span != claimed.is_span:
        return True
    if value.is_span:
        scale = next((n for word, n in _SCALES.items() if word in reading.text.lower()), 1)
        return value.compatible(claimed) or (scale > 1 and _scaled(value, 1 / scale).compatible(claimed))
    a, b = set(_WORD.findall(value.key)), set(_WORD.findall(claimed.key))
    return a <= b or b <= a


def _scaled(value: Value, factor: float) -> Value:
    low, high = (None if x is None else x * factor for x in (value.low, value.high))
    return Value(value.text, low, high, value.kind, value.low_open, value.high_open)


def _entities(analysis, dossier, sentence: str, named, held) -> list[Candidate]:
    """Another dossier named right after a word pointing at a single-valued relation the dossier holds ("his
    father, Mustafa Tlas"): a conflict if the claims name someone else, a corroboration if they name the same."""
    found = []
    lowered = sentence.lower()
    for prop_id, claims in held.items():
        prop = analysis.project.properties[prop_id]
        if prop.type != "entity" or not prop.single:
            continue
        after = [lowered[m.end() : m.end() + 40] for m in _WORD.finditer(lowered) if m.group() in _cues(prop)]
        for other in named:
            subject = analysis.dossiers.get(other)
            if other == dossier.id or subject is None:
                continue
            at = next((a.find(n.lower()) for a in after for n in subject.names if n.lower() in a), -1)
            if at >= 0:
                reading = Reading("entity", subject.name, 0, Value(other))
                found += [Candidate(c, reading, c.value.text == other) for c in claims]
    return found


def _speaker(analysis, dossier: str) -> int:
    """A named speaker quoted elsewhere in the briefing: 35, or 45 when one of its statements is disputed."""
    said = analysis.statements.get(dossier, ())
    if not said:
        return 0
    disputed = any(analysis.disagreement(c.dossier, c.property) for c, _ in said)
    return 45 if disputed else 35

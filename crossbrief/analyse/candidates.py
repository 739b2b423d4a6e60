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


@dataclass(frozen=True)
class Uncompared:
    """A dossier's claims on related properties that no check compares, as they sit on different properties."""

    dossier: str
    """The dossier."""
    claim: Claim
    """The claim dating when a state began (a `*-since` property)."""
    message: str
    """What was never compared."""
    hint: str
    """How to model them so that they are."""


def assess(analysis, sentence: str, dossiers: tuple[str, ...], readings, sources: frozenset[str]) -> Assessment:
    """Weigh an uncovered sentence for each dossier it names; the likeliest one is the one it is about.
    `sources`: the sources printing it, whose claims it may only restate."""
    words = frozenset(_WORD.findall(sentence.lower()))
    best = None
    candidates: list[Candidate] = []
    restates: set[Claim] = set()
    for dossier in dossiers:
        weighed = _weigh(analysis, analysis.dossiers.get(dossier), sentence, words, readings, dossiers, sources)
        prop, found, rank, restated = weighed
        candidates += found
        restates.update(restated)
        if best is None or rank > best[2]:
            best = (dossier, prop, rank)
    dossier, prop, rank = best
    found = sorted(set(candidates), key=lambda c: (c.agrees, c.claim.ref, c.reading.start))
    if found:
        rank = 100 if any(not c.agrees for c in found) else 70
    elif restates:
        rank = 1  # a headline or a sentence giving again what a quote from the same report holds
    others = tuple(d for d in dossiers if d != dossier)
    return Assessment(
        dossier, (dossier, *others), readings, prop, tuple(found), rank, tuple(sorted(c.ref for c in restates))
    )


def _weigh(analysis, dossier, sentence: str, words: frozenset[str], readings, named, sources) -> tuple:
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
    for reading in readings:
        kind = "date" if reading.kind == figures.TIME else reading.kind
        if kind not in ("number", "date", "place"):
            continue
        typed = [p for p in props.values() if p.type == kind]
        choice = _likely(typed, reading, sentence, words, held)
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
                found += [
                    Candidate(c, reading, _agrees(reading, c.value)) for c in _current(analysis, dossier, choice, held)
                ]
    found = [c for c in found if c.agrees or props[c.claim.property].single]
    found += _entities(analysis, dossier, words, named, held)
    if any(r.kind == figures.ATTRIBUTION for r in readings):
        rank = max(rank, 5, *(_speaker(analysis, d) for d in named if d != dossier.id))
    return prop_id, found, rank, restated


def _likely(typed: list[Property], reading: Reading, sentence: str, words: frozenset[str], held) -> Property | None:
    """The property of the reading's type that words of the sentence point at, those the dossier holds claims
    on first; None when no word points at any."""
    if reading.kind == figures.NUMBER and _AGE.search(reading.text):
        return next((p for p in typed if p.id == "age"), None)
    before = sentence[: reading.start].lower().split()[-1:] if reading.kind == figures.PLACE else []
    scored = []
    for p in typed:
        cues = _cues(p)
        score = len(cues & words) + (2 * bool(cues & set(before)))
        if reading.began and (p.id in _BEGINS or p.id.endswith("-since")):
            score += 2
        if score:
            scored.append((score, p.id in held, p.id, p))
    return max(scored)[3] if scored else None


_AGE = re.compile(r"\d0'?s|ties\b", re.I)


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


def _entities(analysis, dossier, words: frozenset[str], named, held) -> list[Candidate]:
    """Another dossier named where a word points at a single-valued relation the dossier holds ("his father,
    X"): a conflict if the claims name someone else, a corroboration if they name the same."""
    found = []
    for prop_id, claims in held.items():
        prop = analysis.project.properties[prop_id]
        if prop.type != "entity" or not prop.single or not (_cues(prop) & words):
            continue
        for other in named:
            if other != dossier.id and other in analysis.dossiers:
                reading = Reading("entity", analysis.dossiers[other].name, 0, Value(other))
                found += [Candidate(c, reading, c.value.text == other) for c in claims]
    return found


def _speaker(analysis, dossier: str) -> int:
    """A named speaker quoted elsewhere in the briefing: 35, or 45 when one of its statements is disputed."""
    said = analysis.statements.get(dossier, ())
    if not said:
        return 0
    disputed = any(analysis.disagreement(c.dossier, c.property) for c, _ in said)
    return 45 if disputed else 35


def uncompared(analysis) -> tuple[Uncompared, ...]:
    """Dossiers with a claim dating when a state began (a `*-since` property) beside another such state, or an
    event they took part in dated after it began: each sits on its own property, so no check compares them."""
    props = analysis.project.properties
    found = []
    for dossier in analysis.project.dossiers:
        states = [
            c
            for c in dossier.claims
            if c.value and c.value.kind == "date" and c.property in props and _is_state(props[c.property])
        ]
        for claim in states:
            label = props[claim.property].label
            beside = [
                f"'{props[o.property].label}' ({o.value.text}, {o.ref})" for o in states if o.property != claim.property
            ]
            after = [
                f"{event.name} ({when.text}, {how})"
                for event, when, how in _activities(analysis, dossier.id)
                if claim.value.low is None or (when.low is not None and when.low >= claim.value.low)
            ]
            if beside or after:
                parts = ([f"with {', '.join(beside)}"] if beside else []) + (
                    [f"with what was done after it began: {', '.join(after)}"] if after else []
                )
                message = (
                    f"{dossier.name}: '{label}' ({claim.value.text}, {claim.ref}) is never compared "
                    f"{'; nor '.join(parts)}: they sit on different properties"
                )
                found.append(Uncompared(dossier.id, claim, message, HINT))
    return tuple(sorted(found, key=lambda u: (u.dossier, u.claim.ref, u.message)))


HINT = (
    "if the two cannot both be true, put them on one property (a status with as_of, say); see the guide's Coverage page"
)


def _is_state(prop: Property) -> bool:
    return prop.type == "date" and (prop.id.endswith("-since") or " since" in f" {prop.label.lower()}")


def _activities(analysis, dossier: str):
    """The dated events a dossier is related to either way: (event, its date, the relation as it reads)."""
    for r in (*analysis.relations_out.get(dossier, ()), *analysis.relations_in.get(dossier, ())):
        other = analysis.dossiers.get(r.target if r.subject == dossier else r.subject)
        if other is not None and other.section == "events" and other.date is not None:
            yield other, other.date, r.claim.ref


def describe(u) -> tuple[str, str]:
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


def tooltip(u) -> str:
    """What a source page says of an uncovered sentence when pointed at."""
    kind = {"N402": "a candidate conflict", "N403": "would corroborate a claim"}.get(u.code, "no claim quotes it")
    return f"Not quoted ({kind}): {_gist(u.assessment)}"


def _gist(a: Assessment) -> str:
    """The dossier, likely property, and how the sentence bears on the claims, or what it states."""
    states = "; ".join(f"{r.kind} '{r.text}'" for r in a.readings)
    bears = []
    for c in a.candidates:
        value = figures.interval_text(c.reading.value) if c.reading.value else c.reading.text
        verb = "would corroborate" if c.agrees else "conflicts with"
        bears.append(f"'{c.reading.text}' ({value}) {verb} {c.claim.ref} ({c.claim.value.text})")
    head = a.dossier + (f", likely '{a.property}'" if a.property else "")
    if not bears and a.restates:
        bears.append(f"restates {', '.join(a.restates)}, quoted from the same report")
    return f"{head}: " + ("; ".join(bears) if bears else states)


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"

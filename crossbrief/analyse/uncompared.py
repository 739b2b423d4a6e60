"""Claims on related properties that no check compares, as each sits on a property of its own: when a state
began (a `*-since` property) beside another state, or beside what was done after it began (N404)."""

from __future__ import annotations

from dataclasses import dataclass

from crossbrief.model import Claim, Property


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


def uncompared(analysis) -> tuple[Uncompared, ...]:
    """Dossiers with a claim dating when a state began (a `*-since` property) beside another such state, or an
    event they took part in dated after it began: each sits on its own property, so no check compares them."""
    props = analysis.project.properties
    kinds = {p.id for p in props.values() if _is_state(p)}
    by_dossier: dict[str, list[Claim]] = {}
    for claim in analysis.claims.values() if kinds else ():  # most projects have no such property
        if claim.property in kinds and claim.value and claim.value.kind == "date":
            by_dossier.setdefault(claim.dossier, []).append(claim)
    found = []
    for dossier_id, states in by_dossier.items():
        dossier = analysis.dossiers[dossier_id]
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

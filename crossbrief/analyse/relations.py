"""Relations: claims whose value is another dossier, seen from either end."""

from __future__ import annotations

from dataclasses import dataclass

from crossbrief.model import Claim, Project, Property


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


def find_relations(project: Project) -> list[Relation]:
    """Every claim whose property is an entity and whose value names a known dossier."""
    ids = {d.id for d in project.dossiers}
    return [
        Relation(claim, project.properties[claim.property], dossier.id, claim.value.text)
        for dossier in project.dossiers
        for claim in dossier.claims
        if claim.value
        and claim.property in project.properties
        and project.properties[claim.property].type == "entity"
        and claim.value.text in ids
    ]

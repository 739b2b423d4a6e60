"""Checks: small pure functions over the analysed project, each yielding Problems."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from crossbrief.analyse import Analysis, textmatch, verdict_changes
from crossbrief.analyse.times import earlier
from crossbrief.model import PLACEHOLDERS, Claim, Markdown, Placed
from crossbrief.model.links import MAX_ID, RESERVED_IDS, closest_id, is_id, links, targets
from crossbrief.model.problems import Location, Problem


def check(analysis: Analysis, strict: bool = False) -> list[Problem]:
    """Every problem the checks find, all at once."""
    checks = [
        check_ids,
        check_reserved,
        check_claim_ids,
        check_sources,
        check_citations,
        check_as_of,
        check_values,
        check_links,
        check_verdicts,
        check_unreferenced,
        check_contradictions,
        check_short_quotes,
        check_stale_verdicts,
        check_placeholders,
    ]
    if strict:
        checks.append(check_unjudged)
    return sorted({p for c in checks for p in c(analysis)})


def _files(a: Analysis) -> Iterator[tuple[str, Location]]:
    p = a.project
    for item in (*p.sources, *p.dossiers, *p.briefings):
        yield item.id, item.location


def check_ids(a: Analysis) -> Iterator[Problem]:
    """File names follow the id rule; no id is used twice, even by case or Unicode normalisation."""
    seen: dict[str, Location] = {}
    for item_id, location in sorted(_files(a), key=lambda f: f[1].path):
        if not is_id(item_id):
            yield Problem(
                location,
                "E201",
                f"'{item_id}' is not a valid id",
                f"use lower-case letters, digits and single hyphens, at most {MAX_ID} characters",
            )
        folded = unicodedata.normalize("NFKC", item_id).casefold()
        if folded in seen:
            yield Problem(
                location,
                "E202",
                f"id '{item_id}' is already used by {seen[folded].path}",
                "ids are unique across sources, dossiers and briefings",
            )
        else:
            seen[folded] = location


def check_reserved(a: Analysis) -> Iterator[Problem]:
    """No dossier or source takes the name of a page generated beside it (links.RESERVED_IDS)."""
    for item in (*a.project.sources, *a.project.dossiers):
        if unicodedata.normalize("NFKC", item.id).casefold() in RESERVED_IDS:
            yield Problem(
                item.location,
                "E215",
                f"'{item.id}' is the name of a generated page, the list of its folder's files,"
                " which this file would replace",
                "rename the file",
            )


def check_claim_ids(a: Analysis) -> Iterator[Problem]:
    """Claim ids follow the id rule and are unique within their dossier."""
    for dossier in a.project.dossiers:
        seen: dict[str, Claim] = {}
        for claim in dossier.claims:
            if not claim.id:
                continue
            if not is_id(claim.id):
                yield Problem(claim.at("id"), "E201", f"'{claim.id}' is not a valid claim id")
            if claim.id in seen:
                yield Problem(
                    claim.at("id"),
                    "E204",
                    f"claim id '{claim.id}' is already used on line {seen[claim.id].at('id').line}",
                )
            else:
                seen[claim.id] = claim


ID_HINT = f"an id is a file name without its extension: lower-case letters, digits and single hyphens, at most {MAX_ID} characters"


def _looks_like_path(text: str) -> bool:
    """A said_by that is no description but a path or an option (`../x`, `/etc/x`, `-x`)."""
    return not any(c.isspace() for c in text) and (
        text.startswith(("/", "\\", "~", "-", "./", ".\\")) or "../" in text or "..\\" in text
    )


def _dossier_ref(a: Analysis, ref: str, item: Placed, name: str, what: str) -> Iterator[Problem]:
    """`ref`, written in `item`'s field `name`, is a dossier id (the field is placed only for a problem)."""
    if ref and not is_id(ref):
        hint = (
            "a dossier id, or a description in words (activists, a source close to the regime)"
            if what == "said_by"
            else ID_HINT
        )
        yield Problem(item.at(name), "E206", f"{what} '{ref}' is not a valid id", hint)
    elif ref and ref not in a.dossiers and not _unread(a, ref):
        yield Problem(item.at(name), "E206", f"{what} '{ref}' is not a dossier id", _did_you_mean(ref, a.dossiers))


def check_sources(a: Analysis) -> Iterator[Problem]:
    """Each source's outlet and agencies are dossiers."""
    for source in a.project.sources:
        yield from _dossier_ref(a, source.outlet, source, "outlet", "outlet")
        for agency in source.via:
            yield from _dossier_ref(a, agency, source, "via", "agency")


def check_citations(a: Analysis) -> Iterator[Problem]:
    """Citations name known sources, quote them verbatim, and name known speakers."""
    normalised = {}
    budget = textmatch.HINTS_WORK  # each hint's search is bounded, and so are all of them
    for claim in a.claims.values():
        for i, citation in enumerate(claim.citations):
            if citation.said_by and (
                (is_id(citation.said_by) and "-" in citation.said_by) or _looks_like_path(citation.said_by)
            ):
                yield from _dossier_ref(a, citation.said_by, citation, "said_by", "said_by")
            if not citation.source:
                continue
            source = a.sources.get(citation.source)
            if source is None and not is_id(citation.source):
                yield Problem(citation.at("source"), "E205", f"source '{citation.source}' is not a valid id", ID_HINT)
            elif source is None:
                if not _unread(a, citation.source):
                    yield Problem(
                        citation.at("source"),
                        "E205",
                        f"unknown source '{citation.source}'",
                        _did_you_mean(citation.source, a.sources),
                    )
            elif citation.quote.strip() and a.passage(claim, i) is None:
                if source.id not in normalised:
                    normalised[source.id] = textmatch.normalise(source.text)
                cost = textmatch.work(normalised[source.id], citation.quote)
                if cost > budget:
                    hint = f'closest passage not searched, as the run has many misquotes: crossbrief quote {source.id} "..."'
                else:
                    budget -= cost
                    ratio, passage = textmatch.closest(normalised[source.id], citation.quote)
                    hint = f'closest passage ({ratio:.0%}): "{passage}"' if passage else ""
                yield Problem(citation.at("quote"), "E203", f"quote not found in source {source.id}", hint)


def check_as_of(a: Analysis) -> Iterator[Problem]:
    """No figure is dated after the article reporting it was published: such an `as_of` would make it
    supersede every figure of its origin, unseen (figures in time)."""
    for claim in a.claims.values():
        for citation in claim.citations:
            source = a.sources.get(citation.source)
            if citation.as_of and source and source.published and earlier(source.published, citation.as_of):
                yield Problem(
                    citation.at("as_of"),
                    "E217",
                    f"'as_of' {citation.as_of} is after source {source.id} was published ({source.published})",
                    "a figure cannot be given after the article that reports it: date it when it was given",
                )


def check_values(a: Analysis) -> Iterator[Problem]:
    """Entity values name dossiers."""
    for claim in a.claims.values():
        prop = a.project.properties.get(claim.property)
        if prop and prop.type == "entity" and claim.value and not is_id(claim.value.text):
            yield Problem(
                claim.at("value"),
                "E208",
                f"'{claim.value.text}' is not a valid id, but '{prop.id}' takes a dossier id",
                ID_HINT,
            )
        elif (
            prop
            and prop.type == "entity"
            and claim.value
            and claim.value.text not in a.dossiers
            and not _unread(a, claim.value.text)
        ):
            yield Problem(
                claim.at("value"),
                "E208",
                f"'{claim.value.text}' is not a dossier id, but '{prop.id}' takes one",
                _did_you_mean(claim.value.text, a.dossiers),
            )


def markdown_fields(a: Analysis) -> Iterator[Markdown]:
    """Every Markdown field of the project."""
    for briefing in a.project.briefings:
        yield from filter(None, (briefing.summary, *briefing.key_points))
    for dossier in a.project.dossiers:
        yield from filter(None, (dossier.summary, *(v.note for v in dossier.verdicts)))
        for claim in dossier.claims:
            yield from filter(None, (claim.text, claim.note))


def check_links(a: Analysis) -> Iterator[Problem]:
    """Every [[...]] names a dossier, a source or a claim."""
    for md in markdown_fields(a):
        for link in links(md):
            if not all(is_id(part) for part in link.target.split("#", 1)):
                yield Problem(
                    link.location,
                    "E209",
                    f"link target '[[{link.target}]]' is not a valid id",
                    "[[id]] names a dossier or source, [[dossier-id#claim-id]] a claim; " + ID_HINT,
                )
            elif (
                link.target not in a.dossiers
                and link.target not in a.sources
                and link.target not in a.claims
                and not _unread(a, link.target)
            ):
                known = a.claims if "#" in link.target else {**a.dossiers, **a.sources}
                yield Problem(
                    link.location,
                    "E209",
                    f"link to unknown target '[[{link.target}]]'",
                    _did_you_mean(link.target, known),
                )


def check_verdicts(a: Analysis) -> Iterator[Problem]:
    """Verdicts name a property with a disagreement, and prefer one of its claims."""
    for dossier in a.project.dossiers:
        for verdict in dossier.verdicts:
            if not verdict.property:
                continue
            if verdict.property not in a.project.properties:
                yield Problem(verdict.at("property"), "E207", f"unknown property '{verdict.property}'")
                continue
            if a.disagreement(dossier.id, verdict.property) is None:
                yield Problem(
                    verdict.location,
                    "W301",
                    f"verdict on '{verdict.property}', which has no disagreement",
                    "remove the verdict, or check the claims' values",
                )
            on_property = {c.id for c in dossier.claims if c.property == verdict.property}
            if verdict.preferred and verdict.preferred not in on_property:
                yield Problem(
                    verdict.at("preferred"),
                    "E210",
                    f"preferred claim '{verdict.preferred}' is not a claim on '{verdict.property}'",
                    _did_you_mean(verdict.preferred, on_property),
                )


def check_unreferenced(a: Analysis) -> Iterator[Problem]:
    """Every dossier is cited, linked, related to or mentioned somewhere (which cannot be told while a file that
    may cite it could not be read)."""
    if a.project.unread:
        return
    used: set[str] = set(a.mentions) | set(a.relations_in) | set(a.relations_out)
    for source in a.project.sources:
        used.update((source.outlet, *source.via))
    used.update(c.said_by for claim in a.claims.values() for c in claim.citations)
    for md in markdown_fields(a):
        used.update(target.split("#")[0] for target in targets(md))
    for dossier in a.project.dossiers:
        if dossier.id not in used:
            yield Problem(
                dossier.location,
                "W302",
                f"nothing cites, links or mentions '{dossier.id}'",
                "add its spelling in the sources as an alias, or link it from a related dossier",
            )


def check_unjudged(a: Analysis) -> Iterator[Problem]:
    """Under --strict: every disagreement has the editors' verdict."""
    for d in a.disagreements:
        if d.verdict is None:
            values = ", ".join(p.text for p in d.positions)
            yield Problem(
                d.positions[0].claims[0].location,
                "W303",
                f"open disagreement on '{d.property.id}' ({values}) has no verdict",
                f"add to disagreements: {{property: {d.property.id}, status: ..., note: ...}}",
            )


def _unread(a: Analysis, ref: str) -> bool:
    """Whether `ref` (an id, or `dossier#claim`) names a file that exists but could not be read."""
    return ref.split("#", 1)[0] in a.project.unread


def _did_you_mean(word: str, known) -> str:
    close = closest_id(word, known)
    return f"did you mean '{close}'?" if close else ""


def check_contradictions(a: Analysis) -> Iterator[Problem]:
    """No origin still holds two incompatible values on a property that no date orders, unless the editors'
    verdict on the property was confirmed for those claims as they read (`covers`)."""
    for (dossier_id, prop), facts in a.in_time.items():
        dis = a.disagreement(dossier_id, prop)
        covers = set(dis.verdict.covers or ()) if dis and dis.verdict else set()
        for c in facts.contradictions:
            first, second = c.statements
            if all((s.claim.id, " ".join(s.claim.value.text.split())) in covers for s in c.statements):
                continue
            when = (
                f"at the same time ({first.when})"
                if c.simultaneous
                else f"and no date orders them ({first.when or 'undated'}, {second.when or 'undated'})"
            )
            yield Problem(
                second.claim.at("value"),
                "W310",
                f"{_origin_name(a, c.origin)} gives both '{first.claim.value.text}' ({first.claim.id}) and "
                f"'{second.claim.value.text}' ({second.claim.id}) for '{c.property.id}' {when}",
                "a self-contradiction, a misquote or an undated change of account: check both quotes; to record "
                f"that both were said, write the editors' verdict (disagreements: {{property: {c.property.id}, "
                f"status: explained, note: ...}}), then run: crossbrief confirm {dossier_id} {c.property.id}",
                subject=f"{dossier_id}:{c.property.id}:{c.origin}",
            )


def _origin_name(a: Analysis, origin: str) -> str:
    """An origin as it reads: a dossier's name, or the description as written."""
    return a.dossiers[origin].name if origin in a.dossiers else origin


MIN_QUOTE_WORDS = 3
"""A quote of fewer words cannot show what it is evidence of: "Paris" or "four dead" may be anyone's."""


def check_short_quotes(a: Analysis) -> Iterator[Problem]:
    """Every quote has at least MIN_QUOTE_WORDS words."""
    for claim in a.claims.values():
        for citation in claim.citations:
            words = len(citation.quote.split())
            if 0 < words < MIN_QUOTE_WORDS:
                yield Problem(
                    citation.at("quote"),
                    "W311",
                    f"quote of {words} word{'s' if words > 1 else ''} is too short to carry the claim",
                    f"quote at least {MIN_QUOTE_WORDS} words: the passage that says it, with who says it",
                )


def check_stale_verdicts(a: Analysis) -> Iterator[Problem]:
    """A verdict that says which claims it was written for (`covers`) still has those claims, with those values."""
    for dossier in a.project.dossiers:
        for verdict in dossier.verdicts:
            changes = verdict_changes(dossier, verdict)
            if changes and verdict.property in a.project.properties:
                yield Problem(
                    verdict.at("covers"),
                    "W312",
                    f"verdict on '{verdict.property}' was written for other claims: {'; '.join(map(str, changes))}",
                    f"read the positions again, then re-confirm it: crossbrief confirm {dossier.id} {verdict.property}",
                )


def check_placeholders(a: Analysis) -> Iterator[Problem]:
    """A briefing's summary and key points are the editors' own, not what `crossbrief init` wrote to be replaced."""
    for briefing in a.project.briefings:
        for field in filter(None, (briefing.summary, *briefing.key_points)):
            if field.text.strip() in PLACEHOLDERS:
                yield Problem(
                    field.start,
                    "W321",
                    f"placeholder text from crossbrief init: '{field.text.strip()}'",
                    "write the briefing's own summary and key points; the PDF leaves the placeholder out",
                )

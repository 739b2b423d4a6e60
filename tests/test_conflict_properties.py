"""Properties of the model of conflicts (issue 41), on projects drawn at random the way real reporting is
written: outlets and an agency with a report of its own, papers carrying its copy, a person who works for
an organisation, origins described in words (spelt two ways), statements on one day or at times of day.

- every claim is in a position on the disagreements page, or superseded by a strictly later statement of
  its own origin, or uncontested;
- every self-contradiction is on the disagreements page;
- adding a reprint of an existing statement changes no conflict;
- the order of files (and of claims in a file) changes nothing."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossbrief.analyse import find_disagreements
from crossbrief.analyse.origin import Attribution, merged_origins, origin_key
from crossbrief.analyse.relations import find_relations
from crossbrief.analyse.times import earlier
from crossbrief.model import Citation, Claim, Dossier, Project, Property, Source
from crossbrief.model.problems import Location
from crossbrief.model.values import number_value, string

PROPERTIES = {
    "deaths": Property("deaths", "Deaths", "number", True, ""),
    "destination": Property("destination", "Destination", "place", True, ""),
    "works-for": Property("works-for", "Works for", "entity", False, "Staff", same_origin=True),
}
OUTLETS = ("daily-post", "evening-star", "river-times")
AGENCY = "wire"
SPEAKERS = ("", "", "police", "jon-barr", "fire brigade", "Fire Brigade", "a neighbour")
"""said_by values: none (the outlet or agency), an organisation, a person working for it, a description."""
DAYS = ("2026-05-08", "2026-05-08 09:00", "2026-05-08 18:00", "2026-05-09", "2026-05-10 12:00")
NUMBERS = ((1, 1), (2, 2), (4, 4), (6, 6), (20, 99), (100, None), (3, 5), (4, 6), (50, 150))
"""Figures, and ranges overlapping some of them but not all (4–6 holds 4 and 6, which 3–5 does not)."""
PLACES = ("Paris", "paris", "Turkey", "Unknown")
HERE = Location("x.yaml", 1, 1)


def _source(sid: str, outlet: str, published: str, via: tuple[str, ...], text: str) -> Source:
    return Source(sid, sid, False, outlet, published, (), "", via, text, HERE, 1, "")


def _dossier(did: str, section: str, claims: tuple[Claim, ...] = ()) -> Dossier:
    return Dossier(did, section, did, (), "", None, None, claims, (), HERE, "")


def _value(prop: str, i: int):
    if prop == "deaths":
        low, high = NUMBERS[i % len(NUMBERS)]
        return number_value(low, high)
    return string(PLACES[i % len(PLACES)])


citation_st = st.tuples(
    st.integers(0, 5),  # which source
    st.sampled_from(SPEAKERS),
    st.sampled_from(("", "", "", *DAYS)),  # as_of
)
claim_st = st.tuples(
    st.sampled_from(("deaths", "destination")), st.integers(0, 20), st.lists(citation_st, min_size=1, max_size=3)
)
source_st = st.tuples(st.sampled_from((*OUTLETS, AGENCY)), st.sampled_from(DAYS), st.booleans())
project_st = st.tuples(st.lists(source_st, min_size=6, max_size=6), st.lists(claim_st, min_size=1, max_size=8))


def build(drawn) -> Project:
    """A project from what was drawn: sources s0..s5 (a paper may carry the wire's copy), claims on one event."""
    sources_drawn, claims_drawn = drawn
    quotes: dict[int, list[str]] = {i: [] for i in range(6)}
    claims = []
    for n, (prop, v, cites) in enumerate(claims_drawn):
        citations = []
        for k, (si, said_by, as_of) in enumerate(cites):
            quote = f"quote {n} {k} of the report"
            quotes[si].append(quote)
            citations.append(Citation(f"s{si}", quote, said_by, HERE, "", as_of))
        claims.append(Claim(f"c{n}", "fire", prop, _value(prop, v), None, tuple(citations), None, HERE, ""))
    sources = tuple(
        _source(f"s{i}", outlet, day, (AGENCY,) if carries and outlet != AGENCY else (), " ".join(quotes[i]))
        for i, (outlet, day, carries) in enumerate(sources_drawn)
    )
    works = Claim(
        "works", "jon-barr", "works-for", string("police"), None, (Citation("s0", "q", "", HERE, ""),), None, HERE, ""
    )
    dossiers = (
        _dossier("fire", "events", tuple(claims)),
        _dossier("jon-barr", "people", (works,)),
        _dossier("police", "organisations"),
        *(_dossier(o, "organisations") for o in (*OUTLETS, AGENCY)),
    )
    return Project("/nowhere", sources, dossiers, (), PROPERTIES, len(sources) + len(dossiers))


def model(project: Project):
    """The disagreements and the claims in time, as analyse() finds them."""
    merged = merged_origins(project, find_relations(project))
    claims = [c for d in project.dossiers for c in d.claims]
    attribution = Attribution.of({s.id: s for s in project.sources}, merged, claims)
    found, in_time = find_disagreements(project, attribution)
    return found, in_time, attribution


def conflicts(project: Project) -> tuple:
    """The conflicts as a reader sees them, whatever the claims' ids and order: each disagreement's positions
    (values, independent origins, origins holding two) and the origins contradicting themselves."""
    found, in_time, _ = model(project)
    out = []
    for d in found:
        positions = frozenset(
            (
                frozenset(v.key if not v.is_span else (v.low, v.high) for v in p.values),
                frozenset(map(origin_key, p.origins)),
                frozenset(map(origin_key, p.split)),
            )
            for p in d.positions
        )
        facts = in_time.get((d.dossier.id, d.property.id))
        selves = frozenset(origin_key(c.origin) for c in facts.contradictions) if facts else frozenset()
        out.append((d.dossier.id, d.property.id, positions, selves))
    return tuple(sorted(out, key=lambda t: (t[0], t[1])))


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(project_st)
def test_every_claim_is_in_a_position_or_superseded_by_its_own_origin_or_uncontested(drawn):
    project = build(drawn)
    found, in_time, attribution = model(project)
    fire = project.dossiers[0]
    for claim in fire.claims:
        dis = next((d for d in found if d.property.id == claim.property), None)
        facts = in_time.get(("fire", claim.property))
        in_position = dis is not None and any(claim in p.claims for p in dis.positions)
        if facts is not None and claim in facts.superseded:
            # every statement of it has a strictly later one of its own origin, of an incompatible value
            others = [
                (attribution.origin(c), attribution.when(c), x)
                for x in fire.claims
                for c in x.citations
                if x.property == claim.property
            ]
            for c in claim.citations:
                mine, when = origin_key(attribution.origin(c)), attribution.when(c)
                assert any(
                    origin_key(o) == mine and earlier(when, w) and not claim.value.compatible(x.value)
                    for o, w, x in others
                ), (claim, c)
            assert not in_position
        elif dis is not None:
            assert in_position, claim
        # else: uncontested, no disagreement on its property
    for facts in in_time.values():
        for c in facts.contradictions:
            dis = next(d for d in found if d.property.id == c.property.id)
            for s in c.statements:
                assert any(s.claim in p.claims for p in dis.positions)
                assert origin_key(c.origin) in {origin_key(o) for p in dis.positions for o in p.split}


@SETTINGS
@given(project_st, st.integers(0, 100), st.sampled_from(OUTLETS), st.booleans())
def test_adding_a_reprint_of_a_statement_changes_no_conflict(drawn, pick, outlet, as_new_claim):
    project = build(drawn)
    fire = project.dossiers[0]
    sources = {s.id: s for s in project.sources}
    # a statement from the wire's own report, reprinted by a paper the day after the last report
    own = [
        (claim, c)
        for claim in fire.claims
        for c in claim.citations
        if sources[c.source].outlet == AGENCY and not sources[c.source].via and not c.as_of
    ]
    if not own:
        return
    claim, cited = own[pick % len(own)]
    reprint = _source("s-reprint", outlet, "2026-05-11", (AGENCY,), f"A paper's lead. {cited.quote}. More.")
    copy = Citation("s-reprint", cited.quote, cited.said_by, HERE, "")
    if as_new_claim:
        extra = (Claim("c-reprint", "fire", claim.property, claim.value, None, (copy,), None, HERE, ""),)
        claims = fire.claims + extra
    else:
        claims = tuple(replace(c, citations=(*c.citations, copy)) if c is claim else c for c in fire.claims)
    after = replace(
        project,
        sources=(*project.sources, reprint),
        dossiers=(replace(fire, claims=claims), *project.dossiers[1:]),
    )
    assert conflicts(after) == conflicts(project)


@SETTINGS
@given(project_st, st.randoms(use_true_random=False))
def test_the_order_of_files_changes_nothing(drawn, random):
    project = build(drawn)
    expected = conflicts(project)
    for order in (random.sample, lambda items, n: list(reversed(items))):
        sources = order(list(project.sources), len(project.sources))
        dossiers = [replace(d, claims=tuple(order(list(d.claims), len(d.claims)))) for d in project.dossiers]
        shuffled = replace(project, sources=tuple(sources), dossiers=tuple(order(dossiers, len(dossiers))))
        assert conflicts(shuffled) == expected

"""Unit tests of the analysis: disagreements, origins and corroboration, mentions, cross-references."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossbrief.analyse import analyse
from crossbrief.load import load
from crossbrief.model.values import date_point, date_range, number_value, string
from crossbrief.site.fragments import resolve

TEXT = "Jo Bloggs, 46, left for Paris. Officials said Mr Bloggs flew via Ankara. Bloggsy is a nickname."


def make(tmp_path: Path, claims: str = "", sources: dict[str, str] | None = None, extra: dict[str, str] | None = None):
    """A project with one person whose claims are `claims` (YAML list items), and the given sources."""
    files = {
        "briefings/people/jo.yaml": f"name: Jo Bloggs\naliases: [Mr Bloggs]\nclaims:\n{claims}"
        if claims
        else "name: Jo Bloggs\naliases: [Mr Bloggs]\n",
        "briefings/organisations/wire.yaml": "name: Wire\n",
        "briefings/organisations/afp.yaml": "name: AFP\n",
        "briefings/organisations/paper.yaml": "name: Paper\n",
        **(extra or {}),
    }
    for sid, header in (
        sources or {"s1": "outlet: wire", "s2": "outlet: paper", "s3": "outlet: paper\nvia: [afp]"}
    ).items():
        files[f"sources/{sid}.md"] = f"---\ntitle: {sid}\n{header}\npublished: 2020-01-01\n---\n{TEXT}\n"
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    project, problems = load(tmp_path)
    assert [p for p in problems if p.severity == "error"] == []
    return analyse(project)


def claim(cid: str, prop: str, value: str, source: str = "s1", quote: str = "left for Paris", said_by: str = "") -> str:
    said = f", said_by: '{said_by}'" if said_by else ""
    return (
        f"  - {{id: {cid}, property: {prop}, value: {value}, sources: [{{source: {source}, quote: {quote}{said}}}]}}\n"
    )


# --- values -----------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, compatible",
    [
        (string("Paris"), string("  paris "), True),
        (string("Paris"), string("Turkey"), False),
        (number_value(47, 49), number_value(44, 46), False),  # late 40s against mid-40s
        (number_value(None, 16000), number_value(15800, 15800), True),  # up to 16,000 against 15,800
        (number_value(11, None), number_value(10, 10), False),  # at least 11 against 10
        (number_value(46, 46), number_value(44, 46), True),
        (date_point("2012-07"), date_point("2012-07-06"), True),  # a month covers its days
        (date_point("2012"), date_point("2013-01-01"), False),
        (date_point("2012-02"), date_point("2012-03-01"), False),
        (date_range("2012-05", None), date_point("2012-07-06"), True),
        (date_range(None, "2012-05"), date_point("2012-07-06"), False),
    ],
)
def test_compatibility(a, b, compatible):
    assert a.compatible(b) is compatible
    assert b.compatible(a) is compatible


def test_date_precision_and_leap_years():
    assert date_point("2012-02").high - date_point("2012-02").low == 28  # 29 days in February 2012
    assert date_point("2012-02-30") is None
    assert date_range("2012-07", "2012-05") is None


# --- disagreements ----------------------------------------------------------


def test_string_values_disagree_case_insensitively(tmp_path):
    a = make(
        tmp_path,
        claim("d1", "destination", "Paris")
        + claim("d2", "destination", "PARIS", "s2")
        + claim("d3", "destination", "Turkey", "s3"),
    )
    [d] = a.disagreements
    assert d.property.id == "destination" and d.status == "open"
    assert [(p.value.text, [c.id for c in p.claims]) for p in d.positions] == [
        ("Paris", ["d1", "d2"]),
        ("Turkey", ["d3"]),
    ]


def test_overlapping_number_ranges_do_not_disagree(tmp_path):
    a = make(tmp_path, claim("a1", "age", "{min: 44, max: 46}") + claim("a2", "age", "46", "s2"))
    assert a.disagreements == ()


def test_number_ranges_that_do_not_overlap_disagree(tmp_path):
    a = make(tmp_path, claim("a1", "age", "{min: 47, max: 49}") + claim("a2", "age", "{min: 44, max: 46}", "s2"))
    [d] = a.disagreements
    assert [p.value.text for p in d.positions] == ["44–46", "47–49"]


def test_date_precision_in_disagreements(tmp_path):
    a = make(
        tmp_path,
        claim("b1", "born", "1966-07") + claim("b2", "born", "1966-07-14", "s2") + claim("b3", "born", "1967", "s3"),
    )
    [d] = a.disagreements
    # July 1966 holds the 14th: one account; 1967 another
    assert [p.text for p in d.positions] == ["1966-07; 1966-07-14", "1967"]


def test_multi_valued_properties_never_disagree(tmp_path):
    a = make(tmp_path, claim("r1", "role", "general") + claim("r2", "role", "defector", "s2"))
    assert a.disagreements == ()


def test_a_verdict_gives_the_status(tmp_path):
    verdict = "disagreements:\n  - {property: destination, status: settled, preferred: d1, note: Paris.}\n"
    files = {
        "briefings/people/jo.yaml": "name: Jo Bloggs\nclaims:\n"
        + claim("d1", "destination", "Paris")
        + claim("d2", "destination", "Turkey", "s2")
        + verdict
    }
    a = make(tmp_path, extra=files)
    [d] = a.disagreements
    assert (d.status, d.verdict.preferred) == ("settled", "d1")


# --- origins and corroboration ----------------------------------------------


def test_origin_is_said_by_then_agencies_then_outlet(tmp_path):
    a = make(
        tmp_path,
        claim("c1", "destination", "Paris", "s1")
        + claim("c2", "destination", "Paris", "s3")
        + claim("c3", "destination", "Paris", "s2", said_by="Activists"),
    )
    claims = {c.id: c for c in a.dossiers["jo"].claims}
    assert a.origins(claims["c1"].citations[0]) == ("wire",)
    assert a.origins(claims["c2"].citations[0]) == ("afp",)
    assert a.origins(claims["c3"].citations[0]) == ("Activists",)


def test_corroboration_counts_distinct_origins_not_articles(tmp_path):
    # s2 and s3 are both from the paper, but s3 carries AFP copy; two more citations say "activists"
    a = make(
        tmp_path,
        claim("c1", "destination", "Paris", "s2")
        + claim("c2", "destination", "Paris", "s3")
        + claim("c3", "destination", "Paris", "s1", said_by="activists")
        + claim("c4", "destination", "Paris", "s2", said_by="  Activists "),
    )
    assert a.corroboration(a.dossiers["jo"].claims) == ("activists", "afp", "paper")


# --- mentions ---------------------------------------------------------------


def test_mentions_find_names_and_aliases_with_their_sentence(tmp_path):
    a = make(tmp_path)
    mentions = a.mentions["jo"]
    assert [(m.source, m.name) for m in mentions] == [
        ("s1", "Jo Bloggs"),
        ("s1", "Mr Bloggs"),
        ("s2", "Jo Bloggs"),
        ("s2", "Mr Bloggs"),
        ("s3", "Jo Bloggs"),
        ("s3", "Mr Bloggs"),
    ]
    assert mentions[1].sentence == "Officials said Mr Bloggs flew via Ankara."
    # whole words only: "Bloggsy" is not a mention of an alias "Bloggs"


def test_mentions_match_whole_words_only(tmp_path):
    a = make(tmp_path, extra={"briefings/people/jo.yaml": "name: Bloggs\n"})
    assert {m.name for m in a.mentions["jo"]} == {"Bloggs"}
    assert len(a.mentions["jo"]) == 6  # "Jo Bloggs" and "Mr Bloggs" in three sources; never "Bloggsy"


def test_mentions_take_the_longest_name_at_a_word_and_never_overlap(tmp_path):
    # "Mr Bloggs" (an alias of jo) starts at the same word as "Mr" (a dossier of its own), and
    # "Bloggs" (bloggs-co) is inside both names of jo: each place in the text is one mention, the longest.
    a = make(
        tmp_path,
        extra={
            "briefings/people/mr.yaml": "name: Mr\n",
            "briefings/organisations/bloggs-co.yaml": "name: Bloggs\naliases: [Bloggs, flew via Ankara]\n",
        },
    )
    assert [m.name for m in a.mentions["jo"]] == ["Jo Bloggs", "Mr Bloggs"] * 3
    assert "mr" not in a.mentions
    assert [m.name for m in a.mentions["bloggs-co"]] == ["flew via Ankara"] * 3
    assert a.mentions["bloggs-co"][0].sentence == "Officials said Mr Bloggs flew via Ankara."


# --- cross-references -------------------------------------------------------


def test_links_resolve_to_dossiers_sources_and_claims(tmp_path):
    a = make(tmp_path, claim("d1", "destination", "Paris"))
    assert resolve(a, "jo") == ("Jo Bloggs", "people/jo.md", "")
    assert resolve(a, "s1") == ("s1", "sources/s1.md", "")
    assert resolve(a, "jo#d1") == ("Paris", "people/jo.md", "claim-d1")
    assert resolve(a, "jo#nope") is None and resolve(a, "nobody") is None


def test_relations_are_seen_from_both_ends(tmp_path):
    a = make(tmp_path, claim("m1", "works-for", "wire"))
    [out] = a.relations_out["jo"]
    [inc] = a.relations_in["wire"]
    assert out is inc
    assert (inc.property.label, inc.property.inverse, inc.subject) == ("Works for", "Staff", "jo")

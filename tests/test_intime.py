"""Who said what, and when: figures that move in time, self-contradictions, speakers counted with their
organisation, statements on a speaker's page, short quotes. The gas plant fixture: a police toll of 4, 6,
8 and 9 over three days (the command, its spokesman, its commissioner), the president's "tens" (two
outlets) and "more than 100" (a third) on one day, the hospital's 62."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from pypdf import PdfReader

from crossbrief.analyse import analyse
from crossbrief.load import load

EVENT = "briefings/events/dravik-explosion.yaml"


def analysed(root: Path):
    project, problems = load(root)
    assert not problems
    return analyse(project)


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_rising_toll_from_one_origin_is_no_disagreement(project):
    a = analysed(project("gasplant"))
    assert a.disagreement("dravik-explosion", "injured") is None
    facts = a.facts("dravik-explosion", "injured")
    assert [c.id for c in facts.superseded] == ["injured-10"]
    assert [(s.when, s.claim.value.text) for s in facts.histories[0].steps] == [
        ("2026-03-01 08:30", "10"),
        ("2026-03-02", "25"),
    ]


def test_origins_are_compared_by_their_latest_figure(project):
    a = analysed(project("gasplant"))
    dis = a.disagreement("dravik-explosion", "deaths")
    # the hospital's 62 is within the president's "tens": one account; her "more than 100" another, and
    # as she holds both at once she counts as independent support for neither
    assert [(p.text, p.origins, p.split) for p in dis.positions] == [
        ("9", ("dravik-police",), ()),
        ("20–99; 62", ("dravik-hospital",), ("elena-varga",)),
        ("more than 100", (), ("elena-varga",)),
    ]
    history = dis.facts.histories[0]
    assert history.origin == "dravik-police"
    assert [s.claim.value.text for s in history.steps] == ["4", "6", "8", "9"]


def test_the_pages_show_the_history_and_the_self_contradiction(project, cli):
    root = project("gasplant")
    assert cli("generate", root).status == 0
    for page in ("disagreements.md", "events/dravik-explosion.md"):
        shown = text_of((root / "docs" / page).read_text())
        assert (
            "Figures that changed (the latest counts): Dravik regional police command : 4 ( 1 March 2026, 08:30 ) → "
            "6 ( 1 March 2026, 19:00 ) → 8 ( 2 March 2026 ) → 9 ( 3 March 2026, 12:15 ) ; Marta Kell counted with it (works for); "
            "Piotr Anders counted with it (spokesperson of)"
        ) in shown, page
        assert (
            "Self-contradiction: Elena Varga is reported giving 20–99 and more than 100 at the same time ( 2 March 2026 ): "
            "a self-contradiction or a misquote."
        ) in shown, page
    event = text_of((root / "docs/events/dravik-explosion.md").read_text())
    assert "Deaths 4 (earlier) 6 (earlier) 8 (earlier) 9 20–99 more than 100 62 contested (explained)" in event
    assert event.count("earlier figure") == 4  # deaths 4, 6, 8 and injured 10
    assert "Injured 10 (earlier) 25 Figures that changed" in event


def test_a_later_as_of_makes_a_figure_the_latest(project):
    root = project("gasplant")
    edit(root / EVENT, "said_by: marta-kell", "said_by: marta-kell\n        as_of: 2026-03-04")  # the 8, given last
    dis = analysed(root).disagreement("dravik-explosion", "deaths")
    assert [p.text for p in dis.positions] == ["8", "20–99; 62", "more than 100"]
    assert [s.when for s in dis.facts.histories[0].steps] == [
        "2026-03-01 08:30",
        "2026-03-01 19:00",
        "2026-03-03 12:15",
        "2026-03-04",
    ]


def test_a_self_contradiction_is_flagged_at_the_later_claim(project, cli):
    root = project("gasplant")
    run = cli("check", root)
    assert "W310" not in run.err  # the verdict was confirmed for both claims as they read: acknowledged
    text = (root / EVENT).read_text()
    (root / EVENT).write_text(text[: text.index("disagreements:")])
    run = cli("check", root)
    assert run.status == 0
    assert (
        "briefings/events/dravik-explosion.yaml:49:12: warning[W310]: Elena Varga gives both '20–99' (deaths-tens) "
        "and 'more than 100' (deaths-over-100) for 'deaths' at the same time (2026-03-02)"
    ) in run.err
    assert cli("check", "--strict", root).status == 1


def test_figures_at_different_times_of_one_day_are_no_contradiction(project, cli):
    root = project("gasplant")
    edit(
        root / EVENT,
        "said_by: elena-varga\n  - id: deaths-over-100",
        "said_by: elena-varga\n        as_of: 2026-03-02 09:00\n  - id: deaths-over-100",
    )
    edit(
        root / EVENT,
        "said that tens of people had died\n        said_by: elena-varga",
        "said that tens of people had died\n        said_by: elena-varga\n        as_of: 2026-03-02 09:00",
    )
    edit(
        root / EVENT,
        "quote: more than 100 people had died at the Dravik gas plant\n        said_by: elena-varga",
        "quote: more than 100 people had died at the Dravik gas plant\n        said_by: elena-varga\n        as_of: 2026-03-02 18:00",
    )
    a = analysed(root)
    assert a.facts("dravik-explosion", "deaths").contradictions == ()
    assert "W310" not in cli("check", root).err


def test_a_spokesman_counts_once_with_his_organisation(project, cli):
    root = project("gasplant")
    a = analysed(root)
    six = a.claims["dravik-explosion#deaths-police-6"]
    assert a.corroboration((six,)) == ("dravik-police",)
    assert [r.subject for r in a.merged_into(tuple(a.dossiers["dravik-explosion"].claims))] == [
        "marta-kell",
        "piotr-anders",
    ]
    assert cli("generate", root).status == 0
    page = (root / "docs/events/dravik-explosion.md").read_text()
    assert (
        'title="independent origins: Dravik regional police command; Piotr Anders counted with Dravik regional police command (spokesperson of)"'
        in page
    )


def test_which_relations_merge_origins_is_declared_in_the_registry(project):
    root = project("gasplant")
    (root / "briefings/properties.yaml").write_text("spokesperson-of: {same_origin: false}\n")
    a = analysed(root)
    assert "piotr-anders" not in a.merged
    assert a.corroboration((a.claims["dravik-explosion#deaths-police-6"],)) == ("piotr-anders",)
    # no longer one origin with the police, the spokesman's 6 is a position of its own
    assert "6" in [p.value.text for p in a.disagreement("dravik-explosion", "deaths").positions]


def test_the_merged_origins_are_said_on_the_disagreements_page(project, cli):
    root = project("gasplant")
    edit(root / "sources/courier-2026-03-03.md", "published: 2026-03-03 12:15", "published: 2026-03-01 12:15")
    # the command's 9 now comes before its spokesman's 6 and commissioner's 8: the 8 is its latest figure
    assert cli("generate", root).status == 0
    shown = text_of((root / "docs/disagreements.md").read_text())
    assert (
        "8 1 independent origin : Dravik regional police command Counted as one origin: Marta Kell with Dravik regional police command ( works for )"
        in shown
    )


def test_a_speaker_has_a_statements_section(project, cli):
    root = project("gasplant")
    assert cli("generate", root).status == 0
    page = text_of((root / "docs/people/elena-varga.md").read_text())
    assert (
        "Statements {#statements} more than 100 people had died at the Dravik gas plant — Varga: Dravik toll 'more than 100' "
        "Metro Daily , 2 March 2026 on Dravik gas plant explosion: Deaths: more than 100 "
        "said that tens of people had died — President visits Dravik as toll climbs Dravik Herald , 2 March 2026"
    ) in page
    assert "## Statements" not in (root / "docs/organisations/metro-daily.md").read_text()


def test_statements_and_history_are_in_the_pdf_and_the_export(project, cli, tmp_path):
    root = project("gasplant")
    assert cli("pdf", "-o", tmp_path / "b.pdf", root).status == 0
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(tmp_path / "b.pdf").pages).split())
    assert (
        "“has risen to six, police spokesman Piotr Anders told reporters” — Valley Courier, 1 March 2026, 19:00" in text
    )
    assert "4 (1 March 2026, 08:30) → 6 (1 March 2026, 19:00) → 8 (2 March 2026) → 9 (3 March 2026, 12:15)" in text
    assert "Self-contradiction: Elena Varga is reported giving 20–99 and more than 100" in text
    run = cli("export", root)
    data = json.loads(run.out)
    varga = next(d for d in data["dossiers"] if d["id"] == "elena-varga")
    assert [(s["claim"], s["when"]) for s in varga["statements"]] == [
        ("dravik-explosion#deaths-over-100", "2026-03-02"),
        ("dravik-explosion#deaths-tens", "2026-03-02"),
        ("dravik-explosion#deaths-tens", "2026-03-02"),
    ]
    kell = next(d for d in data["dossiers"] if d["id"] == "marta-kell")
    assert kell["counted_with"] == {
        "organisation": "dravik-police",
        "property": "works-for",
        "claim": "marta-kell#heads-police",
    }
    deaths = next(f for f in data["in_time"] if f["property"] == "deaths")
    assert deaths["superseded"] == [f"dravik-explosion#deaths-police-{n}" for n in (4, 6, 8)]
    assert deaths["contradictions"] == [
        {
            "origin": "elena-varga",
            "when": "2026-03-02",
            "claims": ["dravik-explosion#deaths-tens", "dravik-explosion#deaths-over-100"],
        }
    ]


def test_speakers_names_reach_the_new_pieces_as_text(project, cli):
    root = project("gasplant")
    edit(root / "briefings/people/piotr-anders.yaml", "name: Piotr Anders", "name: '<script>alert(1)</script>'")
    edit(
        root / "briefings/organisations/dravik-police.yaml",
        "name: Dravik regional police command",
        'name: "<b onmouseover=x>Police</b>"',
    )
    assert cli("generate", root).status == 0
    for page in ("events/dravik-explosion.md", "disagreements.md", "people/piotr-anders.md"):
        text = (root / "docs" / page).read_text()
        assert "<script>" not in text and "<b onmouseover" not in text, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</a> counted with it" in (root / "docs/disagreements.md").read_text()


def test_the_seed_keeps_its_disagreements_and_checks_clean(cli):
    from conftest import REPO

    a = analysed(REPO)
    assert [(d.dossier.id, d.property.id) for d in a.disagreements] == [
        ("hillary-clinton", "accused-of-obstruction"),
        ("manaf-tlass", "age"),
        ("manaf-tlass", "confined-since"),
        ("manaf-tlass", "destination"),
        ("manaf-tlass", "duty-status"),
        ("manaf-tlass", "family-location"),
        ("manaf-tlass", "sidelined-since"),
        ("manaf-tlass-defection", "significance"),
        ("manaf-tlass-defection", "standing"),
        ("syria-violence-2012-07-05", "deaths"),
    ]
    assert cli("check", "--strict", REPO).status == 0


STALE = (
    "briefings/events/dravik-explosion.yaml:95:13: warning[W312]: verdict on 'deaths' was written for other claims: "
    "deaths-hospital added (62); deaths-police-9 added (9)"
)


def correct_the_hospital(root: Path) -> None:
    """The hospital's 62 corrected to 64, in the article and the claim."""
    edit(root / EVENT, "value: 62", "value: 64")
    edit(root / EVENT, "bodies of 62 people", "bodies of 64 people")
    edit(root / "sources/courier-2026-03-03.md", "bodies of 62 people", "bodies of 64 people")


def test_a_verdict_written_for_other_claims_is_stale_until_confirmed(project, cli):
    root = project("gasplant")
    run = cli("check", root)
    assert STALE in run.err
    assert "hint: read the positions again, then re-confirm it: crossbrief confirm dravik-explosion deaths" in run.err
    assert cli("generate", root).status == 0
    shown = text_of((root / "docs/disagreements.md").read_text())
    assert (
        "Verdict to re-confirm: it was written for other claims (a claim of 62 added; a claim of 9 added)."
    ) in shown
    run = cli("confirm", "dravik-explosion", "deaths", "-C", root)
    assert run.status == 0, run.err
    assert "W312" not in cli("check", root).err
    correct_the_hospital(root)  # a value changed after the confirmation
    assert (
        "warning[W312]: verdict on 'deaths' was written for other claims: deaths-hospital 62 -> 64"
        in cli("check", root).err
    )


def test_a_verdict_without_covers_is_not_followed(project, cli):
    root = project("gasplant")
    text = (root / EVENT).read_text()
    (root / EVENT).write_text(text[: text.index("    covers:")])
    assert "W312" not in cli("check", root).err


def test_confirm_keeps_the_file_canonical_and_refuses_what_it_cannot_do(project, cli):
    root = project("gasplant")
    assert cli("confirm", "dravik-explosion", "deaths", "-C", root).status == 0
    assert "dravik-explosion" not in cli("fmt", "--check", root).out
    run = cli("confirm", "dravik-explosion", "injured", "-C", root)
    assert (run.status, run.err) == (
        1,
        "crossbrief confirm: briefings/events/dravik-explosion.yaml has no verdict on 'injured': "
        "write one under disagreements: first\n",
    )
    assert (
        cli("confirm", "nobody", "deaths", "-C", root).err == "crossbrief confirm: no dossier 'nobody' in briefings/\n"
    )


def test_diff_shows_a_verdict_going_stale_and_its_confirmation(project, cli, tmp_path):
    from gitutil import GitProject

    g = GitProject(tmp_path / "repo")
    fixture = project("gasplant")
    g.write({p.relative_to(fixture).as_posix(): p.read_text() for p in fixture.rglob("*") if p.is_file()})
    assert cli("confirm", "dravik-explosion", "deaths", "-C", g.root).status == 0
    g.commit("The verdict, confirmed")
    correct_the_hospital(g.root)
    run = cli("diff", "-C", g.root)
    assert "E203" not in run.out
    assert (
        "  + briefings/events/dravik-explosion.yaml:96:7: warning[W312]: verdict on 'deaths' was written for other claims: "
        "deaths-hospital 62 -> 64"
    ) in run.out
    g.commit("The hospital's count corrected")
    assert cli("confirm", "dravik-explosion", "deaths", "-C", g.root).status == 0
    run = cli("diff", "-C", g.root)
    assert "    covers: " in run.out and "deaths-hospital: 62; " in run.out and "deaths-hospital: 64; " in run.out
    assert "  - briefings/events/dravik-explosion.yaml:96:7: warning[W312]" in run.out


def test_open_ended_and_approximate_values_are_shown_as_written(project, cli):
    root = project("gasplant")
    a = analysed(root)
    assert a.claims["dravik-explosion#deaths-over-100"].value.text == "more than 100"
    assert a.claims["dravik-explosion#start-villagers"].value.text == "about 2026-03-01 04:00"
    # around 4 am overlaps the police's 04:10: no disagreement
    assert a.disagreement("dravik-explosion", "start") is None
    assert cli("generate", root).status == 0
    event = text_of((root / "docs/events/dravik-explosion.md").read_text())
    assert "Started 1 March 2026, 04:10 about 1 March 2026, 04:00" in event  # as a reader writes them
    data = json.loads(cli("export", root).out)
    claims = {c["id"]: c for d in data["dossiers"] if d["id"] == "dravik-explosion" for c in d["claims"]}
    assert claims["deaths-over-100"]["value"] == {
        "text": "more than 100",
        "interval": [100.0, None],
        "excluded": [True, False],
    }
    assert claims["start-police"]["value"] == {
        "text": "2026-03-01 04:10",
        "interval": ["2026-03-01T04:10", "2026-03-01T04:10"],
    }
    assert claims["start-villagers"]["value"]["interval"] == ["2026-03-01T03:00", "2026-03-01T05:00"]


def values_of(root: Path, *written: str) -> list:
    """The values loaded from claims on `deaths` (a number) and `start` (a date), as written."""
    person = "name: X\nclaims:\n" + "".join(
        f"  - {{id: c{i}, property: {prop}, value: {value}, sources: [{{source: s, quote: q q q}}]}}\n"
        for i, (prop, value) in enumerate(written)
    )
    path = root / "briefings/events/x.yaml"
    path.write_text("date: 2026\n" + person)
    project, problems = load(root)
    x = next(d for d in project.dossiers if d.id == "x")
    return [c.value for c in x.claims], [p for p in problems if p.location.path.endswith("x.yaml")]


def test_an_excluded_end_does_not_overlap(project):
    (more, hundred, about, sixty, fewer), problems = values_of(
        project("gasplant"),
        ("deaths", "{more_than: 100}"),
        ("deaths", "100"),
        ("deaths", "{about: 60}"),
        ("deaths", "55"),
        ("deaths", "{less_than: 16000, more_than: 10}"),
    )
    assert not problems
    assert not more.compatible(hundred)
    assert more.compatible(about) is False and about.compatible(sixty)
    assert fewer.text == "more than 10 and less than 16,000"
    assert (about.low, about.high) == (54, 66)


def test_a_day_overlaps_the_times_of_day_in_it(project):
    (day, noon, about_noon, evening, next_day), problems = values_of(
        project("gasplant"),
        ("start", "2026-03-01"),
        ("start", "2026-03-01 12:00"),
        ("start", "{about: 2026-03-01 12:30}"),
        ("start", "2026-03-01 23:59"),
        ("start", "2026-03-02 00:00"),
    )
    assert not problems
    assert day.compatible(noon) and day.compatible(evening) and noon.compatible(about_noon)
    assert not evening.compatible(next_day) and not day.compatible(next_day) and not noon.compatible(evening)


def test_malformed_open_and_approximate_values_are_located_errors(project, cli):
    root = project("gasplant")
    _, problems = values_of(
        root,
        ("deaths", "{more_than: 100, min: 5}"),
        ("deaths", "{about: 60, max: 70}"),
        ("deaths", "{more_than: 10, less_than: 10}"),
        ("start", "2026-03-01 25:00"),
        ("start", "{about: 2026-03-01, to: 2026-03-05}"),
    )
    assert [(p.code, p.location.line) for p in problems] == [
        ("E208", n) for n in range(4, 9)
    ]  # one a claim, from line 4


def test_a_figure_also_given_by_an_origin_in_words_is_not_superseded(project):
    root = project("gasplant")
    edit(
        root / EVENT,
        "        quote: said four people had been killed\n        said_by: dravik-police\n",
        "        quote: said four people had been killed\n        said_by: dravik-police\n"
        "      - source: herald-2026-03-01\n        quote: said four people had been killed\n        said_by: a rescuer\n",
    )
    dis = analysed(root).disagreement("dravik-explosion", "deaths")
    assert [p.text for p in dis.positions] == ["4", "9", "20–99; 62", "more than 100"]
    # the police have since given 9: only the rescuer still holds 4
    assert dis.positions[0].origins == ("a rescuer",)

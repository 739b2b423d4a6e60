"""A conflict never vanishes (issue 41): self-contradictions on the disagreements page, the PDF, the counts
and the export; no order invented between statements of one day; a reprint is not a new statement;
supersession per origin; described origins followed in time; agency copy counted once; one origin in two
positions; verdicts acknowledging a self-contradiction; what the pages show.

The walkout fixture is written as the reports were: a wire's own report and a paper reprinting it a day
later (`via`), a union and its leader (`works-for`) giving different turnouts on one day, a police
spokeswoman (`spokesperson-of`) and a paper on the injured, the fire brigade (a described origin, spelt
two ways) updating its toll, a mayor's "tens" and "at least 100" in one briefing, repeated the next day,
and start times that all overlap but one."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from pypdf import PdfReader

from crossbrief.analyse import analyse
from crossbrief.load import load

FIRE = "briefings/events/kessel-fire.yaml"
WALKOUT = "briefings/events/kessel-walkout.yaml"


def analysed(root: Path):
    project, problems = load(root)
    assert not [p for p in problems if p.code.startswith("E")], problems
    return analyse(project)


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def shown(root: Path, page: str) -> str:
    return text_of((root / "docs" / page).read_text("utf-8"))


# --- 1. a self-contradiction is a conflict like any other ---------------------------------------------


def test_a_self_contradiction_is_on_the_disagreements_page_the_pdf_the_counts_and_the_export(project, cli, tmp_path):
    root = project("walkout")
    a = analysed(root)
    dis = a.disagreement("kessel-walkout", "participants")
    assert dis is not None and dis.self_contradiction
    assert [(p.text, p.origins, p.split) for p in dis.positions] == [
        ("300", (), ("harbour-union",)),
        ("1,200", (), ("harbour-union",)),
    ]
    assert cli("generate", root).status == 0
    page = shown(root, "disagreements.md")
    assert "Kessel docks walkout · 2 positions · self-contradiction" in page
    assert (
        "Self-contradiction: Harbour Workers' Union is reported giving 1,200 and 300 at the same time ( 8 May 2026 )"
        in page
    )
    home = shown(root, "index.md")
    assert "4 disagreements" in home
    assert "Kessel docks walkout: Participants (self-contradiction) — 300 / 1,200" in home
    data = json.loads(cli("export", root).out)
    assert [(d["dossier"], d["property"], d["self_contradiction"]) for d in data["disagreements"]] == [
        ("kessel-fire", "casualties", True),
        ("kessel-fire", "injured", False),
        ("kessel-fire", "start", False),
        ("kessel-walkout", "participants", True),
    ]
    participants = data["disagreements"][-1]
    assert [(p["corroboration"], p["split"]) for p in participants["positions"]] == [
        (0, ["harbour-union"]),
        (0, ["harbour-union"]),
    ]
    assert cli("pdf", "-o", tmp_path / "b.pdf", root).status == 0
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "b.pdf").pages).split())
    assert "Kessel docks walkout: Participants" in pdf
    assert "self-contradiction" in pdf
    assert "Harbour Workers' Union is reported giving 1,200 and 300 at the same time" in pdf


def test_a_repeat_the_next_day_does_not_make_a_same_day_contradiction_a_revision(project, cli):
    root = project("walkout")
    a = analysed(root)
    dis = a.disagreement("kessel-fire", "casualties")
    assert dis is not None and [p.text for p in dis.positions] == ["20–99", "at least 100"]
    facts = a.facts("kessel-fire", "casualties")
    assert facts.superseded == () and facts.histories == ()
    assert cli("generate", root).status == 0
    event = shown(root, "events/kessel-fire.md")
    assert "Casualties 20–99 at least 100 contested (open)" in event  # facts at a glance: a value a line
    assert "earlier" not in event.split("Casualties", 1)[1].split("Deaths", 1)[0]


# --- 2. no order invented between statements of one day -----------------------------------------------


def test_values_of_one_day_without_times_are_simultaneous(project, cli):
    root = project("walkout")
    # the mayor's 20–99 and at least 100 are of one day: no history orders them, by value or otherwise
    assert analysed(root).facts("kessel-fire", "casualties").histories == ()
    # a later, new figure is a revision of both; the two of one day are shown side by side
    edit(
        root / "sources/star-2026-05-11.md",
        "bringing the toll",
        "Mayor Koh now said 10 people were casualties, bringing the toll",
    )
    (root / FIRE).write_text(
        (root / FIRE).read_text() + "  - id: casualties-10\n    property: casualties\n    value: 10\n    sources:\n"
        "      - source: star-2026-05-11\n        quote: Mayor Koh now said 10 people were casualties\n"
        "        said_by: ines-koh\n"
    )
    a = analysed(root)
    [history] = a.facts("kessel-fire", "casualties").histories
    assert [[s.claim.value.text for s in stage] for stage in history.stages] == [
        ["20–99", "at least 100"],
        ["20–99"],
        ["10"],
    ]
    assert cli("generate", root).status == 0
    page = shown(root, "events/kessel-fire.md")
    assert "Ines Koh : 20–99 / at least 100 ( 8 May 2026 ) → 20–99 ( 9 May 2026 ) → 10 ( 11 May 2026 )" in page
    assert "20–99 ( 8 May 2026 ) → at least 100 ( 8 May 2026 )" not in page


# --- 3. a reprint is not a new statement ----------------------------------------------------------------


def test_a_reprint_is_dated_by_the_agencys_own_report(project):
    root = project("walkout")
    a = analysed(root)
    barr = a.claims["kessel-walkout#participants-barr"]
    # cited from the paper of the 9th, the sentence is the wire's of the 8th
    assert a.when(barr.citations[0]) == "2026-05-08"
    facts = a.facts("kessel-walkout", "participants")
    assert facts.superseded == ()
    assert [c.origin for c in facts.contradictions] == ["harbour-union"]


def test_a_reprint_published_before_the_agencys_report_here_keeps_its_own_date(project):
    root = project("walkout")
    edit(root / "sources/rivertimes-2026-05-09.md", "published: 2026-05-09", "published: 2026-05-07")
    a = analysed(root)
    # the wire's report in the project is a later version of the copy the paper carried on the 7th
    assert a.when(a.claims["kessel-walkout#participants-barr"].citations[0]) == "2026-05-07"


def test_without_the_agencys_report_the_reprint_is_dated_by_its_paper(project):
    root = project("walkout")
    edit(root / "sources/wire-2026-05-08.md", "told reporters at the gates that 300", "told reporters that 300")
    a = analysed(root)
    barr = a.claims["kessel-walkout#participants-barr"]
    assert a.when(barr.citations[0]) == "2026-05-09"
    # now a later figure of the union's: its 1,200 is replaced, shown as a history
    assert a.disagreement("kessel-walkout", "participants") is None
    assert [c.id for c in a.facts("kessel-walkout", "participants").superseded] == ["participants-union"]


def test_agency_copy_the_agencys_report_does_not_hold_is_never_revised_by_it(project):
    """Copy counted with a wire only because the paper carries the wire's copy (the wire's own report does
    not hold the sentence) may be the paper's own reporting: the wire's later figure does not make it an
    earlier figure of the wire's, and the conflict stays on the page, the wire counted for neither side."""
    root = project("walkout")
    (root / "sources/rivertimes-2026-05-08.md").write_text(
        "---\ntitle: Dock strike at Kessel\noutlet: river-times\npublished: 2026-05-08\nvia: [northern-wire]\n---\n"
        "About 2,000 dockers stopped work at Kessel on Friday, the River Times counted at the gates.\n",
        "utf-8",
    )
    (root / "sources/wire-2026-05-10.md").write_text(
        "---\ntitle: Kessel walkout tallied\noutlet: northern-wire\npublished: 2026-05-10\n---\n"
        "The Kessel docks walkout drew 500 workers on its first day, by the wire's count.\n",
        "utf-8",
    )
    edit(
        root / WALKOUT,
        "claims:\n",
        "claims:\n"
        "  - id: participants-gates\n    property: participants\n    value: 2000\n    sources:\n"
        "      - source: rivertimes-2026-05-08\n        quote: About 2,000 dockers stopped work at Kessel\n"
        "  - id: participants-tally\n    property: participants\n    value: 500\n    sources:\n"
        "      - source: wire-2026-05-10\n        quote: drew 500 workers on its first day\n",
    )
    a = analysed(root)
    facts = a.facts("kessel-walkout", "participants")
    assert facts.superseded == ()
    dis = a.disagreement("kessel-walkout", "participants")
    shown = {p.text: (p.origins, p.split) for p in dis.positions}
    assert shown["2,000"] == ((), ("northern-wire",))
    assert shown["500"] == ((), ("northern-wire",))


# --- 4. supersession is per origin ----------------------------------------------------------------------


def test_an_origin_backs_only_its_latest_figure(project, cli):
    root = project("walkout")
    a = analysed(root)
    dis = a.disagreement("kessel-fire", "injured")
    # the Post said 4, then 6; the police's spokeswoman said 4 and still holds it
    assert [(p.text, p.origins) for p in dis.positions] == [("4", ("city-police",)), ("6", ("daily-post",))]
    facts = a.facts("kessel-fire", "injured")
    assert facts is not None and [h.origin for h in facts.histories] == ["daily-post"]
    assert facts.superseded == ()  # the police still hold 4
    assert cli("generate", root).status == 0
    page = shown(root, "disagreements.md")
    assert "Daily Post : 4 ( 8 May 2026 ) → 6 ( 9 May 2026 )" in page
    assert "1 independent origin : Kessel city police" in page


# --- 5. described origins are followed in time ----------------------------------------------------------


def test_a_described_origin_is_one_origin_in_time_too(project, cli):
    root = project("walkout")
    a = analysed(root)
    # "fire brigade" and "Fire Brigade": one origin, which raised its toll
    assert a.disagreement("kessel-fire", "deaths") is None
    facts = a.facts("kessel-fire", "deaths")
    assert [c.id for c in facts.superseded] == ["deaths-1"]
    assert [(h.origin, [s.claim.value.text for s in h.steps]) for h in facts.histories] == [
        ("fire brigade", ["1", "2"])
    ]
    # other words are another origin: the editors' way of saying two groups
    edit(root / FIRE, "said_by: Fire Brigade", "said_by: the port's own fire crew")
    assert analysed(root).disagreement("kessel-fire", "deaths") is not None


# --- 9. a merged speaker is named under their own organisation's history -------------------------------


def test_a_merged_speaker_is_named_under_their_organisation_only(project, cli):
    root = project("walkout")
    assert cli("generate", root).status == 0
    page = shown(root, "disagreements.md")
    history = page.split("Figures that changed (the latest counts):", 1)[1].split("4 1 independent origin", 1)[0]
    assert history.strip() == "Daily Post : 4 ( 8 May 2026 ) → 6 ( 9 May 2026 )"
    assert "Ann Lee counted with it" not in page
    assert "Counted as one origin: Ann Lee with Kessel city police ( spokesperson of )" in page


# --- 6. an article carrying agency copy counts once, with the agency ----------------------------------


def test_agency_copy_counts_once_with_the_agencys_own_report(project, cli):
    from conftest import REPO, rendered

    a = analysed(REPO)
    blow = a.claims["manaf-tlass-defection#could-be-seen-as-blow"]
    highest = a.claims["manaf-tlass-defection#highest-level"]
    father = a.claims["manaf-tlass#father-mustafa"]
    # DW's article carries dpa, AFP and Reuters copy: one origin, counted with AFP, whose own report is here
    assert a.corroboration((blow,)) == ("afp",)
    assert a.corroboration((highest,)) == ("afp",)  # AFP's words and DW's two: one origin
    assert a.corroboration((father,)) == ("afp", "bbc-news", "itv-news")  # four articles, three origins
    [carried] = a.carriers((blow,))
    assert (carried.source, carried.agency, carried.own) == ("dw-2012-07-05", "afp", True)
    pages = rendered(a)
    event = text_of(pages["events/manaf-tlass-defection.md"])
    assert "independent origins: AFP; DW (dw-2012-07-05) counted with AFP: carries its copy" in html.unescape(
        pages["events/manaf-tlass-defection.md"]
    )
    assert "2 independent origins" in event
    standing = text_of(pages["disagreements.md"]).split("Defection of Manaf Tlass: Standing", 1)[1]
    assert (
        "The highest-ranking military officer to abandon the regime preferred 1 independent origin : AFP "
        "Counted as one origin: DW with AFP (carries its copy)"
    ) in standing
    # the wire in the walkout fixture: the River Times' reprint counts with it
    w = analysed(project("walkout"))
    assert w.corroboration((w.claims["kessel-walkout#participants-barr"],)) == ("harbour-union",)
    assert w.origins(
        w.sources["rivertimes-2026-05-09"] and w.claims["kessel-walkout#participants-barr"].citations[0]
    ) == ("harbour-union",)


def test_an_article_carrying_copy_of_agencies_without_a_report_here_counts_once(tmp_path):
    from conftest import FIXTURES

    a = analysed(FIXTURES / "full")
    courier = a.sources["courier-2021-03-05"]
    assert courier.via and not any(s.outlet in courier.via and not s.via for s in a.sources.values())
    carried = a.attribution.carried(courier)
    assert (carried.agency, carried.own) == (courier.via[0], False)


# --- 7. one origin in two positions ------------------------------------------------------------------


def test_one_origin_in_two_undated_positions_is_flagged_and_counted_for_neither(cli):
    from conftest import REPO, rendered

    a = analysed(REPO)
    dis = a.disagreement("manaf-tlass", "destination")
    by_value = {p.text: p for p in dis.positions}
    # Fabius (counted with France) said Paris, and later, the same day, that he did not know
    assert "france" in by_value["Paris"].split and "france" not in by_value["Paris"].origins
    assert by_value["Unknown"].origins == () and by_value["Unknown"].split == ("france",)
    [france] = [c for c in a.facts("manaf-tlass", "destination").contradictions if c.origin == "france"]
    assert not france.simultaneous or france.statements[0].when == france.statements[1].when
    page = text_of(rendered(a)["disagreements.md"])
    assert "Not counted as independent: France also holds another position, and no date orders the two." in page
    # the editors' verdict, confirmed for these claims, acknowledges it: --strict passes
    assert cli("check", "--strict", REPO).status == 0


# --- 8. a verdict acknowledges a self-contradiction ------------------------------------------------------


def test_a_confirmed_verdict_acknowledges_a_self_contradiction(project, cli):
    root = project("walkout")
    run = cli("check", "--strict", root)
    assert run.status == 1 and "W310" in run.err and "W303" in run.err
    assert "crossbrief confirm kessel-walkout participants" in run.err
    assert "as_of" not in run.err  # the articles give no time: none is asked for
    verdict = (
        "disagreements:\n  - property: participants\n    status: explained\n"
        "    note: The union counts its members out; its leader, the workers at the gates.\n"
    )
    (root / WALKOUT).write_text((root / WALKOUT).read_text() + verdict)
    run = cli("check", root)
    assert "participants-barr) for 'participants' at the same time" in run.err  # not yet confirmed
    assert cli("confirm", "kessel-walkout", "participants", "-C", root).status == 0
    run = cli("check", root)
    assert "kessel-walkout" not in run.err
    # a value changed since: the verdict is stale, and the self-contradiction is no longer acknowledged
    edit(root / WALKOUT, "value: 300", "value: 350")
    edit(root / "sources/rivertimes-2026-05-09.md", "that 300 workers", "that 350 workers")
    edit(root / WALKOUT, "that 300 workers", "that 350 workers")
    run = cli("check", root)
    assert (
        "warning[W312]: verdict on 'participants' was written for other claims: participants-barr 300 -> 350" in run.err
    )
    assert "W310" in run.err


# --- 10. statements on a speaker's and an organisation's page ------------------------------------------


def test_statements_give_when_they_were_made_and_include_the_merged_speakers(project, cli):
    root = project("walkout")
    edit(
        root / WALKOUT,
        "quote: said 1,200 of its members had joined the walkout\n        said_by: harbour-union",
        "quote: said 1,200 of its members had joined the walkout\n        said_by: harbour-union\n        as_of: 2026-05-07",
    )
    assert cli("generate", root).status == 0
    union = shown(root, "organisations/harbour-union.md")
    statements = union.split("Statements", 1)[1]
    # the union's own statement, as of the 7th; its leader's, dated by the wire that first carried it
    assert (
        "said 1,200 of its members had joined the walkout — Dockers walk out at Kessel Northern Wire , 7 May 2026"
        in statements
    )
    assert (
        "Jon Barr : told reporters at the gates that 300 workers had walked out — Kessel dock strike enters second day "
        "River Times , 8 May 2026"
    ) in statements
    data = json.loads(cli("export", root).out)
    union = next(d for d in data["dossiers"] if d["id"] == "harbour-union")
    assert [(s["claim"], s["when"]) for s in union["statements"]] == [
        ("kessel-walkout#participants-union", "2026-05-07"),
        ("kessel-walkout#participants-barr", "2026-05-08"),
    ]


# --- 11. compatible values are one position --------------------------------------------------------------


def test_values_that_all_overlap_are_one_position(project, cli):
    root = project("walkout")
    dis = analysed(root).disagreement("kessel-fire", "start")
    assert [p.text for p in dis.positions] == [
        "2026-05-07",
        "2026-05-08; about 2026-05-08 11:00; about 2026-05-08 12:00",
    ]
    assert dis.positions[1].origins == ("a neighbour", "a warehouse worker", "daily-post")
    assert cli("generate", root).status == 0
    page = shown(root, "disagreements.md")
    assert "Kessel warehouse fire · 2 positions" in page


# --- 13. the home page and the timeline ------------------------------------------------------------------


def test_the_home_page_names_and_counts_and_the_timeline_says_settled(project, cli):
    root = project("walkout")
    (root / "briefings/properties.yaml").write_text(
        (root / "briefings/properties.yaml").read_text()
        + "called-by: {label: Called by, type: entity, inverse: Called, single: true}\n"
    )
    edit(
        root / WALKOUT,
        "claims:\n",
        "claims:\n  - id: called-by-union\n    property: called-by\n    value: harbour-union\n    sources:\n"
        "      - source: wire-2026-05-08\n        quote: 1,200 of its members had joined the walkout\n"
        "  - id: called-by-barr\n    property: called-by\n    value: jon-barr\n    sources:\n"
        "      - source: post-2026-05-09\n        quote: The number of people injured in Friday's warehouse fire\n",
    )
    (root / "briefings/events/kessel-fire.yaml").write_text(
        (root / FIRE).read_text()
        + "disagreements:\n  - property: start\n    status: settled\n    preferred: start-friday\n"
        "    note: Friday, by every account from the site.\n"
    )
    assert cli("generate", root).status == 0
    home = shown(root, "index.md")
    assert "Kessel docks walkout: Called by — Harbour Workers' Union / Jon Barr" in home
    assert "2 events" in home and "3 people" in home and "1 event " not in home
    walkout = shown(root, "events/kessel-walkout.md").split("Disagreements {#disagreements}", 1)[1]
    assert "Called by : Harbour Workers' Union / Jon Barr" in walkout
    timeline = shown(root, "timeline.md")
    assert "Kessel warehouse fire: Started settled" in timeline
    assert "Kessel warehouse fire: Started contested" not in timeline


# --- 12. the review diff ---------------------------------------------------------------------------------


def test_diff_shows_a_changed_self_contradiction_once_and_a_position_gaining_an_origin(project, cli, tmp_path):
    from gitutil import GitProject

    g = GitProject(tmp_path / "repo")
    fixture = project("walkout")
    g.write({p.relative_to(fixture).as_posix(): p.read_text() for p in fixture.rglob("*") if p.is_file()})
    g.commit("The walkout and the fire")
    # the leader's turnout corrected to 350 (a W310 whose values changed), and the Evening Star now
    # also reports the 6 injured (a position going from 1 to 2 origins)
    for path in ("sources/wire-2026-05-08.md", "sources/rivertimes-2026-05-09.md", WALKOUT):
        edit(g.root / path, "that 300 workers", "that 350 workers")
    edit(g.root / WALKOUT, "value: 300", "value: 350")
    edit(
        g.root / "sources/star-2026-05-09.md",
        "destroyed the warehouse.",
        "destroyed the warehouse. Six people were injured, the Star understands.",
    )
    edit(
        g.root / FIRE,
        "        quote: has risen to six, the Daily Post can confirm\n",
        "        quote: has risen to six, the Daily Post can confirm\n"
        "      - source: star-2026-05-09\n        quote: Six people were injured, the Star understands\n",
    )
    run = cli("diff", "-C", g.root)
    assert run.status == 0, run.err
    assert run.out.count("W310") == 1, run.out
    assert "~ briefings/events/kessel-walkout.yaml:17:12: warning[W310]" in run.out
    assert "problems: 1 changed" in run.out
    assert "kessel-fire:injured" in run.out
    assert "origins: 4: city-police / 6: daily-post -> 4: city-police / 6: daily-post, evening-star" in run.out

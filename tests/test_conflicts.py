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
        "Self-contradiction: Harbour Workers' Union is reported giving 1,200 and 300 at the same time (2026-05-08)"
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
    assert "Casualties 20–99 ; at least 100 contested (open)" in event
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
    assert "Ines Koh : 20–99 / at least 100 (2026-05-08) → 20–99 (2026-05-09) → 10 (2026-05-11)" in page
    assert "20–99 (2026-05-08) → at least 100 (2026-05-08)" not in page


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


def test_without_the_agencys_report_the_reprint_is_dated_by_its_paper(project):
    root = project("walkout")
    edit(root / "sources/wire-2026-05-08.md", "told reporters at the gates that 300", "told reporters that 300")
    a = analysed(root)
    barr = a.claims["kessel-walkout#participants-barr"]
    assert a.when(barr.citations[0]) == "2026-05-09"
    # now a later figure of the union's: its 1,200 is replaced, shown as a history
    assert a.disagreement("kessel-walkout", "participants") is None
    assert [c.id for c in a.facts("kessel-walkout", "participants").superseded] == ["participants-union"]


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
    assert "Daily Post : 4 (2026-05-08) → 6 (2026-05-09)" in page
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
    assert "Daily Post : 4 (2026-05-08) → 6 (2026-05-09) Kessel city police" not in page
    assert "Ann Lee counted with it" not in page
    assert "Counted as one origin: Ann Lee with Kessel city police ( spokesperson of )" in page

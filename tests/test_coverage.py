"""`crossbrief coverage`: what the sources say that no claim quotes, on reports written the way agencies and
papers write them (a dateline, a byline, a caption's credit, an agency's sentence carried by a paper)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, REPO

from crossbrief.authoring import schema
from crossbrief.model.problems import NOTES


@pytest.fixture
def newsroom(tmp_path) -> Path:
    root = tmp_path / "coverage"
    shutil.copytree(FIXTURES / "coverage", root)
    return root


def notes(out: str) -> list[str]:
    return [line for line in out.splitlines() if re.match(r"\S+:\d+:\d+: note\[N4\d\d\]", line)]


def test_candidate_conflicts_come_first_naming_the_claim(cli, newsroom):
    run = cli("coverage", "-C", newsroom)
    assert run.status == 0 and run.err == ""
    listed = notes(run.out)
    assert listed[0].startswith("sources/gazette-2024-05-14.md:2:8: note[N402]: headline uncovered: karvik-flood")
    assert listed[1] == (
        "sources/gazette-2024-05-14.md:14:1: note[N402]: sentence uncovered: karvik-flood, likely 'deaths': "
        "'at least 30' (at least 30) conflicts with karvik-flood#deaths-police (12): \"Karvik hospital said at "
        'least 30 bodies had been brought in since Monday, more than twice the police toll of the flood."'
    )
    # a date read from the sentence, against the dam's claimed year
    assert listed[2].startswith("sources/post-2024-05-15.md:8:81: note[N402]: sentence uncovered: karvik-dam, ")
    assert "'1961' (1961-01-01 – 1961-12-31) conflicts with karvik-dam#founded-1958 (1958)" in listed[2]
    order = {"N402": 0, "N403": 1, "N401": 2, "N404": 3}
    codes = [order[line.split("note[")[1][:4]] for line in listed]
    assert codes == sorted(codes)


def test_a_sentence_agreeing_with_a_claim_would_corroborate_it(cli, newsroom):
    listed = notes(cli("coverage", "-C", newsroom).out)
    agreeing = [line for line in listed if "[N403]" in line]
    assert agreeing == [
        "sources/post-2024-05-15.md:6:1: note[N403]: sentence uncovered: karvik-flood, likely 'deaths': 'Twelve' (12) "
        "would corroborate karvik-flood#deaths-police (12); 'Monday' (2024-05-13) would corroborate "
        'karvik-flood#started-monday (2024-05-13): "Twelve people were killed in the Karvik flood, which began on '
        'Monday, according to the police."'
    ]


def test_boilerplate_quoted_sentences_and_reprints_are_not_listed(cli, newsroom):
    out = cli("coverage", "-C", newsroom).out
    # the byline, "Advertisement", the caption's credit and the follow line are not sentences of the report
    for boilerplate in ("By Anna Berg", "Advertisement", "Per Holm", "Follow Anna Berg"):
        assert boilerplate not in out
    # the dateline is left out of the sentence it starts, and its date is not read as the report's
    assert "KARVIK, May 14" not in out
    # quoted in part: the figure outside the quote is not listed ("40 people were missing" is in a quoted sentence)
    assert "40 people" not in out and "Monday night" not in out
    # the agency's sentence carried word for word by the paper is listed once, at the agency's report
    reprinted = [line for line in notes(out) if "300 homes" in line]
    assert len(reprinted) == 1 and reprinted[0].startswith("sources/nordwire-2024-05-14.md:10:1: note[N401]")
    assert "also printed in gazette-2024-05-14" in out


def test_a_quote_of_a_reprint_covers_every_copy(cli, newsroom):
    dossier = newsroom / "briefings" / "events" / "karvik-flood.yaml"
    dossier.write_text(
        dossier.read_text() + "  - id: homes\n    property: description\n    value: 300 homes destroyed\n    sources:\n"
        "      - source: gazette-2024-05-14\n        quote: The flood destroyed 300 homes\n"
    )
    out = cli("coverage", "-C", newsroom).out
    assert "300 homes" not in out


def test_a_headline_restating_its_own_quoted_text_ranks_last(cli, newsroom):
    listed = notes(cli("coverage", "-C", newsroom).out)
    assert listed[-1].startswith("sources/nordwire-2024-05-14.md:2:8: note[N401]: headline uncovered: ")
    # the paper's headline gives another toll than the police's, not a restatement
    gazette = [line for line in listed if "Karvik flood toll at least 30" in line]
    assert gazette and "conflicts with karvik-flood#deaths-police (12)" in gazette[0]


def test_one_source_and_its_share(cli, newsroom):
    run = cli("coverage", "sources/post-2024-05-15.md", "-C", newsroom)
    assert run.status == 0
    assert {line.split(":")[0] for line in notes(run.out)} == {"sources/post-2024-05-15.md"}
    assert run.out.splitlines()[-1].startswith(
        "3 uncovered sentences in post-2024-05-15 (1 candidate conflict, 1 would corroborate); 1 of 4 "
    )
    assert "N404" not in run.out
    by_id = cli("coverage", "post-2024-05-15", "-C", newsroom)
    assert by_id.out == run.out
    # a project folder in SOURCE's place is the root, as for `pdf`
    assert cli("coverage", newsroom).out == cli("coverage", "-C", newsroom).out


def test_an_unknown_source_is_a_usage_error(cli, newsroom):
    run = cli("coverage", "nowhere", "-C", newsroom)
    assert run.status == 2
    assert "no source 'nowhere'" in run.err and run.out == ""


def test_a_broken_project_reports_its_errors_instead(cli, newsroom):
    dossier = newsroom / "briefings" / "people" / "ida-strom.yaml"
    dossier.write_text(dossier.read_text().replace("left for Lindby", "went to Lindby"))
    run = cli("coverage", "-C", newsroom)
    assert run.status == 1 and "error[E203]" in run.err and run.out == ""


def test_notes_never_fail_a_strict_check(cli, newsroom):
    assert cli("check", "--strict", "-C", newsroom).status == 0
    assert cli("coverage", "-C", newsroom).status == 0


def test_json_follows_its_published_schema(cli, newsroom):
    data = json.loads(cli("coverage", "--format", "json", "-C", newsroom).out)
    validator = jsonschema.Draft7Validator(json.loads(schema.shipped("coverage")))
    assert list(validator.iter_errors(data)) == []
    first = data["uncovered"][1]
    assert (first["code"], first["file"], first["line"], first["column"]) == (
        "N402",
        "sources/gazette-2024-05-14.md",
        14,
        1,
    )
    assert first["candidates"] == [
        {
            "agrees": False,
            "claim": "karvik-flood#deaths-police",
            "reading": "at least 30",
            "value": {"interval": [30, None], "text": "at least 30"},
        }
    ]
    shares = {s["source"]: s for s in data["shares"]}
    assert shares["nordwire-2024-05-14"] == {"source": "nordwire-2024-05-14", "figures": 3, "covered": 2, "percent": 66}
    exported = json.loads(cli("export", "-C", newsroom).out)
    assert {s["id"]: s["coverage"]["percent"] for s in exported["sources"]}["nordwire-2024-05-14"] == 66


def test_claims_on_related_properties_never_compared_are_listed(cli):
    run = cli("coverage", "-C", REPO)
    uncompared = [line for line in notes(run.out) if "[N404]" in line]
    sidelined = [line for line in uncompared if "manaf-tlass#sidelined-more-than-a-year)" in line.split(" is never")[0]]
    assert sidelined and "Rebel withdrawal from Bloudan (2012, bloudan-withdrawal#negotiated-by-tlass)" in sidelined[0]


def test_every_note_is_documented_in_the_user_guide():
    guide = (REPO / "guide" / "docs" / "diagnostics.md").read_text()
    documented = dict(re.findall(r"^\| (N\d{3}) \| (.+) \|$", guide, re.M))
    assert set(documented) == set(NOTES)


def test_the_source_page_marks_uncovered_sentences_apart_from_quoted_ones(cli, newsroom):
    assert cli("generate", "-C", newsroom).status == 0
    page = (newsroom / "docs" / "sources" / "gazette-2024-05-14.md").read_text()
    marked = re.findall(r'<span class="cb-uncovered" data-note="(N40\d)" title="([^"]*)">([^<]*)</span>', page)
    assert [(code, text) for code, _, text in marked] == [
        ("N401", "The flood destroyed 300 homes in the lower town, the regional police said."),
        (
            "N402",
            "Karvik hospital said at least 30 bodies had been brought in since Monday, more than twice the police "
            "toll of the flood.",
        ),
    ]
    # its note names the flood and the claim as the pages do, not by their ids
    assert marked[1][1] == (
        "Not quoted, may conflict with a claim: Karvik flood, likely Deaths: “at least 30” (at least 30) conflicts "
        "with Karvik flood — Deaths: 12"
    )
    assert '<mark class="cb-quote"' in page and "Mayor Ida Strom left for Lindby</mark>" in page
    assert 'class="cb-legend"' in page
    # the reprint's first copy is marked too; a page with nothing uncovered has no legend
    assert 'data-note="N401"' in (newsroom / "docs" / "sources" / "nordwire-2024-05-14.md").read_text()
    index = (newsroom / "docs" / "sources" / "index.md").read_text()
    shares = re.findall(r'<a href="([\w-]+)\.html">.*?<small class="cb-share"[^>]*>([^<]*)</small>', index)
    assert dict(shares) == {
        "gazette-2024-05-14": "1 of 3 figures",
        "nordwire-2024-05-14": "2 of 3 figures",
        "post-2024-05-15": "1 of 4 figures",
    }


def test_the_seed_page_without_uncovered_sentences_has_no_legend(cli, tmp_path):
    root = tmp_path / "full"
    shutil.copytree(FIXTURES / "full", root)
    assert cli("generate", "-C", root).status == 0
    page = (root / "docs" / "sources" / "gazette-2021-03-04.md").read_text()
    assert "cb-uncovered" not in page and "cb-legend" not in page


def test_a_note_never_fails_a_run_and_is_counted_apart():
    from crossbrief.model.problems import Location, Problem, is_failure, report

    note = Problem(Location("sources/x.md", 3, 1), "N402", "sentence uncovered")
    assert note.severity == "note" and str(note) == "sources/x.md:3:1: note[N402]: sentence uncovered"
    assert not is_failure([note], strict=True)
    warning = Problem(Location("sources/x.md", 4, 1), "W302", "unreferenced")
    assert is_failure([note, warning], strict=True) and not is_failure([note, warning], strict=False)
    assert report([note, warning], 2).splitlines()[-1] == "0 errors, 1 warning, 1 note in 2 files"

"""The pictures drawn at build time: well-formed SVG, escaped labels, deterministic, contested dates as ranges.

The browser tests (test_browser.py) look at them on the seed site; these run without a browser.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

from conftest import FIXTURES, rendered

from crossbrief.analyse import analyse
from crossbrief.load import load
from crossbrief.site import graphs, timelinechart
from crossbrief.site.fragments import page_of

SVG = "{http://www.w3.org/2000/svg}"

HOSTILE_PERSON = """\
name: 'Jane <script>alert(1)</script> & "Roe"'
aliases: [Jane Roe]
claims:
  - id: role-minister
    property: role
    value: minister
    sources:
      - source: wire-2020-01-02
        quote: Jane Roe, the minister, resigned
  - id: works-for-wire
    property: works-for
    value: wire
    sources:
      - source: wire-2020-01-02
        quote: Jane Roe, the minister
  - id: born-1960
    property: born
    value: 1960
    sources:
      - source: wire-2020-01-02
        quote: Jane Roe
  - id: born-1970
    property: born
    value: 1970-05
    sources:
      - source: wire-2020-01-02
        quote: the minister
"""


def _copy(tmp_path, name: str):
    target = tmp_path / name
    shutil.copytree(FIXTURES / "minimal", target, ignore=shutil.ignore_patterns("docs", "site"))
    return target


def _analysis(tmp_path, person: str | None = None, name: str = "project"):
    root = _copy(tmp_path, name)
    if person:
        (root / "briefings/people/jane-roe.yaml").write_text(person)
        wire = root / "briefings/organisations/wire.yaml"
        wire.write_text(wire.read_text().replace("name: The Wire", "name: The <b>Wire</b> & co"))
    loaded, _ = load(root)
    return analyse(loaded)


def _svgs(markup: str) -> list[ET.Element]:
    """Every <svg> of a picture, parsed as XML: a label that broke out of its text would not parse."""
    found = re.findall(r"<svg\b.*?</svg>", str(markup), re.S)
    assert found
    return [ET.fromstring(svg) for svg in found]


def _text(svg: ET.Element) -> str:
    return " ".join(t.strip() for t in svg.itertext() if t.strip())


def test_every_picture_is_well_formed_named_and_deterministic(tmp_path):
    a = _analysis(tmp_path, HOSTILE_PERSON)
    person = a.dossiers["jane-roe"]

    def draw(analysis):
        resolve = lambda i: page_of(analysis, i)  # noqa: E731
        return (
            graphs.relation_graph(analysis, "index.md", resolve),
            graphs.neighbour_graph(analysis, "jane-roe", "people/jane-roe.md", resolve),
            timelinechart.timeline_chart(analysis, "timeline.md", resolve),
        )

    drawn = draw(a)
    assert drawn == draw(_analysis(tmp_path, HOSTILE_PERSON, "again"))  # same input, same bytes
    for markup in drawn:
        assert str(markup).startswith('<figure class="cb-figure') and "data-search-exclude" in markup
        assert "<figcaption>" in markup and "<script" not in markup
        for svg in _svgs(markup):
            title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
            assert title is not None and title.text and desc is not None and desc.text
            assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
            assert svg.get("role") in ("img", "group")
    graph, neighbours, timeline = (_svgs(m) for m in drawn)
    # labels arrive as text, whatever they hold
    assert person.name in _text(graph[0]) and "The <b>Wire</b> & co" in _text(graph[0])
    assert person.name in _text(neighbours[0]) and "Works for" in _text(neighbours[0])
    assert [a.get("href") for a in graph[0].iter(f"{SVG}a")] == ["people/jane-roe.html", "organisations/wire.html"]
    assert {a.get("href") for a in neighbours[1].iter(f"{SVG}a")} == {"../organisations/wire.html"}
    # the timeline is an image: no links in it
    assert all(svg.get("role") == "img" and not list(svg.iter(f"{SVG}a")) for svg in timeline)


def test_contested_date_is_drawn_as_the_range_of_its_positions(tmp_path):
    a = _analysis(tmp_path, HOSTILE_PERSON)
    assert [(d.dossier.id, d.property.id) for d in a.disagreements] == [("jane-roe", "born")]
    wide, narrow = _svgs(timelinechart.timeline_chart(a, "timeline.md", lambda i: page_of(a, i)))
    for svg in (wide, narrow):
        bands = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "cb-tl-contested"]
        assert len(bands) == 1
        assert "Contested: Born: 1960 / May\xa01970" in bands[0].find(f"{SVG}title").text
        marks = [r for r in svg.iter(f"{SVG}rect") if "cb-tl-disputed" in (r.get("class") or "")]
        assert len(marks) == 2  # each position marked inside the band
        left = min(float(m.get("x")) for m in marks)
        right = max(float(m.get("x")) + float(m.get("width")) for m in marks)
        band_left, band_right = float(bands[0].get("x")), float(bands[0].get("x")) + float(bands[0].get("width"))
        # from 1960's first day to May 1970's last (a mark is drawn at least 4 wide, so may stick out)
        assert abs(band_left - left) < 0.2 and max(float(m.get("x")) for m in marks) < band_right <= right + 0.2


def test_pages_carry_the_pictures_only_where_there_is_something_to_draw(tmp_path):
    a = _analysis(tmp_path)  # the minimal fixture: no relations, no dated claims
    site = rendered(a)
    assert "cb-figure" not in site["index.md"] and "cb-figure" not in site["people/jane-roe.md"]
    assert "cb-figure" not in site["timeline.md"]
    b = _analysis(tmp_path, HOSTILE_PERSON, "related")
    site = rendered(b)
    assert "cb-figure-graph" in site["index.md"] and "cb-figure-neighbours" in site["people/jane-roe.md"]
    assert "cb-figure-neighbours" in site["organisations/wire.md"] and "cb-figure-timeline" in site["timeline.md"]


def test_a_large_project_is_drawn_in_part(tmp_path):
    """Many dossiers: the home graph keeps the most connected, the timeline the earliest rows."""
    root = _copy(tmp_path, "large")
    people = root / "briefings/people"
    for k in range(graphs.MAX_GRAPH_NODES + 15):
        (people / f"p{k:03d}.yaml").write_text(
            f"name: Person {k:03d}\nclaims:\n"
            + "".join(
                f"  - id: w{j}\n    property: works-for\n    value: wire\n    sources:\n"
                f"      - source: wire-2020-01-02\n        quote: Jane Roe\n"
                for j in range(1 if k % 2 else 2)
            )
            + f"  - id: born\n    property: born\n    value: {1900 + k}\n    sources:\n"
            f"      - source: wire-2020-01-02\n        quote: Jane Roe\n"
        )
    loaded, _ = load(root)
    a = analyse(loaded)
    graph = _svgs(graphs.relation_graph(a, "index.md", lambda i: page_of(a, i)))[0]
    assert len(list(graph.iter(f"{SVG}a"))) == graphs.MAX_GRAPH_NODES
    assert "least connected are left out" in graph.find(f"{SVG}desc").text
    wide, _ = _svgs(timelinechart.timeline_chart(a, "timeline.md", lambda i: page_of(a, i)))
    rows = [g for g in wide.iter(f"{SVG}g") if g.get("class") == "cb-tl-row"]
    assert len(rows) == timelinechart.MAX_TIMELINE_ROWS
    assert "Person 000" in _text(rows[0])


def test_a_shown_node_whose_neighbours_were_all_left_out_is_still_drawn(tmp_path):
    """Cutting the graph to its most connected nodes can strand one: it keeps its place, no crash."""
    root = _copy(tmp_path, "stranded")
    people, orgs = root / "briefings/people", root / "briefings/organisations"
    claim = (
        "  - id: {cid}\n    property: member-of\n    value: {target}\n    sources:\n"
        "      - source: wire-2020-01-02\n        quote: Jane Roe\n"
    )
    # a hub organisation with many members fills the graph; 'lone' has three ties to little organisations
    for k in range(graphs.MAX_GRAPH_NODES + 5):
        (people / f"m{k:03d}.yaml").write_text(
            f"name: Member {k:03d}\nclaims:\n" + claim.format(cid="m", target="wire")
        )
    for k in range(3):
        (orgs / f"zclub-{k}.yaml").write_text(f"name: Club {k}\n")
    (people / "lone.yaml").write_text(
        "name: Lone Person\nclaims:\n" + "".join(claim.format(cid=f"c{k}", target=f"zclub-{k}") for k in range(3))
    )
    loaded, _ = load(root)
    a = analyse(loaded)
    graph = _svgs(graphs.relation_graph(a, "index.md", lambda i: page_of(a, i)))[0]
    assert "Lone Person" in _text(graph)
    assert "Club 0" not in _text(graph)

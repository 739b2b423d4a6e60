"""`crossbrief fmt`: canonical key order and quoting, comments kept, meaning never changed."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import REPO
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crossbrief.load import load
from crossbrief.load.yamltree import parse
from crossbrief.review.fmt import format_file, format_yaml, plain_is_same

MESSY = """\
# Jane Roe: who she is.
claims:
  # the role first
  - sources:
      - quote: "Jane Roe, the finance minister, resigned"   # verbatim
        source: 'wire-2020-01-02'
    value: "minister"
    property: role
    id: role-minister
  - {value: '52', id: age-52, property: age, sources: [{quote: 'Ms Roe, 52,', source: wire-2020-01-02}]}
summary: |
  Minister until
  January 2020.
aliases: ['Ms Roe', "Jane R.", '2012-07-06', 'yes', '046', '', 'null', "tab\\there", ': colon']
name: Jane Roe
disagreements:
  - note: Both.
    status: explained
    property: age
"""

CANONICAL = """\
# Jane Roe: who she is.
name: Jane Roe
aliases: [Ms Roe, Jane R., '2012-07-06', 'yes', '046', '', 'null', "tab\\there", ': colon']
summary: |
  Minister until
  January 2020.
claims:
  # the role first
  - id: role-minister
    property: role
    value: minister
    sources:
      - source: wire-2020-01-02
        quote: Jane Roe, the finance minister, resigned     # verbatim
  - {id: age-52, property: age, value: '52', sources: [{source: wire-2020-01-02, quote: 'Ms Roe, 52,'}]}
disagreements:
  - property: age
    status: explained
    note: Both.
"""


def test_a_messy_dossier_in_canonical_form():
    assert format_yaml(MESSY, "dossier") == CANONICAL
    assert format_yaml(CANONICAL, "dossier") == CANONICAL


def test_plain_only_when_it_reads_back_as_the_same_string():
    for text in ("Paris", "Jane R.", "it's", "a, b"):
        assert plain_is_same(text), text
    for text in (
        "",
        " x",
        "x ",
        ": x",
        "- x",
        "#x",
        "a: b",
        "a #b",
        "x:",
        "a\tb",
        "yes",
        "No",
        "on",
        "true",
        "null",
        "~",
        "46",
        "046",
        "1_000",
        "0x1f",
        "1e3",
        ".inf",
        "12:30",
        "2012-07-06",
        "2012-07-06 10:00:00",
        "=",
        "<<",
        "a\nb",
    ):
        assert not plain_is_same(text), text


def test_a_source_keeps_its_text_byte_for_byte():
    body = "Jane Roe, 52, resigned.\n\n  Indented line, trailing spaces   \n---\nA rule above.\n"
    text = f"---\nvia: [afp]\npublished: 2020-01-02\noutlet: 'wire'\ntitle: \"Minister resigns\"\n---\n{body}"
    assert format_file("sources/wire-2020-01-02.md", text) == (
        f"---\ntitle: Minister resigns\noutlet: wire\npublished: 2020-01-02\nvia: [afp]\n---\n{body}"
    )


def test_fmt_check_then_fmt(cli, project):
    root = project("minimal")
    path = root / "briefings/people/jane-roe.yaml"
    path.write_text(MESSY.replace("wire-2020-01-02", "wire-2020-01-02"))
    before = path.read_bytes()
    run = cli("fmt", "--check", root)
    assert (run.status, run.out) == (
        1,
        "would reformat briefings/people/jane-roe.yaml\n1 file would be reformatted, 3 already formatted\n",
    )
    assert path.read_bytes() == before
    run = cli("fmt", root)
    assert (run.status, run.out) == (
        0,
        "reformatted briefings/people/jane-roe.yaml\n1 file reformatted, 3 already formatted\n",
    )
    assert path.read_text() == CANONICAL
    run = cli("fmt", "--check", root)
    assert (run.status, run.out) == (0, "0 files would be reformatted, 4 already formatted\n")


def test_unreadable_files_are_reported_and_left_alone(cli, project):
    root = project("minimal")
    broken = root / "briefings/people/broken.yaml"
    broken.write_text("name: [unclosed\n")
    anchored = root / "briefings/people/anchored.yaml"
    anchored.write_text("name: &a X\naliases: ['X']\n")
    run = cli("fmt", root)
    assert run.status == 1
    assert "briefings/people/broken.yaml:2:1: error[E101]: YAML syntax error" in run.err
    assert "briefings/people/anchored.yaml:1:7: error[E102]: YAML anchors (&a) are not allowed" in run.err
    assert broken.read_text() == "name: [unclosed\n" and anchored.read_text() == "name: &a X\naliases: ['X']\n"
    assert run.out == "0 files reformatted, 4 already formatted\n"


def test_the_seed_briefing_is_in_canonical_form(cli):
    run = cli("fmt", "--check", REPO)
    assert run.status == 0, f"run `crossbrief fmt .` and commit the result:\n{run.out}{run.err}"


# The property: fmt never changes what a value means, to crossbrief or to a YAML 1.1 reader (PyYAML).

_scalars = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0\ufeff"), max_size=20),
    st.sampled_from(
        [
            "yes",
            "NO",
            "on",
            "~",
            "null",
            "",
            "046",
            "0x1F",
            "1e3",
            "2012-07-06",
            "12:30",
            "true",
            "- a",
            "a: b",
            "#c",
            "[x]",
            "'q'",
            '"dq"',
            "&a",
            "*a",
            "!t",
            "%p",
            "@x",
            "`b`",
            "a #b",
            " lead",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_scalars, st.sampled_from(["plain", "single", "double", "flow"])), min_size=1, max_size=6))
def test_property_fmt_keeps_every_value(tmp_path_factory, values):
    lines = ["name: Someone", "claims:"]
    for i, (text, style) in enumerate(values):
        if (
            style == "plain"
            and plain_is_same(text)
            and ":" not in text
            and "#" not in text
            and text[:1] not in "-[{&*!%@`'\"|>?,"
        ):
            written = text
        elif style == "single" and text.isprintable():
            written = "'" + text.replace("'", "''") + "'"
        else:
            written = json.dumps(text, ensure_ascii=False)
        if style == "flow":
            lines.append(
                f"  - {{value: {written}, property: role, id: c{i}, sources: [{{quote: {written}, source: s}}]}}"
            )
        else:
            lines += [
                f"  - value: {written}",
                "    property: role",
                f"    id: c{i}",
                "    sources:",
                f"      - quote: {written}",
                "        source: s",
            ]
    text = "\n".join(lines) + "\n"
    assume(not parse(text, "x")[1])  # characters YAML refuses are another test's business
    formatted = format_file("briefings/people/someone.yaml", text)
    # libyaml, the parser crossbrief reads with (PyYAML's pure-Python parser refuses some flow scalars, such as 0?)
    assert yaml.load(formatted, Loader=yaml.CSafeLoader) == yaml.load(text, Loader=yaml.CSafeLoader)
    assert format_file("briefings/people/someone.yaml", formatted) == formatted
    root = tmp_path_factory.mktemp("fmt")
    projects = []
    for content in (text, formatted):
        files = {"briefings/people/someone.yaml": content}
        project, problems = load(root, lambda problems: iter(files.items()))
        claims = project.dossiers[0].claims
        projects.append(
            (
                [(c.id, c.value, [(x.quote, x.source) for x in c.citations]) for c in claims],
                sorted((p.code, p.message) for p in problems),
            )
        )
    assert projects[0] == projects[1]


def test_no_file_outside_the_project_is_touched(cli, project):
    root = project("minimal")
    outside = root / "notes.yaml"
    outside.write_text("b: 'x'\na: 1\n")
    (root / "briefings/people/jane-roe.yaml").write_text(MESSY)
    assert cli("fmt", root).status == 0
    assert outside.read_text() == "b: 'x'\na: 1\n"
    assert not any(p.name.startswith(".fmt-") for p in Path(root).rglob("*"))

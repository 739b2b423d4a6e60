"""The parts of an article besides its running text: the captions of its pictures (marked `[caption]` in
the source file, loaded with their place, shown as captions on the source page, quotable like the rest of
the text, reviewed by the diff) and its headline, which a claim may quote unless the editors wrote it."""

from __future__ import annotations

from pathlib import Path

from crossbrief.load import load
from crossbrief.model.problems import Location

ARTICLE = """---
title: Minister resigns
outlet: wire
published: 2020-01-02
---
[caption] Jane Roe, pictured in 2019, was the minister for ports
Jane Roe, the minister, resigned on Monday, officials said.
\\[caption] is how the ministry's website labels its photographs.
[caption]   Her deputy, John Doe, takes over
"""


def with_captions(root: Path, article: str = ARTICLE) -> Path:
    (root / "sources/wire-2020-01-02.md").write_text(article, encoding="utf-8")
    return root


def test_a_caption_is_loaded_without_its_marker_and_with_its_place(project):
    root = with_captions(project("minimal"))
    source = load(root)[0].sources[0]
    assert source.text.split("\n")[:4] == [
        "Jane Roe, pictured in 2019, was the minister for ports",
        "Jane Roe, the minister, resigned on Monday, officials said.",
        "[caption] is how the ministry's website labels its photographs.",  # escaped: text, not a caption
        "Her deputy, John Doe, takes over",
    ]
    assert [source.text[c.start : c.end] for c in source.captions] == [
        "Jane Roe, pictured in 2019, was the minister for ports",
        "Her deputy, John Doe, takes over",
    ]
    assert [c.location for c in source.captions] == [
        Location("sources/wire-2020-01-02.md", 6, 11),
        Location("sources/wire-2020-01-02.md", 9, 13),
    ]


def test_an_empty_caption_is_an_error_at_its_marker(project, cli):
    root = with_captions(
        project("minimal"), ARTICLE.replace("[caption]   Her deputy, John Doe, takes over", "[caption]")
    )
    run = cli("check", root)
    assert run.status == 1
    assert (
        "sources/wire-2020-01-02.md:9:10: error[E111]: a caption marker with no caption\n"
        "    hint: write the caption after '[caption] '"
    ) in run.err


def test_the_source_page_shows_captions_as_captions_and_highlights_quotes_in_them(project, cli):
    root = with_captions(project("minimal"))
    (root / "briefings/people/jane-roe.yaml").write_text(
        "name: Jane Roe\n"
        "claims:\n"
        "  - id: role-minister\n"
        "    property: role\n"
        "    value: minister for ports\n"
        "    sources:\n"
        "      - source: wire-2020-01-02\n"
        "        quote: was the minister for ports\n",
        encoding="utf-8",
    )
    run = cli("generate", root)
    assert run.status == 0, run.err
    page = (root / "docs/sources/wire-2020-01-02.md").read_text()
    paragraphs = [line for line in page.split("\n") if line.startswith("<p")]
    captions = [p for p in paragraphs if p.startswith('<p class="cb-caption">')]
    assert len(captions) == 2
    assert captions[0].startswith('<p class="cb-caption"><span class="cb-label">Caption:</span> Jane Roe, pictured')
    assert '<mark class="cb-quote" data-q="1"' in captions[0] and "was the minister for ports</mark>" in captions[0]
    assert "Her deputy, John Doe, takes over</p>" in captions[1]
    assert "<p>[caption] is how the ministry" in page  # the escaped line is an ordinary paragraph
    assert any(p.startswith("<p>") and "Jane Roe, the minister, resigned on Monday" in p for p in paragraphs)


def test_the_diff_shows_a_line_marked_as_a_caption(cli, tmp_path):
    from gitutil import INITIAL, GitProject

    g = GitProject(tmp_path / "p")
    g.write(INITIAL)
    g.edit("sources/wire-2020-01-02.md", "\n---\n", "\n---\nJane Roe, pictured in 2019\n")
    g.commit("An article with its caption read as text")
    g.edit("sources/wire-2020-01-02.md", "\nJane Roe, pictured", "\n[caption] Jane Roe, pictured")
    run = cli("diff", "-C", g.root)
    assert run.status == 0, run.err
    assert "  ~ wire-2020-01-02: Minister resigns\n      captions: (none) -> Jane Roe, pictured in 2019\n" in run.out
    assert "text:" not in run.out  # the marker is not part of the article's text


JANE_QUOTES_THE_HEADLINE = """name: Jane Roe
claims:
  - id: role-minister
    property: role
    value: minister
    sources:
      - source: wire-2020-01-02
        quote: Jane Roe, the minister, resigned
  - id: resigned-over-ports
    property: description
    value: Resigned over the ports
    sources:
      - source: wire-2020-01-02
        quote: quits over ports
"""


def test_a_claim_may_quote_the_headline(project, cli):
    root = project("minimal")
    (root / "sources/wire-2020-01-02.md").write_text(
        "---\ntitle: Roe quits over ports\noutlet: wire\npublished: 2020-01-02\n---\n"
        "Jane Roe, the minister, resigned on Monday, officials said.\n",
        encoding="utf-8",
    )
    (root / "briefings/people/jane-roe.yaml").write_text(JANE_QUOTES_THE_HEADLINE, encoding="utf-8")
    run = cli("generate", root)
    assert run.status == 0, run.err
    page = (root / "docs/sources/wire-2020-01-02.md").read_text()
    headline = next(line for line in page.split("\n") if line.startswith('<p class="cb-headline">'))
    assert headline == (
        '<p class="cb-headline"><span class="cb-label">Headline:</span> Roe '
        '<span class="cb-anchor" id="q--jane-roe--resigned-over-ports--1"></span>'
        '<mark class="cb-quote" data-q="1" title="Jane Roe: Description">quits over ports</mark></p>'
    )
    # the text's passages are numbered after the headline's, so each link highlights only its own
    assert '<mark class="cb-quote" data-q="2" title="Jane Roe: Role">Jane Roe, the minister, resigned</mark>' in page
    person = (root / "docs/people/jane-roe.md").read_text()
    assert 'href="../sources/wire-2020-01-02.html#q--jane-roe--resigned-over-ports--1"' in person


def test_a_headline_the_editors_wrote_cannot_be_quoted(project, cli):
    root = project("minimal")
    (root / "sources/wire-2020-01-02.md").write_text(
        "---\ntitle: Roe quits over ports\ntitle_by_editors: true\noutlet: wire\npublished: 2020-01-02\n---\n"
        "Jane Roe, the minister, resigned on Monday, officials said.\n",
        encoding="utf-8",
    )
    (root / "briefings/people/jane-roe.yaml").write_text(JANE_QUOTES_THE_HEADLINE, encoding="utf-8")
    run = cli("check", root)
    assert run.status == 1
    assert "briefings/people/jane-roe.yaml:14:16: error[E203]: quote not found in source wire-2020-01-02" in run.err


def test_crossbrief_quote_finds_words_of_the_headline(project, cli):
    root = project("minimal")
    (root / "sources/wire-2020-01-02.md").write_text(
        "---\ntitle: Roe quits over ports\noutlet: wire\npublished: 2020-01-02\n---\nJane Roe resigned.\n",
        encoding="utf-8",
    )
    run = cli("quote", "-C", root, "wire-2020-01-02", "quits  over ports")
    assert (run.status, run.out, run.err) == (
        0,
        "quote: quits over ports\n",
        "found in the headline, sources/wire-2020-01-02.md:2:8\n",
    )


def test_a_quoted_headline_is_covered(project, cli):
    root = project("minimal")
    (root / "sources/wire-2020-01-02.md").write_text(
        "---\ntitle: Jane Roe quits after 3 years\noutlet: wire\npublished: 2020-01-02\n---\n"
        "Jane Roe, the minister, resigned on Monday, officials said.\n",
        encoding="utf-8",
    )
    before = cli("coverage", "-C", root)
    assert "note[N401]: headline uncovered: jane-roe: number '3': \"Jane Roe quits after 3 years\"" in before.out
    (root / "briefings/people/jane-roe.yaml").write_text(
        JANE_QUOTES_THE_HEADLINE.replace("quits over ports", "Roe quits after 3 years"), encoding="utf-8"
    )
    after = cli("coverage", "-C", root)
    assert after.status == 0, after.err
    assert "Jane Roe quits after 3 years" not in after.out

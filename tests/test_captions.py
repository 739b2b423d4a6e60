"""Captions of an article's pictures: marked `[caption]` in the source file, loaded with their place, shown
as captions on the source page, quotable like the rest of the text, and reviewed by the diff."""

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
    assert captions[0].startswith(
        '<p class="cb-caption"><span class="cb-caption-label">Caption:</span> Jane Roe, pictured'
    )
    assert '<mark class="cb-quote" data-q="1"' in captions[0] and "was the minister for ports</mark>" in captions[0]
    assert "Her deputy, John Doe, takes over</p>" in captions[1]
    assert "<p>[caption] is how the ministry" in page  # the escaped line is an ordinary paragraph
    assert "<p>Jane Roe, the minister, resigned on Monday" in page


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

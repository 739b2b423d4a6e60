"""Property and fuzz tests: whatever the input, problems and never an exception; escaping keeps the text.

The examples are derandomised so that `make test` is repeatable; run with
`CROSSBRIEF_FUZZ=random` (and more examples with `CROSSBRIEF_FUZZ_EXAMPLES`)
to explore new ones.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import markupsafe
import yaml
from conftest import rendered
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crossbrief.analyse import textmatch
from crossbrief.build import inspect
from crossbrief.load.yamltree import parse
from crossbrief.model.problems import CODES
from crossbrief.site import markup

EXAMPLES = int(os.environ.get("CROSSBRIEF_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    derandomize=os.environ.get("CROSSBRIEF_FUZZ") != "random",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)


def examples(n: int) -> settings:
    return settings(FUZZ, max_examples=EXAMPLES or n)


def _yaml_printable(c: str) -> bool:
    o = ord(c)
    return c in "\t\n" or 0x20 <= o <= 0x7E or o == 0x85 or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000


printable = st.characters(codec="utf-8").filter(_yaml_printable)
"""Any character a YAML file may hold."""
texts = st.text(printable, max_size=60)

# Pieces of YAML syntax, so that generated documents reach past the first syntax error.
TOKENS = [
    "\n",
    "\n  ",
    "\n    ",
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "|\n  ",
    ">-\n  ",
    "'",
    '"',
    "#",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "~",
    "null",
    "NO",
    "0123",
    "1.10",
    "2012-07-06",
    "\\",
    "\t",
    "name",
    "aliases",
    "claims",
    "id",
    "property",
    "value",
    "sources",
    "source",
    "quote",
    "said_by",
    "summary",
    "disagreements",
    "status",
    "preferred",
    "note",
    "age",
    "role",
    "leader-of",
    "born",
    "min",
    "max",
    "from",
    "to",
    "jane-roe",
    "wire-2020-01-02",
    "title",
    "outlet",
    "published",
    "url",
    "via",
    "author",
    "[[jane-roe]]",
    "[[jane-roe#role-minister]]",
    "<script>",
    "javascript:",
    "x",
    " ",
    "9" * 400,
]
yamlish = st.lists(st.one_of(st.sampled_from(TOKENS), texts), max_size=40).map("".join)


@examples(300)
@given(st.one_of(st.text(max_size=200), yamlish))
def test_any_text_parses_to_a_tree_or_problems(text):
    node, problems = parse(text, "x.yaml")
    for p in problems:
        assert p.code in CODES and p.location.path == "x.yaml"
    assert node is None or not any(p.code in ("E101", "E102", "E104") for p in problems)


MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


def _project(files: dict[str, str]) -> tuple:
    """Load, analyse and check the minimal project with `files` added or replaced; render it when it is clean."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for path in MINIMAL.rglob("*"):
            if path.is_file():
                (root / path.relative_to(MINIMAL)).parent.mkdir(parents=True, exist_ok=True)
                (root / path.relative_to(MINIMAL)).write_bytes(path.read_bytes())
        for rel, text in files.items():
            (root / rel).write_text(text, encoding="utf-8")
        outcome = inspect(root, strict=True)
        for p in outcome.problems:
            assert p.code in CODES, p
            assert p.location.path in files or p.location.path in {
                "briefings/people/jane-roe.yaml",
                "sources/wire-2020-01-02.md",
                "briefings/organisations/wire.yaml",
                "briefings/resignation.yaml",
            }, p
        pages = rendered(outcome.analysis) if not outcome.failed(strict=False) else {}
        return outcome, pages


@examples(150)
@given(yamlish)
def test_any_dossier_yields_problems_never_an_exception(text):
    _project({"briefings/people/fuzz.yaml": text})


@examples(150)
@given(yamlish, st.text(printable, max_size=200))
def test_any_front_matter_and_article_yield_problems_never_an_exception(front, body):
    _project({"sources/fuzz-2020-01-01.md": f"---\n{front}\n---\n{body}"})


@examples(100)
@given(yamlish)
def test_any_properties_file_and_briefing_yield_problems_never_an_exception(text):
    _project({"briefings/properties.yaml": text, "briefings/fuzz.yaml": text})


# Well-formed files whose every string is arbitrary: they load, and every page renders inert.
strings = st.text(printable, min_size=1, max_size=40).filter(str.strip)
markdowns = (
    st.lists(
        st.one_of(
            strings,
            st.sampled_from(
                [
                    "\n\n",
                    "[[jane-roe]]",
                    "[[wire-2020-01-02|x]]",
                    "*",
                    "`",
                    "<",
                    "```\n",
                    "[a](javascript:x)",
                    "{ onclick=x }",
                    "    ",
                    "# ",
                    "> ",
                    "- ",
                ]
            ),
        ),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .filter(str.strip)
)


@st.composite
def dossiers(draw) -> str:
    claim = {
        "id": "c",
        "property": draw(st.sampled_from(["role", "location", "age", "born", "leader-of"])),
        "value": draw(st.one_of(strings, st.integers(-10, 10**6).map(str))),
        "text": draw(markdowns),
        "note": draw(markdowns),
        "sources": [{"source": "wire-2020-01-02", "quote": "the minister", "said_by": draw(strings)}],
    }
    data = {
        "name": draw(strings),
        "aliases": draw(st.lists(strings, max_size=3)),
        "summary": draw(markdowns),
        "claims": [claim],
        "disagreements": [{"property": "role", "status": "explained", "note": draw(markdowns)}],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class _Tags(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def _mkdocs_html(page: str) -> str:
    """A generated page as MkDocs turns it into HTML, with the shipped configuration's extensions."""
    return markdown.markdown(page, extensions=["attr_list", "tables", "toc", "meta"])


def _assert_inert(html_text: str, where: str) -> None:
    for tag, attrs in _Tags(html_text).tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "form"), (where, tag, attrs)
        for name, value in attrs:
            assert not name.startswith("on"), (where, tag, attrs)
            assert not (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:")), (
                where,
                tag,
                attrs,
            )


@examples(60)
@given(dossiers())
def test_any_strings_in_well_formed_files_render_inert(dossier):
    outcome, pages = _project({"briefings/people/fuzz.yaml": dossier})
    for rel, page in pages.items():
        _assert_inert(_mkdocs_html(page), rel)


# Escaping, then rendering, gives the same text back.


@examples(300)
@given(st.text(printable, max_size=200))
def test_escaped_text_reads_back_the_same(text):
    assert "".join(_Tags(markup.escaped(text)).text) == text


@examples(300)
@given(st.text(max_size=200))
def test_the_one_escaper_escapes_as_markupsafe_does(text):
    assert markup.escaped_text(text) == str(markupsafe.escape(text))
    for value in (text, markupsafe.Markup(text), len(text), None):  # the templates' output (render._Template)
        assert markup.escaped(value) == markupsafe.escape(value)


@examples(300)
@given(st.text(printable, max_size=200))
def test_a_heading_made_of_any_text_reads_back_the_same(text):
    # Python-Markdown (MkDocs) renders the heading; Markdown syntax, HTML and attribute lists stay text.
    rendered = _mkdocs_html(f"# {markup.md_text(text)}\n")
    parsed = _Tags(rendered)
    assert [t for t, _ in parsed.tags] == ["h1"]
    assert " ".join("".join(parsed.text).split()) == " ".join(text.split())


@examples(300)
@given(st.text(printable, min_size=1, max_size=200))
def test_a_page_title_made_of_any_text_reads_back_the_same(text):
    front = markup.front_matter(text)
    meta = yaml.safe_load(front.split("---\n")[1])
    assert html.unescape(meta["title"]) == " ".join(text.split())
    assert "<" not in meta["title"] and ">" not in meta["title"]


@examples(200)
@given(st.text(printable, max_size=200))
def test_article_text_reads_back_the_same_paragraph_by_paragraph(text):
    parsed = _Tags(markup.highlight(text, []))
    assert all(tag == "p" for tag, _ in parsed.tags)
    assert [line for line in "".join(parsed.text).split("\n")] == [
        line for line in text.split("\n") if line.strip()
    ] or not text.strip()


# Plain text with [[links]] is rendered without markdown-it, exactly as markdown-it renders it.

_TARGETS = {
    "jane-roe": ('Jane <Roe> & "Co"', "people/jane-roe.md", ""),
    "jane-roe#age": ("46", "people/jane-roe.md", "claim-age"),
}
# text the fast path takes, mostly, and now and then a piece of Markdown it must leave to markdown-it
_PLAIN = [
    "word",
    "Abc",
    "x",
    " ",
    "9",
    ",",
    ".",
    ":",
    "(",
    ")",
    "'",
    '"',
    "%",
    "/",
    "-",
    "+",
    "=",
    "\u2014",
    "\u201c",
    "\u00e9",
    "\u00df",
    "\u0663",
    "\n",
    "[[jane-roe]]",
    "[[nobody]]",
    "[[jane-roe#age|her  age]]",
    "[[jane-roe|]]",
    "[[ |label]]",
    "[[]]",
]
_MARKDOWN = [
    "*",
    "**",
    "_",
    "`",
    "\\",
    "&",
    "&amp;",
    "&#33;",
    "<",
    ">",
    "<b>",
    "<http://x.org>",
    "# ",
    "- ",
    "+ ",
    "1. ",
    "2) ",
    "> ",
    "    ",
    "\t",
    "  \n",
    " \n",
    "\n ",
    "\n\n",
    "~~",
    "|",
    "!",
    "[",
    "]",
    "[a](b)",
    "---",
    "===",
    "```",
    "\r\n",
    "\x00",
    "e\u0301",
    "\u00a0",
    "\x85",
    "\u2028",
    "\u3000",
    "[[a\nb]]",
    "[[a|b\nc]]",
    "[[a|*b*]]",
    "http://x.org",
]
_PIECE = st.one_of(
    st.sampled_from(_PLAIN),
    st.sampled_from(_PLAIN),
    st.sampled_from(_PLAIN),
    st.sampled_from(_MARKDOWN),
    st.text(printable, max_size=2),
)


@examples(1000)
@given(st.sampled_from(["", "A", "[[jane-roe]] "]), st.lists(_PIECE, max_size=12), st.booleans())
@example("", ["word", "\x85"], False)  # white space to Python, text to markdown-it
@example("", ["word", "  \n"], True)  # a line break, inline
def test_plain_markdown_is_rendered_as_markdown_it_renders_it(first, pieces, inline):
    text = first + "".join(pieces)
    env = {"resolve": _TARGETS.get, "href": lambda path, anchor: markup.page_url(path, "people/x.md", anchor)}
    fast = markup._plain(text, env, inline)
    if fast is not None:
        assert (
            fast.strip()
            == (
                markup.markdown_it().renderInline(text, env) if inline else markup.markdown_it().render(text, env)
            ).strip()
        )


def test_most_one_paragraph_fields_skip_markdown_it():
    env = {"resolve": _TARGETS.get, "href": lambda path, anchor: path}
    text = "Linked to [[jane-roe]] and [[nobody|someone]], 46 (or 47) years old;\nshe said: \u201cno\u201d.\n"
    assert markup._plain(text, env, False) == (
        '<p>Linked to <a href="people/jane-roe.md" class="cb-xref">Jane &lt;Roe&gt; &amp; '
        "&quot;Co&quot;</a> and someone, 46 (or 47) years old;\nshe said: \u201cno\u201d.</p>"
    )
    assert markup._plain("**Bold** text", env, False) is None


def _sentence_by_search(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] the plain way: searches bounded to CONTEXT_LIMIT either side."""
    ends = re.compile(r"[.!?][\"')\]\u201d\u2019]*(?=\s)|\n")
    lo, hi = max(0, start - textmatch.CONTEXT_LIMIT), min(len(text), end + textmatch.CONTEXT_LIMIT)
    before = [m.end() for m in ends.finditer(text, lo, start)]
    after = ends.search(text, end, hi)
    return " ".join(text[before[-1] if before else lo : after.end() if after else hi].split())


@examples(300)
@given(st.text(st.sampled_from(list("ab .!?\n\t\"')]\u201d\u2019")), max_size=700), st.data())
def test_the_sentence_around_a_span_is_what_bounded_searches_find(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert textmatch.Sentences(text).around(start, end) == _sentence_by_search(text, start, end)

"""The reader's experience, verified in a real browser.

Playwright drives Debian's Chromium (`/usr/bin/chromium`, installed by
`.ci/run`) against the seed briefing's site, built once per session from a
copy of the repository's `briefings/`, `sources/` and `mkdocs.yml` and served
on 127.0.0.1. Every request any page makes is recorded (and anything not on
this machine refused: the browser's proxy for other hosts is a port nobody
listens on), every console message and page error collected. One tab per
screen size (and one for the site opened from disk) serves every test, its
records emptied between tests, so pages share the browser's cache as a
reader's visits do.
axe-core (from the npm registry, `npm ci` at the repository root) is injected
into pages for the accessibility checks. Screenshots of the main pages, at
desktop and phone sizes, go to tests/output/screenshots/.

Without /usr/bin/chromium, Playwright or node_modules/axe-core these tests
skip, saying why; under `make test` (CROSSBRIEF_REQUIRE_TOOLS=1, and
`make test` runs `npm ci` itself) and in CI they fail instead, saying how to
install what is missing.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import socket
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import FIXTURES, REPO, missing_tool

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "tests" / "output" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
HIGHLIGHT = "rgb(255, 213, 79)"  # the passage a link led to (markup.highlight)

PERSON = "people/manaf-tlass.html"
EVENT = "events/khan-sheikhoun-fighting.html"
SOURCE = "sources/bbc-2012-07-06.html"
MAIN_PAGES = {
    "home": "index.html",
    "person": PERSON,
    "event": EVENT,
    "organisation": "organisations/republican-guard.html",
    "source": SOURCE,
    "disagreements": "disagreements.html",
    "timeline": "timeline.html",
    "people": "people/index.html",
    "sources": "sources/index.html",
}


def _require(path: Path, what: str, how: str) -> None:
    if not path.exists():
        missing_tool(f"{what} not found at {path}: {how}")


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about", "file") or (parts.hostname or "") in LOCAL_HOSTS


def _plain(text: str) -> str:
    """Text compared the way quotes are matched: white space collapsed, quotes and dashes made plain."""
    text = re.sub("[\u2018\u2019\u201a\u201b\u2032\u00b4`]", "'", text)
    text = re.sub("[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]", '"', text)
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)
    return " ".join(text.split())


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The seed briefing's site, built once from a copy of the repository's project files."""
    from crossbrief.build import build

    root = tmp_path_factory.mktemp("seed") / "project"
    root.mkdir()
    for name in ("briefings", "sources", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    # mkdocs.yml names the hook and watched templates by paths under crossbrief/
    (root / "crossbrief").symlink_to(REPO / "crossbrief", target_is_directory=True)
    outcome = build(root)
    assert not outcome.failed(False), "the seed does not build:\n" + "\n".join(
        f"{p.location}: {p.code}: {p.message}" for p in outcome.problems
    )
    return outcome.site


@pytest.fixture(scope="session")
def base_url(seed_site) -> str:
    """The seed site served on 127.0.0.1, on a free port."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # a tab that navigates on drops its earlier requests: not an error of the site

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(seed_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    _require(CHROMIUM, "Chromium", "apt-get install chromium")
    try:
        from playwright import sync_api
    except ImportError:
        missing_tool("the playwright package is not installed: pip install -e '.[test]'")
    # Anything not on this machine goes to a proxy that refuses the connection (a port bound and never listened
    # on), so it fails at once and is still recorded. Not Playwright's routing: routing every request through this
    # process turns the browser's cache off and makes each page load a third slower.
    with socket.socket() as refuser:
        refuser.bind(("127.0.0.1", 0))
        proxy = {"server": f"http://127.0.0.1:{refuser.getsockname()[1]}", "bypass": ",".join(sorted(LOCAL_HOSTS))}
        playwright = sync_api.sync_playwright().start()
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=LAUNCH_ARGS,
                proxy=proxy,
                # Playwright turns the back-forward cache off for the sake of its routing, which these tests do not
                # use: with it, going back to a page is what it is for a reader, instant, not a second load
                ignore_default_args=["--disable-back-forward-cache"],
            )
            yield chromium
            chromium.close()
        finally:
            playwright.stop()


class Reader:
    """A browser tab that records every request and every console error."""

    def __init__(self, browser, base: str, viewport: dict):
        self.base = base
        self.context = browser.new_context(viewport=viewport, service_workers="block")
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text} ({self.page.url})")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e} ({self.page.url})"))
        # a request the next navigation cut short (net::ERR_ABORTED: a late favicon) is no fault of the site
        self.page.on(
            "requestfailed",
            lambda r: (
                self.problems.append(f"request failed: {r.url} {r.failure}")
                if "ERR_ABORTED" not in (r.failure or "") or not _is_local(r.url)
                else None
            ),
        )
        self.page.on(
            "response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
        )

    def open(self, path: str, wait: str = "load"):
        self.page.goto(urljoin(self.base, path), wait_until=wait)
        return self.page

    def open_settled(self, path: str):
        """Open a page and wait until its search is ready: the search worker has fetched and indexed the whole
        site, the last thing a page does, and Material then shows its prompt in place of "Initializing"."""
        page = self.open(path)
        page.wait_for_function("""() => document.querySelector('.md-search-result__meta').textContent.trim() ===
            JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']""")
        return page

    def back(self) -> None:
        """The back button. The page comes back from the browser's back-forward cache as it was left (no load
        event then), or is loaded again where the cache could not keep it: either way, whole."""
        self.page.go_back(wait_until="commit")
        self.page.wait_for_function("() => document.readyState === 'complete'")

    def fresh(self) -> Reader:
        """The tab for a new test: the last page closed (nothing of it still running), the records emptied."""
        self.page.goto("about:blank")
        self.requests.clear()
        self.problems.clear()
        return self

    def path(self, url: str | None = None) -> str:
        """The current (or a) URL's path within the site."""
        path = urlsplit(urljoin(self.page.url, url or self.page.url)).path
        return path.removeprefix(urlsplit(self.base).path)

    def offsite(self) -> list[str]:
        return [u for u in self.requests if not _is_local(u)]

    def screenshot(self, name: str, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="session")
def tabs(browser, base_url, seed_site) -> dict[str, Reader]:
    """One tab for each way of reading the site, opened once for every test."""
    made = {
        "reader": Reader(browser, base_url, DESKTOP),
        "phone": Reader(browser, base_url, PHONE),
        # the site opened straight from disk (file://), as the user guide says it can be
        "disk": Reader(browser, seed_site.as_uri() + "/", DESKTOP),
    }
    yield made
    for tab in made.values():
        tab.context.close()


@pytest.fixture
def reader(tabs):
    return tabs["reader"].fresh()


@pytest.fixture
def disk(tabs):
    return tabs["disk"].fresh()


@pytest.fixture
def phone(tabs):
    return tabs["phone"].fresh()


# ---------------------------------------------------------------- every page


def test_every_page_loads_with_no_console_error_and_nothing_from_other_hosts(reader, seed_site):
    pages = sorted(p.relative_to(seed_site).as_posix() for p in seed_site.rglob("*.html"))
    assert len(pages) > 60 and "index.html" in pages and PERSON in pages
    for path in pages:
        # the main pages wait for the network to settle, so the search worker's requests are seen too
        reader.open(path, wait="networkidle" if path in MAIN_PAGES.values() else "load")
    assert reader.problems == []
    assert reader.offsite() == []
    fetched = {reader.path(u) for u in reader.requests}
    assert set(pages) <= fetched
    assert "search/search_index.json" in fetched  # search works from local files
    assert all(_is_local(u) for u in reader.requests) and len(reader.requests) > len(pages)


# ---------------------------------------------------------------- search


def search(reader: Reader, query: str) -> list[str]:
    """Type a query into Material's search box; the pages of the results, best first."""
    page = reader.open("index.html")
    box = page.locator(".md-search__input")
    box.click()
    # Material searches on each key released: the query is filled in and its last letter typed, so the only
    # results that can show are the whole query's (once the search is ready, it searches what the box holds)
    box.fill(query[:-1])
    box.press(query[-1])
    page.wait_for_function(
        "() => /matching|No matching/i.test(document.querySelector('.md-search-result__meta')?.textContent || '')"
        " && document.querySelector('.md-search__input').value.length > 0"
    )
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        path = reader.path(href)
        if path not in found:
            found.append(path)
    return found


@pytest.mark.parametrize("served", ["reader", "disk"])  # over HTTP, and from disk (file://)
@pytest.mark.parametrize(
    "query, expected",
    [
        ("Tlas", PERSON),  # the BBC's spelling; the dossier is "Manaf Tlass"
        ("Khan Sheikhoun", EVENT),
        ('"insiders voting with their feet"', SOURCE),  # a phrase quoted in one article
    ],
)
def test_search_finds_the_page(request, served, query, expected):
    reader = request.getfixturevalue(served)
    found = search(reader, query)
    assert expected in found[:10], found
    assert reader.problems == [] and reader.offsite() == []


# ---------------------------------------------------------------- links


def _highlighted(page) -> dict:
    """The targeted passage on a source page: its anchor, the marked text, and whether it is on screen."""
    return page.evaluate(
        """CURRENT => {
        const target = document.querySelector(':target');
        const marks = [...document.querySelectorAll('mark.cb-quote')].filter(
            m => getComputedStyle(m).backgroundColor === CURRENT);
        const box = marks.length ? marks[0].getBoundingClientRect() : null;
        return {target: target && target.id, text: marks.map(m => m.textContent).join(''),
                visible: !!box && box.top >= 0 && box.bottom <= window.innerHeight};
    }""",
        HIGHLIGHT,
    )


def test_one_click_from_a_disagreement_to_each_positions_quote_highlighted(reader):
    page = reader.open("disagreements.html")
    citations = page.eval_on_selector_all(
        ".cb-position .cb-citation",
        """items => items.map(li => ({
        href: li.querySelector('a[href*="#q--"]')?.getAttribute('href'),
        quote: li.querySelector('q').textContent,
        position: [...document.querySelectorAll('.cb-position')].indexOf(li.closest('.cb-position'))}))""",
    )
    assert all(c["href"] for c in citations), [c for c in citations if not c["href"]]
    positions = sorted({c["position"] for c in citations})
    assert positions == list(range(page.locator(".cb-position").count())) and len(positions) >= 10

    def check(citation):
        shown = _highlighted(page)
        assert shown["target"] == citation["href"].split("#")[1], citation
        assert _plain(shown["text"]) == _plain(citation["quote"]), citation
        assert shown["visible"], citation

    # one click on each position's first quote lands on the source page, the passage highlighted and in view;
    # then back to the disagreements for the next, as a reader goes
    for number in positions:
        first = next(c for c in citations if c["position"] == number)
        page.locator(".cb-position").nth(number).locator(f'a[href="{first["href"]}"]').first.click()
        page.wait_for_load_state()
        assert reader.path() == reader.path(urljoin(urljoin(reader.base, "disagreements.html"), first["href"]))
        check(first)
        if number == positions[-1]:
            reader.screenshot("source-quote-highlighted-desktop", full_page=False)  # what the reader sees on arrival
        reader.back()
        assert reader.path() == "disagreements.html"

    # every other quote too, following its link's anchor on its source page (each page opened once)
    def source_of(citation):
        return urljoin(urljoin(reader.base, "disagreements.html"), citation["href"]).split("#")[0]

    for citation in sorted(citations, key=source_of):
        if reader.path(source_of(citation)) != reader.path():
            reader.open(source_of(citation))
        page.evaluate("anchor => { location.hash = anchor; }", citation["href"].split("#")[1])
        check(citation)
    assert reader.problems == [] and reader.offsite() == []


def _check_links(reader: Reader, hrefs: list[str], origin: str) -> None:
    """Every link leads to a page of the site that exists, and to an element with the anchor's id."""
    by_page: dict[str, set[str]] = {}
    for href in hrefs:
        url = urljoin(urljoin(reader.base, origin), href)
        assert _is_local(url), href
        parts = urlsplit(url)
        by_page.setdefault(parts.path.lstrip("/"), set()).add(parts.fragment)
    for path, anchors in sorted(by_page.items()):
        response = reader.context.request.get(urljoin(reader.base, path))
        assert response.ok, path
        ids = set(re.findall(r'\sid="([^"]+)"', response.text()))
        assert sorted(anchors - {""} - ids) == [], f"{path}: no element with these ids"


def test_person_page_relations_and_citations_lead_somewhere_real(reader):
    page = reader.open(PERSON)
    relations = page.eval_on_selector_all(".cb-relations a", "els => els.map(e => e.getAttribute('href'))")
    citations = page.eval_on_selector_all(".cb-citation a", "els => els.map(e => e.getAttribute('href'))")
    pictured = page.eval_on_selector_all(".cb-figure-neighbours a", "els => els.map(e => e.getAttribute('href'))")
    everything = page.eval_on_selector_all("article a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert len(relations) >= 10 and len(citations) >= 20 and len(pictured) >= 5
    assert all("#q--" in h for h in citations if h.startswith("../sources/"))
    # one click on a relation goes to the related dossier
    first = page.locator(".cb-relations li a").first
    target = reader.path(first.get_attribute("href"))
    first.click()
    page.wait_for_load_state()
    assert reader.path() == target and page.locator("h1").count() == 1
    _check_links(reader, everything, PERSON)
    assert reader.problems == [] and reader.offsite() == []


# ---------------------------------------------------------------- phone


@pytest.mark.parametrize(
    "path",
    [
        PERSON,
        "disagreements.html",
        EVENT,
        SOURCE,
        "timeline.html",
        "index.html",
        "people/index.html",
        "sources/index.html",
    ],
)
def test_phone_page_does_not_scroll_sideways(phone, path):
    page = phone.open(path)
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert max(width[:2]) <= width[2], f"{path} is {max(width[:2])}px wide on a {width[2]}px screen"
    wide = page.evaluate("""() => [...document.querySelectorAll('article *')]
        .filter(e => !e.closest('.cb-figure-graph') && e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40))""")
    assert wide == []
    for selector in (".cb-facts table", ".cb-positions"):
        for box in page.eval_on_selector_all(selector, "els => els.map(e => e.getBoundingClientRect().toJSON())"):
            assert box["left"] >= 0 and box["right"] <= PHONE["width"], (selector, box)
    assert phone.problems == [] and phone.offsite() == []


# ---------------------------------------------------------------- accessibility


@pytest.mark.parametrize("path", ["index.html", PERSON, SOURCE, "disagreements.html", "timeline.html"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation(request, path, size):
    _require(AXE, "axe-core", "run `npm ci` at the repository root")
    tab = request.getfixturevalue("reader" if size == "desktop" else "phone")
    page = tab.open_settled(path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)
    assert tab.problems == [] and tab.offsite() == []


# ---------------------------------------------------------------- pictures


def test_home_page_draws_the_relationship_graph(reader):
    page = reader.open("index.html")
    graph = page.locator("figure.cb-figure-graph svg")
    assert graph.count() == 1
    box = graph.bounding_box()
    assert box["width"] > 500 and box["height"] > 300
    assert graph.get_attribute("aria-labelledby") and page.locator("figure.cb-figure-graph figcaption").count() == 1
    names = graph.locator("a .cb-g-label").all_text_contents()
    assert "Manaf Tlass" in names and "Republican Guard" in names
    assert graph.locator(".cb-g-edge").count() >= 30
    page.locator("figure.cb-figure-graph a", has_text="Manaf Tlass").first.click()
    page.wait_for_load_state()
    assert reader.path() == PERSON
    assert reader.problems == [] and reader.offsite() == []


def test_dossier_page_draws_its_neighbours(reader):
    page = reader.open(PERSON)
    picture = page.locator("figure.cb-figure-neighbours .cb-wide svg")
    assert picture.count() == 1 and picture.bounding_box()["height"] > 150
    names = picture.locator("a .cb-g-label").all_text_contents()
    assert any("Mustafa Tlass" in n for n in names) and any("Republican Guard" in n for n in names)
    assert "Manaf Tlass" in picture.locator(".cb-g-centre").text_content()


def test_timeline_is_laid_out_by_date_with_contested_dates_as_ranges(reader):
    page = reader.open("timeline.html")
    chart = page.locator("figure.cb-figure-timeline .cb-wide svg")
    assert chart.count() == 1 and chart.get_attribute("role") == "img"
    labels = chart.locator(".cb-tl-label").all_text_contents()
    assert "Manaf Tlass" in labels and "Fighting in Khan Sheikhoun" in labels, labels
    # rows run in date order: each row's first mark starts no earlier than the row above's
    starts = chart.evaluate("""svg => [...svg.querySelectorAll('.cb-tl-row')].map(row => Math.min(
        ...[...row.querySelectorAll('.cb-tl-mark')].map(m => m.tagName == 'circle' ? +m.getAttribute('cx') : m.getBBox().x)))""")
    assert len(starts) == len(labels) >= 10
    assert all(b >= a - 1 for a, b in zip(starts, starts[1:])), starts  # a dot marks the middle of its day
    ranges = chart.locator(".cb-tl-contested")
    assert ranges.count() >= 1
    band = ranges.first.bounding_box()
    assert band["width"] > 20  # a range, not a point
    assert "Contested" in ranges.first.locator("title").text_content()


@pytest.mark.parametrize("path, kind", [(PERSON, "neighbours"), ("timeline.html", "timeline")])
def test_phone_shows_the_narrow_picture_whole(phone, path, kind):
    page = phone.open(path)
    assert not page.locator(f"figure.cb-figure-{kind} .cb-wide").is_visible()
    narrow = page.locator(f"figure.cb-figure-{kind} .cb-narrow")
    assert narrow.is_visible()
    box = narrow.locator("svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] > 150
    font = narrow.locator(".cb-g-label, .cb-tl-label").first.evaluate("e => e.getBoundingClientRect().height")
    assert font >= 11  # readable, not a shrunken desktop picture


# ---------------------------------------------------------------- another language


def test_a_french_site_sets_its_guillemets_apart_from_the_quote(browser, tmp_path):
    """French typography: « quote », with a narrow no-break space inside the marks, as the pages set ":"."""
    from crossbrief.build import build

    root = tmp_path / "francais"
    shutil.copytree(FIXTURES / "francais", root)
    outcome = build(root, with_pdf=False)
    assert not outcome.failed(False)
    tab = Reader(browser, outcome.site.as_uri() + "/", DESKTOP)
    try:
        quote = tab.open("disagreements.html").locator(".cb-citation q").first
        marks = quote.evaluate("q => getComputedStyle(q).quotes")  # the marks the browser puts around the quote
        assert marks.startswith('"«\u202f" "\u202f»"'), marks
        assert tab.problems == []
    finally:
        tab.context.close()


# ---------------------------------------------------------------- screenshots


def test_screenshots_of_the_main_pages(reader, phone):
    for tab, size in ((reader, "desktop"), (phone, "phone")):
        for name, path in MAIN_PAGES.items():
            tab.open_settled(path)
            tab.screenshot(f"{name}-{size}")
    shots = sorted(p.name for p in SCREENSHOTS.glob("*.png"))
    assert {f"{n}-{s}.png" for n in MAIN_PAGES for s in ("desktop", "phone")} <= set(shots)
    assert reader.problems == [] and phone.problems == []

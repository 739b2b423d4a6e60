"""`crossbrief new source --from page.html` and `--url`: a source from a saved web page, or from one read over HTTP
(from a server on 127.0.0.1: no test reaches another host), with the page kept beside it if asked."""

from __future__ import annotations

import http.server
import threading

import pytest
from conftest import FIXTURES

PAGE = FIXTURES / "pages" / "courier-strike.html"
SOURCE = """\
---
title: Dockers walk out at Velmar as talks collapse
outlet: courier
published: 2021-03-05
author: [Ana Souza, Tom Reyes]
url: https://courier.example/business/2021/03/05/velmar-dockers-strike
# via: [afp]                         # optional: agencies whose copy the article carries
---
Some 1,200 dockers gathered at the gates, police said – far fewer than the 5,000 the union had announced.

“We will stay out until the port listens,” said Ana Lima, who leads the Dockers’ Union. Talks with the port authority \
broke down on Thursday night.

The port authority said in a statement that cargo was being diverted to Salmor and that it remained “open to dialogue”.

Members get NO strike pay for the first week, the union’s rules say.
"""
NOTE = (
    "note: the text and the fields were taken from the page: check them against it (a caption or a line of the "
    "page's furniture left in, a paragraph left out, the byline); the outlet 'courier' is the page's site name, "
    "'The Courier'\n"
)


def test_a_saved_page_gives_the_article_text_title_date_authors_outlet_and_address(project, cli):
    root = project("full")
    run = cli("new", "source", "--from", PAGE, "--id", "courier-2021-03-05-web", "-C", root)
    assert (run.status, run.out, run.err) == (0, "created sources/courier-2021-03-05-web.md\n", NOTE)
    # no menu, byline, caption, advertisement, related links or footer; the headline is the title, not the text
    assert (root / "sources/courier-2021-03-05-web.md").read_text() == SOURCE
    assert cli("check", "--strict", root).status in (0, 1)
    run = cli("quote", "courier-2021-03-05-web", "open to dialogue", "-C", root)
    assert (run.status, run.out) == (0, "quote: open to dialogue\n")


def test_the_command_line_wins_over_the_page(project, cli):
    root = project("full")
    run = cli(
        "new", "source", "Velmar strike", "--from", PAGE, "--outlet", "wire-press", "--published", "2021-03-06",
        "--author", "Desk", "--via", "wire-press", "-C", root,
    )  # fmt: skip
    assert run.status == 0, run.err
    text = (root / "sources/wire-press-2021-03-06.md").read_text()
    assert text.startswith(
        "---\ntitle: Velmar strike\noutlet: wire-press\npublished: 2021-03-06\nauthor: Desk\n"
        "url: https://courier.example/business/2021/03/05/velmar-dockers-strike\nvia: [wire-press]\n---\n"
    )


def test_the_original_page_is_kept_beside_the_source_if_asked(project, cli):
    root = project("full")
    run = cli("new", "source", "--from", PAGE, "--id", "courier-web", "--keep-original", "-C", root)
    assert run.status == 0 and "note: the page is kept as sources/courier-web.html, for the record\n" in run.err
    assert (root / "sources/courier-web.html").read_bytes() == PAGE.read_bytes()
    assert "W305" not in cli("check", root).err  # the page of a source is no stray file


def test_a_page_without_what_a_source_needs_says_what_to_give(project, cli, tmp_path):
    root = project("full")
    undated = tmp_path / "undated.html"
    undated.write_text(
        "<html><head><title>Port news</title></head><body><article><h1>Port news</h1>"
        + "<p>The port of Velmar reopened on Monday after a week of strikes by its dockers.</p>" * 3
        + "</article></body></html>"
    )
    run = cli("new", "source", "--from", undated, "-C", root)
    assert (run.status, run.err) == (
        2,
        "crossbrief new: the page does not say which outlet published it: give --outlet ID\n",
    )
    run = cli("new", "source", "--from", undated, "--outlet", "courier", "-C", root)
    assert (run.status, run.err) == (
        2,
        "crossbrief new: the page gives no date of publication: give --published YYYY-MM-DD\n",
    )
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Home</title></head><body></body></html>")
    run = cli("new", "source", "--from", empty, "--outlet", "courier", "-C", root)
    assert run.status == 1 and "no article text was found in the page" in run.err
    assert sorted(p.name for p in (root / "sources").iterdir()) == ["courier-2021-03-05.md", "gazette-2021-03-04.md"]


@pytest.fixture
def server(monkeypatch):
    """A web server on 127.0.0.1 serving the fixture page at /strike and a 404 elsewhere; its base address.
    A proxy the environment names is not asked for it (urllib honours http_proxy, as a newsroom needs)."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/strike":
                body = PAGE.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404, "Not Found")

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_reads_the_page_over_http(project, cli, server):
    root = project("full")
    run = cli("new", "source", "--url", f"{server}/strike", "--id", "courier-web", "--keep-original", "-C", root)
    assert run.status == 0, run.err
    # the address given is the one recorded; the rest as from the saved page
    expected = SOURCE.replace(
        "url: https://courier.example/business/2021/03/05/velmar-dockers-strike", f"url: {server}/strike"
    )
    assert (root / "sources/courier-web.md").read_text() == expected
    assert (root / "sources/courier-web.html").read_bytes() == PAGE.read_bytes()


def test_url_says_what_went_wrong_and_writes_nothing(project, cli, server):
    root = project("full")
    run = cli("new", "source", "--url", f"{server}/gone", "-C", root)
    assert (run.status, run.err) == (1, f"crossbrief new: {server}/gone: the server answered 404 Not Found\n")
    closed = server.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens on it here
    run = cli("new", "source", "--url", f"{closed}/strike", "-C", root)
    assert run.status == 1 and run.err.startswith(f"crossbrief new: {closed}/strike could not be read: ")
    assert sorted(p.name for p in (root / "sources").iterdir()) == ["courier-2021-03-05.md", "gazette-2021-03-04.md"]


def test_a_title_or_text_given_means_url_is_only_the_address(project, cli):
    root = project("full")
    run = cli(
        "new", "source", "Strike", "--outlet", "courier", "--published", "2021-03-06", "--url",
        "http://127.0.0.1:9/never-read", "-C", root,
    )  # fmt: skip
    assert run.status == 0, run.err  # nothing fetched: the title was given
    assert "url: http://127.0.0.1:9/never-read\n" in (root / "sources/courier-2021-03-06.md").read_text()

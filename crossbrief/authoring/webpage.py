"""A source from a web page: `crossbrief new source --from page.html`, or `--url ADDRESS` read over HTTP.

The article's text, title, date, authors, outlet and address are taken from
the page by trafilatura, which finds the article among the page's menus,
advertisements and footers and reads the metadata publishers put in pages
(Open Graph, schema.org, bylines). What it finds is a draft for the editor to
check against the page: `new` says so, and `crossbrief check` then holds
the source to the same rules as one typed by hand. Nothing is fetched but the
one page asked for, and only by `new`: a build never fetches anything.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from crossbrief.authoring import scaffold
from crossbrief.authoring.scaffold import Refused
from crossbrief.load.projectfiles import MAX_FILE_BYTES

MAX_PAGE_BYTES = 4 * MAX_FILE_BYTES
"""The most read of a page: its HTML is far longer than the article it holds, which must fit in a source."""
TIMEOUT = 30
"""Seconds to wait for the server, at each step of the request."""


@dataclass(frozen=True)
class Page:
    """What a web page says about the article it holds; an empty string where it says nothing."""

    title: str
    """The headline."""
    text: str
    """The article's text, paragraphs apart, without the headline, menus, advertisements or comments."""
    published: str
    """The day it was published, YYYY-MM-DD."""
    authors: tuple[str, ...]
    """Who wrote it."""
    outlet: str
    """The publication's name (`The Gazette`)."""
    url: str
    """Its address, as the page gives it (its canonical address), else where it was read from."""


def read(html: str | bytes, url: str = "") -> Page:
    """The article in a page's HTML (bytes are decoded as the page declares, or as detected)."""
    import trafilatura

    found = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, favor_precision=True, include_comments=False, include_tables=False
    )
    if found is None or not (found.text or "").strip():
        raise Refused("no article text was found in the page: save the article's own page, or use --text")
    title = " ".join((found.title or "").split())
    paragraphs = [" ".join(line.split()) for line in found.text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline is the source's title, not its text
    authors = tuple(a for a in (" ".join(a.split()) for a in re.split(r";|\band\b", found.author or "")) if a)
    published = found.date or ""
    return Page(
        title=title,
        text="\n\n".join(paragraphs),
        published=published if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else "",
        authors=authors,
        outlet=" ".join((found.sitename or "").split()),
        url=found.url or url,
    )


def fetch(url: str) -> bytes:
    """The page at an http(s) `url`, at most MAX_PAGE_BYTES of it."""
    if not re.fullmatch(r"https?://\S+", url):
        raise Refused(f"--url '{url}' is not an http or https address", 2)
    request = urllib.request.Request(url, headers={"User-Agent": "crossbrief (new source --url)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (the scheme is checked)
            data = response.read(MAX_PAGE_BYTES + 1)
    except urllib.error.HTTPError as e:
        raise Refused(f"{url}: the server answered {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        raise Refused(f"{url} could not be read: {reason}") from None
    if len(data) > MAX_PAGE_BYTES:
        raise Refused(f"{url} is larger than {MAX_PAGE_BYTES:,} bytes: save the article's page and use --from")
    return data


def read_file(path: str) -> bytes:
    """A saved page, at most MAX_PAGE_BYTES of it."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_PAGE_BYTES + 1)
    except OSError as e:
        raise Refused(f"cannot read --from {path}: {e.strerror or e}", 2) from None
    if len(data) > MAX_PAGE_BYTES:
        raise Refused(f"--from {path} is larger than {MAX_PAGE_BYTES:,} bytes", 2)
    return data


def new_source(
    root: Path,
    data: bytes,
    *,
    name: str = "",
    item_id: str = "",
    outlet: str = "",
    published: str = "",
    authors: list[str] | None = None,
    url: str = "",
    via: list[str] | None = None,
    keep_original: bool = False,
) -> tuple[str, list[str]]:
    """A new source from a page's HTML (`data`), what is given on the command line winning over what the
    page says; with `keep_original`, the page kept beside it as `sources/<id>.html`. Returns the source's
    path and notes for the editor."""
    page = read(data, url)
    name = name or page.title
    if not name:
        raise Refused("the page gives no title: give it as NAME", 2)
    outlet = outlet or _outlet_id(root, page.outlet)
    if not outlet:
        raise Refused("the page does not say which outlet published it: give --outlet ID", 2)
    published = published or page.published
    if not published:
        raise Refused("the page gives no date of publication: give --published YYYY-MM-DD", 2)
    address = url or (page.url if re.fullmatch(r"https?://\S+", page.url) else "")
    rel, notes = scaffold.new(
        root,
        "source",
        name,
        item_id=item_id,
        outlet=outlet,
        published=published,
        authors=authors or list(page.authors),
        url=address,
        text=page.text,
        via=via,
    )
    if keep_original:
        original = (root / rel).with_suffix(".html")
        with open(original, "xb") as f:  # never overwrite
            f.write(data)
        notes.append(f"the page is kept as {original.relative_to(root).as_posix()}, for the record")
    notes.append(
        "the text and the fields were taken from the page: check them against it (a caption or a line of the "
        "page's furniture left in, a paragraph left out, the byline)"
        + (f"; the outlet '{outlet}' is the page's site name, '{page.outlet}'" if page.outlet else "")
    )
    return rel, notes


def _outlet_id(root: Path, site_name: str) -> str:
    """The outlet's id from the page's site name: an organisation's id it names (`The Gazette` is `gazette`), else
    the id made from it."""
    slug = scaffold.slugify(site_name)
    for candidate in (slug, slug.removeprefix("the-")):
        if candidate and (root / "briefings" / "organisations" / f"{candidate}.yaml").is_file():
            return candidate
    return slug.removeprefix("the-")

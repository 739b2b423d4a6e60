"""What the print briefing may read: WeasyPrint's URL fetcher, confined to the project's own files and
crossbrief's templates, and its log kept quiet (what it refuses is reported as problems instead)."""

from __future__ import annotations

import logging
import mimetypes
import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


@contextmanager
def quiet():
    """WeasyPrint logs each refused resource and unsupported CSS; the refusals are reported as problems instead."""
    log = logging.getLogger("weasyprint")
    if os.environ.get("CROSSBRIEF_DEBUG"):
        yield
        return
    propagate, log.propagate = log.propagate, False
    handler = logging.NullHandler()
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.propagate = propagate


class ProjectFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only regular files under some folders.

    Any other URL (another file, a hidden folder, http, https, data, ...) is
    recorded in `refused` and raises, so WeasyPrint skips the resource; nothing
    is opened or fetched.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.roots = tuple(Path(r).resolve() for r in roots)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}: only the project's own files are read")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    def local_path(self, url: str) -> Path | None:
        """The file a `file:` URL names, if it is a regular file inside one of the roots."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        for root in self.roots:
            if path.is_relative_to(root) and path.is_file():
                if not any(part.startswith(".") for part in path.relative_to(root).parts):
                    return path
        return None

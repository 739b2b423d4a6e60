"""The MkDocs plugin: `plugins: [crossbrief]` in mkdocs.yml regenerates the pages before each build, so
that `mkdocs build` and `mkdocs serve` work on their own, and `mkdocs serve` watches the project's
briefings/, sources/ and templates/. Nothing depends on it: `crossbrief build` (or `crossbrief generate`
before any builder, Zensical included, which runs no plugins) does the same.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from crossbrief.build import build
from crossbrief.infra.i18n import language
from crossbrief.model.problems import ERROR
from crossbrief.site import SKIP_HOOK, feed_link
from crossbrief.site import language as site_language
from crossbrief.site.markup import escaped_text

log = logging.getLogger("mkdocs.plugins.crossbrief")
"""Under `mkdocs`, so MkDocs prints what crossbrief finds and `mkdocs build --strict` fails on its warnings."""


class CrossbriefPlugin(BasePlugin):
    """MkDocs' events, passed on to `regenerate` and `shown_with_error`."""

    def __init__(self):
        self.serving = False
        """Whether MkDocs runs `serve`: an error then leaves the last good pages served, with the error shown."""
        self.error = ""
        """What the last regeneration found wrong while serving; empty once it succeeds."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_pre_build(self, *, config) -> None:
        self.error = regenerate(Path(config.config_file_path).parent, Path(config.docs_dir), self.serving)

    def on_serve(self, server, *, config, builder):
        root = Path(config.config_file_path).parent
        for folder in ("briefings", "sources", "templates"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    def on_post_page(self, output: str, *, page, config) -> str:
        if page is not None:
            changes = language(site_language(Path(config.config_file_path).parent)).gettext("Changes")
            output = feed_link(output, page.file.dest_uri, f"{config.site_name} — {changes}")
        return shown_with_error(output, self.error)


def regenerate(root: Path, docs_dir: Path, serving: bool) -> str:
    """Generate the pages of the project at `root`, every problem logged to MkDocs' log at its severity.

    If there are errors nothing is written, and then: while serving, the errors
    are returned (the previous pages stay, and are served; raising would leave
    `mkdocs serve` waiting, every page request with it, until the errors are
    fixed); otherwise PluginError ends the build. Returns "" when the pages
    were generated.
    """
    if os.environ.get(SKIP_HOOK) == str(Path(docs_dir).resolve()):
        return ""  # crossbrief build has just generated the pages
    outcome = build(root, with_site=False)
    for problem in outcome.problems:
        (log.error if problem.severity == ERROR else log.warning)("%s", problem)
    if not outcome.failed(strict=False):
        return ""
    errors = "\n".join(str(p) for p in outcome.problems if p.severity == ERROR)
    if serving:
        log.error("crossbrief: the pages were not regenerated; the previous ones are served until this is fixed")
        return errors
    raise PluginError("crossbrief found errors (above); the pages were not regenerated")


_BODY = re.compile(r"<body[^>]*>")


def shown_with_error(page: str, error: str) -> str:
    """A built page with `error` (if any) shown at its top, so that the live preview says why it is not
    up to date."""
    opening = _BODY.search(page) if error else None
    if not opening:
        return page
    banner = (
        '<div class="cb-preview-error" role="alert" style="background:#fde8e8;color:#7a1010;padding:.6em 1em;'
        'border-bottom:2px solid #c62828;font:14px/1.4 monospace;white-space:pre-wrap">'
        "crossbrief: these pages are out of date; the last edit has errors:\n"
        f"{escaped_text(error)}</div>"
    )
    return page[: opening.end()] + banner + page[opening.end() :]

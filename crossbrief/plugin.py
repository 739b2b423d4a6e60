"""A thin MkDocs hook: regenerate the pages before each build, so that
`mkdocs build` and `mkdocs serve` work on their own. Nothing depends on it:
`crossbrief build` (or `crossbrief generate` before any builder) does the same.

In mkdocs.yml:
    hooks: [crossbrief/mkdocs_hook.py]
    watch: [briefings, sources, templates]

The events only pass MkDocs' arguments on to `regenerate` and `shown_with_error`,
which a plugin can call as they are.
"""

from __future__ import annotations

import html
import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from crossbrief.build import build
from crossbrief.problems import ERROR
from crossbrief.site import SKIP_HOOK

log = logging.getLogger("mkdocs.plugins.crossbrief")
"""Under `mkdocs`, so MkDocs prints what crossbrief finds and `mkdocs build --strict` fails on its warnings."""


class Preview:
    """What the hook keeps from one build to the next."""

    serving = False
    """Whether MkDocs runs `serve`: an error then leaves the last good pages served, with the error shown."""
    error = ""
    """What the last regeneration found wrong while serving; empty once it succeeds."""


_preview = Preview()


def on_startup(command: str, **kwargs) -> None:
    _preview.serving = command == "serve"


def on_pre_build(config, **kwargs) -> None:
    _preview.error = regenerate(Path(config.config_file_path).parent, Path(config.docs_dir), _preview.serving)


def on_post_page(output: str, **kwargs) -> str:
    return shown_with_error(output, _preview.error)


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
    banner = ('<div class="cb-preview-error" role="alert" style="background:#fde8e8;color:#7a1010;padding:.6em 1em;'
              'border-bottom:2px solid #c62828;font:14px/1.4 monospace;white-space:pre-wrap">'
              "crossbrief: these pages are out of date; the last edit has errors:\n"
              f"{html.escape(error, quote=False)}</div>")
    return page[:opening.end()] + banner + page[opening.end():]

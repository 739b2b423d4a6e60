"""The MkDocs plugin: `plugins: [crossbrief]` in mkdocs.yml regenerates the pages before each build, so
that `mkdocs build` and `mkdocs serve` work on their own, and `mkdocs serve` watches the project's
briefings/, sources/ and templates/. Nothing depends on it: `crossbrief build` (or `crossbrief generate`
before any builder, Zensical included, which runs no plugins) does the same.

A minimal mkdocs.yml (`site_name`, `theme: material`, `plugins: [crossbrief]`) is enough: the plugin adds
what the pages need and the configuration does not say (the Markdown extension the headings' ids use,
crossbrief's stylesheet and script, the navigation, no web fonts), and writes links the way MkDocs'
`use_directory_urls` places the pages. The PDF is put into the site after MkDocs has built it, as
`crossbrief build` does, so that the two write the same pages into docs/ (`pdf: false` leaves it out).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from crossbrief import site
from crossbrief.analyse import Analysis
from crossbrief.build import build, print_briefings
from crossbrief.infra.i18n import language
from crossbrief.infra.write import atomic
from crossbrief.model.problems import ERROR
from crossbrief.site import SKIP_HOOK, feed_link
from crossbrief.site import language as site_language
from crossbrief.site.markup import escaped_text

log = logging.getLogger("mkdocs.plugins.crossbrief")
"""Under `mkdocs`, so MkDocs prints what crossbrief finds and `mkdocs build --strict` fails on its warnings."""

STYLESHEET, SCRIPT = "assets/crossbrief.css", "assets/crossbrief.js"
_MATERIAL_FONT = {"text": "Roboto", "code": "Roboto Mono"}


class _Options(Config):
    pdf = config_options.Type(bool, default=True)
    """Whether the site gets each briefing's PDF (and its home page a link to it), as `crossbrief build`."""


class CrossbriefPlugin(BasePlugin[_Options]):
    """MkDocs' events, passed on to `completed`, `regenerate`, `add_pdf` and `shown_with_error`."""

    def __init__(self):
        self.serving = False
        """Whether MkDocs runs `serve`: an error then leaves the last good pages served, with the error shown."""
        self.error = ""
        """What the last regeneration found wrong while serving; empty once it succeeds."""
        self.analysis: Analysis | None = None
        """The project as the last regeneration analysed it, for its PDF; None when nothing was regenerated."""
        self.code = "en"
        """The site's language (mkdocs.yml's `theme.language`), read with the configuration."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config):
        config = completed(config)
        self.code = site_language(Path(config.config_file_path).parent)
        return config

    def on_pre_build(self, *, config) -> None:
        root = Path(config.config_file_path).parent
        self.error, self.analysis = regenerate(
            root, Path(config.docs_dir), self.serving, config.use_directory_urls, self.config.pdf
        )

    def on_serve(self, server, *, config, builder):
        root = Path(config.config_file_path).parent
        for folder in ("briefings", "sources", "templates"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        # the plugin rewrites docs/ during each rebuild: watched, every save would rebuild (and reload) twice
        server.unwatch(config.docs_dir)
        return server

    def on_post_page(self, output: str, *, page, config) -> str:
        if page is not None:
            changes = language(self.code).gettext("Changes")
            output = feed_link(output, page.file.dest_uri, f"{config.site_name} — {changes}")
        return shown_with_error(output, self.error)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        """The 404 page, which is a template rather than a page: its heading in the site's language."""
        if template_name != "404.html":
            return output_content
        return site.not_found(output_content, self.code)

    def on_post_build(self, *, config) -> None:
        if self.analysis is not None and self.config.pdf:
            add_pdf(self.analysis, Path(config.site_dir))


def completed(config):
    """The MkDocs configuration with what crossbrief's pages need and it does not say; a configuration
    crossbrief cannot work with ends the build, saying why."""
    if not config.config_file_path:
        raise PluginError("crossbrief: the configuration must be a file, mkdocs.yml at the project's root")
    root = Path(config.config_file_path).parent
    if Path(config.docs_dir).resolve() != site.docs_dir(root):
        raise PluginError(
            f"crossbrief: docs_dir is {config.docs_dir}, but crossbrief reads its settings from "
            f"{site.config_file(root)}, which gives {site.docs_dir(root)}: name the configuration mkdocs.yml, "
            "at the project's root (beside briefings/ and sources/)"
        )
    if "attr_list" not in config.markdown_extensions:  # the headings' {#id}: their anchors are the links' targets
        config.markdown_extensions.append("attr_list")
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    if SCRIPT not in (str(script) for script in config.extra_javascript):
        config.extra_javascript.append(SCRIPT)
    site.localised(config, site_language(root))
    site.offline(config)
    if config.theme.name == "material" and config.theme.get("font") == _MATERIAL_FONT:
        # Material's default fetches Roboto from Google Fonts: the site is read offline, and asks no other host
        config.theme["font"] = False
    elif config.theme.name != "material":
        log.warning(
            "crossbrief's pages are made for the Material theme (theme: material); '%s' may show them wrongly",
            config.theme.name,
        )
    return config


def regenerate(
    root: Path, docs_dir: Path, serving: bool, directory_urls: bool = False, pdf: bool = True
) -> tuple[str, Analysis | None]:
    """Generate the pages of the project at `root`, every problem logged to MkDocs' log at its severity:
    what went wrong while serving ("" if nothing) and the analysed project (None if nothing was generated).

    If there are errors nothing is written, and then: while serving, the errors
    are returned (the previous pages stay, and are served; raising would leave
    `mkdocs serve` waiting, every page request with it, until the errors are
    fixed); otherwise PluginError ends the build.
    """
    if os.environ.get(SKIP_HOOK) == str(Path(docs_dir).resolve()):
        return "", None  # crossbrief build has just generated the pages, and adds the PDF itself
    outcome = build(root, with_site=False, with_pdf=pdf, directory_urls=directory_urls)
    for problem in outcome.problems:
        (log.error if problem.severity == ERROR else log.warning)("%s", problem)
    if not outcome.failed(strict=False):
        return "", outcome.analysis
    errors = "\n".join(str(p) for p in outcome.problems if p.severity == ERROR)
    if serving:
        log.error("crossbrief: the pages were not regenerated; the previous ones are served until this is fixed")
        return errors, None
    raise PluginError("crossbrief found errors (above); the pages were not regenerated")


def add_pdf(analysis: Analysis, site_dir: Path) -> None:
    """Each briefing's PDFs into the site MkDocs has built, where the home page links them; what Typst reported
    of the print templates is logged."""
    printed, refused = print_briefings(analysis)
    for problem in refused:
        (log.error if problem.severity == ERROR else log.warning)("%s", problem)
    for rel, data in printed.items():
        (site_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        atomic(site_dir / rel, data)


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

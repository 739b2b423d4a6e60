"""A thin MkDocs hook: regenerate the pages before each build, so that
`mkdocs build` and `mkdocs serve` work on their own. Nothing depends on it:
`crossbrief build` (or `crossbrief generate` before any builder) does the same.

In mkdocs.yml:
    hooks: [crossbrief/mkdocs_hook.py]
    watch: [briefings, sources, templates]
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from crossbrief.build import build
from crossbrief.problems import report
from crossbrief.site import SKIP_HOOK


def on_pre_build(config, **kwargs) -> None:
    if os.environ.get(SKIP_HOOK) == str(Path(config.docs_dir).resolve()):
        return  # crossbrief build has just generated the pages
    outcome = build(Path(config.config_file_path).parent, with_site=False)
    if outcome.failed(strict=False):
        raise PluginError("crossbrief found problems:\n" + report(outcome.problems, outcome.files))

"""Run MkDocs on the generated pages, swapping the new site in only when it is complete."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import yaml

SKIP_HOOK = "CROSSBRIEF_PAGES_READY"


class SiteError(Exception):
    """MkDocs could not build the site; the previous one is untouched."""


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for two paths, ignoring `!ENV` and `!!python/name` tags it need not understand."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def config_file(root: Path) -> Path:
    """The project's mkdocs.yml, or the shipped default."""
    own = Path(root) / "mkdocs.yml"
    return own if own.is_file() else Path(str(resources.files("crossbrief").joinpath("data", "mkdocs.yml")))


def _paths(root: Path) -> dict:
    try:
        data = yaml.load(config_file(root).read_text("utf-8"), Loader=_TolerantLoader)
    except (yaml.YAMLError, OSError):
        data = None
    return data if isinstance(data, dict) else {}


def docs_dir(root: Path) -> Path:
    """Where the generated Markdown goes: mkdocs.yml's docs_dir under the root."""
    return (Path(root) / str(_paths(root).get("docs_dir") or "docs")).resolve()


def site_dir(root: Path) -> Path:
    """Where the site goes: mkdocs.yml's site_dir under the root."""
    return (Path(root) / str(_paths(root).get("site_dir") or "site")).resolve()


def build_site(root: Path, site_name: str, extra: dict[str, bytes] | None = None) -> Path:
    """Build the site from the generated pages into a new folder, then swap it in for the old one.

    `extra` files (the PDF) are added to the site before the swap.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    final = site_dir(root)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-", dir=final.parent))
    overrides = {"docs_dir": str(docs_dir(root)), "site_dir": str(staging)}
    if not (Path(root) / "mkdocs.yml").is_file() and site_name:
        overrides["site_name"] = site_name
    os.environ[SKIP_HOOK] = overrides["docs_dir"]
    try:
        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        mkdocs_build(load_config(str(config_file(root)), **overrides))
        for rel, data in (extra or {}).items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)
    except (MkDocsException, OSError, SystemExit) as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteError(f"MkDocs failed: {e}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        os.environ.pop(SKIP_HOOK, None)
    _swap(staging, final)
    return final


def _swap(new: Path, final: Path) -> None:
    """Put `new` where `final` is; the old site is removed only once the new one is in place."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        os.rename(final, old / "site")
    os.rename(new, final)
    if old:
        shutil.rmtree(old, ignore_errors=True)

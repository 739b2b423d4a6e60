"""Run MkDocs on the generated pages, swapping the new site in only when it is complete."""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import shutil
import sys
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from markupsafe import Markup

from crossbrief.infra import i18n
from crossbrief.infra.write import umask
from crossbrief.site.markup import escaped_text

SKIP_HOOK = "CROSSBRIEF_PAGES_READY"


class SiteError(Exception):
    """MkDocs could not build the site; the previous one is untouched."""


class _TolerantLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: a tenth of the time
    """Reads mkdocs.yml for two paths, ignoring `!ENV` and `!!python/name` tags it need not understand."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def config_file(root: Path) -> Path:
    """The project's mkdocs.yml, or the shipped default."""
    own = Path(root) / "mkdocs.yml"
    return own if own.is_file() else Path(str(resources.files("crossbrief").joinpath("data", "mkdocs.yml")))


def _paths(root: Path) -> dict:
    try:
        return _settings(config_file(root).read_text("utf-8"))
    except OSError:
        return {}


@lru_cache(maxsize=8)
def _settings(text: str) -> dict:
    """mkdocs.yml read once per text: a build asks for its folders several times."""
    try:
        data = yaml.load(text, Loader=_TolerantLoader)
    except yaml.YAMLError:
        data = None
    return data if isinstance(data, dict) else {}


def docs_dir(root: Path) -> Path:
    """Where the generated Markdown goes: mkdocs.yml's docs_dir under the root."""
    return (Path(root) / configured(root, "docs_dir")).resolve()


def site_dir(root: Path) -> Path:
    """Where the site goes: mkdocs.yml's site_dir under the root."""
    return (Path(root) / configured(root, "site_dir")).resolve()


def configured(root: Path, key: str) -> str:
    """An output folder as mkdocs.yml names it (`docs_dir` or `site_dir`), relative to the root or absolute."""
    return str(_paths(root).get(key) or key.removesuffix("_dir"))


def language(root: Path) -> str:
    """The site's language: mkdocs.yml's `theme.language`, English without one."""
    theme = _paths(root).get("theme")
    code = theme.get("language") if isinstance(theme, dict) else None
    return code if isinstance(code, str) and code.strip() else "en"


def site_url(root: Path) -> str:
    """mkdocs.yml's `site_url`, ending in `/`, when it is an http(s) address; else empty."""
    url = _paths(root).get("site_url")
    if not isinstance(url, str) or not re.match(r"https?://[^\s\"<>]+$", url.strip()):
        return ""
    return url.strip().rstrip("/") + "/"


def site_name(root: Path) -> str:
    """mkdocs.yml's `site_name`, or empty."""
    name = _paths(root).get("site_name")
    return " ".join(name.split()) if isinstance(name, str) else ""


NAV = (
    (i18n.N_("Briefing"), "index.md"),
    (i18n.N_("People"), "people/index.md"),
    (i18n.N_("Organisations"), "organisations/index.md"),
    (i18n.N_("Events"), "events/index.md"),
    (i18n.N_("Timeline"), "timeline.md"),
    (i18n.N_("Disagreements"), "disagreements.md"),
    (i18n.N_("Sources"), "sources/index.md"),
    (i18n.N_("Changes"), "changes.md"),
)
"""crossbrief's navigation: the shipped mkdocs.yml's, and so that of the one `crossbrief init` writes."""


def localised(config, code: str):
    """MkDocs' configuration in the site's language (`code`) where crossbrief wrote it and the project has not:
    crossbrief's navigation (given to a configuration without `nav`: MkDocs' own would list every dossier and
    source; and translated when it is the one shipped, in English), and Python-Markdown's permalink title
    ("Permanent link" on every heading otherwise). In another language than English, without Material's
    "Made with Material for MkDocs" at the foot of every page (its template writes it in English), unless the
    project asks for it (`extra.generator`)."""
    lang = i18n.language(code)
    if config.nav is None or config.nav == [{title: page} for title, page in NAV]:
        config.nav = [{lang.gettext(title): page} for title, page in NAV]
    toc = config.mdx_configs.get("toc")
    if isinstance(toc, dict) and toc.get("permalink") and "permalink_title" not in toc:
        toc["permalink_title"] = lang.gettext("Permanent link")
    if lang.locale.language != "en" and "generator" not in config.extra:
        config.extra["generator"] = False
    return config


SHIM = "assets/iframe-worker.js"
"""The search worker's shim for a site read from disk, shipped with crossbrief (Material names unpkg.com's)."""


def offline(config):
    """MkDocs' configuration, with Material's offline plugin (search from file://) given crossbrief's copy of
    the shim it runs the search worker with: unless `extra.polyfills` names one, the plugin names unpkg.com's,
    and a site read from disk would ask another host for it."""
    if any(name.rpartition("/")[2] == "offline" for name in config.plugins):
        kept = [p for p in config.extra.get("polyfills") or [] if "iframe-worker" not in str(p) or "//" not in str(p)]
        if not any("iframe-worker" in str(p) for p in kept):
            kept.append(SHIM)
        config.extra["polyfills"] = kept
    return config


FEED_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml"')


def feed_link(page: str, dest: str, title: str) -> str:
    """A built page (`dest`, its path in the site) with a link to the Changes page's Atom feed in its head,
    so that a feed reader given any page finds it; a page that has one, or no head, as it is."""
    at = page.find("</head>")
    if at < 0 or FEED_LINK.search(page, 0, at):
        return page
    href = "../" * dest.count("/") + "changes.xml"
    link = f'<link rel="alternate" type="application/atom+xml" title="{escaped_text(title)}" href="{href}">\n'
    return page[:at] + link + page[at:]


_NOT_FOUND = "<h1>404 - Not found</h1>"
"""Material's heading of the 404 page, which its template writes in English whatever the language."""


def not_found(page: str, code: str) -> str:
    """The 404 page with its heading in the site's language (`code`)."""
    heading = i18n.language(code).gettext("404 - Not found")
    return page.replace(_NOT_FOUND, f"<h1>{escaped_text(heading)}</h1>", 1)


class FeedLinks:
    """MkDocs' `on_post_page` adding `feed_link` to every page, for `crossbrief build` to register; the 404
    page's heading in the site's language (`code`) too."""

    def __init__(self, title: str, code: str = "en"):
        self.title, self.code = title, code

    def on_post_page(self, output: str, *, page, config) -> str:
        return feed_link(output, page.file.dest_uri, self.title)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        """The 404 page, which is a template rather than a page."""
        if template_name == "404.html":
            output_content = not_found(output_content, self.code)
        return (
            feed_link(output_content, template_name, self.title) if template_name.endswith(".html") else output_content
        )


def directory_urls(root: Path) -> bool:
    """Whether MkDocs puts each page in a folder of its own (`people/x/index.html`), as mkdocs.yml's
    `use_directory_urls` says (MkDocs' default: yes), but never with Material's offline plugin, which
    turns it off so that the site works from disk."""
    settings = _paths(root)
    plugins = settings.get("plugins") or []
    names = {next(iter(p)) if isinstance(p, dict) and p else p for p in plugins if isinstance(p, str | dict)}
    return settings.get("use_directory_urls", True) is True and not names & {"offline", "material/offline"}


NOT_A_FOLDER = "is a file, not a folder"


def unsafe_output(root: Path, folder: str) -> tuple[str, str] | None:
    """Why crossbrief may not write into `folder` (relative to the root): (the path to blame, the reason),
    or None. A symlink on the way, committed or not, would send the output (and the removal of what
    the output replaces) outside the project; so would a folder that is outside it."""
    root = Path(root).resolve()
    lexical = Path(os.path.normpath(root / folder))
    if lexical != root and root not in lexical.parents:
        return folder, "is outside the project"
    here = root
    for part in lexical.relative_to(root).parts:
        here = here / part
        if here.is_symlink():
            return here.relative_to(root).as_posix(), "is a symlink"
        if here.exists() and not here.is_dir():
            return here.relative_to(root).as_posix(), NOT_A_FOLDER
    if lexical.resolve() != root and root not in lexical.resolve().parents:
        return folder, "is outside the project"
    inside = _link_inside(str(lexical)) if lexical != root and lexical.is_dir() else None
    if inside:
        return Path(inside).relative_to(root).as_posix(), INSIDE
    return None


INSIDE = "is a symlink inside the output folder"


def _link_inside(folder: str) -> str | None:
    """The first symlink (to a file or a folder) anywhere under `folder`, in name order, or None. crossbrief
    never makes one, and writing a page through a folder link, or unlinking what a file link replaced,
    would reach outside the project; scandir's types need no stat per file."""
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    for entry in ordered:
        if entry.is_symlink():
            return entry.path
        if entry.is_dir(follow_symlinks=False) and (found := _link_inside(entry.path)):
            return found
    return None


def build_site(root: Path, site_name: str, feed_title: str = "") -> Path:
    """Build the site from the generated pages into a new folder beside the site's, and return it;
    `publish` puts it in place. Every page links to the Atom feed of the Changes page (`feed_title`)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    final = site_dir(root)
    final.parent.mkdir(parents=True, exist_ok=True)
    _recover(final)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(final, "new"), dir=final.parent))
    staging.chmod(0o777 & ~umask())  # mkdtemp's 0700 would keep a web server out of the published site
    overrides = {"docs_dir": str(docs_dir(root)), "site_dir": str(staging)}
    if not (Path(root) / "mkdocs.yml").is_file() and site_name:
        # The theme writes site_name into pages unescaped (and escapes it with `|e` in places):
        # HTML text marked safe is right in both.
        overrides["site_name"] = Markup(escaped_text(" ".join(site_name.split())))
    os.environ[SKIP_HOOK] = overrides["docs_dir"]
    try:
        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        config = offline(localised(load_config(str(config_file(root)), **overrides), language(root)))
        config.plugins["crossbrief-feed-links"] = FeedLinks(feed_title, language(root))
        mkdocs_build(config)
    except (MkDocsException, OSError, SystemExit) as e:
        discard(staging)
        raise SiteError(f"MkDocs failed: {e}") from None
    except BaseException:
        discard(staging)
        raise
    finally:
        os.environ.pop(SKIP_HOOK, None)
    return staging


def publish(root: Path, staging: Path, extra: dict[str, bytes] | None = None) -> Path:
    """Add `extra` files (the PDF) to a site `build_site` made, then swap it in for the old one."""
    final = site_dir(root)
    try:
        for rel, data in (extra or {}).items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)
        _swap(staging, final)
    except OSError as e:
        discard(staging)
        raise SiteError(f"could not put the new site in place: {e}") from None
    except BaseException:
        discard(staging)
        raise
    return final


def discard(staging: Path) -> None:
    """Remove a site that will not be published."""
    shutil.rmtree(staging, ignore_errors=True)


def _swap(new: Path, final: Path) -> None:
    """Put `new` where `final` is; at every instant `final` is the old site or the new one, complete.

    On Linux the two folders are exchanged in one atomic step; elsewhere the old
    site is first moved aside, so a kill between the two renames leaves it in a
    `.site.old-*` folder, which the next build puts back (`_recover`).
    """
    if final.exists() and _exchange(new, final):
        shutil.rmtree(new, ignore_errors=True)  # now holds the old site
        return
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=_staging_prefix(final, "old"), dir=final.parent))
        os.rename(final, old / "site")
    try:
        os.rename(new, final)
    except OSError:
        if old:
            os.rename(old / "site", final)
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old:
        shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # no glibc 2.28+
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):  # kernel or file system without it
        return False
    raise OSError(error, os.strerror(error), str(b))


def _staging_prefix(final: Path, kind: str) -> str:
    """`.site.new-<pid>-`: the pid tells a later build whether the run that made it is still alive."""
    return f".{final.name}.{kind}-{os.getpid()}-"


def _recover(final: Path) -> None:
    """Clear what killed runs left next to `final`; put the old site back if a run died mid-swap."""
    if not final.parent.is_dir():
        return
    for kind in ("old", "new"):  # "old" first: it may hold the only copy of the site
        made = re.compile(
            re.escape(f".{final.name}.{kind}-") + r"(\d+)-[a-z0-9_]{8}"
        )  # _staging_prefix, then mkdtemp's
        for path in sorted(final.parent.glob(f".{final.name}.{kind}-*")):
            run = made.fullmatch(path.name)  # only what mkdtemp made with our prefix: never a folder of the user's
            if not run or not path.is_dir() or path.is_symlink() or _alive(int(run[1]), path):
                continue
            if kind == "old" and not final.exists() and (path / "site").is_dir():
                os.rename(path / "site", final)
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int, path: Path) -> bool:
    """Whether the run that made the staging folder `path`, whose pid is `pid`, still runs: a process
    of that pid that started after the folder last changed is another that reuses the pid (containers
    start their processes with the same few pids), and the folder would otherwise stay for good."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    started = _started(pid)
    return started is None or started <= path.lstat().st_mtime + 1  # /proc's boot time is in whole seconds


def _started(pid: int) -> float | None:
    """When process `pid` started, in seconds since the epoch; None where /proc does not say."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(
            float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime ")
        )
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22, starttime, in clock ticks after boot
    except (OSError, ValueError, IndexError, StopIteration):
        return None

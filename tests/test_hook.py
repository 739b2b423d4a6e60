"""The hooks: scripts/pre-commit refuses a commit whose staged briefing has errors or is not in canonical form;
the MkDocs plugin (crossbrief/plugin.py) regenerates the pages for `mkdocs build` and `mkdocs serve`."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import FIXTURES, REPO
from gitutil import INITIAL, GitProject
from mkdocs.exceptions import PluginError

from crossbrief.plugin import CrossbriefPlugin

HOOK = REPO / "scripts" / "pre-commit"


@pytest.fixture
def repo(tmp_path) -> GitProject:
    g = GitProject(tmp_path / "p")
    g.write(INITIAL)
    g.commit("Initial briefing")
    (g.root / "scripts").mkdir()
    shutil.copy2(HOOK, g.root / "scripts" / "pre-commit")
    os.symlink("../../scripts/pre-commit", g.root / ".git" / "hooks" / "pre-commit")  # the documented install
    return g


def commit(g: GitProject, *paths: str) -> subprocess.CompletedProcess:
    """`git commit` with the hook, crossbrief on the PATH."""
    env = {**g.env(), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["git", "add", "--", *paths], cwd=g.root, env=env, check=True)
    return subprocess.run(["git", "commit", "-q", "-m", "change"], cwd=g.root, env=env, capture_output=True, text=True)


def test_a_clean_change_is_committed(repo):
    repo.edit("briefings/people/jane-roe.yaml", "value: minister", "value: finance minister")
    done = commit(repo, "briefings/people/jane-roe.yaml")
    assert done.returncode == 0, done.stderr
    assert "no problems in 6 files" in done.stderr  # git shows a hook's output on stderr


def test_a_broken_quote_is_refused(repo):
    repo.edit("briefings/people/jane-roe.yaml", "quote: Ms Roe, 52,", "quote: Ms Roe, 53,")
    done = commit(repo, "briefings/people/jane-roe.yaml")
    assert done.returncode == 1
    assert "briefings/people/jane-roe.yaml:15:16: error[E203]: quote not found in source wire-2020-01-02" in done.stderr
    assert "pre-commit: commit refused" in done.stderr
    assert repo.git("rev-list", "--count", "HEAD").strip() == "1"


def test_a_file_not_in_canonical_form_is_refused(repo):
    repo.edit("briefings/organisations/wire.yaml", "kind: news-agency\n", "kind: 'news-agency'\n")
    done = commit(repo, "briefings/organisations/wire.yaml")
    assert done.returncode == 1
    assert "would reformat briefings/organisations/wire.yaml" in done.stderr
    assert "pre-commit: run 'crossbrief fmt .' and stage the result" in done.stderr


def test_what_is_staged_is_checked_not_the_working_tree(repo):
    path = "briefings/people/jane-roe.yaml"
    repo.edit(path, "value: minister", "value: finance minister")
    subprocess.run(["git", "add", path], cwd=repo.root, check=True, env=repo.env())
    repo.edit(path, "quote: Ms Roe, 52,", "quote: broken")  # not staged
    index = (repo.root / ".git" / "index").read_bytes()
    env = {**repo.env(), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["git", "commit", "-q", "-m", "staged part"], cwd=repo.root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "quote: broken" in (repo.root / path).read_text()  # the working tree is left alone
    assert index != (repo.root / ".git" / "index").read_bytes()  # (the commit itself updates the index)


def test_commits_that_do_not_touch_the_briefing_are_not_checked(repo):
    repo.edit("briefings/people/jane-roe.yaml", "quote: Ms Roe, 52,", "quote: broken")  # broken, but not staged
    repo.write({"notes.txt": "x"})
    done = commit(repo, "notes.txt")
    assert done.returncode == 0, done.stderr
    assert "no problems" not in done.stderr


# --- the MkDocs plugin ----------------------------------------------------------


def docs_state(docs: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under docs/ with its bytes and modification time: what `mkdocs serve` watches."""
    return {
        p.relative_to(docs).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(docs.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def preview(tmp_path, monkeypatch):
    """A project as `mkdocs serve` sees it: the plugin's events, called as MkDocs calls them."""
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "minimal", root, ignore=shutil.ignore_patterns("docs", "site"))
    config = SimpleNamespace(
        config_file_path=str(root / "mkdocs.yml"), docs_dir=str(root / "docs"), use_directory_urls=False
    )
    plugin = CrossbriefPlugin()
    plugin.load_config({"pdf": False})
    return root, config, plugin


def test_serve_rebuilds_write_nothing_when_nothing_was_edited(preview):
    root, config, plugin = preview
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_pre_build(config=config)
    before = docs_state(root / "docs")
    assert "people/jane-roe.md" in before
    plugin.on_pre_build(config=config)
    plugin.on_pre_build(config=config)
    assert docs_state(root / "docs") == before  # a change would make `mkdocs serve` rebuild, for ever


def test_an_edit_with_an_error_leaves_the_last_good_pages_served_with_the_error_shown(preview, caplog):
    root, config, plugin = preview
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_pre_build(config=config)
    before = docs_state(root / "docs")
    dossier = root / "briefings" / "people" / "jane-roe.yaml"
    good = dossier.read_text()
    dossier.write_text(good.replace("quote: Jane Roe, the minister", "quote: Jane Doe") + "<script>x: 1\n")
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        plugin.on_pre_build(config=config)  # returns: raising would leave `mkdocs serve` stuck
    assert docs_state(root / "docs") == before
    assert any(r.levelno == logging.ERROR and "error[E203]" in r.getMessage() for r in caplog.records)
    page = plugin.on_post_page("<html><body class=x><p>page</p></body></html>", page=None, config=config)
    assert '<body class=x><div class="cb-preview-error"' in page
    assert "briefings/people/jane-roe.yaml:8:16: error[E203]: quote not found" in page
    assert "unknown field &#39;&lt;script&gt;x&#39;" in page and "<script>" not in page
    dossier.write_text(good)
    plugin.on_pre_build(config=config)
    assert plugin.on_post_page("<body><p>page</p></body>", page=None, config=config) == "<body><p>page</p></body>"


def test_mkdocs_build_stops_on_errors(preview):
    root, config, plugin = preview
    plugin.on_startup(command="build", dirty=False)
    (root / "briefings" / "people" / "bad.yaml").write_text("name: [\n")
    with pytest.raises(PluginError):
        plugin.on_pre_build(config=config)


def test_the_plugins_warnings_reach_mkdocs_log_so_strict_builds_fail_on_them(preview, tmp_path):
    root, _, _ = preview
    (root / "briefings" / "people" / "nobody.yaml").write_text("name: Nobody Atall\n")  # W302: nothing mentions them
    config = yaml.safe_load((REPO / "crossbrief" / "data" / "mkdocs.yml").read_text())
    config["plugins"].append("crossbrief")  # as installed: found through its entry point
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    (root / "docs").mkdir()  # MkDocs wants it before any plugin runs
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stderr
    assert "briefings/people/nobody.yaml: warning[W302]" in run.stderr


class _Server:
    """What the plugin asks of `mkdocs serve`'s LiveReloadServer: the folders it watches."""

    def __init__(self, watched):
        self.watched = set(watched)

    def watch(self, path):
        self.watched.add(str(path))

    def unwatch(self, path):
        self.watched.remove(str(path))


def test_serve_watches_the_sources_not_the_pages_it_rewrites(preview):
    root, config, plugin = preview
    server = plugin.on_serve(_Server([config.docs_dir, config.config_file_path]), config=config, builder=None)
    # docs/ watched: the plugin's own rewrite during a rebuild would start a second one after each save
    assert server.watched == {str(root / "briefings"), str(root / "sources"), config.config_file_path}


def test_crossbrief_build_and_the_plugin_write_the_same_pages(preview, cli):
    """`crossbrief build` while `mkdocs serve` runs: neither rewrites what the other wrote, and the home page
    keeps its link to the PDF, which the plugin adds to the site it builds."""
    root, config, _ = preview
    plugin = CrossbriefPlugin()
    plugin.load_config({})
    plugin.on_startup(command="serve", dirty=False)
    assert cli("build", "-C", root).status == 0
    before = docs_state(root / "docs")
    assert 'href="resignation.pdf">Briefing book (PDF)</a>' in (root / "docs/index.md").read_text()
    plugin.on_pre_build(config=config)
    assert docs_state(root / "docs") == before
    run = cli("build", "-C", root)
    assert (run.status, run.out.split(";")[0]) == (0, "0 pages changed")
    config.site_dir = str(root / "preview")
    plugin.on_post_build(config=config)
    assert (root / "preview/resignation.pdf").read_bytes().startswith(b"%PDF")


def test_a_configuration_whose_docs_dir_crossbrief_does_not_read_is_refused_saying_why(preview):
    root, config, plugin = preview
    config.docs_dir = str(root / "pages")  # as `mkdocs -f other.yml` with docs_dir: pages would give
    with pytest.raises(PluginError, match=r"crossbrief reads its settings from .*name the configuration mkdocs.yml"):
        plugin.on_config(config)


@pytest.mark.parametrize("plugins", [["offline", "crossbrief"], ["crossbrief", "offline"]])
def test_search_from_disk_runs_crossbrief_s_copy_of_the_worker_shim_never_unpkg_s(tmp_path, plugins):
    """Material's offline plugin names unpkg.com's iframe-worker shim unless `extra.polyfills` names one: with
    the plugin in either order, the site names crossbrief's copy, so a page read from disk asks no other host."""
    from mkdocs.config import load_config

    root = tmp_path / "greve"
    shutil.copytree(FIXTURES / "francais", root)
    (root / "docs").mkdir()
    config_file = root / "mkdocs.yml"
    listed = "".join(f"  - {name}\n" for name in plugins)
    config_file.write_text(config_file.read_text("utf-8").replace("  - offline\n", listed), "utf-8")
    config = load_config(str(config_file))
    config = config.plugins.on_config(config)
    assert config.extra["polyfills"] == ["assets/iframe-worker.js"]

"""crossbrief as a newsroom gets it: the sdist and wheel `python -m build` makes, installed into a fresh virtual
environment outside this repository, and every step a new user takes run there: `init`, minimal MkDocs
configurations under both values of `use_directory_urls`, `crossbrief build`, `mkdocs build --strict`,
`zensical build`, and the review workflow's own steps. The package is built and installed once, for the module."""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import FIXTURES, REPO

from crossbrief import __version__
from crossbrief.model import PLACEHOLDERS

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Desk",
    "GIT_AUTHOR_EMAIL": "desk@example.org",
    "GIT_COMMITTER_NAME": "Desk",
    "GIT_COMMITTER_EMAIL": "desk@example.org",
    "NO_MKDOCS_2_WARNING": "1",
}


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """The sdist and the wheel, and a fresh virtual environment with the wheel (and Zensical) installed."""
    out = tmp_path_factory.mktemp("release")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out / "dist"), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = next((out / "dist").glob("*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(out / "venv")], check=True, timeout=300)
    pip = [str(out / "venv/bin/python"), "-m", "pip", "install", "-q", str(wheel), "zensical"]
    installed = subprocess.run(pip, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr[-3000:]
    return SimpleNamespace(dist=out / "dist", wheel=wheel, bin=out / "venv/bin", home=out)


def run(release, *args, cwd: Path, ok: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """A command of the fresh environment, as a user in `cwd` runs it (no PYTHONPATH: nothing of this repository)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environ.update(GIT_ENV, PATH=f"{release.bin}{os.pathsep}{environ['PATH']}", **(env or {}))
    done = subprocess.run(args, cwd=cwd, env=environ, capture_output=True, text=True, timeout=600)
    if ok:
        assert done.returncode == 0, f"{args}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done


def test_the_package_is_release_ready(release):
    names = sorted(p.name for p in release.dist.iterdir())
    assert names == [f"crossbrief-{__version__}-py3-none-any.whl", f"crossbrief-{__version__}.tar.gz"]
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, release.dist.iterdir())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0 and checked.stdout.count("PASSED") == 2, checked.stdout + checked.stderr
    with zipfile.ZipFile(release.wheel) as wheel:
        metadata = wheel.read(f"crossbrief-{__version__}.dist-info/METADATA").decode()
        assert "License-Expression: MIT" in metadata and f"Version: {__version__}\n" in metadata
        assert "MIT License" in wheel.read(f"crossbrief-{__version__}.dist-info/licenses/LICENSE").decode()
        # the interface's catalogues: without them a French or German site is silently English
        names = set(wheel.namelist())
        assert {f"crossbrief/locale/{code}/LC_MESSAGES/crossbrief.po" for code in ("de", "fr")} <= names
    assert f"## {__version__}" in (REPO / "CHANGELOG.md").read_text()
    assert run(release, "crossbrief", "--version", cwd=release.home).stdout == f"crossbrief {__version__}\n"


def _with_dossiers(root: Path) -> None:
    """The fixture's dossiers and article, as an editor adds them to a new project, and the briefing's own
    summary and key point in place of init's placeholders (W321 until then)."""
    briefing = next((root / "briefings").glob("*.yaml"))
    text = briefing.read_text()
    for placeholder, own in zip(PLACEHOLDERS, ("[[jane-roe]] has resigned.", "She was a minister.")):
        text = text.replace(placeholder, own)
    briefing.write_text(text)
    for folder in ("people", "organisations"):
        for path in (FIXTURES / "minimal/briefings" / folder).iterdir():
            shutil.copy(path, root / "briefings" / folder / path.name)
    for path in (FIXTURES / "minimal/sources").iterdir():
        shutil.copy(path, root / "sources" / path.name)


class _Links(html.parser.HTMLParser):
    """The relative links of a page's <article>."""

    def __init__(self):
        super().__init__()
        self.depth, self.links = 0, set()

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "article"
        href = dict(attrs).get("href") or ""
        if self.depth and tag == "a" and href and not re.match(r"[a-z]+:|#", href):
            self.links.add(href.split("#")[0])

    def handle_endtag(self, tag):
        self.depth -= tag == "article"


def broken_links(site: Path) -> dict[str, list[str]]:
    """Every page's links that lead to no file of the site (a folder's page is its index.html)."""
    broken = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        missing = []
        for link in sorted(parser.links):
            target = (page.parent / link).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(link)
        if missing:
            broken[page.relative_to(site).as_posix()] = missing
    return broken


def test_an_inited_project_builds_with_crossbrief_mkdocs_and_zensical(release, tmp_path):
    run(release, "crossbrief", "init", "desk", "--date", "2020-01-02", cwd=tmp_path)
    root = tmp_path / "desk"
    _with_dossiers(root)
    assert re.match(r"1\d pages changed; site in ", run(release, "crossbrief", "build", cwd=root).stdout)
    assert (root / "site/desk.pdf").read_bytes().startswith(b"%PDF")
    shutil.rmtree(root / "site")
    run(release, "mkdocs", "build", "--strict", cwd=root)
    assert (root / "site/people/jane-roe.html").is_file() and (root / "site/desk.pdf").is_file()
    assert broken_links(root / "site") == {}
    shutil.rmtree(root / "site")
    run(release, "crossbrief", "generate", cwd=root)
    run(release, "zensical", "build", cwd=root)
    assert (root / "site/people/jane-roe.html").is_file()
    assert broken_links(root / "site") == {}


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_minimal_mkdocs_configuration_works_either_way(release, tmp_path, directory_urls):
    root = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    (root / "mkdocs.yml").write_text(
        "site_name: Minimal\ntheme: material\nplugins: [crossbrief]\n"
        + ("" if directory_urls else "use_directory_urls: false\n")  # MkDocs' default is true
    )
    (root / "docs").mkdir()  # MkDocs checks it before any plugin runs (crossbrief build makes it too)
    run(release, "mkdocs", "build", "--strict", cwd=root)
    site = root / "site"
    assert (site / "people/jane-roe/index.html" if directory_urls else site / "people/jane-roe.html").is_file()
    assert broken_links(site) == {}
    home = (site / "index.html").read_text()
    person = "people/jane-roe/" if directory_urls else "people/jane-roe.html"
    assert f'href="{person}"' in home and 'href="resignation.pdf"' in home
    assert (site / "resignation.pdf").is_file()
    assert 'href="assets/crossbrief.css"' in home and 'src="assets/crossbrief.js"' in home
    assert "fonts.googleapis.com" not in home  # no web fonts: the site is read offline


def test_the_review_workflows_steps_run_locally_against_the_wheel(release, tmp_path):
    run(
        release,
        "crossbrief",
        "init",
        "desk",
        "--git",
        "--date",
        "2020-01-02",
        "--install-spec",
        str(release.wheel),
        cwd=tmp_path,
    )
    root = tmp_path / "desk"
    assert (root / "requirements.txt").read_text().splitlines()[-1] == str(release.wheel)
    run(release, "git", "add", "-A", cwd=root)
    run(release, "git", "commit", "-qm", "A new briefing", cwd=root)
    base = run(release, "git", "rev-parse", "HEAD", cwd=root).stdout.strip()
    _with_dossiers(root)
    run(release, "crossbrief", "fmt", ".", cwd=root)
    run(release, "git", "add", "-A", cwd=root)
    run(release, "git", "commit", "-qm", "Jane Roe, from the wire", cwd=root)

    workflow = yaml.safe_load((root / ".github/workflows/review.yml").read_text())
    steps = [s for s in workflow["jobs"]["review"]["steps"] if "run" in s]
    summary = tmp_path / "summary.md"
    for step in steps:
        # the runner's system packages are the machine's business: sudo is not run here
        script = "\n".join(line for line in step["run"].splitlines() if not line.strip().startswith("sudo "))
        done = run(
            release,
            "bash",
            "-eo",
            "pipefail",
            "-c",
            script,
            cwd=root,
            env={"BASE": base, "GITHUB_STEP_SUMMARY": str(summary)},
            ok=False,
        )
        assert done.returncode == 0, (step.get("name"), done.stdout[-2000:], done.stderr[-2000:])
    assert "jane-roe" in summary.read_text() and "jane-roe" in (root / "build/review-diff.md").read_text()
    assert (root / "site/index.html").is_file() and (root / "build/briefing.pdf").read_bytes().startswith(b"%PDF")
    assert [s.get("name") for s in steps][0] == "Install crossbrief"

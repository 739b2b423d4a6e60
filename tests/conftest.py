"""Shared helpers: run the CLI in-process, copy fixture projects, compare golden files."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from crossbrief.cli import main

# Property tests explore the same examples on every run, so CI stays reproducible;
# CROSSBRIEF_FUZZ=random explores new ones (test_fuzz.py reads the same switch).
settings.register_profile("crossbrief", derandomize=os.environ.get("CROSSBRIEF_FUZZ") != "random")
settings.load_profile("crossbrief")


FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


def missing_tool(message: str) -> None:
    """Skip a test for want of a tool (Chromium, poppler, actionlint), except where the whole suite must run
    (`make test`, CI): fail there."""
    if os.environ.get("CI") or os.environ.get("CROSSBRIEF_REQUIRE_TOOLS"):
        pytest.fail(message + " (make test and .ci/run run every test, so they never skip)")
    pytest.skip(message)


def rendered(analysis, pdf: bool = False) -> dict[str, str]:
    """Every page of the site as text (render.pages gives the calls that render them)."""
    from crossbrief.site import render

    return {path: make() for path, make in render.pages(analysis, pdf).items()}


@pytest.fixture(autouse=True, scope="session")
def cache_dir(tmp_path_factory):
    """Every run, in-process or a subprocess, keeps parsed files in a folder of this session, never in ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("CROSSBRIEF_CACHE_DIR")
    os.environ["CROSSBRIEF_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["CROSSBRIEF_CACHE_DIR"]
    else:
        os.environ["CROSSBRIEF_CACHE_DIR"] = previous


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@dataclass
class Run:
    status: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run `crossbrief ARGS...` in-process; return its status and output."""

    def run(*args: str) -> Run:
        try:
            status = main([str(a) for a in args])
        except SystemExit as e:
            status = e.code
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture
def project(tmp_path):
    """Copy a fixture project into a temporary folder and return its path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("docs", "site", "expected*"))
        return target

    return copy


@pytest.fixture
def golden(request):
    """Compare text with a golden file, or rewrite it under --update-golden."""

    def compare(path: Path, actual: str) -> None:
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"{path} missing: run pytest --update-golden"
        assert actual == path.read_text(encoding="utf-8"), f"{path} differs: review, then pytest --update-golden"

    return compare

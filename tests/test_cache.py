"""The cache of parsed files: a second run reads it and says exactly what the first said; an edit,
a damaged or foreign cache file, a changed crossbrief or a cache folder that cannot be written
never give a wrong result; and nothing of it lands in the project."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from crossbrief import load
from crossbrief.infra import store
from crossbrief.load import readcache

CROSSBRIEF = [sys.executable, "-m", "crossbrief.cli"]
EDITED = "briefings/people/bad.yaml"
FILES = 5


@pytest.fixture
def root(tmp_path) -> Path:
    """The minimal project with a dossier that has two problems, at known lines and columns."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root, ignore=shutil.ignore_patterns("docs", "site"))
    shutil.copytree(
        FIXTURES / "diagnostics" / "E208", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt")
    )
    return root


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CROSSBRIEF_CACHE_DIR", str(folder))
    return folder


def check(root: Path, **env: str) -> subprocess.CompletedProcess:
    """`crossbrief check ROOT` in a fresh process, which has only the disk to remember by."""
    return subprocess.run(
        [*CROSSBRIEF, "check", str(root)], capture_output=True, text=True, cwd=REPO, env={**os.environ, **env}
    )


def parses(root: Path, monkeypatch) -> list[str]:
    """The files a load of `root` parses, as a fresh process would (no memory of earlier loads)."""
    monkeypatch.setattr(readcache, "_memo", {})
    parsed = []
    real = load._read

    def spy(rel, text, properties):
        parsed.append(rel)
        return real(rel, text, properties)

    monkeypatch.setattr(load, "_read", spy)
    load.load(root)
    return parsed


def cache_file(cache: Path) -> Path:
    """The cache of parsed files (beside it: searchcache.py's)."""
    files = [p for p in cache.iterdir() if p.name.endswith(".parsed.pickle")]
    assert len(files) == 1, files
    return files[0]


def test_a_second_run_reads_the_cache_and_reports_the_same(root, cache, monkeypatch):
    first = check(root)
    assert "bad.yaml:6:12: error[E208]" in first.stderr and first.returncode == 1
    assert cache_file(cache).stat().st_size > 0
    assert parses(root, monkeypatch) == []
    second = check(root)
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)


def test_after_an_edit_only_the_edited_file_is_parsed_and_its_new_problems_reported(root, cache, monkeypatch):
    check(root)
    path = root / EDITED
    path.write_text(path.read_text().replace("value: the-wire", "value: wire\n    bogus: 1"))
    assert parses(root, monkeypatch) == [EDITED]
    run = check(root)
    assert "bad.yaml:10:12: error[E208]" not in run.stderr
    assert "bad.yaml:11:5: error[E113]: unknown field 'bogus' in a claim" in run.stderr
    assert run.stderr.endswith("2 errors, 0 warnings in 5 files\n")


def test_a_changed_property_registry_rereads_the_dossiers(root, cache):
    check(root)
    (root / "briefings" / "properties.yaml").write_text("role: {type: number}\n")
    run = check(root)
    assert "jane-roe.yaml:5:12: error[E208]: 'role' takes a number" in run.stderr
    assert run.stderr == check(root, CROSSBRIEF_CACHE_DIR="").stderr


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "empty", "garbage", "another version"])
def test_a_damaged_cache_file_is_ignored_and_replaced(root, cache, damage, monkeypatch):
    expected = check(root)
    path = cache_file(cache)
    data = path.read_bytes()
    damaged = {
        "truncated": data[: len(data) // 2],
        "flipped byte": data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 1]) + data[len(data) // 2 + 1 :],
        "empty": b"",
        "garbage": os.urandom(len(data)),
        "another version": data.replace(b"crossbrief parsed files 1", b"crossbrief parsed files 0"),
    }[damage]
    path.write_bytes(damaged)
    run = check(root)
    assert (run.returncode, run.stderr) == (expected.returncode, expected.stderr)
    assert path.read_bytes() == data
    assert parses(root, monkeypatch) == []


def test_a_cache_of_another_crossbrief_is_not_read(root, cache, monkeypatch):
    check(root)
    monkeypatch.setattr(store, "FINGERPRINT", b"an older crossbrief")
    assert len(parses(root, monkeypatch)) == FILES


def test_a_cache_file_others_may_write_is_not_read(root, cache, monkeypatch):
    check(root)
    path = cache_file(cache)
    path.chmod(0o666)
    assert len(parses(root, monkeypatch)) == FILES
    assert stat.S_IMODE(cache_file(cache).stat().st_mode) == 0o600


def test_an_empty_cache_dir_setting_turns_the_cache_off(root, tmp_path):
    home = tmp_path / "home"
    run = check(root, CROSSBRIEF_CACHE_DIR="", HOME=str(home), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert run.returncode == 1 and "error[E208]" in run.stderr
    assert not home.exists() and not (tmp_path / "xdg").exists()


def test_an_unwritable_cache_dir_means_no_cache(root, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    expected = check(root, CROSSBRIEF_CACHE_DIR="")
    for _ in range(2):
        run = check(root, CROSSBRIEF_CACHE_DIR=str(blocker / "cache"))
        assert (run.returncode, run.stderr) == (expected.returncode, expected.stderr)


def test_the_cache_lives_in_the_users_cache_folder_not_in_the_project(root, tmp_path, monkeypatch):
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    monkeypatch.delenv("CROSSBRIEF_CACHE_DIR")
    check(root, HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    check(root, HOME=str(tmp_path / "home"))
    for folder in (tmp_path / "xdg" / "crossbrief", tmp_path / "home" / ".cache" / "crossbrief"):
        assert cache_file(folder).suffix == ".pickle"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


class _Planted:
    """A pickle that, once loaded, leaves a file behind: proof that the cache ran it."""

    def __init__(self, proof: Path):
        self.proof = proof

    def __reduce__(self):
        return (Path.touch, (self.proof,))


@pytest.mark.parametrize("foreign", [True, False], ids=["another users file", "a private file"])
def test_no_compiled_template_is_read_from_the_cache_folder(root, cache, tmp_path, foreign):
    """Issue 34: Jinja unpickles each compiled template's checksum, so a pickle planted in a shared cache
    folder's templates/ ran during `crossbrief build`; nothing there is read (templates are compiled in
    each process), whoever owns the files."""
    import pickle
    import sys as _sys

    from jinja2 import bccache

    (root / EDITED).unlink()  # a project that builds
    proof = tmp_path / "ran"
    magic = bccache.bc_magic
    assert magic == b"j2" + pickle.dumps(bccache.bc_version, 2) + pickle.dumps(
        (_sys.version_info[0] << 24) | _sys.version_info[1], 2
    )
    folder = cache / "templates"
    folder.mkdir(parents=True)
    shipped = REPO / "crossbrief" / "templates"
    for path in sorted(shipped.rglob("*.j2")):
        name = path.relative_to(shipped).as_posix()
        key = bccache.BytecodeCache().get_cache_key(name, os.path.normpath(path))
        planted = folder / f"__jinja2_{key}.cache"
        planted.write_bytes(magic + pickle.dumps(_Planted(proof), 2))
        if foreign:
            os.chown(planted, 65534, 65534)
            planted.chmod(0o666)
    run = subprocess.run(
        [*CROSSBRIEF, "build", "--no-pdf", str(root)], capture_output=True, text=True, cwd=REPO, env=os.environ
    )
    assert run.returncode == 0, run.stderr
    assert (root / "site" / "index.html").is_file()
    assert not proof.exists(), "a pickle planted in the cache folder's templates/ was loaded"

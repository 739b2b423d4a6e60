"""Work shared with a second process gives what one process gives, whatever happens to the second."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO

from crossbrief.infra import fork
from crossbrief.load import load, readcache

JOBS = [f"page-{i}" for i in range(50)]


def shout(job: str) -> tuple[str, str]:
    return job, job.upper()


def wait_for(path):
    for _ in range(2000):
        if path.exists():
            return
        time.sleep(0.005)
    raise TimeoutError(path)


def test_the_jobs_are_shared_with_a_child(monkeypatch, tmp_path):
    monkeypatch.setattr(fork, "MINIMUM", 2)
    parent, started, began = os.getpid(), tmp_path / "started", tmp_path / "began"

    def do(job):
        if os.getpid() != parent:
            started.touch()
            if job == JOBS[0]:  # so that the child cannot take every job before the parent takes one
                wait_for(began)
        elif job == JOBS[-1]:  # so that the parent cannot finish before the child begins
            began.touch()
            wait_for(started)
        return job, os.getpid() == parent

    out = fork.map_jobs(JOBS, do)
    assert sorted(out) == sorted(JOBS)
    assert set(out.values()) == {True, False}
    # the child takes from the front and the parent from the back
    mine = sorted(JOBS.index(job) for job, by_parent in out.items() if by_parent)
    assert mine == list(range(mine[0], len(JOBS)))


def test_a_slow_job_leaves_the_others_to_the_other_side(monkeypatch, tmp_path):
    """The child's first job lasts until the parent has done every other: the work is balanced by
    time, not by count."""
    monkeypatch.setattr(fork, "MINIMUM", 2)
    parent = os.getpid()
    started, finished = tmp_path / "started", tmp_path / "finished"

    def do(job):
        if job == JOBS[0]:
            started.touch()
            wait_for(finished)
        elif job == JOBS[-1]:
            wait_for(started)
        elif job == JOBS[1]:
            finished.touch()
        return job, os.getpid() == parent

    out = fork.map_jobs(JOBS, do)
    assert [job for job, by_parent in out.items() if not by_parent] == [JOBS[0]]


def test_the_childs_results_are_taken_in_while_the_parent_works(monkeypatch, tmp_path):
    """What the child sends comes back a few jobs at a time and is handed to `arrived` between the
    parent's own jobs (readcache unpickles it there), not all at once when the child has ended."""
    monkeypatch.setattr(fork, "MINIMUM", 2)
    parent, go = os.getpid(), tmp_path / "go"
    jobs = [f"page-{i}" for i in range(40)]

    def do(job):
        if os.getpid() != parent and job == jobs[20]:
            wait_for(go)  # until the parent has taken in the child's first results (else it fails in 10 s)
        elif os.getpid() == parent:
            time.sleep(0.01)
        return job, os.getpid() == parent

    arrived = []

    def take(result):
        arrived.append(result)
        go.touch()

    out = fork.map_jobs(jobs, do, arrived=take)
    assert sorted(out) == sorted(jobs)
    assert out[jobs[20]] is False  # done by the child, which was not kept waiting
    assert {job for job, by_parent in out.items() if not by_parent} <= {job for job, _ in arrived}


def test_a_child_that_fails_costs_only_time(monkeypatch):
    monkeypatch.setattr(fork, "MINIMUM", 2)
    parent = os.getpid()

    def fails_in_child(job):
        if os.getpid() != parent:
            raise RuntimeError("child broke")
        return shout(job)

    assert fork.map_jobs(JOBS, fails_in_child) == dict(map(shout, JOBS))


def test_a_child_killed_costs_only_time(monkeypatch):
    monkeypatch.setattr(fork, "MINIMUM", 2)
    parent = os.getpid()

    def killed_in_child(job):
        if os.getpid() != parent and job == JOBS[3]:
            os.kill(os.getpid(), 9)
        return shout(job)

    assert fork.map_jobs(JOBS, killed_in_child) == dict(map(shout, JOBS))


def test_files_parsed_on_two_cores_are_the_files_parsed_on_one(monkeypatch, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(REPO / "briefings", root / "briefings")
    shutil.copytree(REPO / "sources", root / "sources")
    broken = root / "briefings" / "people" / "broken.yaml"
    broken.write_text("id: broken\nname: Broken\nclaims:\n  - property: age\n    value: old\n")
    monkeypatch.setenv("CROSSBRIEF_CACHE_DIR", "")
    monkeypatch.setattr(fork, "MINIMUM", 10**9)
    monkeypatch.setattr(readcache, "_memo", {})
    one = load(root)
    monkeypatch.setattr(fork, "MINIMUM", 2)
    monkeypatch.setattr(readcache, "_memo", {})
    two = load(root)
    assert two == one
    assert any(p.location.path == "briefings/people/broken.yaml" for p in two[1])


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_error_in_the_parent_stops_the_child(monkeypatch, tmp_path):
    monkeypatch.setattr(fork, "MINIMUM", 2)
    parent, child = os.getpid(), tmp_path / "child"

    def do(job):
        if os.getpid() != parent:
            child.with_suffix(".tmp").write_text(str(os.getpid()))
            os.replace(child.with_suffix(".tmp"), child)  # whole once it exists: the parent kills us then
            time.sleep(60)
        else:
            wait_for(child)
            raise ValueError("parent broke")
        return shout(job)

    with pytest.raises(ValueError, match="parent broke"):
        fork.map_jobs(JOBS, do)
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left sleeping
        os.kill(int(child.read_text()), 0)


def running(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie waiting to be reaped."""
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_a_child_does_not_outlive_its_parent_killed(tmp_path):
    """A build killed (SIGKILL, the OOM killer) must not leave its child rendering on for seconds."""
    script = (
        "import os, sys, time\n"
        "from crossbrief.infra import fork\n"
        "folder = sys.argv[1]\n"
        "parent = os.getpid()\n"
        "def mark(job):\n"
        "    name = 'parent' if os.getpid() == parent else 'child'\n"
        "    open(os.path.join(folder, name + '.tmp'), 'w').write(str(os.getpid()))\n"
        "    os.replace(os.path.join(folder, name + '.tmp'), os.path.join(folder, name))\n"
        "    time.sleep(60)\n"
        "fork.map_jobs([1, 2], mark, weight=fork.MINIMUM)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=REPO)
    try:
        wait_for(tmp_path / "child")
        wait_for(tmp_path / "parent")
        child = int((tmp_path / "child").read_text())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        for _ in range(400):  # the kernel's signal arrives at once; this only bounds a failure
            if not running(child):
                break
            time.sleep(0.01)
        alive = running(child)
        if alive:
            os.kill(child, signal.SIGKILL)
        assert not alive, "the child ran on after its parent was killed"
    finally:
        parent.kill()

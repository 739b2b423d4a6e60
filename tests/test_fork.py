"""Pages rendered on two cores are the pages rendered on one, whatever happens to the second process."""

from __future__ import annotations

import os

from crossbrief import fork, render
from crossbrief.build import inspect

from conftest import REPO

JOBS = [f"page-{i}" for i in range(50)]


def shout(jobs: list[str]) -> dict[str, str]:
    return {job: job.upper() for job in jobs}


def test_half_the_jobs_are_done_in_a_child(monkeypatch):
    monkeypatch.setattr(fork, "MINIMUM", 2)
    parent = os.getpid()
    out = fork.shared(JOBS, lambda jobs: {job: str(os.getpid() == parent) for job in jobs})
    assert sorted(out) == sorted(JOBS)
    assert set(out.values()) == {"True", "False"}


def test_a_child_that_fails_costs_only_time(monkeypatch):
    monkeypatch.setattr(fork, "MINIMUM", 2)
    parent = os.getpid()

    def fails_in_child(jobs):
        if os.getpid() != parent:
            raise RuntimeError("child broke")
        return shout(jobs)

    assert fork.shared(JOBS, fails_in_child) == shout(JOBS)


def test_a_child_killed_costs_only_time(monkeypatch):
    monkeypatch.setattr(fork, "MINIMUM", 2)
    parent = os.getpid()

    def killed_in_child(jobs):
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)
        return shout(jobs)

    assert fork.shared(JOBS, killed_in_child) == shout(JOBS)


def test_the_site_rendered_on_two_cores_is_the_site_rendered_on_one(monkeypatch):
    analysis = inspect(REPO).analysis
    monkeypatch.setattr(fork, "MINIMUM", 10**9)
    one = render.pages(analysis)
    monkeypatch.setattr(fork, "MINIMUM", 2)
    assert render.pages(analysis) == one

"""Temporary git repositories with deterministic commits, for the review tests.

Each commit gets a fixed author, committer and date (one day after the
previous commit), so commit ids are the same on every run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

AUTHORS = ("Ana Editor", "Ben Reviewer")


class GitProject:
    """A project folder that is also a git repository; `write`, `remove`, `move`, then `commit`."""

    def __init__(self, root: Path):
        self.root = root
        self.commits: list[str] = []
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def env(self, author: str = AUTHORS[0]) -> dict[str, str]:
        day = f"2024-03-{len(self.commits) + 1:02d}T10:00:00+00:00"
        email = author.split()[0].lower() + "@example.org"
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": day,
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": day,
        }

    def git(self, *args: str, author: str = AUTHORS[0]) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, env=self.env(author), capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def write(self, files: dict[str, str]) -> None:
        for rel, text in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = (self.root / rel).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        (self.root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")

    def move(self, old: str, new: str) -> None:
        self.git("mv", old, new)

    def commit(self, message: str, author: str = AUTHORS[0]) -> str:
        self.git("add", "-A", ".", author=author)
        self.git("commit", "-q", "--no-verify", "-m", message, author=author)
        sha = self.git("rev-parse", "HEAD").strip()
        self.commits.append(sha)
        return sha

    def state(self) -> tuple[str, bytes]:
        """The status and the index's bytes: both must be unchanged by anything crossbrief does."""
        return self.git("status", "--porcelain", "--untracked-files=all"), (self.root / ".git" / "index").read_bytes()


JANE = """\
name: Jane Roe
aliases: [Ms Roe]
claims:
  - id: role-minister
    property: role
    value: minister
    sources:
      - source: wire-2020-01-02
        quote: Jane Roe, the finance minister, resigned
  - id: age-52
    property: age
    value: 52
    sources:
      - source: wire-2020-01-02
        quote: Ms Roe, 52,
"""

INITIAL = {
    "briefings/resignation.yaml": "title: A resignation\ndate: 2020-01-03\nsummary: |\n  [[jane-roe]] has resigned.\n",
    "briefings/people/jane-roe.yaml": JANE,
    "briefings/organisations/wire.yaml": "name: The Wire\nkind: news-agency\n",
    "briefings/organisations/post.yaml": "name: The Post\nkind: newspaper\n",
    "sources/wire-2020-01-02.md": (
        "---\ntitle: Minister resigns\noutlet: wire\npublished: 2020-01-02\n---\n"
        "Jane Roe, the finance minister, resigned on Monday, officials said. Ms Roe, 52, had led the "
        "ministry since 2015. The Ministry of Finance declined to comment.\n"
    ),
    "sources/post-2020-01-03.md": (
        "---\ntitle: Roe steps down\noutlet: post\npublished: 2020-01-03\n---\n"
        "Jane Roe, 49, stepped down after four years at the Ministry of Finance.\n"
    ),
}

MINISTRY = """\
name: Ministry of Finance
kind: ministry
claims:
  - id: no-comment
    property: description
    value: Declined to comment
    sources:
      - source: wire-2020-01-02
        quote: The Ministry of Finance declined to comment
"""
AGE_49 = """\
  - id: age-49
    property: age
    value: 49
    sources:
      - source: post-2020-01-03
        quote: Jane Roe, 49, stood down
"""


def scenario(root: Path) -> GitProject:
    """The review scenario, one commit per step; `commits[0]` is the initial briefing."""
    g = GitProject(root)
    g.write(INITIAL)
    g.commit("Initial briefing")
    g.write({"briefings/organisations/finance-ministry.yaml": MINISTRY})
    g.commit("Add the ministry", author=AUTHORS[1])
    g.edit("briefings/people/jane-roe.yaml", "value: minister", "value: finance minister")
    g.commit("Role: finance minister")
    g.write({"briefings/people/jane-roe.yaml": (root / "briefings/people/jane-roe.yaml").read_text() + AGE_49})
    g.commit("Age according to the Post", author=AUTHORS[1])
    g.edit("briefings/people/jane-roe.yaml", "49, stood down", "49, stepped down")
    g.commit("Fix the Post quote")
    g.move("briefings/organisations/finance-ministry.yaml", "briefings/organisations/ministry-of-finance.yaml")
    g.commit("Rename the ministry", author=AUTHORS[1])
    return g

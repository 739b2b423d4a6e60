"""`python -m crossbrief`: the `crossbrief` program."""

from crossbrief.cli import run

run()

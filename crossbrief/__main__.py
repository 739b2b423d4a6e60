"""`python -m crossbrief`: the `crossbrief` program."""

from .cli import run

run()

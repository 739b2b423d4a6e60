"""The `crossbrief` command. Exit status: 0 clean, 1 problems, 2 usage."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .authoring import add_commands as add_authoring_commands
from .build import Outcome, build, inspect
from .problems import report
from .progress import for_terminal


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    root = Path(args.root)
    if getattr(args, "project", True) and not root.is_dir():
        parser.error(f"{args.root}: not a directory")
    if getattr(args, "project", True) and not (root / "briefings").is_dir() and not (root / "sources").is_dir():
        parser.error(f"{args.root}: not a crossbrief project (no briefings/ or sources/ folder)")
    try:
        return args.run(args, root)
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug: say so in one line rather than a traceback
        if os.environ.get("CROSSBRIEF_DEBUG"):
            raise
        print(f"crossbrief: internal error: {type(e).__name__}: {e} (set CROSSBRIEF_DEBUG=1 for details)", file=sys.stderr)
        return 70


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crossbrief", description="Cross-referenced briefings from sourced YAML dossiers.")
    parser.add_argument("--version", action="version", version=f"crossbrief {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument("root", nargs="?", default=".", metavar="ROOT", help="the project root (default: .)")
        sub.set_defaults(run=run)
        return sub

    for name, run, help in (
        ("check", _check, "validate the project and print every problem"),
        ("generate", _generate, "check, then write the site's Markdown pages (no MkDocs)"),
        ("build", _build, "check, generate the pages and build the site with MkDocs"),
    ):
        command(name, run, help).add_argument("--strict", action="store_true", help="fail on warnings too")
    command("export", _export, "print the analysed model as JSON")
    add_authoring_commands(commands)
    _review_commands(commands)
    return parser


def _review_commands(commands) -> None:
    """`diff` (revisions are its positional arguments, the root an option) and `fmt`."""
    from .diffformat import FORMATS

    text = "semantic diff of the briefing between two git revisions (default: HEAD and the working tree)"
    sub = commands.add_parser("diff", help=text, description=text)
    sub.add_argument("base", nargs="?", metavar="BASE", help="the older revision (default: HEAD)")
    sub.add_argument("head", nargs="?", metavar="HEAD", help="the newer revision (default: the working tree)")
    sub.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    sub.add_argument("-C", "--root", default=".", metavar="ROOT", help="the project root (default: .)")
    sub.set_defaults(run=_diff)


def _diff(args, root: Path) -> int:
    from .diffformat import render
    from .gitrepo import GitError
    from .review import compare

    try:
        changes, old, new = compare(root, args.base, args.head)
    except GitError as e:  # a refused or unknown revision, or no repository: usage
        print(f"crossbrief diff: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(render(changes, args.format, old.describe(), new.describe()))
    return 0


def _finish(outcome: Outcome, strict: bool) -> int:
    if outcome.problems or outcome.failed(strict):
        sys.stderr.write(report(outcome.problems, outcome.files))
    return 1 if outcome.failed(strict) else 0


def _check(args, root: Path) -> int:
    with for_terminal(("load", "analyse", "check")) as progress:
        outcome = inspect(root, args.strict, progress)
    if not outcome.problems:
        print(f"no problems in {outcome.files} files")
    return _finish(outcome, args.strict)


def _generate(args, root: Path) -> int:
    with for_terminal(("load", "analyse", "check", "render", "write")) as progress:
        outcome = build(root, args.strict, with_site=False, progress=progress)
    status = _finish(outcome, args.strict)
    if not status:
        print(f"{len(outcome.written)} pages changed")
    return status


def _build(args, root: Path) -> int:
    with for_terminal(("load", "analyse", "check", "render", "write", "site")) as progress:
        outcome = build(root, args.strict, progress=progress)
    status = _finish(outcome, args.strict)
    if not status:
        print(f"{len(outcome.written)} pages changed; site in {outcome.site}")
    return status


def _export(args, root: Path) -> int:
    from .export import to_json

    outcome = inspect(root)
    if outcome.failed(strict=False):
        return _finish(outcome, False)
    from .provenance import attach

    sys.stdout.write(to_json(attach(outcome.analysis)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

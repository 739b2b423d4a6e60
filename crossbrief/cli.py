"""The `crossbrief` command. Exit status: 0 clean, 1 problems, 2 usage."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__, gcpause
from .authoring import add_commands as add_authoring_commands
from .build import Outcome, build, inspect
from .problems import report
from .progress import for_terminal


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.run is _pdf:
        _briefing_or_root(args)
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
        sub = command(name, run, help)
        sub.add_argument("--strict", action="store_true", help="fail on warnings too")
        if name == "build":
            sub.add_argument("--no-pdf", dest="pdf", action="store_false", help="leave the print briefing (PDF) out of the site")
    command("export", _export, "print the analysed model as JSON")
    add_authoring_commands(commands)
    _review_commands(commands)
    _print_command(commands)
    return parser


def _print_command(commands) -> None:
    """`pdf`: the briefing is its positional argument, the root an option (as for `diff`).

    A project folder is taken in place of BRIEFING (`crossbrief pdf ROOT`), as the other commands take it.
    """
    text = "check, then render a briefing as a print-ready PDF"
    sub = commands.add_parser("pdf", help=text, description=text)
    sub.add_argument("briefing", nargs="?", metavar="BRIEFING",
                     help="the briefing's id (default: the first briefing); a project folder here is taken as ROOT")
    sub.add_argument("-o", "--output", metavar="FILE", help="where to write the PDF (default: ROOT/build/BRIEFING.pdf)")
    sub.add_argument("--letter", action="store_true", help="US Letter pages (default: A4)")
    sub.add_argument("--timings", action="store_true", help="print how long each step took")
    sub.add_argument("--strict", action="store_true", help="fail on warnings too")
    sub.add_argument("-C", "--root", default=".", metavar="ROOT", help="the project root (default: .)")
    sub.set_defaults(run=_pdf)


def _briefing_or_root(args) -> None:
    """`crossbrief pdf ROOT`: a positional naming a project folder (with briefings/ or sources/) is the root."""
    given = args.briefing
    if given and args.root == "." and any(Path(given, folder).is_dir() for folder in ("briefings", "sources")):
        args.root, args.briefing = given, None


def _pdf(args, root: Path) -> int:
    import time

    from . import pdf

    started = time.perf_counter()
    with for_terminal(("load", "analyse", "check", "pdf")) as progress:
        outcome = inspect(root, args.strict, progress)
        checked = time.perf_counter()
        if outcome.failed(args.strict):
            return _finish(outcome, args.strict)
        try:
            briefing = pdf.briefing_of(outcome.analysis, args.briefing)
        except pdf.NoBriefing as e:
            print(f"crossbrief pdf: {e}", file=sys.stderr)
            return 2
        with progress.stage("pdf", briefing.id):
            printed = pdf.render_pdf(outcome.analysis, briefing, "letter" if args.letter else "a4")
    outcome = Outcome(tuple(sorted({*outcome.problems, *printed.problems})), outcome.files, outcome.analysis)
    status = _finish(outcome, args.strict)
    if status:
        return status
    target = Path(args.output) if args.output else root / "build" / pdf.file_name(briefing)
    pdf.write(target, printed.pdf)
    print(f"{target}: {printed.pages} pages")
    if args.timings:
        steps = {"check": checked - started, **printed.timings}
        shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items())
        print(f"timings: {shown}; total {time.perf_counter() - started:.2f} s for {printed.pages} pages, "
              f"{printed.laid_out} pieces laid out", file=sys.stderr)
    return 0


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
    text = "rewrite the YAML in canonical key order and quoting style, keeping comments"
    sub = commands.add_parser("fmt", help=text, description=text)
    sub.add_argument("root", nargs="?", default=".", metavar="ROOT", help="the project root (default: .)")
    sub.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not in canonical form")
    sub.set_defaults(run=_fmt)


def _fmt(args, root: Path) -> int:
    from .fmt import fmt

    result = fmt(root, check=args.check)
    for rel in result.changed:
        print(f"{'would reformat' if args.check else 'reformatted'} {rel}")
    if result.problems:
        sys.stderr.write(report(result.problems, result.checked))
    n, same = len(result.changed), result.checked - len(result.changed) - len({p.location.path for p in result.problems})
    files = "1 file" if n == 1 else f"{n} files"
    print(f"{files} {'would be reformatted' if args.check else 'reformatted'}, {same} already formatted")
    return 1 if result.problems or (args.check and result.changed) else 0


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
    with for_terminal(("load", "analyse", "check", "render")) as progress:
        outcome = build(root, args.strict, with_site=False, progress=progress)
    status = _finish(outcome, args.strict)
    if not status:
        print(f"{len(outcome.written)} pages changed")
    return status


def _build(args, root: Path) -> int:
    with for_terminal(("load", "analyse", "check", "render", "site")) as progress:
        outcome = build(root, args.strict, progress=progress, with_pdf=args.pdf)
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


def run() -> None:
    """The `crossbrief` program: one command, then the process ends."""
    gcpause.one_shot()
    sys.exit(main())


if __name__ == "__main__":
    run()

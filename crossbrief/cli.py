"""The `crossbrief` command. Exit status: 0 clean, 1 problems, 2 usage."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from crossbrief import __version__
from crossbrief.authoring import add_commands as add_authoring_commands
from crossbrief.authoring import completes, root_option
from crossbrief.build import Outcome, build, inspect, output_problem, unwritable
from crossbrief.infra import gcpause
from crossbrief.infra.progress import for_terminal
from crossbrief.model.problems import report


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.run in (_pdf, _coverage):
        _briefing_or_root(args)
    given, option = getattr(args, "root_arg", None), getattr(args, "root", None)
    if given and option and Path(given) != Path(option):
        parser.error(f"the project is named twice, as {given} and -C {option}: give one")
    root = _project_root(parser, given or option, required=getattr(args, "project", True))
    try:
        status = args.run(args, root)
        sys.stdout.flush()  # here, not as the process ends, where a failure is no longer ours to report
        return status
    except KeyboardInterrupt:
        return 130
    except OSError as e:
        if e.errno not in _OUTPUT_FAILURES or e.filename is not None:
            raise
        return _output_failed(e)
    except Exception as e:  # a bug: say so in one line rather than a traceback
        if os.environ.get("CROSSBRIEF_DEBUG"):
            raise
        print(
            f"crossbrief: internal error: {type(e).__name__}: {e} (set CROSSBRIEF_DEBUG=1 for details)", file=sys.stderr
        )
        return 70


_OUTPUT_FAILURES = (errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EDQUOT, errno.EFBIG)
"""Why writing the standard output may fail: `> /dev/full`, a full disk or quota, a reader gone (`| head`)."""


def _output_failed(error: OSError) -> int:
    """Say in one line that the output could not be written (not when its reader has gone: `| head` read
    what it wanted), and send what is still buffered nowhere, so the process ends without a second report."""
    if error.errno != errno.EPIPE:
        print(f"crossbrief: could not write the output: {error.strerror or error}", file=sys.stderr)
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file: a test's captured output
        pass
    return 1


def _project_root(parser: argparse.ArgumentParser, given: str | None, required: bool) -> Path:
    """The project named by ROOT or -C ROOT, or else the current folder's: found upward, as git finds its
    repository. A command that needs no project (`diff` reads git objects, and a revision may have deleted
    briefings/; `completion` reads nothing) takes the folder itself when no project is found."""
    from crossbrief.load.projectfiles import find_root

    start = Path(given or ".")
    if not required:
        return find_root(start) or start
    if not start.is_dir():
        parser.error(f"{start}: not a directory")
    root = find_root(start)
    if root is None:
        parser.error(f"{start}: not a crossbrief project (no briefings/ or sources/ folder here or in a folder above)")
    return root


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crossbrief", description="Cross-referenced briefings from sourced YAML dossiers."
    )
    parser.add_argument("--version", action="version", version=f"crossbrief {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        _root_argument(sub)
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
            sub.add_argument(
                "--no-pdf", dest="pdf", action="store_false", help="leave the print briefing (PDF) out of the site"
            )
    command("export", _export, "print the analysed model as JSON")
    _coverage_command(commands)
    add_authoring_commands(commands)
    _review_commands(commands)
    _print_command(commands)
    _completion_command(commands)
    return parser


def _root_argument(sub: argparse.ArgumentParser) -> None:
    """A positional ROOT (kept where commands had one) as well as -C ROOT, the way every command takes it."""
    sub.add_argument("root_arg", nargs="?", metavar="ROOT", help="the same as -C ROOT")
    root_option(sub)


def _completion_command(commands) -> None:
    from crossbrief.authoring.completion import SHELLS

    text = 'print a shell completion script: eval "$(crossbrief completion bash)" (or zsh; fish: | source)'
    sub = commands.add_parser("completion", help=text, description=text)
    sub.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    sub.set_defaults(run=_completion, project=False, root_arg=".")


def _completion(args, root: Path) -> int:
    from crossbrief.authoring.completion import script

    sys.stdout.write(script(_parser(), args.shell))
    return 0


def _print_command(commands) -> None:
    """`pdf`: the briefing is its positional argument, the root an option (as for `diff`).

    A project folder is taken in place of BRIEFING (`crossbrief pdf ROOT`), as the other commands take it.
    """
    text = "check, then render a briefing as a print-ready PDF"
    sub = commands.add_parser("pdf", help=text, description=text)
    sub.add_argument(
        "item",
        nargs="?",
        metavar="BRIEFING",
        help="the briefing's id (default: the first briefing); a project folder here is taken as ROOT",
    )
    sub.add_argument("-o", "--output", metavar="FILE", help="where to write the PDF (default: ROOT/build/BRIEFING.pdf)")
    sub.add_argument("--letter", action="store_true", help="US Letter pages (default: A4)")
    sub.add_argument("--timings", action="store_true", help="print how long each step took")
    sub.add_argument("--strict", action="store_true", help="fail on warnings too")
    root_option(sub)
    sub.set_defaults(run=_pdf)


def _briefing_or_root(args) -> None:
    """`crossbrief pdf ROOT`, `crossbrief coverage ROOT`: a positional naming a project folder (with briefings/
    or sources/) is the root."""
    given = args.item
    if given and not args.root and any(Path(given, folder).is_dir() for folder in ("briefings", "sources")):
        args.root, args.item = given, None


def _pdf(args, root: Path) -> int:
    import time

    from crossbrief import pdf

    started = time.perf_counter()
    with for_terminal(("load", "analyse", "check", "pdf")) as progress:
        outcome = inspect(root, args.strict, progress)
        unsafe = None if args.output else output_problem(root, "build", "the PDF folder")
        if unsafe:
            outcome = Outcome(tuple(sorted({*outcome.problems, unsafe})), outcome.files, outcome.analysis)
        checked = time.perf_counter()
        if outcome.failed(args.strict):
            return _finish(outcome, args.strict)
        try:
            briefing = pdf.briefing_of(outcome.analysis, args.item)
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
    try:
        pdf.write(target, printed.pdf)
    except OSError as e:
        sys.stderr.write(report([unwritable(root, e)], outcome.files))
        return 1
    print(f"{target}: {printed.pages} pages")
    if args.timings:
        steps = {"check": checked - started, **printed.timings}
        shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items())
        print(
            f"timings: {shown}; total {time.perf_counter() - started:.2f} s for {printed.pages} pages, "
            f"{printed.laid_out} pieces laid out",
            file=sys.stderr,
        )
    return 0


def _coverage_command(commands) -> None:
    """`coverage`: the source is its positional argument, the root an option (as for `pdf`)."""
    text = "list what the sources say that no claim quotes: uncovered sentences, candidate conflicts"
    sub = commands.add_parser("coverage", help=text, description=text)
    sub.add_argument(
        "item",
        nargs="?",
        metavar="SOURCE",
        help="a source's id or file (default: every source); a project folder here is taken as ROOT",
    )
    sub.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    root_option(sub)
    sub.set_defaults(run=_coverage)


def _coverage(args, root: Path) -> int:
    """Notes on standard output, ranked (candidate conflicts first); they never make the command fail, but the
    project's errors do, as a quote not found would leave its sentence uncovered."""
    from crossbrief.analyse.notes import notes, summary
    from crossbrief.export import coverage_json

    outcome = inspect(root)
    if outcome.failed(strict=False):
        return _finish(outcome, False)
    analysis = outcome.analysis
    source = _source_named(analysis, args.item)
    if source is False:
        ids = ", ".join(sorted(analysis.sources)) or "none"
        print(f"crossbrief coverage: no source '{args.item}' in this project (sources: {ids})", file=sys.stderr)
        return 2
    if args.format == "json":
        sys.stdout.write(coverage_json(analysis, source))
        return 0
    found = notes(analysis.coverage, source)
    lines = [str(p) for p in found]
    lines.append(summary(analysis.coverage, source, found))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _source_named(analysis, given: str | None):
    """The id of the source `given` names (an id, or its file's path), None for every source, False for none."""
    if not given:
        return None
    name = Path(given).name.removesuffix(".md")
    return name if name in analysis.sources else False


def _review_commands(commands) -> None:
    """`diff` (revisions are its positional arguments, the root an option) and `fmt`."""
    from crossbrief.review.diffformat import FORMATS

    text = "semantic diff of the briefing between two git revisions (default: HEAD and the working tree)"
    sub = commands.add_parser("diff", help=text, description=text)
    sub.add_argument("base", nargs="?", metavar="BASE", help="the older revision (default: HEAD)")
    sub.add_argument("head", nargs="?", metavar="HEAD", help="the newer revision (default: the working tree)")
    sub.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    root_option(sub)
    # it reads git objects: a revision may have deleted briefings/, and git says when there is no repository
    sub.set_defaults(run=_diff, project=False)
    text = "rewrite the YAML in canonical key order and quoting style, keeping comments"
    sub = commands.add_parser("fmt", help=text, description=text)
    _root_argument(sub)
    sub.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not in canonical form")
    sub.set_defaults(run=_fmt)
    text = "record in a verdict the claims it was written for (covers), so that a later change makes it stale"
    sub = commands.add_parser("confirm", help=text, description=text)
    completes(sub.add_argument("dossier", metavar="DOSSIER", help="the dossier's id"), "dossiers")
    sub.add_argument("property", metavar="PROPERTY", help="the disputed property the verdict is on")
    root_option(sub)
    sub.set_defaults(run=_confirm)


def _fmt(args, root: Path) -> int:
    from crossbrief.review.fmt import fmt

    result = fmt(root, check=args.check)
    for rel in result.changed:
        print(f"{'would reformat' if args.check else 'reformatted'} {rel}")
    if result.problems:
        sys.stderr.write(report(result.problems, result.checked))
    n, same = (
        len(result.changed),
        result.checked - len(result.changed) - len({p.location.path for p in result.problems}),
    )
    files = "1 file" if n == 1 else f"{n} files"
    print(f"{files} {'would be reformatted' if args.check else 'reformatted'}, {same} already formatted")
    return 1 if result.problems or (args.check and result.changed) else 0


def _confirm(args, root: Path) -> int:
    from crossbrief.authoring.confirm import ConfirmError, confirm

    try:
        rel, covers = confirm(root, args.dossier, args.property)
    except ConfirmError as e:
        if e.problems:
            sys.stderr.write(report(e.problems, 1))
        print(f"crossbrief confirm: {e}", file=sys.stderr)
        return 1
    print(
        f"{rel}: the verdict on '{args.property}' covers " + (", ".join(f"{i} ({v})" for i, v in covers) or "no claims")
    )
    return 0


def _diff(args, root: Path) -> int:
    from crossbrief.review import compare
    from crossbrief.review.diffformat import render
    from crossbrief.review.gitrepo import GitError

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
        # no PDF is made, so the home page does not link one
        outcome = build(root, args.strict, with_site=False, progress=progress, with_pdf=False)
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
    from crossbrief.export import to_json

    outcome = inspect(root)
    if outcome.failed(strict=False):
        return _finish(outcome, False)
    from crossbrief.review.provenance import attach

    sys.stdout.write(to_json(attach(outcome.analysis)))
    return 0


def run() -> None:
    """The `crossbrief` program: one command, then the process ends."""
    gcpause.one_shot()
    sys.exit(main())


if __name__ == "__main__":
    run()

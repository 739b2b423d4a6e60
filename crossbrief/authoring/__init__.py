"""The authoring commands: `new`, `init`, `quote`, `schemas` and `ids`. Exit status: 0 done, 1 refused or not found, 2 usage."""

from __future__ import annotations

import sys
from pathlib import Path

from crossbrief.authoring import schema
from crossbrief.authoring.scaffold import KINDS, SCHEMAS_DIR, Refused, init, new
from crossbrief.load import file_id, load
from crossbrief.load.projectfiles import MAX_FILE_BYTES, name_problem
from crossbrief.model import SECTIONS
from crossbrief.model.links import closest_id
from crossbrief.model.problems import report


def root_option(sub) -> None:
    """`-C ROOT`, which every command working on a project takes (found upward from it, as git finds its repository)."""
    sub.add_argument(
        "-C",
        "--root",
        metavar="ROOT",
        help="the project root, or a folder in it (default: the project the current folder is in)",
    )


ID_KINDS = {
    "sources": ("sources",),
    "dossiers": SECTIONS,
    **{section: (section,) for section in SECTIONS},
}
"""What `crossbrief ids KIND` lists: the ids of the files in these folders (sources/, briefings/<section>/)."""


def completes(action, kind: str):
    """Mark an argument as taking an id of `kind` (of `ID_KINDS`): the shell completion offers the project's."""
    action.completes = kind
    return action


def project_ids(root: Path, kind: str) -> list[str]:
    """The ids of one kind in the project, from its file names alone (fast enough for each press of Tab)."""
    found = set()
    for folder in ID_KINDS[kind]:
        directory = root / folder if folder == "sources" else root / "briefings" / folder
        suffix = ".md" if folder == "sources" else ".yaml"
        if directory.is_dir():
            found.update(p.name[: -len(suffix)] for p in directory.iterdir() if p.name.endswith(suffix))
    # a name that is not UTF-8 is no id (check reports it, E105), and could not be printed
    return sorted(i for i in found if not i.startswith(".") and name_problem(i) is None)


def add_commands(commands) -> None:
    """Add the authoring subcommands to the `crossbrief` parser's subparsers."""

    def command(name: str, run, help: str, project: bool = True):
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(run=run, project=project)
        return sub

    sub = command("new", _new, "create a dossier or source file with the right id and the fields to fill in")
    sub.add_argument("kind", choices=list(KINDS), metavar="KIND", help="person, organisation, event or source")
    sub.add_argument(
        "name", metavar="NAME", nargs="?", default="", help="the name (for a source, its title; from a page: its own)"
    )
    root_option(sub)
    sub.add_argument("--id", default="", help="the id, instead of one made from the name")
    sub.add_argument(
        "--kind", dest="item_kind", default="", metavar="SLUG", help="organisations and events: their kind"
    )
    sub.add_argument("--date", default="", help="events: when it happened (YYYY, YYYY-MM or YYYY-MM-DD)")
    completes(
        sub.add_argument("--outlet", default="", metavar="ID", help="sources: the publishing organisation's id"),
        "organisations",
    )
    sub.add_argument("--published", default="", metavar="DATE", help="sources: YYYY-MM-DD, optionally with a time")
    sub.add_argument("--author", action="append", default=[], help="sources: an author (repeat for several)")
    sub.add_argument(
        "--url",
        default="",
        help="sources: where it was published; with no NAME, --text or --from, the page is read from there",
    )
    sub.add_argument(
        "--from",
        dest="from_page",
        default="",
        metavar="PAGE",
        help="sources: a saved web page (.html) to take the article's text, title, date, authors and outlet from",
    )
    sub.add_argument(
        "--keep-original",
        action="store_true",
        help="sources from a page: keep the page beside the source, as sources/ID.html",
    )
    sub.add_argument(
        "--via",
        action="append",
        default=[],
        metavar="ID",
        help="sources: an agency whose copy the article carries (repeat for several)",
    )
    sub.add_argument(
        "--text", default="", metavar="FILE", help="sources: a file holding the article's text ('-': standard input)"
    )

    sub = command("init", _init, "create a new, empty briefing project that builds as it is", project=False)
    sub.add_argument("root_arg", metavar="DIR", help="the folder to create (it must not exist, or be empty)")
    sub.add_argument("--title", default="", help="the briefing's title (default: from the folder's name)")
    sub.add_argument("--date", default="", help="the briefing's date (default: today)")
    sub.add_argument(
        "--git",
        action="store_true",
        help="also make it a git repository, with the pre-commit hook and a GitHub Actions review workflow",
    )
    sub.add_argument(
        "--install-spec",
        default="",
        metavar="SPEC",
        help="what installs crossbrief, written to requirements.txt for the review workflow: a version "
        "(default: crossbrief==this version), a git URL (git+https://...) or a path to a wheel or a checkout",
    )

    sub = command(
        "quote", _quote, "find a passage in a source, printed as the source has it, ready to paste into a claim"
    )
    completes(sub.add_argument("source", metavar="SOURCE", help="the source's id (or its file)"), "sources")
    sub.add_argument("text", metavar="TEXT", help="the words to look for")
    root_option(sub)
    sub.add_argument(
        "-n",
        "--closest",
        type=int,
        default=3,
        metavar="N",
        help="how many close passages to show if not found (default: 3)",
    )

    sub = command("schemas", _schemas, f"write the JSON Schemas for editors into ROOT/{SCHEMAS_DIR}/")
    root_option(sub)

    sub = command(
        "front-matter",
        _front_matter,
        "print a source's front matter as YAML, to check it with other tools (check-jsonschema ... -)",
        project=False,
    )
    sub.add_argument("file", metavar="FILE", help="the source's file")

    sub = command("ids", _ids, "print the project's ids of one kind, one a line (for scripts and shell completion)")
    sub.add_argument("kind", choices=list(ID_KINDS), metavar="KIND", help=", ".join(ID_KINDS))
    root_option(sub)


def _fail(command: str, error: Refused) -> int:
    print(f"crossbrief {command}: {error}", file=sys.stderr)
    return error.status


def _new(args, root: Path) -> int:
    from_page = args.kind == "source" and (args.from_page or (args.url and not args.name and not args.text))
    if from_page:
        return _new_from_page(args, root)
    if args.from_page or args.keep_original:
        return _fail("new", Refused("--from and --keep-original are for sources made from a web page", 2))
    text = ""
    if args.text:
        try:
            text = _article(args.text)
        except (OSError, UnicodeDecodeError) as e:
            return _fail("new", Refused(f"cannot read --text {args.text}: {e}", 2))
        except Refused as e:
            return _fail("new", e)
    try:
        rel, notes = new(
            root,
            args.kind,
            args.name,
            item_id=args.id,
            item_kind=args.item_kind,
            date=args.date,
            outlet=args.outlet,
            published=args.published,
            authors=args.author,
            url=args.url,
            text=text,
            via=args.via,
        )
    except Refused as e:
        return _fail("new", e)
    return _created(rel, notes)


def _created(rel: str, notes: list[str]) -> int:
    """Say which source `new` wrote, and what the editor should check in it."""
    print(f"created {rel}")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def _article(name: str) -> str:
    """The text of `--text NAME` ('-': standard input), read no further than a source file may be long: a
    stream that never ends (/dev/zero) is refused at once, not read into memory whole."""
    if name == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        with open(name, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise Refused(f"--text {name} is larger than {MAX_FILE_BYTES:,} bytes, the most a source may be (E104)")
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as a file opened as text reads it


def _new_from_page(args, root: Path) -> int:
    from crossbrief.authoring import webpage

    if args.text:
        return _fail("new", Refused("give the article's text with --text or a page with --from, not both", 2))
    try:
        data = webpage.read_file(args.from_page) if args.from_page else webpage.fetch(args.url)
        rel, notes = webpage.new_source(
            root,
            data,
            name=args.name,
            item_id=args.id,
            outlet=args.outlet,
            published=args.published,
            authors=args.author,
            url=args.url,
            via=args.via,
            keep_original=args.keep_original,
        )
    except Refused as e:
        return _fail("new", e)
    return _created(rel, notes)


def _init(args, root: Path) -> int:
    try:
        created = init(root, args.title, args.date, git=args.git, spec=args.install_spec)
    except Refused as e:
        return _fail("init", e)
    print(f"created {root}: {', '.join(f for f in created if not f.startswith(SCHEMAS_DIR + '/'))} and {SCHEMAS_DIR}/")
    here = Path(root).resolve() == Path.cwd().resolve()
    print(f'next: {"" if here else f"cd {root} && "}crossbrief new person "Name" && crossbrief build')
    return 0


def _quote(args, root: Path) -> int:
    from crossbrief.authoring.quote import as_yaml, find

    wanted = file_id(args.source)  # an id, or the source's file
    project, _ = load(root)
    sources = {s.id: s for s in project.sources}
    source = sources.get(wanted)
    if source is None:
        close = closest_id(wanted, sources)
        hint = f"; did you mean '{close}'?" if close else ""
        return _fail("quote", Refused(f"no source '{wanted}' in {root / 'sources'}{hint}", 2))
    if not " ".join(args.text.split()):
        return _fail("quote", Refused("the text to look for is empty", 2))
    found, closest = find(source.text, args.text, max(args.closest, 0))
    where = source.location.path
    if found:
        print(as_yaml(found.text))
        print(f"found in {where}:{source.body_line + found.line - 1}", file=sys.stderr)
        return 0
    headline = None if source.title_by_editors else find(source.title, args.text, 0)[0]
    if headline:
        print(as_yaml(headline.text))
        print(f"found in the headline, {source.at('title')}", file=sys.stderr)
        return 0
    print(f"crossbrief quote: not found in {where}" + ("; the closest passages:" if closest else ""), file=sys.stderr)
    for passage in closest:
        print(f"# {passage.ratio:.0%} alike, {where}:{source.body_line + passage.line - 1}")
        print(as_yaml(passage.text))
    return 1


def _front_matter(args, root: Path) -> int:
    from crossbrief.load import front_matter_end

    try:
        lines = Path(args.file).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as e:
        return _fail("front-matter", Refused(f"cannot read {args.file}: {e}"))
    end = front_matter_end(lines)
    if end is None:
        return _fail("front-matter", Refused(f"{args.file} has no front matter between '---' lines"))
    sys.stdout.write("".join(line + "\n" for line in lines[1:end]))
    return 0


def _ids(args, root: Path) -> int:
    for item in project_ids(root, args.kind):
        print(item)
    return 0


def _schemas(args, root: Path) -> int:
    from crossbrief.build import output_problem, unwritable

    unsafe = output_problem(root, SCHEMAS_DIR, "the schemas folder")
    try:
        written = [] if unsafe else schema.write(root / SCHEMAS_DIR)
    except OSError as e:
        unsafe = unwritable(root, e)
    if unsafe:
        sys.stderr.write(report([unsafe], 0))
        return 1
    for path in written:
        print(f"wrote {path.relative_to(root).as_posix()}")
    return 0

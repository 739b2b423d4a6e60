"""Authoring: `new`, `init`, `quote`, `schemas`, and progress on long runs."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, missing_tool
from hypothesis import given
from hypothesis import strategies as st

from crossbrief.authoring import schema
from crossbrief.authoring.scaffold import slugify
from crossbrief.infra.progress import Progress, for_terminal
from crossbrief.model.links import is_id

# --- ids from names


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Manaf Tlass", "manaf-tlass"),
        ("Bashar al-Assad", "bashar-al-assad"),
        ("  Laurent   Fabius ", "laurent-fabius"),
        ("Agence France-Presse (AFP)", "agence-france-presse-afp"),
        ("Défense — Ministère", "defense-ministere"),
        ("Straße in Łódź", "strasse-in-lodz"),
        ("Søren Kierkegaard", "soren-kierkegaard"),
        ("O’Brien's office", "obriens-office"),
        ("Ｆｕｌｌｗｉｄｔｈ ２０１２", "fullwidth-2012"),
        ("بشار الأسد", ""),
        ("---", ""),
        ("word " * 30, ("word-" * 16)[:79]),
        ("x" * 90, "x" * 80),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug
    assert slug == "" or (len(slug) <= 80 and slug == slugify(slug))


@given(st.text(max_size=200))
def test_slugify_always_gives_an_id_or_nothing(name):
    slug = slugify(name)
    assert slug == "" or is_id(slug)


# --- new


def test_new_person_writes_the_fields_to_fill_in(project, cli):
    root = project("minimal")
    run = cli("new", "person", "Manaf Tlass", "-C", root)
    assert (run.status, run.out, run.err) == (0, "created briefings/people/manaf-tlass.yaml\n", "")
    text = (root / "briefings/people/manaf-tlass.yaml").read_text()
    assert text == (
        "name: Manaf Tlass\n"
        "aliases: []                          # other spellings used in the sources\n"
        "summary: ''                          # Markdown; link other dossiers with [[id]]\n"
        "claims:\n"
        "  # - id: destination-paris          # stable, unique in this file\n"
        "  #   property: destination          # a property of the registry\n"
        "  #   value: Paris\n"
        "  #   sources:\n"
        "  #     - source: afp-2012-07-06\n"
        '  #       quote: on his way to Paris # verbatim: crossbrief quote afp-2012-07-06 "on his way to Paris"\n'
    )
    check = cli("check", root)
    assert check.status == 0  # a new dossier is only a warning (nothing mentions it yet)
    assert "warning[W302]: nothing cites, links or mentions 'manaf-tlass'" in check.err


def test_new_files_load_and_follow_their_schemas(project, cli):
    jsonschema = pytest.importorskip("jsonschema")
    yaml12 = pytest.importorskip("check_jsonschema.parsers.yaml").construct_yaml_implementation()
    root = project("minimal")
    (root / "schemas").mkdir()
    schema.write(root / "schemas")
    assert (
        cli("new", "organisation", "Agence France-Presse", "--id", "afp", "--kind", "news-agency", "-C", root).status
        == 0
    )
    assert cli("new", "event", "Défection de Tlass", "--date", "2012-07-03", "-C", root).status == 0
    assert cli("new", "person", "Manaf Tlass", "-C", root).status == 0
    run = cli(
        "new",
        "source",
        "Syria: 'hard blow' for Assad",
        "--outlet",
        "afp",
        "--published",
        "2012-07-06",
        "--author",
        "Jo Roe",
        "--author",
        "Al Doe",
        "--url",
        "https://afp.example/a?b=1",
        "-C",
        root,
    )
    assert (run.status, run.out, run.err) == (0, "created sources/afp-2012-07-06.md\n", "")

    event = (root / "briefings/events/defection-de-tlass.yaml").read_text()
    assert event.startswith("# yaml-language-server: $schema=../../schemas/event.json\nname: Défection de Tlass\n")
    assert "\nkind: ''                             # a free slug" in event
    assert "\ndate: 2012-07-03\n" in event
    assert (
        (root / "briefings/organisations/afp.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../../schemas/organisation.json\nname: Agence France-Presse\n")
    )
    assert (root / "sources/afp-2012-07-06.md").read_text() == (
        "---\n"
        "title: 'Syria: ''hard blow'' for Assad'\n"
        "outlet: afp\n"
        "published: 2012-07-06\n"
        "author: [Jo Roe, Al Doe]\n"
        "url: https://afp.example/a?b=1\n"
        "# via: [afp]                         # optional: agencies whose copy the article carries\n"
        "---\n"
    )
    run = cli("check", root)
    assert "error" not in run.err.replace("0 errors", ""), run.err
    for kind, path in [
        ("organisation", "briefings/organisations/afp.yaml"),
        ("person", "briefings/people/manaf-tlass.yaml"),
        ("event", "briefings/events/defection-de-tlass.yaml"),
    ]:
        validator = jsonschema.Draft7Validator(schema.schemas()[kind])
        assert not list(validator.iter_errors(yaml12.load((root / path).read_text()))), path


def test_new_source_takes_its_text(project, cli, tmp_path):
    root = project("minimal")
    article = tmp_path / "article.txt"
    article.write_text("\n\nThe minister resigned.\r\nOfficials confirmed it.\n\n")
    run = cli(
        "new",
        "source",
        "Minister quits",
        "--outlet",
        "wire",
        "--published",
        "2020-01-03T08:00Z",
        "--text",
        article,
        "-C",
        root,
    )
    assert run.status == 0
    assert (root / "sources/wire-2020-01-03.md").read_text() == (
        "---\ntitle: Minister quits\noutlet: wire\npublished: 2020-01-03T08:00Z\n"
        "# author: Jane Doe                   # optional: a name or a list of names\n"
        "# url: https://...                   # optional: where it was published\n"
        "# via: [afp]                         # optional: agencies whose copy the article carries\n"
        "---\nThe minister resigned.\nOfficials confirmed it.\n"
    )
    assert cli("check", root).status == 0


def test_new_refuses_to_overwrite(project, cli):
    root = project("minimal")
    before = (root / "briefings/people/jane-roe.yaml").read_bytes()
    run = cli("new", "person", "Jane Roe", "-C", root)
    assert (run.status, run.out) == (1, "")
    assert run.err == "crossbrief new: briefings/people/jane-roe.yaml already exists\n"
    assert (root / "briefings/people/jane-roe.yaml").read_bytes() == before
    run = cli("new", "source", "Minister resigns again", "--outlet", "wire", "--published", "2020-01-02", "-C", root)
    assert run.status == 1
    assert run.err == (
        "crossbrief new: sources/wire-2020-01-02.md already exists; for another article that day, "
        "give its id: --id wire-2020-01-02-minister-resigns-again\n"
    )
    run = cli(
        "new",
        "source",
        "Minister resigns again",
        "--outlet",
        "wire",
        "--published",
        "2020-01-02",
        "--id",
        "wire-2020-01-02-minister-resigns-again",
        "-C",
        root,
    )
    assert run.status == 0


def test_new_refuses_an_id_another_kind_uses(project, cli):
    root = project("minimal")
    run = cli("new", "organisation", "Jane Roe", "-C", root)
    assert (run.status, run.out) == (1, "")
    assert run.err == (
        "crossbrief new: the id 'jane-roe' is already used by briefings/people/jane-roe.yaml "
        "(ids are unique across sources, dossiers and briefings); give another with --id\n"
    )
    assert not (root / "briefings/organisations/jane-roe.yaml").exists()
    for args, user in [
        (("event", "Resignation"), "briefings/resignation.yaml"),
        (("person", "Wire 2020 01 02"), "sources/wire-2020-01-02.md"),
        (
            ("source", "T", "--outlet", "jane", "--published", "2020-01-01", "--id", "wire"),
            "briefings/organisations/wire.yaml",
        ),
    ]:
        run = cli("new", *args, "-C", root)
        assert run.status == 1 and f"already used by {user}" in run.err, run.err


@pytest.mark.parametrize(
    "args, message",
    [
        (("person", "بشار"), "no id can be made from 'بشار': give one with --id"),
        (("person", "   "), "the name is empty"),
        (
            ("person", "Manaf", "--id", "Manaf_Tlass"),
            "'Manaf_Tlass' is not a valid id: lower-case letters, digits and single hyphens, at most 80 characters",
        ),
        (("event", "Defection", "--date", "6 July 2012"), "--date '6 July 2012' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        (("source", "Title"), "a new source needs --outlet ID and --published YYYY-MM-DD (its id is made of them)"),
        (
            ("source", "Title", "--outlet", "AFP", "--published", "2012-07-06"),
            "--outlet 'AFP' is not an id (lower-case letters, digits and hyphens)",
        ),
        (
            ("source", "Title", "--outlet", "afp", "--published", "2012-02-30"),
            "--published '2012-02-30' is not YYYY-MM-DD, optionally with a time",
        ),
        (
            ("source", "Title", "--outlet", "afp", "--published", "2012-07-06", "--url", "ftp://x"),
            "--url 'ftp://x' is not an http or https address",
        ),
    ],
)
def test_new_usage_errors(project, cli, args, message):
    root = project("minimal")
    run = cli("new", *args, "-C", root)
    assert (run.status, run.out, run.err) == (2, "", f"crossbrief new: {message}\n")


def test_new_notes_what_is_left_to_do(project, cli):
    root = project("minimal")
    run = cli("new", "event", "Defection", "-C", root)
    assert (run.status, run.out) == (0, "created briefings/events/defection.yaml\n")
    assert run.err == "note: fill in its date: crossbrief check reports it missing until then\n"
    assert "error[E111]: a dossier has no 'date'" in cli("check", root).err
    run = cli("new", "source", "Title", "--outlet", "afp", "--published", "2012-07-06", "-C", root)
    assert run.err == "note: the outlet 'afp' has no dossier yet: crossbrief new organisation \"...\" --id afp\n"


def test_new_needs_a_project(cli, tmp_path):
    run = cli("new", "person", "Manaf Tlass", "-C", tmp_path)
    assert run.status == 2
    assert "not a crossbrief project" in run.err


# --- init


def test_init_creates_a_project_that_builds(cli, tmp_path):
    root = tmp_path / "tlass-defection"
    run = cli("init", root, "--date", "2012-07-06")
    assert run.status == 0, run.err
    assert run.out == (
        f"created {root}: .gitignore, .vscode/settings.json, briefings/tlass-defection.yaml, docs/.gitignore, "
        "mkdocs.yml, requirements.txt and schemas/\n"
        f'next: cd {root} && crossbrief new person "Name" && crossbrief build\n'
    )
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    assert files == [
        ".gitignore",
        ".vscode",
        ".vscode/settings.json",
        "briefings",
        "briefings/events",
        "briefings/organisations",
        "briefings/people",
        "briefings/tlass-defection.yaml",
        "docs",
        "docs/.gitignore",
        "mkdocs.yml",
        "requirements.txt",
        "schemas",
        *(f"schemas/{n}.json" for n in sorted(schema.NAMES)),
        "sources",
    ]
    assert (root / "briefings/tlass-defection.yaml").read_text() == (
        "# yaml-language-server: $schema=../schemas/briefing.json\n"
        "title: Tlass defection\n"
        "date: 2012-07-06\n"
        "summary: |\n"
        "  What this briefing is about, in a few sentences. Link a dossier or a source by its id in double brackets.\n"
        "key_points:\n"
        "  - The first thing a reader should know.\n"
    )
    for name in schema.NAMES:
        assert (root / f"schemas/{name}.json").read_text() == schema.shipped(name)
    assert cli("check", root).status == 0
    # the placeholders are to be replaced: a warning each (W321), which --strict fails on
    assert cli("check", "--strict", root).err.count("warning[W321]") == 2
    run = cli("build", root)
    assert run.status == 0, run.err
    assert (root / "site/index.html").is_file()
    assert "Tlass defection" in (root / "site/index.html").read_text()
    assert (root / "site/tlass-defection.pdf").is_file() and (root / "site/tlass-defection.brief.pdf").is_file()
    # and the new project takes new dossiers with the schema line
    assert cli("new", "person", "Manaf Tlass", "-C", root).status == 0
    assert (
        (root / "briefings/people/manaf-tlass.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../../schemas/person.json\n")
    )


def test_init_defaults_to_today_and_takes_a_title(cli, tmp_path):
    import datetime

    run = cli("init", tmp_path / "x", "--title", "Defection of  Manaf Tlass")
    assert run.status == 0
    text = (tmp_path / "x/briefings/x.yaml").read_text()
    assert f"\ntitle: Defection of Manaf Tlass\ndate: {datetime.date.today().isoformat()}\n" in text


def test_init_refuses_a_folder_that_is_not_empty(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    run = cli("init", tmp_path)
    assert (run.status, run.out, run.err) == (
        1,
        "",
        f"crossbrief init: {tmp_path} already exists and is not an empty folder\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("init", empty).status == 0


def test_init_in_the_current_folder_says_what_next_without_a_cd(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = cli("init", ".")
    assert run.status == 0, run.err
    assert run.out.splitlines()[-1] == 'next: crossbrief new person "Name" && crossbrief build'


def test_init_records_what_installs_crossbrief_for_the_workflow(cli, tmp_path):
    spec = "git+https://example.org/newsroom/crossbrief@v0.2.0"
    assert cli("init", tmp_path / "a", "--install-spec", spec).status == 0
    assert (tmp_path / "a/requirements.txt").read_text().splitlines()[1:] == [spec]
    run = cli("init", tmp_path / "b", "--install-spec=--index-url=http://evil.example")
    assert run.status == 2 and "is not a requirement" in run.err and not (tmp_path / "b").exists()


def test_init_refuses_a_bad_date(cli, tmp_path):
    run = cli("init", tmp_path / "x", "--date", "tomorrow")
    assert (run.status, run.err) == (2, "crossbrief init: --date 'tomorrow' is not YYYY, YYYY-MM or YYYY-MM-DD\n")
    assert not (tmp_path / "x").exists()


# --- quote


def test_quote_prints_the_passage_as_the_source_has_it(project, cli):
    root = project("full")
    # straight quotes and a plain hyphen in the text looked for; the source has curly quotes and a dash
    run = cli("quote", "courier-2021-03-05", "gathered at the gates, police said - far fewer", "-C", root)
    assert (run.status, run.out) == (0, "quote: gathered at the gates, police said – far fewer\n")
    assert run.err == "found in sources/courier-2021-03-05.md:7\n"
    run = cli("quote", "sources/gazette-2021-03-04.md", "Dockers' Union called", "-C", root)
    assert (run.status, run.out) == (0, "quote: Dockers' Union called\n")


def test_quote_across_lines_and_needing_yaml_quotes(project, cli):
    root = project("full")
    run = cli("quote", "gazette-2021-03-04", "had stopped.   Ms Lima", "-C", root)
    assert (run.status, run.out) == (0, "quote: had stopped. Ms Lima\n")
    run = cli("quote", "courier-2021-03-05", "published: 2021-03-05", "-C", root)  # front matter is not the text
    assert run.status == 1
    run = cli("quote", "courier-2021-03-05", "“Some 1,200”", "-C", root)  # but the headline may be quoted
    assert (run.status, run.out) == (0, "quote: “Some 1,200”\n")
    assert run.err == "found in the headline, sources/courier-2021-03-05.md:2:8\n"
    run = cli("quote", "courier-2021-03-05", "NO strike pay", "-C", root)
    assert run.out == "quote: NO strike pay\n"
    run = cli("quote", "courier-2021-03-05", "members get NO", "-C", root)
    assert run.out == "quote: members get NO\n"
    run = cli("quote", "courier-2021-03-05", "police said –", "-C", root)
    assert run.out == "quote: police said –\n"


def test_quote_not_found_prints_the_closest_passages(project, cli):
    root = project("full")
    run = cli("quote", "gazette-2021-03-04", "Ana Lima, who heads the Dockers Union", "-C", root)
    assert run.status == 1
    assert run.err == "crossbrief quote: not found in sources/gazette-2021-03-04.md; the closest passages:\n"
    assert run.out == (
        "# 95% alike, sources/gazette-2021-03-04.md:8\n"
        "quote: Ana Lima, who leads the Dockers' Union,\n"
        "# 49% alike, sources/gazette-2021-03-04.md:9\n"
        "quote: Lima, in her late 40s, has led the union\n"
        "# 43% alike, sources/gazette-2021-03-04.md:8\n"
        "quote: The Dockers' Union called the strike on\n"
    )
    pasted = run.out.splitlines()[1].removeprefix("quote: ")
    assert cli("quote", "gazette-2021-03-04", pasted, "-C", root).status == 0
    run = cli("quote", "gazette-2021-03-04", "Ana Lima, who heads the Dockers Union", "-n", "1", "-C", root)
    assert run.out.count("quote:") == 1


def test_quote_usage_errors(project, cli):
    root = project("full")
    run = cli("quote", "gazette-2021-03-05", "x", "-C", root)
    assert (run.status, run.out) == (2, "")
    assert (
        run.err
        == f"crossbrief quote: no source 'gazette-2021-03-05' in {root / 'sources'}; did you mean 'gazette-2021-03-04'?\n"
    )
    run = cli("quote", "gazette-2021-03-04", "  ", "-C", root)
    assert (run.status, run.err) == (2, "crossbrief quote: the text to look for is empty\n")


def test_closest_passages_in_a_long_source():
    from crossbrief.analyse import textmatch
    from crossbrief.authoring.quote import find

    filler = " ".join(f"word{i % 97} filler{i % 13}" for i in range(6000))
    text = filler + " Tlass was on his way to Paris to join his wife and sister, said the source. " + filler
    found, closest = find(text, "Tlas was on his way to Paris to join his wife and his sister")
    assert found is None
    assert closest[0].text == "Tlass was on his way to Paris to join his wife and sister, said"
    assert round(closest[0].ratio, 2) == 0.93
    haystack = textmatch.normalise(text)
    spans = textmatch.closest_passages(haystack, "on his way to Paris", 3)
    assert len(spans) == 3 and all(a[2] <= b[1] or b[2] <= a[1] for a in spans for b in spans if a is not b)


# --- schemas


def test_schemas_command_writes_the_shipped_schemas(project, cli):
    root = project("minimal")
    run = cli("schemas", "-C", root)
    assert run.status == 0
    assert run.out == "".join(f"wrote schemas/{n}.json\n" for n in schema.NAMES)
    for name in schema.NAMES:
        assert (root / f"schemas/{name}.json").read_text() == schema.shipped(name)
    assert cli("check", root).status == 0  # the schemas/ folder is not part of the briefing


# --- progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_draws_stages_and_timings_only_when_enabled():
    clock, out = Clock(), io.StringIO()
    progress = Progress(out, ("load", "render"), enabled=True, delay=0, ticker=False, clock=clock)
    with progress:
        with progress.stage("load", "3 files"):
            clock.now += 1.5
        with progress.stage("render"):
            clock.now += 0.25
    assert out.getvalue() == (
        "\r[--------------------] 0/2 load 3 files 0.0 s (0.0 s)\x1b[K"
        "\r[##########----------] 1/2 render 0.0 s (1.5 s)\x1b[K"
        "\r\x1b[Kdone in 1.8 s (load 1.5 s, render 0.2 s)\n"
    )
    quiet = io.StringIO()
    progress = Progress(quiet, ("load",), enabled=False, delay=0, ticker=False, clock=clock)
    with progress, progress.stage("load"):
        clock.now += 5
    assert quiet.getvalue() == ""


def test_progress_stays_quiet_on_short_runs():
    clock, out = Clock(), io.StringIO()
    progress = Progress(out, ("load",), enabled=True, delay=0.5, ticker=False, clock=clock)
    with progress, progress.stage("load"):
        clock.now += 0.2
    assert out.getvalue() == ""


def test_progress_is_off_when_stderr_is_not_a_terminal():
    assert not for_terminal(("load",), io.StringIO()).enabled


def _run_on_terminal(args: list[str], env: dict) -> tuple[int, str, str]:
    """Run crossbrief with stderr on a pseudo-terminal; return status, stdout and what the terminal got."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "crossbrief.cli", *args], stdout=subprocess.PIPE, stderr=slave, env=env, timeout=300
    )
    os.close(slave)
    terminal = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(master)
    return proc.returncode, proc.stdout.decode(), terminal.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_build_shows_progress_on_a_terminal_and_nothing_in_a_pipe(project):
    root = project("minimal")
    env = {**os.environ, "TERM": "xterm", "CROSSBRIEF_PROGRESS_DELAY": "0"}
    status, out, terminal = _run_on_terminal(["build", str(root)], env)
    assert status == 0, terminal
    assert "pages changed; site in" in out
    assert "] 0/5 load 0.0 s (0.0 s)\x1b[K" in terminal
    assert "] 1/5 analyse 4 files " in terminal
    assert "] 2/5 check and plan the pages " in terminal
    assert re.search(r"\] 4/5 site \d+ pages and PDF \d", terminal)
    last = terminal.rsplit("\r\x1b[K", 1)[1]
    assert last.startswith("done in ") and "(load " in last and ", site " in last and last.endswith(")\r\n")

    piped = subprocess.run(
        [sys.executable, "-m", "crossbrief.cli", "build", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert (piped.returncode, piped.stderr) == (0, "")
    assert "0 pages changed; site in " + str(root.resolve() / "site") in piped.stdout


# --- commands from anywhere


def test_commands_find_the_project_from_any_subfolder_as_git_does(project, cli, monkeypatch):
    root = project("minimal")
    monkeypatch.chdir(root / "briefings" / "people")
    run = cli("check")
    assert (run.status, run.out) == (0, "no problems in 4 files\n"), run.err
    assert cli("new", "person", "Ann Other").out == "created briefings/people/ann-other.yaml\n"
    assert (root / "briefings/people/ann-other.yaml").is_file()
    assert cli("quote", "wire-2020-01-02", "Jane Roe").status == 0


def test_every_project_command_takes_dash_c_and_the_old_positional_root_still_works(project, cli, tmp_path):
    root = project("minimal")
    for command in ("check", "generate", "export", "fmt", "schemas", "diff", "pdf"):
        sub = cli(command, "--help").out
        assert "-C ROOT, --root ROOT" in sub, command
    assert cli("check", "-C", root).out == cli("check", root).out == "no problems in 4 files\n"
    assert cli("check", "-C", root / "sources").status == 0  # a folder inside the project names it too
    run = cli("check", root, "-C", tmp_path)
    assert run.status == 2 and "the project is named twice" in run.err
    run = cli("check", "-C", tmp_path)
    assert (
        run.status == 2
        and "not a crossbrief project (no briefings/ or sources/ folder here or in a folder above)" in run.err
    )


def test_python_dash_m_crossbrief_is_the_program():
    run = subprocess.run([sys.executable, "-m", "crossbrief", "--version"], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout.startswith("crossbrief ")) == (0, True), run.stderr


def _complete(script: str, line: str, cwd: Path | None = None) -> list[str]:
    """What bash completes after `line`, with the completion script loaded (in `cwd`, crossbrief on the PATH)."""
    probe = (
        'source /dev/stdin <<< "$SCRIPT"; read -ra COMP_WORDS <<< "$LINE"; [[ "$LINE" == *" " ]] && COMP_WORDS+=("");'
        ' COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _crossbrief; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    run = subprocess.run(
        ["bash", "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, "SCRIPT": script, "LINE": line, "PATH": _PATH},
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


_PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"


@pytest.mark.skipif(sys.platform == "win32", reason="needs bash")
def test_shell_completion_completes_commands_options_and_fixed_values(cli):
    script = cli("completion", "bash").out
    assert _complete(script, "crossbrief ch") == ["check"]
    assert _complete(script, "crossbrief new ") == ["person", "organisation", "event", "source"]
    assert _complete(script, "crossbrief diff --format ") == ["text", "markdown", "json"]
    assert _complete(script, "crossbrief new source T --v") == ["--via"]
    assert "--no-pdf" in _complete(script, "crossbrief build --")
    zsh = cli("completion", "zsh").out
    assert zsh.startswith("autoload -U +X compinit") and zsh.endswith(script.split("\n", 1)[1])


@pytest.mark.skipif(sys.platform == "win32", reason="needs bash")
def test_completion_offers_the_projects_ids_where_an_id_is_taken(project, cli):
    root = project("full")
    script = cli("completion", "bash").out
    sources = ["courier-2021-03-05", "gazette-2021-03-04"]
    organisations = ["courier", "dockers-union", "gazette", "wire-press"]
    assert _complete(script, "crossbrief quote ", root) == sources
    assert _complete(script, "crossbrief quote g", root) == ["gazette-2021-03-04"]
    assert _complete(script, "crossbrief confirm ", root) == sorted([*organisations, "ana-lima", "velmar-strike"])
    assert _complete(script, "crossbrief new source T --outlet ", root) == organisations
    assert _complete(script, "crossbrief quote ", root / "sources") == sources  # the project is found upward
    assert cli("ids", "people", "-C", root).out == "ana-lima\n"


def test_fish_completion_offers_commands_options_and_ids(project, cli, tmp_path):
    if not shutil.which("fish"):
        missing_tool("fish is needed to test its completion: apt-get install fish")
    root = project("full")
    script = tmp_path / "crossbrief.fish"
    script.write_text(cli("completion", "fish").out)

    def complete(line: str) -> list[str]:
        run = subprocess.run(
            ["fish", "--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script, line],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=root,
            env={**os.environ, "PATH": _PATH},
        )
        assert run.returncode == 0, run.stderr
        return [out.split("\t")[0] for out in run.stdout.splitlines()]

    assert "check" in complete("crossbrief ch") and "quote" not in complete("crossbrief ch")
    assert complete("crossbrief quote ") == ["courier-2021-03-05", "gazette-2021-03-04"]
    assert complete("crossbrief new source T --outlet ") == ["courier", "dockers-union", "gazette", "wire-press"]
    assert complete("crossbrief diff --format ") == ["json", "markdown", "text"]
    assert "--no-pdf" in complete("crossbrief build --")


def test_confirm_suggests_the_dossier_or_property_a_mistyped_one_meant(project, cli):
    root = project("full")
    run = cli("confirm", "ana-lma", "role", "-C", root)
    assert (run.status, run.err) == (
        1,
        "crossbrief confirm: no dossier 'ana-lma' in briefings/; did you mean 'ana-lima'?\n",
    )


def test_new_source_names_its_agencies_with_via(project, cli):
    root = project("minimal")
    run = cli(
        "new",
        "source",
        "Title",
        "--outlet",
        "wire",
        "--published",
        "2012-07-06",
        "--via",
        "afp",
        "--via",
        "dpa",
        "-C",
        root,
    )
    assert run.status == 0
    assert "\nvia: [afp, dpa]\n" in (root / "sources/wire-2012-07-06.md").read_text()
    assert run.err == (
        "note: the agency 'afp' has no dossier yet: crossbrief new organisation \"...\" --id afp\n"
        "note: the agency 'dpa' has no dossier yet: crossbrief new organisation \"...\" --id dpa\n"
    )
    run = cli("new", "source", "Other", "--outlet", "wire", "--published", "2012-07-07", "--via", "../x", "-C", root)
    assert (run.status, run.err) == (
        2,
        "crossbrief new: --via '../x' is not an id (lower-case letters, digits and hyphens)\n",
    )


def test_what_new_writes_is_already_in_canonical_form(project, cli):
    root = project("minimal")
    for args in (
        ("person", "Ann Other"),
        ("organisation", "Agence France-Presse", "--kind", "news-agency"),
        ("event", "Defection", "--date", "2012-07-03"),
        ("event", "Undated"),
        (
            "source",
            "A title: with 'quotes'",
            "--outlet",
            "wire",
            "--published",
            "2012-07-06",
            "--via",
            "afp",
            "--author",
            "Jane Doe",
            "--url",
            "https://example.org/a",
        ),
    ):
        assert cli("new", *args, "-C", root).status == 0, args
    run = cli("fmt", "--check", root)
    assert run.status == 0, run.out + run.err


def test_quote_suggests_the_source_a_mistyped_id_meant(project, cli):
    root = project("minimal")
    run = cli("quote", "wire", "Jane Roe", "-C", root)
    assert (run.status, run.err) == (
        2,
        f"crossbrief quote: no source 'wire' in {root / 'sources'}; did you mean 'wire-2020-01-02'?\n",
    )
    run = cli("quote", "wire-2020-01-20", "Jane Roe", "-C", root)
    assert "did you mean 'wire-2020-01-02'?" in run.err


def test_init_git_sets_up_the_repository_the_hook_and_the_review_workflow(cli, tmp_path):
    from crossbrief import __version__

    root = tmp_path / "briefing"
    run = cli("init", root, "--git", "--date", "2012-07-06")
    assert run.status == 0, run.err
    assert run.out.startswith(f"created {root}: .git/hooks/pre-commit, .github/workflows/review.yml, .gitignore, ")
    hook = root / ".git/hooks/pre-commit"
    assert hook.read_text() == (REPO / "scripts/pre-commit").read_text() and os.access(hook, os.X_OK)
    workflow = (root / ".github/workflows/review.yml").read_text()
    assert "python -m pip install -q -r requirements.txt" in workflow
    assert (root / "requirements.txt").read_text().splitlines()[1:] == [f"crossbrief=={__version__}"]
    env = {
        **os.environ,
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.org",
    }
    git = lambda *args: subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert git("add", "-A").returncode == 0
    assert git("commit", "-qm", "A new briefing").returncode == 0
    # docs/ is in git, so that MkDocs finds it in a fresh clone; the pages generated into it never are
    assert git("ls-files", "docs").stdout == "docs/.gitignore\n"
    (root / "docs/index.md").write_text("generated")
    assert git("status", "--porcelain", "--untracked-files=all").stdout == ""
    (root / "briefings/people").mkdir(exist_ok=True)
    (root / "briefings/people/ann.yaml").write_text("name: Ann\nsummary: '[[nobody]]'\n")
    git("add", "-A")
    refused = git("commit", "-qm", "A broken link")
    assert refused.returncode == 1 and "error[E209]: link to unknown target '[[nobody]]'" in refused.stderr


@pytest.mark.parametrize(
    "passage",
    ['The minister said: "We will not resign."', '"We will not resign," the minister said', "'Not now', she said #2"],
)
def test_quote_prints_a_passage_that_pastes_as_it_is_whatever_it_holds(project, cli, passage):
    """The commonest paste mistakes (': ', a leading quote mark, ' #') cannot come from `quote`'s own line."""
    import yaml

    root = project("minimal")
    source = root / "sources/wire-2020-01-02.md"
    source.write_text(source.read_text() + f"\n{passage} Then she left.\n")
    run = cli("quote", "wire-2020-01-02", passage, "-C", root)
    assert run.status == 0, run.err
    pasted = f"claims:\n  - sources:\n      - source: wire-2020-01-02\n        {run.out}"
    assert yaml.safe_load(pasted)["claims"][0]["sources"][0]["quote"] == passage

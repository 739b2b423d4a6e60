"""Load a project root: parse its files' YAML and front matter (read by projectfiles.py), build the model.

This is the only module that sees untyped YAML. Whatever is wrong with a file
becomes a Problem; what can still be read is loaded, so that every later
problem is found in the same run.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from datetime import datetime
from importlib import resources
from pathlib import Path

from crossbrief.load import readcache
from crossbrief.load.fields import CONTROL, Fields, markdown, text_ok
from crossbrief.load.projectfiles import (
    PROPERTIES_FILE,
    Files,
    is_project_file,
    project_files,
    read_file,
    read_order,
    unread_files,
)
from crossbrief.load.yamltree import Mapping, Node, Scalar, parse
from crossbrief.model import (
    PROPERTY_TYPES,
    SECTIONS,
    Briefing,
    Caption,
    Citation,
    Claim,
    Dossier,
    Project,
    Property,
    Source,
    Verdict,
    values,
)
from crossbrief.model.links import MAX_ID, is_id
from crossbrief.model.problems import Location, Problem

STATUSES = ("open", "explained", "settled")
_PUBLISHED = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?)?")
_URL = re.compile(r"https?://[^\s<>\"]+")
_CAPTION = re.compile(r"(\\?)\[caption\](?:[ \t]+|$)")
"""A caption's marker at the start of a line of an article's text; a backslash before it keeps it as text."""

DOSSIER_FIELDS = {
    "people": ("name", "aliases", "summary", "claims", "disagreements"),
    "organisations": ("name", "aliases", "kind", "summary", "claims", "disagreements"),
    "events": ("name", "aliases", "kind", "date", "summary", "claims", "disagreements"),
}
CLAIM_FIELDS = ("id", "property", "value", "text", "sources", "note")
CITATION_FIELDS = ("source", "quote", "said_by", "as_of")
VERDICT_FIELDS = ("property", "status", "preferred", "note", "covers")
SOURCE_FIELDS = ("title", "title_by_editors", "outlet", "published", "author", "url", "via")
BRIEFING_FIELDS = ("title", "date", "summary", "key_points", "handling", "classification", "paper", "pdf")
PAPERS = ("a4", "letter")
"""The print briefing's paper sizes."""
PRINT_FORMS = ("brief", "book")
"""The print products a briefing's `pdf` field may name."""
NUMBER_RANGE_FIELDS = ("min", "more_than", "max", "less_than", "about")
"""A number range's ends, either included (`min`, `max`) or excluded (`more_than`, `less_than`), or an
approximate number (`about`, alone)."""
PROPERTY_FIELDS = ("label", "type", "single", "inverse", "same_origin")


def load(root: str | os.PathLike, files: Files | None = None) -> tuple[Project, list[Problem]]:
    """Read every briefing, dossier, source and the property registry under `root`, or from `files`."""
    root = Path(root)
    problems: list[Problem] = []
    if files is None:
        properties = load_properties(root, problems)
        rels = list(project_files(root, problems))
        problems.extend(unread_files(root))
        texts = [(rel, text) for rel in rels if (text := read_file(root, rel, problems)) is not None]
        count = len(rels) + (root / "briefings" / PROPERTIES_FILE).is_file()
    else:
        provided = dict(files(problems))
        registry = provided.pop(f"briefings/{PROPERTIES_FILE}", None)
        properties = properties_from(registry, problems)
        rels = sorted((rel for rel in provided if is_project_file(rel)), key=read_order)
        texts = [(rel, provided[rel]) for rel in rels if provided[rel] is not None]
        count = len(rels) + (registry is not None)
    sources, dossiers, briefings = [], [], []
    # a git revision's files are mostly the working tree's, so it reads what runs on the working tree
    # saved, but saves nothing: the file keeps one set of entries, the working tree's
    read = readcache.parsed(
        root, texts, repr(tuple(properties.items())), lambda rel, text: _read(rel, text, properties), save=files is None
    )
    for item, found in read:
        problems.extend(found)
        if isinstance(item, Source):
            sources.append(item)
        elif isinstance(item, Dossier):
            dossiers.append(item)
        elif item is not None:
            briefings.append(item)
    project = Project(
        root=str(root),
        sources=tuple(sorted(sources, key=lambda s: s.id)),
        dossiers=tuple(sorted(dossiers, key=lambda d: d.id)),
        briefings=tuple(sorted(briefings, key=lambda b: b.id)),
        properties=properties,
        files=count,
        digests={rel: hashlib.blake2b(text.encode(), digest_size=16).hexdigest() for rel, text in texts},
        unread=frozenset({file_id(rel) for rel in rels} - {item.id for item in (*sources, *dossiers, *briefings)}),
    )
    return project, problems


def _read(
    rel: str, text: str, properties: dict[str, Property]
) -> tuple[Source | Dossier | Briefing | None, tuple[Problem, ...]]:
    """A file read into a Source, Dossier or Briefing (None if unreadable), and its problems."""
    problems: list[Problem] = []
    parts = rel.split("/")
    if parts[0] == "sources":
        item = _source(rel, text, problems)
    else:
        node = _yaml(rel, text, problems)
        item = (
            None
            if node is None
            else _dossier(rel, parts[1], node, properties, problems)
            if len(parts) == 3
            else _briefing(rel, node, problems)
        )
    return item, tuple(problems)


def load_dossier(rel: str, text: str, properties: dict[str, Property]) -> Dossier | None:
    """One dossier file's content, read leniently (problems are dropped); None if it is not YAML."""
    node, _ = parse(text, rel)
    parts = rel.split("/")
    if node is None or len(parts) != 3 or parts[1] not in SECTIONS:
        return None
    return _dossier(rel, parts[1], node, properties, [])


def _yaml(rel: str, text: str, problems: list[Problem], line_offset: int = 0) -> Node | None:
    node, found = parse(text, rel, line_offset)
    problems.extend(found)
    if node is None and not found:
        problems.append(Problem(Location(rel, 1, 1), "E111", "the file is empty"))
    return node


def file_id(rel: str) -> str:
    """The id a file defines: its name without the extension."""
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def load_properties(root: Path, problems: list[Problem]) -> dict[str, Property]:
    """The shipped registry, extended or overridden field by field by the project's."""
    rel = f"briefings/{PROPERTIES_FILE}"
    text = read_file(root, rel, problems) if (root / rel).exists() or (root / rel).is_symlink() else None
    return properties_from(text, problems)


def properties_from(text: str | None, problems: list[Problem]) -> dict[str, Property]:
    """The shipped registry, extended by the text of a project's properties.yaml if there is one."""
    shipped = resources.files("crossbrief").joinpath("data", PROPERTIES_FILE).read_text("utf-8")
    registry = _properties(parse(shipped, "crossbrief/data/properties.yaml")[0], {}, [])
    node = _yaml(f"briefings/{PROPERTIES_FILE}", text, problems) if text and text.strip() else None
    return _properties(node, registry, problems) if node else registry


def _properties(node: Node, base: dict[str, Property], problems: list[Problem]) -> dict[str, Property]:
    registry = dict(base)
    if not isinstance(node, Mapping):
        problems.append(Problem(node.location, "E112", "the property registry must map property ids to fields"))
        return registry
    for key, value in node.items:
        if not is_id(key.text):  # property ids become page anchors: `{#dossier--<property>}`
            problems.append(
                Problem(
                    key.location,
                    "E201",
                    f"'{key.text}' is not a valid property id",
                    f"use lower-case letters, digits and single hyphens, at most {MAX_ID} characters",
                )
            )
            continue
        f = Fields(value, f"property '{key.text}'", PROPERTY_FIELDS, problems)
        old = base.get(key.text)
        label = f.string("label", required=old is None) or (old.label if old else key.text)
        kind = f.string("type", required=old is None) or (old.type if old else "text")
        if kind not in PROPERTY_TYPES:
            problems.append(
                Problem(f.at("type"), "E114", f"unknown property type '{kind}'", "one of: " + ", ".join(PROPERTY_TYPES))
            )
            kind = "text"
        single = f.boolean("single", old.single if old else False)
        inverse = f.string("inverse") or (old.inverse if old else label)
        same_origin = f.boolean("same_origin", old.same_origin if old else False)
        registry[key.text] = Property(key.text, label, kind, single, inverse, same_origin)
    return dict(sorted(registry.items()))


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line closing a source's front matter (its `---`), or None if it has none."""
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
    return end if lines and lines[0].rstrip() == "---" else None


def _source(rel: str, text: str, problems: list[Problem]) -> Source | None:
    lines = text.split("\n")
    end = front_matter_end(lines)
    if end is None:
        problems.append(
            Problem(Location(rel, 1, 1), "E101", "a source must start with YAML front matter between '---' lines")
        )
        return None
    node = _yaml(rel, "\n".join(lines[1:end]), problems, line_offset=1)
    if node is None:
        return None
    f = Fields(node, "the front matter", SOURCE_FIELDS, problems)
    published = f.string("published", required=True)
    if published and not is_published(published):
        problems.append(_not_a_time(f, "published", published))
    url = f.string("url")
    if url and not _URL.fullmatch(url):
        problems.append(Problem(f.at("url"), "E114", "'url' must be a single http or https address"))
    body = "\n".join(lines[end + 1 :])
    if bad := CONTROL.search(body):
        line = body.count("\n", 0, bad.start())
        problems.append(
            Problem(
                Location(rel, end + 2 + line, bad.start() - (body.rfind("\n", 0, bad.start()) + 1) + 1),
                "E116",
                f"the article's text holds the control character U+{ord(bad[0]):04X}",
                "remove it: a page or a terminal would take it as a command",
            )
        )
    text, captions = _body(rel, lines[end + 1 :], end + 2, problems)
    return Source(
        id=file_id(rel),
        title=f.string("title", required=True),
        title_by_editors=f.boolean("title_by_editors", False),
        outlet=f.string("outlet", required=True),
        published=published,
        authors=f.strings("author", single_allowed=True),
        url=url,
        via=f.strings("via"),
        text=text,
        location=Location(rel),
        body_line=end + 2,
        where=f.where(),
        captions=captions,
    )


def _body(rel: str, lines: list[str], first: int, problems: list[Problem]) -> tuple[str, tuple[Caption, ...]]:
    """An article's text without its caption markers, and its captions: the lines that began with
    `[caption] ` (line `first` of the file is the text's first)."""
    out: list[str] = []
    captions: list[Caption] = []
    offset = 0
    for n, line in enumerate(lines):
        marker = _CAPTION.match(line)
        if marker and marker[1]:  # an escaped marker is text: the backslash goes
            line = line[1:]
        elif marker:
            line = line[marker.end() :]
            where = Location(rel, first + n, marker.end() + 1)
            if line.strip():
                captions.append(Caption(offset, offset + len(line.rstrip()), where))
            else:
                problems.append(
                    Problem(where, "E111", "a caption marker with no caption", "write the caption after '[caption] '")
                )
        out.append(line)
        offset += len(line) + 1
    return "\n".join(out), tuple(captions)


def is_published(text: str) -> bool:
    """Whether `text` is a real day (within values.YEARS), optionally with a real time and offset."""
    if not _PUBLISHED.fullmatch(text) or not values.parse_date(text[:10]):
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:  # hour 24, minute 99, offset +25:00
        return False
    return True


def _not_a_time(f: Fields, key: str, text: str) -> Problem:
    """E114 for a `published` or `as_of` that `is_published` refuses."""
    return Problem(
        f.at(key),
        "E114",
        f"'{key}' must be YYYY-MM-DD, optionally with a time, not '{text}'",
        values.date_hint(text[:10]) or ("there is no such time" if _PUBLISHED.fullmatch(text) else ""),
    )


def _dossier(rel: str, section: str, node: Node, properties: dict[str, Property], problems: list[Problem]) -> Dossier:
    f = Fields(node, "a dossier", DOSSIER_FIELDS[section], problems)
    dossier_id = file_id(rel)
    date = None
    if section == "events":
        date = _date(f.node("date", required=True), problems, "the event's 'date'")
    return Dossier(
        id=dossier_id,
        section=section,
        name=f.string("name", required=True),
        aliases=f.strings("aliases"),
        kind=f.string("kind"),
        date=date,
        summary=f.markdown("summary"),
        claims=tuple(_claim(n, dossier_id, properties, problems) for n in f.sequence("claims")),
        verdicts=tuple(_verdict(n, problems) for n in f.sequence("disagreements")),
        location=Location(rel),
        where=f.where(),
    )


def _claim(node: Node, dossier: str, properties: dict[str, Property], problems: list[Problem]) -> Claim:
    f = Fields(node, "a claim", CLAIM_FIELDS, problems)
    prop = f.string("property", required=True)
    raw = f.node("value", required=True)
    value = None
    if prop and prop not in properties:
        close = difflib.get_close_matches(prop, properties, n=2)
        problems.append(
            Problem(
                f.at("property"),
                "E207",
                f"unknown property '{prop}'",
                ("did you mean " + " or ".join(f"'{c}'" for c in close) + "? " if close else "")
                + f"add it to briefings/{PROPERTIES_FILE} if it is new",
            )
        )
    elif prop and raw is not None:
        value = _value(raw, properties[prop], problems)
    return Claim(
        id=f.string("id", required=True),
        dossier=dossier,
        property=prop,
        value=value,
        text=f.markdown("text"),
        citations=tuple(_citation(n, problems) for n in f.sequence("sources", required=True)),
        note=f.markdown("note"),
        location=f.location,
        where=f.where(),
    )


def _citation(node: Node, problems: list[Problem]) -> Citation:
    f = Fields(node, "a citation", CITATION_FIELDS, problems)
    quote = f.scalar("quote", required=True)
    as_of = f.string("as_of")
    if as_of and not is_published(as_of):
        problems.append(_not_a_time(f, "as_of", as_of))
        as_of = ""
    return Citation(
        source=f.string("source", required=True),
        quote=quote.text if quote else "",
        said_by=f.string("said_by"),
        location=f.location,
        where=f.where(),
        as_of=as_of,
    )


def _verdict(node: Node, problems: list[Problem]) -> Verdict:
    f = Fields(node, "a disagreement verdict", VERDICT_FIELDS, problems)
    status = f.string("status") or "open"
    if status not in STATUSES:
        problems.append(Problem(f.at("status"), "E114", f"unknown status '{status}'", "one of: " + ", ".join(STATUSES)))
    note = f.markdown("note", required=status in ("explained", "settled"))
    return Verdict(
        property=f.string("property", required=True),
        status=status,
        preferred=f.string("preferred"),
        note=note,
        location=f.location,
        where=f.where(),
        covers=_covers(f.node("covers"), problems),
    )


def _covers(node: Node | None, problems: list[Problem]) -> tuple[tuple[str, str], ...] | None:
    """A verdict's `covers`: claim ids mapped to their values as they read."""
    if node is None:
        return None
    if not isinstance(node, Mapping) or not all(isinstance(v, Scalar) for _, v in node.items):
        problems.append(
            Problem(
                node.location,
                "E112",
                "'covers' must map claim ids to their values as they read",
                "fill it with: crossbrief confirm DOSSIER PROPERTY",
            )
        )
        return None
    for k, _ in node.items:
        if not is_id(k.text):
            problems.append(
                Problem(
                    k.location,
                    "E201",
                    f"'covers' names '{k.text}', which is not a claim id",
                    "fill it with: crossbrief confirm DOSSIER PROPERTY",
                )
            )
    return tuple(sorted((k.text, " ".join(v.text.split())) for k, v in node.items))


def _briefing(rel: str, node: Node, problems: list[Problem]) -> Briefing:
    f = Fields(node, "a briefing", BRIEFING_FIELDS, problems)
    date = f.string("date", required=True)
    if date and not values.parse_date(date):
        problems.append(
            Problem(
                f.at("date"),
                "E114",
                f"'date' must be YYYY, YYYY-MM or YYYY-MM-DD, not '{date}'",
                values.date_hint(date),
            )
        )
    points = []
    for item in f.sequence("key_points"):
        if isinstance(item, Scalar) and item.text.strip():
            if text_ok(item, "key_points", problems):
                points.append(markdown(item))
        else:
            problems.append(Problem(item.location, "E112", "each key point must be a Markdown string"))
    paper = f.string("paper") or "a4"
    if paper not in PAPERS:
        problems.append(Problem(f.at("paper"), "E114", f"'paper' must be a4 or letter, not '{paper}'"))
        paper = "a4"
    forms = f.strings("pdf") if f.node("pdf") is not None else PRINT_FORMS
    for form in forms:
        if form not in PRINT_FORMS:
            problems.append(Problem(f.at("pdf"), "E114", f"'pdf' lists brief and book, not '{form}'"))
    return Briefing(
        id=file_id(rel),
        title=f.string("title", required=True),
        date=date,
        summary=f.markdown("summary"),
        key_points=tuple(points),
        location=Location(rel),
        handling=" ".join(f.string("handling").split()),
        classification=" ".join(f.string("classification").split()),
        paper=paper,
        pdf=tuple(form for form in PRINT_FORMS if form in forms),
    )


def _value(node: Node, prop: Property, problems: list[Problem]) -> values.Value | None:
    if prop.type == "number":
        return _number(node, problems, prop)
    if prop.type == "date":
        return _date(node, problems, f"a {prop.id} value")
    if isinstance(node, Scalar) and node.text.strip():
        return values.string(node.text) if text_ok(node, "value", problems) else None
    problems.append(Problem(node.location, "E208", f"'{prop.id}' takes a {prop.type}, a single string"))
    return None


def _number(node: Node, problems: list[Problem], prop: Property) -> values.Value | None:
    if isinstance(node, Scalar):
        n = values.number(node.text)
        if n is not None:
            return values.number_value(n, n)
    elif isinstance(node, Mapping):
        f = Fields(node, f"a {prop.id} range", NUMBER_RANGE_FIELDS, problems)
        given = {key: f.scalar(key) for key in NUMBER_RANGE_FIELDS if f.scalar(key)}
        numbers = {key: values.number(e.text) for key, e in given.items()}
        if None in numbers.values() or not numbers:
            pass
        elif "about" in numbers:
            if len(numbers) == 1:
                return values.about_value(numbers["about"])
        elif not ({"min", "more_than"} <= numbers.keys() or {"max", "less_than"} <= numbers.keys()):
            low = numbers.get("min", numbers.get("more_than"))
            high = numbers.get("max", numbers.get("less_than"))
            low_open, high_open = "more_than" in numbers, "less_than" in numbers
            if low is None or high is None or low < high or (low == high and not low_open and not high_open):
                return values.number_value(low, high, low_open, high_open)
    problems.append(
        Problem(
            node.location,
            "E208",
            f"'{prop.id}' takes a number or a range {{min: .., max: ..}}",
            "write digits only, e.g. 46, {min: 47, max: 49}, {more_than: 100}, {less_than: 16000} or {about: 60}",
        )
    )
    return None


def _date(node: Node | None, problems: list[Problem], what: str) -> values.Value | None:
    if node is None:
        return None
    if isinstance(node, Scalar):
        value = values.date_point(node.text)
    elif isinstance(node, Mapping):
        f = Fields(node, "a date range", ("from", "to", "about"), problems)
        about = f.string("about")
        if about:
            value = values.date_about(about) if not (f.string("from") or f.string("to")) else None
        else:
            value = values.date_range(f.string("from"), f.string("to"))
            value = value if (f.string("from") or f.string("to")) else None
    else:
        value = None
    if value is None:
        hint = (
            values.date_hint(node.text)
            if isinstance(node, Scalar)
            else "each end a real date, the first not after the second"
            if isinstance(node, Mapping)
            else ""
        )
        problems.append(
            Problem(
                node.location,
                "E208",
                f"{what} must be YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DD HH:MM, "
                "a range {from: .., to: ..} or {about: ..}",
                hint,
            )
        )
    return value

"""`crossbrief fmt`: rewrite the YAML files in one canonical key order and quoting style,
keeping comments, so that review diffs show what changed and nothing else.

Like load.py, this module reads YAML itself, because it rewrites it: ruamel.yaml
round-trips each file (comments, flow or block collections, block scalars).
- Keys follow the format's order (name, aliases, kind, date, summary, claims
  [id, property, value, text, sources [source, quote, said_by, as_of], note],
  disagreements [property, status, preferred, note, covers]; briefings, sources'
  front matter likewise); unknown keys keep their order after the known
  ones. `fmt` leaves briefings/properties.yaml alone (its columns are
  aligned by hand); `format_file` formats it too if asked.
- A plain scalar stays plain, its text as written: `2012-07-06`, `046` and
  `true` keep whatever a YAML reader makes of them.
- A quoted string loses its quotes when its plain form reads back as the same
  string under both YAML 1.1 and 1.2, and is not empty, null, a boolean, a
  number or a date; otherwise it gets single quotes, or double quotes when it
  needs escapes. Block scalars (`|`, `>`) are kept.
- Sequences are indented by two spaces under their key, with the dash.
A file is written only when crossbrief reads the same values from the new text
as from the old; a file it cannot read is left alone and reported.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from crossbrief import load
from crossbrief.infra.write import atomic
from crossbrief.load import projectfiles
from crossbrief.load.yamltree import Mapping, Node, Scalar, Sequence, parse
from crossbrief.model.problems import Location, Problem

ORDERS = {
    "dossier": load.DOSSIER_FIELDS["events"],
    "claim": load.CLAIM_FIELDS,
    "citation": load.CITATION_FIELDS,
    "verdict": load.VERDICT_FIELDS,
    "briefing": load.BRIEFING_FIELDS,
    "source": load.SOURCE_FIELDS,
    "property": load.PROPERTY_FIELDS,
    "range": (*load.NUMBER_RANGE_FIELDS, "from", "to"),
}
"""Key order by kind of mapping."""
CHILDREN = {
    "dossier": {"claims": "claim", "disagreements": "verdict", "date": "range"},
    "claim": {"sources": "citation", "value": "range"},
}
"""The kind of mapping found under a key (in a mapping or in each entry of a list)."""
_STR = "tag:yaml.org,2002:str"
_BOOLS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
"""Characters a plain scalar may not start with (some emitters get `: x` wrong in flow collections)."""


class FormatError(Exception):
    """A file cannot be formatted safely; it is left as it is."""


@dataclass(frozen=True)
class Result:
    """What `fmt` found."""

    changed: tuple[str, ...]
    """Files not in canonical form (rewritten, unless checking), relative to the root."""
    checked: int
    """How many files were read."""
    problems: tuple[Problem, ...]
    """Files that could not be read or formatted."""


class _TextResolver(VersionedResolver):
    """Every plain scalar reads as its text, exactly as written."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Resolver = _TextResolver
    y.preserve_quotes = True
    y.width = 1_000_000  # never fold a long line: a changed word shows as one changed line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


_V11 = pyyaml.resolver.Resolver()
_V12 = VersionedResolver(version=(1, 2))


def plain_is_same(text: str) -> bool:
    """Whether `text` written without quotes reads back as the same string everywhere."""
    if (
        not text
        or text != text.strip()
        or text[0] in _INDICATORS
        or text.endswith(":")
        or ": " in text
        or " #" in text
        or not text.isprintable()
        or text in _BOOLS
        or text in ("~", "null", "Null", "NULL")
    ):
        return False
    return (
        _V11.resolve(pyyaml.ScalarNode, text, (True, False)) == _STR
        and str(_V12.resolve(ScalarNode, text, (True, False))) == _STR
    )


def _canonical(node, kind: str | None, restyle: bool = True):
    """Reorder keys and (with `restyle`) restyle quoted strings, in place; returns the node or its replacement."""
    if isinstance(node, CommentedMap):
        order = ORDERS.get(kind or "", ())
        for key in [k for k in order if k in node] + [k for k in list(node) if k not in order]:
            node.move_to_end(key)
        children = CHILDREN.get(kind or "", {})
        for key in list(node):
            child = "property" if kind == "registry" else children.get(key)
            # not node[key] = ...: ruamel would give a plain string the old value's quotes
            ordereddict.__setitem__(node, key, _canonical(node[key], child, restyle))
        return node
    if isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            list.__setitem__(node, i, _canonical(item, kind, restyle))
        return node
    if restyle and isinstance(node, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        text = str(node)
        if plain_is_same(text):
            return text
        printable = all(ch.isprintable() for ch in text)
        return SingleQuotedScalarString(text) if printable else DoubleQuotedScalarString(text)
    return node


def format_yaml(text: str, kind: str, path: str = "") -> str:
    """A YAML document in canonical form. Raises FormatError when it cannot be done safely."""
    before = _meaning(text, path)
    y = _yaml()
    try:
        data = y.load(text)
    except YAMLError as e:
        raise FormatError(f"not formatted: ruamel.yaml cannot read it ({str(e).splitlines()[0]})") from None
    if data is None:
        return text
    for restyle in (True, False):  # if restyled quotes read differently, reorder keys only
        out = io.StringIO()
        y.dump(_canonical(data if restyle else y.load(text), kind, restyle), out)
        formatted = out.getvalue()
        if _meaning(formatted, path) == before:
            return formatted
    raise FormatError("not formatted: its canonical form would read differently (please report this)")


def _meaning(text: str, path: str):
    node, problems = parse(text, path)
    if problems:
        raise _Unreadable(problems)
    return _value(node)


class _Unreadable(FormatError):
    def __init__(self, problems: list[Problem]):
        super().__init__("not formatted: crossbrief cannot read it")
        self.problems = problems


def _value(node: Node | None):
    """What crossbrief reads from a node: key order and quoting aside."""
    if isinstance(node, Mapping):
        return ("map", tuple(sorted((k.text, _value(v)) for k, v in node.items)))
    if isinstance(node, Sequence):
        return ("seq", tuple(_value(v) for v in node.items))
    if isinstance(node, Scalar):
        return ("null",) if node.is_null else ("str", node.text, node.style == "" and node.text in _BOOLS)
    return None


def format_file(rel: str, text: str) -> str:
    """A project file's text in canonical form: a briefing, a dossier, the registry, or a source's front matter."""
    parts = rel.split("/")
    if parts[0] == "sources":
        lines = text.split("\n")
        end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
        if lines[0].rstrip() != "---" or end is None:
            raise FormatError("not formatted: no front matter between '---' lines")
        head = "\n".join(lines[1:end]) + "\n"
        body = "\n".join(lines[end + 1 :])
        formatted = format_yaml(head, "source", rel) if head.strip() else head
        return f"---\n{formatted}---\n{body}"
    if rel == f"briefings/{projectfiles.PROPERTIES_FILE}":
        return format_yaml(text, "registry", rel)
    return format_yaml(text, "dossier" if len(parts) == 3 else "briefing", rel)


def fmt(root: str | os.PathLike, check: bool = False) -> Result:
    """Bring every project file into canonical form (only report, with `check`)."""
    root = Path(root)
    problems: list[Problem] = []
    rels = list(projectfiles.project_files(root, problems))  # not properties.yaml: its columns are aligned by hand
    changed = []
    for rel in rels:
        text = projectfiles.read_file(root, rel, problems)
        if text is None:
            continue
        try:
            formatted = format_file(rel, text)
        except _Unreadable as e:
            problems.extend(e.problems)
            continue
        except FormatError as e:
            problems.append(Problem(Location(rel), "E101", str(e)))
            continue
        # compared with the text as read (line ends made LF): under core.autocrlf a checkout has CRLF in
        # every file, which is no change of form, and the pre-commit hook refused every commit for it
        if formatted != text:
            changed.append(rel)
            if not check:
                _write(root / rel, formatted)
    return Result(tuple(changed), len(rels), tuple(sorted(set(problems))))


def _write(path: Path, text: str) -> None:
    atomic(path, text.encode("utf-8"), path.stat().st_mode & 0o7777)

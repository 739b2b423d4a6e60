"""Safe YAML parsing into positioned nodes that keep every scalar's text.

PyYAML's constructors guess types (`NO` becomes False, `0123` an octal
number, `2012-07` stays a string but `2012-07-06` becomes a date) and expand
aliases. Here the libyaml parser's events are assembled by hand instead:
scalars keep their text, tags, anchors and aliases are refused (so a
"billion laughs" file stops at its first alias), duplicate keys are
reported with both lines, and depth is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .problems import Location, Problem

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 40
NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True)
class Scalar:
    """A scalar exactly as written."""

    text: str
    """The scalar's text, never converted."""
    style: str
    """"" for plain, or the style indicator: ' " | >."""
    location: Location
    """Where the scalar starts."""
    start: Location
    """Where its text starts (inside quotes, or the first line of a block)."""

    @property
    def is_null(self) -> bool:
        """A plain `~`, `null` or nothing."""
        return self.style == "" and self.text in NULLS

    def locate(self, offset: int) -> Location:
        """Where the character at `offset` of the text was written (exact for literal blocks and single lines)."""
        before = self.text[:offset]
        lines = before.count("\n")
        if lines and self.style != "|":
            return self.start
        column = len(before) - before.rfind("\n") - 1 if lines else offset
        return self.start.shifted(lines, self.start.column + column if lines else column)


@dataclass(frozen=True)
class Mapping:
    """A mapping with scalar keys, in the order written."""

    items: tuple[tuple[Scalar, Node], ...]
    """Key and value pairs; duplicate keys are reported and the later one dropped."""
    location: Location
    """Where the mapping starts."""

    def get(self, key: str) -> Node | None:
        """The value under `key`, or None."""
        for k, v in self.items:
            if k.text == key:
                return v
        return None


@dataclass(frozen=True)
class Sequence:
    """A list of nodes."""

    items: tuple[Node, ...]
    """The entries in order."""
    location: Location
    """Where the list starts."""


Node = Scalar | Mapping | Sequence


def parse(text: str, path: str, line_offset: int = 0) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document; `line_offset` shifts locations (front matter sits below a `---`)."""
    lines = text.split("\n")

    def loc(mark) -> Location:
        return Location(path, mark.line + 1 + line_offset, mark.column + 1)

    problems: list[Problem] = []
    stack: list[tuple[list, Location, bool]] = []  # (items, location, is_mapping)
    root: Node | None = None
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.AliasEvent:
                return None, [Problem(loc(event.start_mark), "E102", "YAML aliases (*name) are not allowed",
                                      "write the value out in full")]
            if kind in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent):
                refused = _refused_feature(event)
                if refused:
                    return None, [Problem(loc(event.start_mark), "E102", refused, "remove it; crossbrief reads plain YAML")]
            if kind is yaml.ScalarEvent:
                node = Scalar(event.value, event.style or "", loc(event.start_mark),
                              _text_start(event, lines, loc(event.start_mark)))
            elif kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    return None, [Problem(loc(event.start_mark), "E104", f"nested deeper than {MAX_DEPTH} levels")]
                stack.append(([], loc(event.start_mark), kind is yaml.MappingStartEvent))
                continue
            elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                items, where, is_mapping = stack.pop()
                node = _mapping(items, where, problems) if is_mapping else Sequence(tuple(items), where)
            elif kind is yaml.DocumentStartEvent and root is not None:
                return None, [Problem(loc(event.start_mark), "E101", "more than one YAML document in the file")]
            else:
                continue
            if stack:
                stack[-1][0].append(node)
            else:
                root = node
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = loc(mark) if mark else Location(path)
        return None, [Problem(where, "E101", f"YAML syntax error: {e.problem or e.context}")]
    except yaml.YAMLError as e:  # reader errors: control characters and the like
        return None, [Problem(Location(path), "E101", f"YAML syntax error: {e}")]
    return root, problems


def _refused_feature(event) -> str:
    if event.anchor is not None:
        return f"YAML anchors (&{event.anchor}) are not allowed"
    if event.tag not in (None, "!"):
        return f"YAML tags ({event.tag}) are not allowed"
    return ""


def _text_start(event, lines: list[str], where: Location) -> Location:
    style = event.style or ""
    if style in "\"'" and style:
        return where.shifted(0, 1)
    if style in ("|", ">"):
        # The text starts on the next non-blank line, at its indentation.
        index = event.start_mark.line + 1
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index < len(lines):
            indent = len(lines[index]) - len(lines[index].lstrip(" "))
            return where.shifted(index - event.start_mark.line, indent + 1)
    return where


def _mapping(items: list, where: Location, problems: list[Problem]) -> Mapping:
    pairs: list[tuple[Scalar, Node]] = []
    seen: dict[str, Scalar] = {}
    for key, value in zip(items[::2], items[1::2]):
        if not isinstance(key, Scalar):
            problems.append(Problem(key.location, "E112", "a mapping key must be a plain string"))
            continue
        if key.text in seen:
            first = seen[key.text].location
            if first.line == key.location.line:  # a flow mapping: both on one line
                where, hint = f"first on line {first.line}, column {first.column}", "keep one of the two"
            else:
                where, hint = f"first on line {first.line}", f"keep one of the two, line {first.line} or line {key.location.line}"
            problems.append(Problem(key.location, "E103", f"duplicate key '{key.text}' ({where})", hint))
            continue
        seen[key.text] = key
        pairs.append((key, value))
    return Mapping(tuple(pairs), where)

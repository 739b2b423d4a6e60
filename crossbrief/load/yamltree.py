"""Safe YAML parsing into positioned nodes that keep every scalar's text.

PyYAML's constructors guess types (`NO` becomes False, `0123` an octal
number, `2012-07` stays a string but `2012-07-06` becomes a date) and expand
aliases. Here the libyaml parser's events are assembled by hand instead:
scalars keep their text, tags, anchors and aliases are refused (so a
"billion laughs" file stops at its first alias), duplicate keys are
reported with both lines, and depth is bounded.
"""

from __future__ import annotations

from collections.abc import Sequence as Sequence_
from typing import NamedTuple

import yaml

from crossbrief.load import pastehints
from crossbrief.model.problems import Location, Problem

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 40
NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def _place_of_location(node) -> tuple[int, int]:
    """Line and column where a mapping or list starts (a scalar keeps them as fields)."""
    return node.location.line, node.location.column


class Scalar(NamedTuple):
    """A scalar exactly as written (a tuple: the loader makes a hundred thousand of these)."""

    text: str
    """The scalar's text, never converted."""
    style: str
    """"" for plain, or the style indicator: ' " | >."""
    path: str
    """The file it is in."""
    line: int
    """Line of the scalar's first character, from 1."""
    column: int
    """Column of the scalar's first character, from 1."""
    lines: Sequence_ = ()
    """The parsed text's lines, shared by all its scalars, to place text inside blocks."""
    offset: int = 0
    """How many lines of the file precede the parsed text (front matter starts below `---`)."""

    @property
    def location(self) -> Location:
        """Where the scalar starts."""
        return Location(self.path, self.line, self.column)

    @property
    def place(self) -> tuple[int, int]:
        """Line and column where the scalar starts (the model keeps these, not a Location, per field)."""
        return self.line, self.column

    @property
    def is_null(self) -> bool:
        """A plain `~`, `null` or nothing."""
        return self.style == "" and self.text in NULLS

    @property
    def start(self) -> Location:
        """Where its text starts: inside the quotes, or at the first line of a block."""
        if self.style in ("'", '"'):
            return Location(self.path, self.line, self.column + 1)
        if self.style in ("|", ">"):
            index = self.line - self.offset
            while index < len(self.lines) and not self.lines[index].strip():
                index += 1
            if index < len(self.lines):
                indent = len(self.lines[index]) - len(self.lines[index].lstrip(" "))
                return Location(self.path, index + self.offset + 1, indent + 1)
        return self.location


class Mapping(NamedTuple):
    """A mapping with scalar keys, in the order written."""

    items: tuple
    """Key and value pairs; duplicate keys are reported and the later one dropped."""
    location: Location
    """Where the mapping starts."""

    place = property(_place_of_location)


class Sequence(NamedTuple):
    """A list of nodes."""

    items: tuple
    """The entries in order."""
    location: Location
    """Where the list starts."""

    place = property(_place_of_location)


Node = Scalar | Mapping | Sequence


_new = tuple.__new__
_SCALAR, _MAPPING_START, _MAPPING_END = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


def parse(text: str, path: str, line_offset: int = 0) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document; `line_offset` shifts locations (front matter sits below a `---`)."""
    lines = tuple(text.split("\n"))
    problems: list[Problem] = []
    # the open mappings and lists: each one's items, location and whether it is a mapping; the innermost's
    # items also in `items` (this loop runs once per event, some 800,000 times for the L benchmark)
    stack: list[tuple[list, Location, bool]] = []
    top: list[Node] = []
    items = top
    loader = _Loader(text)
    get_event = loader.get_event
    first_line = 1 + line_offset

    def loc(mark) -> Location:
        return Location(path, mark.line + first_line, mark.column + 1)

    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is _SCALAR:
                if event.anchor is not None or event.tag not in (None, "!"):
                    return None, [_refused(event, loc(event.start_mark))]
                mark = event.start_mark
                # tuple.__new__ rather than Scalar(...): the same tuple without a call of Python code per scalar
                items.append(
                    _new(
                        Scalar,
                        (
                            event.value,
                            event.style or "",
                            path,
                            mark.line + first_line,
                            mark.column + 1,
                            lines,
                            line_offset,
                        ),
                    )
                )
                continue
            if kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.anchor is not None or event.tag not in (None, "!"):
                    return None, [_refused(event, loc(event.start_mark))]
                if len(stack) >= MAX_DEPTH:
                    return None, [Problem(loc(event.start_mark), "E104", f"nested deeper than {MAX_DEPTH} levels")]
                items = []
                stack.append((items, loc(event.start_mark), kind is _MAPPING_START))
                continue
            if kind is _MAPPING_END or kind is _SEQUENCE_END:
                done, where, is_mapping = stack.pop()
                node = _mapping(done, where, problems) if is_mapping else _new(Sequence, (tuple(done), where))
                items = stack[-1][0] if stack else top
                items.append(node)
            elif kind is yaml.AliasEvent:
                return None, [
                    Problem(
                        loc(event.start_mark),
                        "E102",
                        "YAML aliases (*name) are not allowed",
                        "write the value out in full",
                    )
                ]
            elif kind is yaml.DocumentStartEvent and top:
                return None, [Problem(loc(event.start_mark), "E101", "more than one YAML document in the file")]
            elif kind is yaml.StreamEndEvent:
                break
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = loc(mark) if mark else Location(path)
        known = pastehints.explained(lines, mark.line) if mark else None
        if known:
            return None, [Problem(where, "E101", f"YAML syntax error: {known[0]}", known[1])]
        return None, [Problem(where, "E101", f"YAML syntax error: {e.problem or e.context}", _PASTE_HINT)]
    except yaml.YAMLError as e:  # reader errors: control characters and the like
        return None, [Problem(Location(path), "E101", f"YAML syntax error: {e}")]
    finally:
        loader.dispose()
    return (top[0] if top else None), problems


_PASTE_HINT = (
    "text pasted from an article that holds ': ' or ' #', or starts with a quote mark, goes in quotes "
    "('...', a ' inside doubled) or in a block (key: |, the text on the next lines, indented)"
)


def _refused(event, where: Location) -> Problem:
    return Problem(where, "E102", _refused_feature(event), "remove it; crossbrief reads plain YAML")


def _refused_feature(event) -> str:
    if event.anchor is not None:
        return f"YAML anchors (&{event.anchor}) are not allowed"
    if event.tag not in (None, "!"):
        return f"YAML tags ({event.tag}) are not allowed"
    return ""


def _mapping(items: list, where: Location, problems: list[Problem]) -> Mapping:
    keys = items[::2]
    texts = {key.text if type(key) is Scalar else None for key in keys}
    if len(texts) == len(keys) and None not in texts:  # distinct strings, as usual
        return _new(Mapping, (tuple(zip(keys, items[1::2])), where))
    pairs: list[tuple[Scalar, Node]] = []
    seen: dict[str, Scalar] = {}
    for key, value in zip(items[::2], items[1::2]):
        if not isinstance(key, Scalar):
            problems.append(Problem(key.location, "E112", "a mapping key must be a plain string"))
            continue
        if key.text in seen:
            first = seen[key.text].location
            if first.line == key.location.line:  # a flow mapping: both on one line
                earlier, hint = f"first on line {first.line}, column {first.column}", "keep one of the two"
            else:
                earlier, hint = (
                    f"first on line {first.line}",
                    f"keep one of the two, line {first.line} or line {key.location.line}",
                )
            problems.append(Problem(key.location, "E103", f"duplicate key '{key.text}' ({earlier})", hint))
            continue
        seen[key.text] = key
        pairs.append((key, value))
    return Mapping(tuple(pairs), where)

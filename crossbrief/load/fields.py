"""Reading typed fields out of positioned YAML nodes, reporting what is wrong."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from crossbrief.load.yamltree import Mapping, Node, Scalar, Sequence
from crossbrief.model import Markdown
from crossbrief.model.problems import Location, Problem

MAX_CHARS = {"name": 1_000, "aliases": 1_000, "quote": 5_000}
"""The longest a name, an alias or a quote may be. Names and aliases become an Aho-Corasick trie one
level per character, which pyahocorasick frees recursively: a name of some 700,000 characters
overflows the C stack and kills the process. No real name or quote comes near these."""

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (C0 but tab and line feed, DEL, C1): invisible in an editor, they break the pages'
front matter, titles and terminals. YAML lets them in only through escapes (`"\\x7f"`, `"\\u0085"`)."""

_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def markdown(node: Scalar) -> Markdown:
    """A Markdown field that can locate each of its characters."""
    return Markdown(node.text, node.start, node.style == "|")


class Fields:
    """The fields of one YAML mapping, read one by one; problems collect in `problems`."""

    def __init__(self, node: Node, what: str, known: Iterable[str], problems: list[Problem]):
        self.problems = problems
        self.what = what
        self.location = node.location
        if isinstance(node, Mapping):
            items = node.items
        else:
            items = ()
            problems.append(Problem(node.location, "E112", f"{what} must be a mapping of fields"))
        self.known = known = tuple(known)
        """The fields it may have: only these are placed (`where`)."""
        self.values: dict[str, Node] = {}
        """Each field's node by name (a claim's few fields are looked up some six times each)."""
        for key, value in items:
            self.values[key.text] = value
            if key.text not in known:
                close = difflib.get_close_matches(key.text, known, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "known fields: " + ", ".join(known)
                problems.append(Problem(key.location, "E113", f"unknown field '{key.text}' in {what}", hint))

    def where(self) -> str:
        """The line and column where each known field's value starts, as model.Placed keeps them."""
        return "\n".join(
            f"{key} {value.place[0]} {value.place[1]}" for key, value in self.values.items() if key in self.known
        )

    def at(self, key: str) -> Location:
        """Where a present field's value starts."""
        return self.values[key].location

    def node(self, key: str, required: bool = False) -> Node | None:
        """The raw node of a field (None if absent or null), reporting a missing required one."""
        value = self.values.get(key)
        if value is None or (isinstance(value, Scalar) and value.is_null):
            if required:
                self.problems.append(
                    Problem(self.location, "E111", f"{self.what} has no '{key}'", f"add a line '{key}: ...' to it")
                )
            return None
        return value

    def scalar(self, key: str, required: bool = False) -> Scalar | None:
        """A field that must be a single string."""
        value = self.node(key, required)
        if value is None or isinstance(value, Scalar):
            if value is not None and not value.text.strip() and required:
                self.problems.append(Problem(value.location, "E111", f"'{key}' of {self.what} is empty"))
                return None
            return value if value is None or self.text_ok(value, key) else None
        self.problems.append(Problem(value.location, "E112", f"'{key}' must be a string, not a {_shape(value)}"))
        return None

    def string(self, key: str, required: bool = False) -> str:
        """A string field's text, stripped; empty if absent."""
        value = self.scalar(key, required)
        return value.text.strip() if value else ""

    def markdown(self, key: str, required: bool = False) -> Markdown | None:
        """A Markdown field."""
        value = self.scalar(key, required)
        return markdown(value) if value and value.text.strip() else None

    def boolean(self, key: str, default: bool) -> bool:
        """A plain true or false."""
        value = self.scalar(key)
        if value is None:
            return default
        if value.style or value.text not in _BOOLS:
            self.problems.append(Problem(value.location, "E114", f"'{key}' must be true or false, not '{value.text}'"))
            return default
        return _BOOLS[value.text]

    def sequence(self, key: str, required: bool = False) -> tuple[Node, ...]:
        """A list field's entries."""
        value = self.node(key, required)
        if value is None:
            return ()
        if isinstance(value, Sequence):
            if required and not value.items:
                self.problems.append(Problem(value.location, "E111", f"'{key}' of {self.what} is an empty list"))
            return value.items
        self.problems.append(Problem(value.location, "E112", f"'{key}' must be a list, not a {_shape(value)}"))
        return ()

    def strings(self, key: str, single_allowed: bool = False) -> tuple[str, ...]:
        """A list of strings; a single string too when `single_allowed`."""
        value = self.node(key)
        if single_allowed and isinstance(value, Scalar):
            return (value.text.strip(),) if self.text_ok(value, key) else ()
        out = []
        for item in self.sequence(key):
            if isinstance(item, Scalar) and not item.is_null and item.text.strip():
                if self.text_ok(item, key):
                    out.append(item.text.strip())
            else:
                self.problems.append(
                    Problem(item.location, "E112", f"each entry of '{key}' must be a non-empty string")
                )
        return tuple(out)

    def text_ok(self, value: Scalar, key: str) -> bool:
        """Whether a string field's text is short enough and free of control characters; if not, a problem
        says so and the field is read as absent (a name too long never reaches the trie)."""
        return text_ok(value, key, self.problems)


def text_ok(value: Scalar, key: str, problems: list[Problem]) -> bool:
    """Whether `value`, the text of field `key`, is within MAX_CHARS and has no control character; if not,
    a problem (E115, E116) says so."""
    limit = MAX_CHARS.get(key)
    if limit and len(value.text) > limit:
        problems.append(
            Problem(
                value.location,
                "E115",
                f"'{key}' is {len(value.text):,} characters long, more than {limit:,}",
                "shorten it" + (": quote a sentence or two, not a whole passage" if key == "quote" else ""),
            )
        )
        return False
    bad = CONTROL.search(value.text)
    if bad:
        problems.append(
            Problem(
                value.location,
                "E116",
                f"'{key}' holds the control character U+{ord(bad[0]):04X} at character {bad.start() + 1}",
                "remove it (an escape such as \\x7f or \\u0085 in a quoted string puts one there)",
            )
        )
        return False
    return True


def _shape(node: Node) -> str:
    return {Mapping: "mapping", Sequence: "list", Scalar: "string"}[type(node)]

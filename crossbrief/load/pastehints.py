"""What a YAML syntax error most likely is, said as an editor pasting article text would fix it.

YAML's own messages ("mapping values are not allowed in this context", "did
not find expected key", "did not find expected '-' indicator") name the
parser's state, not the mistake. The commonest mistakes when pasting a quote
are three, each recognised from the line the parser stopped at and the lines
above it: a value holding ": " (read as another key), a value starting with a
quote mark and going on after the closing one, and a line indented unlike the
lines it belongs with. Each gets its message and the corrected line.
"""

from __future__ import annotations

import re

_ENTRY = re.compile(r"(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][\w-]*):(?:[ \t]+(?P<value>.*?))?[ \t]*$")


def explained(lines: tuple[str, ...], line: int) -> tuple[str, str] | None:
    """(message, hint) for the syntax error YAML found on `line` (0-based in `lines`), or None when it is
    none of the mistakes recognised here."""
    if not 0 <= line < len(lines):
        return None
    text = lines[line]
    entry = _ENTRY.fullmatch(text)
    value = (entry["value"] or "") if entry else ""
    if entry and value and value[0] not in "\"'|>[{&*!" and (": " in value or value.endswith(":")):
        return (
            f"the value of '{entry['key']}' holds ': ', which YAML reads as the start of another key",
            f"put it in quotes: {_fixed(entry, value)}  (or write it as a block: '{entry['key']}: |', "
            "the text on the next line, indented)",
        )
    if entry and value[:1] in ("'", '"') and _closed_early(value):
        return (
            f"the value of '{entry['key']}' starts with a quote mark, so YAML takes only the text up to the "
            "closing one",
            f"put the whole value in quotes: {_fixed(entry, value)}",
        )
    return _misindented(lines, line)


def _fixed(entry: re.Match, value: str) -> str:
    """The entry's line with its value in single quotes (a ' inside doubled), as `crossbrief fmt` writes it."""
    quoted = "'" + value.replace("'", "''") + "'"
    return f"{entry['dash'] or ''}{entry['key']}: {quoted}"


def _closed_early(value: str) -> bool:
    """Whether a quoted value has text after its closing quote mark (other than a comment)."""
    mark = value[0]
    at = 1
    while True:
        at = value.find(mark, at)
        if at < 0:
            return False
        if mark == "'" and value[at + 1 : at + 2] == "'":  # '' is a ' inside single quotes
            at += 2
            continue
        if mark == '"' and value[at - 1] == "\\":
            at += 1
            continue
        rest = value[at + 1 :].strip()
        return bool(rest) and not rest.startswith("#")


def _misindented(lines: tuple[str, ...], line: int) -> tuple[str, str] | None:
    """A line indented unlike the line above it that it most likely belongs with."""
    text = lines[line]
    here = len(text) - len(text.lstrip(" "))
    above = next(
        (i for i in range(line - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), None
    )
    if above is None or not text.strip():
        return None
    previous = _ENTRY.fullmatch(lines[above])
    if text.lstrip().startswith("- "):
        # an item of a list: as the list's other items, the nearest above it that starts with a dash
        items = [i for i in range(line - 1, -1, -1) if lines[i].lstrip().startswith("- ")]
        if not items:
            return None
        sibling = items[0]
        wanted = len(lines[sibling]) - len(lines[sibling].lstrip(" "))
        what = f"the item on line {sibling + 1}"
    elif previous:
        wanted = len(previous["indent"]) + len(previous["dash"] or "")
        what = f"'{previous['key']}:' on line {above + 1}"
    else:
        return None
    if wanted == here:
        return None
    return (
        f"this line is indented {here} spaces, but {what} is indented {wanted}",
        f"indent it by {wanted} spaces, as {what}, if it belongs with it (YAML reads the indentation as the structure)",
    )

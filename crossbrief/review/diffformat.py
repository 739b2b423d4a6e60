"""The semantic diff as text (a terminal), Markdown (a pull-request comment) or JSON (other tools)."""

from __future__ import annotations

import json
import re

from crossbrief.review.diff import SECTIONS, Change, Diff

FORMATS = ("text", "markdown", "json")
FORMAT_VERSION = 1
SYMBOLS = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
WORDS = {
    "disagreements": {"added": "appeared", "removed": "disappeared"},
    "problems": {"added": "introduced", "removed": "fixed"},
}
WIDTH = 100
"""Longer strings are shown around what changed, in text and Markdown (JSON has them whole)."""
MARKDOWN_LIMIT = 60_000
"""A pull-request comment holds 65,536 characters; changes past this are counted, not shown."""


def render(d: Diff, fmt: str, base: dict, head: dict) -> str:
    """The diff in a format of FORMATS; `base` and `head` describe the sides (label, revision, commit)."""
    return {"text": text, "markdown": markdown, "json": to_json}[fmt](d, base, head)


def word(section: str, kind: str) -> str:
    """How a kind of change reads in a section: a problem is `fixed`, a disagreement `appeared`."""
    return WORDS.get(section, {}).get(kind, kind)


def summary(d: Diff) -> str:
    """One line counting the changes: `claims: 1 added, 2 changed; problems: 1 fixed`."""
    parts = []
    for section, counts in d.counts().items():
        kinds = [f"{counts[k]} {word(section, k)}" for k in ("added", "removed", "renamed", "changed") if counts[k]]
        parts.append(f"{section}: " + ", ".join(kinds))
    return "; ".join(parts) or "no changes"


def excerpt(old: str, new: str, width: int = WIDTH) -> tuple[str, str]:
    """Both texts on one line; when long, only the words around where they differ."""
    a, b = " ".join(old.split()), " ".join(new.split())
    if len(a) <= width and len(b) <= width:
        return a, b
    wa, wb = a.split(" "), b.split(" ")
    start = 0
    while start < min(len(wa), len(wb)) and wa[start] == wb[start]:
        start += 1
    end = 0
    while end < min(len(wa), len(wb)) - start and wa[-1 - end] == wb[-1 - end]:
        end += 1
    context = 4

    def cut(words: list[str]) -> str:
        if not words or words == [""]:
            return ""
        first, last = max(0, start - context), len(words) - max(0, end - context)
        shown = " ".join(words[first:last])
        if len(shown) > 2 * width:
            shown = shown[: 2 * width].rsplit(" ", 1)[0] + " …"
        return ("… " if first else "") + shown + (" …" if last < len(words) and not shown.endswith("…") else "")

    return cut(wa), cut(wb)


def _fields(c: Change, arrow: str, show) -> list[str]:
    lines = []
    for f in c.fields:
        old, new = excerpt(f.old, f.new)
        if c.kind == "added":
            lines.append(f"{show(f.name)}: {show(new)}")
        else:
            lines.append(f"{show(f.name)}: {show(old) if old else '(none)'} {arrow} {show(new) if new else '(none)'}")
    return lines


def text(d: Diff, base: dict, head: dict) -> str:
    """Plain text for a terminal."""
    lines = [f"crossbrief diff: {base['label']} -> {head['label']}", summary(d)]
    for section in SECTIONS:
        changes = d.section(section)
        if not changes:
            continue
        lines += ["", section.capitalize()]
        for c in changes:
            name = f"{c.old_key} -> {c.key}" if c.old_key and c.old_key != c.key else c.key
            lines.append(f"  {SYMBOLS[c.kind]} {name}: {' '.join(c.label.split())}")
            lines += [f"      {line}" for line in _fields(c, "->", str)]
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")


_AUTOLINK = re.compile(r"\b(https?|ftp):(?=//)|\b(www)(?=\.)", re.I)
"""Where GitHub makes a bare address a link (`https://x`, `www.x`): escaping punctuation does not stop it."""


def md_text(s: str) -> str:
    """A string as inert Markdown text: punctuation escaped, no line breaks, no @mentions, #references or
    bare addresses that GitHub would link (a zero-width space breaks each)."""
    s = _MD_SPECIAL.sub(r"\\\1", " ".join(s.split()))
    s = _AUTOLINK.sub(lambda m: m[0] + "\u200b", s)
    return s.replace("@", "@\u200b").replace("\\#", "\\#\u200b")


def md_code(s: str) -> str:
    """An id as inline code (or as text if it holds a backtick)."""
    return f"`{s}`" if s and "`" not in s and "\n" not in s else md_text(s)


def markdown(d: Diff, base: dict, head: dict) -> str:
    """Markdown ready to paste as a pull-request comment."""
    lines = [f"### Briefing changes: {md_text(base['label'])} → {md_text(head['label'])}", ""]
    if d.empty:
        return "\n".join([*lines, "No changes to the briefing."]) + "\n"
    counts = [
        f"**{s.capitalize()}:** " + ", ".join(f"{n} {word(s, k)}" for k, n in sorted(c.items(), key=_kind_order))
        for s, c in d.counts().items()
    ]
    lines += [" · ".join(counts)]
    size, hidden = sum(map(len, lines)), 0
    for section in SECTIONS:
        changes = d.section(section)
        if not changes:
            continue
        block = ["", f"#### {section.capitalize()}", ""]
        for c in changes:
            name = f"{md_code(c.old_key)} → {md_code(c.key)}" if c.old_key and c.old_key != c.key else md_code(c.key)
            item = [f"- **{word(section, c.kind)}** {name}: {md_text(c.label)}"]
            item += [f"  - {line}" for line in _fields(c, "→", md_text)]
            if size + sum(len(x) + 1 for x in block + item) > MARKDOWN_LIMIT:
                hidden += 1
                continue
            block += item
        if len(block) > 3:
            lines += block
            size += sum(len(x) + 1 for x in block)
    if hidden:
        lines += ["", f"*{hidden} more changes not shown; run `crossbrief diff` to see them all.*"]
    return "\n".join(lines) + "\n"


def _kind_order(item: tuple[str, int]) -> int:
    return ("added", "removed", "renamed", "changed").index(item[0])


def to_json(d: Diff, base: dict, head: dict) -> str:
    """Every change with its fields in full, as sorted, indented JSON."""
    data = {
        "format": FORMAT_VERSION,
        "base": base,
        "head": head,
        "empty": d.empty,
        "summary": summary(d),
        "changes": {
            s: [
                {
                    "kind": c.kind,
                    "key": c.key,
                    "old_key": c.old_key,
                    "label": c.label,
                    "fields": [{"name": f.name, "old": f.old, "new": f.new} for f in c.fields],
                }
                for c in d.section(s)
            ]
            for s in SECTIONS
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"

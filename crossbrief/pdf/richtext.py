"""Project text for the print templates: Markdown fields as a small tree of JSON values, never Typst markup.

The templates place what they are given as text (a string in Typst content is
text: `#`, `$`, `@`, `<label>` and backslashes mean nothing in it), so no
project text is ever read as Typst code. A Markdown field becomes a list of
blocks, each a one-key object:

    {"p": inline}  {"ul": [blocks, ...]}  {"ol": [blocks, ...], "start": n}
    {"quote": blocks}  {"code": "text"}  {"h": inline}  {"hr": 1}
    {"table": {"head": [inline, ...], "rows": [[inline, ...], ...]}}

and inline text a list whose items are strings (text) or one-key objects:

    {"em": inline}  {"strong": inline}  {"s": inline}  {"raw": "text"}  {"br": 1}
    {"to": "cb-id", "c": inline}  (a [[link]] into the document)  {"url": "https://...", "c": inline}

A [[link]] whose target is not in the document (the brief has no dossiers) is its text alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from crossbrief.model import Markdown
from crossbrief.model.links import LINK
from crossbrief.site import markup

Inline = list
Blocks = list
Target = Callable[[str], "tuple[str, str | None] | None"]
"""A [[link]] target -> (its label, the label in the document or None when not in it), or None if unknown."""

_LONG = re.compile(r"[^\s\u200b]{48,}")
_ZWSP = "\u200b"


def wrappable(text: str) -> str:
    """The text with a break opportunity (a zero-width space) every 24 characters of a run of 48 or more
    without a space: a pasted blob, a long URL or a hash in a narrow table cell would otherwise run past
    the margin, as Typst breaks lines only where Unicode allows."""
    if len(text) < 48:
        return text
    return _LONG.sub(lambda m: _ZWSP.join(m[0][i : i + 24] for i in range(0, len(m[0]), 24)), text)


def _text(out: Inline, text: str) -> None:
    if text:
        text = wrappable(text)
        if out and type(out[-1]) is str:
            out[-1] += text
        else:
            out.append(text)


def _link(m: re.Match, target: Target) -> tuple[str, str | None]:
    found = target(m[1].strip())
    label = " ".join((m[2] or "").split()) or (found[0] if found else m[1].strip())
    return label, found[1] if found else None


def _plain_inline(line: str, target: Target) -> Inline:
    out: Inline = []
    at = 0
    for m in LINK.finditer(line):
        _text(out, line[at : m.start()])
        label, to = _link(m, target)
        if to:
            out.append({"to": to, "c": [wrappable(label)]})
        else:
            _text(out, label)
        at = m.end()
    _text(out, line[at:])
    return out


def blocks(field: Markdown | str | None, target: Target) -> Blocks:
    """A Markdown field as blocks."""
    if field is None:
        return []
    text = field.text if isinstance(field, Markdown) else field
    lines = text.rstrip(" \n").split("\n")
    if all(markup._PLAIN_LINE.fullmatch(line) and line[-1] != " " for line in lines):  # the common case, fast
        out: Inline = []
        for i, line in enumerate(lines):
            if i:
                _text(out, " ")
            out.extend(_plain_inline(line, target))
        return [{"p": out}]
    return _Blocks(_markdown_it().parse(text, {"target": target})).read()


def inline(field: Markdown | str | None, target: Target) -> Inline:
    """A Markdown field as one run of inline text (its paragraphs joined by line breaks)."""
    found: Inline = []
    for block in blocks(field, target):
        if found:
            found.append({"br": 1})
        found.extend(_flatten(block))
    return found


def _flatten(block: dict) -> Inline:
    if "p" in block or "h" in block:
        return block.get("p") or block["h"]
    if "code" in block:
        return [{"raw": block["code"]}]
    if "ul" in block or "ol" in block or "quote" in block:
        out: Inline = []
        for item in block.get("ul") or block.get("ol") or [block["quote"]]:
            for b in item:
                if out:
                    out.append({"br": 1})
                out.extend(_flatten(b))
        return out
    if "table" in block:
        return [cell for row in block["table"]["rows"] for cell in row for cell in cell]
    return []


@lru_cache(maxsize=1)
def _markdown_it():
    """markdown-it as the site sets it up (images off, safe links only), with [[links]] read as links into
    the document: its own rule, as the site's renders them as HTML."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default").disable("image")
    md.validateLink = markup._safe_link
    md.inline.ruler.before("link", "wikilink", _wikilink)
    return md


def _push_link(state, m: re.Match) -> None:
    label, to = _link(m, state.env["target"])
    if to:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": to, "class": "cb-xref"}
    state.push("text", "", 0).content = label
    if to:
        state.push("link_close", "a", -1)


_wikilink = markup.wikilink_rule(_push_link)


class _Blocks:
    """markdown-it's token stream read as blocks."""

    def __init__(self, tokens: list):
        self.tokens, self.at = tokens, 0

    def read(self, until: str = "") -> Blocks:
        out: Blocks = []
        while self.at < len(self.tokens):
            t = self.tokens[self.at]
            self.at += 1
            if t.type == until:
                break
            kind = t.type
            if kind == "paragraph_open":
                out.append({"p": _inlines(self.tokens[self.at].children or [])})
                self.at += 2  # the inline token and paragraph_close
            elif kind == "heading_open":
                out.append({"h": _inlines(self.tokens[self.at].children or [])})
                self.at += 2
            elif kind in ("bullet_list_open", "ordered_list_open"):
                items = []
                close = kind.replace("_open", "_close")
                while self.tokens[self.at].type == "list_item_open":
                    self.at += 1
                    items.append(self.read("list_item_close"))
                self.at += 1  # the list's close
                if kind == "ordered_list_open":
                    out.append({"ol": items, "start": int(t.attrGet("start") or 1)})
                else:
                    out.append({"ul": items})
                assert self.tokens[self.at - 1].type == close
            elif kind == "blockquote_open":
                out.append({"quote": self.read("blockquote_close")})
            elif kind in ("code_block", "fence"):
                out.append({"code": t.content.rstrip("\n")})
            elif kind == "hr":
                out.append({"hr": 1})
            elif kind == "table_open":
                out.append({"table": self._table()})
            elif kind == "inline":
                out.append({"p": _inlines(t.children or [])})
        return out

    def _table(self) -> dict:
        head, rows, row = [], [], None
        while (t := self.tokens[self.at]).type != "table_close":
            self.at += 1
            if t.type == "tr_open":
                row = []
            elif t.type == "inline":
                row.append(_inlines(t.children or []))
            elif t.type == "tr_close":
                (rows if head else head).append(row)
        self.at += 1
        return {"head": head[0] if head else [], "rows": rows}


def _inlines(tokens: list) -> Inline:
    """Inline tokens as inline text."""
    stack: list[tuple[str, Inline, dict]] = [("", [], {})]
    for t in tokens:
        out = stack[-1][1]
        kind = t.type
        if kind == "text":
            _text(out, t.content)
        elif kind == "softbreak":
            _text(out, " ")
        elif kind == "hardbreak":
            out.append({"br": 1})
        elif kind == "code_inline":
            out.append({"raw": wrappable(t.content)})
        elif kind in ("em_open", "strong_open", "s_open"):
            stack.append((kind[:-5], [], {}))
        elif kind == "link_open":
            href = t.attrGet("href") or ""
            if t.attrGet("class") == "cb-xref":  # a [[link]]: its href is the document label, or ""
                stack.append(("to", [], {"to": href} if href else {}))
            else:
                stack.append(("url", [], {"url": href}))
        elif kind.endswith("_close") and len(stack) > 1:
            name, children, attrs = stack.pop()
            parent = stack[-1][1]
            if name in ("to", "url"):
                if attrs:
                    parent.append({**attrs, "c": children})
                else:
                    for child in children:
                        _text(parent, child) if type(child) is str else parent.append(child)
            else:
                parent.append({{"em": "em", "strong": "strong", "s": "s"}[name]: children})
    while len(stack) > 1:  # never left open by markdown-it; kept as text if it were
        _, children, _ = stack.pop()
        stack[-1][1].extend(children)
    return stack[0][1]

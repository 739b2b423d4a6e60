"""Where each dossier is mentioned in the sources: its name or an alias, as whole words."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from . import textmatch
from .model import Project


@dataclass(frozen=True)
class Mention:
    """An occurrence of a dossier's name or alias in a source."""

    source: str
    """The source id."""
    name: str
    """The name as it occurs."""
    sentence: str
    """The sentence around it."""


_WORD = re.compile(r"\w+")


def find_mentions(project: Project, texts: dict[str, textmatch.Normalised]) -> dict[str, tuple[Mention, ...]]:
    """Where each dossier's name or aliases occur in the sources, as whole words.

    One pass over each text with a trie of the names' words, so each word of
    the text costs a dictionary lookup or two, however many names there are.
    Matches are leftmost-longest and do not overlap.
    """
    owners: dict[str, set[str]] = defaultdict(set)
    for dossier in project.dossiers:
        for name in dossier.names:
            if _WORD.search(textmatch.key(name)):
                owners[textmatch.key(name)].add(dossier.id)
    trie: dict = {}
    for name in owners:
        node = trie
        for word in _WORD.findall(name):
            node = node.setdefault(word, {})
        node.setdefault(None, []).append(name)
    found: dict[str, list[Mention]] = defaultdict(list)
    for source in project.sources:
        normalised = texts[source.id]
        text = normalised.text
        words = list(_WORD.finditer(text))
        i = 0
        while i < len(words):
            match = _longest_name(text, words, i, trie)
            if match is None:
                i += 1
                continue
            name, start, end, i = match
            a, b = normalised.span(start, end)
            mention = Mention(source.id, name, textmatch.sentence_around(source.text, a, b))
            for dossier in sorted(owners[name]):
                found[dossier].append(mention)
    return {k: tuple(v) for k, v in found.items()}


def _longest_name(text: str, words: list, i: int, trie: dict) -> tuple[str, int, int, int] | None:
    """The longest name starting at word i: (name, start, end, index of the next word)."""
    node, best, j = trie, None, i
    while j < len(words) and words[j][0] in node:
        node = node[words[j][0]]
        j += 1
        for name in sorted(node.get(None, ()), key=len, reverse=True):
            start = words[i].start() - _WORD.search(name).start()
            end = start + len(name)
            if start >= 0 and text.startswith(name, start) and _whole(text, start, end):
                best = (name, start, end, j)
                break
    return best


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not part of a longer word."""
    return (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")) and \
        (end == len(text) or not (text[end].isalnum() or text[end] == "_"))

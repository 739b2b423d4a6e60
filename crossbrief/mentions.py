"""Where each dossier is mentioned in the sources: its name or an alias, as whole words."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import ahocorasick

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


@dataclass(frozen=True)
class _Name:
    """A normalised name or alias, and what choosing among overlapping matches needs."""

    text: str
    owners: tuple[str, ...]
    """The dossiers it names, sorted."""
    lead: int
    """Where its first word starts: a match is taken as starting at that word."""
    core_end: int
    """Where its last word ends: no other match starts at a word before that."""
    rank: int
    """Among matches starting at one word: more words first, then more characters, then first listed."""


_WORD = re.compile(r"\w+")


def find_mentions(project: Project, texts: dict[str, textmatch.Normalised]) -> dict[str, tuple[Mention, ...]]:
    """Where each dossier's name or aliases occur in the sources, as whole words.

    One pass over each text with an Aho-Corasick automaton of every name, so
    a text costs the same however many names there are. Matches are leftmost
    by word, longest (in words, then characters) and do not overlap.
    """
    automaton = _automaton(project)
    found: dict[str, list[Mention]] = defaultdict(list)
    for source in project.sources:
        normalised = texts[source.id]
        matches = _matches(normalised.text, automaton)
        sentences = textmatch.Sentences(source.text) if matches else None
        for name, start in matches:
            mention = Mention(source.id, name.text, sentences.around(*normalised.span(start, start + len(name.text))))
            for dossier in name.owners:
                found[dossier].append(mention)
    return {k: tuple(v) for k, v in found.items()}


def _automaton(project: Project) -> ahocorasick.Automaton | None:
    """An automaton of every name and alias holding a word, normalised, to its _Name; None if there is none."""
    owners: dict[str, set[str]] = defaultdict(set)
    for dossier in project.dossiers:
        for name in map(textmatch.key, dossier.names):
            if _WORD.search(name):
                owners[name].add(dossier.id)
    if not owners:
        return None  # an empty automaton cannot search
    automaton = ahocorasick.Automaton()
    ranked = sorted(owners, key=lambda name: (-len(_WORD.findall(name)), -len(name)))
    for rank, text in enumerate(ranked):
        words = list(_WORD.finditer(text))
        automaton.add_word(text, _Name(text, tuple(sorted(owners[text])), words[0].start(), words[-1].end(), rank))
    automaton.make_automaton()
    return automaton


def _matches(text: str, automaton: ahocorasick.Automaton | None) -> list[tuple[_Name, int]]:
    """The names in text and where each starts: whole words, the best at each word, not overlapping."""
    if automaton is None:
        return []
    found = []
    for last, name in automaton.iter(text):
        start = last + 1 - len(name.text)
        if _whole(text, start, last + 1):
            found.append((start + name.lead, name.rank, start, name))
    found.sort()  # (word, rank) pairs are unique, so the names themselves are never compared
    chosen, free = [], 0
    for word, _, start, name in found:
        if word >= free:
            chosen.append((name, start))
            free = start + name.core_end
    return chosen


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not part of a longer word."""
    return (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")) and \
        (end == len(text) or not (text[end].isalnum() or text[end] == "_"))

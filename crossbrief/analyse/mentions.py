"""Where each dossier is mentioned in the sources: its name or an alias, as whole words."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import ahocorasick

from crossbrief.analyse import textmatch
from crossbrief.model import Project


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
    lead: int
    """Where its first word starts: a match is taken as starting at that word."""
    core_end: int
    """Where its last word ends: no other match starts at a word before that."""
    rank: int
    """Among matches starting at one word: more words first, then more characters, then by text."""


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Found:
    """The names found in one source's text: a later build reuses it while the text and the names in it stay the same."""

    candidates: frozenset[str]
    """Every name occurring in the text as whole words, chosen or not: all the choice depended on."""
    chosen: tuple[tuple[str, str], ...]
    """Each mention, in text order: the name as it occurs and the sentence around it."""


class Names:
    """Every dossier's names and aliases holding a word, normalised, with the dossiers each names."""

    def __init__(self, project: Project):
        owners: dict[str, set[str]] = defaultdict(set)
        for dossier in project.dossiers:
            for name in map(textmatch.key, dossier.names):
                if _WORD.search(name):
                    owners[name].add(dossier.id)
        self.owners = {name: tuple(sorted(ids)) for name, ids in owners.items()}
        self.texts = frozenset(self.owners)

    @cached_property  # only built when some source's names are not known from an earlier build
    def automaton(self) -> ahocorasick.Automaton | None:
        """An automaton of every name to its _Name; None if there is none (an empty automaton cannot search)."""
        return _automaton(self.texts)

    def still_found(self, found: Found, original: str, normalised: Callable[[], str], added: Iterable[str]) -> bool:
        """Whether `found` is what a search of a text would find now that the names are these, where
        `added` are the names that are new since it was found (the choice among the names in a text
        depends on those names alone, see _automaton). The text is normalised (`normalised()`) only if
        the `original` holds each word of an added name: normalising changes only spaces, quotes and dashes."""
        return found.candidates <= self.texts and not any(
            all(word in original for word in _WORD.findall(name)) and _occurs(normalised(), name) for name in added
        )


def find(original: str, normalised: textmatch.Normalised, names: Names) -> Found:
    """The names in one source's text, and the sentence around each.

    One pass over the text with an Aho-Corasick automaton of every name, so
    a text costs the same however many names there are. Matches are leftmost
    by word, longest (in words, then characters) and do not overlap.
    """
    candidates, matches = _matches(normalised.text, names.automaton)
    sentences = textmatch.Sentences(original) if matches else None
    return Found(
        frozenset(candidates),
        tuple(
            (name.text, sentences.around(*normalised.span(start, start + len(name.text)))) for name, start in matches
        ),
    )


def of_dossiers(project: Project, found: dict[str, Found], names: Names) -> dict[str, tuple[Mention, ...]]:
    """The mentions of each dossier, from what was found in each source."""
    by_dossier: dict[str, list[Mention]] = defaultdict(list)
    for source in project.sources:
        for name, sentence in found[source.id].chosen:
            mention = Mention(source.id, name, sentence)
            for dossier in names.owners[name]:
                by_dossier[dossier].append(mention)
    return {k: tuple(v) for k, v in by_dossier.items()}


def _automaton(texts: frozenset[str]) -> ahocorasick.Automaton | None:
    if not texts:
        return None
    automaton = ahocorasick.Automaton()
    # the name's text breaks ties, so that the choice in a text depends only on the names found there
    ranked = sorted(texts, key=lambda name: (-len(_WORD.findall(name)), -len(name), name))
    for rank, text in enumerate(ranked):
        words = list(_WORD.finditer(text))
        automaton.add_word(text, _Name(text, words[0].start(), words[-1].end(), rank))
    automaton.make_automaton()
    return automaton


def _matches(text: str, automaton: ahocorasick.Automaton | None) -> tuple[set[str], list[tuple[_Name, int]]]:
    """Every name occurring in text as whole words, and those chosen with where each starts: the best
    at each word, not overlapping."""
    if automaton is None:
        return set(), []
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
    return {name.text for *_, name in found}, chosen


def _occurs(text: str, name: str) -> bool:
    """Whether `name` occurs in `text` as whole words."""
    at = text.find(name)
    while at >= 0:
        if _whole(text, at, at + len(name)):
            return True
        at = text.find(name, at + 1)
    return False


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not part of a longer word."""
    return (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")) and (
        end == len(text) or not (text[end].isalnum() or text[end] == "_")
    )

"""What the sources say that the briefing does not: the sentences that name a dossier and state a figure, a
date, a time, a place the project names or who said what, which no citation quotes from.

Built from the analysis (the mentions found in each source and the quoted
passages), not from a search of its own: a sentence names a dossier when a
mention was found in it. Headlines count too (they are searched here, as no
mention is looked for in them), but not in a source's share of covered
sentences; a headline a claim quotes from is covered, as a sentence is. The
same sentence in several sources (an agency's report and the outlets carrying
it, a paragraph printed twice) is one sentence: covered if any copy is quoted,
listed once otherwise.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate

from crossbrief.analyse import figures, textmatch
from crossbrief.analyse.boilerplate import cleaned
from crossbrief.analyse.candidates import Assessment, assess, used
from crossbrief.analyse.dates import MONTH_NAMES, WEEKDAY_NAMES, published_day
from crossbrief.analyse.numberwords import WORDS
from crossbrief.analyse.uncompared import Uncompared, uncompared
from crossbrief.model.problems import Location

FIGURES = (figures.NUMBER, figures.DATE, figures.TIME)
"""The readings that make a sentence figure-bearing, for a source's share of covered sentences."""


@dataclass(frozen=True)
class Sentence:
    """A sentence of a source, or its headline."""

    source: str
    """The source id."""
    start: int
    """Its first character in the source's text; -1 for the headline."""
    end: int
    """Just past its last character; -1 for the headline."""
    text: str
    """Its words, white space collapsed (a dateline or a photo credit left out)."""
    location: Location
    """Where it starts in the source's file."""

    @property
    def headline(self) -> bool:
        """Whether it is the source's headline (its `title`)."""
        return self.start < 0


@dataclass(frozen=True)
class Uncovered:
    """A sentence naming a dossier and stating something a claim could hold, quoted by no citation."""

    sentence: Sentence
    """The sentence (the first copy, when several sources print it)."""
    assessment: Assessment
    """Which dossier and property it most likely is about, what it states, and how it compares with the claims."""
    reprints: tuple[Sentence, ...] = ()
    """The same sentence in other sources (or again in the same one)."""

    @property
    def code(self) -> str:
        """N402 for a candidate conflict, N403 for a sentence that would corroborate a claim, N401 otherwise."""
        kinds = {c.agrees for c in self.assessment.candidates}
        return "N402" if False in kinds else "N403" if True in kinds else "N401"


@dataclass(frozen=True)
class Share:
    """How many of a source's figure-bearing sentences naming a dossier some citation quotes."""

    figures: int
    """Sentences of its text naming a dossier and stating a figure, a date or a time."""
    covered: int
    """Of those, the ones a citation quotes from (in this source or in a reprint of the sentence)."""

    @property
    def percent(self) -> int | None:
        """The share of them covered, rounded down (so 100 means every one); None when there are none."""
        return self.covered * 100 // self.figures if self.figures else None


@dataclass(frozen=True)
class Coverage:
    """The uncovered sentences of every source, ranked, each source's share, and the claims never compared."""

    uncovered: tuple[Uncovered, ...]
    """Candidate conflicts first, then what would corroborate, then by how likely a sentence hides a conflict."""
    shares: dict[str, Share]
    """Each source's share of covered figure-bearing sentences, by source id."""
    uncompared: tuple[Uncompared, ...]
    """Dossiers whose claims on related properties no check compares, by dossier."""

    def of_source(self, source: str) -> tuple[Uncovered, ...]:
        """The uncovered sentences listed at a source (a reprint is listed at its first copy only)."""
        return tuple(u for u in self.uncovered if u.sentence.source == source)

    def printed_in(self, source: str) -> tuple[Uncovered, ...]:
        """The uncovered sentences a source prints, as the first copy or a reprint."""
        return tuple(u for u in self.uncovered if source in {s.source for s in (u.sentence, *u.reprints)})


def coverage(analysis) -> Coverage:
    """What no citation quotes from, in every source of an analysed project.

    Only the sentences that mentions were found in are looked at, each found
    again in its text by a plain search; only the uncovered ones are read for
    what they state (the covered ones are only asked whether they state a
    figure, for the shares), and only the uncovered ones and the covered ones
    of the same length (a reprint's twin) are compared with each other."""
    found = _found(analysis)
    lengths = {len(n.sentence.text) for _, _, named in found for n in named}
    covered_keys = {_key(words) for _, covered, _ in found for words in covered if len(words) in lengths}
    copies: dict[str, list] = defaultdict(list)
    shares = {}
    places = place_names(analysis) if any(named for _, _, named in found) else {}
    for source, covered, named in found:
        published = published_day(source.published)
        figured = done = sum(map(_states_figure, covered))
        for n in named:
            readings = figures.read(n.sentence.text, published, places)
            if not readings:
                continue
            key = _key(n.sentence.text)
            twin = key in covered_keys
            if not n.sentence.headline and any(r.kind in FIGURES for r in readings):
                figured, done = figured + 1, done + twin
            if not twin:
                copies[key].append((n.sentence, n.dossiers, readings))
        shares[source.id] = Share(figured, done)
    first = _first_copy(analysis)
    usage = used(analysis) if copies else {}
    listed = []
    for printed in copies.values():
        printed.sort(key=lambda f: first(f[0]))
        sentence, dossiers, readings = printed[0]
        assessment = assess(analysis, sentence.text, dossiers, readings, frozenset(f[0].source for f in printed), usage)
        listed.append(Uncovered(sentence, assessment, tuple(f[0] for f in printed[1:])))
    return Coverage(tuple(sorted(listed, key=_rank)), shares, uncompared(analysis))


def _key(text: str) -> str:
    """What two copies of a sentence share: typography, white space and case aside (the same length as `text`)."""
    return textmatch.key(text).casefold()


_DIGIT = re.compile(r"\d")
_FIGURE_WORDS = frozenset(
    [*(w for w in WORDS if " " not in w), *MONTH_NAMES, *WEEKDAY_NAMES]
    + "dozen dozens tens hundred hundreds thousand thousands scores twenties thirties forties fifties sixties "
    "seventies eighties ago yesterday today tonight week weeks month months year years dawn midnight noon dusk".split()
)


def _states_figure(text: str) -> bool:
    """Whether a covered sentence states a figure, a date or a time, for the shares: a digit, or one of the
    words `figures.read` starts from, without reading them (a regular expression of the words took ten
    times as long, and splitting is cheaper than finding words)."""
    return _DIGIT.search(text) is not None or not _FIGURE_WORDS.isdisjoint(text.lower().translate(_PUNCTUATION).split())


_PUNCTUATION = str.maketrans({c: " " for c in ".,;:!?\"'()[]\u2018\u2019\u201c\u201d-\u2013\u2014/"})


def _rank(u: Uncovered) -> tuple:
    order = {"N402": 0, "N403": 1, "N401": 2}[u.code]
    s = u.sentence
    return (order, -u.assessment.rank, s.source, s.start, s.text)


def _first_copy(analysis):
    """Which copy of a reprinted sentence is listed: an agency's own report before the outlets carrying it,
    then the earliest published, then by source id and place."""
    sources = analysis.sources
    agencies = {a for s in analysis.project.sources for a in s.via}

    def key(sentence: Sentence) -> tuple:
        s = sources[sentence.source]
        return (s.outlet not in agencies, s.published, s.id, sentence.start)

    return key


def place_names(analysis) -> dict[str, str]:
    """Every place the project's claims name, by the words naming it: the whole value, and each part of it
    before or between commas that starts with a capital ("Rastan, Homs province": "Rastan")."""
    found: dict[str, str] = {}
    props = analysis.project.properties
    for claim in analysis.claims.values():
        prop = props.get(claim.property)
        if prop and prop.type == "place" and claim.value:
            text = claim.value.text
            for part in (text, *text.split(",")):
                part = part.strip()
                if part[:1].isupper():
                    found.setdefault(part, text)
    return found


@dataclass(frozen=True)
class _Named:
    """A sentence naming a dossier that no quoted passage overlaps."""

    sentence: Sentence
    dossiers: tuple[str, ...]


def _found(analysis) -> list[tuple[object, list[str], list[_Named]]]:
    """For each source (in id order), the sentences naming a dossier other than its outlet and agencies ("told
    AFP" is not about AFP): the words of those a quoted passage overlaps, and the others as `_Named`, with
    the dossiers each names (gathered only for them: most sentences are covered)."""
    mentioned = analysis.mentions
    aside = {s.id: {s.outlet, *s.via} for s in analysis.project.sources}
    media = set().union(*aside.values())
    # an outlet or agency is set aside only where it publishes; every other dossier counts everywhere
    by_source: dict[str, set[str]] = {s.id: set() for s in analysis.project.sources}
    for d, ms in mentioned.items():
        if d in media:
            for m in ms:
                if d not in aside[m.source]:
                    by_source[m.source].add(m.sentence)
        else:
            for m in ms:
                by_source[m.source].add(m.sentence)
    found = [(s, *_placed(analysis, s, by_source[s.id])) for s in analysis.project.sources]
    wanted = {(s.id, u[0]) for s, _, uncovered in found for u in uncovered}
    named: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d, ms in mentioned.items() if wanted else ():
        for m in ms:
            if (m.source, m.sentence) in wanted and d not in aside[m.source]:
                named[m.source, m.sentence].append(d)
    headlines = Headlines(analysis)
    out = []
    for source, covered, uncovered in found:
        listed = [
            _Named(
                Sentence(source.id, start, end, read, _locate(source, start)), tuple(sorted(named[source.id, words]))
            )
            for words, start, end, read in uncovered
        ]
        titled = headlines.of(source, aside[source.id])
        if titled and not any(p.in_title for p in analysis.passages.get(source.id, ())):  # a quoted headline is covered
            title = Sentence(source.id, -1, -1, " ".join(source.title.split()), source.at("title"))
            listed.insert(0, _Named(title, titled))
        out.append((source, covered, listed))
    return out


class Headlines:
    """The dossiers each headline names, found as mentions are (whole words, names and aliases as normalised)
    but by looking up each run of a few words: headlines are short, and only the names whose first word is
    in some headline are looked up (building the names' automaton cost more than all of this)."""

    def __init__(self, analysis):
        self.titles = {
            s.id: textmatch.key(s.title) for s in analysis.project.sources if s.title and not s.title_by_editors
        }
        words = set(_WORD.findall(" ".join(self.titles.values())))
        owners: dict[str, set[str]] = defaultdict(set)
        for dossier in analysis.project.dossiers:
            for name in dossier.names:
                # straightening quotes and dashes (textmatch.key) never changes a name's first word
                first = _WORD.search(name)
                if first and first.group() in words:
                    owners[textmatch.key(name)].add(dossier.id)
        self.owners = owners
        self.longest = min(8, max((len(_WORD.findall(n)) for n in owners), default=0))

    def of(self, source, aside: set[str]) -> tuple[str, ...]:
        """The dossiers a source's headline names but those `aside`; none if the editors wrote it."""
        text = self.titles.get(source.id)
        if not text:
            return ()
        words = list(_WORD.finditer(text))
        found = set()
        for i, first in enumerate(words):
            for last in words[i : i + self.longest]:
                found.update(self.owners.get(text[first.start() : last.end()], ()))
        return tuple(sorted(found - aside))


_WORD = re.compile(r"\w+")


def _placed(analysis, source, sentences: set[str]) -> tuple[list[str], list[tuple[str, int, int, str]]]:
    """Each sentence of a source found in its text: the words of those a quoted passage overlaps, and the others
    as (the words a mention gives, where the sentence starts as read and ends, its words as read), boilerplate
    left out (see boilerplate.py)."""
    text, covered, uncovered = source.text, [], []
    quoted = [p for p in analysis.passages.get(source.id, ()) if not p.in_title]  # a headline's are in the title
    starts = [p.start for p in quoted]
    reach = list(accumulate((p.end for p in quoted), max))  # the furthest end of the passages up to each
    for words in sentences:
        start = text.find(words)
        end = start + len(words)
        if start < 0:
            start, end = _find(text, words)
            if start < 0:
                continue
        before = bisect_left(starts, end)
        if before and reach[before - 1] > start:
            covered.append(words)
            continue
        read = cleaned(source, start, end)
        if read:
            uncovered.append((words, read[0], end, read[1]))
    return covered, uncovered


def _find(text: str, words: str) -> tuple[int, int]:
    """Where a sentence is whose white space the text spells otherwise (two spaces, a line break); -1s if not found."""
    normalised = textmatch.normalise(text)
    key = textmatch.key(words)
    at = normalised.text.find(key)
    return normalised.span(at, at + len(key)) if at >= 0 else (-1, -1)


def _locate(source, offset: int) -> Location:
    before = source.text[:offset]
    line = before.count("\n")
    return Location(source.location.path, source.body_line + line, offset - (before.rfind("\n") + 1) + 1)

"""What the sources say that the briefing does not: the sentences that name a dossier and state a figure, a
date, a time, a place the project names or who said what, which no citation quotes from.

Built from the analysis (the mentions found in each source and the quoted
passages), not from a search of its own: a sentence names a dossier when a
mention was found in it. Headlines count too (they are searched here, as no
mention is looked for in them), but not in a source's share of covered
sentences, as no quote can come from them. The same sentence in several
sources (an agency's report and the outlets carrying it, a paragraph printed
twice) is one sentence: covered if any copy is quoted, listed once otherwise.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from crossbrief.analyse import figures, mentions, textmatch
from crossbrief.analyse.candidates import Assessment, Candidate, Uncompared, assess, uncompared
from crossbrief.model.problems import Location, Problem

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


def coverage(analysis) -> Coverage:
    """What no citation quotes from, in every source of an analysed project."""
    places = place_names(analysis)
    named = _named(analysis)
    names = mentions.Names(analysis.project)
    copies: dict[str, list[tuple[Sentence, tuple[str, ...], bool, tuple[figures.Reading, ...]]]] = defaultdict(list)
    counted: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for source in analysis.project.sources:
        published = figures.published_day(source.published)
        quoted = [(p.start, p.end) for p in analysis.passages.get(source.id, ())]
        aside = {source.outlet, *source.via}
        for sentence, dossiers in _sentences(source, named.get(source.id, {}), names):
            dossiers = tuple(d for d in dossiers if d not in aside)
            if not dossiers:
                continue
            readings = figures.read(sentence.text, published, places)
            if not readings:
                continue
            covered = any(a < sentence.end and sentence.start < b for a, b in quoted)
            key = textmatch.key(sentence.text).casefold()
            copies[key].append((sentence, dossiers, covered, readings))
            if not sentence.headline and any(r.kind in FIGURES for r in readings):
                counted[source.id].append(key)
    covered_keys = {key for key, found in copies.items() if any(c for _, _, c, _ in found)}
    first = _first_copy(analysis)
    listed = []
    for key, found in copies.items():
        if key in covered_keys:
            continue
        found = sorted(found, key=lambda f: first(f[0]))
        sentence, dossiers, _, readings = found[0]
        assessment = assess(analysis, sentence.text, dossiers, readings, frozenset(f[0].source for f in found))
        listed.append(Uncovered(sentence, assessment, tuple(f[0] for f in found[1:])))
    shares = {
        s.id: Share(len(counted[s.id]), sum(k in covered_keys for k in counted[s.id])) for s in analysis.project.sources
    }
    return Coverage(tuple(sorted(listed, key=_rank)), shares, uncompared(analysis))


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


def _named(analysis) -> dict[str, dict[str, set[str]]]:
    """The dossiers named in each sentence of each source, by source id and the sentence as a mention gives it."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for dossier, found_in in analysis.mentions.items():
        for m in found_in:
            found[m.source][m.sentence].add(dossier)
    return found


_CREDIT = re.compile(
    r"\s*\((?:[^()]*\b(?:photo|picture|image|getty|file)\b[^()]*)\)\s*$|\s*\b(?:photo|picture|image)(?: credit)?:.*$|"
    r"\s*(?:©|copyright\b).*$",
    re.I,
)
_BOILERPLATE = re.compile(
    r"^(?:advertisement|read more\b.*|share this\b.*|related:.*|follow \S.* on (?:twitter|facebook|x|instagram)\b.*|"
    r"image (?:copyright|source)\b.*|getty images|sign up\b.*|[a-z]{2,4}(?:/[a-z]{2,4})+\s*\([^)]*\)\.?|"
    r".*\b(?:correspondent|editor|reporter)s?\b[^.]*\breports?:?)$",
    re.I,
)
_BYLINE = re.compile(r"^By [A-Z][\w'.-]+(?: (?:and )?[A-Z][\w'.-]+){0,4}(?:,.*)?$")
_DATELINE = re.compile(  # matched at a paragraph's start
    r"(?:[A-Z][\w .'-]{0,40}?\s*\((?:AFP|Reuters|AP|dpa|DPA|Xinhua|Anadolu|UPI|Interfax|[A-Z]{2,6})\)|"
    r"[A-Z]{3,}(?:[ ,]+[A-Z]{2,})*|[A-Z][a-z]+(?: [A-Z][a-z]+)?,\s*(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]{2,8}\.?\s+\d{1,2})"
    r"(?:,?\s+\d{4})?(?:\s*\([^)]{2,20}\))?)\s*[-\u2013\u2014:]+\s+"
)


def _sentences(source, named: dict[str, set[str]], names: mentions.Names):
    """Each sentence of a source that names a dossier, with the dossiers it names, boilerplate left out:
    the headline first (unless the editors wrote it), then the text's."""
    if source.title and not source.title_by_editors:
        found = mentions.find(source.title, textmatch.normalise(source.title), names)
        dossiers = sorted({d for name, _ in found.chosen for d in names.owners[name]})
        if dossiers:
            yield Sentence(source.id, -1, -1, " ".join(source.title.split()), source.at("title")), dossiers
    if not named:
        return
    text = source.text
    for start, end in textmatch.sentence_spans(text):
        words = " ".join(text[start:end].split())
        dossiers = named.get(words) or _containing(named, words)
        if not dossiers:
            continue
        paragraph_start = start == 0 or text[start - 1] == "\n"
        line = _line(text, start)
        if _BOILERPLATE.match(line.strip()) or _BYLINE.match(line.strip()) or line.strip() in source.authors:
            continue
        dateline = _DATELINE.match(text, start, end) if paragraph_start else None
        if dateline:
            start = dateline.end()
            words = " ".join(text[start:end].split())
        words = _CREDIT.sub("", words)
        if words:
            yield Sentence(source.id, start, end, words, _locate(source, start)), sorted(dossiers)


def _containing(named: dict[str, set[str]], words: str) -> set[str]:
    """The dossiers of the mentions inside a sentence: a mention's sentence is cut 300 characters either side
    of the name, so a long one is only part of it."""
    return {d for sentence, ids in named.items() if len(sentence) < len(words) and sentence in words for d in ids}


def _line(text: str, at: int) -> str:
    first = text.rfind("\n", 0, at) + 1
    last = text.find("\n", at)
    return text[first : last if last >= 0 else len(text)]


def _locate(source, offset: int) -> Location:
    before = source.text[:offset]
    line = before.count("\n")
    return Location(source.location.path, source.body_line + line, offset - (before.rfind("\n") + 1) + 1)


def notes(found: Coverage, source: str | None = None) -> tuple[Problem, ...]:
    """The uncovered sentences as located notes, in rank order, with the claims never compared (N404) when no
    source is asked for."""
    from crossbrief.analyse.candidates import describe

    listed = found.of_source(source) if source else found.uncovered
    out = [Problem(u.sentence.location, u.code, *describe(u)) for u in listed]
    if source is None:
        out += [Problem(c.claim.location, "N404", c.message, c.hint) for c in found.uncompared]
    return tuple(out)


__all__ = ["Candidate", "Coverage", "Sentence", "Share", "Uncovered", "coverage", "notes"]

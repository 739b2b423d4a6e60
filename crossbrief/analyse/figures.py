"""What a sentence of a report states that a claim could hold: figures, dates, times, places and who says so.

Read off the words with a few patterns, the way an editor skims: numbers
(digits, number words, "up to", "late 40s", "dozens of"), dates (a month, a
weekday, a year, "three days ago", "earlier this year", "a 16-month crisis"),
clock times, places the project already names, and attributions ("said",
"according to"). Relative dates are read from the day the report was
published. Each reading keeps its value as an interval (model/values.py), so
it can be compared with claims; the guide lists what this misses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from crossbrief.analyse.dates import DATE_READERS, DURATION, YEAR, days
from crossbrief.analyse.numberwords import NUMBER_WORDS, WORDS, amount
from crossbrief.model.values import Value, about_value, number_value

NUMBER, DATE, TIME, PLACE, ATTRIBUTION = "number", "date", "time", "place", "attribution"


@dataclass(frozen=True)
class Reading:
    """Something a sentence states: a figure, a date, a time, a known place or an attribution."""

    kind: str
    """number, date, time, place or attribution."""
    text: str
    """The words that state it, as they read in the sentence."""
    start: int
    """Where those words start in the sentence."""
    value: Value | None
    """The value as an interval (numbers, dates) or a string (places); None when it cannot be compared."""
    began: bool = False
    """For a date read from a duration ("a 16-month crisis", "for the past month") or after "since": when
    something began."""


_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_DECADES = {
    w: 10 * n for n, w in enumerate("x x twenties thirties forties fifties sixties seventies eighties nineties".split())
}
_VAGUE = {"tens": (20, 99), "dozens": (24, 199), "scores": (40, 199), "hundreds": (200, 999), "thousands": (2000, 9999)}
_QUALIFIER = (
    r"(?P<q>up to|at least|more than|over|fewer than|less than|under|about|around|some|nearly|almost|"
    r"approximately|roughly|an estimated|at most)\s+"
)
_FIGURE = re.compile(
    rf"(?:{_QUALIFIER})?(?:(?P<digits>(?<![\w.,-])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?![\w-])|(?<![\w.,-])\d+(?:\.\d+)?(?![\w-]|[,.]\d))"
    rf"|\b(?P<word>{NUMBER_WORDS})\b(?!-))(?:\s+(?P<scale>thousand|million|billion)\b)?",
    re.I,
)
_AGE = re.compile(
    r"\b(?:(?P<part>early|mid|late)[- ]?|in (?:his|her|their) )(?:(?P<tens>[1-9]0)'?s|(?P<decade>twenties|thirties|forties|"
    r"fifties|sixties|seventies|eighties|nineties))\b",
    re.I,
)
_VAGUE_RE = re.compile(r"\b(?P<v>tens|dozens|scores|hundreds|thousands) of\b", re.I)
_TENURE = re.compile(
    rf"\b(?P<n>\d+|{NUMBER_WORDS})-(?:day|week|month|year)s?\b(?!-old| old| (?:conflict|crisis|uprising|war|revolt|"
    r"siege|strike|campaign|standoff|occupation|insurgency|rebellion|blockade|dispute|ban)\b)",
    re.I,
)
_CLOCK = re.compile(
    r"\b(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?\b)?|\d{1,2}\s*[ap]\.?m\.?(?!\w)|\d{1,2}\s+o'clock\b)|\b(?:dawn|midnight|noon|dusk)\b",
    re.I,
)
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|according to|reported|reports|confirmed|announced|claimed|claims|added|stated|"
    r"insisted|denied|estimated|put the|accuses|accused|urged|warned|described)\b",
    re.I,
)


def read(sentence: str, published: date | None, places: dict[str, str]) -> tuple[Reading, ...]:
    """Everything `sentence` states that a claim could hold, in the order it is written. `published`: the day
    its report came out (relative dates are read from it; without it they are not read); `places`: the places
    the project names, by the words that name them."""
    found: list[Reading] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, kind: str, value: Value | None, began: bool = False) -> None:
        if any(m.start() < b and a < m.end() for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(Reading(kind, m.group().strip(), m.start(), value, began))

    for m in _CLOCK.finditer(sentence):
        add(m, TIME, None)
    for m in _TENURE.finditer(sentence):  # "the 33-year defence minister": a count, not when something began
        add(m, NUMBER, number_value(*amount(m["n"])))
    if published:
        for pattern, reader in DATE_READERS:
            for m in pattern.finditer(sentence):
                since = (m.groupdict().get("cue") or "").lower() == "since"
                add(m, DATE, reader(m, published), began=pattern is DURATION or since)
    for m in _AGE.finditer(sentence):
        add(m, NUMBER, _age(m))
    for m in _VAGUE_RE.finditer(sentence):
        add(m, NUMBER, number_value(*_VAGUE[m["v"].lower()]))
    for m in YEAR.finditer(sentence):
        add(m, DATE, days(date(int(m["year"]), 1, 1), date(int(m["year"]), 12, 31), m["year"]))
    for m in _FIGURE.finditer(sentence):
        add(m, NUMBER, _figure(m))
    for m in _place_pattern(tuple(sorted(places))).finditer(sentence) if places else ():
        add(m, PLACE, Value(m.group()))
    for m in _ATTRIBUTION.finditer(sentence):
        add(m, ATTRIBUTION, None)
    return tuple(sorted(found, key=lambda r: r.start))


_PLACES: dict[tuple[str, ...], re.Pattern] = {}


def _place_pattern(names: tuple[str, ...]) -> re.Pattern:
    """One pattern of every place name, longest first, compiled once per set of names."""
    if names not in _PLACES:
        _PLACES.clear()
        words = sorted(names, key=len, reverse=True)
        _PLACES[names] = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w|-based)")
    return _PLACES[names]


def _figure(m: re.Match) -> Value | None:
    if m["digits"]:
        n = float(m["digits"].replace(",", ""))
    else:
        n = float(WORDS[m["word"].lower()])
    if m["scale"]:
        n *= _SCALE[m["scale"].lower()]
    q = (m["q"] or "").lower()
    if q in ("up to", "at most"):
        return number_value(None, n)
    if q == "at least":
        return number_value(n, None)
    if q in ("more than", "over"):
        return number_value(n, None, low_open=True)
    if q in ("fewer than", "less than", "under"):
        return number_value(None, n, high_open=True)
    if q in ("nearly", "almost"):
        return number_value(n * 0.9, n)
    if q:
        return about_value(n)
    return number_value(n, n)


def _age(m: re.Match) -> Value:
    tens = int(m["tens"]) if m["tens"] else _DECADES[m["decade"].lower()]
    low, high = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get((m["part"] or "").lower(), (0, 9))
    return number_value(tens + low, tens + high)

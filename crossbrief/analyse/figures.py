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

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

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
    """For a date read from a duration ("a 16-month crisis", "for the past month"): when something began."""


_SMALL = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORDS = {**{w: n for n, w in enumerate(_SMALL)}, **_TENS, "a dozen": 12, "a hundred": 100, "a thousand": 1000}
_WORD_NUMBER = "|".join(sorted((re.escape(w) for w in WORDS if w != "zero"), key=len, reverse=True))
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
    rf"|\b(?P<word>{_WORD_NUMBER})\b(?!-))(?:\s+(?P<scale>thousand|million|billion)\b)?",
    re.I,
)
_AGE = re.compile(
    r"\b(?:(?P<part>early|mid|late)[- ]?|in (?:his|her|their) )(?:(?P<tens>[1-9]0)'?s|(?P<decade>twenties|thirties|forties|"
    r"fifties|sixties|seventies|eighties|nineties))\b",
    re.I,
)
_VAGUE_RE = re.compile(r"\b(?P<v>tens|dozens|scores|hundreds|thousands) of\b", re.I)
MONTH_NAMES = tuple(m.lower() for m in calendar.month_name if m)
WEEKDAY_NAMES = tuple(d.lower() for d in calendar.day_name)
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}, sept=9)
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DAY_MONTH = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b)(?:,?\s+(?P<year>1[89]\d\d|20\d\d))?\b"
)
_MONTH_YEAR = re.compile(
    rf"(?:\b(?P<cue>in|since|early|late|mid|of|last|until|by|from|before|after|next|this)[- ]+)?\b{_MONTH}(?:\s+(?P<last>last year)|\s+(?P<year>1[89]\d\d|20\d\d))?\b"
)
_YEAR = re.compile(r"(?<![\w,.$£€-])(?P<year>1[89]\d\d|20\d\d)(?![\w-]|[,.]\d)")
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WEEKDAY = re.compile(
    r"\b(?P<last>last\s+|next\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_AMOUNT = rf"(?P<n>\d+|{_WORD_NUMBER}|a|an|a few|few|several|some)"
_AGO = re.compile(
    rf"\b(?:(?P<q>more than|over|less than|almost|nearly|about|some|around)\s+)?{_AMOUNT}\s+{_UNIT}\s+(?P<how>ago|earlier|before|after|later)\b",
    re.I,
)
_SPAN_WORDS = re.compile(
    r"\b(?P<which>earlier|later)?\s*(?P<rel>last|this|next)\s+(?P<unit>week|weekend|month|year)\b|\b(?P<day>yesterday|today|tonight|"
    r"this morning|this afternoon|this evening|overnight)\b",
    re.I,
)
_DURATION = re.compile(
    rf"\b(?:for the (?:past|last)\s+(?:(?P<n>\d+|{_WORD_NUMBER}|few|several)\s+)?(?P<unit>day|week|month|year)s?\b"
    rf"|(?P<n2>\d+|{_WORD_NUMBER})-(?P<unit2>day|week|month|year)(?:s?-old| old)?\b)",
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
_VAGUE_AMOUNT = {"a few": (2, 4), "few": (2, 4), "several": (3, 9), "some": (2, 9)}


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
    if published:
        for pattern, reader in _DATE_READERS:
            for m in pattern.finditer(sentence):
                add(m, DATE, reader(m, published), began=pattern is _DURATION)
    for m in _AGE.finditer(sentence):
        add(m, NUMBER, _age(m))
    for m in _VAGUE_RE.finditer(sentence):
        add(m, NUMBER, number_value(*_VAGUE[m["v"].lower()]))
    for m in _YEAR.finditer(sentence):
        add(m, DATE, _days(date(int(m["year"]), 1, 1), date(int(m["year"]), 12, 31), m["year"]))
    for m in _FIGURE.finditer(sentence):
        add(m, NUMBER, _figure(m))
    for m in _place_pattern(tuple(sorted(places))).finditer(sentence) if places else ():
        add(m, PLACE, Value(places[m.group()]))
    for m in _ATTRIBUTION.finditer(sentence):
        add(m, ATTRIBUTION, None)
    return tuple(sorted(found, key=lambda r: r.start))


_PLACES: dict[tuple[str, ...], re.Pattern] = {}


def _place_pattern(names: tuple[str, ...]) -> re.Pattern:
    """One pattern of every place name, longest first, compiled once per set of names."""
    if names not in _PLACES:
        _PLACES.clear()
        words = sorted(names, key=len, reverse=True)
        _PLACES[names] = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
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


def _days(first: date, last: date, text: str) -> Value:
    return Value(text, first.toordinal(), last.toordinal(), "date")


def _month_days(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _past_year(month: int, published: date) -> int:
    """The year of a month named without one: the latest such month up to the report's."""
    return published.year if month <= published.month else published.year - 1


def _day_month(m: re.Match, published: date) -> Value | None:
    month = _MONTHS[(m["month"] or m["month2"]).lower()]
    day = int(m["day"] or m["day2"])
    year = int(m["year"]) if m["year"] else _past_year(month, published)
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return _days(d, d, d.isoformat())


def _month_year(m: re.Match, published: date) -> Value | None:
    name = m["month"]
    if name == "May" and not (m["cue"] or m["year"] or m["last"]):
        return None  # the verb more often than the month
    month = _MONTHS[name.lower()]
    if m["year"]:
        year = int(m["year"])
    elif m["last"] or (m["cue"] or "").lower() == "last":
        year = published.year - 1
    elif (m["cue"] or "").lower() == "next":
        year = published.year + (month <= published.month)
    else:
        year = _past_year(month, published)
    first, last = _month_days(year, month)
    return _days(first, last, f"{year}-{month:02d}")


def _weekday(m: re.Match, published: date) -> Value:
    back = (published.weekday() - _WEEKDAYS[m["weekday"].lower()]) % 7
    if m["last"] and m["last"].strip().lower() == "last" and back == 0:
        back = 7
    if m["last"] and m["last"].strip().lower() == "next":
        back = -((_WEEKDAYS[m["weekday"].lower()] - published.weekday()) % 7 or 7)
    d = published - timedelta(days=back)
    return _days(d, d, d.isoformat())


_MONTHS_IN = {"month": 1, "year": 12, "decade": 120}
_SLACK = {"day": 0, "week": 3, "month": 1, "year": 6, "decade": 24}
"""How far a count of units ago reaches either side: days for days and weeks, months for the others."""


def _shift(published: date, n: float, unit: str) -> date:
    """The day `n` units before publication (a negative n: after)."""
    if unit in ("day", "week"):
        return published - timedelta(days=round(n * (7 if unit == "week" else 1)))
    return _months_back(published, round(n * _MONTHS_IN[unit]))


def _months_back(published: date, months: int) -> date:
    index = published.year * 12 + published.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(published.day, calendar.monthrange(year, month + 1)[1]))


def _around(published: date, low: float, high: float, unit: str) -> tuple[date, date]:
    """The days from `high` units before publication to `low` units before, widened by the unit's slack."""
    slack = _SLACK[unit]
    if unit in ("day", "week"):
        return _shift(published, high, unit) - timedelta(days=slack), _shift(published, low, unit) + timedelta(
            days=slack
        )
    per = _MONTHS_IN[unit]
    return _months_back(published, round(high * per) + slack), _months_back(published, round(low * per) - slack)


def _amount(word: str | None) -> tuple[float, float]:
    word = (word or "a").lower()
    if word in _VAGUE_AMOUNT:
        return _VAGUE_AMOUNT[word]
    n = float(word) if word.isdigit() else float(WORDS.get(word, 1))  # "a", "an"
    return n, n


def _ago(m: re.Match, published: date) -> Value | None:
    """ "Three days ago", "more than a year ago"; "two weeks after" something else is a date that cannot be placed."""
    if m["how"].lower() != "ago":
        return None
    unit = m["unit"].lower()
    low, high = _amount(m["n"])
    q = (m["q"] or "").lower()
    if q in ("more than", "over"):
        return Value(m.group(), None, _shift(published, low, unit).toordinal(), "date", high_open=True)
    if q in ("less than", "almost", "nearly"):
        return Value(m.group(), _shift(published, high, unit).toordinal(), published.toordinal(), "date")
    earliest, latest = _around(published, low, high, unit)
    return Value(m.group(), earliest.toordinal(), min(latest, published).toordinal(), "date")


def _span_words(m: re.Match, published: date) -> Value | None:
    if m["day"]:
        word = m["day"].lower()
        d = published - timedelta(days=1 if word in ("yesterday", "overnight") else 0)
        return _days(d, d, d.isoformat())
    unit, rel, which = m["unit"].lower(), m["rel"].lower(), (m["which"] or "").lower()
    offset = {"last": 1, "this": 0, "next": -1}[rel]
    if unit in ("week", "weekend"):
        monday = published - timedelta(days=published.weekday() + 7 * offset)
        first, last = (
            (monday + timedelta(days=5), monday + timedelta(days=6))
            if unit == "weekend"
            else (monday, monday + timedelta(days=6))
        )
    elif unit == "month":
        shifted = _shift(published.replace(day=1), offset, "month")
        first, last = _month_days(shifted.year, shifted.month)
    else:
        year = published.year - offset
        first, last = date(year, 1, 1), date(year, 12, 31)
    if rel == "this" and which == "earlier":
        last = published
    elif rel == "this" and which == "later":
        first = published
    return _days(first, last, m.group().strip())


def _duration(m: re.Match, published: date) -> Value | None:
    """When something began, from how long it has lasted ("for the past month", "the 16-month crisis")."""
    unit = (m["unit"] or m["unit2"]).lower()
    low, high = _amount(m["n"] or m["n2"] or "a")
    earliest, latest = _around(published, low, high, unit)
    return Value(m.group(), earliest.toordinal(), min(latest, published).toordinal(), "date")


_DATE_READERS = (
    (_DAY_MONTH, _day_month),
    (_MONTH_YEAR, _month_year),
    (_AGO, _ago),
    (_DURATION, _duration),
    (_SPAN_WORDS, _span_words),
    (_WEEKDAY, _weekday),
)


def published_day(published: str) -> date | None:
    """The day a report came out, from its `published` (a time of day aside)."""
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def interval_text(value: Value) -> str:
    """How an interval of days or numbers reads in a note: `2011-06-06 – 2011-07-06`, `up to 16,000`."""
    if value.kind != "date":
        return value.text
    ends = [date.fromordinal(int(x)).isoformat() if x is not None else None for x in (value.low, value.high)]
    if ends[0] is None:
        return f"before {ends[1]}"
    if ends[1] is None:
        return f"after {ends[0]}"
    return ends[0] if ends[0] == ends[1] else f"{ends[0]} – {ends[1]}"

"""Dates as reports write them, read from the day the report came out: "on Friday", "July 1", "in March last
year", "May 2011", "three days ago", "earlier this year", "for the past month", "the 16-month conflict"."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from crossbrief.analyse.numberwords import NUMBER_WORDS, amount
from crossbrief.model.values import Value

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
YEAR = re.compile(r"(?<![\w,.$£€-])(?P<year>1[89]\d\d|20\d\d)(?![\w-]|[,.]\d)")
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WEEKDAY = re.compile(
    r"\b(?P<last>last\s+|next\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_AMOUNT = rf"(?P<n>\d+|{NUMBER_WORDS}|a|an|a few|few|several|some)"
_AGO = re.compile(
    rf"\b(?:(?P<q>more than|over|less than|almost|nearly|about|some|around)\s+)?{_AMOUNT}\s+{_UNIT}\s+(?P<how>ago|earlier|before|after|later)\b",
    re.I,
)
_SPAN_WORDS = re.compile(
    r"\b(?P<which>earlier|later)?\s*(?P<rel>last|this|next)\s+(?P<unit>week|weekend|month|year)\b|\b(?P<day>yesterday|today|tonight|"
    r"this morning|this afternoon|this evening|overnight)\b",
    re.I,
)
DURATION = re.compile(
    rf"\b(?:for the (?:past|last)\s+(?:(?P<n>\d+|{NUMBER_WORDS}|few|several)\s+)?(?P<unit>day|week|month|year)s?\b"
    rf"|(?P<n2>\d+|{NUMBER_WORDS})-(?P<unit2>day|week|month|year)(?:s?-old| old)?\b)",
    re.I,
)


def days(first: date, last: date, text: str) -> Value:
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
    return days(d, d, d.isoformat())


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
    return days(first, last, f"{year}-{month:02d}")


_AHEAD = re.compile(r"\b(?:will|due to|is to|are to|set to|expected|ahead of|scheduled|plans? to)\b", re.I)
"""Words saying a sentence speaks of what is to come: its weekday is the next one, not the last."""


def _weekday(m: re.Match, published: date) -> Value:
    back = (published.weekday() - _WEEKDAYS[m["weekday"].lower()]) % 7
    if back and _AHEAD.search(m.string):
        back -= 7
    if m["last"] and m["last"].strip().lower() == "last" and back == 0:
        back = 7
    if m["last"] and m["last"].strip().lower() == "next":
        back = -((_WEEKDAYS[m["weekday"].lower()] - published.weekday()) % 7 or 7)
    d = published - timedelta(days=back)
    return days(d, d, d.isoformat())


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


def _ago(m: re.Match, published: date) -> Value | None:
    """ "Three days ago", "more than a year ago"; "two weeks after" something else is a date that cannot be placed."""
    if m["how"].lower() != "ago":
        return None
    unit = m["unit"].lower()
    low, high = amount(m["n"])
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
        return days(d, d, d.isoformat())
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
    return days(first, last, m.group().strip())


def _duration(m: re.Match, published: date) -> Value | None:
    """When something began, from how long it has lasted ("for the past month", "the 16-month crisis")."""
    unit = (m["unit"] or m["unit2"]).lower()
    low, high = amount(m["n"] or m["n2"] or "a")
    earliest, latest = _around(published, low, high, unit)
    return Value(m.group(), earliest.toordinal(), min(latest, published).toordinal(), "date")


DATE_READERS = (
    (_DAY_MONTH, _day_month),
    (_MONTH_YEAR, _month_year),
    (_AGO, _ago),
    (DURATION, _duration),
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

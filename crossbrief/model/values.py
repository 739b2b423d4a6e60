"""Claim values: plain strings, and numbers and dates read as closed intervals."""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
YEARS = (1000, 2999)
"""The first and last year a date may have: the timeline pads its span by days and a fiftieth, which
must stay within what Python's dates hold (years 1 to 9999); no briefing dates a fact earlier or later."""
_TIMED = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})")
"""A date with a time of day, `YYYY-MM-DD HH:MM`: a minute of that day."""
_MINUTE = 1 / 1440
"""A minute, in days: dates are day ordinals, a time of day their fraction."""


@dataclass(frozen=True)
class Value:
    """A claim's value. Strings compare by `key`; numbers and dates by their interval."""

    text: str
    """How the value reads: the string, `46–49`, `at least 11`, `2012-07`."""
    low: float | None = None
    """Start of the interval (a date as its first day's ordinal); None when open or not a span."""
    high: float | None = None
    """End of the interval (a date as its last day's ordinal); None when open or not a span."""
    kind: str = "string"
    """string, number or date."""
    low_open: bool = False
    """Whether the start is excluded ("more than 100")."""
    high_open: bool = False
    """Whether the end is excluded ("less than 16,000")."""

    @property
    def is_span(self) -> bool:
        """Whether the value is an interval (a number or a date)."""
        return self.kind != "string"

    @property
    def key(self) -> str:
        """Case- and white-space-insensitive form of a string value."""
        return " ".join(self.text.split()).casefold()

    def compatible(self, other: Value) -> bool:
        """Whether both can be true at once: equal strings, or overlapping intervals (an excluded end
        does not overlap)."""
        if self.is_span and other.is_span:
            return _le(self.low, other.end, self.low_open or other.high_open) and _le(
                other.low, self.end, other.low_open or self.high_open
            )
        return self.key == other.key

    @property
    def end(self) -> float | None:
        """Where the interval ends: `high`, but a date's last day (a whole ordinal) lasts until the next
        begins, so that a day overlaps the times of day in it."""
        if self.kind == "date" and self.high is not None and self.high == int(self.high):
            return self.high + 1 - 1e-9
        return self.high

    @property
    def sort_key(self) -> tuple:
        """Order positions: intervals by start, strings alphabetically."""
        low = self.low if self.low is not None else float("-inf")
        return (low, self.high if self.high is not None else float("inf"), self.key)


def _le(a: float | None, b: float | None, strict: bool = False) -> bool:
    return a is None or b is None or (a < b if strict else a <= b)


def string(text: str) -> Value:
    """A text, place or entity value."""
    return Value(text.strip())


def number(text: str) -> float | None:
    """A decimal number, or None when `text` is not one."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    n = float(text)
    return n if math.isfinite(n) else None  # 400 digits overflow to infinity


def number_value(low: float | None, high: float | None, low_open: bool = False, high_open: bool = False) -> Value:
    """A number, or a range with either end missing or excluded, worded as a reader would write it."""
    first = f"{'more than' if low_open else 'at least'} {_fmt(low)}" if low is not None else ""
    last = f"{'less than' if high_open else 'up to'} {_fmt(high)}" if high is not None else ""
    if low is not None and low == high:
        text = _fmt(low)
    elif high is None:
        text = first
    elif low is None:
        text = last
    elif not low_open and not high_open:
        text = f"{_fmt(low)}–{_fmt(high)}"
    else:
        text = f"{first} and {last}"
    return Value(text, low, high, "number", low_open, high_open)


APPROXIMATE = 0.1
"""How far "about N" reaches either side, as a share of N (and at least 1 for a whole N): "about 60"
overlaps 54 to 66, what a reader could take it to mean."""


def about_value(n: float) -> Value:
    """An approximate number, "about 60"."""
    margin = abs(n) * APPROXIMATE
    if n == int(n):
        margin = max(margin, 1)
    return Value(f"about {_fmt(n)}", n - margin, n + margin, "number")


def _fmt(n: float | None) -> str:
    return f"{n:,.0f}" if n is not None and n == int(n) else f"{n:,}"


def parse_date(text: str) -> tuple[date, date] | None:
    """First and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; None if malformed."""
    m = _DATE.fullmatch(text.strip())
    if not m:
        return None
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if not YEARS[0] <= year <= YEARS[1]:
        return None
    try:
        if day:
            first = last = date(year, month, day)
        elif month:
            first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
    return first, last


def date_hint(text: str) -> str:
    """Why a date shaped YYYY, YYYY-MM or YYYY-MM-DD is refused; empty for any other text."""
    if not _DATE.fullmatch(text.strip()):
        return ""
    return f"there is no such day, or the year is not between {YEARS[0]} and {YEARS[1]}"


def _span(text: str) -> tuple[float, float] | None:
    """The first and last day ordinal a date covers; a time of day covers its minute: from its start to
    just before the next (so that no end of it is a whole day, see Value.end)."""
    timed = _TIMED.fullmatch(text.strip())
    if timed:
        day, hour, minute = parse_date(timed[1]), int(timed[2]), int(timed[3])
        if not day or hour > 23 or minute > 59:
            return None
        start = day[0].toordinal() + (hour * 60 + minute) * _MINUTE
        return start, start + _MINUTE - 1e-7
    days = parse_date(text)
    return (days[0].toordinal(), days[1].toordinal()) if days else None


def date_point(text: str) -> Value | None:
    """A date at its precision (`2012-07` covers all of July, `2026-03-01 14:30` one minute); None if malformed."""
    span = _span(text)
    if not span:
        return None
    return Value(text.strip(), *span, "date")


def date_about(text: str) -> Value | None:
    """An approximate date: a time of day give or take an hour, a day, month or year give or take one."""
    span = _span(text)
    if not span:
        return None
    text = text.strip()
    if _TIMED.fullmatch(text):
        low, high = span[0] - 60 * _MINUTE, span[1] + 60 * _MINUTE
    else:
        first, last = parse_date(text)
        low, high = {
            10: (first.toordinal() - 1, last.toordinal() + 1),
            7: (_months(first, -1).toordinal(), last.toordinal() + calendar.monthrange(*_ym(_months(first, 1)))[1]),
            4: (date(first.year - 1, 1, 1).toordinal(), date(last.year + 1, 12, 31).toordinal()),
        }[len(text)]
    return Value(f"about {text}", low, high, "date")


def _months(d: date, n: int) -> date:
    month = d.month - 1 + n
    return date(d.year + month // 12, month % 12 + 1, 1)


def _ym(d: date) -> tuple[int, int]:
    return d.year, d.month


def date_range(start: str | None, end: str | None) -> Value | None:
    """A range from its written ends, either may be open; None if an end is malformed or they are reversed."""
    first = _span(start) if start else None
    last = _span(end) if end else None
    if (start and not first) or (end and not last) or (first and last and first[0] > last[1]):
        return None
    low = first[0] if first else None
    high = last[1] if last else None
    if not start:
        return Value(f"until {end.strip()}", low, high, "date")
    if not end:
        return Value(f"from {start.strip()}", low, high, "date")
    return Value(f"{start.strip()} – {end.strip()}", low, high, "date")


_FIGURE = re.compile(r"-?\d{1,3}(?:,\d{3})*(?:\.\d+)?|-?\d+(?:\.\d+)?")
_ENDS = {"at least": (0, False), "more than": (0, True), "up to": (1, False), "less than": (1, True)}
"""The words of a range's ends as `number_value` writes them: which end, and whether it is excluded."""


def reread(text: str) -> Value:
    """A value from its text as `Value.text` writes it (a verdict's `covers` records values so): a number, a
    range or an approximate figure, a date or a range of dates; any other text a string."""
    text = " ".join(text.split())
    number = _reread_number(text)
    if number:
        return number
    for prefix, make in (
        ("about ", date_about),
        ("until ", lambda t: date_range(None, t)),
        ("from ", lambda t: date_range(t, None)),
    ):
        if text.startswith(prefix):
            return make(text[len(prefix) :]) or string(text)
    start, dash, end = text.partition(" – ")
    return (date_range(start, end) if dash else date_point(text)) or string(text)


def _reread_number(text: str) -> Value | None:
    if _FIGURE.fullmatch(text):
        return number_value(_figure(text), _figure(text))
    if text.startswith("about ") and _FIGURE.fullmatch(text[6:]):
        return about_value(_figure(text[6:]))
    low, dash, high = text.partition("–")
    if dash:
        return number_value(_figure(low), _figure(high)) if _FIGURE.fullmatch(low) and _FIGURE.fullmatch(high) else None
    ends: list[float | None] = [None, None]
    excluded = [False, False]
    for part in text.split(" and "):
        words, _, figure = part.rpartition(" ")
        if words not in _ENDS or not _FIGURE.fullmatch(figure):
            return None
        side, excluded[side] = _ENDS[words]
        ends[side] = _figure(figure)
    return number_value(*ends, *excluded)


def _figure(text: str) -> float:
    n = float(text.replace(",", ""))
    return int(n) if n == int(n) else n

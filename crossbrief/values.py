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

    @property
    def is_span(self) -> bool:
        """Whether the value is an interval (a number or a date)."""
        return self.kind != "string"

    @property
    def key(self) -> str:
        """Case- and white-space-insensitive form of a string value."""
        return " ".join(self.text.split()).casefold()

    def compatible(self, other: Value) -> bool:
        """Whether both can be true at once: equal strings, or overlapping intervals."""
        if self.is_span and other.is_span:
            return _le(self.low, other.high) and _le(other.low, self.high)
        return self.key == other.key

    @property
    def sort_key(self) -> tuple:
        """Order positions: intervals by start, strings alphabetically."""
        low = self.low if self.low is not None else float("-inf")
        return (low, self.high if self.high is not None else float("inf"), self.key)


def _le(a: float | None, b: float | None) -> bool:
    return a is None or b is None or a <= b


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


def number_value(low: float | None, high: float | None) -> Value:
    """A number, or a range with either end open."""
    if low is not None and low == high:
        text = _fmt(low)
    elif high is None:
        text = f"at least {_fmt(low)}"
    elif low is None:
        text = f"up to {_fmt(high)}"
    else:
        text = f"{_fmt(low)}–{_fmt(high)}"
    return Value(text, low, high, "number")


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


def date_point(text: str) -> Value | None:
    """A date at its precision (`2012-07` covers all of July); None if malformed."""
    days = parse_date(text)
    if not days:
        return None
    return Value(text.strip(), days[0].toordinal(), days[1].toordinal(), "date")


def date_range(start: str | None, end: str | None) -> Value | None:
    """A range from its written ends, either may be open; None if an end is malformed or they are reversed."""
    first = parse_date(start) if start else None
    last = parse_date(end) if end else None
    if (start and not first) or (end and not last) or (first and last and first[0] > last[1]):
        return None
    low = first[0].toordinal() if first else None
    high = last[1].toordinal() if last else None
    if not start:
        return Value(f"until {end.strip()}", low, high, "date")
    if not end:
        return Value(f"from {start.strip()}", low, high, "date")
    return Value(f"{start.strip()} – {end.strip()}", low, high, "date")

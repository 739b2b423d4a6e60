"""The timeline chart: every dated event and claim by date, a row per dossier, contested dates as ranges."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_skeleton
from markupsafe import Markup

from crossbrief.analyse import Analysis
from crossbrief.infra.i18n import ENGLISH, Language
from crossbrief.site.svg import _e, _figure, _n, _Svg, _text_width, _wrap

MAX_TIMELINE_ROWS = 60
"""The timeline picture shows at most this many rows, the earliest."""

LABEL_SIZE = 12.5
"""The rows' names' font size (`.cb-tl-label`), for measuring them."""


@dataclass
class _Mark:
    """A drawn date: an interval (ordinal days, None for an open end) and what it dates."""

    low: float | None
    high: float | None
    labels: list[str] = field(default_factory=list)
    contested: bool = False
    approximate: bool = True
    """Every date drawn here was written as a month or a year, not a day or a range."""


_APPROXIMATE = re.compile(r"\d{4}(-\d{2})?")


def _ticks(lo: float, hi: float, most: int, lang: Language = ENGLISH) -> list[tuple[float, str, str]]:
    """Round dates between lo and hi (ordinal days), `most` of them at most: each with its label (a month or
    a day in the reader's language) and, for the first and each new year's, the year to show above it."""
    first, last = date.fromordinal(int(lo)), date.fromordinal(int(hi))
    years = last.year - first.year
    ticks: list[tuple[float, str, str]] = []
    if hi - lo > 3 * 366:
        step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 250, 500, 1000, 10000) if years / s <= most)
        for y in range(first.year - first.year % step, last.year + 1, step):
            if 1 <= y <= 9999 and lo <= date(y, 1, 1).toordinal() <= hi:
                ticks.append((date(y, 1, 1).toordinal(), str(y), ""))
    elif hi - lo > 62:
        months = years * 12 + last.month - first.month
        step = next(s for s in (1, 2, 3, 6, 12, 24) if months / s <= most)
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            day = date(y, m, 1).toordinal()
            if (m - 1) % step == 0 and lo <= day <= hi:
                month = format_skeleton("MMM", date(y, m, 1), locale=lang.locale).rstrip(".")
                ticks.append((day, month, str(y) if m == 1 or not ticks else ""))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        step = next(s for s in (1, 2, 7, 14, 31) if (hi - lo) / s <= most)
        day = int(lo) + 1
        while day <= hi:
            d = date.fromordinal(day)
            new_year = not ticks or d.year != date.fromordinal(int(ticks[-1][0])).year
            ticks.append((day, format_skeleton("dMMM", d, locale=lang.locale), str(d.year) if new_year else ""))
            day += step
    return ticks


def timeline_chart(analysis: Analysis, page: str, page_of, lang: Language = ENGLISH) -> Markup:
    """The timeline as a picture: a row per dossier, its dates as dots and bars, contested dates as ranges.

    The names' margin is as wide as the longest name (up to a limit past which a name wraps onto a second
    line), so no name is cut; the axis spans the dates themselves: a date known only to its month or
    year (a pale bar) does not stretch it past the last precise date, but runs off its end."""
    dossiers = analysis.dossiers
    props = analysis.project.properties
    rows: dict[str, dict[tuple, _Mark]] = {}
    for e in analysis.timeline:
        marks = rows.setdefault(e.dossier.id, {})
        mark = marks.setdefault((e.when.low, e.when.high), _Mark(e.when.low, e.when.high))
        what = (
            lang.gettext(props[e.claim.property].label if e.claim.property in props else e.claim.property)
            if e.claim
            else (e.dossier.kind or lang.gettext("date")).replace("-", " ").capitalize()
        )
        mark.labels.append(f"{what}{lang.colon} {lang.value(e.when)}")
        mark.approximate = (
            mark.approximate and _APPROXIMATE.fullmatch(e.when.text) is not None and e.when.low != e.when.high
        )
    bands: dict[str, list[tuple[float | None, float | None, str]]] = defaultdict(list)
    for dis in analysis.disagreements:
        # a date the editors settled is no longer contested; one they explained still is
        if dis.property.type != "date" or dis.dossier.id not in rows or dis.status == "settled":
            continue
        lows = [v.low for p in dis.positions for v in p.values]
        highs = [v.high for p in dis.positions for v in p.values]
        low = None if None in lows else min(lows)
        high = None if None in highs else max(highs)
        values = " / ".join(lang.separator.join(lang.value(v) for v in p.values or (p.value,)) for p in dis.positions)
        state = (
            lang.gettext("Contested")
            if dis.status == "open"
            else lang.gettext("Contested (%(status)s)", status=lang.gettext(dis.status))
        )
        bands[dis.dossier.id].append(
            (low, high, f"{state}{lang.colon} {lang.gettext(dis.property.label)}{lang.colon} {values}")
        )
        for v in (v for p in dis.positions for v in p.values):
            mark = rows[dis.dossier.id].get((v.low, v.high))
            if mark:
                mark.contested = True
    if not rows:
        return Markup("")
    left_out = max(0, len(rows) - MAX_TIMELINE_ROWS)
    shown = list(rows)[:MAX_TIMELINE_ROWS]
    # a date known only to its month or year counts by its start: "2012" does not run the axis to 2013
    ends = [
        v
        for i in shown
        for m in rows[i].values()
        for v in ((m.low,) if m.approximate else (m.low, m.high))
        if v is not None
    ]
    ends += [v for i in shown for b in bands[i] for v in b[:2] if v is not None]
    if not ends:  # only open-ended dates
        ends = [v for i in shown for m in rows[i].values() for v in (m.low, m.high) if v is not None]
    first, last = min(ends), max(ends) + 1
    lo, hi = (first - 15, last + 15) if last - first < 30 else (first, last)
    pad = (hi - lo) * 0.02
    lo, hi = lo - pad, hi + pad

    def draw(
        width: float,
        x0: float,
        x1: float,
        top: float,
        row: float,
        label_x: float,
        label_dy: float,
        bar_dy: float,
        anchor: str,
        label_width: float,
    ) -> _Svg:
        height = top + len(shown) * row + 8

        def x(day: float) -> float:
            return min(max(x0 + (day - lo) / (hi - lo) * (x1 - x0), x0), x1)

        body = ['<g class="cb-tl-axis">']
        for day, label, year in _ticks(lo, hi, max(2, int((x1 - x0) / 44)), lang):
            body.append(
                f'<line class="cb-tl-grid" x1="{_n(x(day))}" y1="{_n(top - 8)}" x2="{_n(x(day))}" '
                f'y2="{_n(height - 4)}"/>'
            )
            edge = "start" if x(day) < x0 + 24 else "end" if x(day) > x1 - 24 else "middle"
            body.append(
                f'<text class="cb-tl-tick" x="{_n(x(day))}" y="{_n(top - 13)}" text-anchor="{edge}">{_e(label)}</text>'
            )
            if year:
                body.append(
                    f'<text class="cb-tl-tick cb-tl-year" x="{_n(x(day))}" y="{_n(top - 27)}" '
                    f'text-anchor="{edge}">{_e(year)}</text>'
                )
        body.append("</g>")
        for k, i in enumerate(shown):
            y0 = top + k * row
            y = y0 + bar_dy
            d = dossiers[i]
            body.append('<g class="cb-tl-row">')
            if k % 2 == 0:
                body.append(f'<rect class="cb-tl-stripe" x="0" y="{_n(y0)}" width="{_n(width)}" height="{_n(row)}"/>')
            lines = _wrap(d.name, label_width, LABEL_SIZE)
            first_y = y0 + label_dy - (6.5 if len(lines) > 1 and anchor == "end" else 0)
            spans = "".join(
                f'<tspan x="{_n(label_x)}" dy="{0 if k == 0 else 13}">{_e(line)}</tspan>'
                if len(lines) > 1
                else _e(line)
                for k, line in enumerate(lines)
            )
            body.append(
                f'<text class="cb-tl-label cb-g-{d.section}-text" x="{_n(label_x)}" y="{_n(first_y)}" '
                f'text-anchor="{anchor}">{spans}</text>'
            )
            for low, high, what in bands[i]:
                a = x(low) if low is not None else x0
                b = x(high + 1) if high is not None else x1
                body.append(
                    f'<rect class="cb-tl-contested" x="{_n(a)}" y="{_n(y - 8)}" width="{_n(max(b - a, 4))}" '
                    f'height="16" rx="3"><title>{_e(d.name + " — " + what)}</title></rect>'
                )
            for mark in rows[i].values():
                cls = "cb-tl-mark" + (" cb-tl-disputed" if mark.contested else "")
                tip = f"<title>{_e(d.name + ' — ' + '; '.join(mark.labels))}</title>"
                if mark.low is not None and mark.low == mark.high:
                    body.append(
                        f'<circle class="{cls}" cx="{_n(x(mark.low + 0.5))}" cy="{_n(y)}" r="4.5">{tip}</circle>'
                    )
                    continue
                a = x(mark.low) if mark.low is not None else x0
                b = x(mark.high + 1) if mark.high is not None else x1
                if mark.low is None or mark.high is None:
                    cls += " cb-tl-open"
                elif mark.approximate:
                    cls += " cb-tl-approx"
                body.append(
                    f'<rect class="{cls}" x="{_n(a)}" y="{_n(y - 4.5)}" width="{_n(max(b - a, 4))}" '
                    f'height="9" rx="4.5">{tip}</rect>'
                )
            body.append("</g>")
        return _Svg(width, height, body)

    # wide: names on the left of their rows, in a margin as wide as the longest (up to 300 px, past which
    # names wrap); narrow: each name above its row, across the whole width
    widest = max(_text_width(dossiers[i].name, LABEL_SIZE) for i in shown)
    margin = min(max(widest, 80), 300) + 14
    wide = draw(760, margin + 8, 744, 52, 28, margin, 18.5, 14, "end", margin - 4)
    wide.variant = "wide"
    narrow = draw(360, 10, 350, 52, 38, 8, 14, 27, "start", 340)
    narrow.variant = "narrow"
    contested = sum(len(b) for b in bands.values())
    more = (
        " "
        + lang.ngettext(
            "The latest row is left out; the table lists it.",
            "The %(num)s latest rows are left out; the table lists them.",
            left_out,
        )
        if left_out
        else ""
    )
    title = lang.gettext("Timeline of events and dated claims")
    desc = (
        lang.gettext(
            "%(rows)s, one per event or dossier, from %(first)s to %(last)s; %(contested)s shown as the range "
            "the reports span. The table below lists every date.",
            rows=lang.ngettext("%(num)s row", "%(num)s rows", len(shown)),
            first=lang.date(date.fromordinal(int(first)).isoformat()),
            last=lang.date(date.fromordinal(int(last) - 1).isoformat()),
            contested=lang.ngettext("%(num)s contested date", "%(num)s contested dates", contested),
        )
        + more
    )
    caption = (
        lang.gettext(
            "Dots are days; solid bars are ranges, pale bars dates known only to the month or year; a dashed bar "
            "is open-ended. An amber band is a contested date, spanning every position the reports take "
            "(amber marks)."
        )
        + more
    )
    return _figure("timeline", title, desc, caption, [wide, narrow], interactive=False)

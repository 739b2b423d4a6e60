"""Pictures for the site, drawn at build time as inline SVG.

- `relation_graph`: who is related to whom, people in one column and
  organisations in the other (the home page);
- `neighbour_graph`: one dossier and everything it is related to, either way
  (each dossier page);
- `timeline_chart`: every dated event and claim laid out by date, one row per
  dossier, with contested dates drawn as the range the reports span (the
  timeline page).

Everything comes from the Analysis (relations both ways, the timeline, the
disagreements); nothing is computed a second way here. Layouts are fixed
(columns ordered by barycentres, a ring, rows), inputs are sorted and
coordinates rounded, so the same analysis always gives the same bytes. Every
label is escaped, no script runs and nothing is fetched: the pictures are part
of the page. Colours and fonts come from classes in `assets/crossbrief.css`.
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import jinja2
from markupsafe import Markup

from .analyse import Analysis
from .markup import page_url

MAX_GRAPH_NODES = 60
"""The home page's graph shows at most this many people and organisations, the most connected."""
MAX_NEIGHBOURS = 24
"""A dossier's picture shows at most this many neighbours."""
MAX_TIMELINE_ROWS = 60
"""The timeline picture shows at most this many rows, the earliest."""

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _e(text: object) -> str:
    """Text or an attribute value, escaped for HTML and SVG alike."""
    return html.escape(str(text), quote=True)


def _n(x: float) -> str:
    """A coordinate, rounded to a tenth, without a trailing `.0`."""
    s = f"{x:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def _short(text: str, limit: int) -> str:
    """A label cut to `limit` characters, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class _Svg:
    """One drawing of a picture: its size and its SVG elements."""

    width: float
    height: float
    body: list[str]
    variant: str = ""
    """"wide" or "narrow" when a picture has a layout for each (CSS shows the one that fits), else ""."""


def _figure(kind: str, title: str, desc: str, caption: str, drawings: list[_Svg], interactive: bool) -> Markup:
    """SVG pictures in a <figure>: each named by its <title>, described by its <desc>; one caption.

    A picture whose parts are links is a group (its links stay reachable by
    keyboard and screen reader); one without links is an image. The figure is
    left out of the search index: the page's text already says what it shows.
    """
    role = 'role="group"' if interactive else 'role="img"'
    parts = []
    for svg in drawings:
        ident = f"cb-{kind}" + (f"-{svg.variant}" if svg.variant else "")
        variant = f" cb-{svg.variant}" if svg.variant else ""
        parts.append(
            f'<div class="cb-figure-scroll{variant}">\n'
            f'<svg class="cb-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(svg.width)} {_n(svg.height)}" '
            f'width="{_n(svg.width)}" height="{_n(svg.height)}" {role} aria-labelledby="{ident}-title {ident}-desc">\n'
            f'<title id="{ident}-title">{_e(title)}</title>\n<desc id="{ident}-desc">{_e(desc)}</desc>\n'
            + "\n".join(svg.body) + "\n</svg>\n</div>"
        )
    return Markup(
        f'<figure class="cb-figure cb-figure-{kind}" data-search-exclude>\n' + "\n".join(parts)
        + f"\n<figcaption>{_e(caption)}</figcaption>\n</figure>"
    )


def _count(n: int, one: str, many: str = "") -> str:
    """`1 relation`, `2 relations`."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def _link(href: str, inner: str) -> str:
    return f'<a href="{_e(href)}">{inner}</a>'


# ---------------------------------------------------------------- graphs


@dataclass
class _Edge:
    """One line between two dossiers: every relation between them, either way."""

    a: str
    b: str
    labels: list[str] = field(default_factory=list)


def _edges(analysis: Analysis, keep) -> dict[tuple[str, str], _Edge]:
    """Relations between dossiers that `keep` accepts, merged by unordered pair."""
    dossiers = analysis.dossiers
    edges: dict[tuple[str, str], _Edge] = {}
    for subject in sorted(analysis.relations_out):
        for r in analysis.relations_out[subject]:
            if r.subject == r.target or not (keep(r.subject) and keep(r.target)):
                continue
            pair = tuple(sorted((r.subject, r.target)))
            edge = edges.setdefault(pair, _Edge(*pair))
            edge.labels.append(f"{dossiers[r.subject].name} — {r.property.label} — {dossiers[r.target].name}")
    for edge in edges.values():
        edge.labels = sorted(set(edge.labels))
    return dict(sorted(edges.items()))


def relation_graph(analysis: Analysis, page: str, page_of) -> Markup:
    """People and organisations and the relations between them, in two columns; empty when there are none."""
    dossiers = analysis.dossiers
    wanted = {i for i, d in dossiers.items() if d.section in ("people", "organisations")}
    edges = _edges(analysis, wanted.__contains__)
    degree: dict[str, int] = defaultdict(int)
    for e in edges.values():
        degree[e.a] += 1
        degree[e.b] += 1
    if not degree:
        return Markup("")
    ranked = sorted(degree, key=lambda i: (-degree[i], i))
    shown = set(ranked[:MAX_GRAPH_NODES])
    left_out = len(ranked) - len(shown)
    edges = {k: e for k, e in edges.items() if e.a in shown and e.b in shown}

    def by_name(i: str) -> tuple:
        return (dossiers[i].name.casefold(), i)

    columns = [sorted((i for i in shown if dossiers[i].section == "people"), key=by_name),
               sorted((i for i in shown if dossiers[i].section == "organisations"), key=by_name)]
    neighbours: dict[str, list[str]] = defaultdict(list)
    for e in edges.values():
        neighbours[e.a].append(e.b)
        neighbours[e.b].append(e.a)
    # Order each column by the mean place of its neighbours, a few sweeps: fewer crossings, same result every time.
    for _ in range(6):
        for c in (0, 1):
            place = {i: (k + 0.5) / len(col) for col in columns for k, i in enumerate(col)}
            # a node whose neighbours were all left out keeps its place
            columns[c] = sorted(columns[c], key=lambda i: (
                sum(place[j] for j in neighbours[i]) / len(neighbours[i]) if neighbours[i] else place[i], *by_name(i)))

    width, row, top, xs = 720.0, 22.0, 46.0, (250.0, 470.0)
    rows = max(len(c) for c in columns)
    height = top + rows * row + 12
    pos: dict[str, tuple[float, float]] = {}
    for c, col in enumerate(columns):
        offset = top + (rows - len(col)) * row / 2
        for k, i in enumerate(col):
            pos[i] = (xs[c], offset + k * row + row / 2)

    body = [f'<text class="cb-g-head" x="{_n(xs[0] - 10)}" y="24" text-anchor="end">People</text>',
            f'<text class="cb-g-head" x="{_n(xs[1] + 10)}" y="24" text-anchor="start">Organisations</text>',
            '<g class="cb-g-edges">']
    for e in edges.values():
        (x1, y1), (x2, y2) = pos[e.a], pos[e.b]
        if x1 != x2:
            xm = (x1 + x2) / 2
            d = f"M{_n(x1)} {_n(y1)}C{_n(xm)} {_n(y1)} {_n(xm)} {_n(y2)} {_n(x2)} {_n(y2)}"
        else:  # both in one column: bow into the space between the columns
            bow = min(110.0, 24 + abs(y2 - y1) * 0.35) * (1 if x1 == xs[0] else -1)
            d = f"M{_n(x1)} {_n(y1)}C{_n(x1 + bow)} {_n(y1)} {_n(x2 + bow)} {_n(y2)} {_n(x2)} {_n(y2)}"
        body.append(f'<path class="cb-g-edge" d="{d}"><title>{_e("; ".join(e.labels))}</title></path>')
    body.append("</g>")
    for c, col in enumerate(columns):
        for i in col:
            x, y = pos[i]
            d = dossiers[i]
            r = 3.5 + min(degree[i], 10) * 0.45
            tx, anchor = (x - r - 5, "end") if c == 0 else (x + r + 5, "start")
            inner = (f'<circle class="cb-g-node cb-g-{d.section}" cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"/>'
                     f'<text class="cb-g-label" x="{_n(tx)}" y="{_n(y + 4.5)}" text-anchor="{anchor}">'
                     f"{_e(_short(d.name, 30))}</text>")
            body.append(_link(page_url(page_of(i), page), inner))
    people, orgs = len(columns[0]), len(columns[1])
    more = f" The {left_out} least connected are left out." if left_out else ""
    title = "Relationship graph of people and organisations"
    desc = (f"{_count(people, 'person', 'people')} and {_count(orgs, 'organisation')} joined by "
            f"{_count(len(edges), 'relation')}; each name links to its page.{more}")
    caption = (f"Who is related to whom: people on the left, organisations on the right; a larger dot has more "
               f"relations. Each name links to its page.{more}")
    return _figure("graph", title, desc, caption, [_Svg(width, height, body)], interactive=True)


def neighbour_graph(analysis: Analysis, dossier_id: str, page: str, page_of) -> Markup:
    """A dossier and its relations either way: a ring around it, or on a narrow screen a branching list."""
    dossiers = analysis.dossiers
    me = dossiers[dossier_id]
    labels: dict[str, set[str]] = defaultdict(set)
    for r in analysis.relations_out.get(dossier_id, ()):
        if r.target != dossier_id:
            labels[r.target].add(r.property.label)
    for r in analysis.relations_in.get(dossier_id, ()):
        if r.subject != dossier_id:
            labels[r.subject].add(r.property.inverse)
    if not labels:
        return Markup("")
    order = {"people": 0, "organisations": 1, "events": 2}
    ids = sorted(labels, key=lambda i: (order.get(dossiers[i].section, 3), dossiers[i].name.casefold(), i))
    left_out = max(0, len(ids) - MAX_NEIGHBOURS)
    ids = ids[:MAX_NEIGHBOURS]
    relation = {i: "; ".join(sorted(labels[i], key=str.casefold)) for i in ids}

    def node(i: str, x: float, y: float, tx: float, ty: float, anchor: str, name_limit: int, rel_limit: int) -> str:
        return _link(page_url(page_of(i), page), (
            f'<circle class="cb-g-node cb-g-{dossiers[i].section}" cx="{_n(x)}" cy="{_n(y)}" r="6"/>'
            f'<text class="cb-g-label" x="{_n(tx)}" y="{_n(ty)}" text-anchor="{anchor}">'
            f"{_e(_short(dossiers[i].name, name_limit))}"
            f'<tspan class="cb-g-rel" x="{_n(tx)}" dy="14">{_e(_short(relation[i], rel_limit))}</tspan></text>'))

    def edge(i: str, x1: float, y1: float, x2: float, y2: float) -> str:
        return (f'<line class="cb-g-edge" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}">'
                f"<title>{_e(f'{me.name} — {relation[i]} — {dossiers[i].name}')}</title></line>")

    # wide: the dossier in the middle, its neighbours on a ring, each labelled on its outer side
    n = len(ids)
    width, rx = 760.0, 175.0
    ry = min(165.0, max(55.0, 15.0 * n))
    height = 2 * ry + 84
    cx, cy = width / 2, height / 2
    edges, nodes = [], []
    for k, i in enumerate(ids):
        angle = 0.0 if n == 1 else 2 * math.pi * (k + 0.5) / n - math.pi / 2
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        edges.append(edge(i, cx, cy, x, y))
        c, sin = math.cos(angle), math.sin(angle)
        if c > 0.3:
            nodes.append(node(i, x, y, x + 11, y - 1, "start", 28, 32))
        elif c < -0.3:
            nodes.append(node(i, x, y, x - 11, y - 1, "end", 28, 32))
        else:
            nodes.append(node(i, x, y, x, y - 24 if sin < 0 else y + 19, "middle", 34, 40))
    name = _short(me.name, 34)
    half = 8 + 3.8 * len(name)
    wide = ['<g class="cb-g-edges">', *edges, "</g>", *nodes,
            f'<rect class="cb-g-centre-box" x="{_n(cx - half)}" y="{_n(cy - 13)}" width="{_n(2 * half)}" '
            f'height="26" rx="13"/>',
            f'<text class="cb-g-centre cb-g-{me.section}-text" x="{_n(cx)}" y="{_n(cy + 5)}" '
            f'text-anchor="middle">{_e(name)}</text>']
    # narrow: the dossier on top, a branch down to each neighbour
    row, top = 38.0, 46.0
    last = top + (n - 1) * row
    narrow = [f'<text class="cb-g-centre cb-g-{me.section}-text" x="6" y="20">{_e(_short(me.name, 40))}</text>',
              f'<g class="cb-g-edges"><line class="cb-g-trunk" x1="16" y1="28" x2="16" y2="{_n(last)}"/>',
              *(edge(i, 16, top + k * row, 44, top + k * row) for k, i in enumerate(ids)), "</g>",
              *(node(i, 50, top + k * row, 62, top + k * row + 1, "start", 40, 44) for k, i in enumerate(ids))]

    more = f" {left_out} more are listed under Relations." if left_out else ""
    title = f"Relations of {me.name}"
    desc = f"{me.name} has {_count(n + left_out, 'relation')} to other dossiers; each name links to its page.{more}"
    caption = (f"What {me.name} is related to, each relation read from {me.name}: people in blue, "
               f"organisations in green, events in amber.{more}")
    return _figure("neighbours", title, desc, caption,
                   [_Svg(width, height, wide, "wide"), _Svg(360, last + 30, narrow, "narrow")], interactive=True)


# ---------------------------------------------------------------- timeline


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


def _ticks(lo: float, hi: float, most: int) -> list[tuple[float, str, str]]:
    """Round dates between lo and hi (ordinal days), `most` of them at most: each with its label and,
    for the first and each new year's, the year to show above it."""
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
                ticks.append((day, _MONTHS[m - 1], str(y) if m == 1 or not ticks else ""))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        step = next(s for s in (1, 2, 7, 14, 31) if (hi - lo) / s <= most)
        day = int(lo) + 1
        while day <= hi:
            d = date.fromordinal(day)
            new_year = not ticks or d.year != date.fromordinal(int(ticks[-1][0])).year
            ticks.append((day, f"{d.day} {_MONTHS[d.month - 1]}", str(d.year) if new_year else ""))
            day += step
    return ticks


def timeline_chart(analysis: Analysis, page: str, page_of) -> Markup:
    """The timeline as a picture: a row per dossier, its dates as dots and bars, contested dates as ranges."""
    dossiers = analysis.dossiers
    props = analysis.project.properties
    rows: dict[str, dict[tuple, _Mark]] = {}
    for e in analysis.timeline:
        marks = rows.setdefault(e.dossier.id, {})
        mark = marks.setdefault((e.when.low, e.when.high), _Mark(e.when.low, e.when.high))
        what = (props[e.claim.property].label if e.claim.property in props else e.claim.property) if e.claim else \
            (e.dossier.kind or "date").replace("-", " ").capitalize()
        mark.labels.append(f"{what}: {e.when.text}")
        mark.approximate = mark.approximate and _APPROXIMATE.fullmatch(e.when.text) is not None and e.when.low != e.when.high
    bands: dict[str, list[tuple[float | None, float | None, str]]] = defaultdict(list)
    for dis in analysis.disagreements:
        if dis.property.type != "date" or dis.dossier.id not in rows:
            continue
        lows = [p.value.low for p in dis.positions]
        highs = [p.value.high for p in dis.positions]
        low = None if None in lows else min(lows)
        high = None if None in highs else max(highs)
        values = " / ".join(p.value.text for p in dis.positions)
        bands[dis.dossier.id].append((low, high, f"Contested: {dis.property.label}: {values}"))
        for p in dis.positions:
            mark = rows[dis.dossier.id].get((p.value.low, p.value.high))
            if mark:
                mark.contested = True
    if not rows:
        return Markup("")
    left_out = max(0, len(rows) - MAX_TIMELINE_ROWS)
    shown = list(rows)[:MAX_TIMELINE_ROWS]
    ends = [v for i in shown for m in rows[i].values() for v in (m.low, m.high) if v is not None]
    ends += [v for i in shown for b in bands[i] for v in b[:2] if v is not None]
    first, last = min(ends), max(ends) + 1
    lo, hi = (first - 15, last + 15) if last - first < 30 else (first, last)
    pad = (hi - lo) * 0.02
    lo, hi = lo - pad, hi + pad

    def draw(width: float, x0: float, x1: float, top: float, row: float, label_x: float, label_dy: float,
             bar_dy: float, anchor: str, label_limit: int) -> _Svg:
        height = top + len(shown) * row + 8

        def x(day: float) -> float:
            return x0 + (day - lo) / (hi - lo) * (x1 - x0)

        body = ['<g class="cb-tl-axis">']
        for day, label, year in _ticks(lo, hi, max(2, int((x1 - x0) / 44))):
            body.append(f'<line class="cb-tl-grid" x1="{_n(x(day))}" y1="{_n(top - 8)}" x2="{_n(x(day))}" '
                        f'y2="{_n(height - 4)}"/>')
            edge = "start" if x(day) < x0 + 24 else "end" if x(day) > x1 - 24 else "middle"
            body.append(f'<text class="cb-tl-tick" x="{_n(x(day))}" y="{_n(top - 13)}" text-anchor="{edge}">'
                        f"{_e(label)}</text>")
            if year:
                body.append(f'<text class="cb-tl-tick cb-tl-year" x="{_n(x(day))}" y="{_n(top - 27)}" '
                            f'text-anchor="{edge}">{_e(year)}</text>')
        body.append("</g>")
        for k, i in enumerate(shown):
            y0 = top + k * row
            y = y0 + bar_dy
            d = dossiers[i]
            body.append('<g class="cb-tl-row">')
            if k % 2 == 0:
                body.append(f'<rect class="cb-tl-stripe" x="0" y="{_n(y0)}" width="{_n(width)}" height="{_n(row)}"/>')
            body.append(f'<text class="cb-tl-label cb-g-{d.section}-text" x="{_n(label_x)}" y="{_n(y0 + label_dy)}" '
                        f'text-anchor="{anchor}">{_e(_short(d.name, label_limit))}</text>')
            for low, high, what in bands[i]:
                a = x(low) if low is not None else x0
                b = x(high + 1) if high is not None else x1
                body.append(f'<rect class="cb-tl-contested" x="{_n(a)}" y="{_n(y - 8)}" width="{_n(max(b - a, 4))}" '
                            f'height="16" rx="3"><title>{_e(d.name + " — " + what)}</title></rect>')
            for mark in rows[i].values():
                cls = "cb-tl-mark" + (" cb-tl-disputed" if mark.contested else "")
                tip = f"<title>{_e(d.name + ' — ' + '; '.join(mark.labels))}</title>"
                if mark.low is not None and mark.low == mark.high:
                    body.append(f'<circle class="{cls}" cx="{_n(x(mark.low + 0.5))}" cy="{_n(y)}" r="4.5">{tip}</circle>')
                    continue
                a = x(mark.low) if mark.low is not None else x0
                b = x(mark.high + 1) if mark.high is not None else x1
                if mark.low is None or mark.high is None:
                    cls += " cb-tl-open"
                elif mark.approximate:
                    cls += " cb-tl-approx"
                body.append(f'<rect class="{cls}" x="{_n(a)}" y="{_n(y - 4.5)}" width="{_n(max(b - a, 4))}" '
                            f'height="9" rx="4.5">{tip}</rect>')
            body.append("</g>")
        return _Svg(width, height, body)

    # wide: names on the left of their rows; narrow: each name above its row
    wide = draw(760, 258, 744, 52, 24, 250, 16.5, 12, "end", 38)
    wide.variant = "wide"
    narrow = draw(360, 10, 350, 52, 38, 8, 14, 27, "start", 48)
    narrow.variant = "narrow"
    contested = sum(len(b) for b in bands.values())
    more = f" The {left_out} latest rows are left out; the table lists them." if left_out else ""
    title = "Timeline of events and dated claims"
    desc = (f"{_count(len(shown), 'row')}, one per event or dossier, from {date.fromordinal(int(first)).isoformat()} "
            f"to {date.fromordinal(int(last) - 1).isoformat()}; {_count(contested, 'contested date')} shown as the "
            f"range the reports span. The table below lists every date.{more}")
    caption = ("Dots are days; solid bars are ranges, pale bars dates known only to the month or year; a dashed bar "
               "is open-ended. An amber band is a contested date, spanning every position the reports take "
               f"(amber marks).{more}")
    return _figure("timeline", title, desc, caption, [wide, narrow], interactive=False)


# ---------------------------------------------------------------- templates


@jinja2.pass_context
def _relation_graph(context) -> Markup:
    return relation_graph(context["a"], context["page"], context["page_of"])


@jinja2.pass_context
def _neighbour_graph(context, dossier) -> Markup:
    return neighbour_graph(context["a"], dossier.id, context["page"], context["page_of"])


@jinja2.pass_context
def _timeline_chart(context) -> Markup:
    return timeline_chart(context["a"], context["page"], context["page_of"])


GLOBALS = {"relation_graph": _relation_graph, "neighbour_graph": _neighbour_graph, "timeline_chart": _timeline_chart}
"""What the site templates call: `{{ relation_graph() }}`, `{{ neighbour_graph(d) }}`, `{{ timeline_chart() }}`."""

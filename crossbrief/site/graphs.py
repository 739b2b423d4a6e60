"""The relation graphs: people and organisations on the home page, a dossier and its neighbours on its page."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup

from crossbrief.analyse import Analysis
from crossbrief.infra.i18n import ENGLISH, Language
from crossbrief.site.markup import page_url
from crossbrief.site.svg import _e, _figure, _label, _link, _n, _short, _Svg

MAX_GRAPH_NODES = 60
"""The home page's graph shows at most this many people and organisations, the most connected."""
MAX_NEIGHBOURS = 24
"""A dossier's picture shows at most this many neighbours."""


@dataclass
class _Edge:
    """One line between two dossiers: every relation between them, either way."""

    a: str
    b: str
    labels: list[str] = field(default_factory=list)


def _edges(analysis: Analysis, keep, lang: Language) -> dict[tuple[str, str], _Edge]:
    """Relations between dossiers that `keep` accepts, merged by unordered pair."""
    dossiers = analysis.dossiers
    edges: dict[tuple[str, str], _Edge] = {}
    for subject in sorted(analysis.relations_out):
        for r in analysis.relations_out[subject]:
            if r.subject == r.target or not (keep(r.subject) and keep(r.target)):
                continue
            pair = tuple(sorted((r.subject, r.target)))
            edge = edges.setdefault(pair, _Edge(*pair))
            edge.labels.append(
                f"{dossiers[r.subject].name} — {lang.gettext(r.property.label)} — {dossiers[r.target].name}"
            )
    for edge in edges.values():
        edge.labels = sorted(set(edge.labels))
    return dict(sorted(edges.items()))


def relation_graph(
    analysis: Analysis, page: str, page_of, directory_urls: bool = False, lang: Language = ENGLISH
) -> Markup:
    """People and organisations and the relations between them, in two columns; empty when there are none."""
    dossiers = analysis.dossiers
    wanted = {i for i, d in dossiers.items() if d.section in ("people", "organisations")}
    edges = _edges(analysis, wanted.__contains__, lang)
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

    columns = [
        sorted((i for i in shown if dossiers[i].section == "people"), key=by_name),
        sorted((i for i in shown if dossiers[i].section == "organisations"), key=by_name),
    ]
    neighbours: dict[str, list[str]] = defaultdict(list)
    for e in edges.values():
        neighbours[e.a].append(e.b)
        neighbours[e.b].append(e.a)
    # Order each column by the mean place of its neighbours, a few sweeps: fewer crossings, same result every time.
    for _ in range(6):
        for c in (0, 1):
            place = {i: (k + 0.5) / len(col) for col in columns for k, i in enumerate(col)}
            # a node whose neighbours were all left out keeps its place
            columns[c] = sorted(
                columns[c],
                key=lambda i: (
                    sum(place[j] for j in neighbours[i]) / len(neighbours[i]) if neighbours[i] else place[i],
                    *by_name(i),
                ),
            )

    width, row, top, xs = 720.0, 22.0, 46.0, (250.0, 470.0)
    rows = max(len(c) for c in columns)
    height = top + rows * row + 12
    pos: dict[str, tuple[float, float]] = {}
    for c, col in enumerate(columns):
        offset = top + (rows - len(col)) * row / 2
        for k, i in enumerate(col):
            pos[i] = (xs[c], offset + k * row + row / 2)

    body = [
        f'<text class="cb-g-head" x="{_n(xs[0] - 10)}" y="24" text-anchor="end">{_e(lang.gettext("People"))}</text>',
        f'<text class="cb-g-head" x="{_n(xs[1] + 10)}" y="24" text-anchor="start">{_e(lang.gettext("Organisations"))}</text>',
        '<g class="cb-g-edges">',
    ]
    for e in edges.values():
        (x1, y1), (x2, y2) = pos[e.a], pos[e.b]
        if x1 != x2:
            xm = (x1 + x2) / 2
            d = f"M{_n(x1)} {_n(y1)}C{_n(xm)} {_n(y1)} {_n(xm)} {_n(y2)} {_n(x2)} {_n(y2)}"
        else:  # both in one column: bow into the space between the columns
            bow = min(110.0, 24 + abs(y2 - y1) * 0.35) * (1 if x1 == xs[0] else -1)
            d = f"M{_n(x1)} {_n(y1)}C{_n(x1 + bow)} {_n(y1)} {_n(x2 + bow)} {_n(y2)} {_n(x2)} {_n(y2)}"
        body.append(f'<path class="cb-g-edge" d="{d}"><title>{_e(lang.separator.join(e.labels))}</title></path>')
    body.append("</g>")
    for c, col in enumerate(columns):
        for i in col:
            x, y = pos[i]
            d = dossiers[i]
            r = 3.5 + min(degree[i], 10) * 0.45
            tx, anchor = (x - r - 5, "end") if c == 0 else (x + r + 5, "start")
            inner = (
                f'<circle class="cb-g-node cb-g-{d.section}" cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"/>'
                f'<text class="cb-g-label" x="{_n(tx)}" y="{_n(y + 4.5)}" text-anchor="{anchor}">'
                f"{_label(d.name, 30)}</text>"
            )
            body.append(_link(page_url(page_of(i), page, directory_urls=directory_urls), inner))
    people, orgs = len(columns[0]), len(columns[1])
    more = (
        " " + lang.ngettext("The least connected is left out.", "The %(num)s least connected are left out.", left_out)
        if left_out
        else ""
    )
    title = lang.gettext("Relationship graph of people and organisations")
    desc = (
        lang.gettext(
            "%(people)s and %(organisations)s joined by %(relations)s; each name links to its page.",
            people=lang.ngettext("%(num)s person", "%(num)s people", people),
            organisations=lang.ngettext("%(num)s organisation", "%(num)s organisations", orgs),
            relations=lang.ngettext("%(num)s relation", "%(num)s relations", len(edges)),
        )
        + more
    )
    caption = (
        lang.gettext(
            "Who is related to whom: people on the left, organisations on the right; a larger dot has more "
            "relations. Each name links to its page."
        )
        + more
    )
    return _figure("graph", title, desc, caption, [_Svg(width, height, body)], interactive=True)


def neighbour_graph(
    analysis: Analysis, dossier_id: str, page: str, page_of, directory_urls: bool = False, lang: Language = ENGLISH
) -> Markup:
    """A dossier and its relations either way: a ring around it, or on a narrow screen a branching list."""
    dossiers = analysis.dossiers
    me = dossiers[dossier_id]
    labels: dict[str, set[str]] = defaultdict(set)
    for r in analysis.relations_out.get(dossier_id, ()):
        if r.target != dossier_id:
            labels[r.target].add(lang.gettext(r.property.label))
    for r in analysis.relations_in.get(dossier_id, ()):
        if r.subject != dossier_id:
            labels[r.subject].add(lang.gettext(r.property.inverse))
    if not labels:
        return Markup("")
    order = {"people": 0, "organisations": 1, "events": 2}
    ids = sorted(labels, key=lambda i: (order.get(dossiers[i].section, 3), dossiers[i].name.casefold(), i))
    left_out = max(0, len(ids) - MAX_NEIGHBOURS)
    ids = ids[:MAX_NEIGHBOURS]
    relation = {i: lang.separator.join(sorted(labels[i], key=str.casefold)) for i in ids}
    # each neighbour is drawn twice, wide and narrow: its link and edge title are made once
    hrefs = {i: page_url(page_of(i), page, directory_urls=directory_urls) for i in ids}
    titles = {i: _e(f"{me.name} — {relation[i]} — {dossiers[i].name}") for i in ids}

    def node(i: str, x: float, y: float, tx: float, ty: float, anchor: str, name_limit: int, rel_limit: int) -> str:
        return _link(
            hrefs[i],
            (
                f'<circle class="cb-g-node cb-g-{dossiers[i].section}" cx="{_n(x)}" cy="{_n(y)}" r="6"/>'
                f'<text class="cb-g-label" x="{_n(tx)}" y="{_n(ty)}" text-anchor="{anchor}">'
                f"{_label(dossiers[i].name, name_limit)}"
                f'<tspan class="cb-g-rel" x="{_n(tx)}" dy="14">{_label(relation[i], rel_limit)}</tspan></text>'
            ),
        )

    def edge(i: str, x1: float, y1: float, x2: float, y2: float) -> str:
        return (
            f'<line class="cb-g-edge" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}">'
            f"<title>{titles[i]}</title></line>"
        )

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
    wide = [
        '<g class="cb-g-edges">',
        *edges,
        "</g>",
        *nodes,
        f'<rect class="cb-g-centre-box" x="{_n(cx - half)}" y="{_n(cy - 13)}" width="{_n(2 * half)}" '
        f'height="26" rx="13"/>',
        f'<text class="cb-g-centre cb-g-{me.section}-text" x="{_n(cx)}" y="{_n(cy + 5)}" '
        f'text-anchor="middle">{_e(name)}</text>',
    ]
    # narrow: the dossier on top, a branch down to each neighbour
    row, top = 38.0, 46.0
    last = top + (n - 1) * row
    narrow = [
        f'<text class="cb-g-centre cb-g-{me.section}-text" x="6" y="20">{_label(me.name, 40)}</text>',
        f'<g class="cb-g-edges"><line class="cb-g-trunk" x1="16" y1="28" x2="16" y2="{_n(last)}"/>',
        *(edge(i, 16, top + k * row, 44, top + k * row) for k, i in enumerate(ids)),
        "</g>",
        *(node(i, 50, top + k * row, 62, top + k * row + 1, "start", 40, 44) for k, i in enumerate(ids)),
    ]

    more = (
        " "
        + lang.ngettext("%(num)s more is listed under Relations.", "%(num)s more are listed under Relations.", left_out)
        if left_out
        else ""
    )
    title = lang.gettext("Relations of %(name)s", name=me.name)
    desc = (
        lang.ngettext(
            "%(name)s has %(num)s relation to other dossiers; each name links to its page.",
            "%(name)s has %(num)s relations to other dossiers; each name links to its page.",
            n + left_out,
            name=me.name,
        )
        + more
    )
    caption = (
        lang.gettext(
            "What %(name)s is related to, each relation read from %(name)s: people in blue, "
            "organisations in green, events in amber.",
            name=me.name,
        )
        + more
    )
    return _figure(
        "neighbours",
        title,
        desc,
        caption,
        [_Svg(width, height, wide, "wide"), _Svg(360, last + 30, narrow, "narrow")],
        interactive=True,
    )

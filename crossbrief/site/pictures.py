"""Pictures for the site, drawn at build time as inline SVG: the globals the site templates call.

- `relation_graph` (graphs.py): who is related to whom, people in one column
  and organisations in the other (the home page);
- `neighbour_graph` (graphs.py): one dossier and everything it is related to,
  either way (each dossier page);
- `timeline_chart` (timelinechart.py): every dated event and claim laid out by
  date, one row per dossier, with contested dates drawn as the range the
  reports span (the timeline page).

They share their drawing helpers (svg.py).

Everything comes from the Analysis (relations both ways, the timeline, the
disagreements); nothing is computed a second way there. Layouts are fixed
(columns ordered by barycentres, a ring, rows), inputs are sorted and
coordinates rounded, so the same analysis always gives the same bytes. Every
label is escaped, no script runs and nothing is fetched: the pictures are part
of the page. Colours and fonts come from classes in `assets/crossbrief.css`.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from crossbrief.site.graphs import neighbour_graph, relation_graph
from crossbrief.site.timelinechart import timeline_chart


@jinja2.pass_context
def _relation_graph(context) -> Markup:
    return relation_graph(
        context["a"], context["page"], context["page_of"], context["html"].directory_urls, context["lang"]
    )


@jinja2.pass_context
def _neighbour_graph(context, dossier) -> Markup:
    return neighbour_graph(
        context["a"], dossier.id, context["page"], context["page_of"], context["html"].directory_urls, context["lang"]
    )


@jinja2.pass_context
def _timeline_chart(context) -> Markup:
    return timeline_chart(context["a"], context["page"], context["page_of"], context["lang"])


GLOBALS = {"relation_graph": _relation_graph, "neighbour_graph": _neighbour_graph, "timeline_chart": _timeline_chart}
"""What the site templates call: `{{ relation_graph() }}`, `{{ neighbour_graph(d) }}`, `{{ timeline_chart() }}`."""

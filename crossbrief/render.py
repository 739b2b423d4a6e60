"""Render the analysed project into pages through Jinja templates.

Templates live in `templates/site/` (pages, Markdown with HTML blocks) and
`templates/print/` (the PDF); a project's own `templates/` overrides the
shipped ones file by file. Autoescaping is on: a string reaches a page as
text unless it went through one of the filters in `markup`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from . import markup, pictures
from .analyse import Analysis
from .provenance import dated, page_context
from .model import SECTIONS, Markdown

SECTION_TITLES = {"people": "People", "organisations": "Organisations", "events": "Events"}


@lru_cache(maxsize=8)
def environment(root: str) -> jinja2.Environment:
    """The one Jinja environment for a project root."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(str(Path(root) / "templates")),
            jinja2.PackageLoader("crossbrief", "templates"),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["mdtext"] = markup.md_text
    env.globals.update(href=_href, md=_md, heading_id=_heading_id, who=_who, value=_value, value_text=_value_text,
                       origins=_origins, SECTION_TITLES=SECTION_TITLES)
    env.globals.update(pictures.GLOBALS)
    return env


def _heading_id(anchor: str) -> markup.Markup:
    """attr_list's `{#id}` after a Markdown heading (Jinja would read `{#` as a comment)."""
    return markup.Markup("{#%s}") % anchor


@jinja2.pass_context
def _href(context, path: str, anchor: str = "") -> str:
    return markup.page_url(path, context["page"], anchor)


@jinja2.pass_context
def _who(context, name: str) -> markup.Markup:
    """A dossier id as a link under its name; any other text as text."""
    analysis: Analysis = context["a"]
    if name in analysis.dossiers:
        url = markup.page_url(page_of(analysis, name), context["page"])
        return markup.Markup('<a href="%s">%s</a>') % (url, analysis.dossiers[name].name)
    return markup.escape(name)


def _entity(analysis: Analysis, claim) -> str | None:
    prop = analysis.project.properties.get(claim.property)
    if claim.value and prop and prop.type == "entity" and claim.value.text in analysis.dossiers:
        return claim.value.text
    return None


@jinja2.pass_context
def _value(context, claim) -> markup.Markup:
    """A claim's value as HTML: a relation links to its target."""
    target = _entity(context["a"], claim)
    return _who(context, target) if target else markup.escape(_value_text(context, claim))


@jinja2.pass_context
def _value_text(context, claim) -> str:
    """A claim's value as plain text: a relation reads as its target's name."""
    target = _entity(context["a"], claim)
    if target:
        return context["a"].dossiers[target].name
    return claim.value.text if claim.value else "(unreadable value)"


@jinja2.pass_context
def _origins(context, claims) -> markup.Markup:
    """How many independent origins some claims have, the origins in a tooltip."""
    analysis: Analysis = context["a"]
    found = analysis.corroboration(tuple(claims))
    names = ", ".join(analysis.dossiers[o].name if o in analysis.dossiers else o for o in found)
    plural = "" if len(found) == 1 else "s"
    return markup.Markup('<span class="cb-origins" title="independent origins: %s">%d independent origin%s</span>') % (
        names, len(found), plural)


@jinja2.pass_context
def _md(context, field: Markdown | None, inline: bool = False):
    if field is None:
        return ""
    analysis: Analysis = context["a"]
    return markup.render_markdown(field.text, context["page"], lambda t: resolve(analysis, t), inline)


def page_of(analysis: Analysis, item_id: str) -> str:
    """The page path of a dossier or source."""
    if item_id in analysis.sources:
        return f"sources/{item_id}.md"
    return f"{analysis.dossiers[item_id].section}/{item_id}.md"


def resolve(analysis: Analysis, target: str) -> tuple[str, str, str] | None:
    """Label, page and anchor of a [[link]] target."""
    if target in analysis.dossiers:
        return analysis.dossiers[target].name, page_of(analysis, target), ""
    if target in analysis.sources:
        return analysis.sources[target].title, page_of(analysis, target), ""
    claim = analysis.claims.get(target)
    if claim:
        entity = _entity(analysis, claim)
        label = analysis.dossiers[entity].name if entity else claim.value.text if claim.value else claim.id
        return label, page_of(analysis, claim.dossier), f"claim-{claim.id}"
    return None


def pages(analysis: Analysis, pdf: bool = False) -> dict[str, str]:
    """Every page of the site, by path in the docs folder; `pdf`: the site gets each briefing's PDF, so link to it."""
    env = environment(analysis.project.root)
    common = {"a": analysis, "page_of": lambda i: page_of(analysis, i),
              "highlighted": lambda source: highlighted(analysis, source), "print_pdf": pdf}

    def page(template: str, path: str, title: str = "", **context) -> tuple[str, str]:
        text = env.get_template(f"site/{template}").render(common, page=path, **context)
        return path, markup.title_front_matter(title) + text if title else text

    out = [page("home.md.j2", "index.md"),
           page("timeline.md.j2", "timeline.md"),
           page("disagreements.md.j2", "disagreements.md"),
           page("sources.md.j2", "sources/index.md"),
           page("changes.md.j2", "changes.md", **page_context())]
    out += [page("source.md.j2", f"sources/{s.id}.md", s.title, source=s) for s in analysis.project.sources]
    for section in SECTIONS:
        members = [d for d in analysis.project.dossiers if d.section == section]
        out.append(page("section.md.j2", f"{section}/index.md", section=section, members=members))
        out += [page("dossier.md.j2", f"{section}/{d.id}.md", d.name, d=d) for d in members]
    return dated(dict(sorted(out)), analysis)


def highlighted(analysis: Analysis, source) -> markup.Markup:
    """A source's text with every quoted passage marked and anchored."""
    props = analysis.project.properties
    passages = [
        (p.start, p.end, p.anchor,
         f"{analysis.dossiers[p.claim.dossier].name}: {props[p.claim.property].label if p.claim.property in props else p.claim.property}")
        for p in analysis.passages.get(source.id, ())
    ]
    return markup.highlight(source.text, passages)


def assets(root: str) -> dict[str, bytes]:
    """Static files for the site (the stylesheet), the project's own overriding the shipped."""
    found: dict[str, bytes] = {}
    shipped = resources.files("crossbrief").joinpath("templates", "site", "assets")
    for folder in (shipped, Path(root) / "templates" / "site" / "assets"):
        if folder.is_dir():
            for item in folder.iterdir():
                if item.is_file() and not item.name.startswith("."):
                    found[f"assets/{item.name}"] = item.read_bytes()
    return dict(sorted(found.items()))

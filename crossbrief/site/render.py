"""Render the analysed project into pages through Jinja templates.

Templates live in `templates/site/` (pages, Markdown with HTML blocks) and
`templates/print/` (the PDF); a project's own `templates/` overrides the
shipped ones file by file, the pieces of `fragments.PIECES` included.
Autoescaping is on: a string reaches a page as text unless it went through
one of the filters in `markup`.
"""

from __future__ import annotations

import traceback
import uuid
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from crossbrief import site
from crossbrief.analyse import Analysis
from crossbrief.infra import i18n
from crossbrief.model import SECTIONS
from crossbrief.model.problems import Location, Problem
from crossbrief.review.provenance import page_context, revision_date
from crossbrief.site import markup, pictures
from crossbrief.site.changes import Wording
from crossbrief.site.fragments import DISAGREEMENTS, PIECES, Fragments, Piece
from crossbrief.site.uncovered import note as uncovered_note

SECTION_TITLES = {"people": i18n.N_("People"), "organisations": i18n.N_("Organisations"), "events": i18n.N_("Events")}
"""Each section's title, in English; the templates' `SECTION_TITLES` and `section_title` are the reader's language's."""
PAGE_TEMPLATES = (
    "home.md.j2",
    "timeline.md.j2",
    "disagreements.md.j2",
    "sources.md.j2",
    "changes.md.j2",
    "source.md.j2",
    "section.md.j2",
    "dossier.md.j2",
    "feed.xml.j2",
)
"""The site's page templates, one per kind of page, in `templates/site/`."""
FEED = "changes.xml"
"""The Changes page's Atom feed, beside it; every page links to it (`site.feed_link`)."""
MACROS = "_macros.html.j2"
"""The site's shared macros, in `templates/site/`."""


def piece_template(piece: str) -> str:
    """The template of one of `fragments.PIECES`."""
    return f"site/_{piece}.html.j2"


def environment(root: str) -> jinja2.Environment:
    """The one Jinja environment for a project root, in the language of its site (mkdocs.yml's `theme.language`)."""
    return _environment(root, site.language(Path(root)))


@lru_cache(maxsize=8)
def _environment(root: str, code: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                _ProjectLoader(str(Path(root) / "templates")),
                jinja2.PackageLoader("crossbrief", "templates"),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    lang = i18n.language(code)
    env.install_gettext_callables(gettext=lang.gettext, ngettext=lang.plural, newstyle=True)
    env.template_class = _Template
    env.filters["mdtext"] = markup.md_text
    env.filters["day"] = lambda text, short=False: markup.Markup(lang.date_html(str(text), short))
    env.filters["day_text"] = lambda text: lang.date(str(text))
    env.globals["lang"] = lang
    env.globals.update(
        {
            name: _on_page(name)
            for name in (
                "href",
                "who",
                "value",
                "md",
                "citations",
                "claims",
                "facts",
                "cited_by",
                "relations",
                "mentions",
                "positions",
                "disagreement_links",
                "disagreements",
                "statements",
                "verdict",
                "in_time",
                "merged",
                "split",
                "position_value",
            )
        }
    )
    env.globals.update({name: _off_page(name) for name in ("label", "provenance", "support", "kind")})
    env.globals.update(
        heading_id=markup.heading_id,
        value_text=_value_text,
        position_text=_position_text,
        origins=_origins,
        SECTION_TITLES={section: lang.gettext(title) for section, title in SECTION_TITLES.items()},
        section_title=lambda section: lang.gettext(SECTION_TITLES[section]),
    )
    env.globals.update(pictures.GLOBALS)
    return env


class _Template(jinja2.Template):
    """A template whose output is escaped as autoescape escapes it, into a str rather than a Markup: the
    output is only joined into the page, and markupsafe's escape() runs Markup's constructor, in Python,
    for each of some forty values a page."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        # the name Jinja's compiled code escapes each output value with
        template.root_render_func.__globals__["escape"] = markup.escaped
        return template


class _ProjectLoader(jinja2.FileSystemLoader):
    """The project's own templates: one that is not UTF-8 text is a template error at its file."""

    def get_source(self, environment: jinja2.Environment, template: str):
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as e:
            path, line = str(Path(self.searchpath[0]) / template), e.object[: e.start].count(b"\n") + 1
            raise jinja2.TemplateSyntaxError(f"not UTF-8 text ({e.reason})", line, template, path) from None

    def has(self, environment: jinja2.Environment, template: str) -> bool:
        """Whether the project has its own file of a template."""
        try:
            self.get_source(environment, template)
        except jinja2.TemplateNotFound:
            return False
        return True


def _on_page(method: str):
    """A Fragments method as a template global: the page being rendered comes from the context."""

    @jinja2.pass_context
    def call(context, *args, **kwargs):
        return markup.Markup(getattr(context["html"], method)(context["page"], *args, **kwargs))

    return call


def _off_page(method: str):
    """A Fragments method that takes no page as a template global, its HTML as Markup."""

    @jinja2.pass_context
    def call(context, *args):
        return markup.Markup(getattr(context["html"], method)(*args))

    return call


@jinja2.pass_context
def _value_text(context, claim) -> str:
    return context["html"].value_text(claim)


@jinja2.pass_context
def _position_text(context, position) -> str:
    return context["html"].position_text(position)


@jinja2.pass_context
def _origins(context, claims) -> markup.Markup:
    return markup.Markup(context["html"].origins(tuple(claims)))


def pages(
    analysis: Analysis,
    pdf: bool = False,
    keep: frozenset[str] = frozenset(),
    reused: dict[str, str] | None = None,
    directory_urls: bool = False,
) -> dict[str, Callable[[], str]]:
    """Every page of the site but those in `keep`, by path in the docs folder, sorted: each is the call
    that renders it, so that write.write_tree renders each page where it writes it, and
    no page is held in memory longer than that. `pdf`: the site gets each briefing's PDF, so link to it;
    `reused`: the disagreements page's sections still right from the last build (incremental.Plan.sections);
    `directory_urls`: MkDocs' `use_directory_urls`, where the pages are and so how they link to each other."""
    env = environment(analysis.project.root)
    lang = env.globals["lang"]
    # compiled before any page is written, so that a template that does not compile changes nothing
    common = common_context(analysis, pdf, reused, directory_urls=directory_urls)
    templates = {name: _page_template(env, f"site/{name}") for name in PAGE_TEMPLATES}

    def page(template: str, path: str, context: dict, title: str = "", file: str = "") -> Callable[[], str]:
        """The call rendering one page; a dossier's or source's has a title and is dated by its `file`."""

        def rendered() -> str:
            text = templates[template].render(common, page=path, **context)
            revised = revision_date(analysis, file) if file else ""
            return markup.front_matter(title, lang.date(revised) if revised else "") + text

        return rendered

    found = {
        "index.md": page("home.md.j2", "index.md", {}),
        "timeline.md": page("timeline.md.j2", "timeline.md", {}),
        DISAGREEMENTS: page("disagreements.md.j2", DISAGREEMENTS, {}),
        "sources/index.md": page("sources.md.j2", "sources/index.md", {}),
        "changes.md": page("changes.md.j2", "changes.md", page_context()),
        FEED: page("feed.xml.j2", FEED, {**page_context(), **feed_context(analysis, directory_urls)}),
    }
    for s in analysis.project.sources:
        found[f"sources/{s.id}.md"] = page(
            "source.md.j2", f"sources/{s.id}.md", {"source": s}, s.title, s.location.path
        )
    for section in SECTIONS:
        members = common["by_section"][section]
        found[f"{section}/index.md"] = page(
            "section.md.j2", f"{section}/index.md", {"section": section, "members": members}
        )
        for d in members:
            found[f"{section}/{d.id}.md"] = page(
                "dossier.md.j2", f"{section}/{d.id}.md", {"d": d}, d.name, d.location.path
            )
    return {path: found[path] for path in sorted(found) if path not in keep}


def feed_context(analysis: Analysis, directory_urls: bool = False) -> dict[str, object]:
    """What the feed's template needs besides the analysis: its title, the site's address (mkdocs.yml's
    `site_url`, for absolute links; empty leaves them relative to the feed), when it was last updated, and
    the ids of the feed and of each commit's entry: from the address when there is one, else URNs made
    from the commit ids, so that an entry keeps its id from build to build."""
    root = Path(analysis.project.root)
    base = site.site_url(root)
    briefings = analysis.project.briefings
    title = briefings[0].title if briefings else site.site_name(root) or "Briefing"
    changes = analysis.history.changes if analysis.history else ()
    if base:
        ids = {
            "feed": base + FEED,
            **{
                c.id: base + markup.page_url("changes.md", FEED, f"commit-{c.short}", directory_urls)
                for c, _ in changes
            },
        }
    else:
        ids = {
            "feed": _urn("feed:" + "|".join(sorted(b.id for b in briefings)) + "|" + title),
            **{c.id: _urn("commit:" + c.id) for c, _ in changes},
        }
    updated = changes[0][0].date if changes else (f"{briefings[0].date}T00:00:00Z" if briefings else _EPOCH)
    return {"title": title, "base": base, "updated": updated, "ids": ids}


def feed_title(analysis: Analysis) -> str:
    """The feed's title, as every page's link to it gives it."""
    lang = environment(analysis.project.root).globals["lang"]
    return f"{feed_context(analysis)['title']} — {lang.gettext('Changes')}"


_EPOCH = "1970-01-01T00:00:00Z"


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'crossbrief:' + name)}"


def common_context(
    analysis: Analysis, pdf: bool = False, reused: dict[str, str] | None = None, directory_urls: bool = False
) -> dict[str, object]:
    """What every page's template gets besides its own variables, and every piece's template besides its own:
    `html`, the Fragments of the project, renders the pieces (`fragments.PIECES`) through their templates,
    the project's own where it has one; `pdf`, `reused` and `directory_urls` as `pages` says."""
    env = environment(analysis.project.root)
    macros = env.get_template(f"site/{MACROS}").module
    own = any(env.loader.loaders[0].has(env, piece_template(name)) for name in PIECES)
    by_section = {section: [d for d in analysis.project.dossiers if d.section == section] for section in SECTIONS}
    common: dict[str, object] = {
        "a": analysis,
        "by_section": by_section,
        "highlighted": lambda source: highlighted(analysis, source, env.globals["lang"]),
        "uncovered": lambda source: uncovered_marks(analysis, source.id),
        "print_pdf": pdf,
        # the shared macros, made once: importing them costs Jinja a lookup and a check of the page's
        # globals on every page, some 6% of a dossier page's rendering
        **{name: macro for name, macro in vars(macros).items() if isinstance(macro, jinja2.runtime.Macro)},
    }
    html = Fragments(
        analysis,
        reused,
        {name: _piece(_page_template(env, piece_template(name)), common) for name in PIECES},
        env.globals["lang"],
        own,
        directory_urls,
    )
    sections = {section: html.lang.gettext(title) for section, title in SECTION_TITLES.items()}
    common.update(html=html, page_of=html.page_of, wording=Wording(analysis, html.lang, sections))
    return common


def _piece(template: jinja2.Template, common: dict[str, object]) -> Piece:
    """A piece's template as Fragments calls it, with what a page's template gets (`common`, filled in once
    the Fragments exist) and the piece's own variables."""
    return lambda page, **variables: template.render(common, page=page, **variables)


def _page_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """A template with its globals in a plain dict, as they stand for the whole build: render() copies them into
    each page's context, and walking the ChainMap Jinja keeps them in took 30 µs a page, 6 µs from a dict."""
    template = env.get_template(name)
    template.globals = dict(template.globals)
    return template


def template_problem(root: str, error: Exception) -> Problem | None:
    """A template's failure as a problem at its file and line, or None when no template failed.

    A syntax error says where it is; an error while rendering (an undefined
    name, a division by zero, an include of itself) is placed by the
    template's innermost frame in the traceback. A project's own templates are
    project files, so their mistakes are reported like any other.
    """
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        path, line = error.filename, error.lineno
    elif frames:
        path, line = frames[-1].filename, frames[-1].lineno
    elif isinstance(error, jinja2.TemplateError):
        path, line = "templates", 0
    else:
        return None
    root_path, file = Path(root).resolve(), Path(path).resolve()
    ours = root_path not in file.parents
    shown = Path(path).as_posix() if ours else file.relative_to(root_path).as_posix()
    hint = (
        "a template shipped with crossbrief failed: please report it, with this message"
        if ours
        else "fix the template, or remove it to use crossbrief's own"
    )
    message = (
        error.message
        if isinstance(error, jinja2.TemplateError) and error.message
        else f"{type(error).__name__}: {error}"
    )
    return Problem(Location(shown, line or 0, 1 if line else 0), "E213", f"template error: {message}", hint)


def highlighted(analysis: Analysis, source, lang: i18n.Language = i18n.ENGLISH) -> markup.Markup:
    """A source's text with every quoted passage marked and anchored, its captions set apart; headed by
    its headline, set apart too, when a claim quotes the headline."""
    props = analysis.project.properties
    passages = [
        (
            p,
            f"{analysis.dossiers[p.claim.dossier].name}{lang.colon} {lang.gettext(props[p.claim.property].label) if p.claim.property in props else p.claim.property}",
        )
        for p in analysis.passages.get(source.id, ())
    ]
    labels = {c.start: ("caption", lang.gettext("Caption") + lang.colon) for c in source.captions}
    uncovered = uncovered_marks(analysis, source.id, lang)
    if not any(p.in_title for p, _ in passages):
        return markup.highlight(
            source.text, [(p.start, p.end, p.anchor, t) for p, t in passages], uncovered, labels, lang.separator
        )
    # the headline is the text's first line, so that its passages are marked and numbered with the others
    shift = len(source.title) + 1
    return markup.highlight(
        source.title.replace("\n", " ") + "\n" + source.text,
        [
            (p.start + (0 if p.in_title else shift), p.end + (0 if p.in_title else shift), p.anchor, t)
            for p, t in passages
        ],
        [(start + shift, end + shift, code, tip) for start, end, code, tip in uncovered],
        {0: ("headline", lang.gettext("Headline") + lang.colon), **{at + shift: label for at, label in labels.items()}},
        lang.separator,
    )


def uncovered_marks(
    analysis: Analysis, source: str, lang: i18n.Language = i18n.ENGLISH
) -> list[tuple[int, int, str, str]]:
    """The sentences of a source's text that no citation quotes but a claim could hold (coverage.py), a reprint's
    copies too: where each is, its note's code and what the note says in the reader's language, for its tooltip."""
    return sorted(
        (s.start, s.end, u.code, uncovered_note(analysis, lang, u))
        for u in analysis.coverage.printed_in(source)
        for s in (u.sentence, *u.reprints)
        if s.source == source and not s.headline
    )


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

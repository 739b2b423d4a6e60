"""Render again only the pages an edit can change.

After each build, the state of the docs folder is kept in the user's cache
folder (never in the project, where a pull request could plant one): a digest
of every project file, and for every dossier's and source's page the ids it
shows anything of, a fingerprint of what it shows that no id stands for (the
mentions, the git history), and how its file looked when written. The next
build renders such a page again when one of those ids names a file that
changed (before or after the edit: a claim that starts or stops citing an
article changes the article's page), when its fingerprint changed, or when
its file is not the one written. Everything else is rendered again when
anything but the project's dossiers and sources changed: crossbrief itself,
the templates, the property registry, the build's options. The disagreements
page is kept the same way, its ids those of the dossiers in disagreement; when
it is not, each disagreement whose dossier's ids are unchanged keeps its section
as the page last had it. The other pages listing many dossiers (home, indexes,
timeline, changes) are always rendered.

What each page shows is read off the shipped templates, so a project with
templates of its own (which may show anything on any page) has every page
rendered on every build.

Finding a page's ids means going through everything it shows, so a page's ids
are taken again only where an edit can have changed them (`_unaffected`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from crossbrief.analyse import Analysis
from crossbrief.infra.store import Store, cache_dir, unpickled
from crossbrief.model import Dossier, Markdown, Source
from crossbrief.model.links import targets
from crossbrief.review.provenance import revision_date
from crossbrief.site.fragments import DISAGREEMENTS, sections
from crossbrief.site.render import uncovered_marks

VERSION = 1
"""The layout of the state file; a state of another layout is ignored."""


@dataclass(frozen=True)
class Inputs:
    """What a dossier's, source's or the disagreements page shows."""

    deps: tuple[str, ...]
    """Every id it shows anything of, sorted: its own, what its claims cite, name or link to, what links to it,
    the sources naming it."""
    fingerprint: str
    """A digest of what it shows that no id stands for: mentions, history, revision date."""


@dataclass(frozen=True)
class Plan:
    """Which pages to render this time, and what to remember afterwards."""

    kept: dict[str, list[int]]
    """Pages whose file in the docs folder is still right (not rendered, not rewritten), each with how its
    file looked when the plan compared it with the state: as when it was written."""
    sections: dict[str, str]
    """When the disagreements page is not kept: its sections as last written that are still right, by
    anchor (fragments.sections); rendering it renders only the others."""
    state: dict
    """The state to save once the docs folder is written."""
    store: Store | None
    """Where the state is kept; None when there is no cache."""

    @property
    def keep(self) -> frozenset[str]:
        """The pages kept."""
        return frozenset(self.kept)


def plan(analysis: Analysis, docs: Path, options: str) -> Plan:
    """Compare the analysed project with the state of the last build into `docs`."""
    root = Path(analysis.project.root)
    store = _store(docs, root)
    digests = _digests(analysis)
    key = _key(root, options)
    if _own_templates(root):
        return Plan({}, {}, _state(key, digests, {}), store)
    old = _read(store)
    if not old or old.get("key") != key or old.get("version") != VERSION:
        return Plan({}, {}, _state(key, digests, page_inputs(analysis)), store)
    before = old.get("digests", {})
    changed = {i for i in before.keys() | digests.keys() if before.get(i) != digests.get(i)}
    try:
        pages = page_inputs(analysis, _unaffected(analysis, old, changed))
        kept = {
            page: old["written"][page] for page, now in pages.items() if _unchanged(old, page, now, changed, str(docs))
        }
        sections = {} if DISAGREEMENTS in kept else _sections(analysis, old, pages, changed, str(docs))
    except (TypeError, KeyError, IndexError, AttributeError, ValueError):
        # a state file of another shape: build everything
        return Plan({}, {}, _state(key, digests, page_inputs(analysis)), store)
    return Plan(kept, sections, _state(key, digests, pages), store)


def _own_templates(root: Path) -> bool:
    """Whether the project has templates of its own (its stylesheets and pictures, copied as they are, aside)."""
    folder = root / "templates"
    assets = folder / "site" / "assets"
    return any(path.is_file() and assets not in path.parents for path in folder.rglob("*"))


def _state(key: str, digests: dict[str, str], pages: dict[str, Inputs]) -> dict:
    """What the next build compares with, but for how each page's file looks once written (see `save`)."""
    return {
        "version": VERSION,
        "key": key,
        "digests": digests,
        "pages": {page: [i.deps, i.fingerprint] for page, i in pages.items()},
    }


def _unchanged(old: dict, page: str, now: Inputs, changed: set[str], docs: str) -> bool:
    then = old["pages"].get(page)
    return bool(
        then
        and then[1] == now.fingerprint
        and _same_deps(then, now, changed)
        and _signature(os.path.join(docs, page)) == old["written"].get(page)
    )


def _same_deps(then: list | None, now: Inputs, changed: set[str]) -> bool:
    """Whether no id a page showed anything of before, or shows now, names a file that changed."""
    return bool(then) and not changed.intersection(then[0]) and not changed.intersection(now.deps)


def _sections(analysis: Analysis, old: dict, pages: dict[str, Inputs], changed: set[str], docs: str) -> dict[str, str]:
    """The disagreements page's sections as last written that are still right: a disagreement's section
    shows less than its dossier's page, so it is right while that page's ids are unchanged (its
    fingerprint, mentions and history, the section does not show)."""
    path = os.path.join(docs, DISAGREEMENTS)
    if _signature(path) != old["written"].get(DISAGREEMENTS):
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            written = sections(f.read())
    except (OSError, UnicodeDecodeError):
        return {}
    return {
        d.anchor: written[d.anchor]
        for d in analysis.disagreements
        if d.anchor in written and _same_deps(old["pages"].get(page := _page(d.dossier)), pages[page], changed)
    }


def save(plan: Plan, docs: Path) -> None:
    """Remember what was built, with how each page's file looks now; a cache that cannot be written is no cache."""
    if plan.store is None:
        return
    # only the pages rendered are looked at again: the rest were looked at by plan(), and left alone since
    state = dict(
        plan.state,
        written={
            page: plan.kept[page] if page in plan.kept else _signature(os.path.join(docs, page))
            for page in plan.state["pages"]
        },
    )
    # pickled, not JSON: at L it holds some 100,000 ids, which JSON took three times as long to write
    plan.store.write({_STATE: pickle.dumps(state, pickle.HIGHEST_PROTOCOL)})


def page_inputs(analysis: Analysis, known: dict[str, list] | None = None) -> dict[str, Inputs]:
    """For each dossier's and source's page, and the disagreements page, what it shows; `known`: what the
    last build found for the pages an edit cannot have given other ids (see `_unaffected`). (On two
    cores it took as long: it reads much that the two processes share and makes little, see fork.py.)"""
    known = known or {}
    # each id as the project's own string, which pickle then writes once in the state, not once a page
    own = {i: i for i in (*analysis.dossiers, *analysis.sources)}

    def inputs(page: str, fingerprint: str, deps: Callable[[], set[str]]) -> Inputs:
        then = known.get(page)
        if then and then[1] == fingerprint:
            return Inputs(then[0], fingerprint)
        return Inputs(tuple([own.get(i, i) for i in sorted(deps())]), fingerprint)

    out = {
        _page(d): inputs(_page(d), _dossier_fingerprint(analysis, d), lambda: _dossier_deps(analysis, d))
        for d in analysis.project.dossiers
    }
    out.update(
        {
            f"sources/{s.id}.md": inputs(
                f"sources/{s.id}.md",
                revision_date(analysis, s.location.path) + _uncovered_fingerprint(analysis, s),
                lambda: _source_deps(analysis, s),
            )
            for s in analysis.project.sources
        }
    )
    # each disagreement shows less of its dossier's claims than the dossier's page does, and nothing else;
    # whether a dossier is disputed depends on its own file and those in its deps (the sources' dates and
    # the speakers' relations say which figures are superseded), and a dossier that starts or stops being
    # disputed is in the deps after or before the edit, so no fingerprint is needed
    disputed = {_page(d.dossier) for d in analysis.disagreements}
    out[DISAGREEMENTS] = Inputs(tuple(sorted(set().union(*(out[page].deps for page in disputed)))), "")
    return out


def _unaffected(analysis: Analysis, old: dict, changed: set[str]) -> dict[str, list]:
    """What the last build found for each dossier's and source's page whose ids an edit cannot have
    changed but through what its fingerprint shows: the pages showing nothing of a changed file, and not
    shown on by one.

    A page's ids are its own and those of the files that give it anything
    (an article's outlet, a claim citing the article, a relation to the
    dossier, a source naming it), so they change only when one of those files
    does, or when a changed file starts to give it something: a dossier's new
    relation gives its target a claim, a new citation gives the article a
    passage, a source's new mention gives the dossier a mention, which its
    fingerprint shows (page_inputs takes the ids again when that changed).
    """
    touched = set(changed)
    for i in changed:
        if i in analysis.dossiers:
            touched.update(relation.target for relation in analysis.relations_out.get(i, ()))
            touched.update(citation.source for claim in analysis.dossiers[i].claims for citation in claim.citations)
            # a quote attributed to a speaker gives the speaker's page a statement, and the page of the
            # organisation the speaker counts with
            for claim in analysis.dossiers[i].claims:
                for citation in claim.citations:
                    touched.add(citation.said_by)
                    if citation.said_by in analysis.merged:
                        touched.add(analysis.merged[citation.said_by].target)
    return {
        page: then
        for page, then in old["pages"].items()
        if page != DISAGREEMENTS and isinstance(then[0], tuple) and touched.isdisjoint(then[0])
    }


def _page(d: Dossier) -> str:
    return f"{d.section}/{d.id}.md"


def _dossier_deps(analysis: Analysis, d: Dossier) -> set[str]:
    deps = {d.id, *_link_targets(analysis, d.summary)}
    add = deps.add
    for claim in d.claims:
        if claim.value:
            add(claim.value.text)
        if claim.text or claim.note:
            deps.update(_link_targets(analysis, claim.text), _link_targets(analysis, claim.note))
        for citation in claim.citations:
            add(citation.source)
            add(citation.said_by)
            if citation.said_by in analysis.merged:  # the organisation the speaker counts with
                add(analysis.merged[citation.said_by].target)
            source = analysis.sources.get(citation.source)
            if source:
                add(source.outlet)
                deps.update(source.via)
                deps.update(_reports(analysis, source))
    for claim, index in analysis.statements.get(d.id, ()):  # the Statements section: quotes in other dossiers
        add(claim.dossier)
        add(claim.citations[index].said_by)  # a speaker counted with the organisation is named
        if claim.value:
            add(claim.value.text)
        source = analysis.sources.get(claim.citations[index].source)
        if source:
            deps.update((source.id, source.outlet))
            deps.update(_reports(analysis, source))
    for verdict in d.verdicts:
        deps.update(_link_targets(analysis, verdict.note))
    deps.update(relation.subject for relation in analysis.relations_in.get(d.id, ()))
    deps.update(mention.source for mention in analysis.mentions.get(d.id, ()))  # listed under their titles
    return deps


def _reports(analysis: Analysis, source: Source) -> list[str]:
    """The agencies' own reports an article carrying their copy may reprint: they date its statements."""
    if not source.via:
        return []
    return [s.id for s in analysis.project.sources if s.outlet in source.via and not s.via]


def _source_deps(analysis: Analysis, s: Source) -> set[str]:
    deps = {s.id, s.outlet, *s.via}
    add = deps.add
    for passage in analysis.passages.get(s.id, ()):
        claim = passage.claim
        add(claim.dossier)
        add(claim.citations[passage.index].said_by)
        if claim.value:
            add(claim.value.text)
    return deps


def _link_targets(analysis: Analysis, field: Markdown | None) -> list[str]:
    """The dossiers and sources a Markdown field's [[links]] show: a claim's dossier, and the dossier
    its value names (a link to a relation is labelled with the related dossier's name)."""
    found = []
    for target in targets(field):
        found.append(target.partition("#")[0])
        claim = analysis.claims.get(target)
        if claim and claim.value:
            found.append(claim.value.text)
    return found


def _uncovered_fingerprint(analysis: Analysis, s: Source) -> str:
    """The uncovered sentences a source's page marks (render.uncovered_marks), which any dossier's names and
    claims can change: a digest, empty when there are none."""
    marks = uncovered_marks(analysis, s.id)
    return hashlib.blake2b(repr(marks).encode(), digest_size=8).hexdigest() if marks else ""


def _dossier_fingerprint(analysis: Analysis, d: Dossier) -> str:
    parts = [(m.source, m.sentence) for m in analysis.mentions.get(d.id, ())]
    history = analysis.history
    if history:
        for claim in d.claims:
            found = history.claim(claim.ref)
            if found:
                parts.append((found.added.id, found.changed.id, found.uncommitted))
    parts.append(revision_date(analysis, d.location.path))
    return _digest(repr(parts).encode())


def _digests(analysis: Analysis) -> dict[str, str]:
    """Where each dossier's and source's file is and a digest of it, by id: a file moved to another
    section, as it was, moves its page, and so changes every link to it."""
    digests = analysis.project.digests
    return {
        item.id: f"{item.location.path} {digests.get(item.location.path, '')}"
        for item in (*analysis.project.dossiers, *analysis.project.sources)
    }


def _key(root: Path, options: str) -> str:
    """A digest of everything every page depends on besides the dossiers and sources (crossbrief's own code
    is the store's fingerprint: a state written by other code is never read)."""
    h = hashlib.blake2b(options.encode(), digest_size=16)
    shipped = Path(str(resources.files("crossbrief")))
    files = sorted((shipped / "data").rglob("*")) + sorted((shipped / "templates" / "site").rglob("*"))
    files += sorted((root / "templates" / "site").rglob("*")) + [root / "briefings" / "properties.yaml"]
    for path in files:
        h.update(str(path).encode() + b"\0" + _bytes(path) + b"\0")
    return h.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes() if path.is_file() else b""
    except OSError:
        return b"\0unreadable"


def _signature(path: str) -> list[int] | None:
    """How a written page's file looks: if it is not so any more, somebody else wrote it."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


_STATE = b"state"
"""The store's one entry."""


def _store(docs: Path, root: Path) -> Store | None:
    folder = cache_dir(root)
    if folder is None:
        return None
    return Store(folder / "pages" / (_digest(str(docs.resolve()).encode()) + ".pickle"), "pages")


def _read(store: Store | None) -> dict | None:
    state = unpickled(store.read(), _STATE) if store else None
    return state if isinstance(state, dict) and isinstance(state.get("pages"), dict) else None

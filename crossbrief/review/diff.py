"""The semantic diff of two analysed revisions of a briefing. Pure: no I/O.

Everything is keyed by id: briefings, dossiers and sources added, removed,
renamed or changed; claims by `<dossier>#<claim>` (through dossier renames);
disagreements and verdicts by dossier and property; problems by file, code and
message (not by line, which moves with every edit above it), or by what they are about where their message
quotes values that change (Problem.subject: a W310 whose values changed is changed, not fixed and introduced).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import zip_longest

from crossbrief.analyse import Analysis, Disagreement
from crossbrief.model import Claim, Dossier, Markdown, Source, Verdict
from crossbrief.model.problems import Problem

SECTIONS = ("briefings", "dossiers", "sources", "claims", "disagreements", "verdicts", "problems")
KINDS = ("added", "removed", "renamed", "changed")
_LINE = re.compile(r"\bline \d+")


@dataclass(frozen=True)
class Field:
    """One field of an item, before and after; empty when absent on that side."""

    field: str
    """The field, as the briefing format names it: `value`, `quote`, `key point`, `status`..."""
    old: str
    """The older text."""
    new: str
    """The newer text."""
    of: str = ""
    """Which one, when an item has several: a citation's source id, a key point's number."""

    @property
    def name(self) -> str:
        """The field as `crossbrief diff` names it: `value`, `quote (afp-2012-07-06)`, `key point 2`."""
        if not self.of:
            return self.field
        return f"{self.field} {self.of}" if self.field == "key point" else f"{self.field} ({self.of})"


@dataclass(frozen=True)
class Change:
    """An item added, removed, renamed or changed."""

    kind: str
    """One of KINDS."""
    key: str
    """The item's id in the newer revision (in the older one if removed)."""
    old_key: str
    """The item's id in the older revision; empty if added."""
    label: str
    """How the item reads: a name, a title, `Age: 46`, `error[E203]: quote not found...`."""
    fields: tuple[Field, ...] = ()
    """What changed; for an added claim, what it holds."""


@dataclass(frozen=True)
class Diff:
    """What changed between two revisions, section by section, each sorted by key."""

    briefings: tuple[Change, ...] = ()
    dossiers: tuple[Change, ...] = ()
    sources: tuple[Change, ...] = ()
    claims: tuple[Change, ...] = ()
    disagreements: tuple[Change, ...] = ()
    verdicts: tuple[Change, ...] = ()
    problems: tuple[Change, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not any(self.section(s) for s in SECTIONS)

    def section(self, name: str) -> tuple[Change, ...]:
        """The changes of one section."""
        return getattr(self, name)

    def counts(self) -> dict[str, Counter]:
        """How many changes of each kind, by section."""
        return {s: Counter(c.kind for c in self.section(s)) for s in SECTIONS if self.section(s)}


def diff(old: Analysis, new: Analysis, old_problems=(), new_problems=()) -> Diff:
    """The semantic diff from `old` to `new`, with the problems found on each side."""
    dossier_renames = match_renames(
        [d for d in old.project.dossiers if d.id not in new.dossiers],
        [d for d in new.project.dossiers if d.id not in old.dossiers],
    )
    source_renames = _source_renames(
        [s for s in old.project.sources if s.id not in new.sources],
        [s for s in new.project.sources if s.id not in old.sources],
    )
    return Diff(
        briefings=_items(
            {b.id: b for b in old.project.briefings},
            {b.id: b for b in new.project.briefings},
            {},
            lambda b: b.title,
            _briefing_fields,
        ),
        dossiers=_items(old.dossiers, new.dossiers, dossier_renames, lambda d: d.name, _dossier_fields),
        sources=_items(old.sources, new.sources, source_renames, lambda s: s.title, _source_fields),
        claims=_claims(old, new, dossier_renames, source_renames),
        disagreements=_disagreements(old, new, dossier_renames),
        verdicts=_verdicts(old, new, dossier_renames),
        problems=_problems(old_problems, new_problems, old, new, dossier_renames, source_renames),
    )


def fingerprint(claim: Claim) -> tuple:
    """Everything a claim says, without where it is written."""
    return (
        claim.property,
        claim.value,
        _md(claim.text),
        _md(claim.note),
        tuple((c.source, _norm(c.quote), c.said_by, c.as_of) for c in claim.citations),
    )


def match_renames(removed: list[Dossier], added: list[Dossier]) -> dict[str, str]:
    """Old id -> new id for removed and added dossiers that are one renamed: the same content,
    or the same name and most claim ids."""

    def content(d: Dossier) -> tuple:
        return (
            d.name,
            d.aliases,
            d.kind,
            d.date,
            _md(d.summary),
            tuple((c.id, fingerprint(c)) for c in d.claims),
            tuple((v.property, v.status, v.preferred, _md(v.note)) for v in d.verdicts),
        )

    def similar(a: Dossier, b: Dossier) -> bool:
        shared = {c.id for c in a.claims} & {c.id for c in b.claims}
        most = 2 * len(shared) > max(len(a.claims), len(b.claims)) or not (a.claims or b.claims)
        return a.name.casefold() == b.name.casefold() and most

    return _pair(removed, added, [lambda a, b: content(a) == content(b), similar])


def _source_renames(removed: list[Source], added: list[Source]) -> dict[str, str]:
    return _pair(
        removed,
        added,
        [
            lambda a, b: _norm(a.text) == _norm(b.text) and bool(_norm(a.text)),
            lambda a, b: (a.title, a.outlet, a.published) == (b.title, b.outlet, b.published),
        ],
    )


def _pair(removed: list, added: list, rules: list) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for rule in rules:
        for new in sorted(added, key=lambda x: x.id):
            if new.id in pairs.values():
                continue
            old = next((o for o in sorted(removed, key=lambda x: x.id) if o.id not in pairs and rule(o, new)), None)
            if old is not None:
                pairs[old.id] = new.id
    return pairs


def _items(old: dict, new: dict, renames: dict[str, str], label, fields) -> tuple[Change, ...]:
    back = {v: k for k, v in renames.items()}
    changes = [Change("removed", k, k, label(o)) for k, o in old.items() if k not in new and k not in renames]
    for key, item in new.items():
        old_key = key if key in old else back.get(key)
        if old_key is None:
            changes.append(Change("added", key, "", label(item)))
            continue
        found = tuple(fields(old[old_key], item))
        if old_key != key:
            changes.append(Change("renamed", key, old_key, label(item), found))
        elif found:
            changes.append(Change("changed", key, key, label(item), found))
    return _sorted(changes)


def _sorted(changes) -> tuple[Change, ...]:
    return tuple(sorted(changes, key=lambda c: (c.key, KINDS.index(c.kind), c.old_key, c.label)))


def _compare(pairs, of: str = "") -> list[Field]:
    return [Field(name, old, new, of) for name, old, new in pairs if old != new]


def _md(m: Markdown | None) -> str:
    """A Markdown field with its paragraphs reflowed: rewrapping a paragraph changes nothing."""
    paragraphs = re.split(r"\n[ \t]*\n", m.text.strip()) if m else []
    return "\n\n".join(_norm(p) for p in paragraphs if p.strip())


def _norm(s: str) -> str:
    return " ".join(s.split())


def _briefing_fields(a, b) -> list[Field]:
    points = [
        Field("key point", _md(x), _md(y), str(i + 1))
        for i, (x, y) in enumerate(zip_longest(a.key_points, b.key_points))
        if _md(x) != _md(y)
    ]
    return (
        _compare([("title", a.title, b.title), ("date", a.date, b.date), ("summary", _md(a.summary), _md(b.summary))])
        + points
    )


def _dossier_fields(a: Dossier, b: Dossier) -> list[Field]:
    return _compare(
        [
            ("section", a.section, b.section),
            ("name", a.name, b.name),
            ("aliases", ", ".join(a.aliases), ", ".join(b.aliases)),
            ("kind", a.kind, b.kind),
            ("date", _value(a.date), _value(b.date)),
            ("summary", _md(a.summary), _md(b.summary)),
        ]
    )


def _source_fields(a: Source, b: Source) -> list[Field]:
    return _compare(
        [
            ("title", a.title, b.title),
            ("title_by_editors", _yes(a.title_by_editors), _yes(b.title_by_editors)),
            ("outlet", a.outlet, b.outlet),
            ("published", a.published, b.published),
            ("author", ", ".join(a.authors), ", ".join(b.authors)),
            ("url", a.url, b.url),
            ("via", ", ".join(a.via), ", ".join(b.via)),
            ("text", _norm(a.text), _norm(b.text)),
            ("captions", _captions(a), _captions(b)),
        ]
    )


def _captions(s: Source) -> str:
    return " / ".join(_norm(s.text[c.start : c.end]) for c in s.captions)


def _yes(flag: bool) -> str:
    return "true" if flag else "false"


def _value(v) -> str:
    return v.text if v is not None else ""


def _claim_label(a: Analysis, c: Claim) -> str:
    prop = a.project.properties.get(c.property)
    return f"{prop.label if prop else c.property}: {_value(c.value) or '(unreadable value)'}"


def _cite(source: str, quote: str) -> str:
    return f"{source}: “{_norm(quote)}”"


def _claim_fields(a: Claim, b: Claim, source_renames: dict[str, str]) -> list[Field]:
    fields = _compare(
        [
            ("property", a.property, b.property),
            ("value", _value(a.value), _value(b.value)),
            ("text", _md(a.text), _md(b.text)),
        ]
    )
    olds: dict[str, list] = defaultdict(list)
    for c in a.citations:
        olds[source_renames.get(c.source, c.source)].append(c)
    matched: dict[str, int] = defaultdict(int)
    for c in b.citations:
        source = source_renames.get(c.source, c.source)  # a citation not yet updated pairs with itself
        group = olds.get(source, [])
        i = matched[source]
        matched[source] += 1
        if i >= len(group):
            fields.append(Field("citation", "", _cite(c.source, c.quote)))
            continue
        o = group[i]
        fields += _compare([("source", o.source, c.source)])
        fields += _compare(
            [
                ("quote", _norm(o.quote), _norm(c.quote)),
                ("said_by", o.said_by, c.said_by),
                ("as_of", o.as_of, c.as_of),
            ],
            of=c.source,
        )
    for source, group in olds.items():
        fields += [Field("citation", _cite(o.source, o.quote), "") for o in group[matched[source] :]]
    return fields + _compare([("note", _md(a.note), _md(b.note))])


def _claims(
    old: Analysis, new: Analysis, renames: dict[str, str], source_renames: dict[str, str]
) -> tuple[Change, ...]:
    old_claims = {f"{renames.get(c.dossier, c.dossier)}#{c.id}": c for c in old.claims.values()}
    changes = [
        Change("removed", c.ref, c.ref, _claim_label(old, c)) for k, c in old_claims.items() if k not in new.claims
    ]
    for key, c in new.claims.items():
        o = old_claims.get(key)
        if o is None:
            added = [
                Field("text", "", _md(c.text)),
                *(Field("citation", "", _cite(x.source, x.quote)) for x in c.citations),
                Field("note", "", _md(c.note)),
            ]
            changes.append(Change("added", key, "", _claim_label(new, c), tuple(f for f in added if f.new)))
            continue
        fields = tuple(_claim_fields(o, c, source_renames))
        if fields:  # a claim whose dossier was renamed, and nothing else, did not change
            changes.append(Change("changed", key, o.ref, _claim_label(new, c), fields))
    return _sorted(changes)


def _positions(d: Disagreement) -> str:
    return " / ".join(p.text for p in d.positions)


def _support(d: Disagreement) -> str:
    """Who holds each position: its independent origins, and those holding another position too."""
    return " / ".join(
        f"{p.text}: {', '.join(p.origins) or 'no independent origin'}"
        + (f" (also holding another: {', '.join(p.split)})" if p.split else "")
        for p in d.positions
    )


def _disagreement_label(d: Disagreement) -> str:
    return f"{d.dossier.name}: {d.property.label} ({d.status}): {_positions(d)}"


def _disagreements(old: Analysis, new: Analysis, renames: dict[str, str]) -> tuple[Change, ...]:
    olds = {f"{renames.get(d.dossier.id, d.dossier.id)}:{d.property.id}": d for d in old.disagreements}
    news = {f"{d.dossier.id}:{d.property.id}": d for d in new.disagreements}
    changes = [
        Change("removed", f"{d.dossier.id}:{d.property.id}", f"{d.dossier.id}:{d.property.id}", _disagreement_label(d))
        for k, d in olds.items()
        if k not in news
    ]
    for key, d in news.items():
        o = olds.get(key)
        if o is None:
            changes.append(Change("added", key, "", _disagreement_label(d)))
            continue
        fields = _compare(
            [
                ("status", o.status, d.status),
                ("positions", _positions(o), _positions(d)),
                ("origins", _support(o), _support(d)),
            ]
        )
        if fields:
            changes.append(
                Change("changed", key, f"{o.dossier.id}:{o.property.id}", _disagreement_label(d), tuple(fields))
            )
    return _sorted(changes)


def _verdict_label(a: Analysis, d: Dossier, v: Verdict) -> str:
    prop = a.project.properties.get(v.property)
    return f"{d.name}: {prop.label if prop else v.property} ({v.status})" + (
        f", preferred {v.preferred}" if v.preferred else ""
    )


def _verdicts(old: Analysis, new: Analysis, renames: dict[str, str]) -> tuple[Change, ...]:
    olds = {f"{renames.get(d.id, d.id)}:{v.property}": (d, v) for d in old.project.dossiers for v in d.verdicts}
    news = {f"{d.id}:{v.property}": (d, v) for d in new.project.dossiers for v in d.verdicts}
    changes = [
        Change("removed", f"{d.id}:{v.property}", f"{d.id}:{v.property}", _verdict_label(old, d, v))
        for k, (d, v) in olds.items()
        if k not in news
    ]
    for key, (d, v) in news.items():
        if key not in olds:
            fields = (Field("note", "", _md(v.note)),) if v.note else ()
            changes.append(Change("added", key, "", _verdict_label(new, d, v), fields))
            continue
        od, o = olds[key]
        fields = _compare(
            [
                ("status", o.status, v.status),
                ("preferred", o.preferred, v.preferred),
                ("note", _md(o.note), _md(v.note)),
                ("covers", _covers(o), _covers(v)),
            ]
        )
        if fields:
            changes.append(Change("changed", key, f"{od.id}:{o.property}", _verdict_label(new, d, v), tuple(fields)))
    return _sorted(changes)


def _problems(
    old: list[Problem],
    new: list[Problem],
    a: Analysis,
    b: Analysis,
    renames: dict[str, str],
    source_renames: dict[str, str],
) -> tuple[Change, ...]:
    paths = {a.dossiers[k].location.path: b.dossiers[v].location.path for k, v in renames.items()}
    paths.update({a.sources[k].location.path: b.sources[v].location.path for k, v in source_renames.items()})

    def key(p: Problem, moved: bool) -> tuple:
        path = paths.get(p.location.path, p.location.path) if moved else p.location.path
        return path, p.code, p.subject or _LINE.sub("line N", p.message)

    def label(p: Problem) -> str:
        return f"{p.severity}[{p.code}]: {p.message}"

    olds: dict[tuple, list[Problem]] = defaultdict(list)
    for p in sorted(set(old)):
        olds[key(p, True)].append(p)
    changes = []
    for p in sorted(set(new)):
        found = olds.get(key(p, False))
        if found:
            was = found.pop(0)
            if was.message != p.message:  # the same problem (by its subject), its values changed
                fields = (Field("message", was.message, p.message),)
                changes.append((p.location, 0, Change("changed", str(p.location), str(was.location), label(p), fields)))
        else:
            hint = (Field("hint", "", p.hint),) if p.hint else ()
            changes.append((p.location, 0, Change("added", str(p.location), "", label(p), hint)))
    for p in (p for found in olds.values() for p in found):
        changes.append((p.location, 1, Change("removed", str(p.location), str(p.location), label(p))))
    return tuple(c for *_, c in sorted(changes, key=lambda t: (t[0], t[1], t[2].label)))


def _covers(v: Verdict) -> str:
    return "; ".join(f"{i}: {value}" for i, value in v.covers) if v.covers is not None else ""

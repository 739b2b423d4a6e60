"""The analysed model as JSON, for other tools (shape: schemas/export.json, and the user guide)."""

from __future__ import annotations

import json
from datetime import date

from crossbrief.analyse import Analysis, Facts, Position
from crossbrief.analyse.coverage import Share, Uncovered
from crossbrief.model import Claim, Markdown
from crossbrief.model.values import Value
from crossbrief.review import provenance

FORMAT_VERSION = 1
COVERAGE_FORMAT = 1


def to_json(analysis: Analysis) -> str:
    """The whole analysis as sorted, indented JSON."""
    return json.dumps(export(analysis), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def export(a: Analysis) -> dict:
    """The analysis as plain data."""
    p = a.project
    return {
        "format": FORMAT_VERSION,
        "briefings": [
            {
                "id": b.id,
                "title": b.title,
                "date": b.date,
                "summary": _md(b.summary),
                "key_points": [k.text for k in b.key_points],
                "file": b.location.path,
            }
            for b in p.briefings
        ],
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "title_by_editors": s.title_by_editors,
                "outlet": s.outlet,
                "published": s.published,
                "authors": list(s.authors),
                "url": s.url,
                "via": list(s.via),
                "file": s.location.path,
                "coverage": _share(a.coverage.shares[s.id]),
            }
            for s in p.sources
        ],
        "dossiers": [
            {
                "id": d.id,
                "section": d.section,
                "name": d.name,
                "aliases": list(d.aliases),
                "kind": d.kind,
                "date": _value(d.date),
                "summary": _md(d.summary),
                "file": d.location.path,
                "revision_date": a.history.revision_date(d.location.path) or None if a.history else None,
                "claims": [_claim(a, c) for c in d.claims],
                "relations": {
                    "out": [
                        {"property": r.property.id, "label": r.property.label, "target": r.target, "claim": r.claim.ref}
                        for r in a.relations_out.get(d.id, ())
                    ],
                    "in": [
                        {
                            "property": r.property.id,
                            "label": r.property.inverse,
                            "subject": r.subject,
                            "claim": r.claim.ref,
                        }
                        for r in a.relations_in.get(d.id, ())
                    ],
                },
                "mentions": [
                    {"source": m.source, "name": m.name, "sentence": m.sentence} for m in a.mentions.get(d.id, ())
                ],
                "statements": [
                    {
                        "claim": c.ref,
                        "citation": i,
                        "source": c.citations[i].source,
                        "quote": c.citations[i].quote,
                        "when": a.when(c.citations[i]),
                    }
                    for c, i in a.statements.get(d.id, ())
                ],
                "counted_with": (
                    {
                        "organisation": a.merged[d.id].target,
                        "property": a.merged[d.id].property.id,
                        "claim": a.merged[d.id].claim.ref,
                    }
                    if d.id in a.merged
                    else None
                ),
            }
            for d in p.dossiers
        ],
        "disagreements": [
            {
                "dossier": d.dossier.id,
                "property": d.property.id,
                "status": d.status,
                "self_contradiction": d.self_contradiction,
                "preferred": d.verdict.preferred if d.verdict else "",
                "note": _md(d.verdict.note) if d.verdict else None,
                "positions": [_position(pos) for pos in d.positions],
            }
            for d in a.disagreements
        ],
        "in_time": [
            {"dossier": dossier, "property": prop, **_facts(facts)}
            for (dossier, prop), facts in sorted(a.in_time.items())
        ],
    }


def _facts(f: Facts) -> dict:
    return {
        "superseded": [c.ref for c in f.superseded],
        "histories": [
            {
                "origin": h.origin,
                "steps": [{"when": s.when, "value": _value(s.claim.value), "claim": s.claim.ref} for s in h.steps],
            }
            for h in f.histories
        ],
        "contradictions": [
            {"origin": c.origin, "when": c.statements[0].when, "claims": [s.claim.ref for s in c.statements]}
            for c in f.contradictions
        ],
    }


def _claim(a: Analysis, c: Claim) -> dict:
    citations = []
    for i, cit in enumerate(c.citations):
        passage = a.passage(c, i)
        citations.append(
            {
                "source": cit.source,
                "quote": cit.quote,
                "said_by": cit.said_by,
                "as_of": cit.as_of,
                "when": a.when(cit),
                "origins": list(a.origins(cit)),
                "found": passage is not None,
                "anchor": passage.anchor if passage else None,
            }
        )
    origins = a.corroboration((c,))
    return {
        "id": c.id,
        "ref": c.ref,
        "property": c.property,
        "value": _value(c.value),
        "text": _md(c.text),
        "note": _md(c.note),
        "citations": citations,
        "origins": list(origins),
        "corroboration": len(origins),
        "line": c.location.line,
        "provenance": provenance.export(a, c.ref),
    }


def _position(pos: Position) -> dict:
    return {
        "value": _value(pos.value),
        "claims": [c.ref for c in pos.claims],
        "values": [_value(v) for v in pos.values],
        "origins": list(pos.origins),
        "corroboration": len(pos.origins),
        "split": list(pos.split),
    }


def _value(v: Value | None) -> dict | None:
    if v is None:
        return None
    out: dict = {"text": v.text}
    if v.is_span:
        ends = (v.low, v.high)
        out["interval"] = [_day(e) if v.kind == "date" and e is not None else e for e in ends]
        if v.low_open or v.high_open:
            out["excluded"] = [v.low_open, v.high_open]
    return out


def _day(ordinal: float) -> str:
    """A date end as an ISO day, or with its minute when the value has a time of day."""
    day = date.fromordinal(int(ordinal)).isoformat()
    if ordinal == int(ordinal):
        return day
    minute = int((ordinal - int(ordinal)) * 1440 + 1e-6)
    return f"{day}T{minute // 60:02d}:{minute % 60:02d}"


def _md(m: Markdown | None) -> str | None:
    return m.text if m else None


def coverage_json(a: Analysis, source: str | None = None) -> str:
    """`crossbrief coverage --format json`: the uncovered sentences ranked, the claims never compared, and each
    source's share of covered figure-bearing sentences (of one source, or of all)."""
    found = a.coverage
    listed = found.of_source(source) if source else found.uncovered
    shares = [source] if source else sorted(found.shares)
    data = {
        "format": COVERAGE_FORMAT,
        "source": source,
        "uncovered": [_uncovered(u) for u in listed],
        "uncompared": [
            {"dossier": u.dossier, "claim": u.claim.ref, **_place(u.claim.location), "message": u.message}
            for u in (found.uncompared if source is None else ())
        ],
        "shares": [{"source": s, **_share(found.shares[s])} for s in shares],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _uncovered(u: Uncovered) -> dict:
    a = u.assessment
    return {
        "code": u.code,
        "source": u.sentence.source,
        **_place(u.sentence.location),
        "headline": u.sentence.headline,
        "sentence": u.sentence.text,
        "dossier": a.dossier,
        "dossiers": list(a.dossiers),
        "property": a.property,
        "rank": a.rank,
        "readings": [{"kind": r.kind, "text": r.text, "value": _value(r.value)} for r in a.readings],
        "candidates": [
            {"claim": c.claim.ref, "agrees": c.agrees, "reading": c.reading.text, "value": _value(c.reading.value)}
            for c in a.candidates
        ],
        "reprints": [{"source": s.source, **_place(s.location)} for s in u.reprints],
    }


def _place(location) -> dict:
    return {"file": location.path, "line": location.line, "column": location.column}


def _share(share: Share) -> dict:
    return {"figures": share.figures, "covered": share.covered, "percent": share.percent}

"""JSON Schemas of crossbrief's JSON outputs: `crossbrief export` and `crossbrief diff --format json`.

Written by hand from export.py and diffformat.to_json, and shipped beside the input schemas (schema.py adds
them to its set, so `python -m crossbrief.authoring.schema` regenerates them all). Objects are closed
(`additionalProperties: false`), so a field added to an output without its schema fails the tests that
validate real outputs (tests/test_schema.py); a change that breaks readers bumps the output's `format`.
"""

from __future__ import annotations

from crossbrief import export
from crossbrief.review import diffformat

STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
MARKDOWN = {"type": ["string", "null"], "description": "Markdown, as written"}
COUNT = {"type": "integer", "minimum": 0}


def _object(fields: dict[str, dict], description: str = "") -> dict:
    out = {"type": "object", "required": list(fields), "properties": fields, "additionalProperties": False}
    return {"description": description, **out} if description else out


def _nullable(ref: str) -> dict:
    return {"oneOf": [{"type": "null"}, {"$ref": f"#/definitions/{ref}"}]}


def _document(title: str, body: dict, definitions: dict) -> dict:
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": title, **body, "definitions": definitions}


def _export_definitions() -> dict:
    return {
        "value": {
            "description": "a value as shown; numbers and dates add their interval",
            "type": "object",
            "required": ["text"],
            "additionalProperties": False,
            "properties": {
                "text": STRING,
                "interval": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "items": {"type": ["number", "string", "null"]},
                    "description": "[low, high]: numbers, or ISO days (with THH:MM for a time of day) for "
                    "dates; null for an open end",
                },
                "excluded": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "items": {"type": "boolean"},
                    "description": "whether each end is excluded (more than, less than); only when one is",
                },
            },
        },
        "commit": _object(
            {
                "commit": STRING,
                "author": STRING,
                "date": {**STRING, "description": "ISO 8601 author date"},
                "subject": STRING,
            }
        ),
        "provenance": _object(
            {
                "added": {"$ref": "#/definitions/commit"},
                "changed": {"$ref": "#/definitions/commit"},
                "uncommitted": {"type": "boolean"},
            }
        ),
        "citation": _object(
            {
                "source": STRING,
                "quote": STRING,
                "said_by": STRING,
                "as_of": {**STRING, "description": "when the figure was given, as written; empty if not given"},
                "when": {**STRING, "description": "as_of, else the source's published date"},
                "origins": STRINGS,
                "found": {"type": "boolean"},
                "anchor": {"type": ["string", "null"]},
            }
        ),
        "claim": _object(
            {
                "id": STRING,
                "ref": {**STRING, "description": "dossier#claim"},
                "property": STRING,
                "value": _nullable("value"),
                "text": MARKDOWN,
                "note": MARKDOWN,
                "line": COUNT,
                "citations": {"type": "array", "items": {"$ref": "#/definitions/citation"}},
                "origins": STRINGS,
                "corroboration": COUNT,
                "provenance": _nullable("provenance"),
            }
        ),
        "relation": {
            "type": "object",
            "required": ["property", "label", "claim"],
            "additionalProperties": False,
            "properties": {"property": STRING, "label": STRING, "claim": STRING, "target": STRING, "subject": STRING},
        },
        "position": _object(
            {
                "value": {"$ref": "#/definitions/value"},
                "values": {"type": "array", "items": {"$ref": "#/definitions/value"}},
                "claims": STRINGS,
                "origins": {**STRINGS, "description": "the independent origins still holding the position"},
                "corroboration": COUNT,
                "split": {**STRINGS, "description": "origins holding this and another position, counted for neither"},
            }
        ),
        "share": _object(
            {
                "figures": {
                    **COUNT,
                    "description": "sentences of the text naming a dossier with a figure, date or time",
                },
                "covered": {**COUNT, "description": "of those, the ones a citation quotes (here or in a reprint)"},
                "percent": {
                    "type": ["integer", "null"],
                    "description": "covered / figures, rounded down; null if none",
                },
            },
            "a source's share of covered figure-bearing sentences (crossbrief coverage)",
        ),
    }


def export_schema() -> dict:
    """The shape of `crossbrief export`."""
    briefing = _object(
        {"id": STRING, "title": STRING, "date": STRING, "summary": MARKDOWN, "key_points": STRINGS, "file": STRING}
    )
    source = _object(
        {
            "id": STRING,
            "title": STRING,
            "title_by_editors": {"type": "boolean"},
            "outlet": STRING,
            "published": STRING,
            "authors": STRINGS,
            "url": STRING,
            "via": STRINGS,
            "file": STRING,
            "coverage": {"$ref": "#/definitions/share"},
        }
    )
    dossier = _object(
        {
            "id": STRING,
            "section": {"enum": ["people", "organisations", "events"]},
            "name": STRING,
            "aliases": STRINGS,
            "kind": STRING,
            "date": _nullable("value"),
            "summary": MARKDOWN,
            "file": STRING,
            "revision_date": {"type": ["string", "null"], "description": "YYYY-MM-DD of the latest commit touching it"},
            "claims": {"type": "array", "items": {"$ref": "#/definitions/claim"}},
            "relations": _object(
                {
                    "out": {"type": "array", "items": {"$ref": "#/definitions/relation"}},
                    "in": {"type": "array", "items": {"$ref": "#/definitions/relation"}},
                }
            ),
            "mentions": {"type": "array", "items": _object({"source": STRING, "name": STRING, "sentence": STRING})},
            "statements": {
                "type": "array",
                "description": "every quote attributed to this dossier (said_by), earliest first",
                "items": _object(
                    {"claim": STRING, "citation": COUNT, "source": STRING, "quote": STRING, "when": STRING}
                ),
            },
            "counted_with": {
                "oneOf": [
                    {"type": "null"},
                    _object(
                        {"organisation": STRING, "property": STRING, "claim": STRING},
                        "the organisation this person counts as one origin with, and the relation that says so",
                    ),
                ]
            },
        }
    )
    step = _object({"when": STRING, "value": _nullable("value"), "claim": STRING})
    in_time = _object(
        {
            "dossier": STRING,
            "property": STRING,
            "superseded": {**STRINGS, "description": "claims whose origins have all given a later figure"},
            "histories": {
                "type": "array",
                "items": _object({"origin": STRING, "steps": {"type": "array", "items": step}}),
            },
            "contradictions": {
                "type": "array",
                "items": _object({"origin": STRING, "when": STRING, "claims": STRINGS}),
            },
        }
    )
    disagreement = _object(
        {
            "dossier": STRING,
            "property": STRING,
            "status": {"enum": ["open", "explained", "settled"]},
            "self_contradiction": {"type": "boolean", "description": "one origin alone holds every position"},
            "preferred": STRING,
            "note": MARKDOWN,
            "positions": {"type": "array", "items": {"$ref": "#/definitions/position"}},
        }
    )
    body = _object(
        {
            "format": {"const": export.FORMAT_VERSION},
            "briefings": {"type": "array", "items": briefing},
            "sources": {"type": "array", "items": source},
            "dossiers": {"type": "array", "items": dossier},
            "disagreements": {"type": "array", "items": disagreement},
            "in_time": {"type": "array", "items": in_time},
        }
    )
    return _document("crossbrief export (the analysed model)", body, _export_definitions())


def coverage_schema() -> dict:
    """The shape of `crossbrief coverage --format json`."""
    definitions = _export_definitions()
    place = {"file": STRING, "line": COUNT, "column": COUNT}
    reading = _object(
        {
            "kind": {"enum": ["number", "date", "time", "place", "attribution"]},
            "text": STRING,
            "value": _nullable("value"),
        }
    )
    candidate = _object(
        {
            "claim": {**STRING, "description": "dossier#claim"},
            "agrees": {"type": "boolean", "description": "true: it would corroborate the claim; false: a conflict"},
            "reading": STRING,
            "value": _nullable("value"),
        }
    )
    uncovered = _object(
        {
            "code": {"enum": ["N401", "N402", "N403"]},
            "source": STRING,
            **place,
            "headline": {"type": "boolean"},
            "sentence": STRING,
            "dossier": STRING,
            "dossiers": STRINGS,
            "property": {**STRING, "description": "the likely property; empty when no word points at one"},
            "rank": COUNT,
            "readings": {"type": "array", "items": reading},
            "candidates": {"type": "array", "items": candidate},
            "reprints": {"type": "array", "items": _object({"source": STRING, **place})},
        }
    )
    uncompared = _object({"dossier": STRING, "claim": STRING, **place, "message": STRING})
    share = _object({"source": STRING, **definitions["share"]["properties"]})
    body = _object(
        {
            "format": {"const": export.COVERAGE_FORMAT},
            "source": {"type": ["string", "null"], "description": "the source asked for; null for all"},
            "uncovered": {"type": "array", "items": uncovered, "description": "ranked: candidate conflicts first"},
            "uncompared": {"type": "array", "items": uncompared},
            "shares": {"type": "array", "items": share},
        }
    )
    return _document("crossbrief coverage --format json (what no claim quotes)", body, {"value": definitions["value"]})


def diff_schema() -> dict:
    """The shape of `crossbrief diff --format json`."""
    side = _object({"label": STRING, "revision": {"type": ["string", "null"]}, "commit": {"type": ["string", "null"]}})
    field = _object({"name": STRING, "old": STRING, "new": STRING})
    change = _object(
        {
            "kind": {"enum": ["added", "removed", "renamed", "changed"]},
            "key": STRING,
            "old_key": STRING,
            "label": STRING,
            "fields": {"type": "array", "items": field},
        }
    )
    body = _object(
        {
            "format": {"const": diffformat.FORMAT_VERSION},
            "base": {"$ref": "#/definitions/side"},
            "head": {"$ref": "#/definitions/side"},
            "empty": {"type": "boolean"},
            "summary": STRING,
            "changes": _object(
                {
                    section: {"type": "array", "items": {"$ref": "#/definitions/change"}}
                    for section in diffformat.SECTIONS
                }
            ),
        }
    )
    return _document("crossbrief diff --format json (the semantic diff)", body, {"side": side, "change": change})

"""JSON Schemas for the briefing format, generated from the loader's field lists.

One schema per kind of file: `person`, `organisation` and `event` (the three
dossier sections), `source` (a source's front matter), `briefing` and
`properties`; and one per JSON output, `export` and `diff` (outputschema.py). They are shipped in `crossbrief/schemas/`; regenerate them with
`python -m crossbrief.authoring.schema` after changing the format (a test checks that
the shipped files are up to date).

The fields come from `load` (DOSSIER_FIELDS, CLAIM_FIELDS, ...), the value
patterns from the modules that check them, and the property ids offered for
completion from the shipped registry. What this module adds is each field's
shape, whether it is required, and a line of help for editors.

The schemas help editors while they type; `crossbrief check` stays the
authority. So they accept everything crossbrief loads and reject unknown
fields, wrong shapes, missing required fields and malformed ids, dates and
addresses. Two things a schema cannot know are left to the checker: which
type a claim's value must have (a project may retype a property), and
whether ids name existing files. crossbrief reads every YAML scalar as its
text, so `name: 1984` or `value: 46` are strings to it while an editor's YAML
1.2 parser reads numbers and booleans: text fields accept all three.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

from crossbrief import load
from crossbrief.authoring import outputschema
from crossbrief.model import PROPERTY_TYPES, values
from crossbrief.model.links import ID, MAX_ID

DRAFT = "http://json-schema.org/draft-07/schema#"
# The schema names, the dossier section each describes, and which files they are for.
DOSSIER_KINDS = {"person": "people", "organisation": "organisations", "event": "events"}
NAMES = (*DOSSIER_KINDS, "source", "briefing", "properties", "export", "diff", "coverage")
"""The input schemas, then those of the JSON outputs (outputschema.py)."""
SHIPPED = Path(__file__).parent.parent / "schemas"


def _ecma(pattern: str) -> str:
    """A Python regex as an anchored ECMAScript one (which refuses needless escapes like \\")."""
    return "^" + pattern.replace('\\"', '"') + "$"


# Flat shapes: a type list with each type's own keywords (a pattern applies to strings only,
# a minimum to numbers only), rather than anyOf, which makes editors' messages vague.
TEXT = {"type": ["string", "number", "boolean"]}
NONBLANK = {"type": ["string", "number", "boolean"], "pattern": r"\S"}
ID_SCHEMA = {
    "type": ["string", "integer"],
    "pattern": _ecma(ID.pattern),
    "maxLength": MAX_ID,
    "minimum": 0,
    "description": f"an id: lower-case letters, digits and single hyphens, at most {MAX_ID} characters",
}
DATE = {
    "type": ["string", "integer"],
    "pattern": _ecma(values._DATE.pattern),
    "minimum": values.YEARS[0],
    "maximum": values.YEARS[1],
    "description": f"YYYY, YYYY-MM or YYYY-MM-DD, years {values.YEARS[0]} to {values.YEARS[1]}",
}
NUMBER = {"type": ["number", "string"], "pattern": _ecma(values._NUMBER.pattern)}
WHEN = {
    **DATE,
    "pattern": _ecma(f"(?:{values._DATE.pattern}|{values._TIMED.pattern})"),
    "description": "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM",
}
# Shapes used in several places, kept once under "definitions".
REFS = {"claim", "citation", "verdict", "date_range", "number_range"}


def _ref(name: str) -> dict:
    assert name in REFS
    return {"$ref": f"#/definitions/{name}"}


def _range(low: str, high: str, end: dict, what: str) -> dict:
    """A mapping {low: .., high: ..} with either end missing or null, but not both."""
    end = {k: v for k, v in end.items() if k != "description"}
    return {
        "type": "object",
        "description": f"a {what} range {{{low}: .., {high}: ..}}; either end may be left out",
        "properties": {low: _optional(end), high: _optional(end)},
        "additionalProperties": False,
        "anyOf": [{"required": [low], "properties": {low: end}}, {"required": [high], "properties": {high: end}}],
    }


def _optional(schema: dict) -> dict:
    """An optional field may also be left empty (null)."""
    if isinstance(schema.get("type"), list):
        return {**schema, "type": [*schema["type"], "null"]}
    if isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    bare = {k: v for k, v in schema.items() if k != "description"}
    if list(bare) == ["anyOf"]:
        inner = {"anyOf": [*bare["anyOf"], {"type": "null"}]}
    else:
        inner = {"anyOf": [bare, {"type": "null"}]}
    return {**inner, **({"description": schema["description"]} if "description" in schema else {})}


def _described(schema: dict, text: str) -> dict:
    return {**schema, "description": text}


def _list(items: dict, min_items: int = 0) -> dict:
    out = {"type": "array", "items": items}
    if min_items:
        out["minItems"] = min_items
    return out


def _shapes(property_ids: list[str]) -> dict[str, dict]:
    """The shape of each field, by field name, or by `<schema>.<field>` where it differs."""
    d = _described
    prop = d(
        {"anyOf": [{"type": "string", "enum": property_ids}, NONBLANK]},
        "a property id: one of the shipped registry's, or one added in briefings/properties.yaml",
    )
    return {
        # dossiers
        "name": d(NONBLANK, "the display name"),
        "aliases": d(_list(NONBLANK), "other spellings used in the sources"),
        "kind": d(TEXT, "a free slug, such as outlet, ministry, battle"),
        "event.date": d(
            {**_date_range(), **WHEN, "type": [*WHEN["type"], "object"]},
            "when it happened: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DD HH:MM, a range {from: .., to: ..} or {about: ..}",
        ),
        "summary": d(TEXT, "Markdown; [[id]] links to a dossier or source"),
        "claims": d(_list(_ref("claim")), "the facts, each with its sources"),
        "disagreements": d(_list(_ref("verdict")), "the editors' verdicts on disagreements"),
        # claims
        "claim.id": d(ID_SCHEMA, "stable, unique in this file; <dossier>#<id> elsewhere"),
        "claim.property": prop,
        "value": d(
            {"anyOf": [NONBLANK, _ref("number_range"), _ref("date_range")]},
            "typed by the property: a string, a dossier id, a number or {min: .., max: ..}, "
            "a date or {from: .., to: ..}",
        ),
        "text": d(TEXT, "Markdown stating the claim"),
        "sources": d(_list(_ref("citation"), 1), "one or more citations"),
        "note": d(TEXT, "Markdown: the editors' remark"),
        # citations
        "source": d(ID_SCHEMA, "a source id: its file name in sources/ without .md"),
        "quote": d(NONBLANK, "the passage, verbatim (find it with: crossbrief quote SOURCE TEXT)"),
        "said_by": d(TEXT, "who said it, if not the outlet: a dossier id or a short description"),
        "as_of": d(
            {"type": "string", "pattern": _ecma(load._PUBLISHED.pattern)},
            "when the figure was given, if not when the source was published: YYYY-MM-DD, optionally with a time",
        ),
        # verdicts
        "verdict.property": prop,
        "status": d({"type": "string", "enum": list(load.STATUSES)}, "open (the default), explained or settled"),
        "preferred": d(ID_SCHEMA, "the id of the claim the editors judge best supported"),
        "verdict.note": d(TEXT, "Markdown: the verdict's explanation; required unless the status is open"),
        "covers": d(
            {"type": "object", "additionalProperties": {"type": ["string", "number"]}},
            "the claims the verdict was written for, claim id: value as it reads (fill it with: crossbrief confirm "
            "DOSSIER PROPERTY); a claim added, removed or changed since makes the verdict stale (W312)",
        ),
        # sources' front matter
        "title": d(NONBLANK, "the headline"),
        "title_by_editors": d(
            {"type": "boolean"}, "true when the article has no headline and the editors wrote 'title'"
        ),
        "outlet": d(ID_SCHEMA, "the id of the publishing organisation's dossier"),
        "published": d(
            {"type": "string", "pattern": _ecma(load._PUBLISHED.pattern)}, "YYYY-MM-DD, optionally with a time"
        ),
        "author": d({"type": [*TEXT["type"], "array"], "items": NONBLANK}, "a name or a list of names"),
        "url": d({"type": "string", "pattern": _ecma(load._URL.pattern)}, "an http or https address"),
        "via": d(_list(ID_SCHEMA), "ids of the agencies whose copy the article carries"),
        # briefings
        "briefing.title": d(NONBLANK, "the briefing's title"),
        "briefing.date": DATE,
        "key_points": d(_list(NONBLANK), "Markdown with [[id]] and [[dossier#claim]] links"),
        # properties
        "label": d(NONBLANK, "how the property reads on a page"),
        "type": d({"type": "string", "enum": list(PROPERTY_TYPES)}, "the type of the claims' values"),
        "single": d({"type": "boolean"}, "true when a subject has one true value, so that differing claims disagree"),
        "inverse": d(TEXT, "for entity properties, the label on the target's page"),
        "same_origin": d(
            {"type": "boolean"},
            "for entity properties: true when a person holding the relation to an "
            "organisation speaks for it, so that the two count as one origin",
        ),
    }


REQUIRED = {
    "person": ("name",),
    "organisation": ("name",),
    "event": ("name", "date"),
    "claim": ("id", "property", "value", "sources"),
    "citation": ("source", "quote"),
    "verdict": ("property",),
    "source": ("title", "outlet", "published"),
    "briefing": ("title", "date"),
    "property": ("label", "type"),
}


def _object(name: str, fields: tuple[str, ...], shapes: dict[str, dict], required=None) -> dict:
    """A mapping of exactly `fields`; optional ones may be empty (null)."""
    required = REQUIRED[name] if required is None else required
    properties = {}
    for field in fields:
        shape = shapes.get(f"{name}.{field}") or shapes[field]
        properties[field] = shape if field in required else _optional(shape)
    out = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def _definitions(shapes: dict[str, dict]) -> dict:
    verdict = _object("verdict", load.VERDICT_FIELDS, shapes)
    verdict["if"] = {
        "required": ["status"],
        "properties": {"status": {"enum": [s for s in load.STATUSES if s != "open"]}},
    }
    verdict["then"] = {"required": ["note"], "properties": {"note": NONBLANK}}
    return {
        "claim": _object("claim", load.CLAIM_FIELDS, shapes),
        "citation": _object("citation", load.CITATION_FIELDS, shapes),
        "verdict": verdict,
        "date_range": _date_range(),
        "number_range": _number_range(),
    }


def _date_range() -> dict:
    """{from: .., to: ..} with at least one end, or {about: ..} alone."""
    out = _range("from", "to", WHEN, "date")
    end = {k: v for k, v in WHEN.items() if k != "description"}
    out["description"] += "; {about: ..} alone is an approximate date"
    out["properties"]["about"] = _optional(end)
    out["anyOf"].append({"required": ["about"], "properties": {"about": end}, "maxProperties": 1})
    return out


def _number_range() -> dict:
    """{min|more_than: .., max|less_than: ..} with at least one end, or {about: ..} alone."""
    end = {k: v for k, v in NUMBER.items() if k != "description"}
    keys = load.NUMBER_RANGE_FIELDS
    return {
        "type": "object",
        "description": "a number range {min: .., max: ..}; an excluded end is more_than or less_than; "
        "{about: ..} alone is an approximate number",
        "properties": {k: _optional(end) for k in keys},
        "additionalProperties": False,
        "anyOf": [{"required": [k], "properties": {k: end}} for k in keys if k != "about"]
        + [{"required": ["about"], "properties": {"about": end}, "maxProperties": 1}],
        "not": {"anyOf": [{"required": ["min", "more_than"]}, {"required": ["max", "less_than"]}]},
    }


def _document(title: str, body: dict, definitions: dict | None = None) -> dict:
    return {"$schema": DRAFT, "title": title, **body, **({"definitions": definitions} if definitions else {})}


def _shipped_properties() -> dict:
    """The shipped property registry, read as the loader reads it."""
    with tempfile.TemporaryDirectory() as empty:
        return load.load_properties(Path(empty), [])


def schemas() -> dict[str, dict]:
    """Every schema, by name."""
    registry = _shipped_properties()
    shapes = _shapes(sorted(registry))
    out = {}
    for kind, section in DOSSIER_KINDS.items():
        out[kind] = _document(
            f"crossbrief {kind} dossier (briefings/{section}/<id>.yaml)",
            _object(kind, load.DOSSIER_FIELDS[section], shapes),
            _definitions(shapes),
        )
    out["source"] = _document(
        "crossbrief source front matter (sources/<id>.md)", _object("source", load.SOURCE_FIELDS, shapes)
    )
    out["briefing"] = _document(
        "crossbrief briefing (briefings/<id>.yaml)", _object("briefing", load.BRIEFING_FIELDS, shapes)
    )
    new = _object("property", load.PROPERTY_FIELDS, shapes)
    override = _object("property", load.PROPERTY_FIELDS, shapes, required=())
    shipped_ones = {
        pid: {
            "allOf": [{"$ref": "#/definitions/override"}],
            "description": f"shipped: {p.label}, {p.type}{', single' if p.single else ''}",
        }
        for pid, p in registry.items()
    }
    out["properties"] = _document(
        "crossbrief property registry (briefings/properties.yaml)",
        {
            "type": ["object", "null"],
            "description": "property id: its fields; a shipped property may be overridden field by field",
            "properties": shipped_ones,
            "additionalProperties": new,
        },
        {"override": override},
    )
    out["export"] = outputschema.export_schema()
    out["diff"] = outputschema.diff_schema()
    out["coverage"] = outputschema.coverage_schema()
    return out


def dump(schema: dict) -> str:
    """A schema as the shipped file holds it."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(folder: Path) -> list[Path]:
    """Write every schema into `folder` as <name>.json; return the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / f"{name}.json"
        path.write_text(dump(schema), encoding="utf-8")
        written.append(path)
    return written


def shipped(name: str) -> str:
    """The text of a shipped schema."""
    return (SHIPPED / f"{name}.json").read_text(encoding="utf-8")


def _pattern_check() -> None:
    """The patterns must be valid in both dialects (Python here, ECMAScript in editors)."""
    for pattern in (
        ID.pattern,
        values._DATE.pattern,
        values._NUMBER.pattern,
        load._PUBLISHED.pattern,
        load._URL.pattern,
    ):
        re.compile(_ecma(pattern))


if __name__ == "__main__":  # python -m crossbrief.authoring.schema [FOLDER]: regenerate the shipped schemas
    _pattern_check()
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else SHIPPED):
        print(path)

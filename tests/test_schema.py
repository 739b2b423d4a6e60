"""The JSON Schemas: shipped up to date, valid, and in step with what crossbrief loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from crossbrief.authoring import schema
from crossbrief.build import inspect

jsonschema = pytest.importorskip("jsonschema")
yaml_parser = pytest.importorskip("check_jsonschema.parsers.yaml")

# Codes for what a schema can see in one file: missing, misshapen, unknown and malformed fields.
STRUCTURAL = {"E111", "E112", "E113", "E114", "E201", "E208"}
SECTION_SCHEMA = {section: kind for kind, section in schema.DOSSIER_KINDS.items()}


def check_jsonschema(name: str, files: list[Path]) -> subprocess.CompletedProcess:
    """Run the check-jsonschema command on files with a shipped schema."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--color",
            "never",
            "--schemafile",
            str(schema.SHIPPED / f"{name}.json"),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def front_matter(source: Path, out: Path) -> Path:
    """A source's front matter as a YAML file of its own (check-jsonschema reads YAML, not Markdown)."""
    lines = source.read_text("utf-8").split("\n")
    end = lines.index("---", 1)
    path = out / source.parent.parent.name / f"{source.stem}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines[1:end]) + "\n", "utf-8")
    return path


def files_by_schema(root: Path, tmp: Path) -> dict[str, list[Path]]:
    """Every file of a project, under the name of the schema it follows."""
    out: dict[str, list[Path]] = {name: [] for name in schema.NAMES}
    for path in sorted((root / "briefings").glob("*.yaml")):
        out["properties" if path.name == "properties.yaml" else "briefing"].append(path)
    for section, kind in SECTION_SCHEMA.items():
        out[kind].extend(sorted((root / "briefings" / section).glob("*.yaml")))
    out["source"].extend(front_matter(p, tmp) for p in sorted((root / "sources").glob("*.md")))
    return out


def assert_valid(roots: list[Path], tmp: Path) -> int:
    found: dict[str, list[Path]] = {name: [] for name in schema.NAMES}
    for root in roots:
        for name, files in files_by_schema(root, tmp / root.name).items():
            found[name].extend(files)
    for name, files in found.items():
        if files:
            run = check_jsonschema(name, files)
            assert run.returncode == 0, f"{name}: {run.stdout}{run.stderr}"
    return sum(map(len, found.values()))


def test_shipped_schemas_are_the_generated_ones():
    generated = schema.schemas()
    assert set(generated) == set(schema.NAMES)
    assert sorted(p.name for p in schema.SHIPPED.glob("*.json")) == sorted(f"{n}.json" for n in schema.NAMES)
    for name, document in generated.items():
        assert schema.shipped(name) == schema.dump(document), (
            f"run: python -m crossbrief.authoring.schema ({name}.json is stale)"
        )


def test_schemas_follow_the_field_lists():
    from crossbrief import load

    generated = schema.schemas()
    for kind, section in schema.DOSSIER_KINDS.items():
        assert tuple(generated[kind]["properties"]) == load.DOSSIER_FIELDS[section]
    definitions = generated["person"]["definitions"]
    assert tuple(definitions["claim"]["properties"]) == load.CLAIM_FIELDS
    assert tuple(definitions["citation"]["properties"]) == load.CITATION_FIELDS
    assert tuple(definitions["verdict"]["properties"]) == load.VERDICT_FIELDS
    assert tuple(generated["source"]["properties"]) == load.SOURCE_FIELDS
    assert tuple(generated["briefing"]["properties"]) == load.BRIEFING_FIELDS
    assert tuple(generated["properties"]["additionalProperties"]["properties"]) == load.PROPERTY_FIELDS
    assert "age" in generated["properties"]["properties"]


def test_schemas_are_valid_draft_07():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--check-metaschema",
            *map(str, sorted(schema.SHIPPED.glob("*.json"))),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    schema._pattern_check()


def test_fixture_projects_validate(tmp_path):
    roots = [FIXTURES / "minimal", FIXTURES / "full", FIXTURES / "authoring"]
    for root in roots:
        assert not inspect(root).failed(strict=False), root
    assert assert_valid(roots, tmp_path) >= 20


def test_seed_briefing_validates(tmp_path):
    if not any((REPO / "briefings").glob("**/*.yaml")):
        pytest.skip("the seed briefing is not there yet")
    assert assert_valid([REPO], tmp_path) > 0


def test_a_broken_dossier_fails(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("name: Manaf Tlass\naliases: [Manaf Tlas]\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "name: Manaf Tlass\n"
        "nickname: Manaf\n"
        "claims:\n"
        "  - id: Destination Paris\n"
        "    property: destination\n"
        "    value: Paris\n"
    )
    assert check_jsonschema("person", [good]).returncode == 0
    run = check_jsonschema("person", [broken])
    assert run.returncode == 1
    assert f"{broken}::$: Additional properties are not allowed ('nickname' was unexpected)" in run.stdout
    assert f"{broken}::$.claims[0]: 'sources' is a required property" in run.stdout
    assert f"{broken}::$.claims[0].id:" in run.stdout


# (schema, YAML, valid?): each case must get the same answer from the schema and from crossbrief.
BASE_CLAIM = "claims:\n  - id: c\n    property: {p}\n    value: {v}\n    sources: [{{source: s, quote: q}}]\n"
CASES = [
    ("person", "name: Manaf Tlass\n", True),
    ("person", "name: 1984\n", True),
    ("person", "name: Manaf\naliases:\nsummary:\nclaims:\ndisagreements:\n", True),
    ("person", "name: Manaf\nclaims: []\n", True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="age", v="46"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="age", v="'46'"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="age", v="46.5"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="age", v="{min: 47, max: 49}"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="age", v="{min: 11}"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="age", v="{max: 16000, min: null}"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="born", v="1966"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="born", v="1966-05"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="born", v="{from: 1960, to: 1966-05-01}"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="religion", v="NO"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="rank", v="true"), True),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="rank", v="general") + "    text:\n    note: Checked.\n", True),
    (
        "person",
        "name: Manaf\nclaims:\n  - {id: '2', property: rank, value: x, sources: [{source: s, quote: q, said_by: activists}]}\n",
        True,
    ),
    ("person", "name: Manaf\ndisagreements:\n  - {property: age}\n", True),
    ("person", "name: Manaf\ndisagreements:\n  - {property: age, status: open, preferred: a}\n", True),
    ("person", "name: Manaf\ndisagreements:\n  - {property: age, status: settled, note: Both.}\n", True),
    ("person", "aliases: [Manaf]\n", False),
    ("person", "name: ''\n", False),
    ("person", "name: Manaf\nnickname: M\n", False),
    ("person", "name: Manaf\nkind: general\n", False),
    ("person", "name: Manaf\naliases: Manaf Tlas\n", False),
    ("person", "name: Manaf\naliases: ['']\n", False),
    ("person", "name: Manaf\nsummary: [a, b]\n", False),
    ("person", "name: Manaf\nclaims: {id: c}\n", False),
    ("person", "name: Manaf\nclaims:\n  - {id: c, property: rank, value: x}\n", False),
    ("person", "name: Manaf\nclaims:\n  - {id: c, property: rank, value: x, sources: []}\n", False),
    ("person", "name: Manaf\nclaims:\n  - {id: c, property: rank, sources: [{source: s, quote: q}]}\n", False),
    ("person", "name: Manaf\nclaims:\n  - {id: c, property: rank, value: x, sources: [{source: s}]}\n", False),
    (
        "person",
        "name: Manaf\nclaims:\n  - {id: c, property: rank, value: x, sources: [{source: s, quote: q, by: x}]}\n",
        False,
    ),
    (
        "person",
        "name: Manaf\nclaims:\n  - {id: Rank, property: rank, value: x, sources: [{source: s, quote: q}]}\n",
        False,
    ),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="age", v="{min: 47, avg: 48}"), False),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="age", v="{}"), False),
    ("person", "name: Manaf\n" + BASE_CLAIM.format(p="rank", v="[a, b]"), False),
    ("person", "name: Manaf\ndisagreements:\n  - {status: open}\n", False),
    ("person", "name: Manaf\ndisagreements:\n  - {property: age, status: explained}\n", False),
    ("person", "name: Manaf\ndisagreements:\n  - {property: age, status: closed, note: x}\n", False),
    ("organisation", "name: AFP\nkind: news-agency\n", True),
    ("organisation", "name: AFP\ndate: 1835\n", False),
    ("event", "name: Defection\ndate: 2012-07-06\n", True),
    ("event", "name: Defection\ndate: 2012\n", True),
    ("event", "name: Defection\ndate: {from: 2012-07}\n", True),
    ("event", "name: Defection\nkind: defection\ndate: {from: 2012-07-03, to: 2012-07-06}\n", True),
    ("event", "name: Defection\n", False),
    ("event", "name: Defection\ndate: July 2012\n", False),
    ("event", "name: Defection\ndate: {since: 2012}\n", False),
    ("source", "title: T\noutlet: afp\npublished: 2012-07-06\n", True),
    (
        "source",
        "title: T\noutlet: afp\npublished: 2012-07-06 10:30\nauthor: Jo Roe\nurl: https://x.example/a?b=1\nvia: [afp]\n",
        True,
    ),
    ("source", "title: T\noutlet: afp\npublished: 2012-07-06T10:30:00+02:00\nauthor: [Jo Roe, Al Doe]\n", True),
    ("source", "title: T\noutlet: afp\npublished: 2012-07-06\nauthor:\nurl:\nvia:\n", True),
    ("source", "title: T\noutlet: afp\n", False),
    ("source", "title: T\noutlet: afp\npublished: 06/07/2012\n", False),
    ("source", "title: T\noutlet: afp\npublished: 2012-07-06\nurl: ftp://x.example/a\n", False),
    ("source", "title: T\noutlet: afp\npublished: 2012-07-06\nvia: afp\n", False),
    ("source", "title: T\noutlet: afp\npublished: 2012-07-06\nsection: world\n", False),
    ("briefing", "title: T\ndate: 2012-07-06\nsummary: S\nkey_points: [a, '[[b]]']\n", True),
    ("briefing", "title: T\ndate: 2012\n", True),
    ("briefing", "title: T\ndate: July 2012\n", False),
    ("briefing", "title: T\ndate: 2012-07-06\nkey_points: [[a]]\n", False),
    ("briefing", "date: 2012-07-06\n", False),
    ("properties", "strength: {label: Strength, type: number, single: true, inverse: Strength of}\n", True),
    ("properties", "age: {label: Years}\nrank: {single: false}\n", True),
    ("properties", "strength: {label: Strength}\n", False),
    ("properties", "strength: {label: Strength, type: integer}\n", False),
    ("properties", "strength: {label: Strength, type: text, single: 'yes'}\n", False),
    ("properties", "strength: {label: Strength, type: text, plural: true}\n", False),
]
PLACE = {
    "person": "briefings/people/x.yaml",
    "organisation": "briefings/organisations/x.yaml",
    "event": "briefings/events/x.yaml",
    "briefing": "briefings/x.yaml",
    "properties": "briefings/properties.yaml",
}


@pytest.fixture(scope="module")
def validators():
    return {name: jsonschema.Draft7Validator(json.loads(schema.shipped(name))) for name in schema.NAMES}


@pytest.mark.parametrize("name, text, valid", CASES)
def test_schema_and_crossbrief_agree(name, text, valid, validators, tmp_path):
    document = yaml_parser.construct_yaml_implementation().load(text)
    errors = list(validators[name].iter_errors(document))
    assert (not errors) == valid, [e.message for e in errors]

    rel = PLACE.get(name, "sources/x.md")
    path = tmp_path / rel
    path.parent.mkdir(parents=True)
    path.write_text(f"---\n{text}---\nText.\n" if name == "source" else text)
    found = {p.code for p in inspect(tmp_path).problems if p.location.path == rel} & STRUCTURAL
    assert (not found) == valid, found


def test_the_guides_way_to_check_sources_front_matter_with_check_jsonschema_works(project, tmp_path):
    """check-jsonschema reads no Markdown front matter: `crossbrief front-matter` hands it the YAML, as the guide
    says (Commands, Editor support)."""
    root = project("full")
    schema = REPO / "crossbrief/schemas/source.json"
    bad = root / "sources/gazette-2021-03-04.md"
    bad.write_text(bad.read_text().replace("published: 2021-03-04", "published: yesterday", 1))
    loop = (
        'status=0; for f in sources/*.md; do crossbrief front-matter "$f" | '
        f'check-jsonschema --schemafile "{schema}" --force-filetype yaml - || {{ echo "^ in $f"; status=1; }}; done; '
        "exit $status"
    )
    run = subprocess.run(
        ["bash", "-c", loop],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"},
    )
    assert run.returncode == 1
    assert "$.published: 'yesterday' does not match" in run.stdout + run.stderr
    assert "^ in sources/gazette-2021-03-04.md" in run.stdout and "courier" not in run.stdout

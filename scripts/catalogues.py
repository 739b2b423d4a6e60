"""Extract crossbrief's interface strings and bring the shipped catalogues up to date.

    python scripts/catalogues.py            # rewrite crossbrief/locale/*/LC_MESSAGES/crossbrief.po
    python scripts/catalogues.py --check    # exit 1 if a catalogue lacks a string or a translation

Strings are marked in the templates with `_()`/`ngettext()` and in Python with `gettext`, `ngettext`,
`N_` and `phrase` (Fragments.phrase). A new string lands in each catalogue untranslated (tests/test_i18n.py
fails until it is translated); a string no longer used is dropped.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent.parent / "crossbrief"
LOCALE = PACKAGE / "locale"
KEYWORDS = {**DEFAULT_KEYWORDS, "phrase": None}
METHODS = [("**.py", "python"), ("templates/**.j2", "jinja2")]
OPTIONS = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}


def template() -> Catalog:
    """Every string crossbrief writes, with where it is used."""
    catalog = Catalog(project="crossbrief", domain="crossbrief")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), METHODS, keywords=KEYWORDS, options_map=OPTIONS
    ):
        catalog.add(message, None, [(f"crossbrief/{filename}", lineno)], auto_comments=comments, context=context)
    # the shipped properties' labels, which the pages show translated (a project's own labels are its own words)
    properties = yaml.safe_load((PACKAGE / "data" / "properties.yaml").read_text("utf-8"))
    for key, prop in properties.items():
        for field in ("label", "inverse"):
            if prop.get(field):
                catalog.add(
                    prop[field],
                    None,
                    [("crossbrief/data/properties.yaml", 0)],
                    auto_comments=[f"property {key}: {field}"],
                )
    return catalog


def updated(code: str, pot: Catalog) -> tuple[str, list[str]]:
    """A language's catalogue brought up to date with `pot`, and the strings it lacks a translation of."""
    path = LOCALE / code / "LC_MESSAGES" / "crossbrief.po"
    if path.is_file():
        with path.open("rb") as f:
            catalog = read_po(f, locale=code, domain="crossbrief")
    else:
        catalog = Catalog(locale=code, project="crossbrief", domain="crossbrief")
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    missing = [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and not _translated(m)]
    out = io.BytesIO()
    write_po(out, catalog, width=120, omit_header=False, sort_output=True, no_location=True)
    return out.getvalue().decode("utf-8"), missing


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(strings) and not message.fuzzy


def main(argv: list[str]) -> int:
    pot = template()
    stale = False
    for path in sorted(LOCALE.iterdir()):
        text, missing = updated(path.name, pot)
        po = path / "LC_MESSAGES" / "crossbrief.po"
        if "--check" in argv:
            if missing or not po.is_file() or _body(po.read_text("utf-8")) != _body(text):
                print(f"{po}: out of date; {len(missing)} untranslated: {missing[:5]}", file=sys.stderr)
                stale = True
        else:
            po.parent.mkdir(parents=True, exist_ok=True)
            po.write_text(text, "utf-8")
            print(f"{po}: {len(missing)} untranslated")
    return 1 if stale else 0


def _body(text: str) -> str:
    """A catalogue without its header's dates."""
    return "\n".join(line for line in text.splitlines() if "-Date:" not in line)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

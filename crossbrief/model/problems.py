"""Problems found in a project, and how they print."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
NOTE = "note"

# Every code crossbrief can report. The user guide (guide/docs/diagnostics.md) lists them; a test keeps the two in step.
CODES: dict[str, str] = {
    "E101": "YAML or front matter syntax error",
    "E102": "YAML feature refused: tags, anchors and aliases",
    "E103": "duplicate key in a mapping",
    "E104": "file too large or nested too deeply",
    "E105": "file unreadable: not UTF-8, a symlink, or not a regular file",
    "E111": "required field missing or empty, or a [caption] marker with no caption",
    "E112": "field of the wrong shape (mapping, list or string expected)",
    "E113": "unknown field",
    "E114": "malformed field value (date, URL, boolean, status)",
    "E115": "name or alias longer than 1,000 characters, or quote longer than 5,000",
    "E116": "control character (DEL, C1, or C0 other than tab and line feed) in a text field or an article's text: refused, not removed",
    "E201": "invalid id (file name, claim id or property id)",
    "E202": "the same id used twice, also by case or Unicode normalisation",
    "E203": "quote not found in its source",
    "E204": "two claims with one id in a dossier",
    "E205": "unknown source, or a source reference that is not a valid id",
    "E206": "unknown dossier (outlet, agency, said_by id), or a reference that is not a valid id",
    "E207": "unknown property",
    "E208": "value of the wrong type for its property, or an entity value naming no dossier",
    "E209": "link to an unknown dossier, source or claim, or to an invalid id",
    "E210": "verdict refers to a claim that is not on its property",
    "E211": "output directory inside briefings/ or sources/, or over the project",
    "E212": "the site could not be built (MkDocs failed, or the docs folder holds other files)",
    "E213": "a template could not be compiled or failed while rendering (a print template: any Typst error, a file outside templates/print/, a package import)",
    "E214": "output folder (docs, site, build, schemas) that is a symlink, holds one, or is outside the project: nothing is written or removed there",
    "E215": "id reserved for a generated page (index): a dossier or source by that name would replace its folder's list",
    "E216": "output could not be written: a file where a folder goes, a read-only folder or file system, a full disk",
    "E217": "a citation's as_of after its source was published: a figure cannot be dated after the article reporting it",
    "W301": "verdict on a property with no disagreement",
    "W302": "dossier that nothing cites, links or mentions",
    "W303": "open disagreement with no verdict (reported under --strict)",
    "W310": "one origin holds incompatible values that no date orders: a self-contradiction, a misquote or an undated change of account, not acknowledged by a confirmed verdict",
    "W311": "quote too short to carry a claim (fewer than 3 words)",
    "W312": "verdict written for other claims: one added, removed or changed value since; re-confirm it",
    "W306": "Typst warned while laying out the print briefing (an unknown font, a label or a reference it could not resolve)",
    "W321": "placeholder text from `crossbrief init` left in a briefing's summary or key points: never printed",
    "W305": "file under briefings/ or sources/ that crossbrief does not read (x.yml, a misspelt or nested folder); hidden files are passed over",
}

# Notes: what `crossbrief coverage` finds the briefing has not covered. A note never fails a run, not even
# under --strict; the user guide lists them in a table of their own.
NOTES: dict[str, str] = {
    "N401": "a sentence naming a dossier and stating a figure, a date, a time, a known place or who said what, that no citation quotes",
    "N402": "an uncovered sentence giving a value that conflicts with a claim on that property: a candidate conflict",
    "N403": "an uncovered sentence giving a value that agrees with a claim: it would corroborate it",
    "N404": "claims on related properties (a state's start, another state, a dated activity) that no check compares",
}


@dataclass(frozen=True, order=True)
class Location:
    """A place in a project file; line and column count from 1."""

    path: str
    """File path relative to the project root, with forward slashes."""
    line: int = 0
    """Line number, 0 when the problem concerns the whole file."""
    column: int = 0
    """Column number, 0 when unknown."""

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"

    def shifted(self, lines: int, column: int) -> Location:
        """The location `lines` further down, at `column` (or this column on the same line)."""
        if lines == 0:
            return Location(self.path, self.line, self.column + column)
        return Location(self.path, self.line + lines, column)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the project."""

    location: Location
    """Where the problem is."""
    code: str
    """Stable code, a key of CODES."""
    message: str
    """What is wrong, in one line."""
    hint: str = ""
    """How to fix it, or what was probably meant; may be empty."""
    subject: str = field(default="", compare=False)
    """What the problem is about when its message quotes values that change (W310: `dossier:property:origin`):
    the review diff keys it by this rather than by its message; empty for most problems."""

    @property
    def severity(self) -> str:
        """`error`, `warning` or `note`, from the code's letter."""
        return {"W": WARNING, "N": NOTE}.get(self.code[:1], ERROR)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}[{self.code}]: {self.message}"
        return _visible(text + (f"\n    hint: {self.hint}" if self.hint else ""))


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    """A diagnostic that quotes a file's text shows its control characters as escapes: raw, they would
    move the cursor, recolour or retitle the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def is_failure(problems: Iterable[Problem], strict: bool) -> bool:
    """Whether these problems make a run fail: any error, or any warning under --strict (never a note)."""
    return any(p.severity == ERROR or (strict and p.severity == WARNING) for p in problems)


def report(problems: Iterable[Problem], files: int) -> str:
    """Problems sorted by place, then a one-line count, as a compiler prints them."""
    ordered = sorted(set(problems))
    errors = sum(p.severity == ERROR for p in ordered)
    notes = sum(p.severity == NOTE for p in ordered)
    warnings = len(ordered) - errors - notes
    lines = [str(p) for p in ordered]
    noted = f", {_plural(notes, 'note')}" if notes else ""
    counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}{noted} in {_plural(files, 'file')}"
    return "\n".join([*lines, counts]) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"

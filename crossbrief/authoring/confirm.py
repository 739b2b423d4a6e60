"""`crossbrief confirm DOSSIER PROPERTY`: record in the editors' verdict on a disagreement the claims it
was written for (`covers`), so that a claim added, removed or changed later makes it stale (W312).

The verdict's file is rewritten as `fmt` would (ruamel.yaml round trip, comments kept), with `covers`
set to the property's claims as they are now, each claim id with its value as it reads.
"""

from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from crossbrief import analyse, load
from crossbrief.infra.write import atomic
from crossbrief.load.projectfiles import read_file
from crossbrief.load.yamltree import parse
from crossbrief.model import SECTIONS
from crossbrief.model.links import closest_id
from crossbrief.model.problems import ERROR, Problem
from crossbrief.review import fmt


class ConfirmError(Exception):
    """The verdict cannot be confirmed; nothing was written. `problems`: what is wrong with its file."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()):
        super().__init__(message)
        self.problems = problems


def confirm(root: str | Path, dossier_id: str, prop: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Write the verdict's `covers`; returns the file changed and what it now covers."""
    root = Path(root)
    rel = next(
        (
            f"briefings/{s}/{dossier_id}.yaml"
            for s in SECTIONS
            if (root / "briefings" / s / f"{dossier_id}.yaml").is_file()
        ),
        None,
    )
    if rel is None:
        known = [p.stem for s in SECTIONS for p in (root / "briefings" / s).glob("*.yaml")]
        raise ConfirmError(f"no dossier '{dossier_id}' in briefings/" + _meant(dossier_id, known))
    problems: list = []
    text = read_file(root, rel, problems)
    dossier = load.load_dossier(rel, text, load.load_properties(root, problems)) if text is not None else None
    # what the loader refuses in the YAML itself (a duplicate key), ruamel would refuse, or read otherwise
    errors = tuple(sorted({*problems, *(parse(text, rel)[1] if text is not None else ())}))
    if dossier is None or any(p.severity == ERROR for p in errors):
        raise ConfirmError(f"{rel} cannot be read: fix it first", errors)
    covers = analyse.covered(dossier, prop)
    y = fmt._yaml()
    data = y.load(text)
    verdict = next(
        (v for v in data.get("disagreements") or () if isinstance(v, dict) and str(v.get("property")) == prop), None
    )
    if verdict is None:
        verdicts = [str(v.get("property")) for v in data.get("disagreements") or () if isinstance(v, dict)]
        meant = _meant(prop, verdicts)
        raise ConfirmError(f"{rel} has no verdict on '{prop}'" + (meant or ": write one under disagreements: first"))
    verdict["covers"] = CommentedMap(covers)
    out = io.StringIO()
    y.dump(data, out)
    try:
        formatted = fmt.format_file(rel, out.getvalue())
    except fmt.FormatError as e:
        raise ConfirmError(f"{rel}: {e}") from None
    path = root / rel
    atomic(path, formatted.encode("utf-8"), path.stat().st_mode & 0o7777)
    return rel, covers


def _meant(word: str, known) -> str:
    """ "; did you mean 'x'?" for the known id closest to a mistyped one, as `quote` says it; "" if none is close."""
    close = closest_id(word, known)
    return f"; did you mean '{close}'?" if close else ""

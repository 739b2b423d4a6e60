"""The package's folders are the pipeline: each imports only from the layers below it (CONTRIBUTING, Where things are)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "crossbrief"
LAYERS = [
    {"model"},
    {"infra"},
    {"load"},
    {"analyse"},
    {"check"},
    {"review"},
    {"site"},
    {"pdf"},
    {"build", "export"},
    {"plugin", "authoring"},
    {"cli"},
    {"__main__"},
]
"""From the bottom up; `__init__` (the version) is below them all."""


def layer(part: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if part in names)


def imports(path: Path) -> set[str]:
    """The first part under crossbrief of every crossbrief module `path` imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "crossbrief":
            parts = node.module.split(".")
            found.update([parts[1]] if len(parts) > 1 else [alias.name for alias in node.names])
    return found - {"__version__"}


def test_every_module_is_in_a_layer():
    parts = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in PACKAGE.rglob("*.py")} - {"__init__"}
    assert parts == set().union(*LAYERS)


def test_no_module_imports_from_a_layer_above_its_own():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if own == "__init__":
            continue
        upward += [
            f"{path.relative_to(PACKAGE)} imports {other}" for other in imports(path) if layer(other) > layer(own)
        ]
    assert upward == []

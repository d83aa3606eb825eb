"""The tree is the pipeline: a stage imports only earlier stages (and shared modules)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefing"
ORDER = ["config", "ingest", "compute", "translate", "render", "deliver", "cli"]
SHARED = {
    "errors",
    "model",
    "loss_basis",
    "periods",
    "textfiles",
    "formats",
    "atomic",
    "formatting",
    "__init__",
    "__main__",
}


def stage_of(module: str) -> str | None:
    """`briefing.compute.slo` -> "compute"; shared modules and the pipeline recipe -> None."""
    parts = module.split(".")
    if parts[0] != "briefing" or len(parts) < 2:
        return None
    head = parts[1]
    return head if head in ORDER else None


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_no_stage_reaches_forward() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        own = stage_of(".".join(relative.parts))
        if own is None:
            continue
        for module in imports(path):
            other = stage_of(module)
            if other is not None and ORDER.index(other) > ORDER.index(own):
                problems.append(f"{relative}: imports {module} ({other} comes after {own})")
    assert problems == []


def test_shared_modules_import_no_stage() -> None:
    for name in SHARED - {"__init__", "__main__"}:
        for module in imports(PACKAGE / f"{name}.py"):
            assert stage_of(module) in (None, "config"), f"{name}.py imports {module}"

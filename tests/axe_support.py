"""axe-core (the npm package) in a Playwright page: the accessibility checks of the browser tests.

.ci/run installs the pinned axe-core with npm into a cache folder and names its
`axe.min.js` in `BRIEFING_AXE_JS`: where that variable is set, a missing file fails the
test that needs it (CI never skips these checks). Without the variable, the default
folder below is used, and a machine that has Chromium but not axe-core skips them with
the command that installs it, as a machine without Chromium skips the browser tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

AXE_VERSION = "4.11.1"
NPM_PREFIX = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "briefing-npm"
DEFAULT_AXE = NPM_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_script() -> str:
    named = os.environ.get("BRIEFING_AXE_JS")
    path = Path(named) if named else DEFAULT_AXE
    if not path.is_file():
        message = (
            f"axe-core not found at {path}: run "
            f"`npm install --prefix {NPM_PREFIX} axe-core@{AXE_VERSION}` (as .ci/run does), "
            "or set BRIEFING_AXE_JS to its axe.min.js"
        )
        if named:
            pytest.fail(message)
        pytest.skip(message)
    return path.read_text(encoding="utf-8")


def violations(page: Any, script: str) -> list[dict[str, Any]]:
    """axe's serious and critical violations of the page as loaded (rule, impact, nodes)."""
    page.add_script_tag(content=script)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", "")[:300] if v["nodes"] else "",
        }
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]

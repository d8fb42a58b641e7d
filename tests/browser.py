"""Driving Debian's Chromium through Playwright, and running axe-core in the page.

Never ``playwright install``: the browser is the system's ``/usr/bin/chromium`` (installed by
``.ci/run``), found through ``executable_path``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"
MODES = {"normal": [], "large": ["large"], "xlarge": ["xlarge"], "contrast": ["contrast"]}
"""Reading modes as site.js stores them in localStorage."""
STORAGE_KEY = "gkml-modes"
WIDTHS = {"desktop": 1280, "phone": 375}


def mode_script(mode: str) -> str:
    """An init script that makes a new page start in a remembered reading mode, as site.js would."""
    return f"window.localStorage.setItem({json.dumps(STORAGE_KEY)}, {json.dumps(json.dumps(MODES[mode]))});"


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the current page, for the WCAG 2.0–2.2 A/AA and best-practice rules."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = Axe().run(page, options=options)
    violations: list[dict[str, Any]] = result.response["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per failing element: rule, impact and the selector, for a readable assertion message."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(f"{violation['id']} [{violation['impact']}] {node['target']}: {node['failureSummary']}")
    return "\n".join(lines)


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the window (0 = no horizontal scrolling)."""
    width: int = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return width

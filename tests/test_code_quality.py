"""The engine stays typed, linted and in small modules (see docs/style notes in the README)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True)


def test_mypy_strict_is_clean():
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean():
    result = run("ruff", "check", "disclosure_site", "benchmarks", "tests", "build.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_stays_under_400_lines():
    sizes = {p.relative_to(REPO).as_posix(): len(p.read_text().splitlines())
             for folder in ("disclosure_site", "benchmarks") for p in (REPO / folder).rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}

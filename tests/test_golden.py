"""Golden test: a small whole site is built and compared file by file with committed output.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-goldens`` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from disclosure_site import pipeline

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "catalog.yaml").is_file())


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_site_matches_golden_output(case, tmp_path, request):
    root = GOLDEN / case
    out = tmp_path / "site"
    # Pagefind's binary index belongs to Pagefind's version and the git history to this repository's commits;
    # both have tests of their own.
    outcome = pipeline.build(root, out, dt.date(2024, 6, 1), search=False, history=False)
    assert [d.format() for d in outcome.report] == []
    expected_dir = root / "expected"
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    built, expected = tree(out), tree(expected_dir)
    assert sorted(built) == sorted(expected)
    for path, data in built.items():
        assert data.decode("utf-8", "replace") == expected[path].decode("utf-8", "replace"), path

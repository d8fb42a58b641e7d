"""The README documents every key and rule, and the shipped demo site builds cleanly."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import REPO

from disclosure_site import pipeline
from disclosure_site.core.diagnostics import Severity
from disclosure_site.core.schema import specs
from disclosure_site.model import types as entry_types

README = (REPO / "README.md").read_text(encoding="utf-8")
EDITING = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
SEED = REPO.parent / "shared" / "seed" / "000_21526749a7a3a44f.txt"


def all_codes() -> set[str]:
    # serve*.py hold WSGI environment keys (PATH_INFO …), not rule codes
    source = "\n".join(p.read_text() for p in (REPO / "disclosure_site").rglob("*.py") if not p.name.startswith("serve"))
    return set(re.findall(r'"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{5,})"', source)) - {"UTF-8"}


def test_editing_guide_lists_every_front_matter_key_with_its_alias():
    for model in entry_types.MODELS.values():
        for spec in specs(model):
            assert f"`{spec.name}` [{spec.alias}]" in EDITING, spec.label


def test_editing_guide_explains_every_rule_code():
    missing = sorted(code for code in all_codes() if f"`{code}`" not in EDITING)
    assert missing == []


def test_editing_guide_marks_every_calendar_finding():
    from disclosure_site.core.diagnostics import CALENDAR_RULES

    rows = {line.split("`")[1]: line for line in EDITING.splitlines() if line.startswith("| `")}
    assert sorted(code for code in CALENDAR_RULES if "全站提醒" not in rows.get(code, "")) == []
    assert sorted(code for code, row in rows.items() if "全站提醒" in row and code not in CALENDAR_RULES) == []


def test_readme_links_the_editing_guide():
    assert "(docs/editing.md)" in README


def test_readme_starts_with_the_two_commands():
    commands = re.findall(r"^([^#\s`].+)$", README.split("```sh")[1].split("```")[0], flags=re.M)
    assert commands == ["python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/python build.py serve", "./.ci/run"]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == ".venv/bin/python -m pytest", "the test command runs the whole suite"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "site"
    outcome = pipeline.build(REPO, out, dt.date(2026, 11, 26), strict=True)
    return outcome, out


def test_demo_passes_strict_build(demo):
    outcome, _ = demo
    # the scheduled 2027 example lies beyond the holiday data, which is announced as a notice
    assert [d.format() for d in outcome.report if d.severity is not Severity.NOTICE] == []
    assert outcome.files > 80


def test_demo_has_three_entries_in_every_column_and_key_area(demo):
    outcome, _ = demo
    cat = outcome.catalogue
    for column in cat.config.all_columns():
        own = [e for e in cat.published if e.column_path == column.path]
        assert column.children or len(own) >= 3, column.path_text
    for area in cat.config.key_areas:
        assert len(cat.in_key_area(area.id)) >= 3, area.id


def test_demo_withholds_its_examples(demo):
    outcome, out = demo
    statuses = {e.meta.title: e for e in outcome.catalogue.entries if e not in outcome.catalogue.published}
    markers = ("依申请公开示例", "不予公开示例", "草稿示例", "定时发布示例")
    assert all(any(m in t for t in statuses) for m in markers)
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_bytes()
            assert not any(m.encode() in text for m in markers), path


def test_demo_seed_policy_is_published_in_full_with_its_interpretation(demo):
    _, out = demo
    records = json.loads((out / "catalogue.json").read_text())
    [seed] = [r for r in records if r["doc_no"] == "汕环〔2018〕429号"]
    assert seed["published"] == "2018-08-08" and seed["written"] == "2018-08-08" and seed["department"] == "办公室"
    [interpretation] = [r for r in records if r["interprets"] == seed["index_no"]]
    assert seed["interpretations"] == [interpretation["index_no"]]
    assert interpretation["published"] == "2018-08-08"
    page = (out / seed["path"]).read_text()
    # The page shows the document as on paper: its 版头 (organ mark, 文号, title) made from the metadata, and, after
    # the 信息索引, the body from the 主送 on; the seed's first sentence runs from the one into the other.
    head = page.split('<header class="gw-head">')[1].split("</header>")[0]
    assert "汕尾市环境保护局文件" in head and "汕环〔2018〕429号" in head
    han = "".join(re.findall(r"[\u4e00-\u9fff]", head + page.split('<div class="body" id="body"')[1]))
    if SEED.is_file():  # every sentence of the seed, compared on its Chinese characters
        for sentence in re.split(r"[。；]", SEED.read_text(encoding="utf-8")):
            words = "".join(re.findall(r"[\u4e00-\u9fff]", sentence))
            assert words in han, sentence
    assert f'href="{Path(interpretation["path"]).name}"' in page

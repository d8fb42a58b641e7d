"""The Decap CMS configuration is generated from catalog.yaml and the models, so the forms follow the contract."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from disclosure_site.app import cms
from disclosure_site.app.cms_config import Backend, decap_config, field_docs
from disclosure_site.cli import main
from disclosure_site.core import values as v
from disclosure_site.core.schema import specs
from disclosure_site.model.entry import DISCLOSURES
from disclosure_site.model.types import MODELS

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    config = cms.load_config(REPO)
    return {"config": config, "decap": decap_config(config, Backend(), "ORG/2026-00001")}


def _fields(decap: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    collection = next(c for c in decap["collections"] if c["name"] == name)
    return {f["name"]: f for f in collection["fields"]}


def test_every_column_has_its_own_folder_collection(demo: dict[str, Any]) -> None:
    folders = [c["folder"] for c in demo["decap"]["collections"]]
    expected = [f"content/{column.path_text}" for column in demo["config"].all_columns()]
    assert folders == expected
    assert any(column.parent for column in demo["config"].all_columns()), "the demo has sub-columns"
    assert len({c["name"] for c in demo["decap"]["collections"]}) == len(folders)


def test_every_model_key_has_a_field_with_label_hint_and_required(demo: dict[str, Any]) -> None:
    for collection in demo["decap"]["collections"]:
        column = next(c for c in demo["config"].all_columns() if f"content/{c.path_text}" == collection["folder"])
        fields = {f["name"]: f for f in collection["fields"]}
        for spec in specs(MODELS[column.type]):
            field = fields[spec.name]
            assert field["label"] == (spec.alias or spec.name)
            assert field["required"] is spec.required
            assert field["hint"], spec.name
        assert collection["fields"][-1] == {**collection["fields"][-1], "name": "body", "widget": "markdown",
                                            "modes": ["raw"]}
        assert "表单不含这些键" not in collection["description"], collection["name"]


def test_the_annual_reports_typed_tables_are_grids_in_the_official_order(demo: dict[str, Any]) -> None:
    from disclosure_site.model.annual_report import APPLICANT_COLUMNS, APPLICATION_ROWS, REVIEW_COLUMNS, REVIEW_ROWS

    fields = _fields(demo["decap"], "annual-reports")
    assert fields["applications"] | {"widget": "report_table", "columns": list(APPLICANT_COLUMNS)} == fields["applications"]
    assert fields["applications"]["rows"] == [list(row) for row in APPLICATION_ROWS]
    assert len(fields["applications"]["rows"]) == 25
    assert fields["reviews"]["rows"] == [["行政复议"], ["行政诉讼", "未经复议直接起诉"], ["行政诉讼", "复议后起诉"]]
    assert fields["reviews"]["columns"] == list(REVIEW_COLUMNS) and len(REVIEW_ROWS) == 3
    assert fields["fees"] | {"widget": "number", "value_type": "float", "min": 0} == fields["fees"]


def _all_fields(fields: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for field in fields:
        yield field
        yield from _all_fields(field.get("fields", []))


def test_every_hint_is_chinese_for_the_editors(demo: dict[str, Any]) -> None:
    """Editors read Chinese: no field of any form explains itself in English (the docstrings are the developers')."""
    english = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
    for collection in demo["decap"]["collections"]:
        for field in _all_fields(collection["fields"]):
            assert re.search(r"[\u4e00-\u9fff]", field["hint"]), (collection["name"], field["name"], field["hint"])
            assert not english.search(field["hint"]), (collection["name"], field["name"], field["hint"])
    attachments = _fields(demo["decap"], "documents_normative")["attachments"]
    assert attachments["hint"] == "逐个添加：选择或上传文件，并写链接文字"  # the form's words, not the YAML note
    assert {f["name"]: f["hint"] for f in attachments["fields"]}["file"] == "相对本文件的路径，文件须在 content/ 之内"


def test_hints_come_from_field_docstrings() -> None:
    docs = field_docs(MODELS["document"])
    assert "谁起草谁解读" in docs["department"]
    assert docs["title"].startswith("名称")  # inherited from EntryMeta


def test_selects_carry_the_vocabularies(demo: dict[str, Any]) -> None:
    config = demo["config"]
    fields = _fields(demo["decap"], "documents_normative")
    assert fields["department"]["widget"] == "select"
    assert fields["department"]["options"] == list(config.departments)
    assert fields["topic"]["options"] == list(config.topics)
    assert fields["key_areas"]["multiple"] is True
    assert [o["value"] for o in fields["key_areas"]["options"]] == [a.id for a in config.key_areas]
    assert fields["disclosure"]["options"] == list(DISCLOSURES)
    assert fields["disclosure"]["default"] == "主动公开"
    assert fields["validity"]["options"] == ["有效", "失效", "废止"]
    assert fields["policy"] == {**fields["policy"], "widget": "boolean", "default": False}
    assert fields["withhold_reason"]["hint"] == "依申请公开或不予公开时必填，写明依据条例哪一条"
    # The admin's own widgets (admin/widgets.js): the reason is shown only while 公开属性 is not 主动公开.
    assert (fields["disclosure"]["widget"], fields["withhold_reason"]["widget"]) == ("disclosure", "string")
    assert fields["disclosure"]["withheld_only"] == ["withhold_reason", "review"]
    interpretation = _fields(demo["decap"], "interpretations")
    assert interpretation["form"]["options"][0] == "文字解读"


def test_lists_and_objects_nest_their_keys(demo: dict[str, Any]) -> None:
    fields = _fields(demo["decap"], "documents_normative")
    attachments = fields["attachments"]
    assert attachments["widget"] == "list"
    assert [(f["name"], f["widget"]) for f in attachments["fields"]] == [("file", "file"), ("title", "string")]
    media = _fields(demo["decap"], "interpretations")["media"]
    assert media["widget"] == "object"
    assert {f["name"]: f["widget"] for f in media["fields"]}["transcript"] == "file"
    leaders = _fields(demo["decap"], "organization")["leaders"]
    assert [f["name"] for f in leaders["fields"]] == ["name", "post", "duties"]
    data = next(_fields(demo["decap"], c["name"])["data"] for c in demo["decap"]["collections"]
                if any(f["name"] == "data" for f in c["fields"]))
    columns = {f["name"]: f for f in data["fields"]}["columns"]
    assert {f["name"]: f for f in columns["fields"]}["type"]["options"] == ["文本", "整数", "小数", "日期"]
    assert fields["keywords"]["widget"] == "list" and "fields" not in fields["keywords"]


def test_task_forms_have_step_and_progress_lists_and_a_status_select(demo: dict[str, Any]) -> None:
    for name in ("execution", "execution_reforms", "execution_projects"):
        fields = _fields(demo["decap"], name)
        assert fields["status"] | {"widget": "select", "options": ["未启动", "推进中", "已完成", "已延期"],
                                   "required": True, "label": "进展状态"} == fields["status"]
        for key, label, second in (("steps", "实施步骤", ("content", "内容")), ("progress", "进展情况", ("note", "说明"))):
            assert fields[key]["widget"] == "list" and fields[key]["label"] == label
            assert [(f["name"], f["label"], f["widget"], f["required"]) for f in fields[key]["fields"]] == [
                ("date", "日期", "datetime", True), (*second, "string", True)]
            assert fields[key]["fields"][0]["format"] == "YYYY-MM-DD"
        assert fields["due"] | {"widget": "datetime", "format": "YYYY-MM-DD", "label": "计划完成时间"} == fields["due"]
        assert fields["department"]["required"] is True and fields["department"]["widget"] == "select"
        assert (fields["measures"]["widget"], fields["supervision"]["widget"]) == ("string", "string")
    # implements is a key of every entry: the report columns' forms carry it too
    report = _fields(demo["decap"], "execution_results")["implements"]
    assert report | {"widget": "string", "label": "落实对象", "required": False} == report
    assert "索引号" in report["hint"]


def test_list_fields(demo: dict[str, Any]) -> None:
    """A 公共清单: its CSV is picked or uploaded, its columns nest like a dataset's (with 必填), and rows written in
    front matter, whose keys are the list's own column names, stay in the file as the description says."""
    collection = next(c for c in demo["decap"]["collections"] if c["folder"] == "content/lists")
    fields = {f["name"]: f for f in collection["fields"]}
    assert fields["file"] == {**fields["file"], "widget": "file", "label": "清单文件", "required": False}
    assert fields["version"] == {**fields["version"], "widget": "string", "label": "版本", "required": True}
    assert fields["basis_column"] == {**fields["basis_column"], "widget": "string", "label": "依据字段", "required": False}
    assert "设定依据" in fields["basis_column"]["hint"]
    assert fields["adjusted"]["widget"] == "datetime" and fields["adjusted"]["format"] == "YYYY-MM-DD"
    assert fields["kind"]["options"] == ["市场准入负面清单", "行政许可中介服务事项清单", "证照证明材料清单", "其他清单"]
    assert fields["replaces"]["widget"] == "string" and fields["replaces"]["label"] == "替代版本"
    columns = {f["name"]: f for f in fields["columns"]["fields"]}
    assert fields["columns"]["widget"] == "list_columns" and fields["columns"]["required"] is True
    assert columns["required"] == {**columns["required"], "widget": "boolean", "label": "必填", "default": False}
    # rows are keyed by each list's own column names: the admin's grid follows the 字段 list as it changes
    assert fields["rows"] | {"widget": "list_rows", "columns_field": "columns", "required": False} == fields["rows"]
    assert fields["columns"]["widget"] == "list_columns"


def test_dates_are_stored_exactly_as_check_accepts(demo: dict[str, Any]) -> None:
    fields = _fields(demo["decap"], "documents_normative")
    assert fields["written"] | {"format": "YYYY-MM-DD", "time_format": False} == fields["written"]
    assert fields["published"] | {"format": "YYYY-MM-DD HH:mm", "time_format": "HH:mm"} == fields["published"]
    # day.js tokens rendered for a sample moment must be what the checker reads back.
    sample = "2026-12-06 09:30"
    assert v.moment(sample, v.Vocabulary()).text() == sample
    assert re.fullmatch(r"YYYY-MM-DD( HH:mm)?", fields["published"]["format"])


def test_index_no_proposes_the_next_free_number_and_checks_the_pattern(demo: dict[str, Any]) -> None:
    field = _fields(demo["decap"], "news")["index_no"]
    assert field["default"] == "ORG/2026-00001"
    org = demo["config"].site.org_code
    assert re.fullmatch(field["pattern"][0], f"{org}/2026-00001")
    assert not re.fullmatch(field["pattern"][0], f"{org}/2026-1")
    assert cms.next_index_no(REPO, demo["config"], TODAY) != f"{org}/2026-00001"
    assert field["widget"] == "index_no" and "proposal_url" not in field


def test_index_no_asks_edit_for_a_fresh_number_instead_of_a_fixed_default(demo: dict[str, Any]) -> None:
    decap = decap_config(demo["config"], Backend(proposal_url="next-index-no"), "ORG/2026-00001")
    field = _fields(decap, "news")["index_no"]
    assert field["proposal_url"] == "next-index-no" and "default" not in field
    assert "自动填入下一个空闲索引号" in field["hint"]


@pytest.mark.parametrize("name, expected", [
    ("gitlab", {"name": "gitlab", "auth_type": "pkce", "api_root": "https://git.example/api/v4"}),
    ("gitea", {"name": "gitea", "auth_type": "pkce", "api_root": "https://git.example/api/v1"}),
    ("github", {"name": "github", "base_url": "https://git.example"}),
])
def test_backends(demo: dict[str, Any], name: str, expected: dict[str, str]) -> None:
    decap = decap_config(demo["config"], Backend(name, "b/s", "main", "https://git.example/"))
    assert decap["backend"] | expected == decap["backend"]
    assert decap["locale"] == "zh_Hans"
    assert decap["local_backend"]["url"].startswith("http://127.0.0.1:")
    assert ("publish_mode" in decap) is (name != "gitea")  # Decap's gitea backend has no editorial workflow


def test_cms_command_writes_a_self_contained_admin(tmp_path: Path, make_site: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "dist"
    bundle.mkdir()
    for name in ("decap-cms.js", "12.decap-cms.js", "x.wasm", "decap-cms.js.map", "cms.js"):
        (bundle / name).write_text("//", encoding="utf-8")
    monkeypatch.setattr(cms, "bundle_folder", lambda: bundle)
    site = make_site()
    out = tmp_path / "admin"
    assert main(["--root", str(site.root), "--today", "2026-12-06", "--quiet", "cms", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["12.decap-cms.js", "config.yml", "decap-cms.js",
                                                     "index.html", "widgets.js", "x.wasm"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'src="decap-cms.js"' in html and "http" not in html  # nothing from a CDN
    assert html.index('src="decap-cms.js"') < html.index('src="widgets.js"')  # registered before the CMS starts
    widgets = (out / "widgets.js").read_text(encoding="utf-8")
    assert all(f'registerWidget("{name}"' in widgets
               for name in ("disclosure", "index_no", "report_table", "list_columns", "list_rows"))
    assert yaml.safe_load((out / "config.yml").read_text(encoding="utf-8"))["collections"]


def test_cms_command_refuses_the_public_output(make_site: Any, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site()
    assert main(["--root", str(site.root), "cms", "--out", str(site.root / "site" / "admin")]) == 2
    assert "公开网站" in capsys.readouterr().err


def test_the_review_and_the_speaker_have_their_fields(demo: dict[str, Any]) -> None:
    review = _fields(demo["decap"], "documents_other")["review"]
    assert (review["label"], review["widget"], review["required"]) == ("公开审查", "object", False)
    nested = {f["name"]: f for f in review["fields"]}
    assert [(f["label"], f["widget"]) for f in review["fields"]] == [
        ("审查机构", "string"), ("审查日期", "datetime"), ("审查意见", "text")]
    assert nested["date"]["format"] == "YYYY-MM-DD"
    # the office is named, never defaulted: a default would write a review into every new document
    assert "「办公室」" in nested["office"]["hint"] and "default" not in nested["office"]
    assert not any(f["required"] for f in review["fields"])
    interpretation = _fields(demo["decap"], "interpretations")
    assert [(interpretation[n]["label"], interpretation[n]["widget"]) for n in ("speaker", "speaker_role", "speaker_is_head")] == [
        ("解读人", "string"), ("职务", "string"), ("主要负责同志", "boolean")]
    assert interpretation["speaker_is_head"]["default"] is False
    assert "主要负责同志" in interpretation["speaker_is_head"]["hint"]

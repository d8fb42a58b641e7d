"""The editors' form in Debian's Chromium: ``build.py edit`` on a git copy of the demo (preview, admin, committing
proxy and decap-server, all on 127.0.0.1). A policy document and its interpretation made through the form, with an
attachment, pass ``check --strict`` and are published linked to each other, in commits holding only their files;
demo entries opened and saved keep every value and their body."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import SCREENSHOTS
from conftest import REPO

from disclosure_site.app.cms import ENGINE
from disclosure_site.cli import main

TODAY = "2026-12-06"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.skipif(not (ENGINE / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file(),
                                reason="Decap CMS is not installed (npm ci)")


def _free_ports(count: int) -> int:
    """A base port with ``count`` free ports after it, on loopback."""
    for _ in range(50):
        base = random.randint(20000, 60000)
        try:
            for port in range(base, base + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def editing(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A git copy of the demo with ``build.py edit`` running on it."""
    root = tmp_path / "site-root"
    root.mkdir()
    shutil.copy(REPO / "catalog.yaml", root)
    shutil.copytree(REPO / "content", root / "content")
    (root / "stray-notes.txt").write_text("not for the repository\n", encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "config", "user.name", "CMS 编辑")
    _git(root, "config", "user.email", "editor@example.invalid")
    _git(root, "add", "catalog.yaml", "content")
    _git(root, "commit", "-qm", "demo")
    port = _free_ports(4)
    process = subprocess.Popen(
        [sys.executable, "build.py", "--root", str(root), "--out", str(tmp_path / "preview"), "--today", TODAY,
         "edit", "--port", str(port)], cwd=ENGINE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}/")
        _wait_for(f"http://127.0.0.1:{port + 1}/config.yml")
        _wait_for_proxy(port + 2)
        yield {"root": root, "demo": _git(root, "rev-parse", "HEAD").strip(), "admin": f"http://127.0.0.1:{port + 1}/", "preview": f"http://127.0.0.1:{port}/",
               "tmp": tmp_path}
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert f"编辑后台：http://127.0.0.1:{port + 1}/" in output
    assert f"预览地址：http://127.0.0.1:{port}/" in output


def _wait_for(url: str) -> None:
    for _ in range(240):
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer")


def _wait_for_proxy(port: int) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=b'{"action":"info"}',
                                     headers={"Content-Type": "application/json"})
    for _ in range(120):
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise AssertionError("decap-server did not answer through the proxy")


def _login(browser: Any, admin: str) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(admin)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("内容").first.wait_for()
    return page


def _select(page: Any, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True).first
    field.fill(value)
    field.press("Enter")


def _body(page: Any, text: str) -> None:
    page.locator("[data-slate-editor=true]").last.click()
    page.keyboard.insert_text(text)


def _publish(page: Any) -> None:
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    try:
        page.get_by_text("已发布").first.wait_for(timeout=20000)
    except Exception:
        page.screenshot(path=str(SCREENSHOTS / "cms-publish-failed.png"), full_page=True)  # what blocked the save
        raise
    page.get_by_text("内容已保存").first.wait_for(timeout=20000)
    page.wait_for_timeout(1000)  # the editor reloads the saved entry; typing during that reload would be lost


def _retype(page: Any, field: Any, text: str) -> None:
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
    _wait_until(lambda: field.input_value() == text)


def _wait_until(condition: Any) -> None:
    for _ in range(100):
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the form did not show the expected value")


def _new_entry(page: Any, admin: str, collection: str) -> None:
    page.goto(f"{admin}#/collections/{collection}/new")
    page.get_by_label("标题", exact=True).first.wait_for()
    page.wait_for_timeout(1000)  # the new form sets its defaults after it appears; text typed before is lost


def _front(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def _collection_of(root: Path, rel: str) -> str:
    return "_".join(Path(rel).parent.relative_to("content").parts)


def test_a_policy_and_its_interpretation_made_in_the_form_are_published_linked(browser: Any,
                                                                               editing: dict[str, Any]) -> None:
    root, admin = editing["root"], editing["admin"]
    page = _login(browser, admin)
    pdf = editing["tmp"] / "fang-an.pdf"
    pdf.write_bytes(PDF)
    _new_entry(page, admin, "documents_normative")
    doc_index = page.get_by_label("索引号", exact=True).first.input_value()
    _retype(page, page.get_by_label("标题", exact=True).first, "关于印发《政务公开试点工作方案》的通知")
    page.get_by_label("发布日期", exact=True).first.fill(f"{TODAY}T09:30")
    page.get_by_label("成文日期", exact=True).first.fill("2026-12-01")
    _select(page, "责任部门", "办公室")
    page.get_by_label("文号 (可选)", exact=True).first.fill("示〔2026〕12号")
    page.locator("[id^=policy-field]").first.click()
    page.get_by_role("button", name="新增附件").first.click()
    page.get_by_role("button", name="选择文件").first.click()
    page.locator("input[type=file]").first.set_input_files(str(pdf))
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_label("标题", exact=True).nth(1).fill("方案全文")
    _body(page, "为推进政务公开标准化规范化，现将试点工作方案印发给你们，请认真贯彻执行。")
    page.screenshot(path=str(SCREENSHOTS / "cms-new-policy.png"), full_page=True)
    _publish(page)

    serial = int(doc_index.rsplit("-", 1)[1])
    interp_index = f"{doc_index.rsplit('-', 1)[0]}-{serial + 1:05d}"
    _new_entry(page, admin, "interpretations")
    _retype(page, page.get_by_label("标题", exact=True).first, "《政务公开试点工作方案》政策解读")
    _retype(page, page.get_by_label("索引号", exact=True).first, interp_index)  # replaces the proposed number
    page.get_by_label("发布日期", exact=True).first.fill(f"{TODAY}T10:00")
    _select(page, "责任部门", "办公室")
    page.get_by_label("解读对象", exact=True).first.fill(doc_index)
    _select(page, "解读形式 (可选)", "文字解读")
    _body(page, f"一、起草背景\n\n本解读说明[[{doc_index.rsplit('/', 1)[1]}]]的主要内容。")
    _publish(page)
    page.close()

    written = _git(root, "log", "--name-only", "--format=%s", "HEAD", "--not", editing["demo"])
    files = {line for line in written.splitlines() if line.startswith("content/")}
    assert any(f.startswith("content/documents/normative/attachments/") and f.endswith(".pdf") for f in files)
    assert len([f for f in files if f.endswith(".md")]) == 2
    assert "stray-notes.txt" not in written and "?? stray-notes.txt" in _git(root, "status", "--short")
    doc_file = next(root / f for f in files if f.startswith("content/documents/normative/") and f.endswith(".md"))
    meta, _ = _front(doc_file)
    assert meta["published"] == f"{TODAY} 09:30" or meta["published"] == dt.datetime(2026, 12, 6, 9, 30)
    assert meta["written"] == dt.date(2026, 12, 1) and meta["policy"] is True
    assert meta["attachments"][0]["file"].startswith("attachments/")

    assert main(["--root", str(root), "--today", TODAY, "--quiet", "check", "--strict"]) == 0
    out = editing["tmp"] / "built"
    assert main(["--root", str(root), "--out", str(out), "--today", TODAY, "--quiet", "build", "--no-search"]) == 0
    doc_serial, interp_serial = doc_index.rsplit("/", 1)[1], interp_index.rsplit("/", 1)[1]
    doc_page = (out / "entries" / f"{doc_serial}.html").read_text(encoding="utf-8")
    interp_page = (out / "entries" / f"{interp_serial}.html").read_text(encoding="utf-8")
    assert f"{interp_serial}.html" in doc_page and f"{doc_serial}.html" in interp_page
    assert "方案全文" in doc_page


@pytest.mark.parametrize("rel", ["content/documents/normative/2018-zhengwu-gongkai-fengong-fangan.md",
                                 "content/news/2024-drinking-water-source-enforcement.md",
                                 "content/open-data/2025-penalty-statistics.md",
                                 "content/annual-reports/2025-annual-report-2024.md",
                                 "content/lists/intermediary-services.md"])  # rows: not a form field, kept as written
def test_an_entry_opened_and_saved_unchanged_keeps_its_values_and_body(browser: Any, editing: dict[str, Any],
                                                                       rel: str) -> None:
    root, admin = editing["root"], editing["admin"]
    if "标题:" in (root / rel).read_text(encoding="utf-8"):  # written with Chinese keys: the form reads English ones
        assert main(["--root", str(root), "--quiet", "migrate", "--english-keys"]) == 0
    before = _front(root / rel)
    page = _login(browser, admin)
    page.goto(f"{admin}#/collections/{_collection_of(root, rel)}/entries/{Path(rel).stem}")
    title = page.get_by_label("标题", exact=True).first
    title.wait_for()
    assert title.input_value() == before[0]["title"]
    _retype(page, title, before[0]["title"] + "（修改）")
    _publish(page)
    page.reload()
    title.wait_for()
    _wait_until(lambda: title.input_value().endswith("（修改）"))
    _retype(page, title, before[0]["title"])  # back to the text as written: the file must hold its values again
    page.screenshot(path=str(SCREENSHOTS / "cms-round-trip.png"))
    _publish(page)
    page.close()
    assert _front(root / rel) == before
    assert _git(root, "log", "--name-only", "--format=", "HEAD", "--not", editing["demo"]).split() == [rel, rel]


def _shown(page: Any, label: str) -> bool:
    """Whether the field labelled ``label`` (its label, hint and input) is on screen."""
    return bool(page.get_by_text(label, exact=True).first.is_visible())


def test_the_reason_and_review_for_withholding_are_asked_only_when_not_public(browser: Any, editing: dict[str, Any]) -> None:
    page = _login(browser, editing["admin"])
    _new_entry(page, editing["admin"], "documents_normative")
    reason, review = "不公开理由 (可选)", "公开审查 (可选)"
    assert page.get_by_label("公开属性", exact=True).first.is_visible()
    _wait_until(lambda: not _shown(page, reason) and not _shown(page, review))
    _select(page, "公开属性", "依申请公开")
    _wait_until(lambda: _shown(page, reason) and _shown(page, review))
    page.get_by_label(reason, exact=True).first.fill("涉及第三方合法权益，依据条例第十五条")
    page.screenshot(path=str(SCREENSHOTS / "cms-withhold-reason.png"), full_page=True)
    _select(page, "公开属性", "主动公开")
    _wait_until(lambda: not _shown(page, reason) and not _shown(page, review))


def test_each_new_form_proposes_a_free_number_and_a_saved_entry_is_in_the_preview(browser: Any, editing: dict[str, Any]) -> None:
    root, admin = editing["root"], editing["admin"]
    page = _login(browser, admin)
    _new_entry(page, admin, "news")
    number = page.get_by_label("索引号", exact=True).first
    _wait_until(lambda: number.input_value() != "")
    first = number.input_value()
    _retype(page, page.get_by_label("标题", exact=True).first, "第一条新闻")
    page.get_by_label("发布日期", exact=True).first.fill(f"{TODAY}T09:30")
    _body(page, "正文。")
    _publish(page)
    _new_entry(page, admin, "news")  # the same session: config.yml still holds the number free when it was written
    number = page.get_by_label("索引号", exact=True).first
    _wait_until(lambda: number.input_value() not in ("", first))
    second = number.input_value()
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1
    assert first in "".join(p.read_text(encoding="utf-8") for p in (root / "content" / "news").glob("*.md"))
    # The saved entry is in the preview running beside the admin, without any command.
    address = f"{editing['preview']}entries/{first.rsplit('/', 1)[1]}.html"
    for _ in range(60):  # the preview rebuilds within a second or two of the save
        if page.goto(address).status == 200 and page.locator("h1").inner_text() == "第一条新闻":
            break
        time.sleep(0.5)
    assert page.locator("h1").inner_text() == "第一条新闻"


def test_the_annual_reports_typed_tables_are_edited_as_grids(browser: Any, editing: dict[str, Any]) -> None:
    root, admin = editing["root"], editing["admin"]
    rel = "content/annual-reports/2025-annual-report-2024.md"
    before, body = _front(root / rel)
    page = _login(browser, admin)
    page.goto(f"{admin}#/collections/annual-reports/entries/{Path(rel).stem}")
    new = page.get_by_label("一、本年新收政府信息公开申请数量 · 自然人", exact=True)
    new.wait_for()
    assert new.input_value() == str(before["applications"]["一、本年新收政府信息公开申请数量"][0])
    assert page.get_by_label("行政复议 · 总计", exact=True).input_value() == str(before["reviews"]["行政复议"][4])
    secret = page.get_by_label("1.属于国家秘密 · 商业企业", exact=True)
    _retype(page, secret, "3")
    _retype(page, page.get_by_label("行政事业性收费 (可选)", exact=True), "1.25")
    page.screenshot(path=str(SCREENSHOTS / "cms-annual-report-table.png"))
    _publish(page)
    page.close()
    after, after_body = _front(root / rel)
    expected = before | {"fees": 1.25}
    expected["applications"]["三、本年度办理结果"]["（三）不予公开"]["1.属于国家秘密"][1] = 3
    assert after == expected and after_body == body


def test_a_lists_rows_are_a_grid_that_follows_its_columns(browser: Any, editing: dict[str, Any]) -> None:
    root, admin = editing["root"], editing["admin"]
    rel = "content/lists/intermediary-services.md"
    before, body = _front(root / rel)
    page = _login(browser, admin)
    page.goto(f"{admin}#/collections/lists/entries/{Path(rel).stem}")
    fee = page.get_by_label("第 2 行 · 收费性质", exact=True)
    fee.wait_for()
    assert fee.input_value() == before["rows"][1]["收费性质"]
    _retype(page, fee, "不收费")
    page.get_by_role("button", name="新增一行").click()
    new_row = {"中介服务事项名称": "环境监测报告编制", "对应的行政许可事项": "排污许可证核发",
               "设定依据": "《排污许可管理条例》第八条", "中介服务机构": "取得资质认定的检测机构", "收费性质": "市场调节价"}
    for name, text in new_row.items():
        _retype(page, page.get_by_label(f"第 4 行 · {name}", exact=True), text)
    page.get_by_role("button", name="删除第 1 行").click()
    page.screenshot(path=str(SCREENSHOTS / "cms-list-rows.png"))
    _publish(page)
    page.close()
    after, after_body = _front(root / rel)
    rows = [*before["rows"][1:], new_row]
    rows[0] = rows[0] | {"收费性质": "不收费"}
    assert after == before | {"rows": rows} and after_body == body
    assert main(["--root", str(root), "--today", TODAY, "--quiet", "check"]) == 0


def test_a_column_added_to_a_list_appears_in_its_rows_grid_at_once(browser: Any, editing: dict[str, Any]) -> None:
    page = _login(browser, editing["admin"])
    page.goto(f"{editing['admin']}#/collections/lists/entries/intermediary-services")
    page.get_by_label("第 1 行 · 收费性质", exact=True).wait_for()
    assert page.get_by_label("第 1 行 · 备注", exact=True).count() == 0
    page.get_by_role("button", name="新增字段").first.click()
    _retype(page, page.get_by_label("名称", exact=True).last, "备注")
    page.get_by_label("第 1 行 · 备注", exact=True).wait_for(timeout=5000)
    page.close()

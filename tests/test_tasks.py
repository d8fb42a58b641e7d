"""执行公开 tasks and 落实情况: keys, date rules, the overdue 全站提醒, implements both ways, and nothing withheld leaks."""

from __future__ import annotations

import datetime as dt
import json

from conftest import CATALOG, ORG, entry
from leaks import leaks

from disclosure_site.core.diagnostics import Severity

TASK_CATALOG = CATALOG.replace("key_areas:", "  - id: execution\n    title: 执行公开\n    type: task\n    children:\n"
                               "      - {id: results, title: 落实情况, type: news}\nkey_areas:")
TASK_NO = f"{ORG}/2026-00001"
POLICY_NO = f"{ORG}/2026-00003"

TASK = f"""---
title: 环评审批改革
index_no: "{TASK_NO}"
written: 2026-03-02
published: 2026-03-05
disclosure: 主动公开
department: 环保窗口
measures: 推行网上申报
steps:
  - date: 2026-05-31
    content: 清理申请材料
  - date: 2026-12-31
    content: 全部事项最多跑一次
supervision: 局办公室督查
status: 推进中
progress:
  - date: 2026-05-20
    note: 清理证明材料7项
  - date: 2026-09-25
    note: 报告表全程网上办理
due: 2026-12-31
---
正文。
"""


def task(**changes: str) -> str:
    text = TASK
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def report(serial: str = "2026-00002", target: str = TASK_NO, **keys: object) -> str:
    return entry("改革落实情况", serial, "2026-10-01", implements=f'"{target}"', **keys)


def policy(**keys: object) -> str:
    fields: dict[str, object] = {"published": "2026-04-02", "written": "2026-04-01", "department": "办公室",
                                 "policy": "true"}
    return entry("关于加强监管的通知", "2026-00003", **(fields | keys))


def interpretation() -> str:
    return entry("通知解读", "2026-00004", "2026-04-02", department="办公室", interprets=f'"{POLICY_NO}"')


def test_a_complete_task_with_its_report_is_clean(make_site):
    site = make_site({"content/execution/t.md": TASK, "content/execution/results/r.md": report()}, TASK_CATALOG)
    assert site.messages() == []


def test_chinese_aliases_are_accepted(make_site):
    text = (TASK.replace("measures:", "工作措施:").replace("steps:", "实施步骤:").replace("supervision:", "监督方式:")
            .replace("status:", "进展状态:").replace("progress:", "进展情况:").replace("due:", "计划完成时间:")
            .replace("    content:", "    内容:").replace("    note:", "    说明:"))
    site = make_site({"content/execution/t.md": text}, TASK_CATALOG)
    assert site.messages() == []


def test_status_must_come_from_the_vocabulary(make_site):
    site = make_site({"content/execution/t.md": task(**{"status: 推进中": "status: 进行中"})}, TASK_CATALOG)
    assert site.messages() == [
        "content/execution/t.md:15: 错误 [BAD_CHOICE] status（进展状态）：值「进行中」无效，应为以下之一：未启动、推进中、已完成、已延期"
    ]


def test_status_and_department_are_required(make_site):
    site = make_site({"content/execution/t.md": task(**{"status: 推进中\n": "", "department: 环保窗口\n": ""})},
                     TASK_CATALOG)
    assert [m.split(" ")[2] for m in site.messages()] == ["[MISSING_KEY]", "[MISSING_KEY]"]
    assert all(m.startswith("content/execution/t.md:1: ") for m in site.messages())


def test_unknown_key_in_a_progress_item_is_an_error_at_its_line(make_site):
    site = make_site({"content/execution/t.md": task(**{"    note: 报告表全程网上办理": "    note: 报告表全程网上办理\n    by: 张三"})},
                     TASK_CATALOG)
    assert site.messages() == [
        "content/execution/t.md:21: 错误 [UNKNOWN_KEY] progress（进展情况）：第 2 项 未知的键 by。可用的键：date（日期）、note（说明）"
    ]


def test_progress_in_the_future_points_at_the_item(make_site):
    site = make_site({"content/execution/t.md": task(**{"date: 2026-09-25": "date: 2026-11-27"})}, TASK_CATALOG)
    assert site.messages() == [
        "content/execution/t.md:19: 错误 [TASK_PROGRESS_IN_FUTURE] progress（进展情况）第 2 项的日期 2026-11-27 晚于构建日期 "
        "2026-11-26：进展情况只记录已经做到的，请在当天或之后再写入"
    ]


def test_progress_and_steps_before_the_task_was_written(make_site):
    site = make_site({"content/execution/t.md": task(**{"date: 2026-05-20": "date: 2026-03-01",
                                                         "date: 2026-05-31": "date: 2026-02-28"})}, TASK_CATALOG)
    assert site.messages() == [
        "content/execution/t.md:10: 错误 [TASK_STEP_BEFORE_START] steps（实施步骤）第 1 项的日期 2026-02-28 早于 "
        "written（成文日期）2026-03-02：实施步骤从任务部署之日起安排，请检查日期",
        "content/execution/t.md:17: 错误 [TASK_PROGRESS_BEFORE_START] progress（进展情况）第 1 项的日期 2026-03-01 早于 "
        "written（成文日期）2026-03-02：进展情况记录任务部署以后的进展，请检查日期",
    ]


def test_without_written_the_start_is_the_published_date(make_site):
    site = make_site({"content/execution/t.md": task(**{"written: 2026-03-02\n": "", "date: 2026-05-20": "date: 2026-03-04"})},
                     TASK_CATALOG)
    assert site.messages() == [
        "content/execution/t.md:16: 错误 [TASK_PROGRESS_BEFORE_START] progress（进展情况）第 1 项的日期 2026-03-04 早于 "
        "published（发布日期）2026-03-05：进展情况记录任务部署以后的进展，请检查日期"
    ]


def test_steps_may_lie_ahead_but_not_after_the_due_date(make_site):
    site = make_site({"content/execution/t.md": task(**{"date: 2026-12-31": "date: 2027-01-15"})}, TASK_CATALOG)
    assert site.messages() == [
        "content/execution/t.md:12: 警告 [TASK_STEP_AFTER_DUE] steps（实施步骤）第 2 项的日期 2027-01-15 晚于 "
        "due（计划完成时间）2026-12-31：任务调整后请同时修改计划完成时间，或把 status（进展状态）改为 已延期 并说明原因"
    ]


def test_due_before_the_start(make_site):
    site = make_site({"content/execution/t.md": task(**{"due: 2026-12-31": "due: 2026-03-01", "date: 2026-05-31": "date: 2026-03-01",
                                                         "date: 2026-12-31": "date: 2026-03-01", "status: 推进中": "status: 已完成"})},
                     TASK_CATALOG)
    assert [m.split(" ")[0] + m.split(" ")[2] for m in site.messages()] == [
        "content/execution/t.md:10:[TASK_STEP_BEFORE_START]", "content/execution/t.md:12:[TASK_STEP_BEFORE_START]",
        "content/execution/t.md:21:[TASK_DUE_BEFORE_START]",
    ]
    assert site.messages()[-1].endswith("due（计划完成时间）2026-03-01 早于 written（成文日期）2026-03-02：请检查日期")


def test_an_overdue_task_is_a_calendar_finding_that_never_fails_the_build(make_site):
    site = make_site({"content/execution/t.md": task()}, TASK_CATALOG)
    today = dt.date(2027, 1, 4)
    [finding] = site.check(today)
    assert finding.format() == (
        "content/execution/t.md:21: 警告 [TASK_OVERDUE] 任务的 due（计划完成时间）2026-12-31 已过（构建日期 2027-01-04），"
        "status（进展状态）仍为「推进中」：完成后请改为 已完成 并在 progress（进展情况）中说明；"
        "未能按期完成的请改为 已延期，写明原因和新的计划完成时间")
    assert finding.calendar and finding.severity is Severity.WARNING
    assert not site.check(today).fails(strict=True)
    outcome = site.build(today, strict=True)
    assert outcome.files
    page = (site.root / "site/entries/2026-00001.html").read_text(encoding="utf-8")
    assert '<span class="badge">已超过计划完成时间</span>' in page
    column = (site.root / "site/execution/index.html").read_text(encoding="utf-8")
    assert '<span class="badge">已超过计划完成时间</span>' in column


def test_a_finished_or_withheld_task_is_not_overdue(make_site):
    site = make_site({"content/execution/t.md": task(**{"status: 推进中": "status: 已完成"}),
                      "content/execution/u.md": task(**{"2026-00001": "2026-00005", "disclosure: 主动公开":
                                                         "disclosure: 不予公开\nwithhold_reason: 内部事务信息"})},
                     TASK_CATALOG)
    assert site.messages(dt.date(2027, 1, 4)) == []


def test_task_page_shows_its_facts_progress_newest_first_and_its_reports(make_site):
    site = make_site({"content/execution/t.md": task(), "content/execution/results/r.md": report()}, TASK_CATALOG)
    site.build()
    page = (site.root / "site/entries/2026-00001.html").read_text(encoding="utf-8")
    assert "进展状态：<strong>推进中</strong>" in page
    assert "<dt>责任部门</dt><dd>环保窗口</dd>" in page and "<dt>监督方式</dt><dd>局办公室督查</dd>" in page
    assert '<time datetime="2026-12-31">2026-12-31</time></dd>' in page
    assert page.index("报告表全程网上办理") < page.index("清理证明材料7项"), "newest progress first"
    assert page.index("清理申请材料") < page.index("全部事项最多跑一次"), "steps in the order written"
    implementations = page.split('<h2 id="implementations-title">落实情况</h2>')[1].split("</section>")[0]
    assert '<a href="2026-00002.html">改革落实情况</a>' in implementations
    report_page = (site.root / "site/entries/2026-00002.html").read_text(encoding="utf-8")
    target = report_page.split('<h2 id="implemented-title">落实对象</h2>')[1].split("</section>")[0]
    assert '<a href="2026-00001.html">环评审批改革</a>' in target


def test_column_page_groups_every_task_by_status_and_home_counts_link_to_them(make_site):
    files = {"content/execution/t.md": task(),
             "content/execution/u.md": task(**{"2026-00001": "2026-00005", "环评审批改革": "热线整合",
                                                "status: 推进中": "status: 已延期"}),
             "content/execution/v.md": task(**{"2026-00001": "2026-00006", "环评审批改革": "水源保护",
                                                "status: 推进中": "status: 推进中"})}
    site = make_site(files, TASK_CATALOG)
    site.build()
    column = (site.root / "site/execution/index.html").read_text(encoding="utf-8")
    overview = column.split('<section class="task-overview"')[1].split("  </section>\n</section>")[0]
    assert '<a href="#status-in-progress">推进中<span class="count">2 项</span></a>' in overview
    assert '<a href="#status-delayed">已延期<span class="count">1 项</span></a>' in overview
    assert '<span>未启动<span class="count">0 项</span></span>' in overview
    assert '<a href="#task-overview-title">全部<span class="count">3 项</span></a>' in overview
    delayed = overview.split('<section class="task-group" id="status-delayed" tabindex="-1" '
                             'aria-labelledby="status-delayed-title">\n  <h3 id="status-delayed-title">已延期（1 项）</h3>')[1]
    delayed = delayed.split("</section>")[0]
    assert "热线整合" in delayed and "水源保护" not in delayed
    assert "<time datetime=\"2026-09-25\">2026-09-25</time>　报告表全程网上办理" in overview, "latest progress"
    home = (site.root / "site/index.html").read_text(encoding="utf-8")
    assert '<a href="execution/index.html#status-in-progress">推进中<span class="count">2 项</span></a>' in home
    assert '<a href="execution/index.html#status-done">已完成<span class="count">0 项</span></a>' in home
    news = (site.root / "site/news/index.html").read_text(encoding="utf-8")
    assert "task-overview" not in news


def test_catalogue_json_exports_implements_both_ways(make_site):
    site = make_site({"content/execution/t.md": task(), "content/execution/results/r.md": report(),
                      "content/execution/results/s.md": report("2026-00007", POLICY_NO),
                      "content/documents/p.md": policy(), "content/interpretations/i.md": interpretation()},
                     TASK_CATALOG)
    assert site.build().files
    records = {r["index_no"]: r for r in json.loads((site.root / "site/catalogue.json").read_text(encoding="utf-8"))}
    assert records[TASK_NO]["implementations"] == [f"{ORG}/2026-00002"]
    assert records[f"{ORG}/2026-00002"]["implements"] == TASK_NO
    assert records[POLICY_NO]["implementations"] == [f"{ORG}/2026-00007"]
    assert records[f"{ORG}/2026-00004"]["implements"] is None and records[f"{ORG}/2026-00004"]["implementations"] == []
    header = (site.root / "site/catalogue.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith(",url,implements,implementations")
    policy_page = (site.root / "site/entries/2026-00003.html").read_text(encoding="utf-8")
    assert '<h2 id="implementations-title">落实情况</h2>' in policy_page and "2026-00007.html" in policy_page


def test_implements_an_unknown_number(make_site):
    site = make_site({"content/news/r.md": report()}, TASK_CATALOG)
    assert site.messages() == [
        f"content/news/r.md:6: 错误 [IMPLEMENTS_UNKNOWN] implements（落实对象）「{TASK_NO}」不是任何条目的索引号："
        "请填写所落实的政策性文件或任务的索引号"
    ]


def test_implements_must_name_a_policy_or_a_task(make_site):
    site = make_site({"content/news/n.md": entry("会议", "2026-00001", "2026-01-05"), "content/news/r.md": report()},
                     TASK_CATALOG)
    assert site.messages() == [
        f"content/news/r.md:6: 错误 [IMPLEMENTS_NOT_TARGET] implements（落实对象）「{TASK_NO}」指向的 content/news/n.md "
        "既不是政策性文件（policy: true），也不是执行公开任务（type: task 栏目中的条目）：落实情况只能对应政策性文件或任务"
    ]


def test_implements_itself(make_site):
    site = make_site({"content/execution/t.md": task(**{"due: 2026-12-31": f'due: 2026-12-31\nimplements: "{TASK_NO}"'})},
                     TASK_CATALOG)
    assert site.messages() == [
        "content/execution/t.md:22: 错误 [IMPLEMENTS_SELF] implements（落实对象）不能是本条目自己的索引号："
        "请填写所落实的政策性文件或任务的索引号"
    ]


def test_a_published_report_on_a_withheld_task_never_names_its_title(make_site):
    withheld = task(**{"环评审批改革": "金丝雀任务标题", "disclosure: 主动公开": "disclosure: 不予公开\nwithhold_reason: 内部事务信息"})
    site = make_site({"content/execution/t.md": withheld, "content/execution/results/r.md": report()}, TASK_CATALOG)
    assert site.messages() == [
        f"content/execution/results/r.md:6: 错误 [IMPLEMENTS_WITHHELD] implements（落实对象）「{TASK_NO}」尚未公开（不公开），"
        "落实情况不能先于所落实的对象公开：请与之同步发布，或将本条目也设为草稿"
    ]
    drafted = make_site({"content/execution/t.md": withheld, "content/execution/results/r.md": report(draft="true")},
                        TASK_CATALOG)
    assert drafted.messages() == []


def test_a_scheduled_policy_is_withheld_for_its_report_too(make_site):
    site = make_site({"content/documents/p.md": policy(published="2026-12-01", written="2026-11-30"),
                      "content/interpretations/i.md": interpretation().replace("2026-04-02", "2026-12-01"),
                      "content/news/r.md": report(target=POLICY_NO)}, TASK_CATALOG)
    assert site.messages() == [
        f"content/news/r.md:6: 错误 [IMPLEMENTS_WITHHELD] implements（落实对象）「{POLICY_NO}」尚未公开（定时发布），"
        "落实情况不能先于所落实的对象公开：请与之同步发布，或将本条目也设为草稿"
    ]


CANARY = "CANARYTASK"


def test_withheld_task_and_withheld_report_reach_no_output(make_site):
    """Every key of a withheld task and of a withheld report carries a canary; none reaches any output file."""
    keys = ("title", "measures", "supervision", "summary")
    secret_task = task(**{"环评审批改革": f"{CANARY}1标题", "推行网上申报": f"{CANARY}2措施", "局办公室督查": f"{CANARY}3监督",
                          "清理申请材料": f"{CANARY}4步骤", "清理证明材料7项": f"{CANARY}5进展", "2026-00001": "2026-00009",
                          "disclosure: 主动公开": f"disclosure: 依申请公开\nwithhold_reason: {CANARY}6理由\n"
                                                 f"summary: {CANARY}7概述\nkeywords: [{CANARY}8主题词]"})
    assert all(f"{k}:" in secret_task for k in keys)
    secret_report = entry(f"{CANARY}9报告", "2026-00010", "2026-10-01", implements=f'"{TASK_NO}"', draft="true",
                          summary=f"{CANARY}10概述", keywords=f"[{CANARY}11]")
    scheduled_report = entry(f"{CANARY}12定时报告", "2026-00011", "2026-12-20", implements=f'"{TASK_NO}"')
    site = make_site({"content/execution/t.md": task(), "content/execution/secret.md": secret_task,
                      "content/execution/results/r.md": report(), "content/execution/results/d.md": secret_report,
                      "content/execution/results/s.md": scheduled_report}, TASK_CATALOG)
    outcome = site.build()
    assert outcome.files, [d.format() for d in outcome.report]
    assert leaks(site.root / "site", [CANARY, "2026-00009", "2026-00010", "2026-00011"]) == []
    records = json.loads((site.root / "site/catalogue.json").read_text(encoding="utf-8"))
    [published_task] = [r for r in records if r["index_no"] == TASK_NO]
    assert published_task["implementations"] == [f"{ORG}/2026-00002"]


def test_check_strict_lists_an_overdue_task_under_calendar_findings_and_passes(make_site):
    site = make_site({"content/execution/t.md": task()}, TASK_CATALOG)
    result = site.cli("check", "--strict", "--today", "2027-01-04")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "content/execution/t.md:21: 警告 [TASK_OVERDUE]" in result.stdout
    assert "另有 1 条全站提醒（不影响发布）" in result.stdout
    report = site.cli("check", "--report", "--today", "2027-01-04")
    assert "TASK_OVERDUE" in report.stdout


def test_the_wechat_copy_of_a_task_says_where_it_stands(make_site):
    """A 公众号 post of a task leads with its status, department, due date and latest progress, styled inline."""
    site = make_site({"content/execution/t.md": TASK}, TASK_CATALOG)
    site.build()
    copy = (site.root / "site/entries/2026-00001.wechat.html").read_text(encoding="utf-8").split('id="wechat-copy"')[1]
    status = copy.index("进展状态：</strong>推进中　<strong style=\"font-weight:bold;\">责任部门：</strong>环保窗口")
    assert "计划完成时间：</strong>2026-12-31" in copy and "工作措施：</strong>推行网上申报" in copy
    newest, older = copy.index("2026-09-25　报告表全程网上办理"), copy.index("2026-05-20　清理证明材料7项")
    assert status < newest < older

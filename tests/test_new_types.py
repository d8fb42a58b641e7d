"""Pages of the participation types, 权责清单 and the 一次办 list."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import CATALOG, entry

EXTRA_COLUMNS = """\
  - id: participation
    title: 公众参与
    type: consultation
    children:
      - {id: responses, title: 回应关切, type: response}
      - {id: proposals, title: 建议提案办理, type: proposal}
      - {id: messages, title: 网民留言, type: message}
  - {id: reprints, title: 转载, type: reprint}
  - {id: powers, title: 权责清单, type: power}
"""


@pytest.fixture
def site(make_site):
    return make_site({
        "content/participation/c.md": entry(title="关于某规划的征求意见稿", opens="2024-04-01", closes="2024-04-30",
                                            published="2024-04-01", contact="hb@example.gov.cn"),
        "content/participation/responses/r.md": entry(title="关于某河段水体异常的情况通报", serial="2024-00002",
                                                      published='"2024-05-06 11:00"', event_time='"2024-05-06 08:30"',
                                                      level="重大"),
        "content/participation/proposals/p.md": entry(title="对市人大代表第15号建议的答复", serial="2024-00003",
                                                      kind="人大代表建议", number="第20240015号",
                                                      reply='"第一段答复。\\n\\n第二段答复。"'),
        "content/participation/messages/m.md": entry(title="关于夜间施工噪声的留言", serial="2024-00004",
                                                     received="2024-04-28", replied="2024-05-06",
                                                     question="夜间施工噪声扰民怎么办？", reply="已责令整改。"),
        "content/reprints/x.md": entry(title="转载：全国生态环境保护大会召开", serial="2024-00005",
                                       source_name="中国政府网", source_url="https://www.gov.cn/"),
        "content/powers/a.md": entry(title="建设项目环境影响报告书审批", serial="2024-00006", power_type="行政许可",
                                     basis="《环境影响评价法》第二十二条"),
        "content/guides/g1.md": entry(title="排污许可证核发", serial="2024-00007", visits=1, promised_limit="15个工作日"),
        "content/guides/g2.md": entry(title="环评报告书审批", serial="2024-00008", visits=0),
        "content/guides/g3.md": entry(title="现场核查事项", serial="2024-00009", visits=2),
    }, catalog=CATALOG.replace("key_areas:\n", EXTRA_COLUMNS + "key_areas:\n"))


def page(site, serial):
    return (site.root / f"site/entries/{serial}.html").read_text()


def test_participation_site_is_valid(site):
    assert site.messages(dt.date(2024, 5, 10)) == []


@pytest.mark.parametrize(("today", "state"), [
    (dt.date(2024, 4, 15), "征求中"), (dt.date(2024, 5, 10), "已结束")])
def test_consultation_shows_its_status(site, today, state):
    site.build(today=today)
    assert f"当前状态：<strong>{state}</strong>" in page(site, "2024-00001")


def test_consultation_with_feedback_shows_it(site):
    site.write("content/participation/c.md", entry(title="征求意见稿", opens="2024-04-01", closes="2024-04-30",
                                                    feedback="收到意见5条，采纳3条。"))
    site.build(today=dt.date(2024, 6, 1))
    html = page(site, "2024-00001")
    assert "当前状态：<strong>已反馈</strong>" in html and "收到意见5条，采纳3条。" in html


def test_response_message_proposal_and_reprint_pages(site):
    site.build(today=dt.date(2024, 5, 10))
    assert '<dt>事件级别</dt><dd>重大</dd>' in page(site, "2024-00002")
    proposal = page(site, "2024-00003")
    assert "<p>第一段答复。</p>" in proposal and "<p>第二段答复。</p>" in proposal and "第20240015号" in proposal
    message = page(site, "2024-00004")
    assert "夜间施工噪声扰民怎么办？" in message and "已责令整改。" in message
    assert '来源：<a href="https://www.gov.cn/" rel="noopener">中国政府网</a>' in page(site, "2024-00005")


def test_power_list_page_shows_the_power_columns(site):
    site.build(today=dt.date(2024, 5, 10))
    listing = (site.root / "site/powers/index.html").read_text()
    assert "<th scope=\"col\">权力类别</th>" in listing and "<th scope=\"col\">实施主体</th>" in listing
    assert "行政许可" in listing and "《环境影响评价法》第二十二条" in listing and "测试市环境保护局" in listing


def test_once_page_lists_guides_with_at_most_one_visit(site):
    site.build(today=dt.date(2024, 5, 10))
    once = (site.root / "site/once.html").read_text()
    assert "排污许可证核发" in once and "环评报告书审批" in once
    assert "现场核查事项" not in once
    assert "共 2 项" in once
    assert 'href="once.html"' in (site.root / "site/guides/index.html").read_text().replace("../", "")


def test_changed_guide_shows_its_change_date(make_site):
    site = make_site({"content/guides/g.md": entry(published="2024-05-11", changed="2024-05-10")})
    site.build()
    assert '<dt>变更批准日期</dt><dd><time datetime="2024-05-10">2024-05-10</time></dd>' in (
        site.root / "site/entries/2024-00001.html").read_text()

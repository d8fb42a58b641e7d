"""The 政府信息公开指南 and 依申请公开 pages, generated from catalog.yaml, and the editable application form."""

from __future__ import annotations

import io
import zipfile

import docx
from conftest import CATALOG, entry

FORM = "forms/disclosure-request.docx"


def built(make_site, catalog: str = CATALOG):
    site = make_site({"content/news/a.md": entry()}, catalog=catalog)
    outcome = site.build()
    assert outcome.files, [d.format() for d in outcome.report]
    return site.root / "site"


def text_of(html: str) -> str:
    import re
    return re.sub(r"<[^>]+>", "", html)


def test_guide_lists_the_column_tree_office_time_limits_and_remedies(make_site):
    catalog = CATALOG.replace("  demo: true\n", "  demo: true\n  fax: 0660-1111111\n  email: gk@example.gov.cn\n"
                              "  office_hours: 周一至周五\n  disclosure_office: 测试市环境保护局政务公开办\n"
                              "  supervisor: 测试市人民政府办公室\n")
    out = built(make_site, catalog)
    html = (out / "disclosure-guide.html").read_text(encoding="utf-8")
    text = text_of(html)
    for column, path in (("组织机构", "organization/index.html"), ("规范性文件", "documents/normative/index.html"),
                         ("财政预决算", "budgets/index.html")):
        assert f'<a href="{path}">{column}</a>' in html
    assert '<a href="key-areas/eia.html">环评审批</a>' in html
    for fact in ("名称测试市环境保护局政务公开办", "办公地址测试市测试路1号", "办公时间周一至周五", "联系电话0660-0000000",
                 "传真0660-1111111", "电子邮箱gk@example.gov.cn"):
        assert fact in text.replace("\n", "").replace(" ", ""), fact
    assert "20 个工作日内答复" in text and "最长不超过 20 个工作日" in text and "7 个工作日内一次性告知申请人补正" in text
    assert "政府信息公开工作主管部门（测试市人民政府办公室）投诉、举报" in text and "行政复议" in text
    assert "1144150000717074X7/2024-00001" in text


def test_guide_follows_catalog_changes_and_defaults_the_office_name(make_site):
    catalog = CATALOG.replace("  - {id: news, title: 工作动态, type: news}",
                              "  - {id: news, title: 工作动态, type: news, description: 本局新闻}\n"
                              "  - {id: notices, title: 通知公告, type: news}")
    html = (built(make_site, catalog) / "disclosure-guide.html").read_text(encoding="utf-8")
    assert '<a href="notices/index.html">通知公告</a>' in html
    assert "工作动态</a>：本局新闻" in html
    assert "<dd>测试市环境保护局办公室</dd>" in html


def test_request_page_links_the_form_and_explains_the_process(make_site):
    out = built(make_site)
    html = (out / "request.html").read_text(encoding="utf-8")
    assert f'<a href="{FORM}" download>' in html
    text = text_of(html)
    for step in ("收到申请", "补正", "答复", "送达", "申请人的姓名或者名称、身份证明、联系方式"):
        assert step in text, step


def test_application_form_is_a_word_document_with_the_fields_of_article_29(make_site):
    out = built(make_site)
    document = docx.Document(str(out / FORM))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "测试市环境保护局政府信息公开申请表"
    assert "受理机构：测试市环境保护局办公室" in paragraphs
    labels = [row.cells[0].text for table in document.tables for row in table.rows]
    for field in ("姓名", "证件名称", "联系电话", "名称", "统一社会信用代码", "所需政府信息的名称", "文号（如有）",
                  "便于查询的其他特征性描述", "获取方式（□邮寄 □电子邮件 □传真 □自行领取）", "签名或盖章"):
        assert field in labels, field
    assert all(row.cells[1].text == "" for table in document.tables for row in table.rows[1:])


def test_application_form_is_byte_identical_across_builds(make_site):
    out = built(make_site)
    first = (out / FORM).read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    out = built(make_site)
    assert (out / FORM).read_bytes() == first

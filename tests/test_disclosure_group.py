"""The 「政府信息公开」 column group: the home page's four links, the 法定主动公开内容 and 主动公开基本目录 pages, their
catalog.yaml keys, and the 纠错 link on every page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CATALOG, REPO, entry

GROUP_COLUMNS = ("  - {id: news, title: 工作动态, type: news}\n"
                 "  - {id: rules, title: 制度文件, type: document}\n"
                 "  - {id: reports, title: 年度报告, type: document}\n")
GROUP = "disclosure_group:\n  rules: rules\n  annual_reports: reports\n"
GROUP_CATALOG = CATALOG.replace("  - {id: news, title: 工作动态, type: news}\n", GROUP_COLUMNS) + GROUP


class _Page(HTMLParser):
    """Links (with the class of the element around them) and the rows of every table, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, tuple[str, ...]]] = []
        self.rows: dict[str, list[list[str]]] = {}
        self._open: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""
        self._table = ""
        self._cells: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("section", "ul", "li", "nav", "footer", "div"):
            self._open.append((tag, found.get("class") or ""))
        if tag == "a":
            self._href, self._text = found.get("href") or "", ""
        if tag == "table":
            self._table = found.get("id") or ""
            self.rows[self._table] = []
        if tag == "tr":
            self._cells = []
        if tag in ("td", "th") and self._cells is not None:
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("section", "ul", "li", "nav", "footer", "div") and self._open:
            self._open.pop()
        if tag == "a" and self._href is not None:
            self.links.append((self._text.strip(), self._href, tuple(cls for _, cls in self._open if cls)))
            self._href = None
        if tag == "tr" and self._cells is not None:
            self.rows[self._table].append([cell.strip() for cell in self._cells])
            self._cells = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data
        if self._cells:
            self._cells[-1] += data


def parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def built(make_site, files: dict[str, str] | None = None, catalog: str = GROUP_CATALOG) -> Path:
    site = make_site(files or {"content/news/a.md": entry()}, catalog=catalog)
    outcome = site.build()
    assert outcome.files, [d.format() for d in outcome.report]
    return site.root / "site"


# ── the home page's 政府信息公开 group ──

def group_links(out: Path) -> list[tuple[str, str]]:
    return [(text, href) for text, href, around in parsed(out / "index.html").links if "disclosure-links" in around]


def test_home_page_links_guide_rules_statutory_content_and_annual_reports_in_that_order(make_site):
    out = built(make_site)
    links = group_links(out)
    assert links == [("政府信息公开指南", "disclosure-guide.html"), ("政府信息公开制度", "rules/index.html"),
                     ("法定主动公开内容", "statutory.html"), ("政府信息公开年报", "reports/index.html")]
    assert all((out / href).is_file() for _, href in links)
    assert [href for text, href, around in parsed(out / "index.html").links
            if text == "主动公开基本目录" and "disclosure-group" in around] == ["basic-catalogue.html"]


def test_the_group_may_name_sub_columns_by_path_and_chinese_keys(make_site):
    catalog = CATALOG + "政府信息公开专栏:\n  政府信息公开制度: documents/normative\n"
    assert group_links(built(make_site, catalog=catalog)) == [
        ("政府信息公开指南", "disclosure-guide.html"), ("政府信息公开制度", "documents/normative/index.html"),
        ("法定主动公开内容", "statutory.html")]


# ── catalog.yaml: the group, the columns' new keys, the 纠错 address ──

def test_group_naming_an_unknown_column_is_an_error_at_its_line(make_site):
    catalog = GROUP_CATALOG.replace("  rules: rules\n", "  rules: regulations\n")
    [message] = make_site(catalog=catalog).messages()
    assert message.startswith("catalog.yaml:32: 错误 [DISCLOSURE_GROUP] disclosure_group（政府信息公开专栏）："
                              "rules（政府信息公开制度）「regulations」不是 columns 中的栏目；可选：organization、documents、"
                              "documents/normative、")


def test_one_column_cannot_be_both_rules_and_annual_reports(make_site):
    catalog = CATALOG + "政府信息公开专栏:\n  政府信息公开制度: news\n  政府信息公开年报: news\n"
    assert make_site(catalog=catalog).messages() == [
        "catalog.yaml:31: 错误 [DISCLOSURE_GROUP] disclosure_group（政府信息公开专栏）：annual_reports（政府信息公开年报）"
        "「news」已是政府信息公开制度栏目：每项各用一个栏目"]


def test_group_values_must_be_column_paths(make_site):
    catalog = CATALOG + "disclosure_group:\n  rules: 制度\n"
    [message] = make_site(catalog=catalog).messages()
    assert message.startswith("catalog.yaml:30: 错误 [BAD_VALUE] disclosure_group（政府信息公开专栏）：rules（政府信息公开制度）："
                              "值「制度」不是栏目 id 路径")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("{id: guides, title: 办事指南, type: guide}", "{id: guides, title: 办事指南, type: guide, 责任部门: 窗口科}",
     "catalog.yaml:22: 错误 [NOT_IN_VOCABULARY] columns：第 5 项 department（责任部门）：值「窗口科」不在 catalog.yaml 的 "
     "departments 中；可选：办公室、法制科、监察分局、环保窗口、信息中心"),
    ("{id: eia, title: 环评审批, description: 建设项目环评审批信息}",
     "{id: eia, title: 环评审批, description: 建设项目环评审批信息, department: 窗口科}",
     "catalog.yaml:26: 错误 [NOT_IN_VOCABULARY] key_areas：第 1 项 department（责任部门）：值「窗口科」不在 catalog.yaml 的 "
     "departments 中；可选：办公室、法制科、监察分局、环保窗口、信息中心"),
    ("{id: budgets, title: 财政预决算, type: budget}", "{id: budgets, title: 财政预决算, type: budget, statutory: [7, 16]}",
     "catalog.yaml:23: 错误 [BAD_VALUE] columns：第 6 项 statutory（法定公开事项）：值16不是《条例》第二十条的项号：应写 1 至 15 的"
     "数字，例如 [5, 6] 表示第（五）项和第（六）项"),
    ("  demo: true\n", "  demo: true\n  纠错地址: zfwzzc.www.gov.cn\n",
     "catalog.yaml:11: 错误 [BAD_VALUE] site：error_report（纠错地址）：值「zfwzzc.www.gov.cn」不是网址，应写成以 https:// "
     "开头的完整地址，例如 https://zfwzzc.www.gov.cn/"),
])
def test_new_catalog_keys_are_checked_with_their_lines(make_site, old, new, expected):
    assert old in CATALOG
    assert make_site(catalog=CATALOG.replace(old, new)).messages() == [expected]


# ── 主动公开基本目录 ──

CANARIES = {
    # withheld, draft and future entries: newer than anything published and the only users of their departments
    "content/news/withheld.md": entry("依申请公开的动态", "2026-00091", "2026-03-03", department="法制科",
                                      disclosure="依申请公开", withhold_reason="涉及第三方商业秘密"),
    "content/documents/normative/draft.md": entry("草稿文件", "2026-00092", "2026-04-04", department="监察分局",
                                                  written="2026-04-01", draft="true"),
    "content/rules/future.md": entry("定时发布的制度", "2027-00093", "2027-05-05", department="信息中心",
                                     written="2026-11-20"),
}
PUBLISHED = {
    "content/news/a.md": entry("测试动态", "2024-00001", "2024-05-06", department="办公室", key_areas="[eia]"),
    "content/news/b.md": entry("另一条动态", "2025-00002", "2025-02-03", department="环保窗口"),
    "content/documents/normative/c.md": entry("规范性文件", "2024-00003", "2024-08-09", department="办公室",
                                              written="2024-08-01", key_areas="[eia]"),
}


def catalogue_rows(out: Path, table: str) -> list[list[str]]:
    return parsed(out / "basic-catalogue.html").rows[table][1:]


def test_basic_catalogue_lists_every_column_and_key_area_with_its_latest_published_date(make_site):
    catalog = GROUP_CATALOG.replace("{id: news, title: 工作动态, type: news}",
                                    "{id: news, title: 工作动态, type: news, freshness: news}")
    out = built(make_site, {**PUBLISHED, **CANARIES}, catalog)
    rows = catalogue_rows(out, "catalogue-columns")
    assert [(row[0], row[1].split("（")[0].strip(), row[-1]) for row in rows] == [
        ("1", "组织机构", "—"), ("2", "文件", "2024-08-09"), ("2.1", "文件 › 规范性文件", "2024-08-09"),
        ("3", "政策解读", "—"), ("4", "行政执法", "—"), ("5", "办事指南", "—"), ("6", "财政预决算", "—"),
        ("7", "工作动态", "2025-02-03"), ("8", "制度文件", "—"), ("9", "年度报告", "—")]
    news = rows[7]
    assert news[2] == "工作动态" and news[4] == "办公室、环保窗口" and news[5] == "至少每两周更新"
    assert rows[0][5] == "按实际更新" and rows[0][4] == "—"
    [area] = catalogue_rows(out, "catalogue-areas")
    assert area == ["1", "环评审批 （2 条）", "文件、工作动态", "建设项目环评审批信息", "办公室", "按实际更新", "2024-08-09"]


def test_withheld_drafts_and_future_entries_lend_the_catalogue_nothing(make_site):
    out = built(make_site, {**PUBLISHED, **CANARIES})
    html = (out / "basic-catalogue.html").read_text(encoding="utf-8")
    assert "2024-08-09" in html and "环保窗口" in html  # published facts are shown …
    for canary in ("法制科", "监察分局", "信息中心", "2026-03-03", "2026-04-04", "2027-05-05", "依申请公开的动态",
                   "草稿文件", "定时发布的制度"):
        assert canary not in html, canary  # … a withheld entry's department or date never


def test_configured_department_and_update_frequency_replace_the_derived_ones(make_site):
    catalog = GROUP_CATALOG.replace("{id: news, title: 工作动态, type: news}",
                                    "{id: news, title: 工作动态, type: news, 责任部门: 信息中心, 更新频率: 每个工作日}")
    rows = catalogue_rows(built(make_site, PUBLISHED, catalog), "catalogue-columns")
    assert rows[7][4:6] == ["信息中心", "每个工作日"]


def test_basic_catalogue_states_the_responsible_body_time_limit_channels_and_supervision(make_site):
    catalog = GROUP_CATALOG.replace("  demo: true\n", "  demo: true\n  supervisor: 测试市人民政府办公室\n")
    html = (built(make_site, catalog=catalog) / "basic-catalogue.html").read_text(encoding="utf-8")
    for fact in ("<dt>责任主体</dt><dd>测试市环境保护局</dd>", "自形成或者变更之日起 20 个工作日内公开",
                 "https://www.example.gov.cn/test/", "政府信息公开工作主管部门测试市人民政府办公室投诉、举报",
                 '<a href="tel:06600000000">0660-0000000</a>'):
        assert fact in html, fact
    assert 'role="region" aria-labelledby="catalogue-columns-caption" tabindex="0"' in html
    assert '<caption id="catalogue-columns-caption">' in html


# ── 法定主动公开内容 ──

def test_statutory_page_groups_columns_under_the_items_of_article_20(make_site):
    catalog = GROUP_CATALOG.replace("{id: budgets, title: 财政预决算, type: budget}",
                                    "{id: budgets, title: 财政预决算, type: budget, statutory: [7]}")
    catalog = catalog.replace("      - {id: normative, title: 规范性文件, type: document}",
                              "      - {id: normative, title: 规范性文件, type: document, 法定公开事项: [1]}")
    out = built(make_site, PUBLISHED, catalog)
    page, html = parsed(out / "statutory.html"), (out / "statutory.html").read_text(encoding="utf-8")
    assert "<h3>（一）行政法规、规章和规范性文件</h3>" in html and "<h3>（七）财政预算、决算信息</h3>" in html
    assert html.index("（一）") < html.index("documents/normative/index.html") < html.index("（七）")
    others = html.split('id="statutory-others"')[1].split("</section>")[0]
    assert "news/index.html" in others and "budgets/index.html" not in others
    main = html.split("<main")[1].split("</main>")[0]
    assert "rules/index.html" not in main and "reports/index.html" not in main  # the group's own columns
    assert ("规范性文件", "documents/normative/index.html") in [(t, h) for t, h, _ in page.links]


# ── 纠错 on every page ──

def error_links(out: Path) -> dict[str, list[str]]:
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 15
    return {str(p.relative_to(out)): [h for t, h, _ in parsed(p).links if t == "我为政府网站找错"] for p in pages}


@pytest.mark.parametrize(("change", "address"), [
    ({}, "https://zfwzzc.www.gov.cn/check_web/errorSubmit_new.jsp?site_code=4415000099"),
    ({'  site_code: "4415000099"\n': ""}, "https://zfwzzc.www.gov.cn/"),
    ({"  demo: true\n": "  demo: true\n  error_report: https://www.example.gov.cn/jiucuo?site=test&from=footer\n"},
     "https://www.example.gov.cn/jiucuo?site=test&from=footer"),
])
def test_every_page_links_the_error_report_address(make_site, change, address):
    catalog = GROUP_CATALOG
    for old, new in change.items():
        catalog = catalog.replace(old, new)
    links = error_links(built(make_site, PUBLISHED, catalog))
    assert {page: found for page, found in links.items() if address not in found} == {}


# ── the demo keeps one 政府信息公开指南 ──

def test_the_demo_has_one_disclosure_guide_the_generated_one(demo_site):
    assert not (REPO / "content" / "organization" / "disclosure-guide.md").exists()
    titled = [str(p.relative_to(demo_site)) for p in demo_site.rglob("*.html")
              if "<title>汕尾市环境保护局政府信息公开指南" in p.read_text(encoding="utf-8")
              or "<title>政府信息公开指南 -" in p.read_text(encoding="utf-8")]
    assert titled == ["disclosure-guide.html"]
    assert not (demo_site / "entries" / "2025-00041.html").exists()
    assert not [p for p in demo_site.rglob("*") if p.is_file() and b"2025-00041" in p.read_bytes()]
    assert group_links(demo_site)[0] == ("政府信息公开指南", "disclosure-guide.html")
    assert [text for text, _ in group_links(demo_site)] == ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容",
                                                           "政府信息公开年报"]


# ── a phone ──

def test_on_a_phone_the_basic_catalogue_scrolls_inside_its_frame_not_the_page(browser, nginx_demo):
    from browser import SCREENSHOTS

    ctx = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN")
    try:
        page = ctx.new_page()
        page.goto(nginx_demo + "basic-catalogue.html")
        page.wait_for_load_state("networkidle")
        frame = page.locator(".table-scroll").first
        widths = frame.evaluate("e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX]")
        assert widths[0] > widths[1] and widths[2] == "auto", widths  # the table is wider than its frame …
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # … and the page is not
        frame.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        assert frame.evaluate("e => e.scrollLeft") > 0
        dates = page.locator("#catalogue-columns td.col-date time")
        assert dates.count() > 10
        assert dates.evaluate_all("els => els.every(e => e.getClientRects().length === 1)")  # no date breaks a line
        numbers = page.locator("#catalogue-columns td.num")
        assert numbers.evaluate_all("els => els.every(e => getComputedStyle(e).whiteSpace === 'nowrap')")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        frame.evaluate("e => { e.scrollLeft = 0; }")
        frame.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "basic-catalogue-phone.png"))
    finally:
        ctx.close()

"""catalog.yaml: the bureau's identity, vocabularies, column tree and key areas."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from ..core import values as v
from ..core.diagnostics import ADJUSTABLE_RULES, SEVERITY_NAMES, Severity
from ..core.frozen import remembered_repr
from ..core.schema import FieldError, Vocabulary, key
from .types import MODELS

CATALOG_FILE = "catalog.yaml"

ENTRY_TYPES = tuple(MODELS)
"""Content types a column can hold; the column's type decides the front-matter schema."""

FRESHNESS_DAYS = {"news": 14, "notices": 183}
"""Inspection thresholds (检查指标): days after which a column of this kind counts as not updated."""

FRESHNESS_FREQUENCY = {"news": "至少每两周更新", "notices": "至少每半年更新"}
"""更新频率 the 主动公开基本目录 shows for a column with a ``freshness`` but no ``update_frequency``."""

DEFAULT_FREQUENCY = "按实际更新"
"""更新频率 of a column or key area that says nothing about it: published as the information arises."""

ERROR_REPORT_PLATFORM = "https://zfwzzc.www.gov.cn/"
"""国务院办公厅「我为政府网站找错」监督举报平台 on 中国政府网, the 纠错 address when a site names none."""

ERROR_REPORT_FORM = "https://zfwzzc.www.gov.cn/check_web/errorSubmit_new.jsp?site_code={site_code}"
"""The platform's report form for one website, the common footer link of sites that have a 网站标识码."""

ARTICLE_20 = (
    "行政法规、规章和规范性文件",
    "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    "国民经济和社会发展统计信息",
    "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    "财政预算、决算信息",
    "行政事业性收费项目及其依据、标准",
    "政府集中采购项目的目录、标准及实施情况",
    "重大建设项目的批准和实施情况",
    "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    "突发公共事件的应急预案、预警信息及应对情况",
    "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    "公务员招考的职位、名额、报考条件等事项以及录用结果",
    "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
)
"""The fifteen kinds of information 《政府信息公开条例》 第二十条 requires every administrative body to publish,
verbatim; a column's ``statutory`` names the items (1–15) it holds."""

NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五")
"""Chinese item numerals of 第二十条, as the law writes them: （一）…（十五）."""

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_ORG_CODE = re.compile(r"[0-9A-Z]{8}[0-9X]|[0-9A-HJ-NPQRTUWXY]{18}")


def parse_org_code(value: Any, vocab: Vocabulary) -> str:
    if not isinstance(value, str):
        raise FieldError(
            f"必须加英文引号写成文字，例如 org_code: \"007170744\"；不加引号时 YAML 把它读成了 {value!r}，"
            "索引号前段码会因此改变")
    code = value.strip()
    if not _ORG_CODE.fullmatch(code):
        raise FieldError(f"值「{code}」不是 9 位组织机构代码或 18 位统一社会信用代码（大写字母和数字，不含「-」）")
    return code


def _base_url(value: Any, vocab: Vocabulary) -> str:
    url = v.text(value, vocab)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise FieldError(f"值「{url}」不是网站地址，应写成 https://域名/子路径/，例如 https://www.example.gov.cn/swhbj/")
    return url if url.endswith("/") else url + "/"


def _web_address(value: Any, vocab: Vocabulary) -> str:
    url = v.text(value, vocab)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in url):
        raise FieldError(f"值「{url}」不是网址，应写成以 https:// 开头的完整地址，例如 {ERROR_REPORT_PLATFORM}")
    return url


def _article_20_items(value: Any, vocab: Vocabulary) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= len(ARTICLE_20):
            raise FieldError(f"值{item!r}不是《条例》第二十条的项号：应写 1 至 15 的数字，例如 [5, 6] 表示第（五）项和"
                             "第（六）项", at=(index,) if isinstance(value, list) else ())
    return tuple(sorted(set(items)))


def _column_path(value: Any, vocab: Vocabulary) -> tuple[str, ...]:
    text = v.text(value, vocab)
    parts = tuple(text.strip("/").split("/"))
    if not all(_ID.fullmatch(part) for part in parts):
        raise FieldError(f"值「{text}」不是栏目 id 路径：应写 columns 中栏目的 id（小写英文字母、数字和「-」），"
                         "子栏目写成「父栏目 id/子栏目 id」")
    return parts


def _severity_overrides(value: Any, vocab: Vocabulary) -> dict[str, Severity | None]:
    if not isinstance(value, dict):
        raise FieldError("应为「规则代码: error|warning|notice|off」映射")
    overrides = {}
    for code, level in value.items():
        level = "off" if level is False else level  # YAML 1.1 reads a bare off as false
        if code not in ADJUSTABLE_RULES:
            raise FieldError(f"规则「{code}」不能调整级别；可调整的规则：{'、'.join(ADJUSTABLE_RULES)}", at=(str(code),))
        if level not in SEVERITY_NAMES:
            raise FieldError(f"级别「{level}」无效，应为 error、warning、notice 或 off", at=(str(code),))
        overrides[str(code)] = SEVERITY_NAMES[level]
    return overrides


def _column_id(value: Any, vocab: Vocabulary) -> str:
    ident = v.text(value, vocab)
    if not _ID.fullmatch(ident):
        raise FieldError(f"值「{ident}」只能包含小写英文字母、数字和「-」，它同时是 content/ 下的文件夹名")
    return ident


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class Site:
    """The publishing body and the website's identity, shown in every page footer."""

    name: str = key(None, v.text, required=True)
    """发布机构/主办单位 full name; the default 发布机构 of every entry."""
    org_code: str = key(None, parse_org_code, required=True)
    """索引号前段码: 9-char 组织机构代码 or 18-char 统一社会信用代码."""
    base_url: str = key(None, _base_url, required=True)
    """Absolute address the site is published at, possibly with a sub-path; always ends with ``/``."""
    site_code: str | None = key(None, v.text)
    """政府网站标识码 (10 characters)."""
    icp: str | None = key(None, v.text)
    """ICP 备案编号, linked to the MIIT register."""
    police_record: str | None = key(None, v.text)
    """公安机关备案号, linked to the public-security register."""
    address: str | None = key(None, v.text)
    """办公地址."""
    postcode: str | None = key(None, v.text)
    """邮政编码."""
    phone: str | None = key(None, v.text)
    """联系电话."""
    fax: str | None = key(None, v.text)
    """传真号码."""
    office_hours: str | None = key(None, v.text)
    """办公时间."""
    email: str | None = key(None, v.text)
    """互联网联系方式 (e-mail)."""
    disclosure_office: str | None = key(None, v.text)
    """政府信息公开工作机构 that receives requests; the 公开指南 uses ``<name>办公室`` when unset."""
    supervisor: str | None = key(None, v.text)
    """政府信息公开工作主管部门 that takes complaints (条例 第五十一条), named in the 公开指南."""
    conac_id: str | None = key(None, v.text)
    """党政机关网站标识 certificate id; the footer mark links to its record when set."""
    error_report: str | None = key("纠错地址", _web_address)
    """Where the footer's 「我为政府网站找错」 link goes; :attr:`error_report_url` says what it is when unset."""
    demo: bool = key(None, v.boolean, default=False)
    """True when the content is sample data; every page then says so."""
    review_office: str | None = key("政务公开工作机构", v.text)
    """政务公开工作机构 that reviews a policy document before it is withheld; see :attr:`reviewing_office`."""

    @property
    def reviewing_office(self) -> str:
        """The office a withheld policy's ``review`` must name: ``review_office``, else ``disclosure_office``, else
        ``<name>办公室`` (as the 公开指南 names the 政府信息公开工作机构)."""
        return self.review_office or self.disclosure_office or f"{self.name}办公室"

    @property
    def error_report_url(self) -> str:
        """The 纠错 address: ``error_report``, else the national platform's form for this site's 网站标识码, else the
        platform itself."""
        if self.error_report:
            return self.error_report
        if self.site_code:
            return ERROR_REPORT_FORM.format(site_code=quote(self.site_code, safe=""))
        return ERROR_REPORT_PLATFORM


def _children(value: Any, vocab: Vocabulary) -> Any:
    return v.records(Column)(value, vocab)


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class Column:
    """One node of the catalogue tree (栏目); its folder under content/ is its id path."""

    id: str = key(None, _column_id, required=True)
    """Folder name and URL segment."""
    title: str = key(None, v.text, required=True)
    """栏目名称 shown to the public."""
    type: str = key(None, v.choice(ENTRY_TYPES), required=True)
    """Content type of the entries in this column; decides their schema."""
    description: str | None = key(None, v.text)
    """One-sentence explanation shown on the column page."""
    freshness: str | None = key(None, v.choice(tuple(FRESHNESS_DAYS)))
    """How often the column must be updated: ``news`` (动态/要闻, 14 days) or ``notices`` (通知公告/政策文件, 6 months)."""
    department: str | None = key("责任部门", v.vocabulary("departments"))
    """The 主动公开基本目录's 责任部门 for the column; unset, the departments of its published entries are shown."""
    update_frequency: str | None = key("更新频率", v.text)
    """更新频率 in the 主动公开基本目录, e.g. 实时更新 or 按年度; unset, it follows ``freshness``."""
    statutory: tuple[int, ...] = key("法定公开事项", _article_20_items, default=())
    """Items (1–15) of 条例 第二十条 whose information the column holds, for the 法定主动公开内容 page."""
    children: tuple[Column, ...] = key(None, _children, default=())
    """Sub-columns."""
    parent: tuple[str, ...] = ()
    """Id path of the parent column (filled in after loading)."""

    @property
    def path(self) -> tuple[str, ...]:
        """Id path from the top, e.g. ``("documents", "normative")``."""
        return (*self.parent, self.id)

    @property
    def path_text(self) -> str:
        """Id path joined with ``/``, as used in catalogue.json."""
        return "/".join(self.path)

    def walk(self) -> Iterator[Column]:
        """This column and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class KeyArea:
    """重点领域 section collecting entries from any column."""

    id: str = key(None, _column_id, required=True)
    """URL segment and the value entries list in ``key_areas``."""
    title: str = key(None, v.text, required=True)
    """Section title."""
    description: str | None = key(None, v.text)
    """What the section covers."""
    department: str | None = key("责任部门", v.vocabulary("departments"))
    """The 主动公开基本目录's 责任部门 for the area; unset, the departments of its published entries are shown."""
    update_frequency: str | None = key("更新频率", v.text)
    """更新频率 in the 主动公开基本目录; unset, 按实际更新."""


@dataclass(frozen=True, kw_only=True)
class DisclosureGroup:
    """The 「政府信息公开」 column group (国办公开办函〔2019〕61号): which columns are its 政府信息公开制度 and its
    政府信息公开年报; the 指南 and 法定主动公开内容 are generated pages."""

    rules: tuple[str, ...] | None = key("政府信息公开制度", _column_path)
    """Id path of the column holding the body's own disclosure rules (工作制度、保密审查制度 …)."""
    annual_reports: tuple[str, ...] | None = key("政府信息公开年报", _column_path)
    """Id path of the column holding the 政府信息公开工作年度报告."""


def _words(value: Any, vocab: Vocabulary) -> tuple[str, ...]:
    words = v.text_list(value, vocab)
    if not words:
        raise FieldError("至少写一个词或问法，每项一行，以「- 」开头")
    return words


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class BestBet:
    """A 推荐 result: the page shown first, marked 推荐, when a query contains one of its words."""

    words: tuple[str, ...] = key(None, _words, required=True)
    """Words and question forms, e.g. 怎么申请, 年报; matched inside the query, ignoring width, case and spaces."""
    target: str = key(None, v.text, required=True)
    """What it points to: a generated page (``request.html``), a column id path (``annual-reports``) or a 索引号."""
    title: str = key(None, v.text, required=True)
    """The link text shown to the public."""
    note: str | None = key(None, v.text)
    """One line under the title saying what the page offers."""


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class Search:
    """The search page's settings."""

    best_bets: tuple[BestBet, ...] = key(None, v.records(BestBet), default=())
    """推荐 results, checked by ``check``: every target must exist and be published."""


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class RequiredColumn:
    """A first-level column the bureau's own rules (e.g. a work plan) require, with the type it must have."""

    id: str = key(None, _column_id, required=True)
    """The first-level column's id; a catalogue without it gets MISSING_COLUMN (a 全站提醒)."""
    type: str = key(None, v.choice(ENTRY_TYPES), required=True)
    """The type that column must have; another type is a COLUMN_TYPE error."""


@dataclass(frozen=True, kw_only=True, repr=False)
class SiteConfig:
    """Everything catalog.yaml declares."""

    site: Site = key(None, v.record(Site), required=True)
    """Identity of the bureau and the website."""
    departments: tuple[str, ...] = key(None, v.text_list, required=True)
    """责任部门 vocabulary."""
    topics: tuple[str, ...] = key(None, v.text_list, default=())
    """主题分类 vocabulary."""
    columns: tuple[Column, ...] = key(None, v.records(Column), required=True)
    """The column tree."""
    key_areas: tuple[KeyArea, ...] = key(None, v.records(KeyArea), default=())
    """重点领域 sections."""
    disclosure_group: DisclosureGroup = key("政府信息公开专栏", v.record(DisclosureGroup),
                                            default=DisclosureGroup())
    """Which columns the home page's 政府信息公开 group links as its 制度 and 年报."""
    severity: dict[str, Severity | None] = key(None, _severity_overrides, default={})
    """Changed severity of adjustable rules, e.g. ``{INTERPRETATION_DEPARTMENT: error}``; ``off`` disables."""
    calendar_fails_check: bool = key(None, v.boolean, default=False)
    """``check`` (never ``build`` or ``deploy``) also fails on 全站提醒 (stale or empty columns, late items), for a
    site's own review pipeline."""
    search: Search = key(None, v.record(Search), default=Search())
    """Search page settings: ``best_bets``."""
    required_departments: tuple[str, ...] = key("必备责任部门", v.text_list, default=())
    """Departments the bureau's rules assign tasks to: ``departments`` must list each (MISSING_DEPARTMENT).
    The engine requires none; a site states its own."""
    required_columns: tuple[RequiredColumn, ...] = key("必备栏目", v.records(RequiredColumn), default=())
    """First-level columns the bureau's rules require, each with its type (MISSING_COLUMN, COLUMN_TYPE)."""
    required_head_briefing: bool = key("主要负责同志年度解读", v.boolean, default=False)
    """The bureau's rules want its 主要负责同志 to interpret a policy at least once a year: each year without a
    published interpretation with ``speaker_is_head`` is a 全站提醒 (HEAD_BRIEFING_MISSING)."""
    by_path: dict[tuple[str, ...], Column] = field(default_factory=dict, compare=False)
    """Every column by its id path (filled in after loading)."""
    lines: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False)
    """catalog.yaml line of each column's ``id``, for messages about columns."""
    key_lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False)
    """catalog.yaml line of every key and list item, by its path from the top, for messages about settings."""
    digest: str = field(default="", compare=False)
    """SHA-256 of catalog.yaml's bytes as read for this build: what cached steps depend on (the file is read once)."""

    def __repr__(self) -> str:
        # Everything here comes from catalog.yaml's bytes, so their hash names the whole value (in cache keys)
        # without writing out the column tree for every page; a configuration made in code is written in full.
        if self.digest:
            return f"SiteConfig(digest={self.digest!r})"
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__dataclass_fields__)
        return f"SiteConfig({fields})"

    def line_of_column(self, column: Column) -> int:
        """Where a column is declared in catalog.yaml."""
        return self.lines.get(column.path, 1)

    def line_at(self, path: tuple[str | int, ...]) -> int:
        """The catalog.yaml line of ``path`` or of its nearest ancestor that has one."""
        while path and path not in self.key_lines:
            path = path[:-1]
        return self.key_lines.get(path, 1)

    def vocabulary(self) -> Vocabulary:
        """The values front matter is checked against."""
        return Vocabulary(self.site.org_code, self.departments, self.topics, tuple(a.id for a in self.key_areas))

    def trail(self, path: tuple[str, ...]) -> list[Column]:
        """Columns from the top down to ``path``, for breadcrumbs."""
        return [self.by_path[path[:depth]] for depth in range(1, len(path) + 1)]

    def group_column(self, role: str) -> Column | None:
        """The column playing ``role`` (``rules`` or ``annual_reports``) in the 政府信息公开 group, if one does."""
        path: tuple[str, ...] | None = getattr(self.disclosure_group, role)
        return None if path is None else self.by_path.get(path)

    def all_columns(self) -> Iterator[Column]:
        """Every column, depth first in catalog.yaml order."""
        for column in self.columns:
            yield from column.walk()

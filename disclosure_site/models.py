"""Front-matter models, one per content type.

Canonical keys are English; each also accepts the Chinese alias given to :func:`key`.
The editors' guide lists the same keys (README, 内容约定).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from . import values as v
from .schema import Vocabulary, key
from .values import Moment

DISCLOSURE_PUBLIC = "主动公开"
DISCLOSURES = (DISCLOSURE_PUBLIC, "依申请公开", "不予公开")


@dataclass(frozen=True, kw_only=True)
class AttachmentRef:
    """An attachment as written in front matter."""

    file: str = key("文件", v.text, required=True)
    """Path relative to the entry file; must stay inside content/."""
    title: str = key("标题", v.text, required=True)
    """Link text shown to the public."""


@dataclass(frozen=True, kw_only=True)
class Leader:
    """A 领导 of the bureau (组织机构)."""

    name: str = key("姓名", v.text, required=True)
    """Full name."""
    post: str | None = key("职务", v.text)
    """Post, e.g. 局长."""
    duties: str | None = key("分工", v.text)
    """Areas of responsibility."""


@dataclass(frozen=True, kw_only=True)
class Unit:
    """A 内设机构 or directly affiliated unit."""

    name: str = key("名称", v.text, required=True)
    """Unit name."""
    duties: str | None = key("职责", v.text)
    """What the unit does."""
    phone: str | None = key("电话", v.text)
    """Public contact phone."""


@dataclass(frozen=True, kw_only=True)
class EntryMeta:
    """Keys every content type has."""

    title: str = key("标题", v.text, required=True)
    """名称: the entry's title (main title only)."""
    index_no: str = key("索引号", v.text, required=True)
    """索引号 ``ORG/YYYY-NNNNN``: ORG = site.org_code, YYYY = year of ``published``; never changes."""
    published: Moment = key("发布日期", v.moment, required=True)
    """发布日期, ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM``; entries dated after the build date wait."""
    written: dt.date | None = key("成文日期", v.date)
    """成文日期 (date the document was signed); shown as 「—」 when absent."""
    publisher: str | None = key("发布机构", v.text)
    """发布机构; defaults to site.name."""
    department: str | None = key("责任部门", v.vocabulary("departments"))
    """责任部门 from catalog.yaml ``departments``."""
    topic: str | None = key("主题分类", v.vocabulary("topics"))
    """主题分类 from catalog.yaml ``topics``; shown as 分类."""
    keywords: tuple[str, ...] = key("主题词", v.keywords, default=())
    """主题词: a list, or one string separated by 、，,; or spaces."""
    summary: str | None = key("内容概述", v.text)
    """内容概述."""
    disclosure: str = key("公开属性", v.choice(DISCLOSURES, "BAD_DISCLOSURE", {"不公开": "不予公开"}), required=True)
    """公开属性: 主动公开 is published; 依申请公开 and 不予公开 never appear in any output."""
    withhold_reason: str | None = key("不公开理由", v.text)
    """不公开理由, required unless 主动公开."""
    draft: bool = key("草稿", v.boolean, default=False)
    """A draft is validated but never published."""
    key_areas: tuple[str, ...] = key("重点领域", v.vocabulary_list("key_areas"), default=())
    """Ids of 重点领域 sections the entry also appears in."""
    attachments: tuple[AttachmentRef, ...] = key("附件", v.records(AttachmentRef), default=())
    """附件 list of ``{file, title}``."""


def _validity(value: Any, vocab: Vocabulary) -> str:
    return str(v.choice(("有效", "失效", "废止"))(value, vocab))


@dataclass(frozen=True, kw_only=True)
class DocumentMeta(EntryMeta):
    """文件: normative and other documents."""

    written: dt.date = key("成文日期", v.date, required=True)
    """成文日期, required for documents."""
    department: str = key("责任部门", v.vocabulary("departments"), required=True)
    """Drafting department, required (谁起草谁解读)."""
    doc_no: str | None = key("文号", v.text)
    """文号 such as 汕环〔2018〕429号."""
    policy: bool = key("政策性文件", v.boolean, default=False)
    """A policy document must be published with at least one 政策解读."""
    validity: str | None = key("有效性", _validity)
    """有效性: 有效 | 失效 | 废止."""
    genre: str | None = key("体裁", v.text)
    """体裁, e.g. 通知, 意见, 公告."""


INTERPRETATION_FORMS = ("文字解读", "图文解读", "图解", "音频", "视频", "新闻发布会", "在线访谈")


@dataclass(frozen=True, kw_only=True)
class InterpretationMeta(EntryMeta):
    """政策解读 of one policy document."""

    department: str = key("责任部门", v.vocabulary("departments"), required=True)
    """Interpreting department; should be the policy's drafting department."""
    interprets: str = key("解读对象", v.text, required=True)
    """索引号 of the policy document explained."""
    form: str | None = key("解读形式", v.choice(INTERPRETATION_FORMS))
    """解读形式."""


ENFORCEMENT_ACTIONS = ("行政许可", "行政处罚", "行政强制", "行政检查", "双随机抽查")


@dataclass(frozen=True, kw_only=True)
class EnforcementMeta(EntryMeta):
    """行政执法 result: permits, penalties, enforcement measures and inspections."""

    action: str | None = key("执法类别", v.choice(ENFORCEMENT_ACTIONS))
    """执法类别."""
    party: str | None = key("当事人", v.text)
    """当事人 (a person's name must be de-identified)."""
    decision_no: str | None = key("决定文号", v.text)
    """决定文号."""
    decided: dt.date | None = key("决定日期", v.date)
    """决定日期."""


@dataclass(frozen=True, kw_only=True)
class GuideMeta(EntryMeta):
    """办事指南 for one service item."""

    item_code: str | None = key("事项编码", v.text)
    """事项编码 (实施编码)."""
    basis: str | None = key("设定依据", v.text)
    """设定依据."""
    conditions: str | None = key("申请条件", v.text)
    """申请条件."""
    materials: tuple[str, ...] = key("申请材料", v.text_list, default=())
    """申请材料, one per line."""
    process: str | None = key("办理流程", v.text)
    """办理流程."""
    legal_limit: str | None = key("法定办结时限", v.text)
    """法定办结时限."""
    promised_limit: str | None = key("承诺办结时限", v.text)
    """承诺办结时限."""
    fee: str | None = key("收费标准", v.text)
    """收费标准 (write 不收费 when free)."""
    location: str | None = key("办理地点", v.text)
    """办理地点."""
    hours: str | None = key("办理时间", v.text)
    """办理时间."""
    phone: str | None = key("咨询电话", v.text)
    """咨询电话."""
    complaint: str | None = key("监督投诉", v.text)
    """监督投诉方式."""
    visits: int | None = key("到现场次数", v.integer(0, 10))
    """到办事现场次数."""


@dataclass(frozen=True, kw_only=True)
class BudgetMeta(EntryMeta):
    """财政预决算 publication."""

    year: int | None = key("年度", v.integer(1949, 2100))
    """Budget year."""
    kind: str | None = key("类别", v.choice(("预算", "决算", "三公经费")))
    """预算 | 决算 | 三公经费."""


@dataclass(frozen=True, kw_only=True)
class OrganizationMeta(EntryMeta):
    """组织机构: functions, leaders, internal units."""

    leaders: tuple[Leader, ...] = key("领导", v.records(Leader), default=())
    """领导 list of ``{name, post, duties}``."""
    units: tuple[Unit, ...] = key("内设机构", v.records(Unit), default=())
    """内设机构 list of ``{name, duties, phone}``."""


@dataclass(frozen=True, kw_only=True)
class NewsMeta(EntryMeta):
    """工作动态: nothing beyond the common keys."""


MODELS: dict[str, type[EntryMeta]] = {
    "organization": OrganizationMeta, "document": DocumentMeta, "interpretation": InterpretationMeta,
    "enforcement": EnforcementMeta, "guide": GuideMeta, "budget": BudgetMeta, "news": NewsMeta,
}
"""Front-matter model for each column type."""

TYPE_LABELS = {
    "organization": "组织机构", "document": "文件", "interpretation": "政策解读", "enforcement": "行政执法",
    "guide": "办事指南", "budget": "财政预决算", "news": "工作动态",
}
"""Chinese name of each content type."""



@dataclass(frozen=True)
class Attachment:
    """An attachment file that exists inside content/."""

    title: str
    """Link text."""
    source: str
    """Absolute path of the file on disk."""
    content_path: str
    """Path relative to content/, forward slashes; the output path is ``files/`` + this."""
    size: int
    """Size in bytes."""
    media_type: str
    """MIME type guessed from the file name."""

    @property
    def format_label(self) -> str:
        """File format shown to readers, e.g. ``PDF``."""
        suffix = self.content_path.rsplit(".", 1)[-1] if "." in self.content_path else ""
        return suffix.upper() or "文件"


@dataclass(frozen=True)
class Entry:
    """A validated content file: where it sits, its front matter and its Markdown body."""

    rel: str
    """Source path relative to the site root (for messages)."""
    column_path: tuple[str, ...]
    """Id path of the column folder the file sits in."""
    type: str
    """Content type, from the column."""
    meta: EntryMeta
    """Validated front matter (a subclass per type)."""
    body: str
    """Markdown body."""
    body_line: int
    """File line where the body starts."""
    key_lines: dict[str, int]
    """File line of each top-level front-matter key, by canonical name."""
    attachments: tuple[Attachment, ...]
    """Attachment files, checked to exist."""

    @property
    def serial(self) -> str:
        """The 索引号 后段码 ``YYYY-NNNNN``; it names the entry's page."""
        return self.meta.index_no.rsplit("/", 1)[-1]

    def line(self, key_name: str) -> int:
        """Line of a top-level key, or 1 (the opening ``---``) when absent."""
        return self.key_lines.get(key_name, 1)

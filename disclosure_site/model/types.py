"""Front-matter models per content type; the column's ``type`` picks one from :data:`MODELS`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core import values as v
from ..core.frozen import remembered_repr
from ..core.schema import FieldError, Vocabulary, key
from ..core.values import Moment
from .annual_report import AnnualReportMeta
from .entry import DataColumn, EntryMeta, at_least_one
from .lists import ListMeta
from .review import PolicyReview
from .task import TaskMeta


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


VALIDITIES = ("有效", "失效", "废止")


def _validity(value: Any, vocab: Vocabulary) -> str:
    return str(v.choice(VALIDITIES)(value, vocab))


v.shaped(_validity, v.Shape("choice", options=VALIDITIES))


@dataclass(frozen=True, kw_only=True)
class DocumentMeta(EntryMeta):
    """文件: normative and other documents."""

    written: dt.date = key("成文日期", v.date, required=True)
    """成文日期, required for documents."""
    department: str = key("责任部门", v.vocabulary("departments"), required=True)
    """Drafting department, required (谁起草谁解读)."""
    doc_no: str | None = key("文号", v.text)
    """文号 such as 汕环〔2018〕429号."""
    organ_mark: str | None = key("发文机关标志", v.text)
    """发文机关标志 shown in red above the 文号 (e.g. 汕尾市环境保护局文件, or an organ's name alone on a 函);
    see :meth:`organ_line` for the default."""
    policy: bool = key("政策性文件", v.boolean, default=False)
    """A policy document must be published with at least one 政策解读."""
    validity: str | None = key("有效性", _validity)
    """有效性: 有效 | 失效 | 废止."""
    genre: str | None = key("体裁", v.text)
    """体裁, e.g. 通知, 意见, 公告."""
    superseded_by: str | None = key("替代文件", v.text)
    """索引号 of the document that replaces this one (usually with validity 失效 or 废止)."""
    normative: bool = key("规范性文件", v.boolean, default=False)
    """A 行政规范性文件: counted in the annual report's table 二 (``genre: 规章`` counts as 规章 there)."""
    repealed: dt.date | None = key("废止日期", v.date)
    """Date the document was repealed or ceased to be in force; table 二 counts it as 本年废止 in that year."""
    review: PolicyReview | None = key("公开审查", v.record(PolicyReview))
    """公开审查 ``{office, date, opinion}``: a policy document not 主动公开 needs it (工作要点 二(一)1(1)); never shown."""

    def organ_line(self) -> str | None:
        """The 发文机关标志 the page shows: ``organ_mark``, else 「发布机构 + 文件」 for a document with a 文号 (a 文件
        is what has one); a document without either has none."""
        if self.organ_mark:
            return self.organ_mark
        return f"{self.publisher}文件" if self.doc_no and self.publisher else None


INTERPRETATION_FORMS = ("文字解读", "图文解读", "图解", "音频", "视频", "新闻发布会", "在线访谈")
MEDIA_FORMS = {"图解": "image", "音频": "audio", "视频": "video"}
"""Forms that are a media file: each needs ``media`` with a file of this kind."""
RECORDING_FORMS = ("新闻发布会", "在线访谈")
"""Forms that need a 文字实录 (a transcript file, or the body); a recording (audio or video) is optional."""


@dataclass(frozen=True, kw_only=True)
class MediaRef:
    """解读媒体 as written in front matter: the media file and its text alternatives, paths relative to the entry."""

    file: str | None = key("文件", v.text)
    """The image (图解), audio or video; required for those forms, optional for a 新闻发布会 / 在线访谈 recording."""
    alt: str | None = key("替代文本", v.text)
    """Text alternative of an image: what the 图解 says (its figures, steps, conclusions), never just 「图片」."""
    transcript: str | None = key("文字稿", v.text)
    """Transcript file, .txt (UTF-8) or a PDF with selectable text: 文字稿 of audio or video, or 文字实录."""
    captions: str | None = key("字幕", v.text)
    """Captions of a video, a WebVTT (.vtt) file shown as 中文字幕."""


@dataclass(frozen=True, kw_only=True)
class InterpretationMeta(EntryMeta):
    """政策解读 of one policy document."""

    department: str = key("责任部门", v.vocabulary("departments"), required=True)
    """Interpreting department; should be the policy's drafting department."""
    interprets: str = key("解读对象", v.text, required=True)
    """索引号 of the policy document explained."""
    form: str | None = key("解读形式", v.choice(INTERPRETATION_FORMS))
    """解读形式."""
    media: MediaRef | None = key("解读媒体", v.record(MediaRef))
    """解读媒体 ``{file, alt, transcript, captions}``, shown inline; its files are published like attachments."""
    speaker: str | None = key("解读人", v.text)
    """Who gives the interpretation (解读人), shown on the page."""
    speaker_role: str | None = key("职务", v.text)
    """The speaker's post, e.g. 局长, shown after the name."""
    speaker_is_head: bool = key("主要负责同志", v.boolean, default=False)
    """The speaker is the bureau's 主要负责同志 (工作要点: 带头宣讲政策，每年不少于一次); counted per year."""


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
    """到办事现场次数; guides with at most one visit are listed on the 一次办 page."""
    changed: dt.date | None = key("变更批准日期", v.date)
    """Date a change to the service conditions was approved; it must be published within 1 working day."""


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


CONSULTATION_STATES = ("征求中", "已结束", "已反馈")


@dataclass(frozen=True, kw_only=True)
class ConsultationMeta(EntryMeta):
    """征求意见: a draft published for public comment, and later what was adopted."""

    opens: dt.date = key("征求开始日期", v.date, required=True)
    """First day comments are accepted."""
    closes: dt.date = key("征求截止日期", v.date, required=True)
    """Last day comments are accepted."""
    feedback: str | None = key("意见采纳情况", v.text)
    """Summary of the comments received and what was adopted (published after ``closes``)."""
    contact: str | None = key("意见反馈渠道", v.text)
    """How to send comments (address, e-mail)."""


RESPONSE_LEVELS = ("特别重大", "重大", "一般")


@dataclass(frozen=True, kw_only=True)
class ResponseMeta(EntryMeta):
    """回应关切: authoritative information in response to public concern about an event."""

    event_time: Moment = key("事件发生时间", v.moment, required=True)
    """When the event happened, ``YYYY-MM-DD HH:MM``."""
    level: str = key("事件级别", v.choice(RESPONSE_LEVELS), required=True)
    """特别重大 | 重大 | 一般; the first two must be answered within 5 hours."""


@dataclass(frozen=True, kw_only=True)
class ProposalMeta(EntryMeta):
    """建议提案办理: the reply to a 人大代表建议 or 政协委员提案."""

    kind: str = key("类别", v.choice(("人大代表建议", "政协委员提案")), required=True)
    """人大代表建议 | 政协委员提案."""
    number: str | None = key("建议提案编号", v.text)
    """Number assigned by the congress or conference, e.g. 第20240015号."""
    reply: str | None = key("答复全文", v.text)
    """Full text of the reply (the body may hold it instead)."""


def _web_address(value: Any, vocab: Vocabulary) -> str:
    url = v.text(value, vocab)
    if not url.startswith(("https://", "http://")):
        raise FieldError(f"值「{url}」不是网址，应以 https:// 或 http:// 开头")
    return url


v.shaped(_web_address, v.Shape("text"))


@dataclass(frozen=True, kw_only=True)
class ReprintMeta(EntryMeta):
    """转载: information first published elsewhere; the source is named on the page."""

    source_name: str = key("来源", v.text, required=True)
    """Name of the original publisher, shown as 来源."""
    source_url: str | None = key("来源网址", _web_address)
    """Address of the original."""


@dataclass(frozen=True, kw_only=True)
class MessageMeta(EntryMeta):
    """网民留言办理: a question from the public and the bureau's reply."""

    received: dt.date = key("收到日期", v.date, required=True)
    """Date the message was received."""
    replied: dt.date | None = key("答复日期", v.date)
    """Date of the reply; due within 5 working days."""
    question: str = key("留言内容", v.text, required=True)
    """The message (de-identified)."""
    reply: str | None = key("答复内容", v.text)
    """The reply."""


POWER_TYPES = ("行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认", "行政奖励",
               "行政裁决", "其他行政权力")


@dataclass(frozen=True, kw_only=True)
class PowerMeta(EntryMeta):
    """权责清单 item; the title is the 事项名称."""

    power_type: str = key("权力类别", v.choice(POWER_TYPES), required=True)
    """权力类别."""
    basis: str | None = key("设定依据", v.text)
    """设定依据."""
    implementer: str | None = key("实施主体", v.text)
    """实施主体; defaults to the site's name on pages."""


@dataclass(frozen=True, kw_only=True)
class DataFileRef:
    """A CSV file as written in front matter."""

    file: str = key("文件", v.text, required=True)
    """Path relative to the entry file; must be a .csv inside content/."""
    title: str = key("标题", v.text, required=True)
    """Name of the table shown to the public."""
    columns: tuple[DataColumn, ...] = key("字段", at_least_one(v.records(DataColumn)), required=True)
    """The columns, in header order."""


@dataclass(frozen=True, kw_only=True)
class DatasetMeta(EntryMeta):
    """数据开放: one or more CSV tables with declared columns; the body describes the data."""

    data: tuple[DataFileRef, ...] = key("数据文件", at_least_one(v.records(DataFileRef)), required=True)
    """数据文件 list of ``{file, title, columns}``."""
    frequency: str | None = key("更新频率", v.text)
    """How often the data is refreshed, e.g. 每月, 每年."""


MODELS: dict[str, type[EntryMeta]] = {
    "organization": OrganizationMeta, "document": DocumentMeta, "interpretation": InterpretationMeta,
    "enforcement": EnforcementMeta, "guide": GuideMeta, "budget": BudgetMeta, "news": NewsMeta,
    "consultation": ConsultationMeta, "response": ResponseMeta, "proposal": ProposalMeta, "reprint": ReprintMeta,
    "message": MessageMeta, "power": PowerMeta, "dataset": DatasetMeta, "annual_report": AnnualReportMeta,
    "task": TaskMeta,
    "list": ListMeta,
}
"""Front-matter model for each column type."""

for _model in MODELS.values():
    remembered_repr(_model)

TYPE_LABELS = {
    "organization": "组织机构", "document": "文件", "interpretation": "政策解读", "enforcement": "行政执法",
    "guide": "办事指南", "budget": "财政预决算", "news": "工作动态", "consultation": "征求意见",
    "response": "回应关切", "proposal": "建议提案办理", "reprint": "转载", "message": "网民留言办理",
    "power": "权责清单", "dataset": "数据集", "annual_report": "年度报告",
    "task": "执行公开任务",
    "list": "公共清单",
}
"""Chinese name of each content type."""

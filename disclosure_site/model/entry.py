"""The keys every entry has, and a validated entry with its attachments.

Type-specific keys live in :mod:`model.types`; a dataset's CSV files are described here too. Canonical keys are English; each also
accepts the Chinese alias given to :func:`key`; the editors' guide lists them all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core import values as v
from ..core.frozen import remembered_repr
from ..core.privacy import Finding
from ..core.schema import FieldError, Parser, Vocabulary, key
from ..core.values import Moment

DISCLOSURE_PUBLIC = "主动公开"
DISCLOSURES = (DISCLOSURE_PUBLIC, "依申请公开", "不予公开")
PRIVACY_EXEMPTIONS = ("惩戒公示", "强制性信息披露")
"""The seed's two cases in which personal data may be published without de-identification."""


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class AttachmentRef:
    """An attachment as written in front matter."""

    file: str = key("文件", v.text, required=True)
    """Path relative to the entry file; must stay inside content/."""
    title: str = key("标题", v.text, required=True)
    """Link text shown to the public."""


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class ChangeNote:
    """One change to a published entry, as its editors describe it to readers (修订说明)."""

    date: dt.date = key("日期", v.date, required=True)
    """Day the change was made, ``YYYY-MM-DD``; not before the 发布日期 nor after the build date."""
    note: str = key("说明", v.text, required=True)
    """What changed, in words for the public, e.g. 更正附件中的联系电话; scanned for personal data like the body."""


@remembered_repr
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
    changes: tuple[ChangeNote, ...] = key("修订说明", v.records(ChangeNote), default=())
    """修订说明 list of ``{date, note}``: the only text of the page's 更新记录 (commit messages never are)."""
    privacy_exempt: str | None = key("隐私豁免", v.choice(PRIVACY_EXEMPTIONS))
    """Personal data is published on purpose (惩戒公示 | 强制性信息披露); privacy findings become notices."""
    exempt_reason: str | None = key("豁免理由", v.text)
    """Legal basis of the exemption; required with ``privacy_exempt``."""
    implements: str | None = key("落实对象", v.text)
    """索引号 of the policy document (``policy: true``) or task (执行公开) this entry reports the carrying out of
    (落实情况, 评估报告); listed under 「落实情况」 on that page."""


@remembered_repr
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
    named_by: str = "attachments"
    """The front-matter key that names the file: ``attachments``, ``data`` (a dataset's CSV) or ``media``."""
    line: int = 1
    """Line of the entry file that names it, for messages about the file."""

    @property
    def format_label(self) -> str:
        """File format shown to readers, e.g. ``PDF``."""
        suffix = self.content_path.rsplit(".", 1)[-1] if "." in self.content_path else ""
        return suffix.upper() or "文件"


MEDIA_KINDS = {"image": "图片", "audio": "音频", "video": "视频"}
"""Kinds of media file an interpretation shows inline, with their Chinese names."""


@remembered_repr
@dataclass(frozen=True)
class Media:
    """An interpretation's 图解, 音频 or 视频 and its text alternatives, shown inline on its page.

    Every file here is also one of the entry's :attr:`Entry.attachments` (resolved, published and checked
    exactly like them); this only says how the page shows them.
    """

    kind: str | None
    """``image``, ``audio`` or ``video`` (see :data:`MEDIA_KINDS`); None when only a transcript is given."""
    file: Attachment | None
    """The media file itself."""
    alt: str | None = None
    """Text alternative of an image."""
    transcript: Attachment | None = None
    """文字稿 / 文字实录 file."""
    captions: Attachment | None = None
    """WebVTT captions of a video."""
    size: tuple[int, int] | None = None
    """Width and height of an image in pixels when its header says so (PNG, GIF, JPEG, WebP, SVG)."""

    @property
    def files(self) -> tuple[Attachment, ...]:
        """The files to publish, in the order the page lists them: media, transcript, captions."""
        return tuple(f for f in (self.file, self.transcript, self.captions) if f is not None)


@remembered_repr
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
    """File line of each front-matter key, by canonical name; nested keys as ``key/label/…``."""
    attachments: tuple[Attachment, ...]
    """Files published with the entry and listed as downloads, checked to exist: an interpretation's
    :attr:`media` files first, then ``attachments`` in the order written."""
    datasets: tuple[DataFile, ...] = ()
    """CSV files of a dataset entry (数据开放), checked against their declared columns."""
    digest: str = ""
    """SHA-256 of the source file's bytes: pages that show this entry are rebuilt when it changes."""
    convertible: bool = True
    """False when check found the body nested too deeply or too tangled to convert (an error already says so)."""
    media: Media | None = None
    """An interpretation's 图解, 音频 or 视频 and its transcript, shown inline (the files are among ``attachments``)."""
    stub_line: int | None = None
    """Line of the placeholder ``new`` wrote, while the body is nothing else (STUB_UNEDITED)."""
    table: ListTable | None = None
    """A list's (公共清单) rows, checked against its declared columns; None for other types or when invalid."""

    @property
    def serial(self) -> str:
        """The 索引号 后段码 ``YYYY-NNNNN``; it names the entry's page."""
        return self.meta.index_no.rsplit("/", 1)[-1]

    def line(self, key_name: str) -> int:
        """Line of a top-level key, or 1 (the opening ``---``) when absent."""
        return self.key_lines.get(key_name, 1)

    def item_line(self, key_name: str, index: int, *names: str) -> int:
        """Line of item ``index`` of a list key, or of the first of ``names`` (a field as written, canonical or
        alias) present in that item; the key's own line when the item has none."""
        for name in names:
            if f"{key_name}/{index}/{name}" in self.key_lines:
                return self.key_lines[f"{key_name}/{index}/{name}"]
        return self.key_lines.get(f"{key_name}/{index}", self.line(key_name))


def at_least_one(parse: Parser) -> Parser:
    """A list parser that also refuses an empty list (a dataset or list without files or columns
    says nothing)."""
    def check(value: Any, vocab: Vocabulary) -> tuple[Any, ...]:
        items: tuple[Any, ...] = parse(value, vocab)
        if not items:
            raise FieldError("至少要列出一项")
        return items
    shape = v.shape_of(parse)
    return v.shaped(check, shape) if shape else check


COLUMN_TYPES = ("文本", "整数", "小数", "日期")
"""The value types a dataset column may declare."""


@remembered_repr
@dataclass(frozen=True, kw_only=True)
class DataColumn:
    """One declared column of a CSV file."""

    name: str = key("名称", v.text, required=True)
    """Column name; the CSV header must list the names in this order."""
    type: str = key("类型", v.choice(COLUMN_TYPES), required=True)
    """文本 | 整数 | 小数 | 日期 (``YYYY-MM-DD``); every non-empty cell is checked against it."""
    unit: str | None = key("单位", v.text)
    """Unit of the values, e.g. 万元, μg/m³."""
    description: str | None = key("说明", v.text)
    """What the column means."""
    required: bool = key("必填", v.boolean, default=False)
    """Every row must fill this column (DATA_REQUIRED names each empty cell)."""


@remembered_repr
@dataclass(frozen=True)
class DataFile:
    """A dataset CSV that exists and matches its declaration."""

    title: str
    columns: tuple[DataColumn, ...]
    file: Attachment
    """The CSV, published under ``files/`` like an attachment."""
    rows: int
    """Number of data rows (blank lines are not counted)."""
    preview: tuple[tuple[str, ...], ...]
    """The first :data:`PREVIEW_ROWS` rows."""
    csv_rel: str
    """The CSV's path relative to the site root, for messages."""
    personal: tuple[tuple[int, Finding], ...] = ()
    """Unmasked ID, mobile or bank-card numbers with their CSV lines; reported only if the entry is published."""


@remembered_repr
@dataclass(frozen=True)
class ListTable:
    """A list's rows (from its CSV file or its front matter) that match its declared columns."""

    columns: tuple[DataColumn, ...]
    rows: tuple[tuple[str, ...], ...]
    """Every row's cells in column order, stripped."""
    basis: int
    """Index of the legal-basis (设定依据) column; no row leaves it empty."""
    source: str | None = None
    """Absolute path of the CSV the rows come from; None when written in front matter."""
    csv_rel: str | None = None
    """That CSV relative to the site root, for messages."""
    personal: tuple[tuple[int, Finding], ...] = ()
    """Unmasked ID, mobile or bank-card numbers in the CSV with their lines; reported only if the entry is published."""

"""JSON Schemas (draft 2020-12) of the open-data exports, published under ``schema/``.

Written out here rather than derived from the code so that the schema is the promise made to
data users: a record may gain keys (``additionalProperties`` stays open) but never lose or rename one.
"""

from __future__ import annotations

from typing import Any

from ..model import urls
from ..model.output import OutputFile
from ..model.types import MODELS
from .opendata import json_bytes

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_INDEX_NO = "^([0-9A-Z]{9}|[0-9A-Z]{18})/[0-9]{4}-[0-9]{5}$"
_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _text(description: str, *, nullable: bool = False, **rules: Any) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "description": description, **rules}


def _texts(description: str, **item_rules: Any) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": {"type": "string", **item_rules}}


RECORD_PROPERTIES: dict[str, dict[str, Any]] = {
    "index_no": _text("索引号：前段码（组织机构代码或统一社会信用代码）/年份-五位流水号，全站唯一，永不改变", pattern=_INDEX_NO),
    "title": _text("名称（标题）", minLength=1),
    "column": _text("栏目路径：栏目 id 以「/」连接，如 documents/normative", pattern="^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$"),
    "type": {"enum": sorted(MODELS), "description": "信息类型：document 文件、interpretation 政策解读、news 工作动态等"},
    "published": _text("发布日期：YYYY-MM-DD，带时刻时为 YYYY-MM-DDTHH:MM",
                       pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?$"),
    "written": _text("成文日期：YYYY-MM-DD；未填写时为 null", nullable=True, pattern=_DATE),
    "doc_no": _text("文号，如 汕环〔2018〕429号；非文件或无文号时为 null", nullable=True),
    "publisher": _text("发布机构"),
    "department": _text("责任部门；未填写时为 null", nullable=True),
    "topic": _text("主题分类；未填写时为 null", nullable=True),
    "keywords": _texts("主题词列表"),
    "key_areas": _texts("所属重点领域的 id 列表"),
    "summary": _text("内容概述；未填写时为 null", nullable=True),
    "validity": {"enum": ["有效", "失效", "废止", None], "description": "有效性（仅文件）；其余为 null"},
    "path": _text("条目页面相对于网站根目录的路径", pattern="^entries/[0-9]{4}-[0-9]{5}\\.html$"),
    "url": _text("条目页面的绝对地址", format="uri", pattern="^https?://"),
    "interprets": _text("解读对象（政策文件）的索引号；非政策解读为 null", nullable=True, pattern=_INDEX_NO),
    "interpretations": _texts("本政策文件已发布的政策解读的索引号列表；其余为空列表", pattern=_INDEX_NO),
    "data_path": _text("本条目 JSON 数据文件相对于网站根目录的路径（与页面同名，扩展名 .json）",
                       pattern="^entries/[0-9]{4}-[0-9]{5}\\.json$"),
    "implements": _text("落实对象（政策性文件或执行公开任务）的索引号；不是落实情况时为 null", nullable=True, pattern=_INDEX_NO),
    "implementations": _texts("本政策文件或任务已发布的落实情况的索引号列表；其余为空列表", pattern=_INDEX_NO),
}
"""Every key of a catalogue record, described for data users in Chinese."""

ATTACHMENT_PROPERTIES: dict[str, dict[str, Any]] = {
    "title": _text("附件名称（链接文字）", minLength=1),
    "path": _text("附件相对于网站根目录的路径", pattern="^files/"),
    "url": _text("附件的绝对地址", format="uri", pattern="^https?://"),
    "size": {"type": "integer", "minimum": 0, "description": "文件大小（字节）"},
    "media_type": _text("媒体类型（MIME），如 application/pdf", pattern="^[a-z0-9.+-]+/[a-zA-Z0-9.+-]+$"),
    "sha256": _text("文件的 SHA-256 校验值（64 位小写十六进制），可用 sha256sum 核对下载的文件", pattern="^[0-9a-f]{64}$"),
}
"""Every key of one attachment in an entry file."""

CHANGE_PROPERTIES: dict[str, dict[str, Any]] = {
    "date": _text("修改日期 YYYY-MM-DD，不早于发布日期", pattern=_DATE, format="date"),
    "note": _text("修订说明：改了什么", minLength=1),
}
"""Every key of one change note in an entry file."""

ENTRY_PROPERTIES: dict[str, dict[str, Any]] = {
    **RECORD_PROPERTIES,
    "body": _text("正文（Markdown 原文，不含编辑的注释）"),
    "first_published": _text("首次发布日期 YYYY-MM-DD，即发布日期（published）的日期部分", pattern=_DATE, format="date"),
    "last_updated": _text("最近更新日期 YYYY-MM-DD：发布日期、最新一条修订说明的日期和内容最近一次修改的日期中最晚的一个，"
                          "不早于发布日期；发布后未修改时等于发布日期", pattern=_DATE, format="date"),
    "changes": {"type": "array", "description": "修订说明（编辑为公众撰写），按日期从新到旧；没有时为空列表",
                "items": {"type": "object", "required": list(CHANGE_PROPERTIES), "properties": CHANGE_PROPERTIES}},
    "attachments": {"type": "array",
                    "description": "随条目发布的文件：政策解读的解读媒体（媒体文件、文字稿、字幕）在前，其后是附件，按条目中的顺序",
                    "items": {"type": "object", "required": list(ATTACHMENT_PROPERTIES),
                              "properties": ATTACHMENT_PROPERTIES}},
}
"""An entry file: the catalogue record plus its body, attachments and 更新记录."""


def _record(properties: dict[str, dict[str, Any]], description: str) -> dict[str, Any]:
    """An object that must have every listed key; later versions may add keys, so others are allowed."""
    return {"type": "object", "description": description, "required": list(properties), "properties": properties}


def catalogue_schema(base_url: str) -> dict[str, Any]:
    """Schema of ``catalogue.json`` and of every column's ``catalogue.json``."""
    return {
        "$schema": DIALECT, "$id": urls.absolute(base_url, urls.CATALOGUE_SCHEMA),
        "title": "政府信息公开目录（catalogue.json）",
        "description": "已发布条目的数组，按发布日期从新到旧、再按索引号排序；栏目的 catalogue.json 只含该栏目及其子栏目的条目",
        "type": "array",
        "items": _record(RECORD_PROPERTIES, "一条已发布的政府信息"),
    }


def entry_schema(base_url: str) -> dict[str, Any]:
    """Schema of ``entries/<YYYY-NNNNN>.json``."""
    return {
        "$schema": DIALECT, "$id": urls.absolute(base_url, urls.ENTRY_SCHEMA),
        "title": "一条政府信息的数据（entries/<后段码>.json）",
        **_record(ENTRY_PROPERTIES, "目录中的全部字段，另加正文、附件（含大小、媒体类型和 SHA-256 校验值）"
                                    "和更新记录（首次发布、最近更新、修订说明）"),
    }


def schema_files(base_url: str) -> list[OutputFile]:
    """Both schemas as published files."""
    return [OutputFile(urls.CATALOGUE_SCHEMA, json_bytes(catalogue_schema(base_url)), origin="数据结构说明"),
            OutputFile(urls.ENTRY_SCHEMA, json_bytes(entry_schema(base_url)), origin="数据结构说明")]

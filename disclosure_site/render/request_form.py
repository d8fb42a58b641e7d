"""The 政府信息公开申请表 as an editable Word document (.docx), built from the fields of 条例 第二十九条.

Applicants fill the form in Word or WPS, so it is a real Office Open XML file, not a PDF. It is written
by hand (three XML parts in a zip with fixed timestamps) so the file is byte-identical on every build;
a library would stamp the current time into it.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from ..model.output import OutputFile
from ..model.site import Site

FORM_PATH = "forms/disclosure-request.docx"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Zip entries carry a timestamp; a fixed one keeps the file identical across builds."""

APPLICANT_PERSON = ("姓名", "证件名称", "证件号码", "联系电话", "通信地址", "邮政编码", "电子邮箱")
APPLICANT_ORGANISATION = ("名称", "统一社会信用代码", "法定代表人或负责人", "联系人姓名", "联系电话", "通信地址", "电子邮箱")
REQUESTED = ("所需政府信息的名称", "文号（如有）", "便于查询的其他特征性描述")
FORM_NEEDS = ("提供形式（□纸质 □电子文件 □其他：____）", "获取方式（□邮寄 □电子邮件 □传真 □自行领取）")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def request_form(site: Site) -> OutputFile:
    """``forms/disclosure-request.docx``: the blank application form addressed to this bureau."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("word/document.xml", document_xml(site))):
            archive.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), text.encode("utf-8"),
                             compress_type=zipfile.ZIP_DEFLATED)
    return OutputFile(FORM_PATH, buffer.getvalue(), origin="依申请公开申请表")


def document_xml(site: Site) -> str:
    """The form's body: title, addressee, one table per part of the application, notes."""
    office = site.disclosure_office or f"{site.name}办公室"
    body = [
        _paragraph(f"{site.name}政府信息公开申请表", bold=True, centred=True, size=36),
        _paragraph(f"受理机构：{office}"),
        _table("申请人（公民填写）", APPLICANT_PERSON),
        _table("申请人（法人或者其他组织填写）", APPLICANT_ORGANISATION),
        _table("所需政府信息", REQUESTED),
        _table("形式要求", FORM_NEEDS),
        _table("申请人签名或盖章", ("签名或盖章", "申请日期")),
        _paragraph("说明：1. 申请人应提交身份证明复印件。2. 申请内容不明确的，本机关将在收到申请之日起 7 个工作日内"
                   "一次性告知补正。3. 本机关自收到申请之日起 20 个工作日内答复；需要延长的，经政府信息公开工作机构"
                   "负责人同意并告知申请人，延长期限最长不超过 20 个工作日。"),
        _paragraph(_contact(site)),
    ]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
            + "".join(body) + "<w:sectPr/></w:body></w:document>")


def _contact(site: Site) -> str:
    parts = [f"地址：{site.address}" if site.address else "", f"邮编：{site.postcode}" if site.postcode else "",
             f"电话：{site.phone}" if site.phone else "", f"传真：{site.fax}" if site.fax else "",
             f"电子邮箱：{site.email}" if site.email else ""]
    return "递交方式：当面递交、邮寄、传真或电子邮件。" + "；".join(p for p in parts if p)


def _paragraph(text: str, *, bold: bool = False, centred: bool = False, size: int = 24) -> str:
    props = ('<w:jc w:val="center"/>' if centred else "")
    run = (f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/></w:rPr>')
    return f"<w:p><w:pPr>{props}</w:pPr><w:r>{run}<w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>"


def _table(heading: str, fields: tuple[str, ...]) -> str:
    """A two-column bordered table: the part's heading row, then one row per field with a blank cell to fill."""
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    rows = [_row(heading, "", bold=True)] + [_row(field, "") for field in fields]
    grid = '<w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="6000"/></w:tblGrid>'
    return (f'<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/><w:tblBorders>{border}</w:tblBorders></w:tblPr>'
            f'{grid}{"".join(rows)}</w:tbl>' + _paragraph(""))


def _row(label: str, value: str, *, bold: bool = False) -> str:
    def cell(text: str, width: int) -> str:
        run = f'<w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{run}</w:p></w:tc>'
    return f"<w:tr>{cell(label, 3000)}{cell(value, 6000)}</w:tr>"

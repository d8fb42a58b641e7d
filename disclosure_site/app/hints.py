"""What editors read beside each key: the comment ``new`` writes after it and the hint under its form field.

Both are Chinese, for the civil servants who publish. The models' docstrings are the developers' description
(English by the code's convention), so they reach editors only where they are mostly Chinese already. A key is
explained by, in order: a note below (one for the key in a given model, else one for the key), then the values
its parser accepts (choices, date formats, catalog.yaml vocabularies). ``tests/test_cms_config.py`` keeps every
field of every form with a Chinese hint.
"""

from __future__ import annotations

NOTES = {
    "title": "只写主标题",
    "index_no": "已自动分配，一经使用不再更改",
    "published": "YYYY-MM-DD 或 YYYY-MM-DD HH:MM；晚于构建日期时定时发布",
    "publisher": "默认为 catalog.yaml 的 site.name",
    "keywords": "列表，如 [政务公开, 工作要点]，也可用 、分隔",
    "withhold_reason": "依申请公开或不予公开时必填，写明依据条例哪一条",
    "draft": "true 时只检查、不发布",
    "attachments": "列表，每项 {file: 相对本文件的路径, title: 链接文字}",
    "changes": "发布后修改内容时填写：列表，每项 {date: 修改日期, note: 向公众说明改了什么}，会在页面上公开",
    "interprets": "被解读政策文件的索引号",
    "media": "图解、音频、视频必填，如 {file: 图解.png, alt: 写出图中要点}；"
             "另可写 transcript（文字稿 .txt/.pdf）、captions（视频字幕 .vtt）",
    "policy": "true 时必须同步发布政策解读",
    "superseded_by": "替代本文件的文件的索引号",
    "exempt_reason": "使用 privacy_exempt 时必填，写明依据",
    "doc_no": "如 汕环〔2018〕429号",
    "organ_mark": "不写时有文号的文件显示「发布机构文件」；函只写机关名称",
    "data": "列表，每项 {file: 相对本文件的 CSV 路径, title: 表名, columns: [{name: 列名, type: 文本|整数|小数|日期}]}",
    "frequency": "如 每月、每年",
    "implements": "落实情况、评估报告填写：所落实的政策性文件或任务的索引号",
    "steps": "列表，每项 {date: 计划日期, content: 这一步做什么}",
    "progress": "列表，每项 {date: 日期, note: 做到了什么}，日期不晚于今天；页面按日期从新到旧显示",
    "due": "YYYY-MM-DD；过期仍未完成时检查给出提醒",
    "version": "如 2021年版",
    "columns": "列表，每项 {name: 列名, type: 文本|整数|小数|日期}，按 CSV 表头的顺序",
    "basis_column": "columns 中写设定依据的那一列的名称，每行都必须填写；不写时用名称含「依据」的那一列",
    "replaces": "本版本替代的上一版清单的索引号",
    "ListMeta.file": "相对本文件的 CSV 路径，表头与 columns 一致；或改用 rows",
    "ListMeta.columns": "列表，每项 {name: 列名, type: 文本|整数|小数|日期, required: true}，按表格的列顺序",
    "rows": "不用 CSV 文件时逐行填写：列表，每行 {列名: 值, 列名: 值}",
    "review": "policy: true 而公开属性不是主动公开时必填：{office: 政务公开工作机构, date: 审查日期, opinion: 审查意见}，不会公开",
    "speaker": "解读人姓名，显示在解读页",
    "speaker_role": "解读人职务，如 局长",
    "speaker_is_head": "解读人是本局主要负责同志时写 true（工作要点：每年至少带头解读一次）",
    # Free text, where the accepted values say nothing.
    "file": "相对本文件的路径，文件须在 content/ 之内",
    "alt": "写出图中的要点（数字、步骤、结论），不能只写「图片」「图解」",
    "transcript": "文字稿：UTF-8 编码的 .txt，或能选中文字的 PDF",
    "captions": "视频字幕文件（.vtt），播放时显示为中文字幕",
    "basis": "法律、法规、规章的名称和条款",
    "complaint": "监督投诉的方式，如电话、地址",
    "conditions": "申请人须满足的条件",
    "contact": "提交意见的方式，如通信地址、电子邮箱",
    "content": "这一步要做什么",
    "decision_no": "决定书文号",
    "description": "这一列数据的含义",
    "duties": "分管工作或主要职责",
    "fee": "收费标准；不收费时写 不收费",
    "feedback": "意见收集和采纳情况，征集结束后填写",
    "genre": "如 通知、意见、公告；规章写 规章",
    "hours": "如 工作日 8:30—12:00、14:30—17:30",
    "implementer": "不写时为本机关名称",
    "item_code": "事项编码（实施编码）",
    "legal_limit": "如 20个工作日",
    "location": "办理地点的详细地址或窗口",
    "measures": "具体的工作措施",
    "name": "姓名或名称，按页面上显示的写法",
    "DataColumn.name": "列名，与 CSV 表头一致",
    "note": "写给公众看的说明，会在页面上公开；不要写个人信息",
    "number": "如 第20240015号",
    "party": "当事人；自然人姓名须隐去部分，如 张某",
    "phone": "对外公开的联系电话",
    "post": "如 局长",
    "process": "办理流程，按步骤写",
    "promised_limit": "如 5个工作日",
    "question": "留言内容，须隐去个人信息",
    "reply": "答复全文；也可写在正文中",
    "source_name": "原发布单位名称，显示为「来源」",
    "source_url": "原文地址，以 https:// 或 http:// 开头",
    "summary": "一两句话概括主要内容",
    "supervision": "由谁监督、公众如何了解进展",
    "unit": "计量单位，如 万元、μg/m³",
}
"""Notes that say more than the accepted values do, by key or by ``Model.key`` where one model means more."""


FORM_NOTES = {
    "published": "可带时刻；晚于构建日期时定时发布",
    "keywords": "多个主题词用英文逗号分隔",
    "draft": "打开时只检查、不发布",
    "policy": "打开时必须同步发布政策解读",
    "speaker_is_head": "解读人是本局主要负责同志时打开（工作要点：每年至少带头解读一次）",
    "attachments": "逐个添加：选择或上传文件，并写链接文字",
    "changes": "发布后修改内容时添加一项：修改日期和向公众说明改了什么，会在页面上公开",
    "media": "图解、音频、视频必填：选择文件并写出图中要点；可另附文字稿（.txt/.pdf）和视频字幕（.vtt）",
    "leaders": "逐个添加：姓名、职务、分管工作",
    "units": "逐个添加：名称、职责、电话",
    "materials": "多项材料用英文逗号分隔",
    "data": "逐个添加数据文件：CSV 文件、表名和各列",
    "columns": "按 CSV 表头的顺序逐列添加：列名、类型",
    "ListMeta.columns": "按表格的列顺序逐列添加：列名、类型、是否必填",
    "steps": "逐步添加：计划日期和这一步做什么",
    "progress": "逐条添加：日期（不晚于今天）和做到了什么；页面按日期从新到旧显示",
    "review": "公开属性不是主动公开的政策性文件必填：审查机构、审查日期和审查意见，不会公开",
    "applications": "表三：按国家规定格式逐格填写非负整数，没有数据的填 0；合计关系由检查核对",
    "reviews": "表四：行政复议、行政诉讼各 5 格，没有数据的填 0",
    "rows": "按「字段」中的列逐行填写，每行的设定依据都必须填写；行多时改用「清单文件」上传 CSV",
    "ListMeta.file": "上传或选择 CSV 文件，表头与「字段」一致；或在「清单行」中逐行填写",
    "fees": "单位万元，最多 4 位小数",
    "written": "文件签发（成文）的日期",
    "ChangeNote.date": "修改的日期，不早于发布日期、不晚于今天",
    "TaskStep.date": "计划完成这一步的日期",
    "ProgressNote.date": "取得这一进展的日期，不晚于今天",
    "repealed": "废止或失效的日期",
    "decided": "作出决定的日期",
    "changed": "办事条件变更获批的日期，须在 1 个工作日内公开",
    "opens": "开始征集意见的日期",
    "closes": "征集意见的截止日期",
    "received": "收到留言的日期",
    "replied": "答复的日期，须在收到后 5 个工作日内",
    "adjusted": "本版清单调整公布的日期",
    "event_time": "事件发生的时间，可带时刻",
    "normative": "行政规范性文件打开（年度报告表二按它统计）",
    "required": "打开时每一行的这一列都必须填写",
    "visits": "到办事现场的次数；不超过 1 次的列入「一次办」页面",
}
"""Where the form says it differently: the notes above describe YAML (``列表，每项 {…}``), the form has widgets."""


def note(model: type, name: str, *, form: bool = False) -> str:
    """The note for key ``name`` of ``model`` (its own first; the form's own before the file's), or ``""``."""
    tables = (FORM_NOTES, NOTES) if form else (NOTES,)
    for table in tables:
        if found := table.get(f"{model.__name__}.{name}") or table.get(name):
            return found
    return ""

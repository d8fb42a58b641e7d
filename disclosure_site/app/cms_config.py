"""The Decap CMS configuration (``config.yml``), generated from catalog.yaml and the content models.

Every column gets its own collection (a Decap folder collection lists one folder, not its sub-folders), and
every key of the column's model a field: its Chinese alias as the label, its docstring as the hint, required
as the model says, selects from the vocabularies. So the forms can never drift from what ``check`` accepts.
Nothing here reads files but the models' source (for field docstrings): callers pass the loaded SiteConfig.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import itertools
import re
import textwrap
from dataclasses import dataclass
from typing import Any

from ..core import values as v
from ..core.inputs import CONTENT_DIR
from ..core.schema import KeySpec, specs
from ..model.entry import DISCLOSURE_PUBLIC
from ..model.lists import ListMeta
from ..model.review import PolicyReview
from ..model.site import Column, SiteConfig
from ..model.types import MODELS, TYPE_LABELS
from .hints import note
from .scaffold import accepted

BACKENDS = ("gitlab", "github", "gitea")
"""Git hosts the generated admin can work against; the local proxy is always offered on 127.0.0.1."""
WORKFLOW_BACKENDS = ("gitlab", "github")
"""Backends on which Decap offers the editorial workflow (草稿 → 待审核 → 待发布 as merge/pull requests)."""

ATTACHMENTS_FOLDER = "attachments"
"""Where a form's uploads go, relative to the entry file; front matter names them ``attachments/<file>``."""
DATE_FORMAT = "YYYY-MM-DD"
MOMENT_FORMAT = "YYYY-MM-DD HH:mm"
"""Stored formats (day.js tokens): exactly the ``YYYY-MM-DD`` and ``YYYY-MM-DD HH:MM`` check accepts."""
SLUG = "{{year}}-{{month}}{{day}}-{{hour}}{{minute}}{{second}}"
"""File names of new entries: ASCII and unique, since Chinese titles do not slugify."""
BODY_FIELD = {"name": "body", "label": "正文", "widget": "markdown", "modes": ["raw"], "required": False,
              "hint": "Markdown 原文；[[索引号后段码]] 链接到另一条信息（不要改用富文本模式，它会改写这种链接）"}
"""Raw mode only: the rich-text editor rewrites ``[[2026-00101]]`` as ``\\[[2026-00101]]``."""
CUSTOM_WIDGETS = ("disclosure", "index_no")
"""Keys whose field uses the admin's own widget of that name (``admin/widgets.js``): 公开属性 shows the fields of
:data:`WITHHELD_ONLY` only while it is not 主动公开, and the 索引号 asks ``edit`` for a fresh proposal."""
WITHHELD_ONLY = ("withhold_reason", "review")
"""Keys asked for only when an entry is not 主动公开: 不公开理由, and 公开审查 of a policy document."""


@dataclass(frozen=True)
class Backend:
    """Where the admin reads and writes the repository."""

    name: str = "gitlab"
    """One of :data:`BACKENDS`."""
    repo: str = "OWNER/REPO"
    branch: str = "main"
    base_url: str = ""
    """The Git host (GitLab/Gitea) or, for GitHub, the OAuth gateway holding the client secret."""
    app_id: str = "REPLACE-WITH-OAUTH-APPLICATION-ID"
    """The OAuth application's client id (GitLab and Gitea, PKCE: no secret in the browser)."""
    local_port: int = 8081
    """Port of the local proxy (``build.py edit``) on 127.0.0.1."""
    workflow: bool = True
    """Offer the editorial workflow where the backend has one; ``edit``'s local proxy saves straight away."""
    proposal_url: str = ""
    """Where the form asks for the next free 索引号 each time a new entry opens (``edit`` serves it beside the
    admin); without it the number proposed is the one free when the admin was written."""


def decap_config(config: SiteConfig, backend: Backend, next_index_no: str = "") -> dict[str, Any]:
    """The whole ``config.yml`` as a mapping."""
    result: dict[str, Any] = {
        "backend": _backend(backend),
        "local_backend": {"url": f"http://127.0.0.1:{backend.local_port}/api/v1", "allowed_hosts": ["127.0.0.1"]},
        "locale": "zh_Hans",
        "site_url": config.site.base_url,
        "media_folder": f"{CONTENT_DIR}/uploads",
        "public_folder": "/uploads",
        "collections": [_collection(config, column, _numbering(backend, next_index_no))
                        for column in config.all_columns()],
    }
    if backend.workflow and backend.name in WORKFLOW_BACKENDS:
        result["publish_mode"] = "editorial_workflow"
    return result


def _backend(backend: Backend) -> dict[str, Any]:
    if backend.name not in BACKENDS:
        raise ValueError(f"unknown backend {backend.name}")
    result: dict[str, Any] = {"name": backend.name, "repo": backend.repo, "branch": backend.branch}
    base = backend.base_url.rstrip("/")
    if backend.name == "github":
        if base:
            result["base_url"] = base
        return result
    result |= {"auth_type": "pkce", "app_id": backend.app_id}
    if base and backend.name == "gitlab":
        result |= {"base_url": base, "api_root": f"{base}/api/v4", "auth_endpoint": "oauth/authorize"}
    elif base:
        result |= {"base_url": base, "api_root": f"{base}/api/v1"}
    return result


def collection_name(column: Column) -> str:
    """``documents_normative``: unique, since column ids never hold ``_``."""
    return "_".join(column.path)


def _numbering(backend: Backend, next_index_no: str) -> dict[str, Any]:
    """What the 索引号 field adds to its defaults: a live proposal, or the number free when the admin was written."""
    if backend.proposal_url:
        return {"proposal_url": backend.proposal_url,
                "hint": "新建时自动填入下一个空闲索引号（与 build.py new 分配的相同，已用过或已删除的号码不会再给出）；"
                        "索引号一经使用不再更改"}
    if next_index_no:
        return {"default": next_index_no,
                "hint": f"新建时填入生成编辑后台时的下一个空闲索引号 {next_index_no}；若他人已先用，合并前的检查"
                        "（check --against）会指出并给出下一个空闲号。索引号一经使用不再更改"}
    return {}


def _collection(config: SiteConfig, column: Column, numbering: dict[str, Any]) -> dict[str, Any]:
    trail = " / ".join(c.title for c in config.trail(column.path))
    model = MODELS[column.type]
    fields = [_file_widget(field) for spec in specs(model) if (field := _field(config, model, spec)) is not None]
    for field in fields:
        if field["name"] == "index_no":
            field |= numbering
    description = f"{TYPE_LABELS[column.type]}（{column.type}）" + (f"：{column.description}" if column.description else "")
    left = [spec.alias or spec.name for spec in specs(model) if not any(f["name"] == spec.name for f in fields)]
    if left:
        description += f"。表单不含这些键，请直接在文件中编写：{'、'.join(left)}"
    return {
        "name": collection_name(column), "label": trail, "label_singular": TYPE_LABELS[column.type],
        "description": description, "folder": f"{CONTENT_DIR}/{column.path_text}", "create": True,
        "extension": "md", "format": "frontmatter", "slug": SLUG, "summary": "{{index_no}}  {{title}}",
        "sortable_fields": ["published", "title", "index_no"],
        "media_folder": ATTACHMENTS_FOLDER, "public_folder": ATTACHMENTS_FOLDER,
        "fields": [*fields, dict(BODY_FIELD)],
    }


def _field(config: SiteConfig, model: type, spec: KeySpec) -> dict[str, Any] | None:
    """The form field of one key, or None when no Decap widget can hold the value (it stays in the file)."""
    shape = v.shape_of(spec.parse)
    widget = _widget(config, shape) if shape else None
    if widget is None:
        return None
    field = {"name": spec.name, "label": spec.alias or spec.name, **widget, "required": spec.required,
             "hint": hint(config, model, spec)}
    default = dataclasses.fields(model)[[f.name for f in dataclasses.fields(model)].index(spec.name)].default
    if isinstance(default, bool | int | str) and not spec.required:
        field["default"] = default
    if spec.name == "disclosure":
        field["default"] = DISCLOSURE_PUBLIC
    if spec.name == "index_no" and config.site.org_code:
        field["pattern"] = [f"^{re.escape(config.site.org_code)}/[0-9]{{4}}-[0-9]{{5}}$",
                            f"格式应为 {config.site.org_code}/年份-五位流水号，如 {config.site.org_code}/2026-00001"]
    if spec.name in CUSTOM_WIDGETS:
        field["widget"] = spec.name
    if (model, spec.name) == (ListMeta, "columns"):
        field["widget"] = "list_columns"  # Decap's list, telling the rows grid its column names as they change
    if spec.name == "disclosure":
        field["withheld_only"] = list(WITHHELD_ONLY)
    if model is PolicyReview:
        _review_field(config, field)
    return field


def _review_field(config: SiteConfig, field: dict[str, Any]) -> None:
    """公开审查 is by one office, named in the hint (a default would write a review into every new document);
    the opinion is a paragraph, not one line."""
    notes = {"office": f"填写「{config.site.reviewing_office}」（catalog.yaml 的政务公开工作机构）",
             "date": "不晚于成文日期", "opinion": "审查意见，必填，不会公开"}
    field["hint"] = notes[field["name"]]
    if field["name"] == "opinion":
        field["widget"] = "text"


def _widget(config: SiteConfig, shape: v.Shape) -> dict[str, Any] | None:
    if shape.kind in ("date", "moment"):
        stored = DATE_FORMAT if shape.kind == "date" else MOMENT_FORMAT
        return {"widget": "datetime", "format": stored, "date_format": DATE_FORMAT,
                "time_format": "HH:mm" if shape.kind == "moment" else False, "picker_utc": False}
    if shape.kind == "boolean":
        return {"widget": "boolean"}
    if shape.kind == "integer":
        return {"widget": "number", "value_type": "int", "min": shape.low, "max": shape.high}
    if shape.kind == "amount":
        return {"widget": "number", "value_type": "float", "min": 0, "step": 0.0001}
    if shape.kind == "rows":
        # The admin's own grid: each list names its own columns, which no fixed form field can list.
        return {"widget": "list_rows", "columns_field": shape.vocabulary}
    if shape.kind == "table":
        # The admin's own grid (admin/widgets.js): Decap's objects cannot hold rows named like 「1.属于国家秘密」.
        return {"widget": "report_table", "rows": [list(row) for row in shape.rows], "columns": list(shape.columns)}
    if shape.kind == "choice":
        return {"widget": "select", "options": list(shape.options)}
    if shape.kind == "vocabulary":
        return {"widget": "select", "options": _vocabulary(config, shape.vocabulary), "multiple": shape.many}
    if shape.kind == "text_list":
        return {"widget": "list"}
    if shape.kind in ("record", "records") and shape.model is not None:
        nested = [f for spec in specs(shape.model) if (f := _field(config, shape.model, spec)) is not None]
        nested = [_file_widget(f) for f in nested]
        return {"widget": "object" if shape.kind == "record" else "list", "fields": nested}
    if shape.kind == "text":
        return {"widget": "string"}
    return None


def _file_widget(field: dict[str, Any]) -> dict[str, Any]:
    """A ``file`` key (attachments, media, data files, a list's CSV) is picked or uploaded next to the entry."""
    if field["name"] in ("file", "transcript", "captions"):
        return field | {"widget": "file", "media_library": {"choose_url": False}}
    return field


def _vocabulary(config: SiteConfig, kind: str) -> list[Any]:
    if kind == "key_areas":
        return [{"label": area.title, "value": area.id} for area in config.key_areas]
    values: tuple[str, ...] = getattr(config, kind)
    return list(values)


def hint(config: SiteConfig, model: type, spec: KeySpec) -> str:
    """The form's hint, in Chinese: the note for the key (the form's own first), else what it accepts, else the
    field's docstring where that is written for editors (mostly Chinese; the rest is the developers' English)."""
    doc = re.sub(r":\w+:`~?([^`]+)`", r"\1", field_docs(model).get(spec.name, "")).replace("``", "")
    doc = " ".join(doc.split())
    return (note(model, spec.name, form=True) or accepted(spec, config.vocabulary())
            or (doc if _mostly_chinese(doc) else ""))


def _mostly_chinese(text: str) -> bool:
    chinese = sum("\u4e00" <= char <= "\u9fff" for char in text)
    return chinese > 0 and chinese >= sum(char.isascii() and char.isalpha() for char in text)


@functools.cache
def field_docs(model: type) -> dict[str, str]:
    """The docstring under each field of ``model`` and its bases (the string after the annotated line)."""
    docs: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if cls is object or not hasattr(cls, "__dataclass_fields__"):
            continue
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for first, second in itertools.pairwise(body):
            if (isinstance(first, ast.AnnAssign) and isinstance(first.target, ast.Name)
                    and isinstance(second, ast.Expr) and isinstance(second.value, ast.Constant)
                    and isinstance(second.value.value, str)):
                docs[first.target.id] = inspect.cleandoc(second.value.value)
    return docs

"""``python build.py new``: create an entry file with the next free 索引号 and every key explained.

The front matter is generated from the column type's model (:func:`schema.specs`), so a new content
type needs no code here: its required keys are written out, its optional keys listed as comments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from slugify import slugify

from ..core.diagnostics import Report
from ..core.inputs import CONTENT_DIR, MAX_ENTRY_BYTES, unreadable_message
from ..core.schema import FieldError, KeySpec, Vocabulary, specs
from ..load.numbers import NumbersUnavailable, reserved_numbers
from ..load.site import load_catalog
from ..load.sources import ENTRY_SUFFIX
from ..model.entry import DISCLOSURE_PUBLIC
from ..model.numbering import STUB_BODY, NumbersExhausted, next_free_number, numbers_in, serial_part
from ..model.site import CATALOG_FILE, Column, SiteConfig
from ..model.types import MODELS
from .hints import note

BODY = STUB_BODY
"""The whole body of a new file: comments are stripped when rendering, so nothing placeholder-like is published;
check warns while it is the whole body (STUB_UNEDITED)."""

HEADER = "# 请核对已填的值；以「# 」开头的是可选键，删除行首的「# 」并填写值即可使用"
OPTIONAL_HEADER = "# 以下为可选键"

SLUG_LENGTH = 40
INTERPRETATION_FORM = "文字解读"


_PROBE = "\x00"
"""A value only free-text keys accept; the error any other parser gives says what it does accept."""


class ScaffoldError(Exception):
    """Why a new entry cannot be created (shown to the editor as a usage error)."""


@dataclass(frozen=True)
class _Draft:
    """One file to create: where it goes, its column and the keys written with a value."""

    path: Path
    column: Column
    values: dict[str, object]


def new_entry(root: Path, column: str, title: str, today: dt.date, *, policy: bool = False) -> list[Path]:
    """Create the entry file (and, for --policy, its interpretation stub); return the created paths."""
    config = _load(root)
    target = _find_column(config, column)
    title = _clean_title(title)
    if policy and target.type != "document":
        raise ScaffoldError(
            f"--policy 只能用于文件（document）类型的栏目；栏目 {target.path_text} 的类型是 {target.type}")
    numbers = next_numbers(root, config.site.org_code, today.year, 2 if policy else 1)
    document = _draft(root, config, target, title, today, numbers[0], {"policy": True} if policy else {})
    drafts = [document]
    if policy:
        drafts.append(_interpretation_of(root, config, document, today, numbers[1]))
    for draft in drafts:  # check every target first, so a refused pair leaves no half behind
        _refuse_existing(root, draft.path)
    for draft in drafts:
        _write(root, draft, config)
    return [draft.path for draft in drafts]


def _load(root: Path) -> SiteConfig:
    try:
        config = load_catalog(root, Report())
    except (OSError, UnicodeDecodeError):
        config = None
    if config is None:
        raise ScaffoldError(f"{CATALOG_FILE} 有问题，无法新建：请先运行 python build.py check 查看并改正")
    return config


def _find_column(config: SiteConfig, column: str) -> Column:
    path = tuple(part for part in column.strip().strip("/").split("/") if part)
    found = config.by_path.get(path)
    if found is None:
        valid = "、".join(known.path_text for known in config.all_columns())
        raise ScaffoldError(f"没有栏目「{column}」。可用的栏目路径：{valid}")
    return found


def _clean_title(title: str) -> str:
    cleaned = title.strip()
    if not cleaned:
        raise ScaffoldError('标题不能为空：请用 --title "标题" 写明信息名称')
    if len(cleaned.splitlines()) > 1:
        raise ScaffoldError("标题不能换行：请写成一行")
    return cleaned


def next_numbers(root: Path, org: str, year: int, count: int) -> list[str]:
    """``count`` 索引号 for ``new`` (and the one the form proposes), past every number this clone knows was ever used:
    see :func:`working_tree_numbers` and :func:`load.numbers.reserved_numbers` (the default branch's files and every
    deleted file)."""
    try:
        used = set(working_tree_numbers(root)) | reserved_numbers(root)
    except NumbersUnavailable as exc:
        raise ScaffoldError(str(exc)) from None
    found: list[str] = []
    for _ in range(count):
        try:
            found.append(next_free_number(org, year, used))
        except NumbersExhausted as exc:
            raise ScaffoldError(str(exc)) from None
        used.add(found[-1])
    return found


def working_tree_numbers(root: Path) -> list[str]:
    """Every 索引号 written anywhere in content/ as it is on disk, committed or not.

    The files' text is scanned rather than validated because a withheld, draft or broken file still owns its
    number, and a file mentioning a number (interprets, a link) may be the only trace of one.
    """
    return [number for path in _content_files(root) for number in numbers_in(_read(path))]


def _content_files(root: Path) -> Iterator[Path]:
    # Every .md file counts, even in folders check skips: reserving too much is harmless, reusing is not.
    content = root / CONTENT_DIR
    if content.is_dir():
        yield from (path for path in content.rglob(f"*{ENTRY_SUFFIX}") if path.is_file())


def _read(path: Path) -> str:
    # A file that is not UTF-8 (reported by check) still reserves the numbers written in it; past the size
    # limit check refuses the file anyway, and its start is enough to know the number it holds.
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_ENTRY_BYTES).decode("utf-8", errors="replace")
    except OSError as exc:  # its number is unknown, so no number is safe to hand out
        raise ScaffoldError(f"{path}：{unreadable_message(exc)}") from None


def _draft(root: Path, config: SiteConfig, column: Column, title: str, today: dt.date, index_no: str,
           extra: dict[str, object]) -> _Draft:
    """The file for ``title`` in ``column``: known required keys get values, ``extra`` is written as given."""
    defaults: dict[str, object] = {
        "title": title, "index_no": index_no, "published": today,
        "written": today, "disclosure": DISCLOSURE_PUBLIC, "department": config.departments[0],
    }
    required = {spec.name for spec in specs(MODELS[column.type]) if spec.required}
    values = {name: value for name, value in defaults.items() if name in required} | extra
    slug = slugify(title, max_length=SLUG_LENGTH, word_boundary=True)
    name = serial_part(index_no) + (f"-{slug}" if slug else "") + ENTRY_SUFFIX
    return _Draft(root / CONTENT_DIR / Path(*column.path) / name, column, values)


def _interpretation_of(root: Path, config: SiteConfig, document: _Draft, today: dt.date, index_no: str) -> _Draft:
    """The interpretation stub published with a new policy document, by the same department."""
    column = next((c for c in config.all_columns() if c.type == "interpretation"), None)
    if column is None:
        raise ScaffoldError(f"{CATALOG_FILE} 中没有政策解读（type: interpretation）栏目，无法新建关联的解读")
    extra = {"interprets": document.values["index_no"], "department": document.values["department"],
             "form": INTERPRETATION_FORM}
    return _draft(root, config, column, f"{document.values['title']}的政策解读", today, index_no, extra)


def _refuse_existing(root: Path, path: Path) -> None:
    if path.exists():
        raise _exists(root, path)


def _exists(root: Path, path: Path) -> ScaffoldError:
    return ScaffoldError(f"{path.relative_to(root).as_posix()} 已存在，不会覆盖：请先移走该文件或换一个标题")


def _write(root: Path, draft: _Draft, config: SiteConfig) -> None:
    draft.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with draft.path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(_render(draft.column, draft.values, config))
    except FileExistsError:  # created by someone else since the check above
        raise _exists(root, draft.path) from None


def _render(column: Column, values: dict[str, object], config: SiteConfig) -> str:
    """The new file's text: keys in ``values`` written out, other required keys empty, optional keys commented."""
    vocab = config.vocabulary()
    filled, optional = [HEADER], [OPTIONAL_HEADER]
    for spec in specs(MODELS[column.type]):
        hint = note(MODELS[column.type], spec.name) or accepted(spec, vocab)
        if spec.name in values:
            filled.append(f"{spec.name}: {_scalar(values[spec.name])}  # {_note(spec, hint)}")
        elif spec.required:  # only the editor knows it; the empty value makes check ask for it
            filled.append(f'{spec.name}: ""  # {_note(spec, "必填，请填写" + (f"；{hint}" if hint else ""))}')
        else:
            optional.append(f"# {spec.name}:  # {_note(spec, hint)}")
    lines = filled + (optional if len(optional) > 1 else [])
    return "---\n" + "\n".join(lines) + "\n---\n" + BODY


def _note(spec: KeySpec, hint: str) -> str:
    name = spec.alias or spec.name
    return f"{name}：{hint}" if hint else name


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    # Double quotes with YAML's own escapes keep any text exact: colons, #, quotes, leading digits.
    dumped = yaml.safe_dump(str(value), allow_unicode=True, default_style='"', width=1 << 30)
    return dumped.strip()


def accepted(spec: KeySpec, vocab: Vocabulary) -> str:
    """What a key accepts, read from the message its parser gives for an impossible value.

    The parsers' messages are the one place accepted values are spelt out (choices, date formats,
    catalog.yaml vocabularies), so keys of any new type get a hint without a list kept here.
    """
    try:
        spec.parse(_PROBE, vocab)
    except FieldError as exc:
        return _hint_from(exc.message)
    return ""


def _hint_from(message: str) -> str:
    if match := re.search(r"以下之一：(.+)$", message):
        return " | ".join(match[1].split("、"))
    if match := re.search(r"catalog\.yaml 的 (\w+) 中", message):
        return f"请从 {CATALOG_FILE} 的 {match[1]} 中选择"
    if match := re.search(r"应(?:写成|为)?\s*(.+?)(?:，例如.*)?$", message):
        return match[1]
    return ""

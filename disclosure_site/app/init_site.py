"""``disclosure-site init DIR``: a new bureau's site folder that builds at once.

The starter files (catalog.yaml with the standard column tree, CI workflows, .gitignore, an editors' README) ship in
the package's ``starter/`` folder; only the bureau's name, 前段码, departments and the tool's version are filled in.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ..core.diagnostics import Report
from ..core.schema import FieldError, Vocabulary
from ..load.site import load_catalog
from ..model.site import CATALOG_FILE, parse_org_code

STARTER_FILES = {
    "catalog.yaml": CATALOG_FILE, "README.md": "README.md", "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore", "github-site.yml": ".github/workflows/site.yml", "gitlab-ci.yml": ".gitlab-ci.yml",
}
"""Starter file → where it goes in the new site (packaged without leading dots: package data globs skip them)."""

DEFAULT_DEPARTMENTS = ("办公室",)
"""The departments of a new site unless given: the bureau edits the list in catalog.yaml."""

KEEP_FILE = ".gitkeep"
"""Keeps an empty column folder in git; files whose names start with a dot are not entries."""


class InitError(Exception):
    """Why the site folder cannot be created (shown to the editor as a usage error)."""


def init_site(folder: Path, name: str, org_code: str, departments: tuple[str, ...], version: str) -> list[Path]:
    """Create the site folder; return the created files. Nothing is written when an argument is wrong."""
    _refuse_used(folder)
    texts = _starter_texts(_checked_name(name), _checked_org_code(org_code), _checked_departments(departments), version)
    created = []
    for rel, text in texts.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    report = Report()
    config = load_catalog(folder, report)
    if config is None:  # the starter itself is wrong: a tool bug, not the editor's
        raise RuntimeError("; ".join(d.format() for d in report.sorted()))
    for column in config.all_columns():
        keep = folder.joinpath("content", *column.path, KEEP_FILE)
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.write_bytes(b"")
        created.append(keep)
    return created


def _refuse_used(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} 是一个文件，不是文件夹：请指定一个新的或空的文件夹")
    if folder.is_dir() and any(folder.iterdir()):
        raise InitError(f"文件夹 {folder} 不是空的：init 只在新的或空的文件夹中创建站点，以免覆盖已有文件")


def _checked_name(name: str) -> str:
    if not name.strip():
        raise InitError("--name 不能为空：请写单位全称，如 汕尾市教育局")
    return name.strip()


def _checked_org_code(org_code: str) -> str:
    try:
        return parse_org_code(org_code, Vocabulary())
    except FieldError as exc:
        raise InitError(f"--org-code：{exc.message}") from None


def _checked_departments(departments: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(d.strip() for d in departments if d.strip())
    if not names:
        raise InitError("--departments 至少写一个部门，多个部门用逗号分隔，如 办公室,人事科")
    repeated = sorted({d for d in names if names.count(d) > 1})
    if repeated:
        raise InitError(f"--departments 中的部门重复：{'、'.join(repeated)}")
    return names


def _starter_texts(name: str, org_code: str, departments: tuple[str, ...], version: str) -> dict[str, str]:
    starter = resources.files(__package__ or "disclosure_site.app").joinpath("starter")
    fills = {
        "@NAME_YAML@": json.dumps(name, ensure_ascii=False), "@NAME@": name, "@ORG_CODE@": org_code,
        "@DEPARTMENTS@": "\n".join(f"  - {json.dumps(d, ensure_ascii=False)}" for d in departments),
        "@VERSION@": version,
    }
    texts = {}
    for source, rel in STARTER_FILES.items():
        text = starter.joinpath(source).read_text(encoding="utf-8")
        for marker, value in fills.items():
            text = text.replace(marker, value)
        texts[rel] = text
    return texts

"""``python build.py cms --out DIR``: write the editors' admin app (Decap CMS) for an intranet host.

The folder holds ``index.html``, the generated ``config.yml`` and the Decap bundle copied from the pinned npm
package (``npm ci`` installs it), so the page loads nothing from a CDN. It is never written into the public
site's output: the admin belongs on an intranet host (docs/cms.md).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from ..core.diagnostics import Report
from ..load.site import load_catalog
from ..model.site import CATALOG_FILE, SiteConfig
from .cms_config import Backend, decap_config
from .scaffold import ScaffoldError, next_numbers

PACKAGE = "decap-cms"
WIDGETS = Path(__file__).with_name("admin") / "widgets.js"
"""The admin's own form widgets (shipped in the package), registered after the bundle has loaded."""
BUNDLE = "decap-cms.js"
ENGINE = Path(__file__).resolve().parents[2]
"""The engine's folder, where ``package.json`` and ``node_modules`` live."""

INDEX_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · 内容编辑</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url"></head>
<body><script src="decap-cms.js"></script><script src="widgets.js"></script></body></html>
"""


class CmsError(Exception):
    """Why the admin cannot be written (shown to the editor as a usage error)."""


def bundle_folder() -> Path:
    """The installed Decap bundle: ``node_modules/decap-cms/dist`` of the engine."""
    folder = ENGINE / "node_modules" / PACKAGE / "dist"
    if not (folder / BUNDLE).is_file():
        raise CmsError(f"找不到 Decap CMS 程序文件 {folder / BUNDLE}：请在 {ENGINE} 运行 npm ci 安装")
    return folder


def write_admin(root: Path, out: Path, backend: Backend, today: dt.date) -> list[Path]:
    """Write the admin into ``out`` (created or refreshed); return the files written."""
    config = load_config(root)
    bundle = bundle_folder()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(bundle.iterdir()):
        # Only what the page loads: the main script, its lazy chunks and WebAssembly; no source maps.
        if source.name.endswith(BUNDLE) or source.suffix == ".wasm":
            shutil.copyfile(source, out / source.name)
            written.append(out / source.name)
    settings = decap_config(config, backend, next_index_no(root, config, today))
    (out / "config.yml").write_text(
        "# 由 python build.py cms 根据 catalog.yaml 和内容模型生成；请勿手工修改，改动会在下次生成时丢失\n"
        + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=1 << 16), encoding="utf-8")
    shutil.copyfile(WIDGETS, out / WIDGETS.name)
    (out / "index.html").write_text(INDEX_HTML.format(title=config.site.name), encoding="utf-8")
    return [*written, out / "config.yml", out / WIDGETS.name, out / "index.html"]


def load_config(root: Path) -> SiteConfig:
    """catalog.yaml, or a usage error when it has problems (check reports them)."""
    config = load_catalog(root, Report())
    if config is None:
        raise CmsError(f"{CATALOG_FILE} 有问题，无法生成编辑后台：请先运行 python build.py check 查看并改正")
    return config


def next_index_no(root: Path, config: SiteConfig, today: dt.date) -> str:
    """The next free 索引号 of this year, as ``build.py new`` would give it: past every number the working tree, the
    default branch and deleted files have used."""
    try:
        return next_numbers(root, config.site.org_code, today.year, 1)[0]
    except ScaffoldError as exc:
        raise CmsError(str(exc)) from None

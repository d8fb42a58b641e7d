"""Every page of the built demo site is valid HTML according to the Nu HTML Checker (vnu.jar), run offline in one JVM."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO

VNU = Path("node_modules/vnu-jar/build/dist/vnu.jar")
"""Relative to the repository root; ``npm ci`` (run by .ci/run) puts it there."""
CANARY = '<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8"><title>哨兵</title></head>\n<body><img src="x.png"></body>\n</html>\n'
CANARY_ERROR = "An “img” element must have an “alt” attribute"
"""A page known to be invalid is checked in the same run, so a checker that silently checks nothing cannot pass."""


def vnu_messages(*targets: Path) -> list[dict[str, object]]:
    """vnu's JSON messages (errors only) for the HTML files in ``targets`` (folders are searched)."""
    java = shutil.which("java")
    if java is None or not (REPO / VNU).is_file():
        pytest.fail(f"缺少 Java 或 {VNU}：请运行 .ci/run（安装 default-jre-headless 并执行 npm ci --no-audit --no-fund）")
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", *map(str, targets)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(proc.stderr or proc.stdout)  # vnu writes its report to stderr
    except json.JSONDecodeError:
        pytest.fail(f"vnu 没有输出 JSON（退出码 {proc.returncode}）：\n{proc.stdout}\n{proc.stderr}")
    messages: list[dict[str, object]] = report["messages"]
    return messages


def location(message: dict[str, object], site: Path) -> str:
    """``path/in/site.html:line`` of a message."""
    path = Path(unquote(urlsplit(str(message.get("url", ""))).path))
    rel = path.relative_to(site).as_posix() if path.is_relative_to(site) else str(path)
    return f"{rel}:{message.get('lastLine', message.get('firstLine', '?'))}"


def test_every_page_of_the_demo_site_is_valid_html(demo_site, tmp_path):
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    site = demo_site.resolve()
    messages = vnu_messages(site, canary)
    canary_messages = [m for m in messages if location(m, site).startswith(f"{canary}:")]
    assert any(CANARY_ERROR in str(m.get("message")) for m in canary_messages), f"vnu 没有发现哨兵页面中的错误：{messages}"
    errors = [f"{location(m, site)}: {m.get('type')}: {m.get('message')}" for m in messages if m not in canary_messages]
    assert not errors, f"vnu 发现 {len(errors)} 个错误：\n" + "\n".join(errors)

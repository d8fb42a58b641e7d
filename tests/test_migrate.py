"""``migrate --english-keys`` rewrites Chinese alias keys as the English keys the form editor uses, and nothing else."""

from __future__ import annotations

from typing import Any

import yaml
from conftest import ORG

from disclosure_site.cli import main

ALIASED = f"""---
# 编辑的注释要留下
标题: 关于印发《试行办法》的通知   # 行尾注释也留下
索引号: "{ORG}/2026-00001"
发布日期: 2026-03-01 09:30
成文日期: 2026-02-28
责任部门: 办公室
公开属性: 主动公开
主题词: [办法, 试行]
附件:
  - 文件: a.pdf
    "标题": 办法全文
---
正文第一段，标题: 这一行不是键。

[[2026-00001]]
"""


def _front(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(text.split("---\n")[1])
    return loaded


def test_alias_keys_become_english_and_everything_else_stays(make_site: Any, capsys: Any) -> None:
    site = make_site({"content/documents/normative/a.md": ALIASED, "content/documents/normative/a.pdf": "%PDF-1.4\n"})
    path = site.root / "content/documents/normative/a.md"
    before = _front(ALIASED)
    assert main(["--root", str(site.root), "--today", "2026-12-06", "migrate", "--english-keys"]) == 0
    after = path.read_text(encoding="utf-8")
    assert "content/documents/normative/a.md：改写 10 个键" in capsys.readouterr().out
    assert _front(after) == {"title": before["标题"], "index_no": before["索引号"], "published": before["发布日期"],
                             "written": before["成文日期"], "department": "办公室", "disclosure": "主动公开",
                             "keywords": ["办法", "试行"], "attachments": [{"file": "a.pdf", "title": "办法全文"}]}
    assert "# 编辑的注释要留下" in after and "   # 行尾注释也留下" in after
    assert after.split("---\n", 2)[2] == ALIASED.split("---\n", 2)[2]  # the body, even its 「标题:」, is untouched
    assert main(["--root", str(site.root), "--today", "2026-12-06", "--quiet", "check", "--strict"]) == 0
    assert main(["--root", str(site.root), "--today", "2026-12-06", "migrate", "--english-keys"]) == 0
    assert path.read_text(encoding="utf-8") == after


def test_a_key_written_in_both_spellings_is_left_for_the_editor(make_site: Any, capsys: Any) -> None:
    text = ALIASED.replace("索引号:", f'index_no: "{ORG}/2026-00001"\n索引号:')
    site = make_site({"content/documents/normative/a.md": text})
    assert main(["--root", str(site.root), "--today", "2026-12-06", "migrate", "--english-keys"]) == 1
    assert "content/documents/normative/a.md:5: 键 索引号 与 index_no 同时存在" in capsys.readouterr().out
    after = (site.root / "content/documents/normative/a.md").read_text(encoding="utf-8")
    assert "索引号:" in after and "title:" in after


def test_migrate_without_a_task_is_a_usage_error(make_site: Any) -> None:
    site = make_site()
    assert main(["--root", str(site.root), "migrate"]) == 2

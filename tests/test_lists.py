"""公共清单: list entries with declared columns, a legal-basis column, rows in a CSV or in front matter, versions."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import CATALOG, ORG, REPO, TODAY, entry

from disclosure_site import pipeline

LIST_CATALOG = CATALOG.replace("key_areas:\n", "  - {id: lists, title: 公共清单, type: list}\nkey_areas:\n")
ENTRY = "content/lists/a.md"
CSV = "content/lists/a.csv"
COLUMNS = """\
version: 2018年版
columns:
  - {name: 事项名称, type: 文本, required: true}
  - {name: 设定依据, type: 文本}
  - {name: 时限, type: 整数, unit: 工作日}
basis_column: 设定依据
"""
"""``version`` is on line 6 of the entry, ``columns`` on 7, ``basis_column`` on 11."""
FILE = COLUMNS + "file: a.csv\n"
"""``file`` is on line 12."""
HEADER = "事项名称,设定依据,时限\n"
ROWS = ("环境影响评价文件编制,《中华人民共和国环境影响评价法》第十九条,20\n"
        "排污许可证申请材料技术评估,《排污许可管理条例》第十条,15\n"
        "=HYPERLINK(\"http://evil.example/\"),《某条例》第一条,\n")


def a_list(keys: str = FILE, **more: object) -> str:
    """A list entry whose front matter ends with ``keys``."""
    return entry(title="测试清单", **more).replace("\n---\n正文", "\n" + keys.rstrip("\n") + "\n---\n正文")


@pytest.fixture
def site(make_site):
    return make_site({ENTRY: a_list(), CSV: HEADER + ROWS}, catalog=LIST_CATALOG)


def page(site, serial: str = "2024-00001") -> str:
    return (site.root / f"site/entries/{serial}.html").read_text()


def test_list_site_is_valid(site):
    assert site.messages() == []


def test_page_shows_every_row_with_a_filter_box_that_js_reveals(site):
    site.build()
    html = page(site)
    assert "<div><dt>版本</dt><dd>2018年版</dd></div>" in html
    assert "<div><dt>事项数</dt><dd>3 项</dd></div>" in html
    assert "<caption>测试清单（2018年版），共 3 项</caption>" in html
    assert '<th scope="col">时限（工作日）</th>' in html
    assert ('<tr><td class="num">2</td><td>排污许可证申请材料技术评估</td><td>《排污许可管理条例》第十条</td>'
            '<td class="num">15</td></tr>') in html
    assert '<div class="list-filter" data-list-filter hidden data-pagefind-ignore>' in html
    assert '<label for="list-filter-input">在本清单中筛选</label>' in html
    assert '<p class="list-count" role="status" aria-live="polite" data-list-count></p>' in html


def test_csv_download_is_made_from_the_rows_and_is_injection_safe(site):
    site.build()
    assert '<a href="2024-00001.csv" download>下载清单（CSV）</a>' in page(site)
    data = (site.root / "site/entries/2024-00001.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["事项名称", "设定依据", "时限（工作日）"]
    assert rows[1] == ["环境影响评价文件编制", "《中华人民共和国环境影响评价法》第十九条", "20"]
    assert rows[3][0] == "'=HYPERLINK(\"http://evil.example/\")"
    assert not (site.root / "site/files").exists(), "the editor's CSV itself is never copied"

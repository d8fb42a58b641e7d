"""CSV formula injection: every published CSV neutralises formula-like cells; JSON and HTML keep the exact text;
every checksum and size shown is that of the bytes actually published."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import markupsafe
import pytest
from conftest import CATALOG, entry

from disclosure_site.core import published as pub
from disclosure_site.core.csvsafe import is_formula, neutralise_csv, safe_cell
from disclosure_site.core.diagnostics import Report
from disclosure_site.model.output import OutputFile
from disclosure_site.outputs import exports
from disclosure_site.render import annual_tables
from disclosure_site.write import writer

CATALOG_WITH_DATA = CATALOG.replace("key_areas:\n", "  - {id: open-data, title: 数据开放, type: dataset}\nkey_areas:\n")
CMD = "=cmd|' /C calc'!A0"
NOT_A_NUMBER = "-2+3+cmd|' /C calc'!A0"
TITLE, SUMMARY, KEYWORDS, PUBLISHER = CMD, "+SUM(1,2)", ["-x", "@SUM(A1)"], NOT_A_NUMBER
DATASET = """\
data:
  - file: data/t.csv
    title: 统计表
    columns:
      - {name: 名称, type: 文本}
      - {name: 数量, type: 整数}
      - {name: 金额, type: 小数}
"""
DATA_CSV = ('名称,数量,金额\r\n=1+1,-5,-0.5\r\n"=HYPERLINK(""http://x"")",+3,+3.2\r\n'
            '@SUM(A1),1,2\r\n\t=1,2,3\r\n-,4,5\r\n"普通, 文字",6,7\r\n')
DATA_PUBLISHED = ('名称,数量,金额\r\n\'=1+1,-5,-0.5\r\n"\'=HYPERLINK(""http://x"")",+3,+3.2\r\n'
                  '\'@SUM(A1),1,2\r\n\'\t=1,2,3\r\n-,4,5\r\n"普通, 文字",6,7\r\n')
GBK_CSV = "名称,备注\n甲,\"=1+1\"\n乙,-x\n丙,-3\n".encode("gbk")
GBK_PUBLISHED = "名称,备注\n甲,\"'=1+1\"\n乙,'-x\n丙,-3\n".encode("gbk")
PLAIN_CSV = "名称,数量\r\n甲,-1\r\n".encode("utf-8-sig")


def news(**keys: object) -> str:
    attachments = "attachments:\n  - {file: 附件.csv, title: 名单}\n  - {file: 普通.csv, title: 普通名单}\ndisclosure: "
    text = entry(**keys).replace("disclosure: ", attachments)
    return text.replace("正文。", "正文。\n\n[链接的表](链接.csv)")


@pytest.fixture
def built(make_site):
    site = make_site({
        "content/news/a.md": news(title=json.dumps(TITLE), summary=json.dumps(SUMMARY),
                                  keywords=json.dumps(KEYWORDS, ensure_ascii=False), publisher=json.dumps(PUBLISHER)),
        "content/news/普通.csv": "", "content/news/附件.csv": "", "content/news/链接.csv": "",
        "content/open-data/d.md": entry(title="数据集", serial="2024-00002").replace(
            "\n---\n正文", "\n" + DATASET.rstrip("\n") + "\n---\n正文"),
        "content/open-data/data/t.csv": "",
    }, catalog=CATALOG_WITH_DATA)
    (site.root / "content/news/附件.csv").write_bytes(GBK_CSV)
    (site.root / "content/news/链接.csv").write_bytes(GBK_CSV)
    (site.root / "content/news/普通.csv").write_bytes(PLAIN_CSV)
    (site.root / "content/open-data/data/t.csv").write_bytes(DATA_CSV.encode("utf-8"))
    assert site.build().report.sorted() == []
    return site.root / "site"


def rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- the cell rule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [CMD, NOT_A_NUMBER, "+x", "-x", "@SUM(A1)", "\t=1", "\r=1", "=", "+", "--", "-1-1",
                                  "-5 cmd", "- 5"])
def test_formula_like_cells_get_a_leading_apostrophe(text):
    assert is_formula(text)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+3.2", "-0.5", "-.5", "+7.", "-1.5E-3", "-12%", "-5  ", "-", "", "5", "文字",
                                  " =1", "a=1", "'=1"])
def test_plain_numbers_a_lone_dash_and_other_text_stay(text):
    assert not is_formula(text)
    assert safe_cell(text) == text


def test_every_generated_csv_writes_its_cells_through_the_one_cell_function():
    assert exports.csv_cell(["-x", "y"]) == "'-x；y"
    assert exports.csv_cell(None) == ""
    assert exports.csv_cell("-5") == "-5"
    table = annual_tables.csv_bytes([("=x", "-5", "@y")])
    assert table == "\ufeff'=x,-5,'@y\r\n".encode()


# --- copied CSV files: only the cell starts change ------------------------------------------------------------


@pytest.mark.parametrize(("data", "published"), [
    (b"a,b\r\n=1,2\r\n", b"a,b\r\n'=1,2\r\n"),
    (b"\xef\xbb\xbf=1,2\n", b"\xef\xbb\xbf'=1,2\n"),  # the first cell after a byte-order mark
    (b'"=1+1","x,=y"\n', b'"\'=1+1","x,=y"\n'),  # inside the quotes; a comma inside quotes starts nothing
    (b'"a""=b",""=c""\n', b'"a""=b","\'"=c""\n'),  # "" is a quote; text after a closing quote is the cell's
    (b'x,,=1\r=2\n', b"x,,'=1\r'=2\n"),  # empty cells, a lone CR ends a line
    (b'"\r=1",\t@x\n', b'"\'\r=1",\'\t@x\n'),
    (b"sep=;\r\na;=b,=c\r\n", b"sep=;\r\na;'=b,'=c\r\n"),  # Excel's sep= line: both separators count
    (b"\xff\xfe" + "=1,a\t@b\n".encode("utf-16-le"), b"\xff\xfe" + "'=1,a\t'@b\n".encode("utf-16-le")),  # UTF-16: tabs too
    (b"\xfe\xff" + "甲,-x\n".encode("utf-16-be"), b"\xfe\xff" + "甲,'-x\n".encode("utf-16-be")),
    (b'a,"open =x\n=y', None),  # an unclosed quote runs to the end of the file
    (b"a,-5,+3.2,-\n", None),
    (b"", None),
])
def test_the_scanner_finds_every_cell_start(data, published):
    assert neutralise_csv(data) == published


def test_a_gbk_file_keeps_every_byte_but_the_inserted_apostrophes():
    assert neutralise_csv(GBK_CSV) == GBK_PUBLISHED
    assert GBK_PUBLISHED.replace(b"'", b"") == GBK_CSV


def test_published_bytes_checksum_and_size_come_from_one_place(tmp_path):
    source = tmp_path / "a.CSV"
    source.write_bytes(GBK_CSV)
    published = pub.published_copy(str(source))
    assert published.data == GBK_PUBLISHED
    assert published.sha256 == hashlib.sha256(GBK_PUBLISHED).hexdigest()
    assert published.size == len(GBK_PUBLISHED) == pub.published_size(str(source))
    sink = writer.MemorySink(Report())
    sink.add(OutputFile("files/a.CSV", copy_from=str(source)))
    assert sink.read("files/a.CSV") == GBK_PUBLISHED
    assert sink.hashes["files/a.CSV"] == published.sha256
    other = tmp_path / "a.txt"
    other.write_bytes(GBK_CSV)  # only .csv files are read as CSV
    assert pub.published_copy(str(other)) == pub.Published(hashlib.sha256(GBK_CSV).hexdigest(), len(GBK_CSV))


# --- a whole site ---------------------------------------------------------------------------------------------


def test_catalogue_csvs_neutralise_and_json_keeps_the_exact_text(built):
    for path in (built / "catalogue.csv", built / "news/catalogue.csv"):
        row = next(r for r in rows(path) if r["index_no"].endswith("2024-00001"))
        assert (row["title"], row["summary"], row["keywords"], row["publisher"]) == (
            "'" + TITLE, "'" + SUMMARY, "'-x；@SUM(A1)", "'" + PUBLISHER), path
    for path in (built / "catalogue.json", built / "news/catalogue.json"):
        record = next(r for r in json.loads(path.read_text(encoding="utf-8")) if r["index_no"].endswith("2024-00001"))
        assert (record["title"], record["summary"], record["keywords"], record["publisher"]) == (
            TITLE, SUMMARY, KEYWORDS, PUBLISHER)
    document = json.loads((built / "entries/2024-00001.json").read_text(encoding="utf-8"))
    assert (document["title"], document["summary"], document["keywords"]) == (TITLE, SUMMARY, KEYWORDS)


def test_copied_csvs_are_neutralised_and_untouched_ones_are_exact_copies(built):
    assert (built / "files/open-data/data/t.csv").read_bytes() == DATA_PUBLISHED.encode("utf-8")
    assert (built / "files/news/附件.csv").read_bytes() == GBK_PUBLISHED
    assert (built / "files/news/链接.csv").read_bytes() == GBK_PUBLISHED  # linked from the body
    assert (built / "files/news/普通.csv").read_bytes() == PLAIN_CSV


def test_every_published_csv_has_no_formula_cell(built):
    found = sorted(built.rglob("*.csv"))
    names = {path.relative_to(built).as_posix() for path in found}
    assert {"catalogue.csv", "news/catalogue.csv", "open-data/catalogue.csv", "files/news/附件.csv"} <= names
    for path in found:
        data = path.read_bytes()
        text = data.decode("utf-8-sig") if path.name != "附件.csv" and path.name != "链接.csv" else data.decode("gbk")
        cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
        assert not [cell for cell in cells if is_formula(cell)], path
    numbers = rows(built / "files/open-data/data/t.csv")
    assert [(r["数量"], r["金额"]) for r in numbers][:2] == [("-5", "-0.5"), ("+3", "+3.2")]


def test_dataset_preview_keeps_the_exact_text(built):
    page = (built / "entries/2024-00002.html").read_text(encoding="utf-8")
    for text in ("=1+1", '=HYPERLINK("http://x")', "@SUM(A1)"):
        assert f"<tr><td>{markupsafe.escape(text)}</td>" in page, text
    assert "&#39;=1+1" not in page


def test_checksums_and_sizes_shown_are_those_of_the_published_bytes(built):
    sums = dict(reversed(line.split("  ", 1)) for line in (built / "SHA256SUMS").read_text().splitlines())
    for path in ("files/news/附件.csv", "files/news/普通.csv", "files/open-data/data/t.csv", "files/news/链接.csv"):
        assert sums[path] == hashlib.sha256((built / path).read_bytes()).hexdigest(), path
    document = json.loads((built / "entries/2024-00001.json").read_text(encoding="utf-8"))
    page = (built / "entries/2024-00001.html").read_text(encoding="utf-8")
    for attachment in document["attachments"]:
        data = (built / attachment["path"]).read_bytes()
        assert attachment["sha256"] == hashlib.sha256(data).hexdigest() == sums[attachment["path"]]
        assert attachment["size"] == len(data)
        assert f'<code class="hash">{attachment["sha256"]}</code>' in page
    assert f"（CSV，{len(GBK_PUBLISHED)} B，" in page

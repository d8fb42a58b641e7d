"""索引号, dates and numbers take ASCII digits only. Python's ``\\d`` and ``int()`` accept any Unicode digit,
so ``２０１８`` (full-width) or ``٢٠١٨`` (Arabic-Indic) would otherwise be a second, different number."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ORG, REPO, entry

HINT = "不是半角字符：请关闭输入法的全角模式，用半角数字 0–9 和半角符号重新输入"


def messages(site) -> list[str]:
    return [m.split(": ", 1)[1] for m in site.messages()]


@pytest.mark.parametrize(("serial", "odd"), [
    ("２０１８-00215", "「２」（U+FF12 全角数字）"),
    ("٢٠١٨-00215", "「٢」（U+0662 ARABIC-INDIC DIGIT TWO）"),
    ("2018－00215", "「－」（U+FF0D 全角字符）"),
    ("2018-0021５", "「５」（U+FF15 全角数字）"),
])
def test_index_no_with_other_digits_is_refused_and_names_the_character(make_site, serial, odd):
    site = make_site({"content/news/a.md": entry(serial=serial, published="2018-05-06")})
    assert messages(site) == [
        f"错误 [BAD_INDEX_NO] index_no（索引号）：值「{ORG}/{serial}」格式不正确，应为「前段码/年份-五位流水号」，"
        f"例如 {ORG}/2018-00001；其中{odd}{HINT}"]


def test_full_width_index_no_is_not_a_second_number_beside_the_real_one(make_site):
    site = make_site({
        "content/news/a.md": entry(serial="2018-00215", published="2018-05-06"),
        "content/news/b.md": entry(serial="２０１８-00215", published="2018-05-06"),
    })
    assert [m.split(" [")[1].split("]")[0] for m in site.messages()] == ["BAD_INDEX_NO"]


def test_date_with_full_width_digits_names_the_character(make_site):
    site = make_site({"content/news/a.md": entry(published="２０２４-05-06")})
    assert messages(site) == [
        "错误 [BAD_DATE] published（发布日期）：值「２０２４-05-06」不是有效日期，应写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，"
        f"例如 2018-08-08 09:30；其中「２」（U+FF12 全角数字）{HINT}"]


def test_date_and_time_with_arabic_indic_digits_is_refused(make_site):
    site = make_site({"content/news/a.md": entry(published='"2024-05-06 ٠٩:30"')})
    assert messages(site)[0].endswith(f"其中「٠」（U+0660 ARABIC-INDIC DIGIT ZERO）{HINT}")


def test_written_date_with_full_width_digits_is_refused(make_site):
    site = make_site({"content/news/a.md": entry(written="2024-0５-01")})
    assert messages(site) == [
        "错误 [BAD_DATE] written（成文日期）：值「2024-0５-01」不是有效日期，应写成 YYYY-MM-DD，例如 2018-08-08；"
        f"其中「５」（U+FF15 全角数字）{HINT}"]


def test_integer_key_with_full_width_digits_is_refused(make_site):
    site = make_site({"content/budgets/a.md": entry(year="２０２４", kind="预算")})
    assert messages(site) == [
        f"错误 [BAD_VALUE] year（年度）：值「２０２４」应为 1949 到 2100 之间的整数；其中「２」（U+FF12 全角数字）{HINT}"]


def test_short_link_with_full_width_digits_names_the_character(make_site):
    site = make_site({
        "content/news/a.md": entry(serial="2024-00001"),
        "content/news/b.md": entry(serial="2024-00002").replace("正文。", "见[[２０２４-00001]]。"),
    })
    assert site.messages() == [
        "content/news/b.md:7: 错误 [LINK_UNKNOWN] 链接「２０２４-00001」：索引号只能用半角数字"
        f"；其中「２」（U+FF12 全角数字）{HINT}"]


def test_full_width_year_in_document_number_is_a_format_warning(make_site):
    site = make_site({"content/documents/a.md": entry(doc_no="汕环〔２０１８〕429号", department="办公室", written="2024-05-01")})
    assert [m for m in messages(site) if "DOC_NO" in m] == [
        "警告 [DOC_NO_FORMAT] doc_no（文号）「汕环〔２０１８〕429号」不符合「机关代字〔年份〕序号号」格式，例如 汕环〔2018〕429号；"
        f"其中「２」（U+FF12 全角数字）{HINT}"]


def test_annual_report_cell_with_full_width_digit_names_the_character(make_site):
    from test_annual_report import PATH, UNPARSED, report

    site = make_site({PATH: report(rows={"一、本年新收政府信息公开申请数量": "[3, 1, 0, 0, 0, 0, ４]"})}, catalog=UNPARSED)
    assert site.messages() == [
        f"{PATH}:10: 错误 [REPORT_CELL] applications（申请情况）：行「一、本年新收政府信息公开申请数量」列「总计」："
        f"值「４」应为非负整数（没有时填 0）；其中「４」（U+FF14 全角数字）{HINT}"]


def test_annual_report_fees_with_full_width_digits_are_refused(make_site):
    from test_annual_report import PATH, UNPARSED, report

    site = make_site({PATH: report().replace("fees: 0", 'fees: "１.５"')}, catalog=UNPARSED)
    assert site.messages() == [
        f"{PATH}:7: 错误 [BAD_VALUE] fees（行政事业性收费）：值「１.５」应为以万元为单位的非负金额，最多 4 位小数，例如 0 或 1.25"
        f"；其中「１」（U+FF11 全角数字）{HINT}"]


@pytest.mark.parametrize(("row", "column", "odd"), [
    ("单位1,１２,1.5,2025-01-01", "数量", "「１」（U+FF11 全角数字）"),
    ("单位1,12,١.5,2025-01-01", "金额", "「١」（U+0661 ARABIC-INDIC DIGIT ONE）"),
    ("单位1,12,1.5,２０２５-01-01", "日期", "「２」（U+FF12 全角数字）"),
])
def test_dataset_cells_take_ascii_digits_only(make_site, row, column, odd):
    from test_datasets import CSV, DATASET_CATALOG, ENTRY, HEADER, dataset

    site = make_site({ENTRY: dataset(), CSV: HEADER + row + "\n"}, catalog=DATASET_CATALOG)
    value = row.split(",")[["名称", "数量", "金额", "日期"].index(column)]
    [message] = site.messages()
    assert message.startswith(f"{CSV}:2: 错误 [DATA_TYPE] 第 2 行「{column}」列的值「{value}」不是")
    assert message.endswith(f"其中{odd}{HINT}")


@pytest.mark.parametrize("option", [["--jobs", "２"], ["--jobs", "٢"], ["serve", "--port", "８０００"]])
def test_command_line_numbers_take_ascii_digits_only(make_site, option):
    site = make_site()
    # int() reads ８０００ as 8000: without the check, serve would start and never return.
    result = subprocess.run([sys.executable, str(REPO / "build.py"), *option, "--root", str(site.root)],
                            capture_output=True, text=True, cwd=site.root, timeout=60)
    assert result.returncode == 2
    assert "半角数字" in result.stderr


def test_police_record_link_gets_ascii_digits_whatever_was_typed():
    from disclosure_site.render.templating import _digits

    assert _digits("粤公网安备 ４４１５0000000000²号") == "44150000000000"

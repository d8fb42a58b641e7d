"""Unmasked personal data (去标识化): true findings with exact masks, and the numbers that must never alarm."""

from __future__ import annotations

import pytest

from disclosure_site.core.privacy import (
    Finding,
    find_personal_data,
    id_check_digit,
    is_id_number,
    luhn_valid,
    mask_card,
    mask_id,
    mask_mobile,
    uscc_valid,
)

VALID_ID = "440102199001011248"  # 440102 19900101 124 + check digit 8
VALID_ID_X = "44010219900101123X"
LEGACY_ID = "440102900101123"
CARD_16 = "6222020200000005"
CARD_19 = "6228480012345678903"


def kinds_and_masks(text, allowed=()):
    return [(f.kind, f.masked) for f in find_personal_data(text, allowed=allowed)]


def test_check_digit_matches_the_hard_coded_valid_ids():
    assert VALID_ID[17] == id_check_digit(VALID_ID[:17]) == "8"
    assert id_check_digit(VALID_ID_X[:17]) == "X"


def test_luhn_accepts_the_hard_coded_cards_and_rejects_a_changed_digit():
    assert luhn_valid(CARD_16) and luhn_valid(CARD_19)
    assert not luhn_valid("6222020200000006")


def test_finds_an_18_digit_id_number():
    assert find_personal_data(VALID_ID) == [Finding("身份证号", VALID_ID, "440102********1248", 0, 18)]


@pytest.mark.parametrize("number", [VALID_ID_X, VALID_ID_X.lower()], ids=["upper", "lower"])
def test_finds_an_id_number_ending_in_x(number):
    assert kinds_and_masks(number) == [("身份证号", "440102********123X")]


def test_finds_a_15_digit_legacy_id_number():
    assert kinds_and_masks(f"原身份证{LEGACY_ID}。") == [("身份证号", "440102******123")]


@pytest.mark.parametrize("text", ["13812345678", "138 1234 5678", "138-1234-5678", "+8613812345678",
                                  "+86 13812345678", "+86 138 1234 5678", "8613812345678"],
                         ids=["plain", "spaced", "hyphenated", "plus86", "plus86-space", "plus86-spaced", "86"])
def test_finds_a_mobile_number_in_every_common_form(text):
    assert find_personal_data(text) == [Finding("手机号码", text, "138****5678", 0, len(text))]


@pytest.mark.parametrize(("text", "masked"), [
    (CARD_16, "6222********0005"),
    (CARD_19, "6228***********8903"),
    ("6222 0202 0000 0005", "6222 **** **** 0005"),
    ("6222-0202-0000-0005", "6222-****-****-0005"),
    ("6228 4800 1234 5678 903", "6228 **** **** ***8 903"),
], ids=["16-plain", "19-plain", "16-spaced", "16-hyphenated", "19-spaced"])
def test_finds_a_bank_card_number(text, masked):
    assert find_personal_data(text) == [Finding("银行卡号", text, masked, 0, len(text))]


def test_findings_inside_chinese_sentences_have_positions_in_order():
    text = f"当事人张某（身份证号{VALID_ID}，联系电话13812345678）银行卡号{CARD_16}。"
    assert find_personal_data(text) == [
        Finding("身份证号", VALID_ID, "440102********1248", 10, 28),
        Finding("手机号码", "13812345678", "138****5678", 33, 44),
        Finding("银行卡号", CARD_16, "6222********0005", 49, 65),
    ]


def test_finds_numbers_beside_markdown_and_ascii_punctuation():
    text = f"**13812345678**, 电话:13912345678; ({VALID_ID})"
    assert [f.text for f in find_personal_data(text)] == ["13812345678", "13912345678", VALID_ID]


def test_finds_full_width_digits_and_reports_them_as_written():
    text = "电话１３８１２３４５６７８"
    assert find_personal_data(text) == [Finding("手机号码", "１３８１２３４５６７８", "138****5678", 2, 13)]


@pytest.mark.parametrize("text", [
    "440102199001011234",  # wrong check digit (should be 8 with 124, X with 123)
    "440102199013011237",  # check digit right, month 13
    "44010218000101123X",  # check digit right, born 1800
    "440102901301123",  # legacy ID with month 13
    "990102900101123",  # legacy ID shape with no province 99
    "6222020200000006",  # fails Luhn
    "12812345678",  # 11 digits starting 12
    "1381234567",  # 10 digits
    "914403001922038216",  # all-digit 统一社会信用代码 that happens to pass Luhn
    "2018080812345674",  # Luhn-valid but a date-like serial, not a card industry prefix
], ids=["id-wrong-check", "id-month-13", "id-born-1800", "legacy-month-13", "legacy-no-province", "card-no-luhn",
        "mobile-12", "ten-digits", "uscc", "serial-prefix-2"])
def test_ignores_numbers_failing_their_checks(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize("text", [
    "索引号：1144150000717074X7/2018-00215",
    "索引号：007170744/2018-00001",
    "索引号：114403006955506492/2021-00426",
    "索引号：440102199001011248/2021-00426",
    "汕环〔2018〕429号",
    "2018-08-08", "20180808", "2018年8月8日", "20180808123456789",
    "电话：0660-3362103", "(0660)3362103", "12345", "12369", "邮编516600",
    "事项编码11440000007170744X4400111001",
    "1,234.56", "12345.67", "1234567.00", "13812345678.00", "12,345,678.90", "0.13812345678",
    "https://www.example.gov.cn/a/20180808123456789.html",
    "https://www.example.gov.cn/a/13812345678.html",
    "https://www.example.gov.cn/a?id=13812345678&b=1",
    "file_13812345678.pdf",
    "abc13812345678", "13812345678abc", "ID440102199001011248",
    "2021-13812345678", "13812345678-2021",
    "1234 6222 0202 0000 0005", "6222 0202 0000 0005 1234",
], ids=lambda text: text)
def test_ignores_numbers_that_are_part_of_a_longer_token(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize("text", ["440102********1248", "440102******123", "138****5678", "6222 **** **** 0005",
                                  "6222********0005", "身份证号440102********1248，电话138****5678"])
def test_masked_forms_pass(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize("allowed", ["13812345678", "138-1234-5678", "+86 138 1234 5678"])
def test_the_bureaus_own_numbers_are_allowed_in_any_formatting(allowed):
    text = "咨询电话：138 1234 5678，投诉电话13912345678"
    assert kinds_and_masks(text, allowed=[allowed, "0660-3362103"]) == [("手机号码", "139****5678")]


def test_text_without_long_numbers_has_no_findings():
    assert find_personal_data("根据《中华人民共和国政府信息公开条例》第二十条，2018年8月8日发布。") == []


def test_mask_helpers():
    assert mask_id(VALID_ID) == "440102********1248"
    assert mask_id(LEGACY_ID) == "440102******123"
    assert mask_mobile("+86 138-1234-5678") == "138****5678"
    assert mask_card("6222 0202 0000 0005") == "6222 **** **** 0005"


def test_helper_checks():
    assert is_id_number(VALID_ID) and is_id_number(VALID_ID_X.lower()) and is_id_number(LEGACY_ID)
    assert uscc_valid("914403001922038216") and not uscc_valid("914403001922038217")

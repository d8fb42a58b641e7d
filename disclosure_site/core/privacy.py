"""Finds unmasked 身份证号, 手机号码 and 银行卡号 in published text (去标识化, domain notes §8).

A cheap scan finds runs of 11+ digits, spaces and hyphens; around each, one precompiled regex finds
the standalone candidates: plain digit runs of 15–19 characters, mobile numbers (plain, grouped 3-4-4,
with a ``+86`` prefix) and card numbers grouped in fours. Each candidate is then checked (GB 11643 check
digit and birth date, Luhn) so that 索引号, 文号, dates, landlines, amounts and URLs are never reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

ID_NUMBER = "身份证号"
MOBILE = "手机号码"
BANK_CARD = "银行卡号"

# A number stands alone only between boundaries: ASCII letters, digits and URL punctuation join it to a
# longer token, and a '.' or '-' between digits makes it part of an amount, date or serial number.
_BEFORE = r"(?<![0-9A-Za-z/_=?&])(?<![0-9][.-])"
_AFTER = r"(?![0-9A-Za-z/_=?&])(?![.-][0-9])"
_PREFIX = r"(?:\+?86[ -]?)?"
_PATTERN = re.compile(rf"""{_BEFORE}(?:
    (?P<mobile>{_PREFIX}1[3-9][0-9]{{9}})
  | (?<![0-9]\ )(?P<spaced>{_PREFIX}1[3-9][0-9](?P<ms>[ -])[0-9]{{4}}(?P=ms)[0-9]{{4}})(?!(?P=ms)[0-9])
  | (?<![0-9]\ )(?P<grouped>[0-9]{{4}}(?P<gs>[ -])[0-9]{{4}}(?P=gs)[0-9]{{4}}(?P=gs)[0-9]{{4}}
        (?:(?P=gs)[0-9]{{1,3}})?)(?!(?P=gs)[0-9])
  | (?P<run>[0-9]{{17}}[Xx]|[0-9]{{15,19}})
){_AFTER}""", re.VERBOSE)

# The full pattern starts with lookbehinds, so re tries it at every character; this cheap scan (about
# 3 µs per 1.5 KB of text) finds the only places worth trying: 11+ characters of digits, spaces and hyphens.
_HINT = re.compile(r"[0-9][0-9 -]{9,}[0-9]")

# Editors paste numbers from Word or forms in full-width characters; translating keeps every offset.
_FULL_WIDTH = re.compile("[０-９]")
_TO_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ＋", "0123456789Xx+")

_KEY_CHARS = frozenset("0123456789X")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Two-digit province codes of GB/T 2260; a 15-digit number has no check digit, so this filters 注册号 etc.
_PROVINCES = frozenset(str(code) for code in (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
                                              *range(50, 55), *range(61, 66), 71, 81, 82))
# ISO/IEC 7812 major industry identifiers of bank cards (3 JCB/Amex, 4 Visa, 5 Mastercard, 6 UnionPay, 9 domestic).
_CARD_MII = frozenset("34569")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class Finding:
    """One piece of unmasked personal data in a text."""

    kind: str
    """``身份证号``, ``手机号码`` or ``银行卡号``."""
    text: str
    """Exactly as found in the text, separators and ``+86`` prefix included."""
    masked: str
    """The de-identified form editors should write instead, e.g. ``138****5678``."""
    start: int
    """Offset of ``text`` in the searched string."""
    end: int
    """Offset just past ``text``."""


def find_personal_data(text: str, *, allowed: Iterable[str] = ()) -> list[Finding]:
    """Unmasked ID numbers, mobile numbers and bank-card numbers in text, in order of position.

    ``allowed``: numbers (any formatting; digits are compared) that are the bureau's own published
    contact numbers and never findings.
    """
    searched = text.translate(_TO_ASCII) if _FULL_WIDTH.search(text) else text
    skipped = {number_key(number) for number in allowed}
    findings = (_classify(match, text) for match in _candidates(searched))
    return [found for found in findings if found is not None and number_key(found.text) not in skipped]


def _candidates(searched: str) -> Iterator[re.Match[str]]:
    """Standalone candidates, looked for only around runs of digits long enough to hold one."""
    for hint in _HINT.finditer(searched):
        # One character before for the '+' of +86; after: an ID's final X, then the two the lookaheads read.
        yield from _PATTERN.finditer(searched, max(hint.start() - 1, 0), hint.end() + 3)


def number_key(number: str) -> str:
    """Digits (and an ID's check letter) of ``number``, without a mobile's ``86`` country code."""
    key = "".join(char for char in number.translate(_TO_ASCII).upper() if char in _KEY_CHARS)
    if len(key) == 13 and key.startswith("86") and key[2] == "1":
        return key[2:]
    return key


def _classify(match: re.Match[str], original: str) -> Finding | None:
    found = match.group()
    digits = number_key(found)
    if match["mobile"] or match["spaced"]:
        return _finding(MOBILE, mask_mobile(digits), match, original)
    if match["grouped"]:
        return _finding(BANK_CARD, mask_card(found), match, original) if is_card_number(digits) else None
    if is_id_number(digits):
        return _finding(ID_NUMBER, mask_id(digits), match, original)
    return _finding(BANK_CARD, mask_card(digits), match, original) if is_card_number(digits) else None


def _finding(kind: str, masked: str, match: re.Match[str], original: str) -> Finding:
    return Finding(kind, original[match.start():match.end()], masked, match.start(), match.end())


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character (``0``–``9`` or ``X``) for the first 17 digits of an ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_id_number(number: str) -> bool:
    """An 18-character ID with a valid check digit and birth date, or a 15-digit legacy ID."""
    if len(number) == 18:
        return (number[:17].isdigit() and id_check_digit(number[:17]) == number[17].upper()
                and _birth_date(number[6:14]))
    if len(number) == 15:
        return number.isdigit() and number[:2] in _PROVINCES and _birth_date("19" + number[6:12])
    return False


def _birth_date(yyyymmdd: str) -> bool:
    """A real calendar date between 1900-01-01 and 2099-12-31."""
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    if not 1900 <= year <= 2099:
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def luhn_valid(number: str) -> bool:
    """The Luhn (mod 10) check used by bank-card numbers."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def is_card_number(number: str) -> bool:
    """16–19 digits with a bank-card industry prefix that pass Luhn and are no 统一社会信用代码."""
    return (16 <= len(number) <= 19 and number.isdigit() and number[0] in _CARD_MII
            and luhn_valid(number) and not (len(number) == 18 and uscc_valid(number)))


def uscc_valid(code: str) -> bool:
    """The GB 32100 check character of an 18-character 统一社会信用代码 is right."""
    if len(code) != 18 or any(char not in _USCC_CHARS for char in code):
        return False
    total = sum(_USCC_CHARS.index(char) * weight for char, weight in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[-total % 31] == code[17]


def mask_id(number: str) -> str:
    """``440102********1234`` (first 6, 8 stars, last 4) or, for a 15-digit ID, ``440102******123``."""
    number = number.upper()
    if len(number) == 15:
        return number[:6] + "*" * 6 + number[-3:]
    return number[:6] + "*" * 8 + number[-4:]


def mask_mobile(number: str) -> str:
    """``138****5678``: first 3 and last 4 digits, separators and ``+86`` dropped."""
    digits = number_key(number)
    return digits[:3] + "****" + digits[-4:]


def mask_card(number: str) -> str:
    """First 4 and last 4 digits kept, every other digit a ``*``, the editor's grouping kept."""
    total = sum(char.isdigit() for char in number)
    masked = []
    seen = 0
    for char in number:
        if char.isdigit():
            masked.append(char if seen < 4 or seen >= total - 4 else "*")
            seen += 1
        else:
            masked.append(char)
    return "".join(masked)

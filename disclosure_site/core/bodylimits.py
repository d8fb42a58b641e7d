"""Markdown bodies that Python-Markdown would take minutes, or a RecursionError, to convert: found by check.

Python-Markdown recurses once per nesting level (lists and quotes, emphasis), and much of it is quadratic:
every inline element rebuilds its paragraph, a ``[`` is matched by a character loop to the end of the
paragraph, each unterminated ``<tag`` or unclosed code fence is scanned to the end of the text, and each
heading split off a block re-reads the rest of it. One linear scan here estimates that work from the
text and refuses a body beyond limits a real document stays far below, naming the line.

The thresholds were measured (docs/editing.md sections 五 and 七 give the editors' version): the converter
overflows Python's stack at about 250 indented list levels, 500 list markers on one line, a run of 2,000 *
or 1,000 nested emphases; each budget below keeps one body to about half a second of conversion (tests/
test_body_limits.py times bodies just under them), while ordinary pages use well under 1 % of it.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from markdown.util import BLOCK_LEVEL_ELEMENTS

MAX_NESTING = 20
"""Quote and list levels on one line (indentation counts a level per 4 columns)."""
MAX_HTML_NESTING = 100
"""Open HTML elements inside each other (elements whose end tag is optional, like <p> and <td>, do not count)."""
MAX_EMPHASIS_RUN = 200
"""Longest run of * or _ (a form's blank ______ is a few dozen); a run of 2,000 overflows Python's stack."""
MAX_EMPHASIS_DELIMITERS = 1000
"""Runs of * or _ that may open or close emphasis in one paragraph: 500 levels at most; Python fails near 1,000."""
MAX_MARKUP = 50_000
"""Markup characters (* _ ` [ < & \\) outside raw HTML in the whole body: about 20 µs of conversion each."""
MAX_BLOCKS = 20_000
"""Paragraphs and other blocks separated by blank lines (Python-Markdown moves the whole list of them per block)."""
INLINE_WORK = 500_000_000
"""Markup characters in a paragraph × its length: each inline element rebuilds the paragraph text."""
BRACKET_WORK = 2_000_000
"""Characters between each [ and its ] (or the paragraph's end), walked one by one in Python."""
SPLIT_WORK = 5_000_000
"""Headings and rules in a block × its lines: each one split off re-reads the lines after it."""
FENCE_COPY_WORK = 500_000_000
"""Closed code fences × body length: each is cut out of a new copy of the text."""
FENCE_SCAN_WORK = 20_000_000
"""Characters from each unclosed code fence to the end of the text, searched for its closing line."""
TAG_WORK = 50_000_000
"""Characters from each < of a tag to its > (to the end of the text when it has none)."""
SECTION_WORK = 500_000
"""Characters from each <![ (CDATA or a marked section) to its ]> — Python-Markdown scans these far more slowly."""

_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"))
_OPTIONAL_END = frozenset(("p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup",
                           "colgroup", "caption", "rb", "rt", "rtc", "rp"))
_BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS)
"""Python-Markdown's block-level tags: one at the start of a line opens a raw HTML block it does not parse."""

_CONTAINER_LINE = re.compile(r"^[ \t]*(?:>|(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$))", re.M)
_CONTAINER = re.compile(r"([ \t]*)(?:>|(?:[-+*]|[0-9]{1,9}[.)])(?=[ \t]|$))")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SPLIT_LINE = re.compile(r" {0,3}(?:#|=+[ \t]*$|-+[ \t]*$|([-*_])(?:[ \t]*\1){2,}[ \t]*$)")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)|<[!?]")
_MARKUP = re.compile(r"[*`\[<&\\]|(?<![0-9A-Za-z])_+|_+(?![0-9A-Za-z])| {2,}\n")
_EMPHASIS = re.compile(r"(?<!\\)\*+|(?<![0-9A-Za-z\\])_+|(?<!\\)_+(?![0-9A-Za-z])")
_BRACKET = re.compile(r"(?<!\\)[\[\]]")
_TABLE_SEPARATOR = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_LIST_ITEM = re.compile(r" {0,3}(?:[-+*]|[0-9]{1,9}[.)])[ \t]")


@dataclass(frozen=True)
class BodyProblem:
    """Why a body is refused; ``line`` is 0-based within the body."""

    line: int
    code: str
    message: str


class _TooMuch(Exception):
    """Raised inside the scan with the first limit exceeded."""

    def __init__(self, line: int, code: str, message: str) -> None:
        super().__init__(message)
        self.problem = BodyProblem(line, code, message)


def body_problem(body: str) -> BodyProblem | None:
    """The first limit ``body`` exceeds, or None."""
    try:
        lines = body.split("\n")
        prose = _without_fences(body, lines) if "```" in body or "~~~" in body else body
        _check_nesting(prose)
        raw = _check_html(prose) if "<" in prose else []
        if _may_be_costly(prose, len(lines)):
            _check_blocks(prose.split("\n"), raw)
    except _TooMuch as exc:
        return exc.problem
    return None


def _may_be_costly(prose: str, lines: int) -> bool:
    """Whether any block or paragraph limit could be exceeded: upper bounds from counts, so most bodies skip the scan."""
    size = len(prose)
    emphasis = prose.count("*") + prose.count("_")
    markup = sum(prose.count(char) for char in "*_`[<&\\") + prose.count("  \n")
    return (lines * lines > SPLIT_WORK or size * size > INLINE_WORK or emphasis > MAX_EMPHASIS_RUN
            or prose.count("[") * size > BRACKET_WORK or markup > MAX_MARKUP)


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


# ── fenced code: Python-Markdown cuts each ``` … ``` out of a fresh copy of the text ────────────────────

def _without_fences(body: str, lines: list[str]) -> str:
    """``body`` with fenced code blanked out (line numbers kept); refuses too many or unclosed fences.

    Like Python-Markdown, a fence opens at the start of a line and closes at the next line that is exactly
    the same fence; each closed one costs a copy of the text, each unclosed one a scan to its end.
    """
    closers: dict[str, list[int]] = {}
    openers: list[int] = []
    for number, line in enumerate(lines):
        if line[:3] in ("```", "~~~"):
            openers.append(number)
            fence = line.rstrip(" ")
            if not fence.strip(fence[0]):
                closers.setdefault(fence, []).append(number)
    if not openers:
        return body
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    copies = scanned = after = 0
    blank: list[tuple[int, int]] = []
    for opener in openers:
        if opener < after:
            continue
        line = lines[opener]
        found = closers.get(line[: len(line) - len(line.lstrip(line[0]))], [])
        spot = bisect.bisect_right(found, opener)
        if spot < len(found):
            copies += len(body)
            blank.append((opener, found[spot]))
            after = found[spot] + 1
        else:
            scanned += len(body) - offsets[opener]
        if copies > FENCE_COPY_WORK or scanned > FENCE_SCAN_WORK:
            raise _TooMuch(opener, "BODY_TOO_COMPLEX",
                           "正文的代码块标记 ``` 或 ~~~ 太多或没有配对，转换会非常慢：每个代码块以单独一行 ``` 开始、"
                           "以完全相同的一行 ``` 结束，请检查从本行起的代码块标记")
    kept = list(lines)
    for first, last in blank:
        kept[first:last + 1] = [""] * (last + 1 - first)
    return "\n".join(kept)


# ── nesting of quotes and lists, one line at a time ─────────────────────────────────────────────────

def _check_nesting(prose: str) -> None:
    for match in _CONTAINER_LINE.finditer(prose):
        end = prose.find("\n", match.start())
        line = prose[match.start(): end if end >= 0 else len(prose)]
        if _RULE.fullmatch(line):
            continue  # "- - -" and "* * *" are horizontal rules, not lists
        depth, position = 0, 0
        while depth <= MAX_NESTING and (marker := _CONTAINER.match(line, position)):
            depth += 1 + len(marker[1].expandtabs(4)) // 4
            position = marker.end()
        if depth > MAX_NESTING:
            raise _TooMuch(_line_at(prose, match.start()), "BODY_TOO_DEEP",
                           f"正文的引用（>）和列表（-、*、1.）在本行嵌套超过 {MAX_NESTING} 层：请减少嵌套层数，"
                           "或检查行首的符号和缩进（每 4 个空格算一层）")


# ── raw HTML: tag nesting, tags without >, and where Python-Markdown leaves HTML alone ────────────────

def _check_html(prose: str) -> list[tuple[int, int]]:
    """Refuse deep or costly HTML; return the raw HTML blocks as ``(start, end)`` offsets.

    Follows Python-Markdown's extractor: a block-level tag at the start of a line opens a raw block that
    lasts until its tags are closed; outside one, inline tags are tracked on a second stack.
    """
    html = _Html(prose)
    for match in _TAG.finditer(prose):
        html.tag(match)
    if html.raw_start is not None:
        html.raw.append((html.raw_start, len(prose)))
    return html.raw


class _Stack:
    """Open tags, with a count of each name so that looking one up does not walk the list."""

    def __init__(self) -> None:
        self.tags: list[str] = []
        self.counts: Counter[str] = Counter()

    def push(self, name: str) -> None:
        self.tags.append(name)
        self.counts[name] += 1

    def pop(self) -> str:
        name = self.tags.pop()
        self.counts[name] -= 1
        return name


class _Html:
    def __init__(self, prose: str) -> None:
        self.prose = prose
        self.raw: list[tuple[int, int]] = []
        self.raw_start: int | None = None
        self.raw_tags = _Stack()
        """Open tags of the raw block being read."""
        self.inline_tags = _Stack()
        """Open inline tags outside raw blocks (a separate stack in Python-Markdown too)."""
        self.nested = 0
        self.work = self.section_work = 0
        self.close = self.section_close = -1

    def tag(self, match: re.Match[str]) -> None:
        start = match.start()
        if self.prose.startswith("<![", start):
            self._section(start)
            return
        if self.close < start:
            self.close = self.prose.find(">", start)
        self.work += (self.close if self.close >= 0 else len(self.prose)) - start
        if self.work > TAG_WORK:
            raise _TooMuch(_line_at(self.prose, start), "BODY_TOO_COMPLEX",
                           "正文中有太多缺少「>」的 HTML 标签（或以「<」加字母开头的文字），转换会非常慢："
                           "请补全从本行起的标签，文字中的「<」可写成 &lt;")
        name = (match[2] or "").lower()
        if not name or name == "hr" or self.close < 0 or self.prose[self.close - 1] == "/":
            return  # not an element that stays open: a declaration, a rule, text without ">", <br/>
        if self.raw_start is None and not match[1] and name in _BLOCK_LEVEL and _at_line_start(self.prose, start):
            self.raw_start = start
        stack = self.raw_tags if self.raw_start is not None else self.inline_tags
        if match[1]:
            self._end(name, stack)
        elif stack is self.raw_tags or (name not in _BLOCK_LEVEL and name not in _VOID):
            self._open(name, start, stack)

    def _section(self, start: int) -> None:
        """``<![CDATA[`` or ``<![if …]>``: scanned to ``]]>`` or ``]>``, at about 2 million characters a second."""
        if self.section_close < start:
            self.section_close = self.prose.find("]>", start)
        self.section_work += (self.section_close if self.section_close >= 0 else len(self.prose)) - start
        if self.section_work > SECTION_WORK:
            raise _TooMuch(_line_at(self.prose, start), "BODY_TOO_COMPLEX",
                           "正文中有太多没有结束的「<![」（如 <![CDATA[ 缺少 ]]>），转换会非常慢：请补全或删去从本行起的「<![」")

    def _open(self, name: str, start: int, stack: _Stack) -> None:
        stack.push(name)
        self.nested += name not in _VOID and name not in _OPTIONAL_END
        if self.nested > MAX_HTML_NESTING:
            raise _TooMuch(_line_at(self.prose, start), "BODY_TOO_DEEP",
                           f"正文中的 HTML 标签嵌套超过 {MAX_HTML_NESTING} 层：请检查从本行起的标签，"
                           "每个 <div>、<span>、<b> 等都要有对应的结束标签")

    def _end(self, name: str, stack: _Stack) -> None:
        self.work += len(stack.tags)  # Python-Markdown's "tag in stack" walks the list
        if stack.counts[name]:
            while stack.tags:
                top = stack.pop()
                self.nested -= top not in _VOID and top not in _OPTIONAL_END
                if top == name:
                    break
        if stack is self.raw_tags and not stack.tags:
            self.raw.append((self.raw_start or 0, self.close if self.close >= 0 else len(self.prose)))
            self.raw_start = None


def _at_line_start(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return offset - line_start <= 3 and not text[line_start:offset].strip(" ")


# ── blocks and paragraphs: the quadratic work of Python-Markdown's block and inline processors ─────────

def _check_blocks(lines: list[str], raw: list[tuple[int, int]]) -> None:
    inside_raw = _raw_lines(lines, raw)
    total = 0
    for count, (first, block) in enumerate(_blocks(lines), start=1):
        if count > MAX_BLOCKS:
            raise _TooMuch(first, "BODY_TOO_COMPLEX",
                           f"正文超过 {MAX_BLOCKS} 段（以空行分隔的段落、列表、表格等），转换会非常慢："
                           "请把内容拆成几条信息，或作为附件发布")
        splits = sum(1 for line in block if _SPLIT_LINE.match(line))
        if splits * len(block) > SPLIT_WORK:
            raise _TooMuch(first, "BODY_TOO_COMPLEX",
                           "正文的这一段中标题（#）或分隔线太多且之间没有空行，转换会非常慢：请在标题和分隔线前后加空行")
        for offset, context in _inline_contexts(first, block, inside_raw):
            total += _check_inline(offset, context)
            if total > MAX_MARKUP:
                raise _TooMuch(offset, "BODY_TOO_COMPLEX",
                               f"正文中的格式标记（* _ ` [ < & 等）超过 {MAX_MARKUP} 个，转换会非常慢："
                               "请把内容拆成几条信息，长表格可作为附件或数据集发布")


def _raw_lines(lines: list[str], raw: list[tuple[int, int]]) -> set[int]:
    """Lines lying wholly inside a raw HTML block, whose text Python-Markdown does not parse as Markdown."""
    inside: set[int] = set()
    if not raw:
        return inside
    start = 0
    for number, line in enumerate(lines):
        end = start + len(line)
        spot = bisect.bisect_right(raw, (start, sys.maxsize)) - 1
        if spot >= 0 and raw[spot][0] <= start and end <= raw[spot][1]:
            inside.add(number)
        start = end + 1
    return inside


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """``(first line, lines)`` of each run of non-blank lines."""
    block: list[str] = []
    for number, line in enumerate(lines):
        if line.strip(" \t>"):
            block.append(line)
        elif block:
            yield number - len(block), block
            block = []
    if block:
        yield len(lines) - len(block), block


def _inline_contexts(first: int, block: list[str], inside_raw: set[int]) -> Iterator[tuple[int, str]]:
    """Texts Python-Markdown converts as one inline unit: a paragraph, each row of a table, each list item."""
    rows = len(block) > 1 and "|" in block[0] and _TABLE_SEPARATOR.fullmatch(block[1]) is not None
    items = _LIST_ITEM.match(block[0]) is not None
    start, text = first, ""
    for number, line in enumerate(block, start=first):
        if number in inside_raw:
            continue
        rule = _RULE.fullmatch(line.lstrip(" >")) is not None  # a rule splits a paragraph and holds no text
        if text and (rule or rows or (items and _LIST_ITEM.match(line)) or line.lstrip(" >").startswith("#")):
            yield start, text
            start, text = number, ""
        if not rule:
            text += line + "\n"
    if text:
        yield start, text


def _check_inline(line: int, text: str) -> int:
    """Check one paragraph; return how many markup characters it has at most."""
    most = sum(text.count(char) for char in "*_`[<&\\") + text.count("  \n")
    markup = len(_MARKUP.findall(text)) if most * len(text) > INLINE_WORK else 0
    if markup * len(text) > INLINE_WORK:
        raise _TooMuch(line, "BODY_TOO_COMPLEX",
                       "正文的这一段太长且格式标记（* _ ` [ < & 等）太多，转换会非常慢：请用空行把它分成几段")
    runs = [len(run) for run in _EMPHASIS.findall(text)] if text.count("*") + text.count("_") > MAX_EMPHASIS_RUN else []
    if max(runs, default=0) > MAX_EMPHASIS_RUN or len(runs) > MAX_EMPHASIS_DELIMITERS:
        raise _TooMuch(line, "BODY_TOO_DEEP",
                       f"正文的这一段中「*」或「_」太多（连续超过 {MAX_EMPHASIS_RUN} 个，或共超过 {MAX_EMPHASIS_DELIMITERS} 处），"
                       "会被当作层层嵌套的强调：请删去多余的符号；要显示符号本身请在前面加 \\，分隔线请单独成行")
    _check_brackets(line, text)
    return most


def _check_brackets(line: int, text: str) -> None:
    if text.count("[") * len(text) <= BRACKET_WORK:
        return
    open_at: list[int] = []
    work = 0
    for match in _BRACKET.finditer(text):
        if match[0] == "[":
            open_at.append(match.start())
        elif open_at:
            work += match.start() - open_at.pop()
    work += sum(len(text) - start for start in open_at)
    if work > BRACKET_WORK:
        raise _TooMuch(line, "BODY_TOO_COMPLEX",
                       "正文的这一段中方括号「[」太多、嵌套太深或没有配对，转换会非常慢：请删去多余的「[」，"
                       "要显示方括号本身请写成 \\[")

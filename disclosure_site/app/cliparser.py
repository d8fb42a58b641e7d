"""An argparse parser that speaks Chinese: usage, help and every error an editor can meet on the command line.

argparse looks its texts up through the module-level ``gettext`` names ``_`` and ``ngettext`` at the moment it needs
them; :class:`ChineseParser` puts a translating lookup there only while it builds its help, parses or reports an
error, so nothing outside the parser (pytest's own options, say) is affected.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

TRANSLATIONS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "值 %(value)r 无效（应为 %(type)s）",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开「%(filename)s」：%(error)s",
}
"""argparse's English texts (Python 3.11–3.13) and what an editor reads instead; others stay as argparse has them."""


def _translate(text: str) -> str:
    return TRANSLATIONS.get(text, text)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    # Only "expected %s argument(s)" is plural in argparse; Chinese has one form.
    return "需要 %s 个值" if singular == "expected %s argument" else _translate(singular if count == 1 else plural)


@contextmanager
def _chinese() -> Iterator[None]:
    saved: tuple[Callable[[str], str], Callable[[str, str, int], str]] = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _translate, _translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help, usage and errors are in Chinese; sub-command parsers are of the same kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _chinese():  # the -h help text and the group titles are looked up here
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", ChineseParser)
        with _chinese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with _chinese():  # "unrecognized arguments" is looked up here, after parse_known_args
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        with _chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _chinese():
            super().error(message)

"""The benchmark's plain-text table (no rich: it is not a dependency), aligned for Chinese labels."""

from __future__ import annotations

import unicodedata
from typing import Any

SCENARIOS = (
    ("cold", "冷构建（空输出、无缓存）"),
    ("warm", "热构建（无修改，保留输出和缓存）"),
    ("entry", "修改一条信息后重建"),
    ("template", "修改模板后重建"),
    ("check", "只检查 check --strict"),
    ("no_search", "冷构建 --no-search（比值对 Hugo 冷构建）"),
    ("search", "搜索索引"),
)


def width(text: str) -> int:
    """Display width in a terminal: wide (CJK) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` display columns."""
    return text + " " * max(0, columns - width(text))


def cell(figure: dict[str, Any] | None) -> str:
    """``median (min–max) s`` of one scenario, or a dash when it was not measured."""
    if not figure:
        return "—"
    if "min_s" not in figure:
        return f"{figure['median_s']:.2f} s"
    return f"{figure['median_s']:.2f} s ({figure['min_s']:.2f}–{figure['max_s']:.2f})"


def rss(figure: dict[str, Any] | None) -> str:
    """Peak memory of one scenario in MB, ``RSS / PSS`` when both were measured, or a dash."""
    if not figure or not figure.get("peak_rss_mb"):
        return "—"
    pss = f" / {figure['peak_pss_mb']:.0f}" if figure.get("peak_pss_mb") else ""
    return f"{figure['peak_rss_mb']:.0f}{pss} MB"


def rows(figures: dict[str, Any]) -> list[list[str]]:
    """Header and one row per scenario, then pages per second."""
    ours, hugo, ratio = figures["ours"], figures.get("hugo", {}), figures.get("ratio", {})
    table = [["场景", "本生成器 中位（最小–最大）", "峰值 RSS / PSS", "Hugo 中位（最小–最大）", "峰值 RSS / PSS",
              "本生成器/Hugo"]]
    for key, label in SCENARIOS:
        table.append([label, cell(ours.get(key)), rss(ours.get(key)), cell(hugo.get(key)), rss(hugo.get(key)),
                      f"{ratio[key]:.2f}" if key in ratio else "—"])
    speed = figures["pages_per_second"]
    pages = figures["pages"]
    table.append(["每秒页数（HTML 页 / 冷构建）", f"{speed['ours']:.0f}（{pages['ours']} 页）", "",
                  f"{speed['hugo']:.0f}（{pages['hugo']} 页）" if "hugo" in speed else "—", "", ""])
    return table


def print_aligned(table: list[list[str]]) -> None:
    """Print a header row, a rule, then the other rows, in columns aligned by display width."""
    widths = [max(width(row[i]) for row in table) for i in range(len(table[0]))]
    for number, row in enumerate(table):
        print("  ".join(pad(text, widths[i]) for i, text in enumerate(row)).rstrip())
        if number == 0:
            print("  ".join("-" * w for w in widths))


def print_table(figures: dict[str, Any]) -> None:
    """Print the figures as an aligned table with the machine and notes underneath."""
    print(f"条目数 {figures['entries']}，每项 {figures['runs']} 次（中位数，括号内最小–最大）")
    print_aligned(rows(figures))
    machine = figures["machine"]
    print(f"\n机器：{machine['nproc']} 核，内存 {machine['ram_gb']} GB，Python {machine['python']}，"
          f"Hugo {machine['hugo'] or '未安装'}")
    for key, figure in figures["ours"].items():
        if figure.get("note"):
            print(f"注：{dict(SCENARIOS).get(key, key)}：{figure['note']}")
    for note in figures["notes"]:
        print(f"注：{note}")


EDITS = (
    ("serve_body", "serve：改一条正文 → 条目页写出", 0.5),
    ("serve_title", "serve：改一条标题 → 条目页和栏目第一页写出", 2.0),
    ("edit_incremental", "改一条正文后 build --incremental --no-search", 2.0),
)
"""The edit scenarios of ``--edits`` (:mod:`benchmarks.edits`) with their targets in seconds."""
WARM_TARGET = 1.0
"""Warm full build ≤ 1.0 × Hugo's warm build."""


def edit_rows(edits: dict[str, Any]) -> list[list[str]]:
    """Header and one row per edit scenario, then the warm build against Hugo: figure, target, met or not."""
    table = [["场景", "中位（最小–最大）", "目标", "达成"]]
    for key, label, target in EDITS:
        figure = edits.get(key)
        met = "—" if not figure else "是" if figure["median_s"] <= target else "否"
        table.append([label, cell(figure), f"≤ {target:g} s", met])
    ratio = edits.get("warm_vs_hugo")
    search = "含搜索索引" if edits.get("warm_search") else "--no-search"
    table.append([f"热构建 ÷ Hugo 热构建（{search}）", "—（需 --vs-hugo）" if ratio is None else f"{ratio:.2f} 倍",
                  f"≤ {WARM_TARGET:g} 倍", "—" if ratio is None else "是" if ratio <= WARM_TARGET else "否"])
    return table


def print_edits(figures: dict[str, Any]) -> None:
    """Print the edit scenarios as a second aligned table."""
    print(f"\n编辑到页面（--edits），每项 {figures['runs']} 次")
    print_aligned(edit_rows(figures["edits"]))
    print("注：serve 两项从保存文件算起，到输出中的页面含有新文字为止（基准程序每 10 ms 读一次），"
          "包括 serve 得知保存的时间（系统通知、50 ms 静默、一次检查被监视文件夹）；serve 重跑检查，只渲染输入变了的页面，"
          "搜索索引、数据文件和订阅留到被访问时再更新")

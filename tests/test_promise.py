"""The promise, as a property: on any small site — entries in every disclosure state, drafts and scheduled ones,
files shared between entries, body links to entries and files, datasets, symlinks and hard links inside the root —
the build either fails with errors naming a real conflict, or succeeds with no private byte in any output file or
file name, and every published entry reachable from the home page.

Every private byte carries a unique canary; a model of the site says which canaries are private and whether the
site holds a conflict. ``HYPOTHESIS_PROFILE=long`` runs many more examples locally.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from conftest import CATALOG, ORG
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from leaks import leaks

from disclosure_site import pipeline

settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TODAY = dt.date(2026, 11, 26)
STATES = ("published", "request", "never", "draft", "scheduled")
CONFLICTS = {"ATTACHMENT_IS_ENTRY", "ATTACHMENT_WITHHELD", "LINK_WITHHELD", "DATA_NOT_CSV"}
"""Errors that name a real conflict (a dataset naming an entry file is refused earlier, as not a CSV)."""
SITE_CATALOG = CATALOG.replace("key_areas:", "  - {id: open-data, title: 数据开放, type: dataset}\nkey_areas:")


@dataclass(frozen=True)
class PoolFile:
    """A file under content/pool/: real, or another name (symlink, hard link) of an earlier real one."""

    name: str
    kind: str
    """``real``, ``symlink`` or ``hardlink``."""
    of: int
    """Index of the real file it names (itself when real)."""


@dataclass
class Item:
    """One entry of the generated site."""

    state: str
    dataset: bool
    attaches: list[int] = field(default_factory=list)
    """Pool files attached (or, for a dataset, named as its CSV)."""
    links_files: list[int] = field(default_factory=list)
    links_entries: list[int] = field(default_factory=list)
    attaches_entry: int | None = None
    """Another entry whose .md file this one attaches (always a conflict)."""


@st.composite
def sites(draw: st.DrawFn) -> tuple[list[PoolFile], list[Item]]:
    reals = draw(st.integers(1, 3))
    pool = [PoolFile(f"f{i}.csv", "real", i) for i in range(reals)]
    for i in range(draw(st.integers(0, 2))):
        pool.append(PoolFile(f"alias{i}.csv", draw(st.sampled_from(["symlink", "hardlink"])), draw(st.integers(0, reals - 1))))
    count = draw(st.integers(1, 5))
    items = []
    for _ in range(count):
        item = Item(draw(st.sampled_from(STATES)), draw(st.booleans()))
        item.attaches = draw(st.lists(st.integers(0, len(pool) - 1), max_size=2, unique=True))
        if item.dataset and not item.attaches:
            item.attaches = [0]
        item.links_files = draw(st.lists(st.integers(0, len(pool) - 1), max_size=1))
        item.links_entries = draw(st.lists(st.integers(0, count - 1), max_size=1))
        item.attaches_entry = draw(st.none() | st.integers(0, count - 1)) if draw(st.integers(0, 9)) == 0 else None
        items.append(item)
    return pool, items


def canary(kind: str, number: int) -> str:
    return f"zqcanary{kind}{number}q"


def file_canary(real: int) -> str:
    return canary("file", real)


def entry_canary(number: int) -> str:
    return canary("entry", number)


def serial(number: int, item: Item) -> str:
    return f"{2026 if item.state == 'scheduled' else 2024}-{number + 1:05d}"


def folder(item: Item) -> str:
    return "open-data" if item.dataset else "news"


def front_matter(number: int, item: Item) -> str:
    private = item.state != "published"
    marker = entry_canary(number) if private else f"公开条目{number}"
    lines = [f"title: 标题{marker}", f'index_no: "{ORG}/{serial(number, item)}"',
             f"published: {'2026-12-30' if item.state == 'scheduled' else '2024-05-06'}",
             f"summary: 概述{marker}", f"keywords: [词{marker}]"]
    lines.append({"request": "disclosure: 依申请公开", "never": "disclosure: 不予公开"}.get(item.state, "disclosure: 主动公开"))
    if item.state in ("request", "never"):
        lines.append("withhold_reason: 涉及第三方商业秘密")
    if item.state == "draft":
        lines.append("draft: true")
    return "\n".join(lines) + "\n"


def references(number: int, item: Item, pool: list[PoolFile], items: list[Item]) -> str:
    refs = [f"../pool/{pool[i].name}" for i in item.attaches]
    if item.attaches_entry is not None:
        other = items[item.attaches_entry]
        refs.append(f"../{folder(other)}/e{item.attaches_entry}.md")
    if not refs:
        return ""
    if item.dataset:
        return "data:\n" + "".join(f"  - file: {ref}\n    title: 表{k}\n    columns:\n      - {{name: 名称, type: 文本}}\n"
                                   for k, ref in enumerate(refs))
    return "attachments:\n" + "".join(f"  - {{file: {ref}, title: 附件{k}}}\n" for k, ref in enumerate(refs))


def body(number: int, item: Item, pool: list[PoolFile], items: list[Item]) -> str:
    marker = entry_canary(number) if item.state != "published" else f"公开正文{number}"
    parts = [f"正文{marker}。"]
    parts += [f"见[文件](../pool/{pool[i].name})。" for i in item.links_files]
    parts += [f"参见[[{serial(k, items[k])}]]。" for k in item.links_entries]
    return "\n\n".join(parts) + "\n"


def write_site(root: Path, pool: list[PoolFile], items: list[Item]) -> None:
    (root / "content/pool").mkdir(parents=True)
    (root / "catalog.yaml").write_text(SITE_CATALOG, encoding="utf-8")
    for number, item in enumerate(items):
        path = root / "content" / folder(item) / f"e{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = f"---\n{front_matter(number, item)}{references(number, item, pool, items)}---\n{body(number, item, pool, items)}"
        path.write_text(text, encoding="utf-8")
    for index, file in enumerate(pool):
        path = root / "content/pool" / file.name
        if file.kind == "real":
            path.write_text(f"名称\n{file_canary(index)}\n", encoding="utf-8")
        elif file.kind == "symlink":
            os.symlink(pool[file.of].name, path)
        else:
            os.link(root / "content/pool" / pool[file.of].name, path)


@dataclass(frozen=True)
class Expectation:
    conflict: bool
    private: set[str]


def expect(pool: list[PoolFile], items: list[Item]) -> Expectation:
    """What the promise says about the generated site: is there a conflict, and which canaries are private."""
    public = [item.state == "published" for item in items]
    used_by_public, used_by_private = set(), set()
    conflict = False
    for number, item in enumerate(items):
        files = {pool[i].of for i in item.attaches + item.links_files}
        (used_by_public if public[number] else used_by_private).update(files)
        conflict |= item.attaches_entry is not None
        conflict |= public[number] and any(not public[k] for k in item.links_entries)
    conflict |= bool(used_by_public & used_by_private)
    private = {entry_canary(n) for n, item in enumerate(items) if not public[n]}
    private |= {file_canary(f.of) for f in pool if f.of not in used_by_public}
    return Expectation(conflict, private)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name == "href" and value]


def reachable(out: Path) -> set[str]:
    """Every page reached from index.html by following relative links."""
    seen, todo = set(), ["index.html"]
    while todo:
        page = todo.pop()
        if page in seen or not (out / page).is_file():
            continue
        seen.add(page)
        parser = _Links()
        parser.feed((out / page).read_text(encoding="utf-8"))
        for href in parser.found:
            target = urldefrag(href)[0]
            if urlsplit(target).scheme or not target.endswith(".html"):
                continue
            joined = os.path.normpath(os.path.join(os.path.dirname(page), unquote(target)))
            todo.append(joined.replace(os.sep, "/"))
    return seen


@given(sites())
def test_nothing_private_reaches_the_site_and_every_public_entry_is_reachable(site: tuple[list[PoolFile], list[Item]]):
    pool, items = site
    work = Path(tempfile.mkdtemp(prefix="promise-"))
    try:
        root = work / "root"
        write_site(root, pool, items)
        expectation = expect(pool, items)
        outcome = pipeline.build(root, work / "out", TODAY, cache=False, history=False, jobs=1)
        errors = {d.code for d in outcome.report if d.severity.name == "ERROR" and not d.calendar}
        event("refused: a conflict" if expectation.conflict else "built")
        if expectation.conflict:
            assert outcome.files == 0 and errors and errors <= CONFLICTS, [d.format() for d in outcome.report]
            assert not (work / "out").exists()
            return
        assert errors == set(), [d.format() for d in outcome.report]
        assert leaks(work / "out", expectation.private) == []
        pages = reachable(work / "out")
        published = {f"entries/{serial(n, item)}.html" for n, item in enumerate(items) if item.state == "published"}
        assert published <= pages, sorted(published - pages)
        wechat = {p.relative_to(work / "out").as_posix() for p in (work / "out").rglob("*.wechat.html")}
        assert wechat == {page.removesuffix(".html") + ".wechat.html" for page in published}
        shown = re.findall(r"zqcanary\w+?q", " ".join(p.as_posix() for p in (work / "out").rglob("*")))
        assert shown == []
    finally:
        shutil.rmtree(work, ignore_errors=True)

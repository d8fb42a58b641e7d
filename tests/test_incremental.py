"""The build cache and ``build --incremental``: reused results must give exactly what a clean build gives.

Each scenario copies the demo site, builds it (filling the cache), makes one kind of edit, then
compares an incremental rebuild with a clean build (``cache=False``) of the edited site, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, REPO
from test_build import tree_digest

from disclosure_site import pipeline
from disclosure_site.body import markdown as markup
from disclosure_site.cache import memo
from disclosure_site.model.body import Body
from disclosure_site.render.templating import DEFAULT_TEMPLATES

NEWS = "content/news/2023-mangrove-patrol.md"
POLICY = "content/documents/other/2026-disclosure-request-procedure.md"
INTERPRETATION = "content/interpretations/2026-disclosure-request-procedure-jiedu.md"
ATTACHMENT = "content/enforcement/inspections/attachments/2023-batch1-results.csv"
DATASET = "content/open-data/data/2025-key-polluters.csv"
TASK = "content/execution/reforms/2026-eia-one-visit-reform.md"
REPORT = "content/execution/results/2026-eia-one-visit-progress-report.md"
LIST_CSV = "content/lists/data/certificates.csv"


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "bureau"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "catalog.yaml", root / "catalog.yaml")
    return root


def build(root: Path, out: Path, **options: object) -> pipeline.Outcome:
    settings: dict[str, object] = {"search": False, "history": False, "jobs": 1, **options}
    outcome = pipeline.build(root, out, DEMO_TODAY, **settings)  # type: ignore[arg-type]
    assert outcome.files, [d.format() for d in outcome.report]
    return outcome


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(root: Path) -> None:
    with (root / NEWS).open("a", encoding="utf-8") as handle:
        handle.write("\n巡查结果已通报属地政府。\n")


def edit_title(root: Path) -> None:
    """Changes list pages, feeds, the sitemap's neighbours, catalogue.json/csv and the exact-lookup table."""
    replace(root, NEWS, "title: 市环保局开展品清湖红树林湿地生态环境巡查", "title: 市环保局开展品清湖红树林湿地专项巡查")


def add_key_area(root: Path) -> None:
    replace(root, NEWS, "disclosure: 主动公开", "key_areas: [pollution-events]\ndisclosure: 主动公开")


def retitle_policy(root: Path) -> None:
    """The interpretation's page links to the policy by title: it must change although its file did not."""
    text = (root / POLICY).read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    replace(root, POLICY, title, title.rstrip("》") + "（修订）")


def retitle_interpretation(root: Path) -> None:
    """The policy's page lists its interpretations by title, though the policy's file does not name them."""
    replace(root, INTERPRETATION, "title: 《汕尾市环境保护局政府信息公开申请办理规程》政策解读",
            "title: 《汕尾市环境保护局政府信息公开申请办理规程》图文解读")


def delete_entry(root: Path) -> None:
    (root / NEWS).unlink()


def add_entry(root: Path) -> None:
    text = (root / NEWS).read_text(encoding="utf-8")
    new = text.replace("2023-00152", "2023-00999").replace("红树林湿地", "海岸线")
    (root / "content/news/2023-coastline-patrol.md").write_text(new, encoding="utf-8")


def edit_template(root: Path) -> None:
    (root / "templates").mkdir()
    source = (DEFAULT_TEMPLATES / "entry.html").read_text(encoding="utf-8")
    (root / "templates/entry.html").write_text(source.replace("</article>", "<p>本页由测试模板生成。</p></article>", 1),
                                               encoding="utf-8")


def edit_attachment(root: Path) -> None:
    with (root / ATTACHMENT).open("a", encoding="utf-8") as handle:
        handle.write("补充,1,2\n")


def edit_catalog(root: Path) -> None:
    replace(root, "catalog.yaml", 'phone: "0660-3362103"', 'phone: "0660-3362104"')


def edit_dataset(root: Path) -> None:
    """Only the CSV changes: its entry's page shows the row count and the first rows."""
    with (root / DATASET).open("a", encoding="utf-8") as handle:
        handle.write("16,汕尾市某某新材料有限公司（示例）,城区,化工,大气环境,挥发性有机物\n")
    path = root / DATASET
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + lines[-1] + "".join(lines[1:-1]), encoding="utf-8")


def edit_list_row(root: Path) -> None:
    """Only a list's CSV changes: one row's legal basis; its page's table and its generated CSV show the row."""
    replace(root, LIST_CSV, "《环境影响评价公众参与办法》第十九条", "《环境影响评价公众参与办法》第三十一条")


def counts_on_entry_pages(root: Path) -> None:
    """A bureau's own entry template that shows how many entries its column holds (site-wide counts)."""
    (root / "templates").mkdir(exist_ok=True)
    source = (DEFAULT_TEMPLATES / "entry.html").read_text(encoding="utf-8")
    shown = "<p>本栏目共 {{ counts[column.path] }} 条信息。</p></article>"
    (root / "templates/entry.html").write_text(source.replace("</article>", shown, 1), encoding="utf-8")


def edit_task_progress(root: Path) -> None:
    """A new 进展情况 note: the task's page, and the column's status table that shows each task's latest note."""
    replace(root, TASK, "due: 2026-12-31\n---", "  - date: 2026-11-25\n    note: 环评报告书审批网上预审正式运行。\n"
            "due: 2026-12-31\n---")
    replace(root, TASK, "status: 推进中", "status: 已完成")


def retarget_report(root: Path) -> None:
    """A report's implements moves to another task: both tasks' 落实情况 lists change."""
    replace(root, REPORT, "2026-00342", "2026-00344")


EDITS: dict[str, Callable[[Path], None]] = {
    "body": edit_body, "title": edit_title, "key-area": add_key_area, "policy-title": retitle_policy,
    "interpretation-title": retitle_interpretation,
    "deletion": delete_entry, "addition": add_entry, "template": edit_template, "attachment": edit_attachment,
    "catalog": edit_catalog, "dataset": edit_dataset, "counts-template": add_entry, "list-row": edit_list_row,
    "task-progress": edit_task_progress, "implements": retarget_report,
}
SETUPS: dict[str, Callable[[Path], None]] = {"counts-template": counts_on_entry_pages}
"""What a site has before the first build, for edits whose effect depends on it."""


@pytest.mark.parametrize("edit", EDITS)
def test_cached_incremental_and_preview_rebuilds_equal_a_clean_build(demo_copy: Path, tmp_path: Path, edit: str) -> None:
    out = tmp_path / "site"
    SETUPS.get(edit, lambda root: None)(demo_copy)
    build(demo_copy, out)
    before = tree_digest(out)
    session = pipeline.Session()  # a preview's: it compares each page's inputs with the last build's
    build(demo_copy, tmp_path / "preview", session=session)
    EDITS[edit](demo_copy)
    build(demo_copy, tmp_path / "cached")
    build(demo_copy, out, incremental=True)
    build(demo_copy, tmp_path / "preview", incremental=True, session=session)
    build(demo_copy, tmp_path / "clean", cache=False)
    clean = tree_digest(tmp_path / "clean")
    assert tree_digest(tmp_path / "cached") == clean
    assert tree_digest(out) == clean
    assert tree_digest(tmp_path / "preview") == clean
    assert clean != before  # the edit is visible, so the comparison means something


def test_incremental_rebuild_with_search_equals_clean_build(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(demo_copy, out, search=True)
    edit_title(demo_copy)
    build(demo_copy, out, search=True, incremental=True)
    build(demo_copy, tmp_path / "clean", search=True, cache=False)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_incremental_rebuild_rewrites_only_changed_files(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(demo_copy, out)
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    page = next(p for p in times if p.name == "2023-00152.html")
    edit_body(demo_copy)
    build(demo_copy, out, incremental=True)
    changed = {p.relative_to(out).as_posix() for p, t in times.items() if p.stat().st_mtime_ns != t}
    assert page.relative_to(out).as_posix() in changed
    assert "SHA256SUMS" in changed
    assert "index.html" not in changed  # the body is not shown on the home page
    assert len(changed) < len(times) // 10


def test_deleted_entry_files_are_removed(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(demo_copy, out)
    assert (out / "entries/2023-00152.html").is_file()
    delete_entry(demo_copy)
    build(demo_copy, out, incremental=True)
    assert not (out / "entries/2023-00152.html").exists()
    assert not (out / "entries/2023-00152.json").exists()


def test_output_changed_by_someone_else_gets_a_full_write(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(demo_copy, out)
    build(demo_copy, out, cache=False)  # a build that does not record what it wrote
    (out / "index.html").write_text("改坏了", encoding="utf-8")
    (out / "SHA256SUMS").write_text("", encoding="utf-8")
    build(demo_copy, out, incremental=True)
    build(demo_copy, tmp_path / "clean", cache=False)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_failed_incremental_build_leaves_output_untouched(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(demo_copy, out)
    before = tree_digest(out)
    replace(demo_copy, NEWS, "published: 2023-10-11", "published: 2023-13-11")
    outcome = pipeline.build(demo_copy, out, DEMO_TODAY, search=False, history=False, incremental=True)
    assert outcome.report.fails(strict=False)
    assert tree_digest(out) == before


def test_warm_build_reuses_rendered_markdown(demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(demo_copy, tmp_path / "one")

    def no_rendering(_text: str, _document: bool = False) -> Body:
        raise AssertionError("Markdown rendered again although nothing changed")

    monkeypatch.setattr(markup, "parse_markdown", no_rendering)
    monkeypatch.setattr("disclosure_site.body.links.parse_markdown", no_rendering)
    build(demo_copy, tmp_path / "two")
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_new_code_version_does_not_reuse_old_results(demo_copy: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    build(demo_copy, tmp_path / "one")
    rendered: list[str] = []
    real = markup.parse_markdown
    monkeypatch.setattr("disclosure_site.body.links.parse_markdown", lambda text, *kind: rendered.append(text) or real(text, *kind))
    monkeypatch.setattr(memo, "code_version", lambda: "another version of the generator")
    build(demo_copy, tmp_path / "two")
    assert len(rendered) > 50


def test_no_cache_keeps_nothing(demo_copy: Path, tmp_path: Path) -> None:
    build(demo_copy, tmp_path / "site", cache=False)
    assert not (demo_copy / memo.CACHE_DIR).exists()
    build(demo_copy, tmp_path / "site")
    assert (demo_copy / memo.CACHE_DIR / memo.CACHE_FILE).is_file()
    assert (demo_copy / memo.CACHE_DIR / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_cached_entry_is_checked_again_when_its_attachment_goes(demo_copy: Path, tmp_path: Path) -> None:
    build(demo_copy, tmp_path / "site")
    (demo_copy / ATTACHMENT).unlink()
    outcome = pipeline.build(demo_copy, tmp_path / "site", DEMO_TODAY, search=False, history=False)
    assert any(d.code == "ATTACHMENT_MISSING" for d in outcome.report.sorted()), outcome.report.sorted()


def test_check_reads_the_cache_but_never_writes_it(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "FLUSH_BYTES", 1)  # would write at once if it could
    outcome = pipeline.check(demo_copy, DEMO_TODAY, memo.memo_for(demo_copy, enabled=True, writable=False))
    assert outcome.catalogue is not None
    assert not (demo_copy / memo.CACHE_DIR).exists()
    assert demo_copy.joinpath("site").exists() is False


def test_output_folder_is_readable_by_the_web_server(demo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(demo_copy, out)
    assert out.stat().st_mode & 0o777 == 0o755


def test_a_later_build_date_reaches_every_page_that_shows_it(demo_copy: Path, tmp_path: Path) -> None:
    """Pages no longer depend on the build date as a whole: each depends on it only through what it shows."""
    counts_on_entry_pages(demo_copy)
    path = demo_copy / "templates/entry.html"
    path.write_text(path.read_text(encoding="utf-8").replace("</article>", "<p>{{ today }}</p></article>", 1),
                    encoding="utf-8")
    later = DEMO_TODAY + dt.timedelta(days=400)
    build(demo_copy, tmp_path / "site")
    outcome = pipeline.build(demo_copy, tmp_path / "site", later, search=False, history=False, jobs=1, incremental=True)
    pipeline.build(demo_copy, tmp_path / "clean", later, search=False, history=False, jobs=1, cache=False)
    assert outcome.files
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "clean")
    assert later.isoformat() in (tmp_path / "site/entries/2023-00152.html").read_text(encoding="utf-8")


def test_a_page_whose_template_changes_what_it_reads_is_made_again(demo_copy: Path, tmp_path: Path) -> None:
    build(demo_copy, tmp_path / "site")
    (demo_copy / "templates").mkdir()
    source = (DEFAULT_TEMPLATES / "entry.html").read_text(encoding="utf-8")
    (demo_copy / "templates/entry.html").write_text(
        source.replace("</article>", "<p>全站 {{ area_counts | length }} 个重点领域</p></article>", 1), encoding="utf-8")
    build(demo_copy, tmp_path / "site", incremental=True)
    build(demo_copy, tmp_path / "clean", cache=False)
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "clean")


def test_a_preview_session_redoes_only_the_changed_file_and_keeps_the_rest_in_memory(
        demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``serve`` keeps entries and parsed bodies as objects between builds; even without the cache file
    (``cache=False``) a second build checks and parses only the file that changed."""
    from disclosure_site.body import links
    from disclosure_site.load import entries

    session = pipeline.Session()
    build(demo_copy, tmp_path / "site", cache=False, session=session)
    checked: list[str] = []
    parsed: list[str] = []
    real_check, real_parse = entries._validated, links.parse_markdown
    monkeypatch.setattr(entries, "_validated", lambda text, *rest: checked.append(text.source.rel) or real_check(text, *rest))
    monkeypatch.setattr(links, "parse_markdown", lambda body, *kind: parsed.append(body) or real_parse(body, *kind))
    edit_body(demo_copy)
    build(demo_copy, tmp_path / "site", cache=False, incremental=True, session=session)
    assert checked == [NEWS]
    assert len(parsed) == 1 and "巡查结果已通报属地政府。" in parsed[0]
    build(demo_copy, tmp_path / "clean", cache=False)
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "clean")


def test_a_preview_session_renders_only_the_pages_whose_inputs_changed(
        demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A title edit re-renders the entry and the pages that list it; every other page is taken as unchanged from
    the last build by comparing its inputs, without rendering it or reading it back; the result is still exactly
    a fresh build's."""
    from disclosure_site.render.templating import Renderer

    session = pipeline.Session()
    out = tmp_path / "site"
    build(demo_copy, out, session=session)
    rendered: list[str] = []
    real_html = Renderer._html
    monkeypatch.setattr(Renderer, "_html", lambda self, spec, *rest: rendered.append(spec.path) or real_html(self, spec, *rest))
    edit_title(demo_copy)
    build(demo_copy, out, incremental=True, session=session)
    assert "entries/2023-00152.html" in rendered and "news/index.html" in rendered
    assert "entries/2020-00127.html" not in rendered  # untouched entries are not rendered again
    assert 0 < len(rendered) < 20
    monkeypatch.setattr(Renderer, "_html", real_html)
    build(demo_copy, tmp_path / "clean", cache=False)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_a_page_taken_as_unchanged_but_gone_from_the_output_is_made_again(demo_copy: Path, tmp_path: Path) -> None:
    session = pipeline.Session()
    out = tmp_path / "site"
    build(demo_copy, out, session=session)
    (out / "entries/2020-00127.html").unlink()  # someone tidied the preview's folder by hand
    edit_body(demo_copy)
    outcome = build(demo_copy, out, incremental=True, session=session)
    assert outcome.files
    build(demo_copy, tmp_path / "clean", cache=False)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_a_preview_rebuild_can_leave_search_and_data_files_for_later(demo_copy: Path, tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "site"
    build(demo_copy, out, search=True)

    def machine_files() -> dict[Path, tuple[int, bytes]]:
        return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*")
                if p.is_file() and (p.suffix not in {".html", ".css", ".js"} or "pagefind" in p.parts)
                and p.name not in {"SHA256SUMS", ".disclosure-site"} and "files" not in p.parts}

    before = machine_files()
    edit_title(demo_copy)
    outcome = build(demo_copy, out, search=True, incremental=True, later=True)
    later = outcome.later
    assert {"catalogue.json", "catalogue.csv", "rss.xml", "atom.xml", "sitemap.xml"} <= later
    assert any(path.startswith("pagefind/") for path in later)
    assert not any(path.endswith(".html") and not path.startswith("pagefind/") for path in later)
    assert machine_files() == before  # untouched, not even rewritten
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=out).returncode == 0
    assert "红树林湿地专项巡查" in (out / "entries/2023-00152.html").read_text(encoding="utf-8")
    assert "红树林湿地专项巡查" in (out / "news/index.html").read_text(encoding="utf-8")
    assert not build(demo_copy, out, search=True, incremental=True).later
    build(demo_copy, tmp_path / "clean", search=True, cache=False)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


@pytest.mark.parametrize("withdraw", ["deleted", "不予公开"])
def test_a_preview_rebuild_makes_everything_when_an_entry_is_withdrawn(demo_copy: Path, tmp_path: Path,
                                                                       withdraw: str) -> None:
    """Data files, feeds and the search index left for later would still list the entry: none is left then."""
    out = tmp_path / "site"
    build(demo_copy, out, search=True)
    assert "品清湖红树林湿地生态环境巡查" in (out / "catalogue.json").read_text(encoding="utf-8")
    if withdraw == "deleted":
        delete_entry(demo_copy)
    else:
        replace(demo_copy, NEWS, "disclosure: 主动公开", "disclosure: 不予公开\nwithhold_reason: 涉及第三方合法权益（条例第十五条）")
    outcome = build(demo_copy, out, search=True, incremental=True, later=True)
    assert outcome.later == frozenset()
    leftovers = [p for p in out.rglob("*") if p.is_file() and "品清湖红树林湿地生态环境巡查".encode() in p.read_bytes()]
    assert leftovers == []
    build(demo_copy, tmp_path / "clean", search=True, cache=False)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")


def test_without_a_last_build_search_and_data_files_are_made_at_once(demo_copy: Path, tmp_path: Path) -> None:
    outcome = build(demo_copy, tmp_path / "site", search=True, incremental=True, later=True)
    assert not outcome.later
    assert (tmp_path / "site/pagefind/pagefind-entry.json").is_file()
    assert (tmp_path / "site/catalogue.json").is_file()

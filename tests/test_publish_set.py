"""The publish set is closed: a file reaches the site only because a published entry refers to it, and a file an
unpublished entry refers to (or an entry file itself) never does, by any name: copies through symlinks and hard
links, shared attachments, body links and dataset files included."""

from __future__ import annotations

import os

import pytest
from conftest import entry
from leaks import leaks

from disclosure_site.core.diagnostics import Report
from disclosure_site.model.output import OutputFile
from disclosure_site.write import writer

SECRET = "canarysecretq7x2"
"""A word that is in private files only."""


def attaching(title, serial, file, **keys):
    """A news entry attaching ``file``."""
    text = entry(title=title, serial=serial, **keys)
    return text.replace("disclosure: ", f"attachments:\n  - {{file: {file}, title: 附件}}\ndisclosure: ")


def withheld(**keys):
    return {"disclosure": "依申请公开", "withhold_reason": "涉及第三方商业秘密", **keys}


def codes(site):
    return [(d.path, d.line, d.code) for d in site.check()]


def assert_refused_and_private(site, expected):
    """``check`` names the conflict; the build writes nothing; no private byte reaches any output."""
    found = codes(site)
    assert expected in found, found
    outcome = site.build()
    assert outcome.files == 0
    assert not (site.root / "site").exists()


def test_file_shared_by_a_published_and_a_withheld_entry_is_an_error_naming_both(make_site):
    site = make_site({
        "content/news/public.md": attaching("公开", "2024-00001", "shared.txt"),
        "content/news/secret.md": attaching("内部", "2024-00009", "shared.txt", **withheld()),
        "content/news/shared.txt": f"{SECRET} 内部名单",
    })
    messages = site.messages()
    assert any("[ATTACHMENT_WITHHELD]" in m and m.startswith("content/news/public.md:6:")
               and "content/news/secret.md:6（不公开）" in m for m in messages), messages
    assert_refused_and_private(site, ("content/news/public.md", 6, "ATTACHMENT_WITHHELD"))


@pytest.mark.parametrize("state", [{"draft": "true"}, {"published": "2026-12-30"}, withheld(disclosure="不予公开")])
def test_draft_scheduled_and_never_public_entries_make_their_files_private(make_site, state):
    site = make_site({
        "content/news/public.md": attaching("公开", "2024-00001", "shared.txt"),
        "content/news/other.md": attaching("其他", "2026-00009" if "published" in state else "2024-00009", "shared.txt",
                                           **state),
        "content/news/shared.txt": SECRET,
    })
    assert ("content/news/public.md", 6, "ATTACHMENT_WITHHELD") in codes(site)


def test_an_entry_file_is_never_an_attachment(make_site):
    site = make_site({
        "content/news/public.md": attaching("公开", "2024-00001", "secret.md"),
        "content/news/secret.md": entry(title=SECRET, serial="2024-00009", **withheld()),
    })
    assert_refused_and_private(site, ("content/news/public.md", 6, "ATTACHMENT_IS_ENTRY"))


def test_a_withheld_entry_may_not_attach_an_entry_file_either(make_site):
    site = make_site({
        "content/news/public.md": entry(title="公开"),
        "content/news/secret.md": attaching("内部", "2024-00009", "public.md", **withheld()),
    })
    assert ("content/news/secret.md", 6, "ATTACHMENT_IS_ENTRY") in codes(site)


def test_a_body_link_to_a_withheld_entrys_attachment_is_an_error(make_site):
    site = make_site({
        "content/news/public.md": entry(title="公开").replace("正文。", "见[名单](list.txt)。"),
        "content/news/secret.md": attaching("内部", "2024-00009", "list.txt", **withheld()),
        "content/news/list.txt": SECRET,
    })
    assert_refused_and_private(site, ("content/news/public.md", 7, "LINK_WITHHELD"))


def test_a_withheld_body_link_makes_its_file_private(make_site):
    site = make_site({
        "content/news/public.md": attaching("公开", "2024-00001", "list.txt"),
        "content/news/secret.md": entry(title="内部", serial="2024-00009", **withheld()).replace("正文。", "见[名单](list.txt)。"),
        "content/news/list.txt": SECRET,
    })
    assert ("content/news/public.md", 6, "ATTACHMENT_WITHHELD") in codes(site)


def test_a_symlink_to_a_withheld_file_is_that_file(make_site):
    site = make_site({
        "content/news/public.md": attaching("公开", "2024-00001", "alias.txt"),
        "content/news/secret.md": attaching("内部", "2024-00009", "private/list.txt", **withheld()),
        "content/news/private/list.txt": SECRET,
    })
    os.symlink("private/list.txt", site.root / "content/news/alias.txt")
    assert_refused_and_private(site, ("content/news/public.md", 6, "ATTACHMENT_WITHHELD"))


def test_a_hard_link_to_a_withheld_file_is_that_file(make_site):
    site = make_site({
        "content/news/public.md": attaching("公开", "2024-00001", "copy.txt"),
        "content/news/secret.md": attaching("内部", "2024-00009", "list.txt", **withheld()),
        "content/news/list.txt": SECRET,
    })
    os.link(site.root / "content/news/list.txt", site.root / "content/news/copy.txt")
    assert ("content/news/public.md", 6, "ATTACHMENT_WITHHELD") in codes(site)


def test_a_hard_link_to_an_entry_file_is_an_entry_file(make_site):
    site = make_site({
        "content/news/public.md": attaching("公开", "2024-00001", "notes.txt"),
        "content/news/secret.md": entry(title=SECRET, serial="2024-00009", **withheld()),
    })
    os.link(site.root / "content/news/secret.md", site.root / "content/news/notes.txt")
    assert ("content/news/public.md", 6, "ATTACHMENT_IS_ENTRY") in codes(site)


DATASET_CATALOG_LINE = "  - {id: open-data, title: 数据开放, type: dataset}\n"


def test_a_dataset_csv_that_a_withheld_entry_attaches_is_an_error(make_site):
    from conftest import CATALOG
    catalog = CATALOG.replace("key_areas:", DATASET_CATALOG_LINE + "key_areas:")
    dataset = entry(title="数据", serial="2024-00001").replace("disclosure: ", (
        "data:\n  - file: rows.csv\n    title: 名单\n    columns:\n      - {name: 名称, type: 文本}\ndisclosure: "))
    site = make_site({
        "content/open-data/d.md": dataset,
        "content/news/secret.md": attaching("内部", "2024-00009", "../open-data/rows.csv", **withheld()),
        "content/open-data/rows.csv": f"名称\n{SECRET}\n",
    }, catalog=catalog)
    found = codes(site)
    assert ("content/open-data/d.md", 6, "ATTACHMENT_WITHHELD") in found, found


def test_private_attachments_reach_no_output_while_published_ones_do(make_site):
    site = make_site({
        "content/news/public.md": attaching("公开", "2024-00001", "open.txt"),
        "content/news/also.md": attaching("也公开", "2024-00002", "open.txt"),
        "content/news/secret.md": attaching("内部", "2024-00009", "private.txt", **withheld()),
        "content/news/open.txt": "公开的附件",
        "content/news/private.txt": SECRET,
        "content/news/unreferenced.txt": SECRET,
    })
    outcome = site.build()
    assert outcome.report.sorted() == [] and outcome.files
    assert (site.root / "site/files/news/open.txt").is_file()
    assert leaks(site.root / "site", [SECRET]) == []


def test_an_entry_symlinked_from_outside_the_root_is_refused_and_never_read(make_site, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(entry(title=SECRET, serial="2024-00005"), encoding="utf-8")
    site = make_site({"content/news/a.md": entry()})
    os.symlink(outside, site.root / "content/news/outside.md")
    result = site.cli("build", "--no-search")
    assert result.returncode == 1
    assert "content/news/outside.md:1: 错误 [SYMLINK_OUTSIDE]" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    assert not (site.root / "site").exists()


@pytest.mark.parametrize("link", ["templates/404.html", "templates/assets/site.css", "content/news/data.txt",
                                  "content/news/folder", "catalog.yaml"])
def test_symlinks_that_leave_the_site_folder_are_errors(make_site, tmp_path, link):
    outside = tmp_path / "passwd"
    outside.write_text(f"root:x:0:0:{SECRET}\n", encoding="utf-8")
    site = make_site({"content/news/a.md": entry()})
    target = site.root / link
    target.parent.mkdir(parents=True, exist_ok=True)
    if link == "catalog.yaml":
        (tmp_path / "catalog.yaml").write_text(target.read_text(encoding="utf-8"), encoding="utf-8")
        target.unlink()
        os.symlink(tmp_path / "catalog.yaml", target)
    else:
        os.symlink(tmp_path if link.endswith("folder") else outside, target)
    result = site.cli("build", "--no-search")
    assert result.returncode == 1, result.stdout
    assert f"{link}:1: 错误 [SYMLINK_OUTSIDE]" in result.stdout
    assert not (site.root / "site").exists()


def test_a_symlink_inside_the_site_is_its_target(make_site):
    site = make_site({
        "content/news/a.md": attaching("公开", "2024-00001", "link.txt"),
        "content/shared/form.txt": "申请表",
    })
    os.symlink("../shared/form.txt", site.root / "content/news/link.txt")
    outcome = site.build()
    assert outcome.report.sorted() == []
    assert (site.root / "site/files/shared/form.txt").read_text(encoding="utf-8") == "申请表"


@pytest.mark.parametrize("name", ["loop.txt", "x" * 300 + ".txt", "a/" * 2000 + "b.txt"])
def test_impossible_attachment_paths_are_missing_files_not_crashes(make_site, name):
    site = make_site({"content/news/a.md": attaching("公开", "2024-00001", name)})
    if name == "loop.txt":
        os.symlink("loop.txt", site.root / "content/news/loop.txt")
    result = site.cli("check")
    assert result.returncode == 1 and "[ATTACHMENT_MISSING]" in result.stdout
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr


def test_the_writer_refuses_to_copy_a_file_outside_the_publish_set(tmp_path):
    private = tmp_path / "private.txt"
    private.write_text(SECRET, encoding="utf-8")
    report = Report()
    sink = writer.MemorySink(report)
    sink.allowed = lambda source: False
    sink.add(OutputFile("files/private.txt", copy_from=str(private), origin="content/news/a.md"))
    assert [d.code for d in report.sorted()] == ["FILE_NOT_PUBLISHED"] and sink.planned() == []

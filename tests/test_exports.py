"""Open-data exports (CSV, per column, per entry, JSON Schema), attachment checksums and SHA256SUMS."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import DEMO_TODAY, ORG, REPO, entry

from disclosure_site import pipeline
from disclosure_site.core import published
from disclosure_site.outputs.dataschema import RECORD_PROPERTIES
from disclosure_site.outputs.exports import CSV_COLUMNS, csv_bytes
from disclosure_site.write import checksums

DOCUMENTED_CSV_ORDER = [
    "index_no", "title", "column", "type", "published", "written", "doc_no", "publisher", "department", "topic",
    "keywords", "key_areas", "summary", "validity", "interprets", "interpretations", "path", "data_path", "url",
    "implements", "implementations",
]
"""The column order promised in the README; changing it breaks people's spreadsheets."""
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo_catalogue():
    return pipeline.check(REPO, DEMO_TODAY).catalogue


@pytest.fixture(scope="module")
def records(demo_site):
    return json.loads((demo_site / "catalogue.json").read_text(encoding="utf-8"))


def as_row(record):
    """A catalogue.json record as the CSV writes it: lists joined with ；, null empty."""
    return {name: "；".join(value) if isinstance(value, list) else "" if value is None else str(value)
            for name, value in record.items()}


def read_csv(path: Path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM at byte 0, so Excel and WPS read Chinese correctly"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def in_column(records, column_path):
    return [r for r in records if r["column"] == column_path or r["column"].startswith(column_path + "/")]


# --- catalogue.csv and the per-column files ---------------------------------------------------------------


def test_catalogue_csv_has_every_record_of_catalogue_json_in_order(demo_site, records):
    header, rows = read_csv(demo_site / "catalogue.csv")
    assert header == DOCUMENTED_CSV_ORDER
    assert len(records) > 50
    assert rows == [as_row(r) for r in records]
    lines = (demo_site / "catalogue.csv").read_bytes().split(b"\r\n")
    assert len(lines) == len(records) + 2 and lines[-1] == b"", "one CRLF-terminated line per record plus the header"


def test_csv_columns_are_exactly_the_record_keys_described_by_the_schema(records):
    assert list(CSV_COLUMNS) == DOCUMENTED_CSV_ORDER
    assert set(records[0]) == set(CSV_COLUMNS) == set(RECORD_PROPERTIES)


def test_csv_quotes_commas_quotes_and_line_breaks_per_rfc_4180():
    record = dict.fromkeys(CSV_COLUMNS, None) | {"title": '关于"双随机"抽查, 的通知', "summary": "第一行\n第二行",
                                                 "keywords": ["环境", "监测"], "interpretations": []}
    data = csv_bytes([record])
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    assert '"关于""双随机""抽查, 的通知"'.encode() in data
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert row == as_row(record)


def test_each_column_exports_its_entries_and_its_sub_columns(demo_site, demo_catalogue, records):
    columns = list(demo_catalogue.config.all_columns())
    assert any(c.children for c in columns)
    for column in columns:
        expected = in_column(records, column.path_text)
        folder = demo_site / column.path_text
        assert json.loads((folder / "catalogue.json").read_text(encoding="utf-8")) == expected, column.path_text
        header, rows = read_csv(folder / "catalogue.csv")
        assert header == DOCUMENTED_CSV_ORDER and rows == [as_row(r) for r in expected]
        assert f"共 {len(expected)} 条" in (folder / "index.html").read_text(encoding="utf-8"), "same as the HTML list"
    parent = next(c for c in columns if c.children)
    child = parent.children[0].path_text
    parent_records = json.loads((demo_site / parent.path_text / "catalogue.json").read_text(encoding="utf-8"))
    assert any(r["column"] == child for r in parent_records)


# --- one JSON file per entry ----------------------------------------------------------------------------------


def test_every_published_entry_has_a_json_file_matching_its_page(demo_site, records):
    assert sorted(p.name for p in (demo_site / "entries").glob("*.json")) == sorted(
        Path(r["data_path"]).name for r in records)
    for record in records:
        assert record["data_path"] == record["path"].removesuffix(".html") + ".json"
        data = json.loads((demo_site / record["data_path"]).read_text(encoding="utf-8"))
        extra = ("body", "attachments", "first_published", "last_updated", "changes")
        assert {k: v for k, v in data.items() if k not in extra} == record
        # 更新记录: first publication is the 发布日期, and nothing is dated before it.
        assert data["first_published"] == record["published"][:10] <= data["last_updated"]
        assert all(data["first_published"] <= change["date"] <= data["last_updated"] for change in data["changes"])
        page = (demo_site / record["path"]).read_text(encoding="utf-8")
        assert f"<dt>索引号</dt><dd>{record['index_no']}</dd>" in page
        assert f"<dt>名称</dt><dd>{html.escape(record['title'], quote=False)}</dd>" in page
        assert f'<link rel="canonical" href="{record["url"]}">' in page
        assert page_attachments(page) == [(a["path"], a["media_type"], a["sha256"]) for a in data["attachments"]]


def page_attachments(page: str):
    """``(path, type, full hash)`` of each attachment listed on an entry page."""
    section = page.split('<section class="attachments"', 1)[1].split("</section>", 1)[0] if 'class="attachments"' in page else ""
    found = re.findall(r'<li><a href="\.\./([^"]+)" type="([^"]+)">.*?<details class="checksum">.*?'
                       r'<code class="hash">([0-9a-f]{64})</code></details></li>', section, flags=re.S)
    return [(path, media_type, digest) for path, media_type, digest in found]


def test_entry_json_carries_the_body_source_and_attachment_facts(demo_site, demo_catalogue):
    seed = next(e for e in demo_catalogue.published if e.attachments)
    data = json.loads((demo_site / f"entries/{seed.serial}.json").read_text(encoding="utf-8"))
    assert data["body"] == seed.body
    [first, *_] = data["attachments"]
    attachment = seed.attachments[0]
    content = Path(attachment.source).read_bytes()
    assert first == {
        "title": attachment.title, "path": f"files/{attachment.content_path}",
        "url": f"{demo_catalogue.config.site.base_url}files/{attachment.content_path}",
        "size": len(content), "media_type": attachment.media_type, "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert (demo_site / first["path"]).read_bytes() == content


def test_attachment_size_type_and_hash_are_shown_on_the_page(make_site):
    text = entry().replace("disclosure: ", "attachments:\n  - {file: 方案.pdf, title: 工作方案}\ndisclosure: ")
    site = make_site({"content/news/a.md": text, "content/news/方案.pdf": "%PDF-1.4"})
    # The stand-in PDF has no text layer: a notice, never an error.
    assert [d.code for d in site.build().report.sorted()] == ["ATTACHMENT_NOT_INDEXED"]
    digest = hashlib.sha256(b"%PDF-1.4").hexdigest()
    page = (site.root / "site/entries/2024-00001.html").read_text(encoding="utf-8")
    assert ('<a href="../files/news/%E6%96%B9%E6%A1%88.pdf" type="application/pdf">工作方案</a> <span class="file-meta">'
            f'（PDF，8 B，SHA-256：<code class="hash">{digest[:16]}</code>…）</span>') in page
    assert ('<details class="checksum"><summary>完整 SHA-256 校验值<span class="visually-hidden">：工作方案</span></summary>'
            f'<code class="hash">{digest}</code></details>') in page
    css = next((site.root / "site/assets").glob("site.*.css")).read_text(encoding="utf-8")
    assert ".hash { word-break: break-all; }" in css, "a 64-digit hash must wrap at 320 px"


def test_an_attachment_shared_by_two_entries_is_hashed_once(make_site, monkeypatch):
    shared = "attachments:\n  - {file: shared.pdf, title: 共用附件}\ndisclosure: "
    site = make_site({
        "content/news/a.md": entry().replace("disclosure: ", shared),
        "content/news/b.md": entry(serial="2024-00002").replace("disclosure: ", shared),
        "content/news/shared.pdf": "%PDF-1.4",
    })
    opened = []
    original = published.hashlib.file_digest

    def counting(handle, name):
        opened.append(Path(handle.name).name)
        return original(handle, name)

    monkeypatch.setattr(published.hashlib, "file_digest", counting)
    codes = [d.code for d in site.build().report.sorted()]
    assert codes == ["ATTACHMENT_NOT_INDEXED"] * 2, "the stand-in PDF has no text layer"
    assert opened == ["shared.pdf"]
    sums = (site.root / "site/SHA256SUMS").read_text(encoding="utf-8")
    assert sums.count("  files/news/shared.pdf\n") == 1


# --- JSON Schema ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schemas(demo_site):
    loaded = {}
    for name in ("catalogue", "entry"):
        schema = json.loads((demo_site / f"schema/{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        loaded[name] = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return loaded


def test_every_json_export_of_the_demo_validates_against_its_schema(demo_site, demo_catalogue, schemas):
    base = demo_catalogue.config.site.base_url
    assert schemas["catalogue"].schema["$id"] == f"{base}schema/catalogue.schema.json"
    assert schemas["entry"].schema["$id"] == f"{base}schema/entry.schema.json"
    lists = [demo_site / "catalogue.json", *(demo_site / c.path_text / "catalogue.json" for c in demo_catalogue.config.all_columns())]
    for path in lists:
        schemas["catalogue"].validate(json.loads(path.read_text(encoding="utf-8")))
    entries = sorted((demo_site / "entries").glob("*.json"))
    assert len(entries) == len(demo_catalogue.published)
    for path in entries:
        schemas["entry"].validate(json.loads(path.read_text(encoding="utf-8")))


def test_schemas_describe_every_key_in_chinese(schemas):
    record = schemas["catalogue"].schema["items"]
    attachment = schemas["entry"].schema["properties"]["attachments"]["items"]
    for properties in (record["properties"], schemas["entry"].schema["properties"], attachment["properties"]):
        for name, rule in properties.items():
            assert HAN.search(rule["description"]), name
    assert record["required"] == list(RECORD_PROPERTIES)


@pytest.mark.parametrize(("key", "value"), [
    ("index_no", "2018-00215"),
    ("published", "2018/08/08"),
    ("keywords", "政务公开、工作要点"),
    ("type", "memo"),
    ("validity", "作废"),
    ("path", None),
])
def test_schema_rejects_a_broken_record(records, schemas, key, value):
    broken = [dict(records[0], **{key: value})]
    with pytest.raises(jsonschema.ValidationError):
        schemas["catalogue"].validate(broken)
    missing = [{k: v for k, v in records[0].items() if k != key}]
    with pytest.raises(jsonschema.ValidationError):
        schemas["catalogue"].validate(missing)


def test_schema_rejects_a_bad_attachment_checksum(demo_site, records, schemas):
    with_files = next(r for r in records if json.loads((demo_site / r["data_path"]).read_text(encoding="utf-8"))["attachments"])
    data = json.loads((demo_site / with_files["data_path"]).read_text(encoding="utf-8"))
    schemas["entry"].validate(data)
    data["attachments"][0]["sha256"] = data["attachments"][0]["sha256"][:16]
    with pytest.raises(jsonschema.ValidationError):
        schemas["entry"].validate(data)


# --- SHA256SUMS -----------------------------------------------------------------------------------------------


def test_sha256sums_lists_every_other_file_in_sha256sum_format(demo_site):
    text = (demo_site / "SHA256SUMS").read_bytes().decode("utf-8")
    assert "\r" not in text and text.endswith("\n")
    lines = text.splitlines()
    assert all(re.fullmatch(r"[0-9a-f]{64}  \S.*", line) for line in lines)
    paths = [line[66:] for line in lines]
    files = sorted(p.relative_to(demo_site).as_posix() for p in demo_site.rglob("*") if p.is_file())
    # The hidden stamp marks the folder for the tool (never served); every published file is listed.
    assert paths == sorted(paths) == [f for f in files if f not in ("SHA256SUMS", ".disclosure-site")]


def test_sha256sum_verifies_the_site_and_catches_a_tampered_file(demo_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(demo_site, copy)
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=copy, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK\n") == sum(1 for p in copy.rglob("*") if p.is_file()) - 2  # SUMS and stamp
    with (copy / "catalogue.csv").open("ab") as handle:
        handle.write(b"x")
    result = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=copy, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout == "catalogue.csv: FAILED\n"


def test_sums_line_escapes_names_the_way_sha256sum_does(tmp_path):
    odd = "files/a\\b.txt"
    (tmp_path / "files").mkdir()
    (tmp_path / odd).write_bytes(b"x")
    sums = checksums.sums_file({odd: hashlib.sha256(b"x").hexdigest()})
    (tmp_path / "SHA256SUMS").write_bytes(sums.data)
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- what must never be exported; determinism ---------------------------------------------------------------

CANARY = "金丝雀数据戊"


def exported_site(make_site):
    attachment = "attachments:\n  - {file: 附件.csv, title: 名单}\ndisclosure: "
    return make_site({
        "content/news/a.md": entry(keywords="[环境, 监测]").replace("disclosure: ", attachment).replace(
            "正文。", f"正文。\n\n<!-- {CANARY}：编辑备注 -->\n"),
        "content/news/附件.csv": "名称,数量\n甲,1\n",
        "content/news/b.md": entry(title=f"{CANARY}标题", serial="2024-00002", disclosure="依申请公开",
                                   withhold_reason="涉及商业秘密"),
        "content/documents/normative/c.md": entry(title="规范性文件", serial="2024-00003", written="2024-05-01",
                                                   department="办公室"),
    })


def test_withheld_entries_and_body_comments_never_reach_the_data(make_site):
    site = exported_site(make_site)
    assert site.build().report.sorted() == []
    out = site.root / "site"
    assert not (out / "entries/2024-00002.json").exists()
    data = json.loads((out / "entries/2024-00001.json").read_text(encoding="utf-8"))
    assert data["body"].startswith("正文。")
    for path in out.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
            assert f"{ORG}/2024-00002".encode() not in path.read_bytes(), path


def test_exports_are_byte_identical_across_builds(make_site, tmp_path):
    site = exported_site(make_site)
    digests = []
    for name in ("one", "two"):
        pipeline.build(site.root, tmp_path / name, DEMO_TODAY)
        digests.append((tmp_path / name / "SHA256SUMS").read_bytes())
        assert (tmp_path / name / "documents/catalogue.csv").is_file()
    assert digests[0] == digests[1]
    tree = [{p.relative_to(tmp_path / n).as_posix(): p.read_bytes() for p in (tmp_path / n).rglob("*") if p.is_file()}
            for n in ("one", "two")]
    assert tree[0] == tree[1]


# --- links for people -----------------------------------------------------------------------------------------


def test_footer_sitemap_and_column_pages_link_the_exports(demo_site):
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="catalogue.json">开放数据（catalogue.json）</a>' in home
    assert '<a href="catalogue.csv">开放数据（catalogue.csv）</a>' in home
    sitemap = (demo_site / "sitemap.html").read_text(encoding="utf-8")
    for target in ("catalogue.json", "catalogue.csv", "schema/catalogue.schema.json", "SHA256SUMS"):
        assert f'href="{target}"' in sitemap, target
    assert "<code>sha256sum -c SHA256SUMS</code>" in sitemap
    column = (demo_site / "documents/normative/index.html").read_text(encoding="utf-8")
    assert ('<p class="data-links">下载本栏目数据：<a href="catalogue.json" type="application/json">JSON</a> '
            '<span aria-hidden="true">|</span> <a href="catalogue.csv" type="text/csv">CSV</a></p>') in column


def test_readme_documents_every_key_and_the_csv_column_order():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert ",".join(CSV_COLUMNS) in readme
    for name in RECORD_PROPERTIES:
        assert f"| `{name}` |" in readme, name
    assert "sha256sum -c SHA256SUMS" in readme

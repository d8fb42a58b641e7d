"""The benchmark corpus as a Hugo site, for the ``--vs-hugo`` comparison.

The Hugo site is the minimal equivalent of ours: the same published entries with the same front matter
(under ``params``), columns as nested sections with paginated lists (20 a page, as ours), one page per entry
showing title, metadata and body, and Hugo's own RSS feeds and sitemap; taxonomies are turned off because
the disclosure catalogue has none. Attachments and data files are copied as static files. It renders far
less than ours (no key-area pages, exports, JSON, search index or annual-report tables); the comparison
is of the core work every generator does: parse Markdown, render a page per entry and the lists.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import yaml

HUGO_CONFIG = """\
baseURL: {base_url}
locale: zh-CN
title: {title}
hasCJKLanguage: true
disableKinds: [taxonomy, term]
pagination: {{pagerSize: 20}}
"""

SINGLE = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body>
<nav>{{ range .Ancestors.Reverse }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> / {{ end }}</nav>
<article>
<h1>{{ .Title }}</h1>
<dl>
<div><dt>发布日期</dt><dd>{{ .Date.Format "2006-01-02" }}</dd></div>
{{ range $key, $value := .Params.meta }}<div><dt>{{ $key }}</dt><dd>{{ $value }}</dd></div>
{{ end }}</dl>
<div class="body">{{ .Content }}</div>
</article>
</body>
</html>
"""

LIST = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body>
<h1>{{ .Title }}</h1>
{{ with .Params.description }}<p>{{ . }}</p>{{ end }}
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>（{{ len .RegularPagesRecursive }}）</li>{{ end }}</ul>
{{ if .IsHome }}
<ul>{{ range first 10 site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ else }}
{{ $pager := .Paginate .RegularPagesRecursive.ByDate.Reverse }}
<table>
{{ range $pager.Pages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td>
<td>{{ .Params.meta.index_no }}</td><td>{{ .Date.Format "2006-01-02" }}</td></tr>
{{ end }}</table>
<nav>{{ range $pager.Pagers }}<a href="{{ .URL }}">{{ .PageNumber }}</a> {{ end }}</nav>
{{ end }}
</body>
</html>
"""

SINGLE_LAYOUT = Path("layouts/_default/single.html")


def write_hugo_site(source: Path, dest: Path, today: dt.date) -> None:
    """Write a Hugo site under ``dest`` equivalent to the site root ``source`` as published on ``today``."""
    catalog = yaml.safe_load((source / "catalog.yaml").read_text(encoding="utf-8"))
    site = catalog["site"]
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "hugo.yaml").write_text(HUGO_CONFIG.format(base_url=site["base_url"], title=site["name"]), encoding="utf-8")
    for path, text in ((SINGLE_LAYOUT, SINGLE), (SINGLE_LAYOUT.with_name("list.html"), LIST)):
        (dest / path).parent.mkdir(parents=True, exist_ok=True)
        (dest / path).write_text(text, encoding="utf-8")
    _write_sections(catalog["columns"], dest / "content")
    content = source / "content"
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content)
        if path.suffix == ".md":
            _write_entry(path, dest / "content" / rel, today)
        elif path.is_file():
            # Hugo publishes only bundle resources from content/; static/ keeps the same URLs.
            target = dest / "static" / "content" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def _write_sections(columns: list[dict[str, Any]], folder: Path) -> None:
    """An ``_index.md`` per column, so nested folders become nested sections."""
    for column in columns:
        section = folder / column["id"]
        section.mkdir(parents=True, exist_ok=True)
        front = {"title": column["title"], "params": {"description": column.get("description", "")}}
        (section / "_index.md").write_text(f"---\n{_dump(front)}---\n", encoding="utf-8")
        _write_sections(column.get("children", []), section)


def _write_entry(source: Path, target: Path, today: dt.date) -> None:
    """Copy one entry if ours publishes it: title and date for Hugo, every other key under ``params.meta``."""
    _start, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    published = str(meta.pop("published"))
    day = dt.date.fromisoformat(published[:10])
    if meta.get("disclosure") != "主动公开" or meta.get("draft") or day > today:
        return
    moment = f"{published[:10]}T{published[11:16] or '00:00'}:00+08:00"
    page = {"title": meta.pop("title"), "date": moment, "params": {"meta": _plain(meta)}}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"---\n{_dump(page)}---\n{body}", encoding="utf-8")


def _plain(value: Any) -> Any:
    """Dates as ISO strings, so Hugo shows them as the corpus wrote them."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _dump(data: dict[str, Any]) -> str:
    """YAML front matter, Chinese kept readable."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=4096)

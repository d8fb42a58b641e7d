"""Strict Jinja templates: the environment, its filters, page rendering and fingerprinted assets."""

from __future__ import annotations

import hashlib
import os
import re
import traceback
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import markupsafe

from ..core.inputs import read_source, utf8_text
from ..core.steps import Steps
from ..model import urls
from ..model.output import OutputFile
from .minify import compact_css


def _default_templates() -> Path:
    # An installed wheel carries the theme as the package folder theme/ (pyproject maps the checkout's templates/
    # there); in a checkout, or an editable install, the top-level templates/ is that one source itself.
    package = Path(__file__).resolve().parents[1]
    packaged = package / "theme"
    return packaged if packaged.is_dir() else package.parent / "templates"


DEFAULT_TEMPLATES = _default_templates()
"""The default theme (templates and assets); a site's own ``templates/`` folder overrides it file by file."""
FILTER_NAMES = ("site",)
"""Page variables the link filters read by themselves (``rel`` and ``absolute`` need the site's address)."""
ASSETS = ("site.css", "site.js", "search.js", "gongwen.css")
"""Files from ``templates/assets/`` published with a content hash in their names."""


def template_dirs(root: Path) -> list[Path]:
    """The site's templates first, then the defaults."""
    own = root / "templates"
    return [own, DEFAULT_TEMPLATES] if own.resolve() != DEFAULT_TEMPLATES else [DEFAULT_TEMPLATES]


def make_environment(root: Path) -> jinja2.Environment:
    """A strict, autoescaping environment: a typo in a template fails the build."""
    env = jinja2.Environment(
        loader=_CheckedLoader([str(d) for d in template_dirs(root)]),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(rel=_relative_link, absolute=_absolute_link, filesize=_filesize, or_dash=_or_dash,
                       digits=_digits, contact=contact_links)
    env.globals.update(entry_page=urls.entry_page, column_page=urls.column_page,
                       key_area_page=urls.key_area_page, attachment_file=urls.attachment_file, site_root=_site_root,
                       feed_paths=urls.feed_paths, column_data=urls.column_data,
                       list_csv=urls.list_csv)
    return env


class _CheckedLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, but a template that is not UTF-8 or cannot be read is an ``inputs.SourceFileError``.

    Jinja lets UnicodeDecodeError and PermissionError through, which would end the build as a tool bug.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        for folder in self.searchpath:
            path = Path(folder, *jinja2.loaders.split_template_path(template))
            if path.is_file():
                utf8_text(read_source(path, f"templates/{template}"), f"templates/{template}")
                break
        return super().get_source(environment, template)


@jinja2.pass_context
def _relative_link(context: jinja2.runtime.Context, target: str) -> str:
    # The 404 page is served at whatever address was missing, so its links start from the site root.
    if context.get("rooted_links"):
        return urls.rooted(context["site"].base_url, target)
    return urls.relative(context["page_path"], target)


@jinja2.pass_context
def _site_root(context: jinja2.runtime.Context) -> str:
    """The link to the site root folder from the page being rendered (``./``, ``../``)."""
    link: str = _relative_link(context, "index.html")
    return link.removesuffix("index.html") or "./"


@jinja2.pass_context
def _absolute_link(context: jinja2.runtime.Context, target: str) -> str:
    return urls.absolute(context["site"].base_url, target)


def _digits(text: str) -> str:
    """The digits of a record number as ASCII, for a registry's query string (a ４ typed full-width included;
    isdigit() alone also keeps ² and would put non-ASCII digits in the link)."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())


def _filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


PHONE_NUMBER = re.compile(r"\+?\d[\d\- ]{3,}\d")
"""A telephone number as written in a contact field: 0660-3362103, 12345, +86 660 3362103."""
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
"""An e-mail address as written in a contact field; tried before a phone number, so 12345@qq.com stays whole."""
_CONTACT = re.compile(f"(?P<email>{EMAIL_ADDRESS.pattern})|(?P<phone>{PHONE_NUMBER.pattern})")


def contact_links(value: object) -> object:
    """Each telephone number in ``value`` as a ``tel:`` link that a phone dials with one tap, and each e-mail
    address as a ``mailto:`` link; the rest of the text stays as it is (escaped). For contact fields only: a fax
    number is never passed through this."""
    if not isinstance(value, str) or not _CONTACT.search(value):
        return value
    pieces, last = [], 0
    for found in _CONTACT.finditer(value):
        text = found.group(0)
        href = f"mailto:{text}" if found.group("email") else "tel:" + re.sub(r"[^\d+]", "", text)
        pieces += [markupsafe.escape(value[last:found.start()]), markupsafe.Markup('<a href="{}">{}</a>').format(href, text)]
        last = found.end()
    pieces.append(markupsafe.escape(value[last:]))
    return markupsafe.Markup("").join(pieces)


def _or_dash(value: object) -> object:
    return "—" if value is None or value == "" or value == () else value


@dataclass(frozen=True)
class PageSpec:
    """One page to render: its template, where it goes, and what it shows besides the site-wide values."""

    template: str
    path: str
    """Output path, forward slashes."""
    context: dict[str, Any]
    """The page's own template variables (entries, a column, the body HTML, …)."""
    origin: str = ""
    """What the page comes from, for messages (a content file), when not the template."""


class Renderer:
    """Renders pages with the values every page may use; each page is a step of exactly what it shows.

    A page's step receives its :class:`PageSpec`, the templates' digest and only those site-wide values its
    template (with everything it includes, extends or imports) names, so a cached page is reused exactly
    while all of these are unchanged; a value the template reads but that is not passed fails loudly.
    """

    def __init__(self, env: jinja2.Environment, shared: dict[str, Any], steps: Steps | None = None,
                 templates: str = "") -> None:
        self.env = env
        self.shared = shared
        self.steps = steps or Steps()
        self.templates = templates
        """SHA-256 over every template file and asset: the page steps' code, written by the site."""
        self._names: dict[str, tuple[str, ...]] = {}

    def page(self, template: str, path: str, origin: str = "", **context: Any) -> OutputFile:
        """The page ``template`` makes at ``path`` from ``context`` and the site-wide values."""
        return self.render(PageSpec(template, path, context, origin))

    def render(self, spec: PageSpec) -> OutputFile:
        """:meth:`page` for a spec made beforehand (entry pages)."""
        shared = {name: self.shared[name] for name in self._shared_names(spec.template)}
        origin = spec.origin or spec.template
        same = self.steps.unchanged_at("page", spec.path, spec, self.templates, shared)
        if same is not None:
            return OutputFile(spec.path, origin=origin, unchanged=same)
        data = self.steps.run_at("page", spec.path, self._html, spec, self.templates, shared)
        return OutputFile(spec.path, data, origin=origin)

    def _html(self, spec: PageSpec, _templates: str, shared: dict[str, Any]) -> bytes:
        try:
            html = self.env.get_template(spec.template).render(**shared, page_path=spec.path, **spec.context)
        except jinja2.TemplateSyntaxError:
            raise
        except jinja2.TemplateError as exc:
            raise RenderError(spec.path, spec.origin, exc, self.env.loader) from exc
        return html.encode("utf-8")

    def _shared_names(self, template: str) -> tuple[str, ...]:
        if template not in self._names:
            # Parsing every template costs a third of a second; the names follow from the templates' text alone.
            named = self.steps.run("template-names", lambda _templates, name: template_names(self.env, name),
                                   self.templates, template) if self.templates else template_names(self.env, template)
            self._names[template] = tuple(sorted(self.shared if named is None else named & self.shared.keys()))
        return self._names[template]


def template_names(env: jinja2.Environment, template: str) -> set[str] | None:
    """Every variable ``template`` and the templates it includes, extends or imports may read from the page
    context; None when that cannot be known (a template chosen at render time, or one that fails to load —
    rendering then reports the failure)."""
    names = set(FILTER_NAMES)
    seen: set[str] = set()
    todo = [template]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if env.loader is None:
            return None
        try:
            source, filename, _ = env.loader.get_source(env, name)
            tree = env.parse(source, name, filename)
        except jinja2.TemplateError:
            return None
        names |= jinja2.meta.find_undeclared_variables(tree)
        referenced = list(jinja2.meta.find_referenced_templates(tree))
        if None in referenced:
            return None
        todo += [ref for ref in referenced if ref is not None]
    return names


class RenderError(Exception):
    """A template failed while rendering one page; says which page and where in which template."""

    def __init__(self, page: str, origin: str, cause: jinja2.TemplateError, loader: jinja2.BaseLoader | None) -> None:
        super().__init__(str(cause))
        self.page = page
        self.origin = origin
        self.cause = cause
        self.folders = [Path(p) for p in getattr(loader, "searchpath", [])]

    def location(self) -> tuple[str, int]:
        """The innermost template frame of the failure, as ``templates/<name>`` and a line."""
        for frame in reversed(traceback.extract_tb(self.cause.__traceback__)):
            for folder in self.folders:
                if frame.filename.startswith(str(folder) + os.sep):
                    return "templates/" + Path(frame.filename).relative_to(folder).as_posix(), frame.lineno or 1
        return "templates", 1



def templates_digest(root: Path) -> str:
    """SHA-256 over every template and asset file the site renders with (its own and the shipped ones)."""
    digest = hashlib.sha256()
    for folder in template_dirs(root):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else ():
            rel = "templates/" + path.relative_to(folder).as_posix()
            digest.update(f"{rel}\0{hashlib.sha256(read_source(path, rel)).hexdigest()}\0".encode())
    return digest.hexdigest()


def assets(root: Path) -> dict[str, OutputFile]:
    files = {}
    for name in ASSETS:
        source = next(d / "assets" / name for d in template_dirs(root) if (d / "assets" / name).is_file())
        rel = f"templates/assets/{name}"
        data = read_source(source, rel)
        text = utf8_text(data, rel)  # served as UTF-8: text in another encoding would show as gibberish
        if name.endswith(".css"):
            data = compact_css(text).encode("utf-8")
        stem, suffix = name.rsplit(".", 1)
        fingerprint = hashlib.sha256(data).hexdigest()[:10]
        files[name] = OutputFile(urls.asset_file(f"{stem}.{fingerprint}.{suffix}"), data, origin=name)
    return files



"""Site templates override the defaults by file name; template mistakes are reported, not raised."""

from __future__ import annotations

from conftest import CATALOG, entry

from disclosure_site.core.diagnostics import Report
from disclosure_site.model.output import OutputFile
from disclosure_site.write import writer


def test_site_template_overrides_the_default(make_site):
    site = make_site({"content/news/a.md": entry(),
                      "templates/types/news.html": '<p class="bureau-note">本局动态由办公室发布</p>\n'})
    site.build()
    assert '<p class="bureau-note">本局动态由办公室发布</p>' in (site.root / "site/entries/2024-00001.html").read_text()


def test_site_stylesheet_overrides_the_default_and_changes_its_fingerprint(make_site):
    site = make_site({"content/news/a.md": entry(), "templates/assets/site.css": "body { color: #000; }\n"})
    site.build()
    [css] = (site.root / "site/assets").glob("site.*.css")
    assert css.read_text() == "body { color: #000; }\n"
    assert css.name.startswith("site.") and len(css.name) == len("site.0123456789.css")
    assert f'href="assets/{css.name}"' in (site.root / "site/index.html").read_text()


def test_template_syntax_error_is_a_diagnostic(make_site):
    site = make_site({"content/news/a.md": entry(), "templates/home.html": "{% extends 'base.html' %}\n{% block x %}\n"})
    outcome = site.build()
    assert [d.format() for d in outcome.report] == [
        "templates/home.html:2: 错误 [TEMPLATE_SYNTAX] 模板语法错误：Unexpected end of template. Jinja was looking for "
        "the following tags: 'endblock'. The innermost block that needs to be closed is 'block'."]
    assert not (site.root / "site").exists()


def test_undefined_template_variable_fails_the_build(make_site):
    site = make_site({"content/news/a.md": entry(), "templates/types/news.html": "{{ meta.no_such_field }}\n"})
    outcome = site.build()
    assert [d.format() for d in outcome.report] == [
        "templates/types/news.html:1: 错误 [TEMPLATE_ERROR] 生成 entries/2024-00001.html（来自 content/news/a.md）时"
        "模板出错：'disclosure_site.model.types.NewsMeta object' has no attribute 'no_such_field'"]
    assert not (site.root / "site").exists()


def test_output_path_outside_the_folder_is_refused():
    report = Report()
    kept = writer.check_plan([OutputFile("../escape.html", b"x", origin="templates")], report)
    assert kept == []
    assert [d.format() for d in report] == ["templates:1: 错误 [OUTPUT_OUTSIDE] 输出路径「../escape.html」不在输出文件夹内"]


def test_duplicate_key_area_ids(make_site):
    text = CATALOG.replace("key_areas:\n", "key_areas:\n  - {id: eia, title: 又一个, description: 重复}\n")
    assert make_site(catalog=text).messages() == ["catalog.yaml:27: 错误 [DUPLICATE_KEY_AREA] 重点领域 id「eia」重复"]


def test_phone_numbers_become_tel_links_and_the_rest_of_the_text_stays_escaped():
    from disclosure_site.render.templating import contact_links

    assert str(contact_links("法制科，电话 0660-3362118；12345政务服务便民热线<b>")) == (
        '法制科，电话 <a href="tel:06603362118">0660-3362118</a>；<a href="tel:12345">12345</a>政务服务便民热线&lt;b&gt;')
    assert str(contact_links("+86 660 3362103")) == '<a href="tel:+866603362103">+86 660 3362103</a>'
    assert contact_links("—") == "—" and contact_links(None) is None and contact_links("第12条") == "第12条"


def test_email_addresses_in_contact_fields_become_mailto_links_and_stay_whole():
    from disclosure_site.render.templating import contact_links

    assert str(contact_links("电话 0660-3362150，邮箱 hb@example.gov.cn")) == (
        '电话 <a href="tel:06603362150">0660-3362150</a>，邮箱 <a href="mailto:hb@example.gov.cn">hb@example.gov.cn</a>')
    assert str(contact_links("12345678@qq.com")) == '<a href="mailto:12345678@qq.com">12345678@qq.com</a>'

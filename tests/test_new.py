"""``python build.py new``: the next free 索引号, a file that passes check as created, and no overwriting."""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import pytest
import yaml
from conftest import CATALOG, ORG, entry
from slugify import slugify

from disclosure_site.app.scaffold import new_entry
from disclosure_site.core.schema import specs
from disclosure_site.model.types import MODELS

TODAY = "2026-11-26"
NEWS_TITLE = "市环保局召开年度工作会议"
NEWS_SLUG = slugify(NEWS_TITLE, max_length=40, word_boundary=True)
POLICY_TITLE = "关于加强环境监管的通知"
POLICY_SLUG = slugify(POLICY_TITLE, max_length=40, word_boundary=True)
INTERPRETATION_SLUG = slugify(f"{POLICY_TITLE}的政策解读", max_length=40, word_boundary=True)


def new(site, column="news", title=NEWS_TITLE, *extra, today=TODAY):
    """Run ``new`` through the real command line."""
    return site.cli("new", column, "--title", title, *extra, "--today", today)


def created(result):
    """Paths printed by ``new``, relative to the site root."""
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def front_matter(site, rel):
    """The YAML between the ``---`` lines of a created file, as a mapping."""
    text = (site.root / rel).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def serial_of(result):
    """``YYYY-NNNNN`` of the single file a run created."""
    (rel,) = created(result)
    return rel.rsplit("/", 1)[-1][:10]


def test_first_entry_of_a_year_gets_00001_and_the_path_is_printed(make_site):
    site = make_site()
    assert created(new(site)) == [f"content/news/2026-00001-{NEWS_SLUG}.md"]


def test_news_entry_has_required_keys_filled_and_optional_keys_commented(make_site):
    site = make_site()
    (rel,) = created(new(site))
    text = (site.root / rel).read_text(encoding="utf-8")
    assert text.startswith(textwrap.dedent(f"""\
        ---
        # 请核对已填的值；以「# 」开头的是可选键，删除行首的「# 」并填写值即可使用
        title: "{NEWS_TITLE}"  # 标题：只写主标题
        index_no: "{ORG}/2026-00001"  # 索引号：已自动分配，一经使用不再更改
        published: 2026-11-26  # 发布日期：YYYY-MM-DD 或 YYYY-MM-DD HH:MM；晚于构建日期时定时发布
        disclosure: "主动公开"  # 公开属性：主动公开 | 依申请公开 | 不予公开
        # 以下为可选键
        # written:  # 成文日期：YYYY-MM-DD
        # publisher:  # 发布机构：默认为 catalog.yaml 的 site.name
        # department:  # 责任部门：请从 catalog.yaml 的 departments 中选择
        # topic:  # 主题分类：请从 catalog.yaml 的 topics 中选择
        """))
    assert text.endswith("\n---\n<!-- 在此填写正文（Markdown） -->\n")
    for spec in specs(MODELS["news"]):
        if not spec.required:
            assert f"\n# {spec.name}:  # {spec.alias}" in text


def test_numbering_follows_existing_entries(make_site):
    site = make_site({"content/news/a.md": entry(serial="2026-00001", published=TODAY),
                      "content/news/b.md": entry(serial="2026-00002", published=TODAY)})
    assert serial_of(new(site)) == "2026-00003"


def test_gaps_are_not_reused(make_site):
    site = make_site({"content/news/a.md": entry(serial="2026-00001", published=TODAY),
                      "content/news/c.md": entry(serial="2026-00003", published=TODAY)})
    assert serial_of(new(site)) == "2026-00004"


@pytest.mark.parametrize("text", [
    entry(serial="2026-00007", published=TODAY, disclosure="不予公开", withhold_reason="涉及国家秘密"),
    entry(serial="2026-00007", published=TODAY, draft="true"),
    f'---\ntitle: [未闭合\nindex_no: "{ORG}/2026-00007"\n---\n正文。\n',
], ids=["withheld", "draft", "broken-front-matter"])
def test_numbers_in_unpublished_or_broken_files_are_never_reused(make_site, text):
    site = make_site({"content/news/a.md": entry(serial="2026-00001", published=TODAY),
                      "content/documents/hidden.md": text})
    assert serial_of(new(site)) == "2026-00008"


def test_numbers_of_other_years_do_not_count(make_site):
    site = make_site({"content/news/a.md": entry(serial="2026-00005", published=TODAY)})
    assert created(new(site, today="2027-01-04")) == [f"content/news/2027-00001-{NEWS_SLUG}.md"]


def test_created_entry_passes_check_and_is_published(make_site):
    site = make_site({"content/news/a.md": entry()})
    created(new(site))
    check = site.cli("check", "--today", TODAY)
    assert check.returncode == 0, check.stdout + check.stderr
    build = site.cli("build", "--today", TODAY)
    assert build.returncode == 0, build.stdout + build.stderr
    page = (site.root / "site/entries/2026-00001.html").read_text(encoding="utf-8")
    assert NEWS_TITLE in page
    assert "在此填写正文" not in page


def test_document_has_written_date_and_department(make_site):
    site = make_site()
    (rel,) = created(new(site, "documents/normative", POLICY_TITLE))
    assert rel == f"content/documents/normative/2026-00001-{POLICY_SLUG}.md"
    meta = front_matter(site, rel)
    assert meta["written"] == dt.date(2026, 11, 26)
    assert meta["department"] == "办公室"
    assert "policy" not in meta
    text = (site.root / rel).read_text(encoding="utf-8")
    assert 'department: "办公室"  # 责任部门：请从 catalog.yaml 的 departments 中选择\n' in text
    assert site.cli("check", "--today", TODAY).returncode == 0


def test_policy_creates_a_linked_interpretation_that_check_accepts(make_site):
    site = make_site({"content/news/a.md": entry(serial="2026-00004", published=TODAY)})
    result = new(site, "documents/normative", POLICY_TITLE, "--policy")
    assert created(result) == [f"content/documents/normative/2026-00005-{POLICY_SLUG}.md",
                               f"content/interpretations/2026-00006-{INTERPRETATION_SLUG}.md"]
    document, interpretation = (front_matter(site, rel) for rel in created(result))
    assert document["policy"] is True
    assert interpretation == {
        "title": f"{POLICY_TITLE}的政策解读", "index_no": f"{ORG}/2026-00006", "published": dt.date(2026, 11, 26),
        "department": document["department"], "disclosure": "主动公开", "interprets": f"{ORG}/2026-00005",
        "form": "文字解读",
    }
    check = site.cli("check", "--today", TODAY)
    assert check.returncode == 0, check.stdout + check.stderr
    assert site.cli("build", "--today", TODAY).returncode == 0
    page = (site.root / "site/entries/2026-00005.html").read_text(encoding="utf-8")
    assert 'href="2026-00006.html"' in page


def test_plain_interpretation_leaves_its_target_for_check_to_ask_for(make_site):
    site = make_site()
    (rel,) = created(new(site, "interpretations", "解读"))
    text = (site.root / rel).read_text(encoding="utf-8")
    assert 'interprets: ""  # 解读对象：必填，请填写；被解读政策文件的索引号\n' in text
    check = site.cli("check", "--today", TODAY)
    assert check.returncode == 1
    assert check.stdout.splitlines()[0] == f"{rel}:8: 错误 [EMPTY_VALUE] 必填键 interprets（解读对象） 没有填写值"


def test_refuses_to_overwrite_an_existing_file(make_site):
    target = f"content/news/2026-00001-{NEWS_SLUG}.md"
    site = make_site({target: "编辑的草稿\n"})
    result = new(site)
    assert result.returncode == 2
    assert result.stderr == f"用法错误：{target} 已存在，不会覆盖：请先移走该文件或换一个标题\n"
    assert (site.root / target).read_text(encoding="utf-8") == "编辑的草稿\n"


def test_policy_pair_is_not_half_created_when_the_interpretation_exists(make_site):
    target = f"content/interpretations/2026-00002-{INTERPRETATION_SLUG}.md"
    site = make_site({target: "\n"})
    result = new(site, "documents/normative", POLICY_TITLE, "--policy")
    assert result.returncode == 2
    assert not (site.root / "content/documents/normative").exists()


def test_unknown_column_lists_the_valid_paths(make_site):
    result = new(make_site(), "documents/notices")
    assert result.returncode == 2
    assert result.stderr == (
        "用法错误：没有栏目「documents/notices」。可用的栏目路径：organization、documents、documents/normative、"
        "interpretations、enforcement、guides、budgets、news\n")


def test_policy_only_for_document_columns(make_site):
    result = new(make_site(), "news", NEWS_TITLE, "--policy")
    assert result.returncode == 2
    assert result.stderr == "用法错误：--policy 只能用于文件（document）类型的栏目；栏目 news 的类型是 news\n"


def test_empty_title_is_refused(make_site):
    result = new(make_site(), "news", "   ")
    assert result.returncode == 2
    assert result.stderr == '用法错误：标题不能为空：请用 --title "标题" 写明信息名称\n'


def test_catalog_with_errors_is_refused(make_site):
    result = new(make_site(catalog=CATALOG.replace(f'"{ORG}"', "12345")))
    assert result.returncode == 2
    assert result.stderr == "用法错误：catalog.yaml 有问题，无法新建：请先运行 python build.py check 查看并改正\n"


def test_title_with_yaml_special_characters_round_trips(make_site):
    title = '标题: "引号"与#号'
    site = make_site()
    (rel,) = created(new(site, "news", title))
    assert front_matter(site, rel)["title"] == title
    assert site.cli("check", "--today", TODAY).returncode == 0


def test_every_content_type_gets_every_key(make_site):
    """Front matter comes from the type's model, so types added later work without changes to ``new``."""
    # column ids allow no underscore (annual_report)
    extra = "".join(f"  - {{id: t-{kind.replace('_', '-')}, title: {kind}, type: {kind}}}\n" for kind in MODELS)
    site = make_site(catalog=CATALOG.replace("key_areas:\n", extra + "key_areas:\n", 1))
    for kind, model in MODELS.items():
        (path,) = new_entry(site.root, f"t-{kind.replace('_', '-')}", "标题", dt.date(2026, 11, 26))
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        listed = re.findall(r"^(?:# )?([a-z_]+):", front, re.MULTILINE)
        assert sorted(listed) == sorted(spec.name for spec in specs(model)), kind
        assert set(yaml.safe_load(front)) == {spec.name for spec in specs(model) if spec.required}, kind

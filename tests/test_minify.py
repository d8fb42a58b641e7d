"""Published stylesheets drop comments and indentation but keep every rule and quoted string as written."""

from __future__ import annotations

from disclosure_site.render.minify import compact_css


def test_comments_and_indentation_go_and_strings_stay() -> None:
    source = ('/* 说明 */\n.a::before { content: "/* 不是注释 */"; }\n\n@media (max-width: 40rem) {\n'
              "  /* 手机 */\n  .b { color: red; } /* 行尾 */\n  .c::after { content: '\\'/*'; }\n}\n")
    assert compact_css(source) == ('.a::before { content: "/* 不是注释 */"; }\n@media (max-width: 40rem) {\n'
                                   ".b { color: red; }\n.c::after { content: '\\'/*'; }\n}\n")


def test_the_shipped_stylesheet_keeps_every_rule(demo_site) -> None:
    [css] = (demo_site / "assets").glob("site.*.css")
    text = css.read_text(encoding="utf-8")
    assert "/*" not in text and "\n  " not in text
    assert "html.mode-xlarge .site-header { zoom: 0.6; }" in text

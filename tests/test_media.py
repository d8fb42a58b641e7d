"""解读媒体: a 图解, 音频 or 视频 interpretation shows its media inline with a text alternative, check says when the
alternative is missing, and the media files are attachments in every way that matters for what is published."""

from __future__ import annotations

import os
import re
import struct
import zlib

import pytest
from conftest import ORG, entry
from leaks import leaks

from disclosure_site.core.imagesize import image_size

POLICY = f"{ORG}/2024-00001"
ALT = "抽查比例：重点排污单位不低于20%，一般排污单位不低于5%"
SECRET = "zqmediacanaryq"
"""A word only private files hold."""


def png(width: int, height: int) -> bytes:
    """A real PNG of one colour, made with the standard library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x0b\x4f\x8a" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def policy() -> str:
    return entry(title="关于加强环境监管的通知", serial="2024-00001", written="2024-05-01", department="办公室",
                 policy="true", doc_no="测环〔2024〕1号")


def interpretation(form: str | None, media: dict[str, str] | None = None, body: str = "解读正文。",
                   serial: str = "2024-00002", **keys: str) -> str:
    """An interpretation: ``form`` on line 8, ``media`` on line 9 and its keys from line 10 in the order given."""
    lines = ["title: 《关于加强环境监管的通知》解读", f'index_no: "{ORG}/{serial}"', "published: 2024-05-06",
             "disclosure: 主动公开", "department: 办公室", f'interprets: "{POLICY}"']
    lines += [f"form: {form}"] if form else []
    if media is not None:
        lines += ["media:"] + [f"  {name}: {value}" for name, value in media.items()]
    lines += [f"{name}: {value}" for name, value in keys.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def site_with(make_site, text: str, files: dict[str, str] | None = None):
    site = make_site({"content/documents/p.md": policy(), "content/interpretations/i.md": text, **(files or {})})
    (site.root / "content/interpretations/chart.png").write_bytes(png(640, 320))
    return site


MEDIA_FILES = {
    "content/interpretations/talk.mp3": "ID3 audio",
    "content/interpretations/talk.mp4": "video",
    "content/interpretations/talk.txt": "主持人：各位记者朋友，大家好。",
    "content/interpretations/talk.vtt": "WEBVTT\n\n00:00.000 --> 00:02.000\n大家好。\n",
}


def found(site) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in site.check()]


def message(site, code: str) -> str:
    return next(d.message for d in site.check() if d.code == code)


# ---- check: what each form needs ----

@pytest.mark.parametrize("form", ["图解", "音频", "视频"])
def test_a_media_form_without_media_is_an_error_on_the_form_line(make_site, form):
    site = site_with(make_site, interpretation(form))
    assert found(site) == [("content/interpretations/i.md", 8, "MEDIA_MISSING")]
    assert "media（解读媒体）" in message(site, "MEDIA_MISSING")


def test_media_without_its_file_is_an_error_on_the_media_line(make_site):
    site = site_with(make_site, interpretation("图解", {"alt": ALT}))
    assert found(site) == [("content/interpretations/i.md", 9, "MEDIA_MISSING")]


def test_a_graphic_with_its_image_and_alt_text_passes(make_site):
    site = site_with(make_site, interpretation("图解", {"file": "chart.png", "alt": ALT}))
    assert site.messages() == []


def test_a_graphic_without_alt_text_is_an_error(make_site):
    site = site_with(make_site, interpretation("图解", {"file": "chart.png"}))
    assert found(site) == [("content/interpretations/i.md", 9, "MEDIA_ALT")]
    assert "alt（替代文本）" in message(site, "MEDIA_ALT")


@pytest.mark.parametrize("alt", ["图片", "图解", " 图片。", "Image", "chart.png", "chart"])
def test_alt_text_that_only_names_the_picture_is_an_error_on_its_line(make_site, alt):
    site = site_with(make_site, interpretation("图解", {"file": "chart.png", "alt": alt}))
    assert found(site) == [("content/interpretations/i.md", 11, "MEDIA_ALT")]
    assert f"「{alt.strip()}」没有说出图中的内容" in message(site, "MEDIA_ALT")


def test_an_empty_alt_text_is_no_alt_text(make_site):
    site = site_with(make_site, interpretation("图解", {"file": "chart.png", "alt": "''"}))
    assert found(site) == [("content/interpretations/i.md", 9, "MEDIA_ALT")]


def test_audio_needs_a_transcript(make_site):
    site = site_with(make_site, interpretation("音频", {"file": "talk.mp3"}), MEDIA_FILES)
    assert found(site) == [("content/interpretations/i.md", 9, "TRANSCRIPT_MISSING")]
    assert "transcript（文字稿）" in message(site, "TRANSCRIPT_MISSING")


def test_audio_with_a_transcript_passes_even_without_a_body(make_site):
    site = site_with(make_site, interpretation("音频", {"file": "talk.mp3", "transcript": "talk.txt"}, body=""),
                     MEDIA_FILES)
    assert site.messages() == []


def test_the_body_is_no_transcript_for_audio(make_site):
    site = site_with(make_site, interpretation("音频", {"file": "talk.mp3"}, body="完整讲话内容。"), MEDIA_FILES)
    assert found(site) == [("content/interpretations/i.md", 9, "TRANSCRIPT_MISSING")]


def test_video_needs_captions_or_a_transcript(make_site):
    site = site_with(make_site, interpretation("视频", {"file": "talk.mp4"}), MEDIA_FILES)
    assert found(site) == [("content/interpretations/i.md", 9, "TRANSCRIPT_MISSING")]


@pytest.mark.parametrize("alternative", [{"captions": "talk.vtt"}, {"transcript": "talk.txt"}])
def test_video_with_captions_or_a_transcript_passes(make_site, alternative):
    site = site_with(make_site, interpretation("视频", {"file": "talk.mp4", **alternative}), MEDIA_FILES)
    assert site.messages() == []


@pytest.mark.parametrize("form", ["新闻发布会", "在线访谈"])
def test_a_press_conference_without_body_or_transcript_is_an_error(make_site, form):
    site = site_with(make_site, interpretation(form, body="\n"))
    assert found(site) == [("content/interpretations/i.md", 8, "TRANSCRIPT_MISSING")]
    assert "文字实录" in message(site, "TRANSCRIPT_MISSING")


@pytest.mark.parametrize("form", ["新闻发布会", "在线访谈"])
def test_a_press_conference_body_is_its_transcript(make_site, form):
    site = site_with(make_site, interpretation(form, body="主持人：各位记者朋友，大家好。\n"))
    assert site.messages() == []


def test_a_press_conference_with_a_recording_and_no_transcript_at_all_is_an_error(make_site):
    site = site_with(make_site, interpretation("新闻发布会", {"file": "talk.mp4"}, body="<!-- 实录待补 -->\n"),
                     MEDIA_FILES)
    assert found(site) == [("content/interpretations/i.md", 9, "TRANSCRIPT_MISSING")]


def test_a_press_conference_transcript_file_stands_for_the_body(make_site):
    site = site_with(make_site, interpretation("新闻发布会", {"file": "talk.mp4", "transcript": "talk.txt"}, body=""),
                     MEDIA_FILES)
    assert site.messages() == []


# ---- check: the kind of each file ----

@pytest.mark.parametrize(("form", "file"), [("图解", "talk.mp3"), ("音频", "chart.png"), ("视频", "talk.mp3"),
                                            ("新闻发布会", "chart.png")])
def test_a_media_file_of_the_wrong_kind_is_an_error_on_its_line(make_site, form, file):
    site = site_with(make_site, interpretation(form, {"file": file, "transcript": "talk.txt"}), MEDIA_FILES)
    assert ("content/interpretations/i.md", 10, "MEDIA_TYPE") in found(site)


def test_a_transcript_must_be_text_or_pdf(make_site):
    site = site_with(make_site, interpretation("音频", {"file": "talk.mp3", "transcript": "notes.docx"}),
                     {**MEDIA_FILES, "content/interpretations/notes.docx": "x"})
    assert found(site) == [("content/interpretations/i.md", 11, "MEDIA_TYPE")]


def test_captions_must_be_webvtt(make_site):
    site = site_with(make_site, interpretation("视频", {"file": "talk.mp4", "captions": "talk.srt"}),
                     {**MEDIA_FILES, "content/interpretations/talk.srt": "1\n00:00:00,000 --> 00:00:02,000\n大家好\n"})
    assert found(site) == [("content/interpretations/i.md", 11, "MEDIA_TYPE")]


def test_a_transcript_that_is_a_symlink_to_an_entry_file_is_refused_by_what_it_is(make_site):
    site = site_with(make_site, interpretation("音频", {"file": "talk.mp3", "transcript": "notes.txt"}), MEDIA_FILES)
    os.symlink("i.md", site.root / "content/interpretations/notes.txt")
    assert found(site) == [("content/interpretations/i.md", 11, "MEDIA_TYPE")]


@pytest.mark.parametrize("form", ["文字解读", "图文解读", None])
def test_media_on_a_form_that_shows_none_is_an_error(make_site, form):
    site = site_with(make_site, interpretation(form, {"file": "chart.png", "alt": ALT}))
    line = 9 if form else 8
    assert found(site) == [("content/interpretations/i.md", line, "MEDIA_UNUSED")]


def test_alt_text_on_audio_and_captions_on_audio_are_errors_on_their_lines(make_site):
    site = site_with(make_site, interpretation("音频", {"file": "talk.mp3", "alt": ALT, "captions": "talk.vtt",
                                                        "transcript": "talk.txt"}), MEDIA_FILES)
    assert found(site) == [("content/interpretations/i.md", 11, "MEDIA_UNUSED"),
                           ("content/interpretations/i.md", 12, "MEDIA_UNUSED")]


def test_a_missing_media_file_is_reported_like_a_missing_attachment(make_site):
    site = site_with(make_site, interpretation("图解", {"file": "nowhere.png", "alt": ALT}))
    assert found(site) == [("content/interpretations/i.md", 10, "ATTACHMENT_MISSING")]
    assert message(site, "ATTACHMENT_MISSING").startswith("media（解读媒体）：文件「nowhere.png」不存在")


def test_a_media_file_outside_content_is_refused_like_an_attachment(make_site, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(png(4, 4))
    site = site_with(make_site, interpretation("图解", {"file": "leak.png", "alt": ALT}))
    os.symlink(outside, site.root / "content/interpretations/leak.png")
    assert ("content/interpretations/i.md", 10, "ATTACHMENT_OUTSIDE") in found(site)


def test_the_chinese_keys_are_accepted(make_site):
    text = interpretation("图解").replace("form: 图解", "解读形式: 图解\n解读媒体:\n  文件: chart.png\n  替代文本: 图片")
    site = site_with(make_site, text)
    assert found(site) == [("content/interpretations/i.md", 11, "MEDIA_ALT")]


def test_an_unknown_media_key_is_an_error_listing_the_valid_ones(make_site):
    site = site_with(make_site, interpretation("图解", {"file": "chart.png", "alt": ALT, "caption": "x.vtt"}))
    assert ("content/interpretations/i.md", 12, "UNKNOWN_KEY") in found(site)
    assert "captions（字幕）" in message(site, "UNKNOWN_KEY")


# ---- the page ----

def built_page(site) -> str:
    outcome = site.build()
    assert outcome.files, [d.format() for d in outcome.report]
    return (site.root / "site/entries/2024-00002.html").read_text(encoding="utf-8")


def test_a_graphic_is_shown_as_a_figure_with_its_alt_text_and_size(make_site):
    page = built_page(site_with(make_site, interpretation("图解", {"file": "chart.png", "alt": ALT})))
    assert re.search(r'<figure class="media-figure">\s*<img src="../files/interpretations/chart.png" '
                     rf'alt="{ALT}" width="640" height="320">\s*</figure>', page), page
    assert '<a href="../files/interpretations/chart.png" type="image/png" download>下载原图</a>' in page


def test_the_media_files_are_published_and_listed_with_their_checksums(make_site):
    site = site_with(make_site, interpretation("视频", {"file": "talk.mp4", "captions": "talk.vtt",
                                                        "transcript": "talk.txt"}), MEDIA_FILES)
    page = built_page(site)
    for name in ("talk.mp4", "talk.vtt", "talk.txt"):
        assert (site.root / "site/files/interpretations" / name).read_bytes() == \
            (site.root / "content/interpretations" / name).read_bytes()
    attachments = page[page.index('id="attachments-title"'):]
    assert [title for title in re.findall(r'type="[^"]+">([^<]+)</a>', attachments)] == \
        ["视频文件", "文字稿", "中文字幕（WebVTT）"]
    assert attachments.count("SHA-256") == 3 * 2


def test_audio_has_controls_and_a_visible_transcript_link(make_site):
    site = site_with(make_site, interpretation("音频", {"file": "talk.mp3", "transcript": "talk.txt"}), MEDIA_FILES)
    page = built_page(site)
    assert '<audio class="media-player" controls preload="metadata" src="../files/interpretations/talk.mp3">' in page
    assert re.search(r'<a href="../files/interpretations/talk.txt" type="text/plain">文字稿</a> '
                     r'<span class="file-meta">（TXT，', page)
    assert "下载音频" in page


def test_video_has_its_captions_track_and_transcript_link(make_site):
    site = site_with(make_site, interpretation("视频", {"file": "talk.mp4", "captions": "talk.vtt",
                                                        "transcript": "talk.txt"}), MEDIA_FILES)
    page = built_page(site)
    assert '<video class="media-player" controls preload="metadata" src="../files/interpretations/talk.mp4">' in page
    assert ('<track kind="captions" srclang="zh" label="中文字幕" src="../files/interpretations/talk.vtt" default>'
            in page)
    assert '<a href="../files/interpretations/talk.txt" type="text/plain">文字稿</a>' in page


def test_video_without_captions_has_no_track(make_site):
    site = site_with(make_site, interpretation("视频", {"file": "talk.mp4", "transcript": "talk.txt"}), MEDIA_FILES)
    page = built_page(site)
    assert "<video" in page and "<track" not in page


def test_a_press_conference_points_at_its_transcript_in_the_body(make_site):
    page = built_page(site_with(make_site, interpretation("新闻发布会", body="主持人：大家好。\n")))
    assert '<h2 id="media-title">文字实录</h2>' in page
    assert '<li>文字实录：<a href="#body">见正文</a></li>' in page


def test_a_press_conference_links_its_transcript_file_under_its_recording(make_site):
    site = site_with(make_site, interpretation("在线访谈", {"file": "talk.mp3", "transcript": "talk.txt"}, body=""),
                     MEDIA_FILES)
    page = built_page(site)
    assert "<audio" in page
    assert '<a href="../files/interpretations/talk.txt" type="text/plain">文字实录</a>' in page
    assert "见正文" not in page


def test_a_text_interpretation_shows_no_media_section(make_site):
    page = built_page(site_with(make_site, interpretation("文字解读")))
    assert 'class="media"' not in page


# ---- nothing withheld leaks ----

WITHHELD_STATES = {
    "依申请公开": {"disclosure": "依申请公开", "withhold_reason": "涉及第三方商业秘密"},
    "不予公开": {"disclosure": "不予公开", "withhold_reason": "内部事务信息"},
    "草稿": {"draft": "true"},
    "定时发布": {"published": "2026-12-30"},
}


def withheld_interpretation(state: dict[str, str]) -> str:
    text = interpretation("视频", {"file": f"{SECRET}.mp4", "captions": f"{SECRET}.vtt", "transcript": f"{SECRET}.txt"},
                          body=f"正文{SECRET}", serial="2026-00003" if "published" in state else "2024-00003")
    for name, value in state.items():
        if name == "published":
            text = text.replace("published: 2024-05-06", f"published: {value}")
        elif name == "disclosure":
            text = text.replace("disclosure: 主动公开", f"disclosure: {value}")
        else:
            text = text.replace("\n---\n", f"\n{name}: {value}\n---\n", 1)
    return text


def secret_files() -> dict[str, str]:
    return {f"content/interpretations/{SECRET}.{suffix}": f"{SECRET} 内部" for suffix in ("mp4", "vtt", "txt")}


@pytest.mark.parametrize("state", WITHHELD_STATES.values(), ids=WITHHELD_STATES.keys())
def test_a_withheld_interpretations_media_reaches_no_output(make_site, state):
    site = site_with(make_site, interpretation("文字解读"),
                     {"content/interpretations/secret.md": withheld_interpretation(state), **secret_files()})
    outcome = site.build()
    assert outcome.files, [d.format() for d in outcome.report]
    assert leaks(site.root / "site", [SECRET]) == []
    assert (site.root / "site/entries/2024-00002.html").is_file()


def test_a_published_entry_attaching_a_withheld_interpretations_media_is_refused(make_site):
    public = entry(title="公开", serial="2024-00010").replace(
        "disclosure: ", f"attachments:\n  - {{file: ../interpretations/{SECRET}.mp4, title: 视频}}\ndisclosure: ")
    site = site_with(make_site, interpretation("文字解读"), {
        "content/interpretations/secret.md": withheld_interpretation(WITHHELD_STATES["依申请公开"]),
        "content/news/public.md": public, **secret_files()})
    assert found(site) == [("content/news/public.md", 6, "ATTACHMENT_WITHHELD")]
    assert "content/interpretations/secret.md:10（不公开）的解读媒体文件" in message(site, "ATTACHMENT_WITHHELD")
    assert site.build().files == 0
    assert not (site.root / "site").exists()


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_published_media_that_is_another_name_of_a_withheld_file_is_refused(make_site, link):
    secret = entry(title="内部", serial="2024-00010", disclosure="不予公开", withhold_reason="内部事务信息").replace(
        "disclosure: ", "attachments:\n  - {file: internal.png, title: 内部图}\ndisclosure: ")
    site = site_with(make_site, interpretation("图解", {"file": "../news/alias.png", "alt": ALT}),
                     {"content/news/secret.md": secret})
    internal = site.root / "content/news/internal.png"
    internal.write_bytes(png(4, 4) + SECRET.encode())
    (os.symlink if link == "symlink" else os.link)(internal if link == "hardlink" else "internal.png",
                                                   site.root / "content/news/alias.png")
    assert found(site) == [("content/interpretations/i.md", 10, "ATTACHMENT_WITHHELD")]
    assert re.search(r"解读媒体文件「content/news/(internal|alias)\.png」也是未公开条目 content/news/secret\.md:6（不公开）的附件",
                     message(site, "ATTACHMENT_WITHHELD"))
    assert site.build().files == 0


# ---- image sizes ----

def test_image_sizes_are_read_from_the_headers(tmp_path):
    gif = tmp_path / "a.gif"
    gif.write_bytes(b"GIF89a" + struct.pack("<HH", 300, 200) + b"\x00" * 20)
    jpeg = tmp_path / "a.jpg"
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    jpeg.write_bytes(b"\xff\xd8" + app0 + b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 480, 640) + b"\x00" * 20)
    svg = tmp_path / "a.svg"
    svg.write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 960"></svg>')
    sized = tmp_path / "b.svg"
    sized.write_text('<svg width="120px" height="80" viewBox="0 0 12 8"></svg>')
    plain = tmp_path / "a.png"
    plain.write_bytes(png(33, 7))
    assert [image_size(str(p)) for p in (plain, gif, jpeg, svg, sized)] == \
        [(33, 7), (300, 200), (640, 480), (720, 960), (120, 80)]
    assert image_size(str(tmp_path / "none.png")) is None
    unknown = tmp_path / "c.svg"
    unknown.write_text('<svg width="100%" height="100%"></svg>')
    assert image_size(str(unknown)) is None

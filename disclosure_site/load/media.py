"""解读媒体: an interpretation's 图解, 音频 or 视频, and the text alternative each one needs.

The form decides what is required. 图解, 音频 and 视频 need ``media`` with a file of that kind; an image needs
``alt`` saying what it shows, audio a ``transcript`` file, a video ``captions`` or a ``transcript``. A
新闻发布会 or 在线访谈 needs a 文字实录: a ``transcript`` file or, failing that, a body (the body may be the
实录), and may add an audio or video recording. Other forms show no media, so ``media`` there is an error
rather than a file silently left off the page.

The files are resolved by :func:`.files.resolve_file`, the code that resolves attachments, and join the
entry's attachments: the publish set, the withheld-file conflicts, copying to ``files/``, checksums and the
data exports treat them exactly as attachments.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..core.diagnostics import Report
from ..core.imagesize import image_size
from ..model.entry import MEDIA_KINDS, Attachment, EntryMeta, Media
from ..model.types import MEDIA_FORMS, RECORDING_FORMS, InterpretationMeta, MediaRef
from .files import Reference, resolve_file, written_key
from .sources import RawEntry

SUFFIXES = {
    "image": (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"),
    "audio": (".mp3", ".m4a", ".ogg", ".wav"),
    "video": (".mp4", ".webm"),
}
"""File name endings of each kind of media file."""
TRANSCRIPT_SUFFIXES = (".txt", ".pdf")
"""A transcript is plain text (UTF-8) or a PDF with selectable text; a .md file would be read as an entry."""
CAPTION_SUFFIXES = (".vtt",)
PLACEHOLDER_ALTS = frozenset({"图", "图片", "图像", "图解", "插图", "配图", "照片", "示意图", "一图读懂", "image", "img",
                              "picture", "photo", "figure"})
"""Alt texts that name the kind of thing instead of saying what it shows."""
FILE_TITLES = {"image": "图解原图", "audio": "音频文件", "video": "视频文件"}
"""Link text of each media file among the downloads."""
CAPTIONS_TITLE = "中文字幕（WebVTT）"
LABEL = "media（解读媒体）"


def check_media(raw: RawEntry, meta: EntryMeta, root: Path, report: Report) -> Media | None:
    """An interpretation's media with its files resolved, after reporting every missing text alternative."""
    if not isinstance(meta, InterpretationMeta):
        return None
    lines = _Lines(raw)
    ref, form = meta.media, meta.form or ""
    if ref is None:
        _without_media(raw, form, lines, report)
        return None
    if form not in MEDIA_FORMS and form not in RECORDING_FORMS:
        report.error(raw.source.rel, lines.media(), "MEDIA_UNUSED",
                     f"form（解读形式）为「{form or '未填写'}」的解读不显示 {LABEL}：图解、音频、视频请把 form 改为相应的形式；"
                     "其他文件请列入 attachments（附件），图片也可在正文中用 ![图片说明](路径) 显示")
        return None
    found = _Found(raw, root, lines, report)
    kind = _media_file(ref, form, found)
    _check_alt(ref, form, kind, raw, lines, report)
    _transcript(ref, form, found)
    _captions(ref, form, found)
    _check_transcribed(raw, form, kind, ref, lines, report)
    file = found.files.get("file")
    size = image_size(file.source) if file is not None and kind == "image" else None
    return Media(kind if file else None, file, ref.alt if kind == "image" else None, found.files.get("transcript"),
                 found.files.get("captions"), size)


class _Lines:
    """Lines of the entry's ``form`` and ``media`` keys, whichever spelling the editor used."""

    def __init__(self, raw: RawEntry) -> None:
        self.front = raw.front
        self.media_key = written_key(raw.front.data, "media", "解读媒体")

    def form(self) -> int:
        return self.front.line_of((written_key(self.front.data, "form", "解读形式"),))

    def media(self, name: str = "", alias: str = "") -> int:
        """The line of ``media`` or of one of its keys."""
        if not name:
            return self.front.line_of((self.media_key,))
        return self.front.line_of((self.media_key, written_key(self.front.data.get(self.media_key), name, alias)))


class _Found:
    """The media files resolved so far, by key, reporting as it goes."""

    def __init__(self, raw: RawEntry, root: Path, lines: _Lines, report: Report) -> None:
        self.raw, self.root, self.lines, self.report = raw, root, lines, report
        self.files: dict[str, Attachment] = {}

    def resolve(self, name: str, alias: str, path: str, title: str, suffixes: tuple[str, ...], kind_text: str) -> None:
        """Keep the file ``path`` named by ``media.<name>``, or report that it is missing, outside content/ or not
        of ``suffixes``."""
        line = self.lines.media(name, alias)
        found = resolve_file(self.raw, self.root, path, title, Reference("media", line, LABEL), self.report)
        if _suffix(found.content_path if found else path) not in suffixes:
            shown = "、".join(suffix.removeprefix(".").upper() for suffix in suffixes)
            self.report.error(self.raw.source.rel, line, "MEDIA_TYPE",
                              f"{LABEL}：{name}（{alias}）「{path}」不是{kind_text}，应为 {shown} 格式的文件")
        elif found is not None:
            self.files[name] = found


def _suffix(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


def _without_media(raw: RawEntry, form: str, lines: _Lines, report: Report) -> None:
    if form in MEDIA_FORMS:
        report.error(raw.source.rel, lines.form(), "MEDIA_MISSING",
                     f"form（解读形式）为「{form}」的解读须用 {LABEL}给出{MEDIA_KINDS[MEDIA_FORMS[form]]}文件及其文字替代，"
                     f"例如 {_EXAMPLES[form]}")
    elif form in RECORDING_FORMS and not raw.body.strip():
        report.error(raw.source.rel, lines.form(), "TRANSCRIPT_MISSING", _recording_message(form))


_EXAMPLES = {
    "图解": "media: {file: 图解.png, alt: 用文字写出图中的要点}",
    "音频": "media: {file: 解读.mp3, transcript: 文字稿.txt}",
    "视频": "media: {file: 解读.mp4, captions: 字幕.vtt, transcript: 文字稿.txt}",
}


def _recording_message(form: str) -> str:
    return (f"form（解读形式）为「{form}」的解读须有文字实录：在正文中写出实录，"
            f"或用 {LABEL}的 transcript（文字稿）给出 .txt 或 .pdf 文件")


def _kind(path: str | None) -> str | None:
    """``image``, ``audio`` or ``video`` by the file name's ending; None for anything else."""
    suffix = _suffix(path or "")
    return next((kind for kind, suffixes in SUFFIXES.items() if suffix in suffixes), None)


def _media_file(ref: MediaRef, form: str, found: _Found) -> str | None:
    """The kind of the media file by its name when it is one the form may show, else None (after reporting why)."""
    kinds = (MEDIA_FORMS[form],) if form in MEDIA_FORMS else ("audio", "video")
    if ref.file is None:
        if form in MEDIA_FORMS:
            found.report.error(found.raw.source.rel, found.lines.media(), "MEDIA_MISSING",
                               f"{LABEL}：form（解读形式）为「{form}」时须填写 file（文件），即{MEDIA_KINDS[kinds[0]]}文件本身")
        return None
    kind = _kind(ref.file)
    title = FILE_TITLES[kind or kinds[0]]  # a file of a kind the form does not take is refused below
    suffixes = tuple(suffix for k in kinds for suffix in SUFFIXES[k])
    found.resolve("file", "文件", ref.file, title, suffixes, "或".join(MEDIA_KINDS[k] for k in kinds))
    return kind if kind in kinds else None


def _check_alt(ref: MediaRef, form: str, kind: str | None, raw: RawEntry, lines: _Lines, report: Report) -> None:
    alt = (ref.alt or "").strip()
    if alt and form != "图解":  # only a 图解 is an image
        report.error(raw.source.rel, lines.media("alt", "替代文本"), "MEDIA_UNUSED",
                     f"{LABEL}：alt（替代文本）只用于图片；音频、视频的文字替代请用 transcript（文字稿）或 captions（字幕）")
    elif kind == "image" and not alt:
        report.error(raw.source.rel, lines.media(), "MEDIA_ALT",
                     f"{LABEL}：图片须填写 alt（替代文本），用文字写出图中表达的内容（如各项比例、流程步骤、结论），"
                     "供读屏软件朗读，也供图片无法显示时阅读")
    elif kind == "image" and _is_placeholder(alt, ref.file or ""):
        report.error(raw.source.rel, lines.media("alt", "替代文本"), "MEDIA_ALT",
                     f"{LABEL}：alt（替代文本）「{alt}」没有说出图中的内容：请写出图解表达的要点，"
                     "不要只写「图片」「图解」或文件名")


def _is_placeholder(alt: str, path: str) -> bool:
    words = alt.strip(" 　。．.，,：:；;！!").lower()
    name = PurePosixPath(path)
    return words in PLACEHOLDER_ALTS or words in (name.name.lower(), name.stem.lower())


def _transcript(ref: MediaRef, form: str, found: _Found) -> None:
    if ref.transcript is not None:
        title = "文字实录" if form in RECORDING_FORMS else "文字稿"
        found.resolve("transcript", "文字稿", ref.transcript, title, TRANSCRIPT_SUFFIXES, "文字稿（纯文本或 PDF）")


def _captions(ref: MediaRef, form: str, found: _Found) -> None:
    if ref.captions is None:
        return
    if form != "视频" and _kind(ref.file) != "video":
        found.report.error(found.raw.source.rel, found.lines.media("captions", "字幕"), "MEDIA_UNUSED",
                           f"{LABEL}：captions（字幕）只用于视频；音频请用 transcript（文字稿）")
    else:
        found.resolve("captions", "字幕", ref.captions, CAPTIONS_TITLE, CAPTION_SUFFIXES, "WebVTT 字幕文件")


def _check_transcribed(raw: RawEntry, form: str, kind: str | None, ref: MediaRef, lines: _Lines,
                       report: Report) -> None:
    """Audio needs a transcript, a video captions or a transcript, a recording form a transcript or a body.

    A transcript or captions file that is named but cannot be used is reported as such, not as missing.
    """
    if ref.transcript is not None or (form in RECORDING_FORMS and raw.body.strip()):
        return
    if kind == "audio":
        report.error(raw.source.rel, lines.media(), "TRANSCRIPT_MISSING",
                     f"{LABEL}：音频须有 transcript（文字稿），供听不到声音的读者阅读：请把讲话内容整理成 .txt 或 .pdf 文件")
    elif kind == "video" and ref.captions is None:
        report.error(raw.source.rel, lines.media(), "TRANSCRIPT_MISSING",
                     f"{LABEL}：视频须有 captions（字幕，WebVTT 格式的 .vtt 文件）或 transcript（文字稿，.txt 或 .pdf），"
                     "供听不到声音的读者使用")
    elif form in RECORDING_FORMS:
        report.error(raw.source.rel, lines.media(), "TRANSCRIPT_MISSING", _recording_message(form))

"""A synthetic site root for the build benchmark: the demo's catalogue and N realistic entries.

Deterministic for a seed: the same ``(entries, seed)`` writes byte-identical files. The corpus passes
``build.py check --strict --today 2026-11-26`` with no errors and no warnings; the generated catalog.yaml
turns off ``EMPTY_COLUMN`` and ``STALE_COLUMN`` because a small random corpus cannot promise a fresh
entry in every column (``freshness`` is kept so the rule still runs, as on the real site).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .text import ANNUAL_TABLES, CATALOG_YAML, KEY_AREAS, SITE_NAME, Writer, attachment_text, dataset_columns, dataset_csv


class _PlainDumper(yaml.SafeDumper):
    """Writes a value shared by several keys out each time: front matter refuses YAML anchors and aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


ORG_CODE = "1144150000717074X7"
BENCH_TODAY = dt.date(2026, 11, 26)
FIRST_DAY = dt.date(2019, 1, 1)
REPORT_YEARS = range(2021, 2026)
POLICY_SHARE = 0.10
KEY_AREA_SHARE = 0.20
ATTACHMENT_SHARE = 0.15
WITHHELD_SHARE = 0.02

# (folder, type, weight): roughly what a municipal bureau publishes over the years — news and
# enforcement decisions dominate, budgets and organisation pages are rare.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("organization", "organization", 0.5), ("organization/powers", "power", 2.0),
    ("documents", "document", 1.0), ("documents/normative", "document", 5.0), ("documents/other", "document", 8.0),
    ("enforcement", "enforcement", 2.0), ("enforcement/permits", "enforcement", 10.0),
    ("enforcement/penalties", "enforcement", 12.0), ("enforcement/inspections", "enforcement", 4.0),
    ("guides", "guide", 3.0),
    ("budgets", "budget", 0.3), ("budgets/budget", "budget", 1.0), ("budgets/final-accounts", "budget", 1.0),
    ("budgets/three-public", "budget", 1.0),
    ("news", "news", 26.0), ("news/reprints", "reprint", 6.0),
    ("participation", "consultation", 1.5), ("participation/responses", "response", 1.5),
    ("participation/proposals", "proposal", 2.0), ("participation/messages", "message", 4.0),
    ("open-data", "dataset", 1.5),
)
ACTIONS = {"enforcement": "行政强制", "enforcement/permits": "行政许可", "enforcement/penalties": "行政处罚",
           "enforcement/inspections": "双随机抽查"}
BUDGET_KINDS = {"budgets/final-accounts": "决算", "budgets/three-public": "三公经费"}


class Corpus:
    """Entries being generated: the random source, index-number counters and the files to write."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.text = Writer(self.rng)
        self.serials: dict[int, int] = {}
        self.count = 0

    def index_no(self, year: int) -> str:
        """The next unused 索引号 of ``year`` (serials are per year, as the rules require)."""
        self.serials[year] = self.serials.get(year, 0) + 1
        return f"{ORG_CODE}/{year}-{self.serials[year]:05d}"

    def day(self) -> dt.date:
        """A publication day spread evenly over 2019 to the bench's today."""
        return FIRST_DAY + dt.timedelta(days=self.rng.randrange((BENCH_TODAY - FIRST_DAY).days + 1))

    def write(self, folder: str, meta: dict[str, Any], body: str) -> Path:
        """Write one entry file named after its 索引号 tail; returns its path."""
        path = self.root / "content" / folder / f"{str(meta['index_no']).split('/')[1]}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.dump(meta, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, default_flow_style=None,
                          width=4096)
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        self.count += 1
        return path


def write_corpus(root: Path, entries: int, seed: int = 42) -> None:
    """Write catalog.yaml and ``entries`` entry files (with attachments and data files) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "catalog.yaml").write_text(CATALOG_YAML, encoding="utf-8")
    corpus = Corpus(root, seed)
    for year in reversed(REPORT_YEARS):  # newest first: a tiny corpus still has the one that is due
        if corpus.count < entries:
            _annual_report(corpus, year)
    # One entry per column first, so even a tiny corpus has pages of every kind; the first
    # document is a policy so the interpretations column is never empty either.
    for folder, kind, _weight in COLUMNS:
        if corpus.count < entries:
            _entry(corpus, folder, kind, force_policy=folder == "documents/normative")
    weights = [weight for _folder, _kind, weight in COLUMNS]
    while corpus.count < entries:
        folder, kind, _weight = corpus.rng.choices(COLUMNS, weights)[0]
        _entry(corpus, folder, kind, force_policy=False, room=entries - corpus.count)


def _entry(corpus: Corpus, folder: str, kind: str, *, force_policy: bool, room: int = 2) -> None:
    """Generate one entry of ``kind`` in ``folder``, plus its interpretation when it is a policy."""
    rng, published = corpus.rng, corpus.day()
    meta = _common(corpus, kind, published)
    body = corpus.text.body(meta["title"])
    policy = kind == "document" and room >= 2 and (force_policy or rng.random() < POLICY_SHARE)
    BUILDERS[kind](corpus, folder, meta, published)
    if kind == "document":
        meta["policy"] = policy
    if rng.random() < KEY_AREA_SHARE:
        meta["key_areas"] = [rng.choice(KEY_AREAS)]
    if not policy and kind in ("document", "enforcement", "news") and rng.random() < WITHHELD_SHARE:
        meta["disclosure"] = "依申请公开"
        meta["withhold_reason"] = "属于内部事务信息（条例第十六条）"
    path = corpus.root / "content" / folder / f"{str(meta['index_no']).split('/')[1]}.md"
    if kind in ("document", "enforcement", "guide") and rng.random() < ATTACHMENT_SHARE:
        meta["attachments"] = _attachments(corpus, path)
    corpus.write(folder, meta, body)
    if policy:
        _interpretation(corpus, meta, published)


def _common(corpus: Corpus, kind: str, published: dt.date) -> dict[str, Any]:
    """The keys every type has, in the order editors write them."""
    text = corpus.text
    written = published - dt.timedelta(days=corpus.rng.randrange(0, 8))
    return {"title": text.title(kind, published.year), "index_no": corpus.index_no(published.year),
            "published": published, "written": written, "department": text.department(),
            "topic": text.topic(), "keywords": text.keywords(), "summary": text.summary(),
            "disclosure": "主动公开"}


def _document(corpus: Corpus, folder: str, meta: dict[str, Any], published: dt.date) -> None:
    """文件: a 文号 of the publication year, validity, and the normative flag for 规范性文件."""
    meta["doc_no"] = f"汕环〔{published.year}〕{corpus.serials[published.year]}号"
    meta["validity"] = "有效"
    meta["genre"] = "通知"
    meta["normative"] = folder == "documents/normative"


def _enforcement(corpus: Corpus, folder: str, meta: dict[str, Any], published: dt.date) -> None:
    """行政执法: category by sub-column, a de-identified company as party, decided a few days before."""
    meta["action"] = ACTIONS[folder]
    meta["party"] = corpus.text.company()
    meta["decision_no"] = f"汕环罚〔{published.year}〕{corpus.serials[published.year]}号"
    meta["decided"] = meta["written"]


def _guide(corpus: Corpus, _folder: str, meta: dict[str, Any], _published: dt.date) -> None:
    """办事指南: the service elements, fixed wording with a varying item code."""
    meta.update(corpus.text.guide_fields(corpus.count))


def _budget(corpus: Corpus, folder: str, meta: dict[str, Any], published: dt.date) -> None:
    """财政预决算: the year published and the kind by sub-column."""
    meta["year"] = published.year
    meta["kind"] = BUDGET_KINDS.get(folder, "预算")


def _organization(corpus: Corpus, _folder: str, meta: dict[str, Any], _published: dt.date) -> None:
    """组织机构: a short list of internal units."""
    meta["units"] = [{"name": name, "duties": corpus.text.sentence(), "phone": "0660-3362103"}
                     for name in ("办公室", "法制科", "监察分局")]


def _power(corpus: Corpus, _folder: str, meta: dict[str, Any], _published: dt.date) -> None:
    """权责清单: a power type and its legal basis."""
    meta["power_type"] = corpus.rng.choice(("行政许可", "行政处罚", "行政检查", "行政强制"))
    meta["basis"] = "《中华人民共和国环境保护法》第二十四条"
    meta["implementer"] = SITE_NAME


def _reprint(corpus: Corpus, _folder: str, meta: dict[str, Any], _published: dt.date) -> None:
    """转载: the source it came from."""
    meta["source_name"] = corpus.rng.choice(("中国政府网", "生态环境部", "广东省生态环境厅"))
    meta["source_url"] = "https://www.gov.cn/"


def _consultation(corpus: Corpus, _folder: str, meta: dict[str, Any], published: dt.date) -> None:
    """征求意见: a 30-day period; feedback once it has closed (it would be FEEDBACK_OVERDUE otherwise)."""
    meta["opens"], meta["closes"] = published, published + dt.timedelta(days=30)
    meta["contact"] = "电子邮箱 swhbj@example.gov.cn"
    if meta["closes"] < BENCH_TODAY:
        meta["feedback"] = "共收到意见建议若干条，" + corpus.text.sentence()


def _response(corpus: Corpus, _folder: str, meta: dict[str, Any], published: dt.date) -> None:
    """回应关切: an ordinary event the evening before (the 5-hour rule covers only major ones)."""
    meta["published"] = f"{published.isoformat()} 16:00"
    meta["event_time"] = f"{(published - dt.timedelta(days=1)).isoformat()} 21:30"
    meta["level"] = "一般"


def _proposal(corpus: Corpus, _folder: str, meta: dict[str, Any], published: dt.date) -> None:
    """建议提案办理: kind, number and the reply in full."""
    meta["kind"] = corpus.rng.choice(("人大代表建议", "政协委员提案"))
    meta["number"] = f"第{published.year}{corpus.serials[published.year]:04d}号"
    meta["reply"] = corpus.text.paragraph()


def _message(corpus: Corpus, _folder: str, meta: dict[str, Any], published: dt.date) -> None:
    """网民留言办理: received three days before the reply (within 5 working days)."""
    meta["received"] = published - dt.timedelta(days=3)
    meta["replied"] = published
    meta["question"] = corpus.text.sentence()
    meta["reply"] = corpus.text.paragraph()


def _dataset(corpus: Corpus, folder: str, meta: dict[str, Any], published: dt.date) -> None:
    """数据集: one CSV file next to the entry, matching its declared columns."""
    name = f"data/{str(meta['index_no']).split('/')[1]}.csv"
    csv_path = corpus.root / "content" / folder / name
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    csv_path.write_text(dataset_csv(corpus.rng, published.year), encoding="utf-8")
    meta["frequency"] = "每月"
    meta["data"] = [{"file": name, "title": f"{published.year}年监测统计", "columns": dataset_columns()}]


def _news(_corpus: Corpus, _folder: str, meta: dict[str, Any], _published: dt.date) -> None:
    """工作动态 and the other plain types: only the common keys (news has no 成文日期)."""
    del meta["written"]


BUILDERS: dict[str, Callable[[Corpus, str, dict[str, Any], dt.date], None]] = {
    "document": _document, "enforcement": _enforcement, "guide": _guide, "budget": _budget,
    "organization": _organization, "power": _power, "news": _news, "reprint": _reprint,
    "consultation": _consultation, "response": _response, "proposal": _proposal, "message": _message,
    "dataset": _dataset,
}


def _attachments(corpus: Corpus, entry: Path) -> list[dict[str, str]]:
    """One or two small attachment files beside ``entry``; their content is shared text."""
    stem, found = entry.stem, []
    for number, suffix in enumerate(corpus.rng.sample((".txt", ".csv"), corpus.rng.randint(1, 2)), 1):
        name = f"attachments/{stem}-{number}{suffix}"
        path = entry.parent / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(attachment_text(suffix), encoding="utf-8")
        found.append({"file": name, "title": f"附件{number}"})
    return found


def _interpretation(corpus: Corpus, document: dict[str, Any], published: dt.date) -> None:
    """The policy's interpretation: same day, same drafting department (谁起草、谁解读)."""
    meta = _common(corpus, "interpretation", published)
    meta["title"] = f"《{document['title']}》政策解读"
    meta["interprets"] = document["index_no"]
    meta["form"] = corpus.rng.choice(("文字解读", "图文解读", "图解"))
    meta["department"], meta["written"] = document["department"], document["written"]
    corpus.write("interpretations", meta, corpus.text.body(meta["title"]))


def _annual_report(corpus: Corpus, year: int) -> None:
    """The year's 政府信息公开工作年度报告, published in January of the next year, all tables zero."""
    published = dt.date(year + 1, 1, corpus.rng.randint(10, 25))
    meta: dict[str, Any] = {
        "title": f"{SITE_NAME}{year}年政府信息公开工作年度报告", "index_no": corpus.index_no(year + 1),
        "year": year, "written": published - dt.timedelta(days=3), "published": published,
        "department": "办公室", "topic": "政务公开", "keywords": ["政府信息公开", "年度报告"],
        "disclosure": "主动公开", "fees": 0, **yaml.safe_load(ANNUAL_TABLES)}
    text = corpus.text
    body = (f"{text.paragraph()}\n\n## 一、总体情况\n\n{text.paragraph()}\n\n{text.paragraph()}\n\n"
            f"## 五、存在的主要问题及改进情况\n\n{text.paragraph()}\n\n## 六、其他需要报告的事项\n\n{text.sentence()}\n")
    corpus.write("annual-reports", meta, body)

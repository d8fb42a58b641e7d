"""Fixtures that build tiny sites inline: a valid minimal catalog plus the files a test names."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from disclosure_site import pipeline
from disclosure_site.core.diagnostics import Report

REPO = Path(__file__).resolve().parent.parent
ORG = "1144150000717074X7"
TODAY = dt.date(2026, 11, 26)

CATALOG = f"""\
site:
  name: 测试市环境保护局
  org_code: "{ORG}"
  base_url: https://www.example.gov.cn/test/
  site_code: "4415000099"
  icp: 粤ICP备00000000号
  police_record: 粤公网安备 44150000000000号
  address: 测试市测试路1号
  phone: 0660-0000000
  demo: true
departments: [办公室, 法制科, 监察分局, 环保窗口, 信息中心]
topics: [综合政务, 环境保护]
columns:
  - {{id: organization, title: 组织机构, type: organization}}
  - id: documents
    title: 文件
    type: document
    children:
      - {{id: normative, title: 规范性文件, type: document}}
  - {{id: interpretations, title: 政策解读, type: interpretation}}
  - {{id: enforcement, title: 行政执法, type: enforcement}}
  - {{id: guides, title: 办事指南, type: guide}}
  - {{id: budgets, title: 财政预决算, type: budget}}
  - {{id: news, title: 工作动态, type: news}}
key_areas:
  - {{id: eia, title: 环评审批, description: 建设项目环评审批信息}}
# Tiny test sites leave most columns empty on purpose; tests of EMPTY_COLUMN use FULL_CATALOG.
severity: {{EMPTY_COLUMN: "off"}}
"""
FULL_CATALOG = CATALOG.split("# Tiny test sites")[0]


def entry(title: str = "测试动态", serial: str = "2024-00001", published: str = "2024-05-06", **keys: object) -> str:
    """Front matter + body for a valid news entry; extra keys are added as YAML lines (None removes a key)."""
    fields: dict[str, object] = {
        "title": title, "index_no": f'"{ORG}/{serial}"', "published": published, "disclosure": "主动公开",
    }
    fields.update(keys)
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n正文。\n"


@dataclass
class Site:
    """A site folder made for one test."""

    root: Path

    def write(self, rel: str, text: str) -> Path:
        """Create or replace a file under the root."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def check(self, today: dt.date = TODAY) -> Report:
        """Run ``check`` and return its report."""
        return pipeline.check(self.root, today).report

    def messages(self, today: dt.date = TODAY) -> list[str]:
        """Every diagnostic formatted as the CLI prints it."""
        return [d.format() for d in self.check(today)]

    def build(self, today: dt.date = TODAY, strict: bool = False) -> pipeline.Outcome:
        """Build into ``<root>/site``."""
        return pipeline.build(self.root, self.root / "site", today, strict=strict)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``python build.py`` for real, as an editor would."""
        return subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--root", str(self.root)],
                              capture_output=True, text=True, cwd=self.root)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    """``make_site({"content/news/a.md": "..."})`` → a site with the minimal catalog plus those files."""
    def make(files: dict[str, str] | None = None, catalog: str = CATALOG) -> Site:
        site = Site(tmp_path / "site-root")
        site.write("catalog.yaml", catalog)
        for rel, text in (files or {}).items():
            site.write(rel, text)
        return site
    return make


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-goldens`` rewrites tests/golden/*/expected from the current build."""
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden output trees")


DEMO_TODAY = dt.date(2026, 11, 26)
"""The build date the whole-site tests (browser, validity, feeds) use for the demo."""


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site of this repository, built once per test session; tests must not modify it."""
    out = tmp_path_factory.mktemp("demo-site") / "site"
    outcome = pipeline.build(REPO, out, DEMO_TODAY, strict=False)
    assert outcome.files, [d.format() for d in outcome.report]
    return out


@pytest.fixture(scope="session")
def nginx_demo(demo_site: Path, request: pytest.FixtureRequest) -> str:
    """The demo site served by the real nginx with the shipped ``deploy/nginx.conf``: ``http://127.0.0.1:<port>/swhbj/``."""
    from contextlib import ExitStack

    from webserver import serve_site

    stack = ExitStack()
    request.addfinalizer(stack.close)
    return stack.enter_context(serve_site(demo_site))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Debian Chromium for the whole session (Playwright allows one sync driver per thread)."""
    from browser import CHROMIUM, LAUNCH_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield instance
        instance.close()

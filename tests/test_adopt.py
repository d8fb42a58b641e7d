"""Another bureau adopts the tool: the wheel carries the default theme, ``init`` makes a site that builds at once,
``--version`` and every command-line message in Chinese, and CI installs pinned versions."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from disclosure_site import cli

ORG = "12441500MB2C12345X"
TODAY = "2026-12-06"


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def test_installed_wheel_creates_and_builds_another_bureaus_site(tmp_path):
    """The wheel, installed into a fresh venv outside the checkout, inits 汕尾市教育局 and builds it.

    Only our wheel is installed (--no-deps, from the local wheel only): the dependencies come from this test's own
    environment through a path file, because downloading and installing them (pagefind's binary among them) would
    make every test run slow and depend on the network. The path file adds folders only, so this environment's
    editable install of the checkout is not seen: the package must come from the wheel.
    """
    source = tmp_path / "source"  # a copy, so the build leaves no build/ or egg-info in the checkout
    source.mkdir()
    shutil.copy(REPO / "pyproject.toml", source)
    for folder in ("disclosure_site", "templates"):
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", str(source), "-w", str(wheels), "--no-deps", "--quiet",
          "--disable-pip-version-check"], tmp_path)
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet",
          "--disable-pip-version-check", "--find-links", str(wheels), "disclosure-site"], tmp_path)
    site_packages = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              tmp_path).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    where = _run([str(python), "-c", "import disclosure_site; print(disclosure_site.__file__)"], tmp_path, env).stdout
    assert where.startswith(str(site_packages)), where
    assert (site_packages / "disclosure_site" / "app" / "admin" / "widgets.js").is_file()  # the admin's own widgets

    tool = str(venv / "bin" / "disclosure-site")
    assert _run([tool, "--version"], tmp_path, env).stdout == f"disclosure-site {cli.version()}\n"
    _run([tool, "init", "edu", "--name", "汕尾市教育局", "--org-code", ORG, "--departments", "办公室,基础教育科,人事科"],
         tmp_path, env)
    created = _run([tool, "--root", "edu", "--today", TODAY, "new", "news", "--title", "全市中小学开学工作会议召开"],
                   tmp_path, env).stdout.split()
    assert created == ["content/news/2026-00001-quan-shi-zhong-xiao-xue-kai-xue-gong-zuo.md"]
    _run([tool, "--root", "edu", "--today", TODAY, "--quiet", "build", "--no-search"], tmp_path, env)
    page = (tmp_path / "edu/site/entries/2026-00001.html").read_text(encoding="utf-8")
    assert "全市中小学开学工作会议召开" in page and "汕尾市教育局" in page
    assert list((tmp_path / "edu/site/assets").glob("site.*.css")), "the packaged theme's assets are published"


def test_pyproject_lists_every_package():
    """pyproject lists the packages by hand (find cannot add the mapped theme), so a new folder must be added."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "disclosure_site").rglob("__init__.py")}
    assert set(config["packages"]) == on_disk | {"disclosure_site.theme"}
    assert config["package-dir"] == {"disclosure_site.theme": "templates"}


def test_init_makes_a_site_that_builds_at_once(tmp_path, capsys):
    folder = tmp_path / "new-site"
    assert cli.main(["init", str(folder), "--name", "汕尾市教育局", "--org-code", ORG, "--departments", "办公室，体育卫生艺术科"]) == 0
    assert "已在" in capsys.readouterr().out
    for rel in ("catalog.yaml", "README.md", "requirements.txt", ".gitignore", ".github/workflows/site.yml",
                ".gitlab-ci.yml", "content/news/.gitkeep", "content/documents/normative/.gitkeep"):
        assert (folder / rel).is_file(), rel
    catalog = (folder / "catalog.yaml").read_text(encoding="utf-8")
    assert 'name: "汕尾市教育局"' in catalog and f'org_code: "{ORG}"' in catalog
    assert '  - "办公室"\n  - "体育卫生艺术科"\n' in catalog
    assert "环境" not in catalog and "汕尾市环境保护局" not in (folder / "README.md").read_text(encoding="utf-8")
    assert f"disclosure-site=={cli.version()}" in (folder / "requirements.txt").read_text(encoding="utf-8")
    assert "/site/" in (folder / ".gitignore").read_text(encoding="utf-8")
    assert cli.main(["--root", str(folder), "--today", TODAY, "--quiet", "--strict", "build", "--no-search"]) == 0
    assert (folder / "site/index.html").is_file()
    lint = subprocess.run([str(Path(sys.executable).parent / "actionlint"), "-no-color", ".github/workflows/site.yml"],
                          capture_output=True, text=True, cwd=folder)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    # Both shipped pipelines check a merge request's 索引号 against its target branch before merge.
    assert 'check --strict --format github --against "$AGAINST"' in (folder / ".github/workflows/site.yml").read_text(
        encoding="utf-8")
    gitlab = yaml.safe_load((folder / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert 'disclosure-site check --strict --against "$AGAINST"' in gitlab["check"]["script"]
    assert any("CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in line for line in gitlab["check"]["script"])


@pytest.mark.parametrize("existing", ["catalog.yaml", ".git/HEAD"])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path, capsys, existing):
    folder = tmp_path / "used"
    (folder / existing).parent.mkdir(parents=True)
    (folder / existing).write_text("x", encoding="utf-8")
    assert cli.main(["init", str(folder), "--name", "汕尾市教育局", "--org-code", ORG]) == 2
    assert capsys.readouterr().err == (f"用法错误：文件夹 {folder} 不是空的：init 只在新的或空的文件夹中创建站点，"
                                       "以免覆盖已有文件\n")
    assert [p.name for p in folder.iterdir()] == [Path(existing).parts[0]]


def test_init_checks_the_org_code_before_writing(tmp_path, capsys):
    folder = tmp_path / "edu"
    assert cli.main(["init", str(folder), "--name", "汕尾市教育局", "--org-code", "1244-1500"]) == 2
    assert "用法错误：--org-code：值「1244-1500」不是 9 位组织机构代码或 18 位统一社会信用代码" in capsys.readouterr().err
    assert not folder.exists()


def test_version_comes_from_the_package_metadata(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"disclosure-site {importlib.metadata.version('disclosure-site')}\n"


@pytest.mark.parametrize(("argv", "expected"), [
    (["init"], "build.py init：错误：缺少必需的参数：文件夹, --name, --org-code\n"),
    (["publish"], "build.py：错误：参数 命令：无效的选择 'publish'（可选：'build', 'check', 'new', 'serve', 'deploy', 'cms', 'edit', 'migrate', 'init'）\n"),
    (["build", "--fast"], "build.py：错误：无法识别的参数：--fast\n"),
    (["new", "news", "--title"], "build.py new：错误：参数 --title：需要一个值\n"),
])
def test_command_line_errors_are_in_chinese(capsys, argv, expected):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：build.py") and err.endswith(expected)
    assert not re.search(r"usage|error|required|invalid|unrecognized|expected", err)


@pytest.mark.parametrize("argv", [["--help"], ["init", "--help"], ["deploy", "-h"]])
def test_help_is_in_chinese(capsys, argv):
    with pytest.raises(SystemExit):
        cli.main(argv)
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "-h, --help" in out and "显示本帮助并退出" in out and "选项:" in out
    assert not re.search(r"usage|show this help|options|positional arguments", out)
    assert argparse.ArgumentParser(prog="x").format_usage() == "usage: x [-h]\n", "argparse itself is left as it was"


def test_every_declared_dependency_is_pinned_in_the_constraints():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    for text in project["dependencies"] + project["optional-dependencies"]["test"]:
        req = Requirement(text)
        assert canonicalize_name(req.name) in pins, f"{req.name} 未在 constraints.txt 中固定版本：运行 .ci/pin.py"
        assert req.specifier.contains(pins[canonicalize_name(req.name)], prereleases=True), text
    assert "-c constraints.txt -e '.[test]'" in (REPO / ".ci/run").read_text(encoding="utf-8")
    for workflow in (".github/workflows/site.yml", ".gitlab-ci.yml"):
        installs = re.findall(r"pip install[^\n]*", (REPO / workflow).read_text(encoding="utf-8"))
        assert installs and all("-c constraints.txt" in line for line in installs), (workflow, installs)

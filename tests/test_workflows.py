"""The shipped CI files: the real actionlint on the GitHub workflow, the structure of both files, and every
``python build.py …`` line in them accepted by the real argument parser (a renamed option must fail here, not in a
bureau's first pipeline)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from disclosure_site.cli import make_parser

WORKFLOW = REPO / ".github/workflows/site.yml"
GITLAB = REPO / ".gitlab-ci.yml"
MANUAL = REPO / "docs/deploy.md"
COMMAND = re.compile(r"python build\.py\b[^;&|>)\n]*")
"""One build.py invocation in a shell line, up to the next command separator or redirection."""


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def runs(job: dict[str, Any]) -> str:
    """Every shell line of a GitHub job."""
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(job) if "uses" in step]


def actionlint() -> Path:
    """The actionlint binary the test extra installs into the virtual environment (next to python)."""
    path = Path(sys.executable).parent / "actionlint"
    if not path.exists():
        pytest.fail(f"{path} 不存在：请运行 pip install -e '.[test]'（.ci/run 会安装）")
    return path


def test_actionlint_accepts_the_workflow():
    result = subprocess.run([str(actionlint()), "-no-color", str(WORKFLOW)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_is_really_checking(tmp_path):
    """A misspelt key must fail, or the test above proves nothing."""
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "run-on:", 1), encoding="utf-8")
    result = subprocess.run([str(actionlint()), "-no-color", str(broken)], capture_output=True, text=True)
    assert result.returncode == 1 and "run-on" in result.stdout


def test_github_triggers():
    triggers = load(WORKFLOW)[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]


def test_scheduled_entries_go_out_without_a_push():
    """定时发布 entries are published by a daily run on both platforms, which also deploys."""
    cron = load(WORKFLOW)[True]["schedule"][0]["cron"]
    _minute, hour, *rest = cron.split()
    assert rest == ["*", "*", "*"], "至少每天运行一次"
    assert (int(hour) + 8) % 24 == 0, "北京时间零点之后运行，当天到期的条目当天上线"
    test_job = load(WORKFLOW)["jobs"]["test"]["if"]
    assert "github.event_name != 'schedule'" in test_job
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in load(GITLAB)["workflow"]["rules"]


def test_pull_requests_are_checked_with_annotations_tested_and_reported():
    jobs = load(WORKFLOW)["jobs"]
    check = jobs["check"]
    assert "if" not in check, "检查应在拉取请求和推送时都运行"
    assert {"python-version": "3.11", "cache": "pip"}.items() <= next(
        s["with"] for s in steps(check) if s.get("uses", "").startswith("actions/setup-python@")).items()
    assert 'python build.py check --strict --format github --against "$AGAINST"' in runs(check)
    (against,) = [step["env"]["AGAINST"] for step in steps(check) if "AGAINST" in step.get("env", {})]
    assert "format('origin/{0}', github.base_ref)" in against and "github.event_name == 'pull_request'" in against
    assert "python build.py build --strict" in runs(check)
    summary = next(step["run"] for step in steps(check) if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    assert "python build.py check --report" in summary and '>> "$GITHUB_STEP_SUMMARY"' in summary
    assert jobs["test"]["if"] == "github.event_name != 'push' && github.event_name != 'schedule'"
    assert "bash .ci/run" in runs(jobs["test"])


def test_pages_deploy_uses_the_official_actions_and_only_runs_on_main():
    pages = load(WORKFLOW)["jobs"]["pages"]
    assert "(github.event_name == 'push' || github.event_name == 'schedule') && github.ref == 'refs/heads/main'" in pages["if"]
    assert pages["needs"] == "check"
    assert uses(pages) == ["actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/cache",
                           "actions/upload-pages-artifact", "actions/deploy-pages"]
    cache = next(s for s in steps(pages) if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache"
    upload = next(s for s in steps(pages) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert "python build.py build --strict" in runs(pages)


def test_own_server_deploy_only_runs_on_main_with_a_target():
    server = load(WORKFLOW)["jobs"]["server"]
    assert server["if"] == ("(github.event_name == 'push' || github.event_name == 'schedule') && "
                            "github.ref == 'refs/heads/main' && vars.DEPLOY_TARGET != ''")
    assert 'python build.py deploy --strict --to "$DEPLOY_TARGET"' in runs(server)
    assert server["concurrency"]["cancel-in-progress"] is False


def test_gitlab_stages_and_pages():
    ci = load(GITLAB)
    assert ci["stages"] == ["check", "test", "build", "deploy"]
    assert ci["check"]["stage"] == "check" and 'python build.py check --strict --against "$AGAINST"' in ci["check"]["script"]
    assert 'AGAINST="origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in "\n".join(ci["check"]["script"])
    assert "bash .ci/run" in ci["test"]["script"]
    merge_requests = {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}
    assert merge_requests in ci["workflow"]["rules"] and "rules" not in ci["check"]  # check: every pipeline
    assert ci["test"]["rules"][0] == merge_requests
    assert "python build.py build --strict --out public" in ci["build"]["script"]
    pages = ci["pages"]
    assert pages["stage"] == "deploy" and pages["needs"] == ["build"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert [rule["if"] for rule in pages["rules"]] == ["$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $DEPLOY_TARGET == null"]
    assert ci["deploy-server"]["rules"][0]["if"].startswith("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && ")


def shell_lines() -> list[str]:
    """Every ``run:`` of the workflow and every ``script:`` line of the GitLab file."""
    lines = [step.get("run", "") for job in load(WORKFLOW)["jobs"].values() for step in job["steps"]]
    lines += [line for job in load(GITLAB).values() if isinstance(job, dict) for line in job.get("script", [])]
    return lines


def build_commands() -> list[str]:
    return [match.group(0).strip() for line in shell_lines() for match in COMMAND.finditer(line)]


def test_both_files_run_build_py():
    assert set(build_commands()) == {
        'python build.py check --strict --against "$AGAINST"',
        'python build.py check --strict --format github --against "$AGAINST"',
        "python build.py check --report --quiet", "python build.py build --strict",
        "python build.py build --strict --out public", 'python build.py deploy --strict --to "$DEPLOY_TARGET"',
    }


@pytest.mark.parametrize("command", build_commands())
def test_every_build_py_command_line_is_accepted_by_the_parser(command, capsys):
    argv = shlex.split(command, comments=True)[2:]
    try:
        args = make_parser().parse_args(argv)
    except SystemExit:
        pytest.fail(f"build.py 不接受 CI 文件中的命令「{command}」：{capsys.readouterr().err}")
    assert args.command in {"build", "check", "deploy"}


def manual_blocks(language: str) -> list[str]:
    return re.findall(rf"^ *```{language}\n(.*?)^ *```", MANUAL.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def test_the_matrix_example_in_the_deploy_manual_passes_actionlint(tmp_path):
    (example,) = [block for block in manual_blocks("yaml") if "matrix:" in block]
    workflow = tmp_path / "matrix.yml"
    workflow.write_text(example, encoding="utf-8")
    result = subprocess.run([str(actionlint()), "-no-color", str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "python build.py deploy --strict --root" in example


def manual_commands() -> list[str]:
    """``python build.py`` lines of the manual's examples (the synopsis with [options] excepted)."""
    blocks = manual_blocks("sh") + manual_blocks("yaml")
    return [m.group(0).strip() for block in blocks for m in COMMAND.finditer(block) if "[" not in m.group(0)]


@pytest.mark.parametrize("command", manual_commands())
def test_every_command_in_the_deploy_manual_is_accepted_by_the_parser(command, capsys):
    try:
        make_parser().parse_args(shlex.split(command, comments=True)[2:])
    except SystemExit:
        pytest.fail(f"build.py 不接受 docs/deploy.md 中的命令「{command}」：{capsys.readouterr().err}")

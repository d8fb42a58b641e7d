"""``python build.py deploy``: releases, the atomic ``current`` switch, hard links, pruning, rollback, interruptions.

Everything runs the real command line and the real rsync against a target folder under tmp_path; the last
test does the same over ssh to an sshd started on a loopback port.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, Site, entry
from webserver import answers, free_port

from disclosure_site.app import deploy

TODAY = "2026-11-26"
RELEASE = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}")
CSS = re.compile(r"assets/site\.[0-9a-f]{10}\.css")


@pytest.fixture
def bureau(make_site) -> Site:
    return make_site({"content/news/a.md": entry(title="红树林巡查"),
                      "content/news/b.md": entry(title="第二条动态", serial="2024-00002")})


def deploy_cli(site: Site, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python build.py deploy … --root <site>`` for real, with a fixed build date."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "deploy", *args, "--today", TODAY, "--quiet",
                           "--root", str(site.root)], capture_output=True, text=True, cwd=site.root, env=env)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def releases(target: Path) -> list[str]:
    return sorted(path.name for path in (target / "releases").iterdir())


def current(target: Path) -> str:
    link = os.readlink(target / "current")
    assert link.startswith("releases/"), link  # relative: the target folder can be moved or mounted elsewhere
    return link.removeprefix("releases/")


def retitle(site: Site, title: str) -> None:
    site.write("content/news/a.md", entry(title=title))


def served(target: Path, rel: str = "entries/2024-00001.html") -> str:
    """A file as the web server sees it: through the ``current`` link."""
    return (target / "current" / rel).read_text(encoding="utf-8")


def css_name(target: Path) -> str:
    found = CSS.search(served(target, "index.html"))
    assert found, "首页没有引用 assets/site.<哈希>.css"
    return found.group(0)


def test_first_deploy_creates_a_release_and_points_current_at_it(bureau, tmp_path):
    target = tmp_path / "www"
    ok(deploy_cli(bureau, "--to", str(target)))
    sums = (bureau.root / "site/SHA256SUMS").read_bytes()
    (name,) = releases(target)
    assert RELEASE.fullmatch(name) and name.endswith("-" + hashlib.sha256(sums).hexdigest()[:8])
    assert current(target) == name
    assert (target / "current/SHA256SUMS").read_bytes() == sums
    assert "红树林巡查" in served(target)
    # The build's output folder is private (0700); the web server's user must still be able to read the release.
    assert (target / "releases" / name).stat().st_mode & 0o777 == 0o755
    assert (target / "current/index.html").stat().st_mode & 0o777 == 0o644


def test_second_deploy_switches_current_and_hard_links_unchanged_files(bureau, tmp_path):
    target = tmp_path / "www"
    ok(deploy_cli(bureau, "--to", str(target)))
    first = current(target)
    retitle(bureau, "红树林专项巡查")
    time.sleep(1.1)  # as in real life, the next build's files are newer: unchanged ones must be linked all the same
    ok(deploy_cli(bureau, "--to", str(target)))
    second = current(target)
    assert releases(target) == [first, second] and second > first
    assert "红树林专项巡查" in served(target)
    assert "红树林专项巡查" not in (target / "releases" / first / "entries/2024-00001.html").read_text(encoding="utf-8")
    old, new = target / "releases" / first, target / "releases" / second
    css = css_name(target)
    assert (old / css).stat().st_ino == (new / css).stat().st_ino, "未改动的文件应是上一版本的硬链接"
    assert (new / "entries/2024-00002.html").samefile(old / "entries/2024-00002.html")
    assert not (new / "entries/2024-00001.html").samefile(old / "entries/2024-00001.html")


def test_keep_removes_the_oldest_releases(bureau, tmp_path):
    target = tmp_path / "www"
    for title in ("第一版", "第二版", "第三版"):
        retitle(bureau, title)
        ok(deploy_cli(bureau, "--to", str(target), "--keep", "2"))
    kept = releases(target)
    assert len(kept) == 2 and current(target) == kept[-1]
    assert "第三版" in served(target)
    assert "第二版" in (target / "releases" / kept[0] / "entries/2024-00001.html").read_text(encoding="utf-8")


def test_expired_never_includes_the_current_release():
    names = ["20260101T000000Z-aaaaaaaa", "20260102T000000Z-bbbbbbbb", "20260103T000000Z-cccccccc"]
    assert deploy.expired(names, names[-1], keep=1) == names[:2]
    assert deploy.expired(names, names[0], keep=1) == [names[1]]  # after a rollback the current one is older
    assert deploy.expired(names, names[0], keep=5) == []


def test_rollback_switches_back_without_building(bureau, tmp_path):
    target = tmp_path / "www"
    ok(deploy_cli(bureau, "--to", str(target)))
    first = current(target)
    retitle(bureau, "第二版标题")
    ok(deploy_cli(bureau, "--to", str(target)))
    second = current(target)
    shutil.rmtree(bureau.root / "site")
    # Rollback needs no site folder: run it from elsewhere, as an administrator on the server would.
    result = ok(subprocess.run([sys.executable, str(REPO / "build.py"), "deploy", "--to", str(target), "--rollback"],
                               capture_output=True, text=True, cwd=tmp_path))
    assert result.stdout.strip() == f"已回退：{target} 的 current → releases/{first}（原为 releases/{second}）"
    assert current(target) == first and releases(target) == [first, second]
    assert "红树林巡查" in served(target) and "第二版标题" not in served(target)
    assert not (bureau.root / "site").exists()


def test_rollback_with_a_single_release_is_an_error(bureau, tmp_path):
    target = tmp_path / "www"
    ok(deploy_cli(bureau, "--to", str(target)))
    (only,) = releases(target)
    result = deploy_cli(bureau, "--to", str(target), "--rollback")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"{target}: 错误 [DEPLOY_NO_PREVIOUS] 没有可回退的版本：current 指向的 "
                                     f"releases/{only} 之前没有更早的版本")
    assert current(target) == only


def test_rollback_before_any_deploy_is_an_error(bureau, tmp_path):
    result = deploy_cli(bureau, "--to", str(tmp_path / "www"), "--rollback")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"{tmp_path / 'www'}: 错误 [DEPLOY_NO_PREVIOUS] 没有可回退的版本："
                                     "目标文件夹中还没有 current 链接（尚未发布过）")


def fake_rsync(folder: Path) -> dict[str, str]:
    """An environment whose rsync copies everything except entries/ and then dies, like a dropped connection."""
    real = shutil.which("rsync")
    assert real, "rsync 未安装：请运行 .ci/run（apt-get install rsync）"
    folder.mkdir()
    script = folder / "rsync"
    script.write_text(f"#!/bin/sh\n{real} --exclude=/entries/ \"$@\"\nkill -9 $$\n", encoding="utf-8")
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def test_interrupted_upload_keeps_serving_the_previous_release(bureau, tmp_path):
    target = tmp_path / "www"
    ok(deploy_cli(bureau, "--to", str(target)))
    first = current(target)
    before = {p.relative_to(target / "current"): p.read_bytes() for p in (target / "current").rglob("*") if p.is_file()}
    retitle(bureau, "中断时的新标题")
    result = deploy_cli(bureau, "--to", str(target), env=fake_rsync(tmp_path / "bin"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == (f"{target}: 错误 [DEPLOY_UPLOAD] 上传失败（rsync 被信号 9 终止：没有错误输出）；"
                                     f"current 仍指向 releases/{first}，网站未受影响；未完成的 .partial 文件夹会在"
                                     "下次发布时删除，请排除原因后重新发布")
    assert current(target) == first
    after = {p.relative_to(target / "current"): p.read_bytes() for p in (target / "current").rglob("*") if p.is_file()}
    assert after == before
    (partial,) = [name for name in releases(target) if name != first]
    assert partial.endswith(".partial") and (target / "releases" / partial / "index.html").is_file()
    assert not (target / "releases" / partial / "entries").exists()

    ok(deploy_cli(bureau, "--to", str(target)))
    assert [name for name in releases(target) if name.endswith(".partial")] == []
    assert releases(target) == [first, current(target)]
    assert "中断时的新标题" in served(target)


def test_build_errors_stop_before_anything_is_uploaded(make_site, tmp_path):
    site = make_site({"content/news/a.md": entry(published="昨天")})
    result = deploy_cli(site, "--to", str(tmp_path / "www"))
    assert result.returncode == 1
    assert "content/news/a.md:4: 错误 [BAD_DATE]" in result.stdout
    assert not (tmp_path / "www").exists()


@pytest.mark.parametrize("to", ["", "host:relative/path", "deploy@host:", "rsync://host/module", "host::module",
                                "bad host:/srv"])
def test_malformed_target_is_a_usage_error(bureau, to):
    result = deploy_cli(bureau, "--to", to)
    assert result.returncode == 2
    assert result.stderr.startswith("用法错误：") and "Traceback" not in result.stderr
    assert not (bureau.root / "site").exists(), "目标写错时不应先生成网站"


def test_missing_rsync_is_a_usage_error(bureau, tmp_path):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    result = deploy_cli(bureau, "--to", str(tmp_path / "www"), env={**os.environ, "PATH": str(empty)})
    assert result.returncode == 2
    assert result.stderr.strip() == "用法错误：找不到 rsync 命令：请先安装（Debian/Ubuntu：apt-get install rsync）"


def test_current_that_is_not_a_release_link_is_refused(bureau, tmp_path):
    target = tmp_path / "www"
    (target / "current").mkdir(parents=True)  # e.g. a site copied by hand before adopting deploy
    result = deploy_cli(bureau, "--to", str(target))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"{target}: 错误 [DEPLOY_REFUSED] 发布目标不是空文件夹，也不是本工具发布过的目标（没有 .disclosure-site-deploy "
        "标记文件）：为免删除或混入其中的文件，拒绝发布；请指定一个不存在的或空的文件夹")
    assert [p.name for p in target.iterdir()] == ["current"] and list((target / "current").iterdir()) == []


def test_a_stamped_target_with_a_broken_current_is_still_refused_by_the_release_check(bureau, tmp_path):
    target = tmp_path / "www"
    (target / "current").mkdir(parents=True)
    (target / ".disclosure-site-deploy").touch()
    result = deploy_cli(bureau, "--to", str(target))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"{target}: 错误 [DEPLOY_TARGET] current 不是符号链接，不是本工具发布的版本："
                                     "请人工检查目标文件夹（可改名备份后重新发布）")


def test_a_foreign_folder_or_file_is_never_a_deploy_target(bureau, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "论文.docx").write_bytes(b"mine")
    a_file = tmp_path / "notes.txt"
    a_file.write_bytes(b"mine")
    for to in (home, a_file):
        result = deploy_cli(bureau, "--to", str(to))
        assert result.returncode == 2 and "[DEPLOY_REFUSED]" in result.stderr, result.stderr
    assert sorted(p.name for p in home.iterdir()) == ["论文.docx"] and a_file.read_bytes() == b"mine"
    for to in (bureau.root, bureau.root / "content", bureau.root.parent, bureau.root / "site" / "x"):
        result = deploy_cli(bureau, "--to", str(to))
        assert result.returncode == 2 and result.stderr.startswith("用法错误：发布目标"), (to, result.stderr)


def test_a_target_deployed_before_the_stamp_existed_is_still_accepted(bureau, tmp_path):
    target = tmp_path / "www"
    ok(deploy_cli(bureau, "--to", str(target)))
    (target / ".disclosure-site-deploy").unlink()
    ok(deploy_cli(bureau, "--to", str(target)))
    assert (target / ".disclosure-site-deploy").exists() and len(releases(target)) == 2


def test_unwritable_target_is_an_error_not_a_traceback(bureau, tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    to = tmp_path / "a-file" / "www"
    result = deploy_cli(bureau, "--to", str(to))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{to}: 错误 [DEPLOY_TARGET] 无法读写目标文件夹：路径中有一项不是文件夹（{to / 'releases'}）"


def test_targets_are_parsed_like_rsync():
    assert deploy.parse_target("/srv/site").host is None
    assert deploy.parse_target("./a:b").host is None  # a slash before the colon: a local folder
    remote = deploy.parse_target("deploy@www.example.gov.cn:/srv/disclosure/", "ssh -p 2222")
    assert (remote.host, remote.path, remote.ssh) == ("deploy@www.example.gov.cn", "/srv/disclosure", ("ssh", "-p", "2222"))


def test_release_names_sort_in_deploy_order():
    now = dt.datetime(2026, 11, 26, 8, 30, 0, 500, tzinfo=dt.UTC)
    first = deploy.release_id(b"a", now, [])
    assert first == "20261126T083000Z-" + hashlib.sha256(b"a").hexdigest()[:8]
    second = deploy.release_id(b"b", now, [first])  # same second: moved past the newest release
    third = deploy.release_id(b"c", now - dt.timedelta(hours=1), [first, second])  # the clock went back
    assert first < second < third and second.startswith("20261126T083001Z") and third.startswith("20261126T083002Z")


# ---- over ssh -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SshServer:
    port: int
    ssh: str
    """The ssh command line that reaches it (port, key, no host-key prompt)."""


def _sshd_config(work: Path, port: int) -> Path:
    config = work / "sshd_config"
    config.write_text(f"""\
Port {port}
ListenAddress 127.0.0.1
HostKey {work / 'host_key'}
AuthorizedKeysFile {work / 'authorized_keys'}
PidFile {work / 'sshd.pid'}
# pytest's temporary folders live under the world-writable /tmp, which StrictModes rejects.
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
LogLevel ERROR
""", encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    """An sshd on a free loopback port that accepts a key made for this test only."""
    binary = shutil.which("sshd") or "/usr/sbin/sshd"
    if not os.access(binary, os.X_OK) or shutil.which("ssh-keygen") is None:
        pytest.skip("sshd 未安装（.ci/run 会安装 openssh-server）")
    work = tmp_path_factory.mktemp("sshd")
    for key in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(work / key)], check=True)
    shutil.copy(work / "client_key.pub", work / "authorized_keys")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation needs it; a service start would make it
    port = free_port()
    with (work / "sshd.log").open("wb") as log:  # a file, not a pipe that could fill up and stall sshd
        proc = subprocess.Popen([binary, "-D", "-e", "-f", str(_sshd_config(work, port))], stdout=log, stderr=log)
    deadline = time.monotonic() + 10
    while proc.poll() is None and not answers(port) and time.monotonic() < deadline:
        time.sleep(0.05)
    if proc.poll() is not None or not answers(port):
        proc.kill()
        proc.wait()
        pytest.skip(f"sshd 无法启动：{(work / 'sshd.log').read_text(errors='replace')}")
    ssh = (f"ssh -p {port} -i {work / 'client_key'} -o IdentitiesOnly=yes -o BatchMode=yes "
           "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR")
    try:
        yield SshServer(port, ssh)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_deploy_and_rollback_over_ssh(sshd, bureau, tmp_path):
    import getpass

    folder = tmp_path / "server" / "disclosure"
    to = f"{getpass.getuser()}@127.0.0.1:{folder}"
    ok(deploy_cli(bureau, "--to", to, "--ssh", sshd.ssh))
    first = current(folder)
    retitle(bureau, "经 ssh 发布的新标题")
    # The ssh command may also come from the environment (CI: a secret-free variable next to the key file).
    env = {**os.environ, deploy.SSH_ENV: sshd.ssh}
    ok(deploy_cli(bureau, "--to", to, env=env))
    second = current(folder)
    assert releases(folder) == [first, second] and "经 ssh 发布的新标题" in served(folder)
    css = css_name(folder)
    assert (folder / "releases" / first / css).samefile(folder / "releases" / second / css)
    (folder / "releases" / "20200101T000000Z-00000000.partial").mkdir()  # a leftover of an interrupted upload
    ok(deploy_cli(bureau, "--to", to, "--keep", "2", env=env))
    assert len(releases(folder)) == 2 and first not in releases(folder)
    ok(deploy_cli(bureau, "--to", to, "--rollback", env=env))
    assert current(folder) == second and "经 ssh 发布的新标题" in served(folder)

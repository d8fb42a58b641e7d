"""Write constraints.txt: the exact versions, in the running environment, of every package disclosure-site and its
``test`` extra need, dependencies of dependencies included, so CI installs what the tests last passed with.

Run after changing a dependency in pyproject.toml:  .venv/bin/python .ci/pin.py
"""

from __future__ import annotations

import importlib.metadata as md
import sys
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

HEADER = """\
# 生成器及其测试所用软件包的确切版本（连同它们的依赖），由 .ci/pin.py 按当前虚拟环境生成，请勿手改。
# .ci/run 和 CI 配置用 pip install -c constraints.txt 安装，使每次安装得到测试通过时的同一组版本。
"""


def _requirements(dist: md.Distribution, extras: set[str]) -> list[Requirement]:
    found = []
    for text in dist.requires or []:
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate({**default_environment(), "extra": e}) for e in extras | {""}):
            found.append(req)
    return found


def declared(root: Path) -> list[Requirement]:
    """pyproject.toml's dependencies and its ``test`` extra, as written (not as some older install recorded them)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["test"]]


def closure(roots: list[Requirement]) -> dict[str, str]:
    """Every installed distribution the requirements need, by canonical name, with its installed version."""
    pinned: dict[str, str] = {}
    todo: list[tuple[str, set[str]]] = []
    for req in roots:
        pinned[canonicalize_name(req.name)] = md.distribution(req.name).version
        todo.append((req.name, set(req.extras)))
    while todo:
        current, wanted = todo.pop()
        dist = md.distribution(current)
        for req in _requirements(dist, wanted):
            key = canonicalize_name(req.name)
            if key not in pinned:
                pinned[key] = md.distribution(req.name).version
                todo.append((req.name, set(req.extras)))
            elif req.extras:
                todo.append((req.name, set(req.extras)))
    return pinned


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    pins = closure(declared(root))
    lines = [f"{name}=={version}" for name, version in sorted(pins.items())]
    target = root / "constraints.txt"
    target.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{target}: {len(lines)} 个软件包")
    return 0


if __name__ == "__main__":
    sys.exit(main())

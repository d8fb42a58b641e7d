"""The package's folders follow the pipeline, and the code keeps to them.

core ← model ← {load, body, write} ← {rules, render, outputs} ← pipeline ← app ← cli: an import only points down
a floor, never sideways inside one (except that pages show the search's facts), and never in a circle. ``cache/``
stands apart: it knows only ``core/`` and the model's values, and only the pipeline (and the command line, which
opens the store) may use it; stages get a plain ``core.steps.Steps`` handed in and never know what is kept. Only ``write/`` touches the
output folder. The checks read the source with :mod:`ast`, so they cost nothing to run and name the line at fault.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = "disclosure_site"
FLOORS = (("core",), ("model",), ("load", "body", "write"), ("rules", "render", "outputs"), ("pipeline",), ("app",),
          ("cli",), ("__main__",))
SIDEWAYS = {("render", "outputs")}
"""Imports inside one floor that are allowed: the search page and entry pages show the search's facts."""
CACHE_USERS = {"pipeline", "cli"}
"""Who may import ``cache/``: the code that composes the steps. Stages get a ``core.steps.Steps`` handed in."""
CACHE_KNOWS = {"core", "model"}
"""What ``cache/`` may import: plain helpers and the model's values, never a stage."""
DISK_WRITERS = {"write.writer", "write.outfolder", "cache.memo", "app.deploy", "app.scaffold", "app.init_site", "app.cms",
                "app.edit", "app.migrate"}
"""The modules that write to disk: the output folder, the cache store, a deploy target, a new entry's file, a new site
folder, the editors' admin folder (``cms --out``, or a temporary one for ``edit``), entry files rewritten by ``migrate``."""
_WRITE_METHODS = {"write_text", "write_bytes", "mkdir", "unlink", "rmdir", "touch", "symlink_to", "rename",
                  "hardlink_to", "chmod"}
_MODULE_WRITES = {"shutil": {"copy", "copy2", "copyfile", "copytree", "move", "rmtree", "chown"},
                  "tempfile": {"mkdtemp", "mkstemp", "NamedTemporaryFile", "TemporaryDirectory"}}
_MODULE_WRITES["os"] = {"replace", "rename", "remove", "unlink", "makedirs", "mkdir", "rmdir", "symlink", "link",
                        "chmod", "truncate", "write"}


def modules(root: Path, name: str = PACKAGE) -> dict[str, ast.Module]:
    """Every module under ``root/<name>`` by dotted name below the package (``load.entries``, ``cli``)."""
    package = root / name
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def imports(name: str, tree: ast.Module, known: set[str], package: str = PACKAGE) -> dict[str, int]:
    """The package's modules that ``name`` imports, with the line of the first import of each."""
    is_package = name == "" or any(other.startswith(name + ".") for other in known)
    here = name.split(".") if is_package else name.split(".")[:-1]
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        for target in _targets(node, here, package):
            target = target if target in known else target.rpartition(".")[0]
            if target and target in known and target != name:
                found.setdefault(target, node.lineno)
    return found


def _targets(node: ast.AST, here: list[str], package: str) -> list[str]:
    """Dotted names below the package that one import statement may name (a module, or a name inside one)."""
    if isinstance(node, ast.Import):
        return [alias.name.removeprefix(package + ".") for alias in node.names if alias.name.startswith(package + ".")]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level == 0:
        if not (node.module or "").startswith(package):
            return []
        base = (node.module or "").removeprefix(package).lstrip(".").split(".")
    else:
        base = here[:len(here) - node.level + 1] + (node.module.split(".") if node.module else [])
    base = [part for part in base if part]
    return [".".join([*base, alias.name]) for alias in node.names]


def graph(root: Path, package: str = PACKAGE) -> dict[str, dict[str, int]]:
    """Import arrows between the package's modules: importer → {imported: line}."""
    found = modules(root, package)
    return {name: imports(name, tree, set(found), package) for name, tree in found.items()}


def folder(name: str) -> str:
    """The pipeline step a module belongs to: its folder, or its own name at the top of the package."""
    return name.split(".")[0]


def floor(part: str) -> int:
    return next(number for number, parts in enumerate(FLOORS) if part in parts)


def wrong_way(arrows: dict[str, dict[str, int]]) -> list[str]:
    """Imports that run up a floor or sideways, a stage that imports ``cache/``, and ``cache/`` importing a stage."""
    problems = []
    for importer, targets in arrows.items():
        for target, line in targets.items():
            source, dest = folder(importer), folder(target)
            if source == dest or dest == "" or source == "":
                continue
            if "cache" in (source, dest):
                fine = dest in CACHE_KNOWS if source == "cache" else source in CACHE_USERS
            else:
                fine = floor(dest) < floor(source) or (source, dest) in SIDEWAYS
            if not fine:
                problems.append(f"{importer}:{line} imports {target}")
    return sorted(problems)


def circles(arrows: dict[str, dict[str, int]]) -> list[list[str]]:
    """Groups of modules that import each other in a loop (strongly connected parts of more than one module)."""
    reach = {name: _reachable(name, arrows) for name in arrows}
    groups = {tuple(sorted(other for other in reach[name] if name in reach[other])) for name in arrows}
    return sorted(list(group) for group in groups if len(group) > 1)


def _reachable(start: str, arrows: dict[str, dict[str, int]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in arrows.get(todo.pop(), {}):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def disk_writes(root: Path) -> dict[str, int]:
    """Modules that write, move or delete files, with the line of the first such call."""
    found: dict[str, int] = {}
    for name, tree in modules(root).items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _writes(node):
                found.setdefault(name, node.lineno)
    return found


def _writes(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        if owner in _MODULE_WRITES:
            return func.attr in _MODULE_WRITES[owner]
        return func.attr in _WRITE_METHODS
    if isinstance(func, ast.Name) and func.id == "open":
        mode = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "mode"), None)
        return isinstance(mode, ast.Constant) and any(flag in str(mode.value) for flag in "wax+")
    return False


# --- the package as it is ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("package", [PACKAGE, "benchmarks"])
def test_there_are_no_import_circles(package):
    """Imports for type checking count too: a loop of types is still two modules that cannot be read apart."""
    assert circles(graph(REPO, package)) == []


def test_imports_only_point_down_the_pipeline():
    assert wrong_way(graph(REPO)) == []


def test_every_module_sits_in_a_known_folder():
    named = {part for parts in FLOORS for part in parts} | {"cache", ""}
    assert {folder(name) for name in graph(REPO)} - named == set()


def test_only_the_pipeline_and_the_command_line_know_the_cache():
    users = {importer for importer, targets in graph(REPO).items() if any(folder(t) == "cache" for t in targets)}
    assert {folder(user) for user in users} - {"cache"} == CACHE_USERS


def test_only_the_writer_the_cache_deploy_new_and_init_write_files():
    assert set(disk_writes(REPO)) == DISK_WRITERS


def test_the_benchmark_drives_the_cli_and_imports_nothing_of_the_package():
    for path in (REPO / "benchmarks").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [name for name in names if name.startswith(PACKAGE)], path.name


# --- the checks themselves find what they look for ----------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    """A tiny package in the same folders, to show each check catches its fault."""
    def make(files: dict[str, str]) -> Path:
        for rel, text in {"__init__.py": "", **files}.items():
            path = tmp_path / PACKAGE / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return tmp_path
    return make


def test_an_upward_import_is_named_with_its_line(tree):
    root = tree({"core/__init__.py": "", "core/values.py": "\nfrom ..model.entry import Entry\n",
                 "model/__init__.py": "", "model/entry.py": "from ..core import values\n"})
    assert wrong_way(graph(root)) == ["core.values:2 imports model.entry"]
    assert circles(graph(root)) == [["core.values", "model.entry"]]


def test_a_sideways_import_and_a_step_using_the_cache_are_named(tree):
    root = tree({"load/__init__.py": "", "load/a.py": "from ..body import b\n", "body/__init__.py": "",
                 "body/b.py": "", "rules/__init__.py": "", "rules/r.py": "from disclosure_site.cache.memo import Memo\n",
                 "cache/__init__.py": "", "cache/memo.py": "from ..load import a\n"})
    assert wrong_way(graph(root)) == ["cache.memo:1 imports load.a", "load.a:1 imports body.b",
                                      "rules.r:1 imports cache.memo"]


def test_writing_a_file_is_found_however_it_is_spelled(tree):
    root = tree({"render/__init__.py": "",
                 "render/a.py": "def f(p):\n    p.write_text('x')\n",
                 "render/b.py": "import os\ndef f(a, b):\n    os.replace(a, b)\n",
                 "render/c.py": "def f(p):\n    return open(p, 'wb')\n",
                 "render/d.py": "import shutil\ndef f(p):\n    return open(p, 'rb'), 'a'.replace('a', 'b'), shutil.which(p)\n"})
    assert disk_writes(root) == {"render.a": 2, "render.b": 3, "render.c": 2}


def test_every_value_of_the_model_is_frozen():
    import dataclasses
    import importlib
    import pkgutil

    import disclosure_site.model as model

    thawed = []
    for info in pkgutil.iter_modules(model.__path__):
        module = importlib.import_module(f"{model.__name__}.{info.name}")
        for name, value in vars(module).items():
            ours = isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__
            if ours and not value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
                thawed.append(f"{info.name}.{name}")
    assert thawed == []


def test_the_model_reads_and_writes_no_files():
    """``model/`` holds values; reading content is ``load/``'s job and writing ``write/``'s."""
    io_names = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "stat", "iterdir", "rglob", "glob",
                "exists", "is_file", "is_dir", "mkdir", "unlink"}
    found = []
    for name, tree in modules(REPO).items():
        if folder(name) != "model":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if called in io_names:
                    found.append(f"{name}:{node.lineno} {called}")
    assert found == []

"""Architecture rules that keep riskdesk buildable and headless where it should be."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import riskdesk

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "riskdesk"


def test_no_qt_outside_ui() -> None:
    """Every non-ui module imports with PySide6 blocked: the CLI runs without Qt."""
    modules = sorted(
        ".".join(p.relative_to(SRC.parent).with_suffix("").parts)
        for p in SRC.rglob("*.py")
        if "ui" not in p.relative_to(SRC).parts[:1]
        and p.name != "__main__.py"
        and "migrations" not in p.parts
    )
    code = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt outside ui/: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print(len(" + repr(modules) + "))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == len(modules) > 10


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(SRC.parent).parts) for p in SRC.rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages"


def test_forms_and_resources_ship_in_the_package() -> None:
    from riskdesk.paths import form_path, resource_path

    assert form_path("use_editor.ui").is_file()
    assert resource_path().is_dir()


def test_compiled_forms_are_up_to_date(tmp_path: Path) -> None:
    """The committed ui_*.py must match what pyside6-uic makes from forms/*.ui."""
    uic = Path(sys.executable).with_name("pyside6-uic")
    forms = sorted((ROOT / "forms").glob("*.ui"))
    assert forms
    for form in forms:
        target = SRC / "ui" / "forms" / f"ui_{form.stem}.py"
        fresh = tmp_path / target.name
        subprocess.run([str(uic), str(form), "-o", str(fresh)], check=True)
        assert target.read_text() == fresh.read_text(), (
            f"{target.name} is stale: run tools/build_forms.py"
        )


def test_version_is_the_project_version() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert riskdesk.__version__ == config["project"]["version"]


def _riskdesk_imports(path: Path) -> set[str]:
    """Every ``riskdesk.*`` module ``path`` imports, at any level (functions included)."""
    import ast

    found: set[str] = set()
    package = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            found.add(module)
            # ``from riskdesk import service`` imports the subpackage, not a name.
            found.update(f"{module}.{a.name}" for a in node.names)
    return {m for m in found if m == "riskdesk" or m.startswith("riskdesk.")}


def _top_level(module: str) -> str | None:
    """The top-level package or module of riskdesk that ``module`` lives in."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    name = parts[1]
    return name if (SRC / name).is_dir() or (SRC / f"{name}.py").is_file() else None


def _package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        source = path.relative_to(SRC).parts[0].removesuffix(".py")
        if source == "__init__":
            continue  # the package root re-exports nothing of its children
        targets = graph.setdefault(source, set())
        for module in _riskdesk_imports(path):
            target = _top_level(module)
            if target is not None and target != source:
                targets.add(target)
    return graph


def test_importers_read_only_the_file_contract() -> None:
    """importers/ depends on fileformat and store, never on the service or the exports."""
    offending = sorted(
        f"{path.relative_to(SRC)} imports {module}"
        for path in (SRC / "importers").rglob("*.py")
        for module in _riskdesk_imports(path)
        if _top_level(module) in ("service", "reports")
    )
    assert offending == []


def test_no_import_cycle_between_packages() -> None:
    """Top-level packages form a DAG: no loop such as service → importers → reports → service."""
    graph = _package_graph()
    assert {"service", "importers", "reports", "fileformat"} <= graph.keys()
    assert "fileformat" in graph["importers"]  # the graph sees real edges
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == [], " ; ".join(" → ".join(c) for c in cycles)

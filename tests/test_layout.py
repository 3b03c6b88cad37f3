"""Architecture rules that keep riskdesk buildable and headless where it should be."""

from __future__ import annotations

import ast
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


# --- small modules ------------------------------------------------------------------------

MAX_MODULE_LINES = 550

# Hand-written modules over the limit when the rule came in (issue 12 item 5), with their
# sizes then (the larger of this branch's and main's at the time): they are being split
# elsewhere. Each may shrink but not grow past the size listed; drop its entry once it is
# split or under the limit.
LONG_MODULES_ALLOWED: dict[str, int] = {}  # every module split (issue 12)


def _module_sizes() -> dict[str, int]:
    """Lines of every hand-written module (generated Qt forms and migrations left out)."""
    sizes = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if parts[:2] == ("ui", "forms") or "migrations" in parts:
            continue
        sizes["/".join(parts)] = len(path.read_text(encoding="utf-8").splitlines())
    return sizes


def test_no_hand_written_module_is_too_long() -> None:
    sizes = _module_sizes()
    assert len(sizes) > 50 and "ui/main_window.py" in sizes  # the walk found the package
    assert not any(name.startswith(("ui/forms/", "store/migrations/")) for name in sizes)
    too_long = {
        name: lines
        for name, lines in sizes.items()
        if lines > LONG_MODULES_ALLOWED.get(name, MAX_MODULE_LINES)
    }
    assert too_long == {}, f"split these modules (at most {MAX_MODULE_LINES} lines each)"


# --- ui/ reads and writes through service/ -----------------------------------------------

DATABASE_PACKAGES = ("sqlalchemy", "sqlmodel", "riskdesk.store")


def _imported_modules(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """Every module an ``import`` anywhere in ``tree`` names (function-level ones too).

    ``from riskdesk import store`` names ``riskdesk.store``; relative imports are
    resolved against ``package``.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def _database_imports(source: str, package: str) -> list[str]:
    tree = ast.parse(source)
    return [
        f"line {line}: {name}"
        for line, name in _imported_modules(tree, package)
        if any(name == p or name.startswith(p + ".") for p in DATABASE_PACKAGES)
    ]


def test_the_import_check_sees_every_kind_of_import() -> None:
    source = (
        "import sqlalchemy.orm\n"
        "from riskdesk import store\n"
        "from ..store.models import AIUse\n"
        "def later():\n"
        "    from sqlmodel import select\n"
        "from riskdesk.service.errors import StoreError\n"
        "import riskdesk.storefront\n"
    )
    assert _database_imports(source, "riskdesk.ui") == [
        "line 1: sqlalchemy.orm",
        "line 2: riskdesk.store",
        "line 3: riskdesk.store.models",
        "line 3: riskdesk.store.models.AIUse",
        "line 5: sqlmodel",
        "line 5: sqlmodel.select",
    ]


def test_ui_imports_no_database_layer() -> None:
    """ui/ asks service/ for rows and figures; it never sees SQL, sessions or models."""
    modules = [
        p
        for p in sorted((SRC / "ui").rglob("*.py"))
        if "forms" not in p.relative_to(SRC / "ui").parts[:-1]  # generated by pyside6-uic
    ]
    assert len(modules) > 20  # the walk found the ui package
    offending = {}
    for path in modules:
        package = ".".join(path.relative_to(SRC.parent).parent.parts)
        found = _database_imports(path.read_text(encoding="utf-8"), package)
        if found:
            offending[str(path.relative_to(SRC))] = found
    assert offending == {}, "read and write through riskdesk.service instead"


# What opens a connection or transaction. ``with X.action()`` is the service's unit of
# work (one transaction per user action); the others are SQLAlchemy's own.
def _transactions(source: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "action"
                    and not call.args
                ):
                    found.append((call.lineno, "action()"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "Session":
            found.append((node.lineno, "Session("))
        # QPainter.begin takes its device; a transaction's begin takes nothing
        elif isinstance(func, ast.Attribute) and name == "begin" and not node.args:
            found.append((node.lineno, ".begin("))
        elif isinstance(func, ast.Attribute) and name == "connect":
            receiver = func.value
            owner = receiver.attr if isinstance(receiver, ast.Attribute) else ""
            if getattr(receiver, "id", "") == "engine" or owner == "engine":
                found.append((node.lineno, "engine.connect("))
    return sorted(found)


# Outside service/ and store/, as of this rule: exports take one consistent read
# snapshot of the register, and the demo builds its register in one service action.
TRANSACTIONS_ALLOWED = {
    "reports/boardpack.py": {"engine.connect(", ".begin("},
    "reports/csv_export.py": {"engine.connect(", ".begin("},
    "reports/registerdata.py": {"engine.connect(", ".begin("},
    "reports/evidence_export.py": {"engine.connect("},
    "reports/snapshot.py": {"engine.connect("},
}
DEMO_ALLOWED = {"action()"}  # demo.py, or the demo/ package it may become


def test_the_transaction_check_sees_every_kind() -> None:
    source = (
        "with service.action() as uow:\n"
        "    pass\n"
        "with svc.engine.connect() as conn, conn.begin():\n"
        "    pass\n"
        "engine.connect()\n"
        "s = Session(engine)\n"
        "button.clicked.connect(slot)\n"
        "menu.action()\n"
        "painter.begin(self)\n"
    )
    assert _transactions(source) == [
        (1, "action()"),
        (3, ".begin("),
        (3, "engine.connect("),
        (5, "engine.connect("),
        (6, "Session("),
    ]


def test_only_the_service_opens_transactions() -> None:
    """Connections and transactions belong to service/ (and store/, which opens files)."""
    found: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        kinds = {kind for _line, kind in _transactions(path.read_text(encoding="utf-8"))}
        if kinds:
            found[rel] = kinds
    assert {"engine.connect(", ".begin(", "action()"} <= found["service/register.py"]
    outside = {
        rel: kinds
        for rel, kinds in found.items()
        if rel.split("/")[0] not in ("service", "store")
        and not (rel.split("/")[0] in ("demo.py", "demo") and kinds <= DEMO_ALLOWED)
        and not kinds <= TRANSACTIONS_ALLOWED.get(rel, set())
    }
    assert outside == {}, "open connections and transactions in service/ and call it"


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
        if "versions" in path.relative_to(SRC).parts:
            # Alembic loads revision scripts by path at upgrade time (nothing imports
            # them); a data migration may write audited rows with the service's audit
            # writer, so they are a node of their own above the service.
            source = "migrations"
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

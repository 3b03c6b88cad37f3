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

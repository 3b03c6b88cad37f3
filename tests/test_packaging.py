"""Packaging checks that need no PyInstaller run: what the spec ships, where the frozen
app looks for it, the icon, the desktop entry and the notices.

The real build and its smoke test run in .ci/run (packaging/build, packaging/smoke).
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

from riskdesk.cli.main import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
SPEC = (PACKAGING / "riskdesk.spec").read_text(encoding="utf-8")


def load_bundle_data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_data", PACKAGING / "bundle_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_data = load_bundle_data()


def shipped_files(source: Path, patterns: tuple[str, ...]) -> set[Path]:
    return {
        p
        for pattern in patterns
        for p in source.glob(pattern)
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_spec_takes_name_and_version_from_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert bundle_data.project_metadata(ROOT) == (project["name"], project["version"])
    assert "NAME, VERSION = project_metadata(ROOT)" in SPEC
    assert "copy_metadata(NAME)" in SPEC  # riskdesk.__version__ reads the metadata


def test_every_data_file_is_listed() -> None:
    pairs = bundle_data.data_files(ROOT)
    listed = {Path(src) for src, _dest in pairs}
    expected = (
        shipped_files(RESOURCES, ("**/*",))
        | shipped_files(ROOT / "forms", ("*.ui",))
        | shipped_files(ROOT / "src/riskdesk/store/migrations", ("*.py", "*.mako", "versions/*.py"))
    )
    assert expected - listed == set()
    assert listed - expected == set()
    assert "datas=DATAS" in SPEC and "data_files(ROOT)" in SPEC
    for must in (
        "resources/icons/riskdesk.png",
        "resources/THIRD_PARTY_NOTICES.md",
        "resources/fonts/DejaVuSans.ttf",
        "resources/frameworks/nist_ai_rmf_1_0.csv",
        "resources/incidents/aiid_incidents.csv",
        "forms/use_editor.ui",
        "src/riskdesk/store/migrations/env.py",
        "src/riskdesk/store/migrations/versions/0001_initial_register_schema.py",
    ):
        assert ROOT / must in listed, must


def test_frozen_layout_matches_the_app_lookups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lay the data out as PyInstaller would, then ask the app's own lookups for it."""
    from alembic.script import ScriptDirectory

    from riskdesk.paths import form_path, resource_path
    from riskdesk.store.db import head_revision, migrations_dir

    source_head = head_revision()
    for src, dest in bundle_data.data_files(ROOT):
        target = tmp_path / dest
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)

    assert (
        resource_path("icons", "riskdesk.png") == tmp_path / "riskdesk/resources/icons/riskdesk.png"
    )
    assert resource_path("icons", "riskdesk.png").is_file()
    assert resource_path("THIRD_PARTY_NOTICES.md").is_file()
    assert form_path("use_editor.ui").is_file()
    assert migrations_dir() == tmp_path / "riskdesk/store/migrations"
    assert ScriptDirectory(str(migrations_dir())).get_current_head() == source_head


def test_spec_collects_the_cli_commands_and_leaves_out_unused_qt() -> None:
    # COMMANDS are imported by name, so only collect_submodules makes them reach the bundle.
    assert 'collect_submodules("riskdesk"' in SPEC
    for module in COMMANDS.values():
        assert (ROOT / "src/riskdesk/cli" / f"{module}.py").is_file(), module
    for hidden in ("alembic.runtime.migration", "sqlalchemy.dialects.sqlite", "logging.config"):
        assert f'"{hidden}"' in SPEC
    for qt in ("QtWebEngineCore", "QtQuick", "QtQml", "QtMultimedia", "QtCharts", "QtPdf"):
        assert f'"{qt}"' in SPEC
    assert '"/translations/"' in SPEC


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_icon_files() -> None:
    icons = RESOURCES / "icons"
    assert png_size(icons / "riskdesk.png") == (256, 256)

    ico = (icons / "riskdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {ico[6 + 16 * i] or 256 for i in range(count)}  # 0 means 256
    assert {16, 32, 48, 256} <= sizes

    icns = (icons / "riskdesk.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)

    svg = ET.parse(icons / "riskdesk.svg").getroot()
    assert svg.tag.endswith("svg") and svg.get("viewBox") == "0 0 256 256"

    assert 'ICONS / "riskdesk.ico"' in SPEC and 'ICONS / "riskdesk.icns"' in SPEC


DESKTOP_KEYS = {
    "Type", "Version", "Name", "GenericName", "Comment", "Exec", "TryExec", "Icon",
    "Terminal", "Categories", "Keywords", "StartupNotify", "StartupWMClass",
}  # fmt: skip


def read_desktop(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def test_desktop_entry_is_valid() -> None:
    entry = read_desktop(PACKAGING / "riskdesk.desktop")
    assert set(entry) <= DESKTOP_KEYS
    assert entry["Type"] == "Application"
    assert entry["Version"] == "1.0"
    assert entry["Exec"] == "riskdesk" and entry["TryExec"] == "riskdesk"
    assert entry["Icon"] == "riskdesk"  # resources/icons/riskdesk.png, installed by name
    assert entry["Terminal"] == "false" and entry["StartupNotify"] == "true"
    for listed in ("Categories", "Keywords"):
        assert entry[listed].endswith(";")
    assert set(entry["Categories"].rstrip(";").split(";")) <= {
        "Office",
        "ProjectManagement",
        "Utility",
    }
    if shutil.which("desktop-file-validate"):
        out = subprocess.run(
            ["desktop-file-validate", str(PACKAGING / "riskdesk.desktop")],
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0 and not out.stdout.strip(), out.stdout


def test_install_desktop_entry_points_the_menu_at_the_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "My Apps" / "riskdesk"  # a space, as in a real home folder
    icon_dir = bundle / "_internal/riskdesk/resources/icons"
    icon_dir.mkdir(parents=True)
    shutil.copy2(RESOURCES / "icons/riskdesk.png", icon_dir)
    for name in ("riskdesk.desktop", "install-desktop-entry"):
        shutil.copy2(PACKAGING / name, bundle)
    (bundle / "riskdesk").write_text("#!/bin/sh\n")
    (bundle / "riskdesk").chmod(0o755)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "share"),
    }

    subprocess.run(
        ["sh", str(bundle / "install-desktop-entry")], env=env, check=True, capture_output=True
    )
    entry = read_desktop(tmp_path / "share/applications/riskdesk.desktop")
    assert entry["Exec"] == f'"{bundle}/riskdesk"'
    assert entry["TryExec"] == f"{bundle}/riskdesk"
    assert png_size(tmp_path / "share/icons/hicolor/256x256/apps/riskdesk.png") == (256, 256)

    subprocess.run(
        ["sh", str(bundle / "install-desktop-entry"), "--remove"],
        env=env,
        check=True,
        capture_output=True,
    )
    assert not (tmp_path / "share/applications/riskdesk.desktop").exists()


def test_notices_cover_what_ships() -> None:
    notices_path = RESOURCES / "THIRD_PARTY_NOTICES.md"
    text = notices_path.read_text(encoding="utf-8")
    for name in (
        "LGPL", "PySide6", "SQLAlchemy", "SQLModel", "Alembic", "pydantic", "reportlab",
        "openpyxl", "et_xmlfile", "platformdirs", "CC BY-SA 4.0", "CC BY 4.0",
        "AI Incident Database", "DejaVu", "Bitstream Vera", "PyInstaller", "Pillow",
    ):  # fmt: skip
        assert name in text, name
    assert "Replacing or relinking Qt" in text
    # Every file the notices point to ships next to them (system-libraries.txt is written
    # by the spec at build time, from the build machine's Debian packages).
    referenced = set(
        re.findall(r"`((?:licenses|frameworks|incidents|fonts|eu_ai_act)/[^`]+)`", text)
    )
    assert len(referenced) > 15
    for rel in referenced - {"licenses/system-libraries.txt"}:
        assert (RESOURCES / rel).is_file(), rel
    assert "riskdesk/resources/licenses/system-libraries.txt" in SPEC


def test_about_box_points_at_the_shipped_notices(service: object) -> None:
    from riskdesk.paths import resource_path
    from riskdesk.ui.dialogs.about import about_text

    notices = resource_path("THIRD_PARTY_NOTICES.md")
    assert notices.is_file()
    assert str(notices) in about_text(service)  # type: ignore[arg-type]


def test_debian_notices_name_the_owning_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in dpkg-query owning the /usr/lib twin of a /lib path (merged /usr).
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dpkg-query"
    fake.write_text(
        "#!/bin/sh\n"
        'for p in "$@"; do case "$p" in\n'
        '  /usr/lib/x86_64-linux-gnu/libfoo.so.1) echo "libfoo1:amd64: $p" ;;\n'
        "esac; done\n"
    )
    fake.chmod(0o755)
    docs = tmp_path / "doc"
    (docs / "libfoo1").mkdir(parents=True)
    (docs / "libfoo1" / "copyright").write_text("License: MIT\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    text = bundle_data.debian_notices(["/lib/x86_64-linux-gnu/libfoo.so.1"], doc_root=docs)
    assert "libfoo1: libfoo.so.1\n" in text
    assert "License: MIT" in text
    assert bundle_data.debian_notices([], doc_root=docs) == ""


def test_shell_scripts_parse_and_ci_runs_the_bundle() -> None:
    for script in ("build", "smoke", "clean-target", "install-desktop-entry"):
        path = PACKAGING / script
        assert os.access(path, os.X_OK), f"{script} is not executable"
        subprocess.run(["bash", "-n", str(path)], check=True)
    ci = (ROOT / ".ci/run").read_text()
    assert ci.index("tools/test") < ci.index("packaging/build") < ci.index("packaging/smoke")
    assert "set -euo pipefail" in ci
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert any(req.startswith("pyinstaller") for req in extras["packaging"])

"""A fresh clone passes its tests on its own: nothing in it reaches outside the checkout."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Spelled in pieces so this file does not match itself.
FORBIDDEN = ("../" + "shared", "shared" + "/reference", "RISKDESK_" + "REFERENCE_DIR")


def _tracked_text_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    paths = [ROOT / name for name in out.split("\0") if name]
    return [p for p in paths if p.is_file() and p.suffix not in {".xlsx", ".png", ".ttf", ".ico"}]


def test_no_tracked_file_names_the_folder_beside_the_checkout() -> None:
    files = _tracked_text_files()
    assert len(files) > 100  # the listing worked
    offenders = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}: {bad}" for bad in FORBIDDEN if bad in text]
    assert offenders == []


def test_every_fixture_folder_says_where_its_files_came_from() -> None:
    folders = [p for p in (ROOT / "tests" / "fixtures").iterdir() if p.is_dir()]
    assert folders
    for folder in folders:
        source = folder / "SOURCE.md"
        assert source.is_file(), f"{folder.name} has no SOURCE.md"
        text = source.read_text("utf-8")
        assert "Licence" in text and "Source" in text, folder.name


def test_every_resources_folder_is_a_listed_package() -> None:
    """setuptools warns about (and may one day drop) data folders it was not told about."""
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        "riskdesk.resources." + ".".join(p.relative_to(ROOT / "resources").parts)
        for p in (ROOT / "resources").rglob("*")
        if p.is_dir() and p.name != "__pycache__"
    }
    assert folders and folders - listed == set()

#!/usr/bin/env python3
"""Compile forms/*.ui into src/riskdesk/ui/forms/ui_*.py with pyside6-uic.

The compiled modules are committed (PySide6's run-time loadUiType shells out to
pyside6-uic, which breaks inside PyInstaller bundles); tests/test_layout.py fails when
they are stale.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    uic = Path(sys.executable).with_name("pyside6-uic")
    for form in sorted((ROOT / "forms").glob("*.ui")):
        target = ROOT / "src" / "riskdesk" / "ui" / "forms" / f"ui_{form.stem}.py"
        subprocess.run([str(uic), str(form), "-o", str(target)], check=True)
        print(f"{form.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Copy the licence texts of everything the bundle ships into resources/licenses/.

Run with the build environment's Python after a dependency change, review the diff and
commit it (resources/THIRD_PARTY_NOTICES.md points at these files):

    .venv/bin/python packaging/collect_licenses.py

Python packages: the licence files in their installed metadata. Qt/PySide6 wheels carry
none, so the GNU texts come from Debian's /usr/share/common-licenses.
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "licenses"

# Distributions the bundle contains (see the notices file), by their PyPI names.
DISTRIBUTIONS = (
    "SQLAlchemy",
    "sqlmodel",
    "alembic",
    "Mako",
    "MarkupSafe",
    "pydantic",
    "pydantic_core",
    "annotated-types",
    "typing-inspection",
    "typing_extensions",
    "reportlab",
    "pillow",  # reportlab's image support; its licence file lists the codecs it bundles
    "openpyxl",
    "et_xmlfile",
    "platformdirs",
    "pyinstaller",  # its bootloader runs riskdesk (GPL-2.0+ with the bootloader exception)
)
COMMON_LICENSES = {"LGPL-3": "LGPL-3.0.txt", "GPL-3": "GPL-3.0.txt", "LGPL-2.1": "LGPL-2.1.txt"}


def licence_files(dist: metadata.Distribution) -> list[Path]:
    found = []
    for entry in dist.files or []:
        name = entry.name.upper()
        if ".dist-info" in str(entry) and name.startswith(("LICEN", "COPYING")):
            found.append(Path(str(dist.locate_file(entry))))
    return sorted(found)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    missing = []
    for name in DISTRIBUTIONS:
        dist = metadata.distribution(name)
        files = licence_files(dist)
        if not files:
            missing.append(name)
            continue
        key = dist.metadata["Name"].lower().replace("_", "-")
        text = "\n\n".join(f.read_text(encoding="utf-8", errors="replace") for f in files)
        header = f"{dist.metadata['Name']} {dist.version}\n{'=' * 60}\n\n"
        (OUT / f"{key}.txt").write_text(header + text, encoding="utf-8")
    python_licence = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if python_licence.is_file():
        shutil.copyfile(python_licence, OUT / "python.txt")
    else:
        missing.append("Python (LICENSE.txt)")
    for source, target in COMMON_LICENSES.items():
        path = Path("/usr/share/common-licenses") / source
        if path.is_file():
            shutil.copyfile(path, OUT / target)
        else:
            missing.append(source)
    for path in sorted(OUT.iterdir()):
        print(f"{path.name:28} {path.stat().st_size:>7} bytes")
    if missing:
        print(f"no licence file found for: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

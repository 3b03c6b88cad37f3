"""What goes into the bundle besides Python modules: read by riskdesk.spec and the tests.

Kept out of the spec so tests can check it without running PyInstaller. Each entry maps
a folder of the checkout to the place the frozen app looks for it: ``riskdesk.paths``
(``resource_path``/``form_path``) and ``riskdesk.store.db.migrations_dir`` both look
under ``sys._MEIPASS/riskdesk/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from collections.abc import Iterable
from pathlib import Path

# (folder in the checkout, folder inside the bundle, file patterns). Whole trees are
# walked so a data file added later (a font, a framework CSV) cannot be forgotten.
DATA_DIRS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("resources", "riskdesk/resources", ("**/*",)),
    ("forms", "riskdesk/forms", ("*.ui",)),
    # Alembic reads the revision files from disk (ScriptDirectory), so they ship as
    # source next to env.py, not only as compiled modules in the archive.
    ("src/riskdesk/store/migrations", "riskdesk/store/migrations", ("*.py", "*.mako")),
    ("src/riskdesk/store/migrations/versions", "riskdesk/store/migrations/versions", ("*.py",)),
)

SKIP_PARTS = frozenset({"__pycache__", ".DS_Store"})
SKIP_SUFFIXES = frozenset({".pyc", ".pyo"})


def project_metadata(root: Path) -> tuple[str, str]:
    """Name and version from pyproject.toml: the one place the version is written."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["name"]), str(project["version"])


def _wanted(path: Path) -> bool:
    return (
        path.is_file()
        and not SKIP_PARTS.intersection(path.parts)
        and path.suffix not in SKIP_SUFFIXES
    )


def data_files(root: Path) -> list[tuple[str, str]]:
    """PyInstaller ``datas``: one (source file, destination folder) pair per file."""
    pairs: list[tuple[str, str]] = []
    for source, dest, patterns in DATA_DIRS:
        base = root / source
        found: set[Path] = set()
        for pattern in patterns:
            found.update(p for p in base.glob(pattern) if _wanted(p))
        for path in sorted(found):
            rel_parent = path.parent.relative_to(base)
            target = Path(dest) / rel_parent if rel_parent.parts else Path(dest)
            pairs.append((str(path), target.as_posix()))
    return pairs


def _usr_twin(path: str) -> str:
    # Debian's merged /usr: a library is found as /lib/… but owned as /usr/lib/… or back.
    return path[4:] if path.startswith("/usr/") else "/usr" + path


def debian_notices(library_paths: Iterable[str], doc_root: Path = Path("/usr/share/doc")) -> str:
    """The copyright files of the Debian packages owning ``library_paths``.

    PyInstaller copies system libraries (xcb, fontconfig, glib, OpenSSL…) into the Linux
    bundle; their licences must travel with them. Empty when dpkg is not available.
    """
    if shutil.which("dpkg-query") is None:
        return ""
    owner_of: dict[str, str] = {}
    for path in library_paths:
        real = os.path.realpath(path)
        for candidate in (path, real, _usr_twin(path), _usr_twin(real)):
            owner_of.setdefault(candidate, Path(path).name)
    if not owner_of:
        return ""
    result = subprocess.run(
        ["dpkg-query", "-S", *sorted(owner_of)], capture_output=True, text=True, check=False
    )
    libraries: dict[str, set[str]] = {}
    for line in result.stdout.splitlines():
        owners, _, path = line.partition(": ")
        if path in owner_of:
            for owner in owners.split(", "):
                libraries.setdefault(owner.split(":")[0], set()).add(owner_of[path])
    sections = []
    for package in sorted(libraries):
        copyright_file = doc_root / package / "copyright"
        text = (
            copyright_file.read_text(encoding="utf-8", errors="replace")
            if copyright_file.is_file()
            else "(the build system had no copyright file for this package)\n"
        )
        names = ", ".join(sorted(libraries[package]))
        sections.append(f"{package}: {names}\n{'=' * 72}\n{text}")
    header = (
        "System libraries in the riskdesk Linux bundle\n\n"
        "Copied by PyInstaller from the Debian system the bundle was built on. Each\n"
        "section names the Debian package, the bundled files, then the package's\n"
        "copyright file (/usr/share/doc/PACKAGE/copyright). Sources: the Debian archive,\n"
        "https://sources.debian.org/ (or `apt-get source PACKAGE`).\n\n"
    )
    return header + "\n\n".join(sections)

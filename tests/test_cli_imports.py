"""The command line imports only what a command needs (issue 19, item 3).

``riskdesk --version`` and ``--help`` build the parser from every command module, so
those modules must not pull in the database, Qt or the export libraries at import
time; ``summary`` opens the register but needs no GUI or export library. Each check
runs in a fresh interpreter, since this test process has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from riskdesk.service.register import RegisterService

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "PySide6", "reportlab", "openpyxl")
EXPORT_AND_GUI = ("PySide6", "reportlab", "openpyxl")


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    script = (
        "import json, sys\n"
        f"{code}\n"
        "sys.__stderr__.write('MODULES=' + json.dumps(sorted(sys.modules)) + '\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES="))
    return set(json.loads(line.removeprefix("MODULES=")))


def top_level(modules: set[str], names: tuple[str, ...]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in names}


def test_importing_the_cli_and_building_its_parser_loads_nothing_heavy() -> None:
    loaded = modules_after(
        "from riskdesk.cli.main import build_parser\n"
        "build_parser()\n"
        "import riskdesk\n"
        "assert riskdesk.__version__\n"
    )
    assert "riskdesk.cli.cmd_summary" in loaded  # the parser did import every command
    assert top_level(loaded, HEAVY) == set()
    # the version is read without importlib.metadata (which costs ~0.1 s to import)
    assert "importlib.metadata" not in loaded


def test_help_and_version_load_nothing_heavy() -> None:
    for flag in ("--help", "--version"):
        loaded = modules_after(
            "import contextlib, io\n"
            "from riskdesk.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            f"        main([{flag!r}])\n"
            "    except SystemExit as exc:\n"
            "        assert exc.code == 0, exc.code\n"
        )
        assert top_level(loaded, HEAVY) == set(), flag


def test_summary_loads_no_gui_and_no_export_library(
    demo_service: RegisterService, db_path: Path
) -> None:
    loaded = modules_after(
        "import contextlib, io\n"
        "from riskdesk.cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main(['summary', '--json', '--db', {str(db_path)!r}])\n"
        "assert code == 0 and json.loads(out.getvalue())['uses'] == 28, out.getvalue()\n"
    )
    assert "riskdesk.service.summary" in loaded
    assert top_level(loaded, EXPORT_AND_GUI) == set()
    # nor the models, the writer or Alembic: a register at the head needs no migration
    assert top_level(loaded, ("sqlmodel", "alembic", "pydantic")) == set()
    assert not {"riskdesk.store.models", "riskdesk.service.register"} & loaded


def test_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    import riskdesk

    assert riskdesk.__version__ == version("riskdesk")
    assert riskdesk._installed_version() == version("riskdesk")


def test_import_format_choices_match_the_importer() -> None:
    # cmd_import keeps its own copy so that --help need not import the importers.
    from riskdesk.cli.cmd_import import FORMATS
    from riskdesk.service.importing import FORMATS as SERVICE_FORMATS

    assert FORMATS == SERVICE_FORMATS

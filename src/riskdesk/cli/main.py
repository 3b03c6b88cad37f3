"""Command line: ``riskdesk`` opens the GUI; sub-commands do headless jobs.

Each sub-command lives in its own module exposing ``add_parser(subparsers)`` and
``run(args) -> int`` and is listed in ``COMMANDS``; heavy imports happen inside
``run`` so ``riskdesk --version`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from riskdesk import __version__

# sub-command name -> module under riskdesk.cli
COMMANDS: dict[str, str] = {
    "demo": "cmd_demo",
    "summary": "cmd_summary",
    "trend": "cmd_trend",
    "export": "cmd_export",
    "check": "cmd_check",
    "calendar": "cmd_calendar",
    "backup": "cmd_backup",
    "gaps": "cmd_gaps",
    "import": "cmd_import",
    "frameworks": "cmd_frameworks",
    "suggest": "cmd_suggest",
    "incidents-like": "cmd_incidents_like",
    "sign": "cmd_sign",
    "evidence": "cmd_evidence",
    "vendors": "cmd_vendors",
    "agents": "cmd_agents",
    "copy": "cmd_copy",
    "team": "cmd_team",
}
BUG_HINT = (
    "This is a bug in riskdesk, not something you did: please report it with the text "
    "above (it holds no register content beyond what the message shows)."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="riskdesk",
        description="A desktop AI risk register. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"riskdesk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="register file or SQLAlchemy URL (default: RISKDESK_DB or the user data folder)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for _name, module_name in COMMANDS.items():
        module = importlib.import_module(f"riskdesk.cli.{module_name}")
        sub = module.add_parser(subparsers)
        # --db is accepted after the sub-command too ("riskdesk demo --db x.db").
        sub.add_argument(
            "--db",
            metavar="PATH",
            default=argparse.SUPPRESS,
            help="register file or SQLAlchemy URL",
        )
        sub.set_defaults(handler=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from riskdesk.ui.app import run_gui

        return run_gui(db=args.db)
    from riskdesk.cli.common import CliError, report_error

    try:
        return int(args.handler(args) or 0)
    except CliError as exc:
        return report_error(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return report_error("interrupted; nothing was changed by the unfinished step", 130)
    except Exception as exc:  # the one place every failure is explained
        known = expected_error(exc)
        if known is not None:
            return report_error(known, 2)
        import traceback

        traceback.print_exc()
        print(f"riskdesk: {BUG_HINT}", file=sys.stderr)
        return 70  # EX_SOFTWARE


def expected_error(exc: BaseException) -> str | None:
    """The one-line message for a failure of the environment (locked, disk full,
    read-only, newer file, not a register…), or None for a genuine bug."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    from riskdesk.service.errors import ServiceError
    from riskdesk.store.errors import StoreError, classify_db_error

    if isinstance(exc, StoreError | ServiceError):
        return str(exc)
    where = getattr(exc, "filename", None) or "the register"
    if isinstance(exc, DBAPIError | sqlite3.OperationalError | sqlite3.DatabaseError):
        return str(classify_db_error(exc, str(where)))
    if isinstance(exc, OSError) and exc.errno is not None:
        from pathlib import Path

        from riskdesk.store.db import classify_os_error

        return str(classify_os_error(exc, Path(str(where))))
    if isinstance(exc, MemoryError):
        return "out of memory; nothing was changed by the unfinished step"
    return None


if __name__ == "__main__":
    sys.exit(main())

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
    "export": "cmd_export",
    "check": "cmd_check",
    "calendar": "cmd_calendar",
    "backup": "cmd_backup",
    "gaps": "cmd_gaps",
    "import": "cmd_import",
    "frameworks": "cmd_frameworks",
    "suggest": "cmd_suggest",
    "incidents-like": "cmd_incidents_like",
    "vendors": "cmd_vendors",
    "agents": "cmd_agents",
}


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


if __name__ == "__main__":
    sys.exit(main())

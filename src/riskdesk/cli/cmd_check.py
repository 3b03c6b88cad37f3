"""``riskdesk check``: is the register the one its audit trail describes?

Exits 0 when SQLite's integrity check passes, the audit hash chain is unbroken and
every record equals its last audited state; otherwise prints the first problem (all
of them with ``--all``) and exits 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from riskdesk.cli.common import CliError, print_json, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="verify the register's integrity and its tamper-evident audit trail",
        description="Run SQLite's integrity check, verify the audit hash chain and check "
        "that every record equals its last audited state. Exit code 0 when all holds, "
        "1 when anything does not (the first problem is printed).",
    )
    parser.add_argument("--all", action="store_true", help="print every problem found")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.paths import default_db_target
    from riskdesk.service.integrity import check_register

    try:
        service = service_from_args(args, create=False)
    except CliError as exc:
        # A register file that exists but cannot be opened has failed its check; a
        # wrong path is a usage error (exit 2).
        target = Path(getattr(args, "db", None) or default_db_target())
        if not target.is_file():
            raise
        print(f"Register: {target}")
        print(f"FAILED: {exc}")
        return 1
    try:
        report = check_register(service.register)
    finally:
        service.register.dispose()
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "register": service.register.display_name,
                "chain_head": report.chain_head,
                "events": report.events,
                "records": report.records,
                "problems": [
                    {
                        "kind": p.kind,
                        "message": p.message,
                        "event_id": p.event_id,
                        "entity": p.entity,
                        "entity_id": p.entity_id,
                    }
                    for p in report.problems
                ],
            }
        )
    else:
        print(f"Register: {service.register.display_name}")
        print(report.summary())
        if args.all:
            for problem in report.problems[1:]:
                print(f"  also: {problem}")
    return 0 if report.ok else 1

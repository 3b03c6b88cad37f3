"""``riskdesk copy --from SOURCE --to TARGET``: move a register between a file and a
PostgreSQL server (either way), audit chain included.

The target must be new or empty. Every row is copied with its id; the copy is then
verified like ``riskdesk check`` and must end at the source's chain head, which is
printed so both can be compared with a board pack.
"""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import CliError


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "copy",
        help="copy a register to a new file or PostgreSQL database, audit trail included",
        description="Copy every record and the whole audit trail of one register into a "
        "new, empty one — a file or a postgresql:// URL — and verify the copy (its chain "
        "must be intact and end at the source's head).",
    )
    parser.add_argument("--from", dest="source", required=True, metavar="SOURCE",
                        help="the register to copy (file or URL)")  # fmt: skip
    parser.add_argument("--to", dest="target", required=True, metavar="TARGET",
                        help="a new register file or an empty database URL")  # fmt: skip
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.errors import ServiceError
    from riskdesk.service.team import copy_register
    from riskdesk.store.db import open_register
    from riskdesk.store.errors import StoreError

    try:
        source = open_register(args.source, create=False)
    except StoreError as exc:
        raise CliError(str(exc), 2) from exc
    try:
        try:
            target = open_register(args.target)
        except StoreError as exc:
            raise CliError(str(exc), 2) from exc
        try:
            report = copy_register(source, target)
        except ServiceError as exc:
            raise CliError(str(exc), 1) from exc
        finally:
            target.dispose()
    finally:
        source.dispose()
    total = sum(n for name, n in report.rows.items() if name != "audit_event")
    print(
        f"copied {total} records and {report.events} audit events to {target.display_name}; "
        f"verified, chain head {report.chain_head}"
    )
    return 0

"""``riskdesk backup``: a consistent copy of the register, checked before it counts."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from riskdesk.cli.common import CliError, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "backup",
        help="copy the register safely, even while the app has it open",
        description="Copy the register with SQLite's online backup API (consistent while "
        "riskdesk or another process has it open), then check that the copy restores: "
        "integrity, audit chain and records. Exit code 1 if the copy fails the check.",
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="backup file to write")
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.backups import BackupError, backup, verify_backup

    service = service_from_args(args, create=False)
    try:
        written = backup(service.register, Path(args.out))
    except BackupError as exc:
        raise CliError(str(exc), 2) from exc
    finally:
        service.register.dispose()
    check = verify_backup(written)
    print(f"Backed up {service.register.display_name} to {written}")
    if check.ok:
        print(f"OK: {check.message}")
    else:
        print(f"FAILED: the copy was written but does not pass the check: {check.message}")
    return 0 if check.ok else 1

"""``riskdesk calendar``: review due dates and acceptance expiries as an .ics file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from riskdesk.cli.common import CliError, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "calendar",
        help="write review due dates and acceptance expiries as an iCalendar file",
        description="Write every review due date, risk-acceptance expiry and control test "
        "date to an iCalendar (RFC 5545) file any calendar application imports.",
    )
    parser.add_argument("--out", required=True, metavar="FILE.ics", help="file to write")
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.calendar_ics import write_calendar

    out = Path(args.out).expanduser()
    if out.is_dir():
        raise CliError(f"{out} is a folder; give a file name such as due-dates.ics", 2)
    service = service_from_args(args, create=False)
    try:
        count = write_calendar(service, out)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}", 2) from exc
    finally:
        service.register.dispose()
    print(f"Wrote {count} due date{'s' if count != 1 else ''} to {out}")
    return 0

"""``riskdesk trend``: the register's direction, one point per quarter.

Reads ``service.trends.register_trend`` — the function the dashboard's trend chart
draws — so the command line and the window show the same figures. A figure nobody
recorded (a past quarter's gaps without an issued pack) is unknown: ``null`` in JSON,
"unknown" in the table, never 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from riskdesk.cli.common import CliError, print_json, service_from_args

# service.trends.QUARTERS, copied so that --help need not import the service (a test
# holds the two equal).
DEFAULT_QUARTERS = 6


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "trend",
        help="show the register's trend, quarter by quarter",
        description=(
            "Show open gaps, overdue reviews, not-assessed and High/Critical uses, "
            "incidents and near misses per quarter: from the board pack issued in the "
            "quarter, else the audit trail; the current quarter is the register now. "
            "A figure that was not recorded is shown as unknown."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--quarters",
        type=int,
        default=DEFAULT_QUARTERS,
        metavar="N",
        help=f"at most N quarters, ending with the current one (default {DEFAULT_QUARTERS})",
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the current day, for the current quarter and review dates (default: today)",
    )
    return parser


def _parse_today(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--today: {text!r} is not a date like 2026-11-01") from None


def trend_record(trend: Any) -> dict[str, Any]:
    """The trend as plain JSON-ready values (``None`` stays ``null``: unknown)."""
    return {
        "started": trend.started.isoformat() if trend.started else None,
        "quarters": [
            {
                "quarter": p.label,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "as_of": p.as_of.isoformat(),
                "source": p.source,
                "values": dict(p.values),
            }
            for p in trend.points
        ],
    }


def _cell(value: int | None) -> str:
    return "unknown" if value is None else f"{value:,}"


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.trends import SERIES, SERIES_LABELS, SOURCE_WORDS, register_trend

    if args.quarters < 1:
        raise CliError("--quarters must be 1 or more")
    today = _parse_today(args.today)
    service = service_from_args(args, create=False)
    trend = register_trend(service, today, quarters=args.quarters)
    if args.json:
        print_json(trend_record(trend))
        return 0
    headers = ["Quarter", "As of", *(SERIES_LABELS[k] for k in SERIES), "Source"]
    rows = [
        [
            p.label,
            p.as_of.isoformat(),
            *(_cell(p.value(k)) for k in SERIES),
            SOURCE_WORDS[p.source],
        ]
        for p in trend.points
    ]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    numeric = range(2, 2 + len(SERIES))
    for row in [headers, *rows]:
        cells = [
            cell.rjust(w) if i in numeric and row is not headers else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    if trend.started is not None:
        print(
            f"Audit trail starts on {trend.started.isoformat()}. Incidents and near misses "
            "are counted in the quarter they were logged; gaps and overdue reviews of a "
            "past quarter are known only when a board pack was issued in it."
        )
    return 0

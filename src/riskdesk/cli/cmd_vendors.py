"""``riskdesk vendors``: provider and model concentration (issue 17)."""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import print_json, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "vendors", help="show which providers and models the register's uses depend on"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.vendors import concentration

    service = service_from_args(args, create=False)
    data = concentration(service)
    if args.json:
        print_json(data.as_dict())
        return 0
    if data.top_provider is None:
        print("No use names a vendor or a catalogued model.")
        return 0
    share = f"{data.top_share:.0%}" if data.top_share is not None else "unknown"
    print(
        f"Top provider: {data.top_provider} — {share} of the "
        f"{data.total_people:,} people affected depend on it"
    )
    print(f"  {'provider':<22} {'uses':>5} {'people':>11} {'high+':>6} {'no fallback':>12}  models")
    for p in data.providers:
        print(
            f"  {p.name[:22]:<22} {p.uses:>5} {p.people:>11,} {p.high_or_critical:>6} "
            f"{p.no_fallback:>12}  {', '.join(p.models)}"
        )
    return 0

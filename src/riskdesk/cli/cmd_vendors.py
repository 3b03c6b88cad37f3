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
    from riskdesk.service.vendors import concentration, share_words

    service = service_from_args(args, create=False)
    data = concentration(service)
    if args.json:
        print_json(data.as_dict())
        return 0
    if data.top_provider is None:
        print("No use names a vendor or a catalogued model.")
        return 0
    print(f"Top provider: {data.top_provider} — {share_words(data)} depend on it")
    # "at least 12,400 (3 uses unknown)" is wider than a number: the column fits its cells
    people = [p.people_words() for p in data.providers]
    wide = max(11, *(len(t) for t in people))
    head = f"  {'provider':<22} {'uses':>5} {'people':>{wide}} {'high+':>6} {'no fallback':>12}"
    print(f"{head}  models")
    for p, reach in zip(data.providers, people, strict=True):
        print(
            f"  {p.name[:22]:<22} {p.uses:>5} {reach:>{wide}} {p.high_or_critical:>6} "
            f"{p.no_fallback:>12}  {', '.join(p.models)}"
        )
    return 0

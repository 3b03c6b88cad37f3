"""``riskdesk summary``: counts of what the register holds."""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import print_json, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "summary", help="print counts of the register's contents"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.summary import register_summary

    service = service_from_args(args, create=False)
    data = register_summary(service)
    if args.json:
        print_json(data)
        return 0
    print(f"Register: {service.register.display_name}")
    for key in ("uses", "risks", "people", "vendors", "incidents"):
        print(f"  {key:<10} {data[key]}")
    print("  by stage:  " + ", ".join(f"{k} {v}" for k, v in data["by_stage"].items()))
    print("  by tier:   " + ", ".join(f"{k} {v}" for k, v in data["by_tier"].items()))
    assessed = data["by_assessment"]
    print(
        f"  assessed:  {assessed['assessed']}, partly {assessed['partly']}, "
        f"not assessed {assessed['not_assessed']}"
    )
    print(f"  {'gaps':<10} {data['gaps']} (riskdesk gaps lists them)")
    return 0

"""``riskdesk summary``: counts of what the register holds."""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import open_from_args, print_json


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "summary", help="print counts of the register's contents"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.summary import register_summary

    # the register alone, not a RegisterService: the writer's imports are not needed
    register = open_from_args(args, create=False)
    data = register_summary(register)
    if args.json:
        print_json(data)
        return 0
    print(f"Register: {register.display_name}")
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

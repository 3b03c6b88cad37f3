"""``riskdesk demo``: write the demo register (a school district and a small company)."""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import CliError, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo",
        help="write a realistic demo register",
        description="Write a deterministic demo register into an empty database.",
    )
    parser.add_argument(
        "--uses",
        type=int,
        default=0,
        help="number of AI uses (default: the 28 curated ones; "
        "e.g. 10000 for benchmarks, with 5 risks each)",
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.demo import build_demo

    if args.uses < 0:
        raise CliError("--uses must be 0 or more")
    service = service_from_args(args)
    if service.count("ai_use") or service.count("person"):
        raise CliError(
            f"{service.register.display_name} already holds a register; the demo is only "
            "written into an empty one (choose a new file with --db).",
            2,
        )
    counts = build_demo(service, uses=args.uses, seed=args.seed)
    print(
        f"Demo register written to {service.register.display_name}: "
        f"{counts['uses']} AI uses, {counts['risks']} risks."
    )
    return 0

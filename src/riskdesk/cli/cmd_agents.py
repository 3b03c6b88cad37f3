"""``riskdesk agents``: each agent's permissions and findings (issue 17)."""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import print_json, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "agents", help="list agent uses with their permissions and permission findings"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.agents import agent_overview

    service = service_from_args(args, create=False)
    data = agent_overview(service)
    if args.json:
        print_json(data)
        return 0
    if not data:
        print("No agent uses.")
        return 0
    for agent in data:
        print(f"{agent['use']} [{agent['tier']}] — {len(agent['permissions'])} permission(s)")
        for p in agent["permissions"]:
            needed = {True: "needed", False: "NOT needed", None: "need unknown"}[p["needed"]]
            env = p["environment"] or "environment unknown"
            print(f"    {p['system']}: {p['access']} on {env}, {needed}")
        for f in agent["findings"]:
            print(f"  ! {f['title']}: {f['reason']} [{', '.join(f['refs'])}]")
    return 0

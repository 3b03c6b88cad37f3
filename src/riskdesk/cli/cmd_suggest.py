"""``riskdesk suggest``: the risks the catalogue suggests for each AI use, with reasons.

Reads ``service.frameworks.suggestions_for_use`` — the same as the use editor's
"Suggested risks" tab — so templates already added to a use are not suggested again.
"""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import CliError, print_json, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "suggest",
        help="list suggested risks for each AI use, with the reasons",
        description=(
            "List, for each AI use that is not retired, the risks its attributes call for "
            "(agent permissions, public chatbot, children's data, decisions about people…), "
            "each with the reason and its framework references."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON (a list of uses)")
    parser.add_argument(
        "--use", type=int, metavar="ID", action="append", help="only this use; may be repeated"
    )
    return parser


def suggestion_record(suggestion: Any) -> dict[str, Any]:
    risk = suggestion.risk
    return {
        "risk_id": risk.id,
        "title": risk.title,
        "category": risk.category,
        "refs": list(risk.taxonomy_refs),
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "rule_id": suggestion.rule_id,
        "reason": suggestion.reason,
        "also": [{"rule_id": r, "reason": why} for r, why in suggestion.also],
    }


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.errors import NotFoundError
    from riskdesk.service.frameworks import register_suggestions, suggestions_for_use

    service = service_from_args(args, create=False)
    if args.use:
        selected = []
        for uid in args.use:
            try:
                selected.append((service.get("ai_use", uid), suggestions_for_use(service, uid)))
            except NotFoundError:
                raise CliError(f"--use: there is no AI use with id {uid}") from None
    else:
        selected = register_suggestions(service)
    records = [
        {
            "use_id": use["id"],
            "use_name": use["name"],
            "suggestion_count": len(suggestions),
            "suggestions": [suggestion_record(s) for s in suggestions],
        }
        for use, suggestions in selected
    ]
    if args.json:
        print_json(records)
        return 0
    for record in records:
        count = record["suggestion_count"]
        print(f"#{record['use_id']} {record['use_name']} — {count} suggested risk(s)")
        for s in record["suggestions"]:
            print(f"  {s['risk_id']:<10} {s['title']}  [{', '.join(s['refs'])}]")
            print(f"  {'':<10} why: {s['reason']}")
            for also in s["also"]:
                print(f"  {'':<10} also: {also['reason']}")
    total = sum(r["suggestion_count"] for r in records)
    print(f"{total} suggestion(s) across {len(records)} AI use(s).")
    return 0

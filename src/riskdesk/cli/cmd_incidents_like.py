"""``riskdesk incidents-like "TEXT"``: search the AI Incident Database snapshot offline.

No register is needed: the snapshot ships with riskdesk. Results carry the data's
CC BY-SA 4.0 attribution, in the text output and in the JSON.
"""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import CliError, print_json


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "incidents-like",
        help="search public AI incidents (AI Incident Database snapshot)",
        description=(
            "Search the AI Incident Database snapshot shipped with riskdesk for incidents "
            "like TEXT (words, best match first). Works offline."
        ),
    )
    parser.add_argument("text", metavar="TEXT", help='what to look for, e.g. "chatbot advice"')
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="at most N incidents (default 10)"
    )
    return parser


def incident_record(hit: Any) -> dict[str, Any]:
    return {
        "incident_id": hit.incident_id,
        "date": hit.date,
        "title": hit.title,
        "description": hit.description,
        "deployers": list(hit.deployers),
        "developers": list(hit.developers),
        "mit_ref": hit.mit_ref,
        "url": hit.url,
        "score": hit.score,
    }


def run(args: argparse.Namespace) -> int:
    from riskdesk.catalogue import CatalogueFileError, search_incidents
    from riskdesk.catalogue.incidents import ATTRIBUTION

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    if not args.text.strip():
        raise CliError("TEXT is empty: give some words to search for")
    try:
        hits = search_incidents(args.text, args.limit)
    except CatalogueFileError as exc:
        raise CliError(f"the incident snapshot cannot be read: {exc}", 2) from exc
    if args.json:
        print_json(
            {
                "query": args.text,
                "attribution": ATTRIBUTION,
                "incidents": [incident_record(h) for h in hits],
            }
        )
        return 0
    if not hits:
        print("No matching incidents.")
    for hit in hits:
        deployers = ", ".join(d.replace("-", " ") for d in hit.deployers) or "deployer not recorded"
        print(f"#{hit.incident_id} {hit.date}  {hit.title}")
        print(f"    {deployers} — {hit.url}")
    print(ATTRIBUTION)
    return 0

"""``riskdesk frameworks``: each framework and how much of it the register's controls cover.

Reads ``service.frameworks.coverage_by_framework`` — the same figures as the GUI's
Frameworks page and the exports — and can add a framework file to the register.
"""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import CliError, print_json, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "frameworks",
        help="list frameworks and their coverage by the register's controls",
        description=(
            "List each framework (built-in and added to this register): its items, how "
            "many are covered by implemented or tested controls, how many only by planned "
            "ones, and how many not at all."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON (a list of frameworks)")
    parser.add_argument(
        "--show",
        metavar="ID",
        help="also list the covered, planned-only and uncovered items of this framework",
    )
    parser.add_argument(
        "--add",
        metavar="FILE",
        help="first add a framework CSV file (docs/frameworks.md) to the register",
    )
    parser.add_argument(
        "--template",
        metavar="FILE",
        help="write a framework template CSV to fill in, and stop",
    )
    return parser


def _items(items: Any) -> list[dict[str, str]]:
    return [{"ref": i.ref, "title": i.title} for i in items]


def run(args: argparse.Namespace) -> int:
    from riskdesk.catalogue import FrameworkFileError
    from riskdesk.service.errors import ServiceError
    from riskdesk.service.frameworks import (
        add_user_framework,
        coverage_by_framework,
        write_template,
    )
    from riskdesk.store.errors import StoreError

    if args.template:
        try:
            path = write_template(args.template)
        except OSError as exc:
            raise CliError(f"cannot write {args.template}: {exc.strerror or exc}") from exc
        print(f"Wrote a framework template to {path}")
        return 0
    service = service_from_args(args, create=False)
    if args.add:
        try:
            added = add_user_framework(service, args.add)
        except FrameworkFileError as exc:
            raise CliError(str(exc)) from exc
        except (ServiceError, StoreError) as exc:
            raise CliError(str(exc), 2) from exc
        if not args.json:
            print(f"Added {added.name} ({added.id}, {len(added)} items) to the register.")
    rows = coverage_by_framework(service)
    shown = None
    if args.show:
        shown = next((fc for fc in rows if fc.framework.id == args.show.casefold()), None)
        if shown is None:
            known = ", ".join(fc.framework.id for fc in rows)
            raise CliError(f"--show: no framework '{args.show}' (known: {known})")
    records = []
    for fc in rows:
        record = fc.record()
        if fc is shown:
            record["covered_items"] = _items(fc.coverage.covered_items)
            record["planned_items"] = _items(fc.coverage.planned_only_items)
            record["uncovered_items"] = _items(fc.coverage.uncovered_items)
        records.append(record)
    if args.json:
        print_json(records)
        return 0
    print(f"{'framework':<28} {'items':>5} {'covered':>8} {'planned':>8} {'uncovered':>9}  name")
    for r in records:
        mark = "" if r["builtin"] else "  (added to this register)"
        print(
            f"{r['id']:<28} {r['items']:>5} {r['covered']:>8} {r['planned']:>8} "
            f"{r['uncovered']:>9}  {r['name']} — {r['percent']:.1f}% covered{mark}"
        )
    print("Covered = cited by an implemented or tested control; planned = only by planned ones.")
    if shown is not None:
        cov = shown.coverage
        for title, items in (
            ("Covered", cov.covered_items),
            ("Planned only", cov.planned_only_items),
            ("Uncovered", cov.uncovered_items),
        ):
            print(f"\n{title} ({len(items)}):")
            for item in items:
                print(f"  {item.ref:<14} {item.title}")
    return 0

"""``riskdesk evidence``: files inside the register, attached to what they support.

``add`` stores a file (at most 100 MB) and attaches it; ``list`` shows current evidence
(``--all`` adds replaced and removed revisions); ``get`` writes a revision's file back,
byte for byte; ``replace`` adds a new revision; ``remove`` retires one. Every change is
an audited action whose event carries the file's SHA-256.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from riskdesk.cli.common import CliError, print_json, service_from_args

TARGET_HELP = (
    "what it supports, as KIND:ID with KIND one of use, risk, control, review, challenge, "
    "incident, vendor (e.g. vendor:3); repeat for more"
)
KIND_HELP = (
    "policy, contract (or DPA), test_result, assessment, model_card, screenshot or other "
    "(default: other)"
)


def _db(parser: argparse.ArgumentParser) -> None:
    # --db is accepted after the action too ("riskdesk evidence add --db x.db ...").
    parser.add_argument(
        "--db", metavar="PATH", default=argparse.SUPPRESS, help="register file or SQLAlchemy URL"
    )


def _metadata(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--title", help="default: the file name without its extension")
    parser.add_argument("--kind", help=KIND_HELP)
    parser.add_argument("--valid-until", metavar="DATE", help="last day it is valid (YYYY-MM-DD)")
    parser.add_argument("--date", metavar="DATE", help="the document's own date (YYYY-MM-DD)")
    parser.add_argument("--by", type=int, metavar="PERSON_ID", help="the person who provides it")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "evidence",
        help="attach evidence files (a signed DPA, a bias test) and get them back",
        description="Store evidence files inside the register, attached to uses, risks, "
        "controls, reviews, challenges, incidents or vendors. Files are kept once per "
        "content (SHA-256), at most 100 MB each; every change is audited with the hash "
        "and riskdesk check verifies every file.",
    )
    actions = parser.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="store a file and attach it", description=__doc__)
    add.add_argument("path", metavar="PATH", help="the file to store")
    add.add_argument("--to", action="append", required=True, metavar="KIND:ID", help=TARGET_HELP)
    _metadata(add)
    _db(add)

    listing = actions.add_parser("list", help="list evidence with its hash and expiry")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.add_argument(
        "--all", action="store_true", help="include replaced and removed revisions"
    )
    _db(listing)

    get = actions.add_parser("get", help="write a stored file back, byte for byte")
    get.add_argument("id", type=int, metavar="ID", help="evidence id (any revision)")
    get.add_argument(
        "--out", required=True, metavar="PATH", help="file to write (or an existing folder)"
    )
    get.add_argument("--force", action="store_true", help="overwrite an existing file")
    _db(get)

    replace = actions.add_parser("replace", help="store a new revision; the old one is kept")
    replace.add_argument("id", type=int, metavar="ID", help="the current revision's id")
    replace.add_argument("path", metavar="PATH", help="the new file")
    _metadata(replace)
    _db(replace)

    remove = actions.add_parser("remove", help="remove evidence (kept in the audit trail)")
    remove.add_argument("id", type=int, metavar="ID")
    _db(remove)
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.errors import ServiceError
    from riskdesk.store.errors import StoreError

    service = service_from_args(args, create=False)
    try:
        handler = {
            "add": _add,
            "list": _list,
            "get": _get,
            "replace": _replace,
            "remove": _remove,
        }[args.evidence_command]
        return handler(service, args)
    except (ServiceError, StoreError) as exc:
        raise CliError(str(exc), 2) from exc
    finally:
        service.register.dispose()


def _metadata_values(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": args.title,
        "dated": args.date,
        "valid_until": args.valid_until,
        "added_by_id": args.by,
    }
    if args.kind:
        values["kind"] = args.kind
    return values


def _report_added(verb: str, added: Any, attached: str) -> None:
    print(
        f"{verb} evidence {added.evidence_id}: {added.size:,} bytes, "
        f"SHA-256 {added.sha256}{attached}"
    )
    for warning in added.warnings:
        print(f"riskdesk: warning: {warning}", file=sys.stderr)


def _add(service: Any, args: argparse.Namespace) -> int:
    from riskdesk.service.evidence import add_evidence

    added = add_evidence(service, Path(args.path), to=args.to, **_metadata_values(args))
    _report_added("Added", added, f", attached to {', '.join(args.to)}")
    return 0


def _replace(service: Any, args: argparse.Namespace) -> int:
    from riskdesk.service.evidence import replace_evidence

    added = replace_evidence(service, args.id, Path(args.path), **_metadata_values(args))
    _report_added("Replaced", added, f" (new revision of evidence {args.id})")
    return 0


def _remove(service: Any, args: argparse.Namespace) -> int:
    from riskdesk.service.evidence import remove_evidence

    remove_evidence(service, args.id)
    print(f"Removed evidence {args.id} (its file and history stay in the audit trail)")
    return 0


def _list(service: Any, args: argparse.Namespace) -> int:
    from riskdesk.service.evidence import list_evidence

    today = dt.date.today()
    items = list_evidence(service, include_old=args.all)
    if args.json:
        print_json([e.record(today) for e in items])
        return 0
    if not items:
        print("No evidence in this register.")
        return 0
    print(f"{'id':>4}  {'kind':<12} {'valid until':<11} {'status':<12} {'attached to':<24} title")
    for e in items:
        attached = ", ".join(str(t) for t in e.attached_to) or "-"
        until = e.valid_until.isoformat() if e.valid_until else "-"
        print(
            f"{e.id:>4}  {e.kind:<12} {until:<11} {e.status(today):<12} {attached:<24} "
            f"{e.title}  (SHA-256 {e.sha256[:12]}…)"
        )
    return 0


def _get(service: Any, args: argparse.Namespace) -> int:
    from riskdesk.service.evidence import evidence_bytes, evidence_info

    info = evidence_info(service, args.id)
    out = Path(args.out).expanduser()
    if out.is_dir():
        out = out / (Path(info.file_name).name or f"evidence-{info.id}")
    if out.exists() and not args.force:
        raise CliError(f"{out} already exists; choose another --out or add --force", 2)
    data = evidence_bytes(service, args.id)
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CliError(f"could not write {out}: {exc.strerror or exc}", 2) from exc
    print(f"Wrote {out} ({len(data):,} bytes, SHA-256 {info.sha256})")
    return 0

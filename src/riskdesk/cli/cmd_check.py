"""``riskdesk check``: is the register the one its audit trail describes?

Exits 0 when SQLite's integrity check passes, the schema is riskdesk's own, the audit
hash chain is unbroken and still holds what this machine last saw, every board pack's
head is on it, and every record equals its last audited state with derived values
that follow from it; otherwise prints the first problem (all of them with ``--all``)
and exits 1. What it could not verify is printed as "Not verified:" lines.

``--head HASH`` answers a board member's question instead: is this head (printed in a
pack) on the chain, with every event up to it intact? Exit 0 if so. When the register
has a signing key and a passphrase is given (``RISKDESK_PASSPHRASE`` or the prompt), the
head's signature must verify too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from riskdesk.cli.common import CliError, print_json, read_passphrase, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="verify the register's integrity and its tamper-evident audit trail",
        description="Run SQLite's integrity check, compare the schema with riskdesk's, "
        "verify the audit hash chain against itself and against what this machine last "
        "saw, check every board pack's head, that every record equals its last audited "
        "state and that derived scores follow from the records. Exit code 0 when all "
        "holds, 1 when anything does not (the first problem is printed). With --head, "
        "exit 0 when that head is on the chain and the chain is intact up to it.",
    )
    parser.add_argument("--all", action="store_true", help="print every problem found")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--head",
        metavar="HASH",
        help="confirm a chain head printed in a board pack (and its signature, when the "
        "register has a signing key and a passphrase is given)",
    )
    parser.add_argument(
        "--forget-anchor",
        action="store_true",
        help="forget what this machine recorded of the register's audit chain (after "
        "restoring an older copy on purpose); the check then records it afresh",
    )
    parser.add_argument(
        "--no-prompt",
        action="store_true",
        help="never ask for the signing passphrase (use RISKDESK_PASSPHRASE if set)",
    )
    return parser


def _problems_json(report: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": p.kind,
            "message": p.message,
            "event_id": p.event_id,
            "entity": p.entity,
            "entity_id": p.entity_id,
        }
        for p in report.problems
    ]


def _check_head(args: argparse.Namespace, service: Any, report: Any) -> int:
    from riskdesk.service.integrity import verify_head
    from riskdesk.service.signing import has_key, verify_head_signature

    found = verify_head(service.register, args.head)
    ok = found.ok
    signature: str | None = None
    if ok and has_key(service):
        passphrase = read_passphrase(prompt=not args.no_prompt)
        if passphrase is None:
            signature = "not verified: the register has a signing key but no passphrase was given"
        else:
            sig = verify_head_signature(service, found.head, passphrase)
            signature = sig.message
            ok = sig.ok
    if args.json:
        print_json(
            {
                "ok": ok,
                "register": service.register.display_name,
                "head": found.head,
                "head_message": found.message,
                "event_id": found.event_id,
                "signature": signature,
                "register_ok": report.ok,
                "problems": _problems_json(report),
                "not_verified": report.notes,
            }
        )
        return 0 if ok else 1
    print(f"Register: {service.register.display_name}")
    print(f"{'CONFIRMED' if ok else 'NOT CONFIRMED'}: head {found.head[:64]} {found.message}")
    if signature is not None:
        print(f"Signature: {signature}")
    if not report.ok:
        print(f"The register as it is now: {report.summary()}")
    return 0 if ok else 1


def run(args: argparse.Namespace) -> int:
    from riskdesk.paths import default_db_target
    from riskdesk.service.integrity import check_register

    try:
        service = service_from_args(args, create=False, warn=False)
    except CliError as exc:
        # A register file that exists but cannot be opened has failed its check; a
        # wrong path is a usage error (exit 2).
        target = Path(getattr(args, "db", None) or default_db_target())
        if not target.is_file():
            raise
        print(f"Register: {target}")
        print(f"FAILED: {exc}")
        return 1
    if args.forget_anchor and service.register.path is not None:
        from riskdesk.store.anchors import forget

        if forget(service.register.path):
            print("Forgot this machine's record of the audit chain.", file=sys.stderr)
    try:
        report = check_register(service.register)
        if args.head is not None:
            return _check_head(args, service, report)
    finally:
        service.register.dispose()
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "register": service.register.display_name,
                "chain_head": report.chain_head,
                "events": report.events,
                "records": report.records,
                "problems": _problems_json(report),
                "not_verified": report.notes,
            }
        )
    else:
        print(f"Register: {service.register.display_name}")
        print(report.summary())
        if args.all:
            for problem in report.problems[1:]:
                print(f"  also: {problem}")
        for note in report.notes:
            print(f"Not verified: {note}")
        if service.register.read_only:
            print("(opened read-only: nothing was written)", file=sys.stderr)
    return 0 if report.ok else 1

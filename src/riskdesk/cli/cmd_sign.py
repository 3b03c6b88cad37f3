"""``riskdesk sign``: set the register's signing key, or sign its current chain head.

The passphrase comes from ``RISKDESK_PASSPHRASE`` or a prompt; it is never stored (see
``service/signing.py``). Board packs exported with the passphrase in the environment
are signed as they are recorded; ``riskdesk check --head HASH`` verifies.
"""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli.common import CliError, read_passphrase, service_from_args


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sign",
        help="set a signing key, or sign the current audit chain head",
        description="With --set-key, derive a signing key from a passphrase (scrypt; the "
        "salt is stored in the register, the passphrase nowhere) so that chain heads can "
        "be signed. Without it, sign the register's current chain head. The passphrase "
        "is read from RISKDESK_PASSPHRASE or asked for.",
    )
    parser.add_argument("--set-key", action="store_true", help="set the register's signing key")
    parser.add_argument(
        "--head",
        metavar="HASH",
        help="sign this earlier head (e.g. a pack exported without the passphrase); it "
        "must be on the intact chain",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from riskdesk.service.integrity import chain_head, verify_head
    from riskdesk.service.signing import SigningError, set_key, sign_head

    passphrase = read_passphrase(prompt=True, confirm=args.set_key)
    if passphrase is None:
        raise CliError("no passphrase: set RISKDESK_PASSPHRASE or run in a terminal", 2)
    service = service_from_args(args, create=False)
    try:
        if args.set_key:
            set_key(service, passphrase)
            print(f"Signing key set for {service.register.display_name}.")
            return 0
        head = chain_head(service)
        if args.head:
            found = verify_head(service.register, args.head)
            if not found.ok:
                raise CliError(f"not signed: head {args.head} {found.message}", 1)
            head = found.head
        sign_head(service, head, passphrase)
        print(f"Signed chain head {head}.")
        return 0
    except SigningError as exc:
        raise CliError(str(exc), 1) from exc
    finally:
        service.register.dispose()

"""Helpers shared by the sub-commands: opening the register, errors, JSON output."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any

from riskdesk.store.errors import StoreError

if TYPE_CHECKING:
    # sqlmodel and the service layer load only when a command opens the register, so
    # `riskdesk --help` (which imports every command module) stays instant.
    from riskdesk.service.errors import ServiceError
    from riskdesk.service.register import RegisterService
    from riskdesk.store.db import Register


class CliError(Exception):
    """A failure to report in one line on stderr, with an exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def report_error(message: str, code: int) -> int:
    # One line, whatever the message holds: a script reading stderr gets one line.
    print(f"riskdesk: error: {' '.join(message.split())}", file=sys.stderr)
    return code


def open_from_args(args: argparse.Namespace, *, create: bool = True, warn: bool = True) -> Register:
    """Open ``--db``; ``warn`` prints what the open noticed (this machine's chain
    anchor no longer matching) on stderr — ``check`` reports it itself."""
    from riskdesk.paths import default_db_target
    from riskdesk.store.db import open_register

    target = getattr(args, "db", None) or default_db_target()
    try:
        register = open_register(target, create=create)
    except StoreError as exc:
        raise CliError(str(exc), 2) from exc
    if warn:
        for warning in register.warnings:
            print(f"riskdesk: warning: {warning} (run riskdesk check)", file=sys.stderr)
    return register


def service_from_args(
    args: argparse.Namespace, *, create: bool = True, warn: bool = True
) -> RegisterService:
    from riskdesk.service.register import RegisterService

    return RegisterService(open_from_args(args, create=create, warn=warn))


def read_passphrase(*, prompt: bool, confirm: bool = False) -> str | None:
    """The signing passphrase: ``RISKDESK_PASSPHRASE``, else asked for on a terminal."""
    import getpass
    import os

    from riskdesk.service.signing import PASSPHRASE_ENV

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not prompt or not sys.stdin.isatty():
        return None
    first = getpass.getpass("Signing passphrase: ")
    if confirm and getpass.getpass("Again, to confirm: ") != first:
        raise CliError("the two passphrases differ; nothing was changed", 2)
    return first or None


def fail_on_service_error(exc: ServiceError | StoreError) -> CliError:
    return CliError(str(exc), 2)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(type(value).__name__)


def print_json(data: Any) -> None:
    """``json.dump(data, indent=2, ensure_ascii=False)`` plus a newline, byte for byte,
    written in 64 KiB pieces: one string of the whole document would hold it all in
    memory (``gaps --json`` at 100,000 uses), and a list given as a generator-backed
    list (``cmd_gaps``) is encoded item by item as it is walked."""
    pending: list[str] = []
    size = 0
    if isinstance(data, list | tuple) and data:
        pending.append("[\n  ")
        for i, item in enumerate(data):
            if i:
                pending.append(",\n  ")
            mark = len(pending)
            _encode(item, 1, pending)
            size += sum(len(chunk) for chunk in pending[mark:])
            if size >= 65536:
                sys.stdout.write("".join(pending))
                pending, size = [], 0
        pending.append("\n]")
    else:
        _encode(data, 0, pending)
    pending.append("\n")
    sys.stdout.write("".join(pending))


def _encode(value: Any, level: int, out: list[str]) -> None:
    """Append ``value`` as ``json``'s indent=2 encoder writes it at ``level``.

    The standard library encodes with ``indent`` in Python generators, a third of
    ``gaps --json``'s time; this is the same walk as plain calls, each string escaped
    by the same C function. ``tests/test_cli.py`` holds the two byte-identical.
    """
    if isinstance(value, str):
        out.append(_escape(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_JSON.encode(value))  # repr, or NaN / Infinity as json writes them
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        out.append("[" + inner)
        for i, item in enumerate(value):
            if i:
                out.append("," + inner)
            _encode(item, level + 1, out)
        out.append("\n" + "  " * level + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        out.append("{" + inner)
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append("," + inner)
            if not isinstance(key, str):  # json's own spelling of an int, float, bool key
                key = _JSON.encode({key: None})[1:-7]
                out.append(key + ": ")
            else:
                out.append(_escape(key) + ": ")
            _encode(item, level + 1, out)
        out.append("\n" + "  " * level + "}")
    else:
        _encode(_json_default(value), level, out)


_JSON = json.JSONEncoder(ensure_ascii=False)
_escape = json.encoder.encode_basestring  # type: ignore[attr-defined]

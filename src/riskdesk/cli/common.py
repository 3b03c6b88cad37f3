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
    print(f"riskdesk: error: {message}", file=sys.stderr)
    return code


def open_from_args(args: argparse.Namespace, *, create: bool = True) -> Register:
    from riskdesk.paths import default_db_target
    from riskdesk.store.db import open_register

    target = getattr(args, "db", None) or default_db_target()
    try:
        return open_register(target, create=create)
    except StoreError as exc:
        raise CliError(str(exc), 2) from exc


def service_from_args(args: argparse.Namespace, *, create: bool = True) -> RegisterService:
    from riskdesk.service.register import RegisterService

    return RegisterService(open_from_args(args, create=create))


def fail_on_service_error(exc: ServiceError | StoreError) -> CliError:
    return CliError(str(exc), 2)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(type(value).__name__)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, default=_json_default, ensure_ascii=False)
    sys.stdout.write("\n")

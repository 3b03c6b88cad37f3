"""``riskdesk import``: a spreadsheet, an OMB inventory or riskdesk's own export, in.

The file is read and checked before the register is opened, so a file that cannot be
read leaves even a register that does not exist yet alone. Exit codes: 0 imported
(with ``--skip-invalid``, the valid rows), 1 problems stopped the import and nothing
was written, 2 the file, the mapping or the register could not be read.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from riskdesk.cli.common import CliError, print_json, service_from_args

WARNINGS_SHOWN = 5
FORMAT_NAMES = {
    "riskdesk": "riskdesk export",
    "table": "table",
    "omb-2023": "OMB 2023 (EO 13960) inventory",
    "omb-2024": "OMB 2024 (M-24-10) inventory",
    "omb-2025": "OMB 2025 (M-25-21) inventory",
}
# entity -> (one, many)
NOUNS: dict[str, tuple[str, str]] = {
    "ai_use": ("AI use", "AI uses"),
    "vendor": ("vendor", "vendors"),
    "person": ("person", "people"),
    "control": ("control", "controls"),
    "risk": ("risk", "risks"),
    "risk_control": ("risk–control link", "risk–control links"),
    "incident": ("incident", "incidents"),
    "incident_risk": ("incident–risk link", "incident–risk links"),
    "challenge": ("challenge", "challenges"),
    "org_profile": ("organisation profile", "organisation profiles"),
}


# The --format choices, without importing the importers (openpyxl, sqlmodel) just to build
# `riskdesk --help`; tests/test_cli_imports.py checks they equal service.importing.FORMATS.
FORMATS: tuple[str, ...] = ("auto", *FORMAT_NAMES)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "import",
        help="import AI uses from a spreadsheet, an OMB inventory or a riskdesk export",
        description=(
            "Import AI uses from an Excel workbook or CSV file: your own register (columns "
            "matched by their headers), a US federal AI use-case inventory (OMB 2023, "
            "2024, 2025), or riskdesk's own Excel export. Every row is validated; without "
            "--skip-invalid one problem stops the whole import and nothing is written."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the .xlsx or .csv file to import")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="auto",
        help="what the file is (default: auto, recognised from its sheets and headers)",
    )
    parser.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read")
    parser.add_argument(
        "--mapping", metavar="MAP.json", help="a saved column mapping to use as it is"
    )
    parser.add_argument(
        "--save-mapping",
        metavar="MAP.json",
        help="save the column mapping used, to edit it or reuse it next time",
    )
    parser.add_argument("--dry-run", action="store_true", help="check everything and write nothing")
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid rows and report the others (default: all or nothing)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    limits = parser.add_argument_group(
        "read limits", "a file over a limit is refused before it fills the memory"
    )
    limits.add_argument(
        "--max-rows", type=_positive, metavar="N", help="rows per sheet (default 200,000)"
    )
    limits.add_argument(
        "--max-columns", type=_positive, metavar="N", help="columns in use (default 500)"
    )
    limits.add_argument(
        "--max-cell", type=_positive, metavar="N", help="characters in a cell (default 1,000,000)"
    )
    limits.add_argument(
        "--max-mb",
        type=_positive,
        metavar="N",
        help="megabytes of file (default 100), and 5 times that unpacked (default 512)",
    )
    return parser


def _positive(text: str) -> int:
    try:
        number = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _limits(args: argparse.Namespace) -> Any:
    """The read limits, the defaults with the flags given."""
    import dataclasses

    from riskdesk.importers.limits import MIB, ReadLimits

    limits = ReadLimits()
    changes: dict[str, int] = {}
    if args.max_rows:
        changes["rows"] = args.max_rows
    if args.max_columns:
        changes["columns"] = args.max_columns
    if args.max_cell:
        changes["cell_chars"] = args.max_cell
    if args.max_mb:
        changes["file_bytes"] = args.max_mb * MIB
        changes["unpacked_bytes"] = max(limits.unpacked_bytes, 5 * args.max_mb * MIB)
    return dataclasses.replace(limits, **changes)


def _count(entity: str, n: int) -> str:
    one, many = NOUNS.get(entity, (entity, entity))
    return f"{n:,} {one if n == 1 else many}"


def _created_text(created: dict[str, int]) -> str:
    shown = {e: created.get(e, 0) for e in ("ai_use", "vendor", "person")}
    shown.update(created)
    return ", ".join(_count(e, n) for e, n in shown.items() if n or e == "ai_use")


def _read(args: argparse.Namespace) -> Any:
    """The file read and mapped: an ``ImportPlan`` or a ``RiskdeskBook``."""
    from riskdesk.importers import ImportFileError, Mapping, read_inventory
    from riskdesk.importers.riskdesk_format import FORMAT, read_riskdesk
    from riskdesk.service.importing import detect_file_format

    mapping = None
    if args.mapping:
        try:
            mapping = Mapping.load(args.mapping)
        except ValueError as exc:
            raise CliError(str(exc), 2) from exc
    fmt = args.format
    try:
        if fmt == "auto" and mapping is None:
            fmt = detect_file_format(args.file) or "auto"
        if fmt == FORMAT:
            if mapping is not None or args.save_mapping:
                raise CliError("a riskdesk export needs no column mapping", 2)
            if args.sheet:
                raise CliError("a riskdesk export is read whole; --sheet does not apply", 2)
            return read_riskdesk(args.file)
        return read_inventory(args.file, fmt, args.sheet, mapping)
    except ImportFileError as exc:
        raise CliError(str(exc.problem), _file_error_code(args, fmt)) from exc


def _file_error_code(args: argparse.Namespace, fmt: str) -> int:
    """2 if the file cannot be read at all; 1 if it reads but cannot be imported as it is
    (no column holds the names, no rows under the header)."""
    from riskdesk.importers import ImportFileError, read_table
    from riskdesk.importers.omb import is_inventory_header
    from riskdesk.importers.riskdesk_format import FORMAT

    if fmt == FORMAT:
        return 2
    try:
        read_table(args.file, args.sheet, known_header=is_inventory_header)
    except ImportFileError:
        return 2
    return 1


def _open_service(args: argparse.Namespace) -> Any:
    """The register; a dry run against one that does not exist yet checks against an
    empty register in memory, so that even the file is not created."""
    from riskdesk.paths import default_db_target
    from riskdesk.service.register import RegisterService
    from riskdesk.store.db import open_register, to_url

    target = getattr(args, "db", None) or default_db_target()
    _url, path = to_url(target)
    if args.dry_run and path is not None and not path.exists():
        return RegisterService(open_register("sqlite://"))
    return service_from_args(args)


def _print_report(report: Any, described: str, target: str) -> None:
    print(f"{report.file}: {described}, {report.rows_read:,} rows")
    created = _created_text(report.created)
    if report.stopped:
        print("Nothing was imported.")
    elif report.dry_run:
        print(f"Would import {created} into {target}; nothing was written (dry run).")
    else:
        print(f"Imported {created} into {target}.")
    if report.matched and not report.stopped:
        used = ", ".join(_count(e, n) for e, n in report.matched.items())
        print(f"Linked to records already in the register: {used}.")
    if report.rows_skipped:
        print(f"{report.rows_skipped:,} rows were left out as not AI uses.")
    if report.warnings:
        shown = report.warnings[:WARNINGS_SHOWN]
        more = len(report.warnings) - len(shown)
        print(
            f"{len(report.warnings):,} warning(s)"
            + (f"; the first {len(shown)} (--json lists all):" if more else ":")
        )
        for warning in shown:
            print(f"  {warning}")
    if report.problems:
        if report.stopped:
            print(f"{len(report.problems):,} problem(s):")
        else:
            print(f"{report.rows_rejected:,} row(s) with problems were left out:")
        for problem in report.problems:
            print(f"  {problem}")


def run(args: argparse.Namespace) -> int:
    from riskdesk.importers import ImportPlan
    from riskdesk.importers.limits import read_limits
    from riskdesk.service.importing import import_book, import_plan
    from riskdesk.store.errors import StoreError

    with read_limits(_limits(args)):
        source = _read(args)
    if isinstance(source, ImportPlan):
        if args.save_mapping:
            try:
                source.mapping.save(args.save_mapping)
            except OSError as exc:
                raise CliError(f"cannot save the mapping: {exc}", 2) from exc
        described = source.mapping.description or FORMAT_NAMES.get(source.format, source.format)
    else:
        described = FORMAT_NAMES["riskdesk"]
    service = _open_service(args)
    options = {"dry_run": args.dry_run, "skip_invalid": args.skip_invalid}
    try:
        if isinstance(source, ImportPlan):
            report = import_plan(service, source, **options)
        else:
            report = import_book(service, source, **options)
    except StoreError as exc:
        raise CliError(str(exc), 2) from exc
    finally:
        service.register.dispose()
    target = getattr(args, "db", None) or service.register.display_name
    if args.json:
        print_json(report.to_dict())
    else:
        _print_report(report, described, str(target))
    if report.stopped:
        what = "would stop" if args.dry_run else "stopped"
        raise CliError(
            f"{len(report.problems):,} problem(s) in {Path(args.file).name} {what} the import: "
            "nothing was written. Fix them, or use --skip-invalid to import the valid rows",
            1,
        )
    return 0

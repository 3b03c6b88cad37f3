"""``riskdesk export``: the Excel register, the PDF board pack, a CSV dump of every table,
or the evidence files with a manifest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from riskdesk.cli.common import CliError, service_from_args

FORMATS = ("xlsx", "pdf", "csv", "evidence")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export",
        help="export the register to Excel, a PDF board pack or CSV",
        description=(
            "Write the register to a file. xlsx: the Excel register (one sheet per table). "
            "pdf: the board pack, a draft unless --issue records it as the baseline the next "
            "pack compares with. csv: one CSV file per table, in a .zip or (other names) a folder. "
            "evidence: every current evidence file with manifest.csv and SHA256SUMS, in a "
            ".zip or a folder."
        ),
    )
    parser.add_argument("--format", choices=FORMATS, help="default: from the --out suffix")
    parser.add_argument("--out", required=True, metavar="FILE", help="file (or folder) to write")
    parser.add_argument(
        "--no-appendix",
        action="store_true",
        help="pdf: leave out the appendix listing every use and risk",
    )
    parser.add_argument(
        "--issue",
        action="store_true",
        help="pdf: issue the pack to the board: record it in the register as the baseline "
        'the next pack\'s "what changed" compares with (without it: a draft)',
    )
    parser.add_argument(
        "--no-record",
        action="store_true",
        help="pdf: a draft that is not recorded (the default; kept for old scripts)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    return parser


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix in ("xlsx", "pdf"):
        return suffix
    if suffix == "zip":
        return "csv"
    raise CliError(
        "say which format with --format xlsx|pdf|csv|evidence (the --out name does not)", 2
    )


def run(args: argparse.Namespace) -> int:
    from riskdesk.reports import ExportCancelled, ExportError, export_csv, export_pdf, export_xlsx
    from riskdesk.service.errors import ServiceError
    from riskdesk.store.errors import StoreError

    fmt = _format(args)
    out = Path(args.out).expanduser()
    service = service_from_args(args, create=False)
    try:
        if fmt == "xlsx":
            export_xlsx(service, out)
        elif fmt == "pdf":
            issued = args.issue and not args.no_record
            export_pdf(service, out, appendix=not args.no_appendix, record=issued)
        elif fmt == "evidence":
            from riskdesk.reports.evidence_export import export_evidence

            export_evidence(service, out)
        else:
            export_csv(service, out)
    except (ExportError, ServiceError, StoreError) as exc:
        raise CliError(f"could not write {out}: {exc}", 2) from exc
    except ExportCancelled as exc:  # pragma: no cover - the CLI never cancels
        raise CliError(str(exc), 130) from exc
    except PermissionError as exc:
        raise CliError(f"could not write {out}: permission denied", 2) from exc
    except OSError as exc:
        raise CliError(f"could not write {out}: {exc.strerror or exc}", 2) from exc
    if not args.quiet:
        note = ""
        if fmt == "pdf":
            note = (
                " (issued: the next pack's baseline)"
                if args.issue and not args.no_record
                else " (a draft: not recorded; --issue issues it)"
            )
        print(f"Wrote {out}{note}", file=sys.stdout)
    return 0

#!/usr/bin/env python3
"""Export benchmark: prints figures (not a timed test; machines here are noisy).

On a register of 10,000 uses and about 50,000 risks it measures, each in a fresh
process (so peak memory is the export's own):

- the Excel register, against openpyxl's write-only floor for the same cells (the
  same values appended to a write-only workbook, nothing else) — target ≤ 1.5×; the
  floor is also shown with the cycle collector paused, as the export runs;
- the board pack without the appendix — target < 2 s;
- the board pack with the full appendix — target < 30 s;
- the CSV tables (zip);
- peak memory of each — target < 500 MB.

Each figure is the best of ``--repeat`` runs. The register is copied first, because
a board pack records itself in the register it comes from.

    python benchmarks/export_bench.py [--uses 10000] [--db PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = ("floor", "floor-nogc", "xlsx", "pdf", "pdf-appendix", "csv")


def child(kind: str, db: Path, out: Path) -> dict[str, float]:
    """Run one export in this process; return seconds and peak memory."""
    from riskdesk.service.register import RegisterService
    from riskdesk.store.db import open_register

    svc = RegisterService(open_register(db), actor="bench")
    if kind in ("floor", "floor-nogc"):
        import gc

        from openpyxl import Workbook, load_workbook

        from riskdesk.reports.xlsx import export_xlsx

        # the cells of our own export (issue 19: it streams; there is no loaded register)
        source = load_workbook(export_xlsx(svc, out / "source.xlsx"), read_only=True)
        sheets = [(ws.title, list(ws.iter_rows(values_only=True))) for ws in source]
        source.close()
        if kind == "floor-nogc":  # the export pauses the cycle collector; so can the floor
            gc.disable()
        start = time.perf_counter()
        wb = Workbook(write_only=True)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(row)
        wb.save(out / "floor.xlsx")
        seconds = time.perf_counter() - start
        cells = sum(len(rows) * len(rows[0]) for _t, rows in sheets if rows)
    else:
        from riskdesk.reports import csv_export, pdf, xlsx

        start = time.perf_counter()
        if kind == "xlsx":
            xlsx.export_xlsx(svc, out / "register.xlsx")
        elif kind == "pdf":
            pdf.export_pdf(svc, out / "pack.pdf", appendix=False)
        elif kind == "pdf-appendix":
            pdf.export_pdf(svc, out / "pack-appendix.pdf", appendix=True)
        else:
            csv_export.export_csv(svc, out / "tables.zip")
        seconds = time.perf_counter() - start
        cells = 0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_mb": peak_kb / 1024, "cells": cells}


def run_child(kind: str, db: Path, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--db", str(db), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--uses", type=int, default=10_000)
    parser.add_argument("--db", help="a large register to copy (default: build a demo)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, Path(args.db), Path(args.out))))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="riskdesk-export-bench-"))
    os.environ["RISKDESK_DATA_DIR"] = str(workdir)
    db = workdir / "big.db"
    try:
        if args.db:
            shutil.copyfile(args.db, db)
        else:
            from riskdesk.demo import build_demo
            from riskdesk.service.register import RegisterService
            from riskdesk.store.db import open_register

            t = time.perf_counter()
            reg = open_register(db)
            build_demo(RegisterService(reg), uses=args.uses, seed=7)
            reg.dispose()
            print(f"build demo: {time.perf_counter() - t:.1f} s (setup, not a target)")
        from riskdesk.service.register import RegisterService
        from riskdesk.store.db import open_register

        reg = open_register(db)
        svc = RegisterService(reg)
        print(f"register: {svc.count('ai_use'):,} uses, {svc.count('risk'):,} risks")
        reg.dispose()

        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeat):
            for kind in KINDS:
                result = run_child(kind, db, workdir)
                if kind not in best or result["seconds"] < best[kind]["seconds"]:
                    best[kind] = result
        floor, floor_nogc, ours = best["floor"], best["floor-nogc"], best["xlsx"]
        ratio = ours["seconds"] / floor["seconds"]
        print(f"best of {args.repeat} runs, each in a fresh process:")
        print(
            f"  xlsx floor (openpyxl write-only, {floor['cells']:,.0f} cells): "
            f"{floor['seconds']:6.2f} s   peak {floor['peak_mb']:5.0f} MB"
        )
        print(
            f"  xlsx floor, cycle collector paused as in the export:  "
            f"{floor_nogc['seconds']:6.2f} s   peak {floor_nogc['peak_mb']:5.0f} MB"
        )
        print(
            f"  xlsx export (read, gaps, styles, validations):   "
            f"{ours['seconds']:6.2f} s   peak {ours['peak_mb']:5.0f} MB   "
            f"{ratio:.2f}× floor (target ≤ 1.5×); "
            f"{ours['seconds'] / floor_nogc['seconds']:.2f}× the paused floor"
        )
        for kind, label, target in (
            ("pdf", "board pack, no appendix", "< 2 s"),
            ("pdf-appendix", "board pack with appendix", "< 30 s"),
            ("csv", "CSV tables (zip)", "—"),
        ):
            r = best[kind]
            print(
                f"  {label:<48} {r['seconds']:6.2f} s   peak {r['peak_mb']:5.0f} MB   "
                f"(target {target}, memory < 500 MB)"
            )
        pages = _pages(workdir / "pack-appendix.pdf")
        if pages:
            print(f"  appendix pack: {pages:,} pages")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _pages(path: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(path).pages) if path.exists() else 0


if __name__ == "__main__":
    sys.exit(main())

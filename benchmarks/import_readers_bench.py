#!/usr/bin/env python3
"""Import reading-and-mapping benchmark: prints figures (not a timed test).

Times ``read_inventory`` (read the file, find the header, detect the format, map every
row) on each shipped OMB inventory and on generated 10,000-row registers (xlsx and
csv, 20 columns, some messy values and merged cells). Targets: the 2,133-row 2024
inventory well under 2 s (the whole import, database writes included, must take
< 3 s); a 10,000-row table well under 5 s. Each figure is the best of ``--repeat``.

    python benchmarks/import_readers_bench.py [--rows 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import openpyxl

from riskdesk.importers.omb import read_inventory
from riskdesk.importers.tables import read_table

T = TypeVar("T")

# ../shared/reference beside the checkout, as the tests find it.
REFERENCE = (
    Path(
        os.environ.get(
            "RISKDESK_REFERENCE_DIR", Path(__file__).resolve().parents[2] / "shared" / "reference"
        )
    )
    / "federal_ai_inventory"
)
SHIPPED = (
    "2023_consolidated_ai_inventory_raw.csv",
    "2024_consolidated_ai_inventory_raw.csv",
    "2024_consolidated_ai_inventory_raw_v2.csv",
    "2025_consolidated_COTS_AI_use_cases.csv",
    "2025_consolidated_COTS_AI_use_cases.xlsx",
)
HEADERS = [
    "Use case", "Department", "Stage", "Vendor", "Purpose", "People affected",
    "Rights-impacting", "Safety-impacting", "Go-live date", "Last reviewed", "Owner",
    "2nd line reviewer", "Data sensitivity", "Decision role", "Human oversight", "Autonomy",
    "Public-facing", "Generative AI", "Notes", "Ticket",
]  # fmt: skip


def _row(i: int, rng: random.Random) -> list[object]:
    return [
        f"Use case {i}",
        rng.choice(["IT", "HR", " Finance ", "Teaching\n", "Admissions"]),
        rng.choice(["Pilot", "production", "In production", "Idea", "Retired\n"]),
        rng.choice(["Acme", "OpenAI", "Microsoft", ""]),
        "Helps staff with a task that used to take hours.\nSecond line of detail.",
        rng.choice(["12,000", "1.2k", "~500", "40", 750]),
        rng.choice(["Yes", "no", "N", "x", ""]),
        rng.choice(["No", "no", "Y", ""]),
        rng.choice([dt.date(2024, 3, 1), "2023-04-01", "4/1/2023", "FY2023"]),
        rng.choice([dt.date(2025, 1, 15), "2025-01-15", ""]),
        rng.choice(["Ann Lee", "Raj Patel", "Sam Wu"]),
        rng.choice(["Risk team", "Compliance", ""]),
        rng.choice(["Personal", "internal", "Children's or special-category"]),
        rng.choice(["Recommends", "informs staff", "none"]),
        rng.choice(["Human in the loop", "on the loop"]),
        rng.choice(["Assistive", "none", "Agent with read-only tools"]),
        rng.choice(["Yes", "No"]),
        rng.choice(["Yes", "No"]),
        "Reviewed at the spring board meeting.",
        f"TCK-{i:05d}",
    ]


def make_tables(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = random.Random(1)
    data = [_row(i, rng) for i in range(rows)]
    xlsx = folder / f"register_{rows}.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Uses"
    sheet.append(["Springfield AI register"])
    sheet.merge_cells("A1:T1")
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    for start in range(3, rows, 500):  # a department merged down a few rows now and then
        sheet.merge_cells(start_row=start, start_column=2, end_row=start + 3, end_column=2)
    book.save(xlsx)
    path_csv = folder / f"register_{rows}.csv"
    with path_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        for row in data:
            writer.writerow(["" if v is None else v for v in row])
    return xlsx, path_csv


def best_of(repeat: int, func: Callable[[], T]) -> tuple[float, T]:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'file':<46} {'rows':>6} {'read':>9} {'read+map':>9}  notes")
    for name in SHIPPED:
        path = REFERENCE / name
        if not path.exists():
            print(f"{name:<46} missing (set RISKDESK_REFERENCE_DIR)")
            continue
        read_s, _ = best_of(args.repeat, lambda p=path: read_table(p))
        total_s, plan = best_of(args.repeat, lambda p=path: read_inventory(p))
        print(
            f"{name:<46} {len(plan.rows):>6,} {read_s:>8.3f}s {total_s:>8.3f}s  "
            f"{plan.format}, {len(plan.warnings)} warnings"
        )
    with tempfile.TemporaryDirectory(prefix="riskdesk-import-bench-") as tmp:
        start = time.perf_counter()
        xlsx, path_csv = make_tables(Path(tmp), args.rows)
        print(f"(generated {args.rows:,}-row xlsx and csv in {time.perf_counter() - start:.1f} s)")
        for path in (xlsx, path_csv):
            read_s, _ = best_of(args.repeat, lambda p=path: read_table(p))
            total_s, plan = best_of(args.repeat, lambda p=path: read_inventory(p))
            print(
                f"{path.name:<46} {len(plan.rows):>6,} {read_s:>8.3f}s {total_s:>8.3f}s  "
                f"{plan.format}, {len(plan.problems)} problems"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

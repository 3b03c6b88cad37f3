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
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from riskdesk.importers.inventory import read_inventory
from riskdesk.importers.tables import read_table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from messy_tables import REFERENCE, make_tables

T = TypeVar("T")

SHIPPED = (
    "2023_consolidated_ai_inventory_raw.csv",
    "2024_consolidated_ai_inventory_raw_first300.csv",
    "2024_consolidated_ai_inventory_raw_v2.csv",
    "2025_consolidated_COTS_AI_use_cases.csv",
    "2025_consolidated_COTS_AI_use_cases.xlsx",
)


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
            print(f"{name:<46} missing from tests/fixtures")
            continue
        read_s, _ = best_of(args.repeat, lambda p=path: read_table(p))
        total_s, plan = best_of(args.repeat, lambda p=path: read_inventory(p))
        print(
            f"{name:<46} {len(plan.rows):>6,} {read_s:>8.3f}s {total_s:>8.3f}s  "
            f"{plan.format}, {len(plan.warnings)} warnings"
        )
    with tempfile.TemporaryDirectory(prefix="riskdesk-import-bench-") as tmp:
        start = time.perf_counter()
        xlsx, path_csv = make_tables(Path(tmp), args.rows, merge_departments=True)
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

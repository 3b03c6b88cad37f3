"""Generated registers with messy values, shared by the import benchmarks.

Twenty columns of the kind a champion's spreadsheet has (stray whitespace, "1.2k",
"FY2023", yes/no spellings), written as xlsx (with a title row merged across, and
optionally department cells merged down) and as a semicolon csv with a BOM.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import openpyxl

# The OMB inventories the tests use (tests/fixtures/, inside the repository).
REFERENCE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "federal_ai_inventory"
HEADERS = [
    "Use case", "Department", "Stage", "Vendor", "Purpose", "People affected",
    "Rights-impacting", "Safety-impacting", "Go-live date", "Last reviewed", "Owner",
    "2nd line reviewer", "Data sensitivity", "Decision role", "Human oversight", "Autonomy",
    "Public-facing", "Generative AI", "Notes", "Ticket",
]  # fmt: skip


def row(i: int, rng: random.Random, *, many_names: bool) -> list[object]:
    """One messy row; ``many_names`` adds hundreds of distinct vendors and owners
    (what the service has to resolve or create)."""
    vendors = (
        ["Acme", "OpenAI", "microsoft ", ""] if many_names else ["Acme", "OpenAI", "Microsoft", ""]
    )
    owners = ["Ann Lee", "Raj Patel", "Sam Wu"]
    if many_names:
        vendors.append(f"Vendor {i % 150}")
        owners.append(f"Owner {i % 300}")
    return [
        f"Use case {i}",
        rng.choice(["IT", "HR", " Finance ", "Teaching\n", "Admissions"]),
        rng.choice(["Pilot", "production", "In production", "Idea", "Retired\n"]),
        rng.choice(vendors),
        "Helps staff with a task that used to take hours.\nSecond line of detail.",
        rng.choice(["12,000", "1.2k", "~500", "40", 750]),
        rng.choice(["Yes", "no", "N", "x", ""]),
        rng.choice(["No", "no", "Y", ""]),
        rng.choice([dt.date(2024, 3, 1), "2023-04-01", "4/1/2023", "FY2023"]),
        rng.choice([dt.date(2025, 1, 15), "2025-01-15", ""]),
        rng.choice(owners),
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


def make_tables(
    folder: Path, rows: int, *, many_names: bool = False, merge_departments: bool = False
) -> tuple[Path, Path]:
    """Write ``rows`` messy rows as xlsx and csv; returns both paths."""
    rng = random.Random(1)
    data = [row(i, rng, many_names=many_names) for i in range(rows)]
    xlsx = folder / f"register_{rows}.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Uses"
    sheet.append(["Springfield AI register"])
    sheet.merge_cells("A1:T1")
    sheet.append(HEADERS)
    for values in data:
        sheet.append(values)
    if merge_departments:
        for start in range(3, rows, 500):  # a department merged down a few rows now and then
            sheet.merge_cells(start_row=start, start_column=2, end_row=start + 3, end_column=2)
    book.save(xlsx)
    path_csv = folder / f"register_{rows}.csv"
    with path_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        writer.writerows(["" if v is None else v for v in values] for values in data)
    return xlsx, path_csv

"""Where the tests' public reference files live: ``tests/fixtures/`` in the repository.

Each folder there has a SOURCE.md naming where its files came from and their licence.
Tests read nothing outside the repository, so a fresh clone passes on its own.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FEDERAL_INVENTORY = FIXTURES / "federal_ai_inventory"
ISO_42001_EXCERPT = FIXTURES / "iso_iec_42001" / "iso_iec_42001_2023_ids_titles_excerpt.csv"

"""What went wrong with an import, said so the user can find it in their spreadsheet.

Every message names the file, the sheet, the row as the spreadsheet shows it (1-based,
header and blank rows counted) and the column by its header text and letter, because
the person fixing it has the file open in Excel, not our data structures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing wrong (or worth a warning) in an imported file."""

    file: str
    reason: str
    sheet: str | None = None
    row: int | None = None  # 1-based, as the spreadsheet numbers it
    column: str | None = None  # header text
    column_letter: str | None = None  # "F"

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            col = f'column "{self.column}"'
            if self.column_letter:
                col += f" ({self.column_letter})"
            parts.append(col)
        elif self.column_letter:
            parts.append(f"column {self.column_letter}")
        return f"{', '.join(parts)}: {self.reason}"


class ImportFileError(Exception):
    """The whole file cannot be imported (not a spreadsheet, damaged, encrypted…)."""

    def __init__(self, problem: ImportProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))

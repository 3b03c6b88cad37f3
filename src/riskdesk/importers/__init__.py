"""Reading inventories from spreadsheets: any register, and the OMB federal inventories.

This package only reads and maps; it writes nothing. ``read_inventory`` returns an
``ImportPlan`` whose rows carry ``AIUse`` field values (plus vendor and owner names
for the service layer to resolve), the columns riskdesk does not map (for
``source_record``), and problems and warnings that name file, sheet, row and column.
"""

from riskdesk.importers.errors import ImportFileError, ImportProblem
from riskdesk.importers.inventory import ImportPlan, read_inventory
from riskdesk.importers.mapped_rows import apply_mapping, check_mapping
from riskdesk.importers.mapping import (
    FIELD_SYNONYMS,
    ColumnMap,
    MappedRow,
    Mapping,
    suggest_mapping,
)
from riskdesk.importers.omb import detect_format, omb_mapping
from riskdesk.importers.tables import RawRow, RawTable, list_sheets, read_table

__all__ = [
    "FIELD_SYNONYMS",
    "ColumnMap",
    "ImportFileError",
    "ImportPlan",
    "ImportProblem",
    "MappedRow",
    "Mapping",
    "RawRow",
    "RawTable",
    "apply_mapping",
    "check_mapping",
    "detect_format",
    "list_sheets",
    "omb_mapping",
    "read_inventory",
    "read_table",
    "suggest_mapping",
]

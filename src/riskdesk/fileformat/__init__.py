"""The export/import file contract, shared by ``reports`` (writing) and ``importers`` (reading).

- ``sheets``: the workbook's sheets and columns, and the format version;
- ``safe_text``: formula-safe text for spreadsheet cells, and undoing it on import;
- ``schema``: every record kind's fields (kinds, references, limits) and tables.

It depends only on ``enums`` and ``store``, so neither side imports the other and the
service can use both.
"""

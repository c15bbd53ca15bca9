"""Tabular imports (CSV and XLSX): one engine, two importers, and the files we hand out.

`StaffImporter` fills a roster; `AgencyUserImporter` creates and invites agency accounts.
Both read with `reader`, match headers and validate with `engine`, and are documented
(accepted headers in Arabic and English) in their own modules.
"""

from .accounts import ACCOUNT_COLUMNS, AgencyUserImporter
from .engine import Column, Importer, ImportReport, RowError
from .reader import ImportFileError
from .staff import AGENCY_COLUMN, STAFF_COLUMNS, StaffImporter, staff_export_rows
from .writer import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_lines,
    spreadsheet_safe,
    template_file,
)

__all__ = [
    "ACCOUNT_COLUMNS",
    "AGENCY_COLUMN",
    "CSV_CONTENT_TYPE",
    "STAFF_COLUMNS",
    "XLSX_CONTENT_TYPE",
    "AgencyUserImporter",
    "Column",
    "ImportFileError",
    "ImportReport",
    "Importer",
    "RowError",
    "StaffImporter",
    "csv_lines",
    "spreadsheet_safe",
    "staff_export_rows",
    "template_file",
]

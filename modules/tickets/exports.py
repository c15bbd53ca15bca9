"""The operations room's metrics as files: XLSX (three sheets: per agency, per category,
breaches per day) or CSV (one of those tables).

Headers are in the active language. CSV goes through the agencies' writer (BOM, formula-safe
text); XLSX through openpyxl with numbers stored as numbers, percentages as percentages, and
the sheets right-to-left in Arabic — as the statistics exports do.
"""

import io

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from modules.agencies.imports.writer import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_lines,
    spreadsheet_safe,
)
from modules.core.hijri import format_hijri

EXPORT_FORMATS = ("xlsx", "csv")
TABLES = ("agencies", "categories", "days")

# (key in a metrics row, kind) after the name column; "rate" cells are percentages.
_FIGURES = (
    ("tickets", "count"),
    ("acknowledged", "count"),
    ("acknowledged_on_time", "count"),
    ("acknowledged_breached", "count"),
    ("acknowledge_rate", "rate"),
    ("resolved", "count"),
    ("resolved_on_time", "count"),
    ("resolved_breached", "count"),
    ("resolve_rate", "rate"),
    ("mean_acknowledge_minutes", "minutes"),
    ("mean_resolve_minutes", "minutes"),
)


def _figure_headers() -> list[str]:
    return [
        _("Tickets"),
        _("Acknowledged"),
        _("Acknowledged on time"),
        _("Acknowledged late or overdue"),
        _("Acknowledged on time (%)"),
        _("Resolved"),
        _("Resolved on time"),
        _("Resolved late or overdue"),
        _("Resolved on time (%)"),
        _("Mean time to acknowledge (minutes)"),
        _("Mean time to resolve (minutes)"),
    ]


def _compliance_table(compliance: dict, first_header: str) -> tuple[list[str], list[list]]:
    rows = [[row["name"], *(row[key] for key, _kind in _FIGURES)] for row in compliance["rows"]]
    rows.append([_("Total"), *(compliance["total"][key] for key, _kind in _FIGURES)])
    return [first_header, *_figure_headers()], rows


def _days_table(days: list[dict]) -> tuple[list[str], list[list]]:
    headers = [_("Day"), _("Hijri date"), _("Breaches")]
    return headers, [[day["date"], format_hijri(day["date"]), day["breaches"]] for day in days]


def _table(summary: dict, table: str) -> tuple[list[str], list[list]]:
    if table == "agencies":
        return _compliance_table(summary["agencies"], _("Agency"))
    if table == "categories":
        return _compliance_table(summary["categories"], _("Category"))
    return _days_table(summary["days"])


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def metrics_csv(summary: dict, table: str) -> bytes:
    headers, rows = _table(summary, table)
    lines = [[spreadsheet_safe(header) for header in headers]]
    lines.extend([_csv_cell(cell) for cell in row] for row in rows)
    return "".join(csv_lines(lines)).encode("utf-8")


def metrics_xlsx(summary: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    right_to_left = (get_language() or "ar").startswith("ar")
    workbook = Workbook()
    titles = {
        "agencies": _("By agency"),
        "categories": _("By category"),
        "days": _("Breaches per day"),
    }
    for index, table in enumerate(TABLES):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = titles[table][:31]
        headers, rows = _table(summary, table)
        sheet.append(headers)
        kinds = _kinds(table)
        for row in rows:
            sheet.append(
                [
                    value / 100 if kind == "rate" and value is not None else value
                    for value, kind in zip(row, kinds, strict=True)
                ]
            )
            for cell, kind in zip(sheet[sheet.max_row], kinds, strict=True):
                cell.number_format = _NUMBER_FORMATS[kind]
        if table != "days":
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)  # the total
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 36 if table != "days" else 14
        for column in range(2, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 18
        sheet.freeze_panes = "B2"
        sheet.sheet_view.rightToLeft = right_to_left
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_NUMBER_FORMATS = {
    "text": "General",
    "date": "yyyy-mm-dd",
    "count": "#,##0",
    "rate": "0.0%",
    "minutes": "#,##0.0",
}


def _kinds(table: str) -> list[str]:
    """The kind of each column of a table: how its cells are stored and formatted."""
    if table == "days":
        return ["date", "text", "count"]
    return ["text", *(kind for _key, kind in _FIGURES)]


def metrics_file(summary: dict, file_format: str, table: str = "agencies") -> tuple[bytes, str]:
    """(content, content type): the whole summary as XLSX, or one table as CSV."""
    if file_format == "xlsx":
        return metrics_xlsx(summary), XLSX_CONTENT_TYPE
    return metrics_csv(summary, table), CSV_CONTENT_TYPE

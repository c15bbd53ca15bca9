"""The dashboard's current view as a file (XLSX or CSV): one row per indicator (its tile's
figures), then one column per day; the XLSX adds a sheet with the completeness per day.

Headers are in the active language. CSV goes through the agencies' writer (BOM, formula-safe
text), XLSX through openpyxl with numbers stored as numbers and the sheet right-to-left in
Arabic.
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

EXPORT_FORMATS = ("xlsx", "csv")
_TEXT_COLUMNS = 3  # indicator, category, unit


def _headers(data: dict) -> list[str]:
    last_day = data["last_day"]["date"] if data["last_day"] else ""
    return [
        _("Indicator"),
        _("Category"),
        _("Unit"),
        _("Last day (%(day)s)") % {"day": last_day},
        _("Change against the day before"),
        data["period"]["label"] if data["period"] else _("Over the period"),
        *(f"{day['date']} ({day['hijri_short']})" for day in data["days"]),
    ]


def _rows(data: dict) -> list[tuple[dict, list]]:
    """(indicator, [text…, numbers…]) per indicator."""
    return [
        (
            indicator,
            [
                indicator["name"],
                indicator["category"],
                indicator["unit"],
                indicator["tile"]["value"],
                indicator["tile"]["change"],
                indicator["tile"]["period_value"],
                *indicator["series"],
            ],
        )
        for indicator in data["indicators"]
    ]


def _csv_cell(value) -> str:
    """Text made formula-safe; numbers written in full (an average of whole numbers keeps its
    decimals), without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return f"{value:.4f}".rstrip("0").rstrip(".")


def dashboard_csv(data: dict) -> bytes:
    lines = [[spreadsheet_safe(header) for header in _headers(data)]]
    for _indicator, row in _rows(data):
        lines.append([_csv_cell(cell) for cell in row])
    return "".join(csv_lines(lines)).encode("utf-8")


def dashboard_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    right_to_left = (get_language() or "ar").startswith("ar")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Indicators")[:31]
    sheet.append(_headers(data))
    for indicator, row in _rows(data):
        sheet.append(row)
        number_format = "#,##0" if indicator["decimal_places"] == 0 else "#,##0.00"
        for cell in sheet[sheet.max_row][_TEXT_COLUMNS:]:
            cell.number_format = number_format
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 20
    for index in range(_TEXT_COLUMNS, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    sheet.freeze_panes = "B2"

    completeness = data["completeness"]
    days = workbook.create_sheet(_("Completeness")[:31])
    days.append(
        [
            _("Day"),
            _("Hijri date"),
            _("Expected"),
            _("On time"),
            _("Late"),
            _("Missing"),
            _("Not yet due"),
        ]
    )
    labels = {day["date"]: day["hijri"] for day in data["days"]}
    for day in completeness["days"] if completeness else []:
        days.append(
            [
                day["date"],
                labels.get(day["date"], ""),
                day["expected"],
                day["on_time"],
                day["late"],
                day["missing"],
                day["pending"],
            ]
        )
    for cell in days[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (14, 24, 12, 12, 12, 12, 14), strict=True):
        days.column_dimensions[letter].width = width
    days.freeze_panes = "A2"
    sheet.sheet_view.rightToLeft = days.sheet_view.rightToLeft = right_to_left

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dashboard_file(data: dict, file_format: str) -> tuple[bytes, str]:
    """(content, content type) of the view in `file_format` ("xlsx" or "csv")."""
    if file_format == "xlsx":
        return dashboard_xlsx(data), XLSX_CONTENT_TYPE
    return dashboard_csv(data), CSV_CONTENT_TYPE

"""Files handed out to users: import templates (CSV, XLSX) and CSV exports.

CSV starts with a UTF-8 BOM: without it Excel reads the file in the machine's legacy code
page and Arabic turns into noise. Free text that Excel would evaluate as a formula (`=`, `+`,
`-`, `@` first) is written with a leading apostrophe, Excel's own "this is text" mark.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from django.utils.translation import get_language, gettext

from .engine import Column

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


class _Line:
    """A file-like object whose write() hands back the line: csv.writer without a buffer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """The BOM, then one line per row; suitable for a StreamingHttpResponse."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def template_file(columns: Sequence[Column], file_format: str, *, sheet_title: str):
    """(content, content type) of an empty import template with the columns' headers in the
    active language."""
    if file_format == "xlsx":
        return template_xlsx(columns, sheet_title=sheet_title), XLSX_CONTENT_TYPE
    return template_csv(columns), CSV_CONTENT_TYPE


def template_csv(columns: Sequence[Column]) -> bytes:
    return "".join(csv_lines([[column.header for column in columns]])).encode("utf-8")


def template_xlsx(columns: Sequence[Column], *, sheet_title: str) -> bytes:
    """A header row on the first sheet (the one the import reads) and the rules on a second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(16, len(column.header) + 4)
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    right_to_left = (get_language() or "ar").startswith("ar")

    rules = workbook.create_sheet(gettext("Instructions")[:31])
    rules.append(
        [
            gettext("Header (Arabic)"),
            gettext("Header (English)"),
            gettext("Required"),
            gettext("Notes"),
            gettext("Example"),
        ]
    )
    for column in columns:
        rules.append(
            [
                column.header_ar,
                column.header_en,
                gettext("Yes") if column.required else gettext("No"),
                str(column.note),
                column.example,
            ]
        )
    for cell in rules[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (22, 22, 10, 50, 28), strict=True):
        rules.column_dimensions[letter].width = width
    sheet.sheet_view.rightToLeft = rules.sheet_view.rightToLeft = right_to_left

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

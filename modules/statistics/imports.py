"""One agency's figures for one daily form and day, uploaded as CSV or XLSX.

One row per indicator. Headers (either language; spelling variants do not matter):

================  ================  =============================================
Arabic            English           notes
================  ================  =============================================
رمز المؤشر         Indicator code    required; the code printed in the template
اسم المؤشر         Indicator name    optional; for reading only, the code decides
القيمة             Value             required column; a number, empty clears it
تعليق              Comment           optional; needed where a figure raises a warning
================  ================  =============================================

The file is checked and saved by `services.report_save`, exactly like the entry screen: one
bad row (an unknown or repeated code, a figure refused by a limit or a rule, a warning with
no comment) rejects the whole file, each problem named with its row, and nothing is stored.
An indicator left out of the file keeps its stored figure.
"""

import datetime
import io

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modules.agencies.imports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Column,
    Importer,
    ImportFileError,
    RowError,
    csv_lines,
    spreadsheet_safe,
)
from modules.agencies.imports.engine import ImportRow, fold
from modules.agencies.imports.writer import template_xlsx
from modules.agencies.models import Agency

from .checks import EntryCheck
from .models import IndicatorSet
from .selectors import FormLayout, form_layout
from .services import EntryClosed, EntryRejected, SaveResult, report_save

CODE_COLUMN = Column(
    "code",
    "رمز المؤشر",
    "Indicator code",
    aliases=("الرمز", "رمز", "كود المؤشر", "code", "indicator code"),
    note=_("The indicator's code, as printed in the template. Each indicator once."),
    example="hospital-admissions",
    text=True,
)
COMMENT_COLUMN = Column(
    "comment",
    "تعليق",
    "Comment",
    aliases=("التعليق", "ملاحظة", "ملاحظات", "comment", "comments", "note", "notes"),
    required=False,
    note=_("Needed where a figure is far from your agency's recent days."),
)
DAY_COLUMNS = (
    CODE_COLUMN,
    Column(
        "name",
        "اسم المؤشر",
        "Indicator name",
        aliases=("المؤشر", "الاسم", "indicator", "name", "indicator name"),
        required=False,
        note=_("For reading only: rows are matched by code."),
    ),
    Column(
        "value",
        "القيمة",
        "Value",
        aliases=("الرقم", "العدد", "value", "figure", "number"),
        note=_("A number, in Arabic-Indic or Latin digits. An empty cell clears the figure."),
        example="125",
    ),
    COMMENT_COLUMN,
)


class _Undo(Exception):
    """Raised inside the service's savepoint to roll its writes back."""


class DayImporter(Importer):
    """Saves the rows as one call to `report_save`, so the file and the entry screen obey the
    same checks; `result` holds what it returned."""

    permission = "statistics.change_dailyreport"
    columns = DAY_COLUMNS

    def __init__(
        self,
        *,
        actor,
        agency: Agency,
        indicator_set: IndicatorSet,
        day: datetime.date,
        submit: bool = False,
        now: datetime.datetime | None = None,
    ):
        super().__init__(actor=actor)
        self.agency = agency
        self.indicator_set = indicator_set
        self.day = day
        self.submit = submit
        self.now = now
        self.result: SaveResult | None = None
        self._header_row = 1
        self._has_comments = False

    def _match(self, table):
        self._header_row = table.header_row
        self._has_comments = any(
            fold(header) in COMMENT_COLUMN.spellings for header in table.headers
        )
        return super()._match(table)

    def validate(self, rows: list[ImportRow]) -> list[RowError]:
        layout = form_layout(self.indicator_set)
        by_code = {item.indicator.code.casefold(): item.indicator for item in layout.items}
        errors: list[RowError] = []
        row_of: dict[str, ImportRow] = {}
        values: dict[str, str] = {}
        comments: dict[str, str] = {}
        for row in rows:
            typed = row.values["code"]
            indicator = by_code.get(typed.casefold())
            if not typed:
                errors.append(row.error("code", gettext("Enter the indicator's code.")))
            elif indicator is None:
                errors.append(
                    row.error(
                        "code",
                        gettext("“%(code)s” is not an indicator of this form.") % {"code": typed},
                    )
                )
            elif indicator.code in row_of:
                errors.append(
                    row.error(
                        "code",
                        gettext("This indicator is also in row %(row)s.")
                        % {"row": row_of[indicator.code].number},
                    )
                )
            else:
                row_of[indicator.code] = row
                values[indicator.code] = row.values["value"]
                if self._has_comments:
                    comments[indicator.code] = row.values["comment"]
        try:
            # The service is the check. When some rows already failed it still runs, so the
            # figures' problems are reported with theirs, and its savepoint is then undone.
            with transaction.atomic():
                self.result = report_save(
                    actor=self.actor,
                    agency=self.agency,
                    indicator_set=self.indicator_set,
                    day=self.day,
                    values=values,
                    comments=comments,
                    submit=self.submit,
                    now=self.now,
                )
                if errors:
                    raise _Undo
        except _Undo:
            self.result = None
        except EntryRejected as rejected:
            errors += self._row_errors(rejected.check, row_of, layout, partial=bool(errors))
        except EntryClosed as closed:
            raise ImportFileError(closed.message) from closed
        return errors

    def save(self, rows: list[ImportRow]) -> int:
        # `validate` already saved through the service, inside the engine's transaction.
        return len(rows)

    def _row_errors(
        self, check: EntryCheck, row_of: dict[str, ImportRow], layout: FormLayout, *, partial
    ) -> list[RowError]:
        """The service's problems, each on the row of its indicator; an indicator missing
        from the file is named on the header row, unless rows were already refused (`partial`):
        it may be on one of those."""
        names = {item.indicator.code: item.indicator.name for item in layout.items}
        errors = [RowError(self._header_row, "", message) for message in check.form_errors]
        for code, messages in check.errors.items():
            # A warning is why a comment is asked for: say both.
            messages = [*messages, *check.warnings.get(code, [])]
            row = row_of.get(code)
            if row is None and partial:
                continue
            for message in messages:
                if row is not None:
                    errors.append(row.error("value", message))
                else:
                    errors.append(
                        RowError(
                            self._header_row,
                            CODE_COLUMN.header,
                            gettext("“%(code)s” (%(name)s) is not in the file: %(message)s")
                            % {"code": code, "name": names.get(code, ""), "message": message},
                        )
                    )
        return errors


def day_template(layout: FormLayout, file_format: str) -> tuple[bytes, str]:
    """(content, content type) of the upload template of one form: the header row, then one
    row per indicator with its code and name, ready for the values."""
    headers = [column.header for column in DAY_COLUMNS]
    rows = [
        [item.indicator.code, spreadsheet_safe(item.indicator.name), "", ""]
        for item in layout.items
    ]
    if file_format != "xlsx":
        return "".join(csv_lines([headers, *rows])).encode("utf-8"), CSV_CONTENT_TYPE

    from openpyxl import load_workbook

    title = layout.indicator_set.code or gettext("Daily figures")
    workbook = load_workbook(io.BytesIO(template_xlsx(DAY_COLUMNS, sheet_title=title)))
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    longest_name = max((len(row[1]) for row in rows), default=0)
    sheet.column_dimensions["B"].width = min(60, max(24, longest_name + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), XLSX_CONTENT_TYPE

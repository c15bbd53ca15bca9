"""The import engine: columns, header matching, row validation, all-or-nothing saving.

An importer declares its columns and implements `validate` (per-row forms plus checks across
rows and against the database, with bulk queries) and `save`. `run()` reads the file, matches
its headers (Arabic or English, see each column's spellings), validates every row, and saves
only when no row has an error, in one transaction: a failure part-way leaves nothing behind.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext

from modules.audit.context import acting_as
from modules.core.scoping import can

from .reader import ImportFileError, read_table

_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ـ": None})
_HARAKAT = re.compile("[\u064b-\u0652]")
_SEPARATORS = re.compile(r"[\s_\-/\\().:*،,]+")


def fold(text: str) -> str:
    """A spelling-insensitive key: case, Arabic letter variants, diacritics and separators."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().translate(_ALEF)
    return _SEPARATORS.sub(" ", _HARAKAT.sub("", text)).strip()


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    `header_ar` and `header_en` are what the downloadable templates use; any of `aliases`
    is accepted too. `choices` maps each stored value to the spellings accepted for it.
    `text` columns are formatted as text in the XLSX template so that Excel keeps leading
    zeros and the + of a phone number.
    """

    key: str
    header_ar: str
    header_en: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    note: Promise | str = ""
    example: str = ""
    text: bool = False

    @property
    def header(self) -> str:
        return self.header_en if (get_language() or "ar").startswith("en") else self.header_ar

    @cached_property
    def spellings(self) -> frozenset[str]:
        names = (self.header_ar, self.header_en, self.key, *self.aliases)
        return frozenset(fold(name) for name in names)

    @cached_property
    def _choice_by_spelling(self) -> dict[str, str]:
        return {
            fold(spelling): value
            for value, spellings in self.choices
            for spelling in (value, *spellings)
        }

    def parse(self, text: str) -> str:
        """The cell as the form expects it; an unknown choice is passed on for the form to
        reject with its usual message."""
        if not text or not self.choices:
            return text
        return self._choice_by_spelling.get(fold(text), text)


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    number: int
    values: dict[str, str]
    headers: dict[str, str]
    cleaned: object = None

    def error(self, key: str | None, message: str) -> RowError:
        return RowError(self.number, self.headers.get(key, "") if key else "", str(message))

    def form_errors(self, form) -> list[RowError]:
        return [
            self.error(None if name == "__all__" else name, message)
            for name, messages in form.errors.items()
            for message in messages
        ]


@dataclass
class ImportReport:
    created: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


class Importer:
    """Subclasses set `columns`, `permission`, and implement `validate` and `save`."""

    columns: tuple[Column, ...] = ()
    permission = ""
    committee_only = False

    def __init__(self, *, actor):
        self.actor = actor

    @classmethod
    def allowed(cls, actor) -> bool:
        if cls.committee_only and not getattr(actor, "is_committee", False):
            return False
        return can(actor, cls.permission)

    def get_columns(self) -> list[Column]:
        return list(self.columns)

    def validate(self, rows: list[ImportRow]) -> list[RowError]:
        raise NotImplementedError

    def save(self, rows: list[ImportRow]) -> int:
        raise NotImplementedError

    def run(self, upload) -> ImportReport:
        if not self.allowed(self.actor):
            raise PermissionDenied
        try:
            table = read_table(
                upload,
                max_size=settings.IMPORT_MAX_UPLOAD_SIZE,
                max_rows=settings.IMPORT_MAX_ROWS,
            )
            rows, errors = self._match(table)
            if errors:
                return ImportReport(rows=len(table.rows), errors=errors)
            errors = self._stray_values(table)
            with transaction.atomic(), acting_as(self.actor):
                errors += self.validate(rows)
                if errors:
                    return ImportReport(rows=len(rows), errors=sorted(errors))
                created = self.save(rows)
        except ImportFileError as exc:
            return ImportReport(file_error=exc.message)
        except IntegrityError:
            return ImportReport(
                file_error=gettext(
                    "Someone changed the same records while the file was being imported, so "
                    "nothing was imported. Please upload the file again."
                )
            )
        return ImportReport(created=created, rows=len(rows))

    def _match(self, table) -> tuple[list[ImportRow], list[RowError]]:
        """Which file column holds which field; every unknown, repeated or missing one is an
        error on the header row."""
        columns = self.get_columns()
        by_spelling = {spelling: column for column in columns for spelling in column.spellings}
        positions: dict[str, int] = {}
        shown: dict[str, str] = {}
        errors: list[RowError] = []
        row = table.header_row
        for index, header in enumerate(table.headers):
            if not header:
                continue
            column = by_spelling.get(fold(header))
            if column is None:
                errors.append(
                    RowError(
                        row,
                        header,
                        gettext(
                            "This column is not part of this import. Use the template's headers "
                            "or remove the column."
                        ),
                    )
                )
            elif column.key in positions:
                errors.append(RowError(row, header, gettext("This column appears twice.")))
            else:
                positions[column.key] = index
                shown[column.key] = header
        for column in columns:
            if column.required and column.key not in positions:
                errors.append(RowError(row, column.header, gettext("This column is missing.")))
        if errors:
            return [], errors

        def cell(cells, key):
            index = positions.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        headers = {c.key: shown.get(c.key, c.header) for c in columns}
        rows = [
            ImportRow(
                number=raw.number,
                values={c.key: c.parse(cell(raw.cells, c.key)) for c in columns},
                headers=headers,
            )
            for raw in table.rows
        ]
        return rows, []

    @staticmethod
    def _stray_values(table) -> list[RowError]:
        """A value with no header above it would be dropped without a word; in a CSV it is
        usually a name with an unquoted comma that has pushed the rest of the row along."""
        width = len(table.headers)
        return [
            RowError(
                raw.number,
                "",
                gettext(
                    "This row has a value in a column without a header. If a value contains a "
                    "comma, put it in double quotes."
                ),
            )
            for raw in table.rows
            if any(
                value and (index >= width or not table.headers[index])
                for index, value in enumerate(raw.cells)
            )
        ]

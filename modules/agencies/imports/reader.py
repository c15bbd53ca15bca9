"""An uploaded CSV or XLSX file → a header row and data rows of trimmed text.

Checked before anything is parsed: the size (IMPORT_MAX_UPLOAD_SIZE), the kind by content
(an XLSX is a ZIP holding `xl/workbook.xml`; a CSV is text without control bytes), and that
the name's extension agrees with the content. CSV text may be UTF-8 with or without a BOM,
UTF-16 with a BOM (Excel's "Unicode text"), or Windows-1256 (Excel's plain "CSV" on Arabic
Windows). Windows-1256 gives a character for every byte, so it is accepted only when every
non-ASCII character it yields is Arabic script: a file in any other legacy encoding (Latin,
Cyrillic, ISO-8859-6…) produces accented or symbol characters and is refused with advice.
Every cell comes back trimmed, with Arabic-Indic digits made ASCII. Row numbers are the ones
the user sees in the spreadsheet (one per record; the header is normally row 1).
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from modules.core.text import normalize_digits

MAX_COLUMNS = 60
# Uncompressed XML is what openpyxl holds in memory; a ZIP that expands far beyond any real
# roster is refused before it is opened (a "zip bomb").
XLSX_MAX_EXPANSION = 20
_SIGNATURES = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"%PDF": "PDF",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "XLS",
}
_INVISIBLE = " \t\r\n\u00a0\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\ufeff"
_ALLOWED_NON_ARABIC = set("\u00a0\u00ab\u00bb\u200c\u200d\u200e\u200f")
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ImportFileError(Exception):
    """The file as a whole cannot be used; `message` is already in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    number: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    header_row: int
    rows: list[Row]


def read_table(upload, *, max_size: int, max_rows: int) -> Table:
    """Read `upload` (a Django UploadedFile) or raise ImportFileError with a clear message."""
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size is not None and upload.size > max_size:
        raise _too_large(max_size)
    upload.seek(0)
    data = upload.read(max_size + 1)
    if len(data) > max_size:
        raise _too_large(max_size)
    if not data.strip():
        raise ImportFileError(gettext("The file is empty."))

    kind = _kind_by_content(data)
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in ("csv", "xlsx"):
        raise ImportFileError(gettext("Upload a .csv or .xlsx file."))
    if kind != extension:
        raise ImportFileError(_MISLABELLED[extension]())
    rows = _xlsx_rows(data, max_size) if kind == "xlsx" else _csv_rows(_decode(data))
    return _table(rows, max_rows)


_MISLABELLED = {
    "csv": lambda: gettext(
        "The file is named .csv but its content is not CSV text. Open it in Excel and save it "
        "again as “CSV UTF-8”, or upload an .xlsx file."
    ),
    "xlsx": lambda: gettext(
        "The file is named .xlsx but its content is not an Excel workbook. Open it in Excel "
        "and save it again as “Excel workbook (.xlsx)”."
    ),
}


def _too_large(max_size: int) -> ImportFileError:
    return ImportFileError(
        gettext("The file is larger than %(size)s. Split it into smaller files.")
        % {"size": filesizeformat(max_size)}
    )


def _kind_by_content(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "damaged"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            if kind == "XLS":
                raise ImportFileError(
                    gettext(
                        "Old Excel .xls files are not supported. In Excel, save the file as "
                        "“Excel workbook (.xlsx)” or “CSV UTF-8”."
                    )
                )
            return kind.lower()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    return "binary" if b"\x00" in data[:8192] else "csv"


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
    else:
        text = _try_decode(data, "utf-8-sig")
        if text is None:
            text = _try_decode(data, "cp1256")
            if text is not None and not _only_arabic_beyond_ascii(text):
                text = None
    if text is None:
        raise ImportFileError(
            gettext(
                "The file's text encoding could not be recognised. In Excel choose "
                "Save As → “CSV UTF-8 (Comma delimited)”, or upload an .xlsx file."
            )
        )
    if _CONTROL_CHARACTERS.search(text):
        raise ImportFileError(
            gettext("The file's content is not CSV text. Upload a .csv or .xlsx file.")
        )
    return text


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _only_arabic_beyond_ascii(text: str) -> bool:
    for char in set(text):
        if char.isascii() or char in _ALLOWED_NON_ARABIC:
            continue
        if not unicodedata.name(char, "").startswith("ARABIC"):
            return False
    return True


def _csv_rows(text: str) -> Iterator[list]:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFileError(
            gettext("The CSV file could not be read near line %(line)s.")
            % {"line": reader.line_num}
        ) from exc


def _xlsx_rows(data: bytes, max_size: int) -> Iterator[tuple]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = ImportFileError(
        gettext("The Excel workbook could not be read. Open it in Excel and save it again.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise unreadable from exc
    if unpacked > max_size * XLSX_MAX_EXPANSION:
        raise _too_large(max_size)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        SyntaxError,
    ) as exc:
        raise unreadable from exc
    try:
        if not workbook.worksheets:
            raise unreadable
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
    except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as exc:
        raise unreadable from exc
    finally:
        workbook.close()


def cell_text(value) -> str:
    """One cell as trimmed text: numbers without a stray `.0`, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "1" if value else "0"
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    elif isinstance(value, datetime.datetime):
        value = value.date().isoformat()
    elif isinstance(value, datetime.date):
        value = value.isoformat()
    return normalize_digits(str(value)).strip(_INVISIBLE)


def _table(raw_rows, max_rows: int) -> Table:
    headers: list[str] | None = None
    header_row = 0
    rows: list[Row] = []
    for number, raw in enumerate(raw_rows, start=1):
        cells = [cell_text(value) for value in raw]
        if not any(cells):
            continue
        if headers is None:
            while cells and not cells[-1]:
                cells.pop()
            headers, header_row = cells, number
            continue
        if len(rows) >= max_rows:
            raise ImportFileError(
                gettext("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": max_rows}
            )
        rows.append(Row(number=number, cells=cells))
    if headers is None:
        raise ImportFileError(gettext("The file is empty."))
    if not rows:
        raise ImportFileError(gettext("The file has a header row but no data rows."))
    return Table(headers=headers, header_row=header_row, rows=rows)

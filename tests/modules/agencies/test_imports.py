"""The staff import: file reading, header matching, validation, all or nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from modules.agencies.imports import AgencyUserImporter, StaffImporter
from modules.agencies.models import StaffMember
from modules.audit.models import AuditEntry

from .conftest import (
    STAFF_HEADERS_AR,
    STAFF_HEADERS_EN,
    csv_upload,
    make_staff,
    national_id,
    staff_row,
    xlsx_upload,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def run(actor, upload, language="en"):
    with translation.override(language):
        return StaffImporter(actor=actor).run(upload)


def bad_row_file(kind):
    rows = [
        STAFF_HEADERS_EN,
        staff_row(1),
        staff_row(2, name_en="", national_id="1000000009"),
        staff_row(3),
    ]
    return csv_upload(rows) if kind == "csv" else xlsx_upload(rows)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_one_bad_row_imports_nothing_and_is_reported_in_english(manager_a, season, kind):
    report = run(manager_a, bad_row_file(kind), "en")
    assert not report.ok
    assert report.created == 0
    assert StaffMember.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "Name (English)"),
        (3, "National ID"),
    }
    messages = {e.column: e.message for e in report.errors}
    assert messages["Name (English)"] == "This field is required."
    assert messages["National ID"].startswith("Enter a valid national ID")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_one_bad_row_is_reported_in_arabic(manager_a, season, kind):
    report = run(manager_a, bad_row_file(kind), "ar")
    assert StaffMember.objects.count() == 0
    messages = {e.column: e.message for e in report.errors}
    assert {e.row for e in report.errors} == {3}
    assert messages["Name (English)"] == "هذا الحقل مطلوب."
    with translation.override("ar"):
        expected = translation.gettext(
            "Enter a valid national ID or iqama number: ten digits starting with 1 or 2."
        )
    assert messages["National ID"] == expected


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_clean_file_imports_every_row_with_audit(manager_a, agency_a, season, kind):
    rows = [STAFF_HEADERS_EN, *(staff_row(n) for n in range(1, 6))]
    upload = csv_upload(rows) if kind == "csv" else xlsx_upload(rows)
    report = run(manager_a, upload)
    assert report.ok, report.errors
    assert report.created == 5
    members = StaffMember.objects.filter(agency=agency_a, season=season)
    assert members.count() == 5
    assert set(members.values_list("gender", flat=True)) == {"male", "female"}
    assert members.get(national_id=national_id(1)).phone == "+966500000001"
    assert AuditEntry.objects.filter(agency=agency_a).count() == 5


def test_arabic_headers_arabic_digits_and_gender_words(manager_a, season):
    row = staff_row(1, national_id="١٠٠٠٠٠٠٠٠٨", phone="٠٥٠١٢٣٤٥٦٧", gender="أنثى")
    report = run(manager_a, csv_upload([STAFF_HEADERS_AR, row]), "ar")
    assert report.ok, report.errors
    member = StaffMember.objects.get()
    assert (member.national_id, member.phone, member.gender) == (
        "1000000008",
        "+966501234567",
        "female",
    )


def test_header_spelling_variants_and_semicolons(manager_a, season):
    headers = [
        "الاسم بالعربيه",
        "name_en",
        "رقم الهويه",
        "رقم الجوال",
        "EMAIL",
        "الوظيفة",
        "gender",
    ]
    report = run(manager_a, csv_upload([headers, staff_row(1)], delimiter=";"))
    assert report.ok, report.errors


def test_utf8_without_bom_and_utf16_with_bom(manager_a, season):
    rows = [STAFF_HEADERS_AR, staff_row(1)]
    assert run(manager_a, csv_upload(rows, bom=False)).ok
    text = "\r\n".join("\t".join(row) for row in [STAFF_HEADERS_AR, staff_row(2)])
    utf16 = SimpleUploadedFile("roster.csv", text.encode("utf-16"))
    report = run(manager_a, utf16)
    assert report.ok, report.errors
    assert StaffMember.objects.count() == 2


def test_windows_1256_arabic_csv_is_decoded(manager_a, season):
    report = run(manager_a, csv_upload([STAFF_HEADERS_AR, staff_row(1)], encoding="cp1256"))
    assert report.ok, report.errors
    assert StaffMember.objects.get().name_ar == "موظف رقم 1"


def test_an_unrecognised_encoding_is_a_clear_error(manager_a, season):
    latin = {"name_ar": "Zoë", "name_en": "José Müller", "job_title": "Gérant", "gender": "male"}
    rows = [STAFF_HEADERS_EN, staff_row(1, **latin)]
    report = run(manager_a, csv_upload(rows, encoding="cp1252"))
    assert "encoding could not be recognised" in report.file_error
    assert "CSV UTF-8" in report.file_error
    assert StaffMember.objects.count() == 0


def test_the_file_error_is_translated(manager_a, season):
    report = run(manager_a, SimpleUploadedFile("roster.csv", b""), "ar")
    with translation.override("ar"):
        assert report.file_error == translation.gettext("The file is empty.")


@pytest.mark.parametrize(
    "upload, expected",
    [
        (SimpleUploadedFile("roster.csv", b""), "The file is empty."),
        (SimpleUploadedFile("roster.csv", b"\xef\xbb\xbf \r\n ,,\r\n"), "The file is empty."),
        (SimpleUploadedFile("roster.csv", ",".join(STAFF_HEADERS_EN).encode()), "no data rows"),
        (SimpleUploadedFile("roster.csv", PNG, content_type="text/csv"), "not CSV text"),
        (SimpleUploadedFile("roster.xlsx", b"Name,Phone\r\nA,1\r\n"), "not an Excel workbook"),
        (SimpleUploadedFile("roster.txt", b"Name,Phone\r\nA,1\r\n"), "Upload a .csv or .xlsx"),
        (
            SimpleUploadedFile("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
            "Old Excel .xls files",
        ),
        (
            SimpleUploadedFile("roster.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
            "Old Excel .xls files",
        ),
    ],
    ids=[
        "empty",
        "blank-rows",
        "header-only",
        "png-named-csv",
        "csv-named-xlsx",
        "txt",
        "xls",
        "xls-named-xlsx",
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(manager_a, season, upload, expected):
    report = run(manager_a, upload)
    assert expected in report.file_error
    assert StaffMember.objects.count() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(manager_a, season):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    report = run(manager_a, SimpleUploadedFile("roster.xlsx", buffer.getvalue()))
    assert "not an Excel workbook" in report.file_error


def test_an_oversized_file_is_refused_before_reading(manager_a, season, settings):
    settings.IMPORT_MAX_UPLOAD_SIZE = 1024
    rows = [STAFF_HEADERS_EN, *(staff_row(n) for n in range(1, 40))]
    report = run(manager_a, csv_upload(rows))
    assert "larger than 1.0" in report.file_error
    assert StaffMember.objects.count() == 0


def test_too_many_rows_are_refused(manager_a, season, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [STAFF_HEADERS_EN, *(staff_row(n) for n in range(1, 5))]
    report = run(manager_a, csv_upload(rows))
    assert "more than 3 rows" in report.file_error
    assert StaffMember.objects.count() == 0


def test_missing_unknown_and_repeated_headers_are_reported_on_the_header_row(manager_a, season):
    headers = ["Name (Arabic)", "Name (English)", "National ID", "Phone", "Mobile", "Shoe size"]
    report = run(manager_a, csv_upload([headers, ["a", "b", "c", "d", "e", "f"]]))
    found = {(e.row, e.column, e.message) for e in report.errors}
    assert (1, "Mobile", "This column appears twice.") in found
    assert any(column == "Shoe size" and row == 1 for row, column, _ in found)
    assert (1, "Gender", "This column is missing.") in found
    assert StaffMember.objects.count() == 0


def test_an_agency_column_is_not_accepted_from_an_agency_manager(manager_a, season):
    rows = [[*STAFF_HEADERS_EN, "Agency code"], [*staff_row(1), "agency-b"]]
    report = run(manager_a, csv_upload(rows))
    assert [(e.row, e.column) for e in report.errors] == [(1, "Agency code")]
    assert StaffMember.objects.count() == 0


def test_a_duplicate_national_id_inside_the_file(manager_a, season):
    rows = [
        STAFF_HEADERS_EN,
        staff_row(1),
        staff_row(2),
        staff_row(3, national_id="١٠٠٠٠٠٠٠٠٨"[:0] + national_id(1)),
    ]
    report = run(manager_a, csv_upload(rows))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (4, "National ID", "The same national ID is also in row 2."),
    ]
    assert StaffMember.objects.count() == 0


def test_a_national_id_on_another_agencys_roster_this_season(manager_a, agency_b, season):
    make_staff(agency_b, season, 1, start=2)
    rows = [STAFF_HEADERS_EN, staff_row(1), staff_row(2)]
    report = run(manager_a, csv_upload(rows))
    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.row, error.column) == (3, "National ID")
    assert "another agency" in error.message
    assert agency_b.code not in error.message and agency_b.name_en not in error.message
    assert StaffMember.objects.filter(agency__code="agency-a").count() == 0


def test_no_active_season_is_a_file_error(manager_a):
    report = run(manager_a, csv_upload([STAFF_HEADERS_EN, staff_row(1)]))
    assert "no active season" in report.file_error


def test_committee_import_uses_the_agency_code_column(committee_admin, agency_a, agency_b, season):
    rows = [
        [*STAFF_HEADERS_EN, "رمز الجهة"],
        [*staff_row(1), "AGENCY-A"],
        [*staff_row(2), "agency-b"],
        [*staff_row(3), "no-such-agency"],
        [*staff_row(4), ""],
    ]
    report = run(committee_admin, csv_upload(rows))
    assert [(e.row, e.column) for e in report.errors] == [(4, "رمز الجهة"), (5, "رمز الجهة")]
    assert "no-such-agency" in report.errors[0].message
    assert StaffMember.objects.count() == 0

    report = run(committee_admin, csv_upload(rows[:3]))
    assert report.ok, report.errors
    assert dict(StaffMember.objects.values_list("national_id", "agency__code")) == {
        national_id(1): "agency-a",
        national_id(2): "agency-b",
    }


def test_a_failure_while_saving_rolls_everything_back(manager_a, agency_b, season):
    """The unique constraint catches a row added by someone else after validation."""

    class RacingImporter(StaffImporter):
        def save(self, rows):
            make_staff(agency_b, season, 1, start=3)
            return super().save(rows)

    rows = [STAFF_HEADERS_EN, staff_row(1), staff_row(2), staff_row(3)]
    with translation.override("en"):
        report = RacingImporter(actor=manager_a).run(csv_upload(rows))
    assert "nothing was imported" in report.file_error
    assert StaffMember.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("size", [5, 50])
def test_lookups_do_not_grow_with_the_row_count(manager_a, agency_b, season, size):
    make_staff(agency_b, season, 3, start=1000)
    rows = [STAFF_HEADERS_EN, *(staff_row(n) for n in range(1, size + 1))]
    upload = csv_upload(rows)
    with CaptureQueriesContext(connection) as queries:
        report = run(manager_a, upload)
    assert report.created == size
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) <= 12, reads


def test_a_value_outside_the_columns_is_reported(manager_a, season):
    rows = [
        STAFF_HEADERS_EN,
        staff_row(1),
        ["محمد", "Alharbi", " Mohammed", national_id(2), "0501234567", "", "", "male"],
    ]
    report = run(manager_a, csv_upload(rows))
    assert (3, "") in {(e.row, e.column) for e in report.errors}
    assert any("double quotes" in e.message for e in report.errors)
    assert StaffMember.objects.count() == 0


def test_too_long_and_wrong_type_values(manager_a, season):
    rows = [
        STAFF_HEADERS_EN,
        staff_row(1, name_en="x" * 201),
        staff_row(2, gender="maybe"),
        staff_row(3, email="not-an-email", phone="12"),
    ]
    report = run(manager_a, csv_upload(rows))
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (2, "Name (English)"),
        (3, "Gender"),
        (4, "E-mail"),
        (4, "Mobile phone"),
    }
    assert StaffMember.objects.count() == 0


@pytest.mark.parametrize("importer", [StaffImporter, AgencyUserImporter])
def test_no_header_spelling_belongs_to_two_columns(committee_admin, importer):
    columns = importer(actor=committee_admin).get_columns()
    owners = {}
    for column in columns:
        for spelling in column.spellings:
            assert owners.setdefault(spelling, column.key) == column.key, spelling


def test_a_workbook_that_unpacks_to_far_more_than_the_limit_is_refused(manager_a, season, settings):
    settings.IMPORT_MAX_UPLOAD_SIZE = 10_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a/>" + " " * 1_000_000)
    assert len(buffer.getvalue()) < 10_000
    report = run(manager_a, SimpleUploadedFile("roster.xlsx", buffer.getvalue()))
    assert "larger than" in report.file_error


def test_a_damaged_workbook_is_a_clear_error(manager_a, season):
    good = xlsx_upload([STAFF_HEADERS_EN, staff_row(1)]).read()
    damaged = good[: len(good) // 2]
    report = run(manager_a, SimpleUploadedFile("roster.xlsx", damaged))
    assert report.file_error
    assert StaffMember.objects.count() == 0


def test_a_duplicate_is_found_even_when_the_first_row_has_another_error(manager_a, season):
    rows = [STAFF_HEADERS_EN, staff_row(1, phone="12"), staff_row(2, national_id=national_id(1))]
    report = run(manager_a, csv_upload(rows))
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Mobile phone"),
        (3, "National ID"),
    ]

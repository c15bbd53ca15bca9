"""Helpers for the roster tests: valid national IDs, roster rows, and upload files."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from modules.agencies.models import StaffMember

STAFF_HEADERS_EN = [
    "Name (Arabic)",
    "Name (English)",
    "National ID",
    "Mobile phone",
    "E-mail",
    "Job title",
    "Gender",
]
STAFF_HEADERS_AR = [
    "الاسم بالعربية",
    "الاسم بالإنجليزية",
    "رقم الهوية",
    "الجوال",
    "البريد الإلكتروني",
    "المسمى الوظيفي",
    "الجنس",
]


def national_id(sequence: int, first: str = "1") -> str:
    """A valid ten-digit national ID (first "1") or iqama (first "2") with its check digit."""
    body = f"{first}{sequence:08d}"
    total = 0
    for index, char in enumerate(body):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return body + str((10 - total % 10) % 10)


def staff_row(sequence: int, **overrides) -> list[str]:
    values = {
        "name_ar": f"موظف رقم {sequence}",
        "name_en": f"Staffer {sequence}",
        "national_id": national_id(sequence),
        "phone": f"05{sequence:08d}"[:10],
        "email": f"staffer{sequence}@example.org",
        "job_title": "مشرف",
        "gender": "ذكر" if sequence % 2 else "female",
    }
    values.update(overrides)
    return list(values.values())


def make_staff(agency, season, count: int, *, start: int = 1) -> list[StaffMember]:
    return StaffMember.objects.bulk_create(
        StaffMember(
            agency=agency,
            season=season,
            name_ar=f"موظف رقم {n}",
            name_en=f"Staffer {n}",
            national_id=national_id(n),
            phone=f"+96650{n:07d}",
            gender="male",
        )
        for n in range(start, start + count)
    )


def csv_upload(rows, *, name="roster.csv", bom=True, encoding="utf-8", delimiter=","):
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter).writerows(rows)
    content = text.getvalue().encode(encoding)
    if bom and encoding == "utf-8":
        content = b"\xef\xbb\xbf" + content
    return SimpleUploadedFile(name, content, content_type="text/csv")


def xlsx_upload(rows, *, name="roster.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.fixture
def no_committee_mfa(settings):
    """Committee people are sent to set up TOTP first; these tests are not about that."""
    settings.MFA_REQUIRED_FOR_COMMITTEE = False

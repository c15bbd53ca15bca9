"""Agency account import: committee only; creates accounts with memberships and invites."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import translation

from modules.accounts.models import User
from modules.agencies.imports import AgencyUserImporter
from modules.agencies.models import Membership
from modules.notifications.models import Message

from .conftest import csv_upload, xlsx_upload

HEADERS_EN = [
    "E-mail",
    "First name",
    "Last name",
    "Mobile phone",
    "Preferred language",
    "Role",
    "Agency code",
]
HEADERS_AR = [
    "البريد الإلكتروني",
    "الاسم الأول",
    "اسم العائلة",
    "الجوال",
    "اللغة المفضلة",
    "الدور",
    "رمز الجهة",
]


def run(actor, upload, callbacks, language="en"):
    with translation.override(language), callbacks(execute=True):
        return AgencyUserImporter(actor=actor).run(upload)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_accounts_are_created_with_memberships_and_invited(
    committee_admin, agency_a, agency_b, django_capture_on_commit_callbacks, kind
):
    rows = [
        HEADERS_AR,
        [
            "New.Manager@Example.org",
            "سارة",
            "القحطاني",
            "٠٥٥١٢٣٤٥٦٧",
            "العربية",
            "مدير جهة",
            "agency-a",
        ],
        ["staffer@example.org", "Omar", "Siddiqui", "", "English", "agency staff", "agency-b"],
    ]
    upload = csv_upload(rows) if kind == "csv" else xlsx_upload(rows)
    report = run(committee_admin, upload, django_capture_on_commit_callbacks)
    assert report.ok, (report.file_error, report.errors)
    assert report.created == 2

    manager = User.objects.get(email="new.manager@example.org")
    assert manager.phone == "+966551234567"
    assert manager.preferred_language == "ar"
    assert not manager.has_usable_password()
    assert manager.membership.agency == agency_a
    assert manager.membership.role == "agency_manager"
    staffer = User.objects.get(email="staffer@example.org")
    assert (staffer.membership.agency, staffer.membership.role) == (agency_b, "agency_staff")
    assert staffer.preferred_language == "en"

    assert Message.objects.filter(user__in=[manager, staffer]).count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "new.manager@example.org",
        "staffer@example.org",
    ]


def test_a_bad_row_creates_no_account_and_sends_nothing(
    committee_admin, manager_a, agency_a, django_capture_on_commit_callbacks
):
    rows = [
        HEADERS_EN,
        ["first@example.org", "A", "B", "", "", "agency_manager", "agency-a"],
        ["not-an-email", "C", "D", "", "", "agency_staff", "agency-a"],
        ["MANAGER-A@example.org", "E", "F", "", "", "agency_staff", "agency-a"],
        ["first@example.org", "G", "H", "", "", "agency_staff", "agency-a"],
        ["second@example.org", "I", "J", "", "", "committee_admin", "nowhere"],
    ]
    accounts_before = User.objects.count()
    report = run(committee_admin, csv_upload(rows), django_capture_on_commit_callbacks)
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "E-mail"),
        (4, "E-mail"),
        (5, "E-mail"),
        (6, "Role"),
        (6, "Agency code"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(4, "E-mail")] == "An account with this e-mail address already exists."
    assert messages[(5, "E-mail")] == "The same e-mail address is also in row 2."
    assert User.objects.count() == accounts_before
    assert not Membership.objects.exclude(user=manager_a).exists()
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_errors_in_arabic(committee_admin, agency_a, django_capture_on_commit_callbacks):
    rows = [HEADERS_AR, ["", "سارة", "القحطاني", "", "", "مدير جهة", "agency-a"]]
    report = run(committee_admin, csv_upload(rows), django_capture_on_commit_callbacks, "ar")
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "البريد الإلكتروني", "هذا الحقل مطلوب."),
    ]


def test_only_committee_administrators_may_import_accounts(manager_a, staff_a, agency_a):
    upload = csv_upload(
        [HEADERS_EN, ["x@example.org", "X", "Y", "", "", "agency_staff", "agency-a"]]
    )
    for actor in (manager_a, staff_a):
        assert not AgencyUserImporter.allowed(actor)
        with pytest.raises(PermissionDenied):
            AgencyUserImporter(actor=actor).run(upload)
    assert not User.objects.filter(email="x@example.org").exists()

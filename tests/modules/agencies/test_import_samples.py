"""Every sample in fixtures/import-samples/ imports cleanly (so they stay valid)."""

from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from modules.accounts.models import User
from modules.agencies.imports import AgencyUserImporter, StaffImporter
from modules.agencies.models import StaffMember
from tests.support.fixtures import make_agency

SAMPLES = Path(__file__).resolve().parents[3] / "fixtures" / "import-samples"


def sample(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes())


@pytest.fixture
def demo_agencies(db):
    return [make_agency(code) for code in ("emirate-hajj", "health-affairs", "haramain-authority")]


@pytest.mark.parametrize("name, count", [("staff-ar.csv", 4), ("staff-en.xlsx", 3)])
def test_agency_manager_samples(manager_a, season, name, count):
    report = StaffImporter(actor=manager_a).run(sample(name))
    assert report.ok, (report.file_error, report.errors)
    assert StaffMember.objects.filter(agency=manager_a.membership.agency).count() == count


def test_committee_staff_sample(committee_admin, season, demo_agencies):
    report = StaffImporter(actor=committee_admin).run(sample("staff-committee-en.csv"))
    assert report.ok, (report.file_error, report.errors)
    assert StaffMember.objects.count() == 3


def test_accounts_sample(committee_admin, demo_agencies, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = AgencyUserImporter(actor=committee_admin).run(sample("accounts-ar.csv"))
    assert report.ok, (report.file_error, report.errors)
    assert User.objects.filter(membership__isnull=False).count() == 3
    assert len(mail.outbox) == 3

"""Roster services: normalisation, one roster per person per season, scope and audit."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from modules.agencies.models import StaffMember
from modules.agencies.services import (
    staff_bulk_create,
    staff_create,
    staff_set_active,
    staff_update,
)
from modules.audit.models import AuditAction, AuditEntry

from .conftest import make_staff, national_id

PERSON = {
    "name_ar": " سارة القحطاني ",
    "name_en": "Sara Alqahtani",
    "national_id": "١٠٠٠٠٠٠٠٠٨",
    "phone": "٠٥٠١٢٣٤٥٦٧",
    "gender": "female",
}


def audit_entries(member):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(StaffMember), object_id=str(member.pk)
    )


def test_create_normalises_and_uses_the_actors_agency_and_active_season(
    manager_a, agency_a, season
):
    member = staff_create(actor=manager_a, **PERSON)
    member.refresh_from_db()
    assert member.agency == agency_a
    assert member.season == season
    assert member.national_id == "1000000008"
    assert member.phone == "+966501234567"
    assert member.name_ar == "سارة القحطاني"
    entry = audit_entries(member).get()
    assert entry.action == AuditAction.CREATE
    assert entry.actor == manager_a


def test_an_agency_user_cannot_write_to_another_agency(manager_a, agency_b, season):
    with pytest.raises(PermissionDenied):
        staff_create(actor=manager_a, agency=agency_b, **PERSON)
    assert not StaffMember.objects.exists()


def test_agency_staff_cannot_add(staff_a, season):
    with pytest.raises(PermissionDenied):
        staff_create(actor=staff_a, **PERSON)


def test_committee_names_the_agency(committee_admin, agency_b, season):
    with pytest.raises(ValidationError) as error:
        staff_create(actor=committee_admin, **PERSON)
    assert "agency" in error.value.message_dict
    member = staff_create(actor=committee_admin, agency=agency_b, **PERSON)
    assert member.agency == agency_b


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English; their Arabic is the catalog's business."""
    with translation.override("en"):
        yield


def test_no_active_season_is_a_clear_error(manager_a):
    with pytest.raises(ValidationError) as error:
        staff_create(actor=manager_a, **PERSON)
    assert "active season" in " ".join(error.value.messages)


def test_a_person_on_another_agencys_roster_is_refused_without_naming_it(
    manager_a, manager_b, agency_b, season
):
    staff_create(actor=manager_b, **PERSON)
    with pytest.raises(ValidationError) as error:
        staff_create(actor=manager_a, **{**PERSON, "national_id": "1000000008"})
    message = " ".join(error.value.message_dict["national_id"])
    assert "another agency" in message
    assert agency_b.name_ar not in message and agency_b.code not in message
    assert StaffMember.objects.count() == 1


def test_a_person_already_on_the_same_roster_gets_their_own_message(manager_a, season):
    staff_create(actor=manager_a, **PERSON)
    with pytest.raises(ValidationError) as error:
        staff_create(actor=manager_a, **PERSON)
    assert "already on this agency's roster" in " ".join(error.value.message_dict["national_id"])


def test_update_validates_and_audits_the_change(manager_a, season):
    member = staff_create(actor=manager_a, **PERSON)
    staff_update(actor=manager_a, staff=member, data={"phone": "0551234567", "job_title": "قائد"})
    member.refresh_from_db()
    assert member.phone == "+966551234567"
    assert member.job_title == "قائد"
    change = audit_entries(member).get(action=AuditAction.UPDATE)
    assert change.changes["phone"] == ["+966501234567", "+966551234567"]

    with pytest.raises(ValidationError) as error:
        staff_update(actor=manager_a, staff=member, data={"national_id": "1000000009"})
    assert "national_id" in error.value.message_dict


def test_update_cannot_take_a_national_id_used_elsewhere(manager_a, agency_b, season):
    (other,) = make_staff(agency_b, season, 1, start=7)
    member = staff_create(actor=manager_a, **PERSON)
    with pytest.raises(ValidationError):
        staff_update(actor=manager_a, staff=member, data={"national_id": other.national_id})


def test_update_refuses_fields_that_are_not_editable(manager_a, season):
    member = staff_create(actor=manager_a, **PERSON)
    with pytest.raises(ValueError, match="agency"):
        staff_update(actor=manager_a, staff=member, data={"agency": None})


def test_set_active_toggles_and_respects_scope(manager_a, manager_b, season):
    member = staff_create(actor=manager_a, **PERSON)
    staff_set_active(actor=manager_a, staff=member, is_active=False)
    member.refresh_from_db()
    assert member.is_active is False
    with pytest.raises(PermissionDenied):
        staff_set_active(actor=manager_b, staff=member, is_active=True)


def test_bulk_create_audits_every_row_and_stays_in_scope(manager_a, agency_a, agency_b, season):
    rows = [
        StaffMember(
            agency=agency_a,
            season=season,
            name_ar="أ",
            name_en="A",
            national_id=national_id(n),
            phone="+966501234567",
            gender="male",
        )
        for n in range(1, 4)
    ]
    created = staff_bulk_create(actor=manager_a, members=rows)
    assert len(created) == 3
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, agency=agency_a).count() == 3

    foreign = [
        StaffMember(
            agency=agency_b,
            season=season,
            name_ar="ب",
            name_en="B",
            national_id=national_id(9),
            phone="+966501234567",
            gender="male",
        )
    ]
    with pytest.raises(PermissionDenied):
        staff_bulk_create(actor=manager_a, members=foreign)

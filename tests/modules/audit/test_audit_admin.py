"""The audit log in the admin: who changed what, from what to what; for administrators only."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from modules.accounts.roles import Role
from modules.agencies.models import Gender, StaffMember
from modules.agencies.services import staff_update
from modules.audit.context import acting_as
from modules.audit.models import AuditAction, AuditEntry
from tests.support.fixtures import PASSWORD, make_user

from .conftest import signed_in_with_totp

AUDIT_URL = "/admin/audit_log/"


@pytest.fixture
def member(season, agency_a):
    return StaffMember.objects.create(
        agency=agency_a,
        season=season,
        name_ar="سعد",
        name_en="Saad",
        national_id="1000000008",
        phone="+966501234567",
        gender="male",
        job_title="Driver",
    )


def _change_in_admin(client, member, **changes):
    data = {
        "name_ar": member.name_ar,
        "name_en": member.name_en,
        "national_id": member.national_id,
        "phone": member.phone,
        "email": member.email,
        "job_title": member.job_title,
        "gender": member.gender,
        "is_active": "on",
        **changes,
    }
    return client.post(f"/admin/staff_members/edit/{member.pk}/", data)


def test_a_change_in_the_admin_records_who_what_and_before_after(
    admin_client, committee_admin, member
):
    response = _change_in_admin(admin_client, member, job_title="Team leader", is_active="")
    assert response.status_code == 302

    # Two services, two entries: the details, then the deactivation.
    entry, deactivation = AuditEntry.objects.filter(action=AuditAction.UPDATE).order_by("pk")
    assert entry.actor == committee_admin
    assert entry.actor_repr == str(committee_admin)
    assert entry.content_type == ContentType.objects.get_for_model(StaffMember)
    assert entry.object_id == str(member.pk)
    assert entry.agency_id == member.agency_id
    assert entry.changes == {"job_title": ["Driver", "Team leader"]}
    assert deactivation.actor == committee_admin
    assert deactivation.changes == {"is_active": [True, False]}

    response = admin_client.get(f"{AUDIT_URL}inspect/{entry.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Driver" in text and "Team leader" in text
    assert response.context["changes"] == [
        {"label": "job title", "before": "Driver", "after": "Team leader"}
    ]


def test_a_change_by_an_agency_person_through_the_roster_service_is_recorded(manager_a, member):
    staff_update(actor=manager_a, staff=member, data={"phone": "0551234567"})
    [entry] = AuditEntry.objects.filter(action=AuditAction.UPDATE)
    assert entry.actor == manager_a
    assert entry.changes == {"phone": ["+966501234567", "+966551234567"]}


def test_foreign_keys_and_choices_read_as_names(admin_client, member, agency_a, agency_b):
    with acting_as(make_user("someone@example.org", Role.EDITOR)):
        member.agency = agency_b
        member.gender = Gender.FEMALE
        member.save()
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    response = admin_client.get(f"{AUDIT_URL}inspect/{entry.pk}/")
    with translation.override("en"):
        rows = {str(row["label"]): row for row in response.context["changes"]}
        assert rows["agency"]["before"] == f"{agency_a} (#{agency_a.pk})"
        assert rows["agency"]["after"] == f"{agency_b} (#{agency_b.pk})"
        assert rows["gender"]["before"] == str(Gender.MALE.label)
        assert rows["gender"]["after"] == str(Gender.FEMALE.label)


def test_the_listing_filters(admin_client, committee_admin, member, agency_a, agency_b):
    _change_in_admin(admin_client, member, job_title="Team leader")
    other = make_user("other-admin@example.org", Role.COMMITTEE_ADMIN)
    other_client = signed_in_with_totp(other)
    other_client.post(
        "/admin/agencies/new/",
        {
            "name_ar": "جهة",
            "name_en": "New Agency",
            "code": "new-agency",
            "kind": "charity",
            "is_active": "on",
        },
    )
    old = AuditEntry.objects.create(
        actor_repr="archive",
        action=AuditAction.DELETE,
        content_type=ContentType.objects.get_for_model(StaffMember),
        object_id="1",
        object_repr="Old",
        agency=agency_b,
    )
    AuditEntry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )

    def listed(**query):
        response = admin_client.get(AUDIT_URL, query)
        assert response.status_code == 200
        return {entry.object_repr for entry in response.context["object_list"]}

    # A record is named in the language of the person who changed it (this admin: English).
    assert listed(actor=committee_admin.pk) == {member.name_en}
    assert listed(actor=other.pk) == {"جهة"}
    assert listed(action=AuditAction.DELETE) == {"Old"}
    assert listed(content_type=ContentType.objects.get_for_model(StaffMember).pk) == {
        member.name_en,
        "Old",
    }
    assert listed(agency=agency_b.pk) == {"Old"}
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert "Old" not in listed(created_at_from=since)
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert listed(created_at_to=until) == {"Old"}


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.OPERATOR, Role.EDITOR])
def test_other_committee_roles_do_not_see_the_audit_log(db, role):
    client = signed_in_with_totp(make_user(f"{role.value}@example.org", role))
    assert client.get("/admin/").status_code == 200
    response = client.get(AUDIT_URL)
    # Wagtail answers a refused admin page with a redirect home and a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert AUDIT_URL.encode() not in client.get("/admin/").content


def test_agency_people_do_not_see_the_audit_log(client, manager_a):
    client.post("/ar/accounts/login/", {"login": manager_a.email, "password": PASSWORD})
    assert client.get(AUDIT_URL).status_code == 403


def test_administrators_see_it_in_the_menu_and_it_is_read_only(admin_client, member):
    assert AUDIT_URL.encode() in admin_client.get("/admin/").content
    for view in ("add", "edit", "delete", "copy", "history"):
        with pytest.raises(NoReverseMatch):
            reverse(f"audit_log:{view}", args=[] if view == "add" else [1])
    entry = AuditEntry.objects.create(
        actor_repr="x",
        action=AuditAction.UPDATE,
        content_type=ContentType.objects.get_for_model(StaffMember),
        object_id=str(member.pk),
        object_repr=str(member),
        changes={"name_en": ["a", "b"]},
    )
    response = admin_client.get(AUDIT_URL)
    assert f"{AUDIT_URL}inspect/{entry.pk}/".encode() in response.content
    assert f"{AUDIT_URL}new/".encode() not in response.content


def test_the_listing_queries_do_not_grow_with_entries(admin_client, agency_a, agency_b):
    def add_entries(count):
        for number in range(count):
            AuditEntry.objects.create(
                actor_repr="someone",
                action=AuditAction.UPDATE,
                content_type=ContentType.objects.get_for_model(StaffMember),
                object_id=str(number),
                object_repr=f"Entry {number}",
                agency=(agency_a, agency_b)[number % 2],
                changes={"name_en": ["a", "b"]},
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(AUDIT_URL).status_code == 200
        return len(captured)

    add_entries(3)
    queries()  # the first request also fills per-process caches
    few = queries()
    add_entries(17)
    assert queries() == few

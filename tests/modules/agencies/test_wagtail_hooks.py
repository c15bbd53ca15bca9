"""The committee's "Agencies" menu in the Wagtail admin: seasons, agencies, memberships, staff."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from modules.accounts.roles import Role
from modules.agencies.models import Agency, AgencyKind, Membership, Season, StaffMember
from modules.agencies.validators import national_id_is_valid
from modules.agencies.wagtail_hooks import ScopedIndexView
from modules.core.hijri import format_hijri
from tests.support.fixtures import make_agency, make_user


def _staff(agency, season, national_id="1000000008", **fields):
    return StaffMember.objects.create(
        agency=agency,
        season=season,
        name_ar=fields.pop("name_ar", "موظف"),
        name_en=fields.pop("name_en", "Staffer"),
        national_id=national_id,
        phone="+966501234567",
        gender="male",
        **fields,
    )


def test_the_agencies_menu_lists_its_four_pages(admin_client):
    response = admin_client.get("/admin/")
    text = response.content.decode()
    for url in (
        "/admin/seasons/",
        "/admin/agencies/",
        "/admin/memberships/",
        "/admin/staff_members/",
    ):
        assert url in text
        assert admin_client.get(url).status_code == 200


def test_the_season_form_shows_hijri_dates(admin_client, season):
    response = admin_client.get(f"/admin/seasons/edit/{season.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'type="date"' in text
    with translation.override("en"):  # the admin's language
        assert format_hijri(season.starts_on) in text
        assert format_hijri(season.ends_on) in text


def test_activating_a_season_ends_the_previous_one(admin_client, season):
    response = admin_client.post(
        "/admin/seasons/new/",
        {
            "hijri_year": 1448,
            "starts_on": "2027-04-20",
            "ends_on": "2027-05-31",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert list(Season.objects.active().values_list("hijri_year", flat=True)) == [1448]
    season.refresh_from_db()
    assert not season.is_active

    response = admin_client.post(
        f"/admin/seasons/edit/{season.pk}/",
        {
            "hijri_year": 1447,
            "starts_on": "2026-05-01",
            "ends_on": "2026-06-10",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert list(Season.objects.active().values_list("hijri_year", flat=True)) == [1447]


def test_a_season_cannot_end_before_it_starts(admin_client, db):
    response = admin_client.post(
        "/admin/seasons/new/",
        {"hijri_year": 1449, "starts_on": "2028-05-01", "ends_on": "2028-04-01"},
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert not Season.objects.exists()


def test_agency_listing_filters_searches_and_counts_memberships(
    admin_client, agency_a, manager_a, staff_a
):
    charity = make_agency("charity-c", kind=AgencyKind.CHARITY)
    Agency.objects.filter(pk=charity.pk).update(is_active=False)

    response = admin_client.get("/admin/agencies/")
    rows = {agency.pk: agency for agency in response.context["object_list"]}
    assert rows[agency_a.pk].membership_count == 2
    assert rows[charity.pk].membership_count == 0

    def listed(**query):
        response = admin_client.get("/admin/agencies/", query)
        return {agency.pk for agency in response.context["object_list"]}

    assert listed(kind=AgencyKind.CHARITY) == {charity.pk}
    assert listed(is_active="false") == {charity.pk}
    assert listed(q="charity-c") == {charity.pk}
    assert listed(q=agency_a.name_en) == {agency_a.pk}


def test_staff_listing_filters_by_agency_season_and_active(
    admin_client, season, agency_a, agency_b
):
    old_season = Season.objects.create(
        hijri_year=1446, starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2025, 6, 10)
    )
    mine = _staff(agency_a, season, "1000000008")
    theirs = _staff(agency_b, season, "1000000016")
    last_year = _staff(agency_a, old_season, "1000000008")
    gone = _staff(agency_a, season, "1000000024", is_active=False)

    def listed(**query):
        response = admin_client.get("/admin/staff_members/", query)
        assert response.status_code == 200
        return {member.pk for member in response.context["object_list"]}

    assert listed() == {mine.pk, theirs.pk, last_year.pk, gone.pk}
    assert listed(agency=agency_b.pk) == {theirs.pk}
    assert listed(season=old_season.pk) == {last_year.pk}
    assert listed(is_active="false") == {gone.pk}


def test_staff_are_added_and_changed_through_the_roster_services(admin_client, season, agency_a):
    response = admin_client.post(
        "/admin/staff_members/new/",
        {
            "agency": agency_a.pk,
            "name_ar": "خالد",
            "name_en": "Khalid",
            "national_id": "١٠٠٠٠٠٠٠٠٨",
            "phone": "0501234567",
            "gender": "male",
        },
    )
    assert response.status_code == 302
    member = StaffMember.objects.get()
    assert (member.national_id, member.phone, member.season) == (
        "1000000008",
        "+966501234567",
        season,
    )

    other = make_agency("agency-x")
    _staff(other, season, "1000000016")
    response = admin_client.post(
        f"/admin/staff_members/edit/{member.pk}/",
        {
            "name_ar": "خالد",
            "name_en": "Khalid",
            "national_id": "1000000016",
            "phone": "+966501234567",
            "gender": "male",
            "is_active": "on",
        },
    )
    assert response.status_code == 200, "a national ID on another roster is refused"
    assert "national_id" in response.context["form"].errors

    response = admin_client.post(
        f"/admin/staff_members/edit/{member.pk}/",
        {
            "name_ar": "خالد",
            "name_en": "Khalid Omar",
            "national_id": "1000000008",
            "phone": "+966501234567",
            "gender": "male",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name_en, member.is_active) == ("Khalid Omar", False)


def test_roster_entries_and_memberships_are_not_deleted_from_the_admin(
    admin_client, season, agency_a, manager_a
):
    member = _staff(agency_a, season)
    for name, pk in (("staff_members", member.pk), ("memberships", manager_a.membership.pk)):
        with pytest.raises(NoReverseMatch):
            reverse(f"{name}:delete", args=[pk])
        assert admin_client.get(f"/admin/{name}/delete/{pk}/", follow=True).status_code == 404


def test_memberships_are_saved_through_user_set_role(admin_client, agency_a, agency_b):
    person = make_user("operator@example.org", Role.OPERATOR)
    newcomer = make_user("newcomer@example.org", Role.AGENCY_STAFF, agency_a)
    Membership.objects.filter(user=newcomer).delete()

    response = admin_client.get("/admin/memberships/new/")
    choices = set(response.context["form"].fields["user"].queryset)
    assert newcomer in choices
    assert person not in choices, "committee people change sides on the Users page"

    response = admin_client.post(
        "/admin/memberships/new/",
        {"user": newcomer.pk, "agency": agency_b.pk, "role": Role.AGENCY_MANAGER.value},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert membership.agency == agency_b
    assert set(newcomer.groups.values_list("name", flat=True)) == {Role.AGENCY_MANAGER.value}

    response = admin_client.post(
        f"/admin/memberships/edit/{membership.pk}/",
        {"agency": agency_a.pk, "role": Role.AGENCY_STAFF.value},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.agency, membership.role) == (agency_a, Role.AGENCY_STAFF.value)
    assert set(newcomer.groups.values_list("name", flat=True)) == {Role.AGENCY_STAFF.value}


def test_admin_listings_start_from_for_user(season, agency_a, agency_b, manager_a):
    _staff(agency_a, season, "1000000008")
    _staff(agency_b, season, "1000000016")
    request = RequestFactory().get("/admin/staff_members/")
    request.user = manager_a
    view = ScopedIndexView(model=StaffMember)
    view.setup(request)
    assert {member.agency_id for member in view.get_base_queryset()} == {agency_a.pk}


def test_a_season_or_agency_in_use_is_kept_with_a_message(admin_client, season, agency_a):
    # bulk_create, as the imports do: no signal, so Wagtail's usage count does not see it.
    StaffMember.objects.bulk_create(
        [
            StaffMember(
                agency=agency_a,
                season=season,
                name_ar="س",
                name_en="S",
                national_id="1000000008",
                phone="+966501234567",
                gender="male",
            )
        ]
    )
    for url in (f"/admin/seasons/delete/{season.pk}/", f"/admin/agencies/delete/{agency_a.pk}/"):
        response = admin_client.post(url)
        assert response.status_code == 302
    assert Season.objects.filter(pk=season.pk).exists()
    assert Agency.objects.filter(pk=agency_a.pk).exists()
    unused = make_agency("unused")
    assert admin_client.post(f"/admin/agencies/delete/{unused.pk}/").status_code == 302
    assert not Agency.objects.filter(pk=unused.pk).exists()


@pytest.mark.parametrize(
    "url", ["/admin/staff_members/", "/admin/agencies/", "/admin/memberships/"]
)
def test_listing_queries_do_not_grow_with_rows(admin_client, season, url):
    def add_rows(start, count):
        for number in range(start, start + count):
            agency = make_agency(f"agency-{number}")
            make_user(f"person-{number}@example.org", Role.AGENCY_STAFF, agency)
            base = f"1{number:08d}"
            check = next(d for d in "0123456789" if national_id_is_valid(base + d))
            _staff(agency, season, base + check)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    add_rows(0, 3)
    queries()  # the first request also fills per-process caches
    few = queries()
    add_rows(3, 12)
    assert queries() == few

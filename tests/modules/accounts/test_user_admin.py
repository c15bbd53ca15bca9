"""The committee's user admin: people are invited, roles and deactivation go through services."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from modules.accounts.models import User
from modules.accounts.roles import Role
from modules.agencies.models import Membership
from modules.notifications.models import Message
from tests.support.fixtures import PASSWORD, make_user
from tests.support.mfa import activate_totp, sign_in

USERS_URL = "/admin/users/"
ADD_URL = "/admin/users/new/"


def _edit_url(user):
    return f"/admin/users/edit/{user.pk}/"


def _person(**overrides):
    return {
        "email": "Huda.Salem@Example.org",
        "first_name": "هدى",
        "last_name": "سالم",
        "phone": "٠٥٠١٢٣٤٥٦٧",
        "preferred_language": "ar",
        "role": Role.AGENCY_MANAGER.value,
        **overrides,
    }


def _edit_data(user, **overrides):
    data = {
        "email": user.email,
        "first_name": user.first_name or "x",
        "last_name": user.last_name or "y",
        "phone": user.phone,
        "preferred_language": user.preferred_language,
        "role": user.role,
        "agency": user.agency_id or "",
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value not in (None, False)}


def test_the_add_form_has_no_password_and_asks_for_role_and_agency(admin_client):
    response = admin_client.get(ADD_URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {
        "email",
        "first_name",
        "last_name",
        "phone",
        "preferred_language",
        "role",
        "agency",
    }
    assert b'name="password1"' not in response.content
    assert [value for value, _ in form.fields["role"].choices] == list(Role.values)


def test_adding_a_person_creates_the_account_and_mails_the_invitation(
    admin_client, agency_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD_URL, _person(agency=agency_a.pk))
    assert response.status_code == 302

    person = User.objects.get(email="huda.salem@example.org")
    assert person.phone == "+966501234567"
    assert person.role == Role.AGENCY_MANAGER
    assert person.agency_id == agency_a.pk
    assert person.membership.role == Role.AGENCY_MANAGER
    assert not person.has_usable_password()
    [mail] = mailoutbox
    assert mail.to == ["huda.salem@example.org"]
    assert Message.objects.filter(user=person, template="accounts/invitation").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"role": Role.AGENCY_STAFF.value}, "agency"),
        ({"role": Role.EDITOR.value, "agency": "AGENCY"}, "agency"),
        ({"email": "ADMIN@example.org"}, "email"),
        ({"phone": "12"}, "phone"),
    ],
)
def test_the_add_form_refuses_inconsistent_people(
    admin_client, agency_a, mailoutbox, overrides, field
):
    data = _person(**overrides)
    if data.get("agency") == "AGENCY":
        data["agency"] = agency_a.pk
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(email="huda.salem@example.org").exists()
    assert not mailoutbox


def test_changing_the_role_goes_through_user_set_role(admin_client, staff_a):
    response = admin_client.post(
        _edit_url(staff_a), _edit_data(staff_a, role=Role.REVIEWER.value, agency="")
    )
    assert response.status_code == 302
    staff_a = User.objects.get(pk=staff_a.pk)
    assert staff_a.role == Role.REVIEWER
    assert list(staff_a.groups.values_list("name", flat=True)) == [Role.REVIEWER.value]
    assert not Membership.objects.filter(user=staff_a).exists()


def test_moving_a_person_to_another_agency(admin_client, staff_a, agency_b):
    response = admin_client.post(_edit_url(staff_a), _edit_data(staff_a, agency=agency_b.pk))
    assert response.status_code == 302
    assert Membership.objects.get(user=staff_a).agency == agency_b


def test_unticking_active_ends_the_persons_sessions(admin_client, manager_a):
    browser = Client()
    sign_in(browser, manager_a.email, PASSWORD)
    assert browser.get("/ar/portal/").status_code == 200

    response = admin_client.post(_edit_url(manager_a), _edit_data(manager_a, is_active=""))
    assert response.status_code == 302
    manager_a.refresh_from_db()
    assert not manager_a.is_active
    response = browser.get("/ar/portal/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    response = admin_client.post(_edit_url(manager_a), _edit_data(manager_a, is_active="on"))
    assert response.status_code == 302
    manager_a.refresh_from_db()
    assert manager_a.is_active
    assert sign_in(browser, manager_a.email, PASSWORD).status_code == 302


def test_nobody_changes_their_own_role_or_deactivates_themselves(admin_client, committee_admin):
    response = admin_client.get(_edit_url(committee_admin))
    assert response.status_code == 200
    assert not {"role", "agency", "is_active"} & set(response.context["form"].fields)
    response = admin_client.post(
        _edit_url(committee_admin),
        {
            "email": committee_admin.email,
            "first_name": "Renamed",
            "last_name": "Admin",
            "phone": "",
            "preferred_language": "en",
            "role": Role.AGENCY_STAFF.value,
            "is_active": "",
        },
    )
    assert response.status_code == 302
    committee_admin = User.objects.get(pk=committee_admin.pk)
    assert committee_admin.first_name == "Renamed"
    assert committee_admin.is_active
    assert committee_admin.role == Role.COMMITTEE_ADMIN


def test_resending_an_invitation(
    admin_client, staff_a, mailoutbox, django_capture_on_commit_callbacks
):
    listing = admin_client.get(USERS_URL)
    resend_url = f"/admin/users/invite/{staff_a.pk}/"
    assert resend_url.encode() in listing.content
    assert resend_url.encode() in admin_client.get(_edit_url(staff_a)).content
    assert admin_client.get(resend_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(resend_url)
    assert response.status_code == 302
    assert response["Location"] == _edit_url(staff_a)
    [mail] = mailoutbox
    assert mail.to == [staff_a.email]


def test_the_listing_shows_role_and_agency_and_filters_by_agency(
    admin_client, manager_a, manager_b, agency_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = admin_client.get(USERS_URL)
    text = response.content.decode()
    assert str(Role.AGENCY_MANAGER.label) in text
    assert agency_a.name_ar in text
    response = admin_client.get(USERS_URL, {"agency": agency_a.pk})
    emails = {user.email for user in response.context["object_list"]}
    assert emails == {manager_a.email}


def test_the_listing_queries_do_not_grow_with_people(admin_client, agency_a):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(USERS_URL).status_code == 200
        return len(queries)

    count()  # the first request also fills per-process caches
    for n in range(3):
        make_user(f"few-{n}@example.org", Role.AGENCY_STAFF, agency_a)
    few = count()
    for n in range(15):
        make_user(f"many-{n}@example.org", Role.AGENCY_STAFF, agency_a)
    assert count() == few


def test_bulk_deactivation_goes_through_the_service(admin_client, manager_a, staff_a):
    browser = Client()
    sign_in(browser, staff_a.email, PASSWORD)
    url = (
        f"/admin/bulk/accounts/user/set_active_state/?next={USERS_URL}"
        f"&id={manager_a.pk}&id={staff_a.pk}"
    )
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"mark_as_active": "False"})
    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[manager_a.pk, staff_a.pk], is_active=True).exists()
    assert browser.get("/ar/portal/").status_code == 302


def test_bulk_role_assignment_keeps_the_agency_rule(admin_client, committee_admin, agency_b):
    editor = make_user("editor@example.org", Role.EDITOR)
    url = f"/admin/bulk/accounts/user/assign_role/?next={USERS_URL}&id={editor.pk}"
    response = admin_client.post(url, {"role": Role.AGENCY_STAFF.value})
    assert response.status_code == 200
    assert User.objects.get(pk=editor.pk).role == Role.EDITOR

    response = admin_client.post(url, {"role": Role.AGENCY_STAFF.value, "agency": agency_b.pk})
    assert response.status_code == 302
    editor = User.objects.get(pk=editor.pk)
    assert editor.role == Role.AGENCY_STAFF
    assert editor.agency_id == agency_b.pk


def test_the_groups_page_still_works(db):
    superuser = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    activate_totp(superuser)
    client = Client()
    client.force_login(superuser)
    response = client.get("/admin/groups/")
    assert response.status_code == 200
    assert Role.COMMITTEE_ADMIN.value.encode() in response.content
    group = Group.objects.get(name=Role.REVIEWER.value)
    assert client.get(f"/admin/groups/edit/{group.pk}/").status_code == 200


def test_wagtail_uses_our_user_admin():
    from django.apps import apps

    assert apps.get_app_config("wagtailusers").user_viewset == (
        "modules.accounts.admin_views.UserViewSet"
    ), 'INSTALLED_APPS must list "modules.accounts.apps.RifadaUsersAppConfig" for "wagtail.users"'

"""Shared fixtures: people of every role, two agencies and an active season."""

import datetime

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from modules.accounts.role_sync import sync_role_groups
from modules.accounts.roles import Role
from modules.accounts.services import user_create, user_update_profile
from modules.agencies.models import Agency, AgencyKind, Season

PASSWORD = "A-long-test-passphrase-1447"


@pytest.fixture
def season(db):
    return Season.objects.create(
        hijri_year=1447,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 6, 10),
        is_active=True,
    )


def make_agency(code: str, kind=AgencyKind.GOVERNMENT) -> Agency:
    return Agency.objects.create(
        code=code, name_ar=f"جهة {code}", name_en=f"Agency {code}", kind=kind
    )


@pytest.fixture
def agency_a(db):
    return make_agency("agency-a")


@pytest.fixture
def agency_b(db):
    return make_agency("agency-b")


def ensure_role_groups() -> None:
    """Tests that commit (live server, second processes) end with a flush, which empties the
    tables the data migrations filled; put the role groups back for the tests after them."""
    if Group.objects.filter(name__in=Role.values).count() < len(Role.values):
        sync_role_groups(django_apps)


def make_user(email: str, role: Role, agency: Agency | None = None, *, password=PASSWORD):
    ensure_role_groups()
    user = user_create(
        email=email, role=role, agency=agency, invite=False, first_name=email.split("@")[0]
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def manager_a(agency_a):
    return make_user("manager-a@example.org", Role.AGENCY_MANAGER, agency_a)


@pytest.fixture
def manager_b(agency_b):
    return make_user("manager-b@example.org", Role.AGENCY_MANAGER, agency_b)


@pytest.fixture
def staff_a(agency_a):
    return make_user("staff-a@example.org", Role.AGENCY_STAFF, agency_a)


@pytest.fixture
def committee_admin(db):
    return make_user("admin@example.org", Role.COMMITTEE_ADMIN)


@pytest.fixture
def admin_client(client, committee_admin):
    """The committee administrator in the Wagtail admin: second factor set up, admin in English
    (tests read English; Arabic pages are checked by the tests that ask for Arabic)."""
    from .mfa import activate_totp

    activate_totp(committee_admin)
    user_update_profile(
        user=committee_admin,
        first_name=committee_admin.first_name,
        last_name=committee_admin.last_name,
        phone="",
        preferred_language="en",
    )
    client.force_login(committee_admin)
    return client

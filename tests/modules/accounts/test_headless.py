"""The phone and tablet apps sign in through allauth's headless API and use its session token
on /api/v1/; deactivating the person ends the token and their browser sessions at once."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client

from modules.accounts.services import user_deactivate
from modules.agencies.models import StaffMember
from tests.support.fixtures import PASSWORD
from tests.support.mfa import sign_in

APP_LOGIN_URL = "/_allauth/app/v1/auth/login"
STAFF_URL = "/api/v1/staff/"


def _staff(agency, season, national_id, name):
    return StaffMember.objects.create(
        agency=agency,
        season=season,
        name_ar=name,
        name_en=name,
        national_id=national_id,
        phone="+966501234567",
        gender="male",
    )


def _app_login(email: str, password: str):
    return Client().post(
        APP_LOGIN_URL, {"email": email, "password": password}, content_type="application/json"
    )


@pytest.fixture
def rosters(season, agency_a, agency_b):
    return {
        "a": _staff(agency_a, season, "1000000008", "Own Staffer"),
        "b": _staff(agency_b, season, "1000000016", "Other Staffer"),
    }


def test_app_token_reads_own_agency_only_and_dies_with_deactivation(manager_a, rosters):
    response = _app_login(manager_a.email, PASSWORD)
    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    app = Client()

    response = app.get(STAFF_URL, headers={"X-Session-Token": token})
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [rosters["a"].pk]

    browser = Client()
    assert sign_in(browser, manager_a.email, PASSWORD).status_code == 302
    assert browser.get("/ar/portal/").status_code == 200
    assert UserSession.objects.filter(user=manager_a).count() == 2

    user_deactivate(user=manager_a)

    response = app.get(STAFF_URL, headers={"X-Session-Token": token})
    assert response.status_code in (401, 403)
    response = browser.get("/ar/portal/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not UserSession.objects.filter(user=manager_a).exists()
    assert not Session.objects.exists()

    response = _app_login(manager_a.email, PASSWORD)
    assert response.status_code == 401
    assert "session_token" not in response.json()["meta"]


def test_app_login_with_a_wrong_password_gets_no_token(manager_a):
    response = _app_login(manager_a.email, "not-the-password")
    assert response.status_code == 400
    assert "session_token" not in response.json().get("meta", {})


def test_requests_without_a_token_are_refused(client, db):
    assert client.get(STAFF_URL).status_code in (401, 403)
    response = client.get(STAFF_URL, headers={"X-Session-Token": "made-up"})
    assert response.status_code in (401, 403)

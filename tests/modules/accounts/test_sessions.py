"""Signed-in sessions end after SESSION_COOKIE_AGE, and when the browser closes."""

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.support.fixtures import PASSWORD
from tests.support.mfa import sign_in


def test_a_session_lasts_session_cookie_age_and_no_longer(client, manager_a, settings):
    settings.SESSION_COOKIE_AGE = 45 * 60
    assert sign_in(client, manager_a.email, PASSWORD).status_code == 302

    session = Session.objects.get()
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE
    # No "remember me": the cookie itself is gone when the browser closes.
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""
    assert client.get("/ar/portal/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/ar/portal/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_configured_age_is_eight_hours_unless_the_environment_says_otherwise(settings):
    from cms.settings import base

    configured = base.env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
    assert configured == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.ACCOUNT_SESSION_REMEMBER is False

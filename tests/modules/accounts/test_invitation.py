"""Accounts are made by the committee and arrive as an invitation; nobody signs up."""

import re
from urllib.parse import urlsplit

import pytest

from modules.accounts.models import User
from modules.accounts.roles import Role
from modules.accounts.services import user_create
from modules.notifications.models import Message, MessageStatus
from tests.support.mfa import sign_in

NEW_PASSWORD = "Zamzam-water-at-dawn-1447"


def _invitation_path(mail) -> str:
    url = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.body).group(0)
    return urlsplit(url).path


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_invitation_is_mailed_in_the_persons_language_and_sets_a_password(
    client, agency_a, mailoutbox, django_capture_on_commit_callbacks, language, direction
):
    with django_capture_on_commit_callbacks(execute=True):
        person = user_create(
            email="Sara.Ali@Example.org",
            first_name="Sara",
            last_name="Ali",
            role=Role.AGENCY_STAFF,
            agency=agency_a,
            preferred_language=language,
        )

    assert person.email == "sara.ali@example.org"
    assert not person.has_usable_password()
    [mail] = mailoutbox
    assert mail.to == [person.email]
    assert mail.extra_headers["Content-Language"] == language
    [(html, _)] = mail.alternatives
    assert f'<html lang="{language}" dir="{direction}">' in html
    message = Message.objects.get(user=person)
    assert (message.language, message.status) == (language, MessageStatus.SENT)

    path = _invitation_path(mail)
    assert path.startswith(f"/{language}/accounts/password/reset/key/")
    response = client.get(path)
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert client.get(set_password_url).status_code == 200
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    response = sign_in(client, person.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/ar/portal/"

    # The link worked once: the token is bound to the password it replaced.
    client.post("/ar/accounts/logout/")
    response = client.get(path, follow=True)
    assert b"password1" not in response.content


def test_there_is_no_public_sign_up(client, db):
    response = client.get("/ar/accounts/signup/")
    assert response.status_code == 200
    assert "account/signup_closed.html" in [template.name for template in response.templates]
    assert b'name="password1"' not in response.content

    response = client.post(
        "/ar/accounts/signup/",
        {"email": "stranger@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code in (200, 403, 404)
    assert not User.objects.filter(email="stranger@example.org").exists()

    response = client.post(
        "/_allauth/app/v1/auth/signup",
        {"email": "stranger@example.org", "password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="stranger@example.org").exists()

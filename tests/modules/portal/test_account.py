"""The account page: name, mobile phone and preferred language, and what bad input does."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from modules.accounts.services import user_update_profile
from modules.agencies.validators import normalize_phone

from .conftest import url

pytestmark = pytest.mark.django_db


def profile(**changes) -> dict:
    data = {
        "first_name": "Abdullah",
        "last_name": "Alharbi",
        "phone": "0501234567",
        "preferred_language": "ar",
    }
    data.update(changes)
    return data


def test_the_page_shows_the_current_details_and_the_security_links(manager, manager_a):
    response = manager.get(url("portal:account", "en"))
    assert response.status_code == 200
    html = response.content.decode()
    assert manager_a.email in html
    assert 'value="manager-a"' in html  # first name
    for name in ("account_change_password", "mfa_index", "usersessions_list"):
        assert f'href="{url(name, "en")}"' in html


def test_saving_a_new_language_switches_the_interface_to_it(manager, manager_a):
    response = manager.post(url("portal:account", "ar"), profile(preferred_language="en"))

    assert response.status_code == 302
    assert response["Location"] == "/en/portal/account/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    manager_a.refresh_from_db()
    assert manager_a.preferred_language == "en"
    page = manager.get(response["Location"])
    html = page.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Your details have been saved." in html


def test_saving_without_changing_the_language_stays_in_the_page_language(manager, manager_a):
    response = manager.post(url("portal:account", "en"), profile(preferred_language="ar"))
    assert response["Location"] == "/en/portal/account/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert "Your details have been saved." in manager.get(response["Location"]).content.decode()


def test_the_phone_is_stored_in_international_form(manager, manager_a):
    manager.post(url("portal:account"), profile(phone="٠٥٠١٢٣٤٥٦٧", first_name=" سارة "))
    manager_a.refresh_from_db()
    assert manager_a.phone == "+966501234567"
    assert manager_a.first_name == "سارة"


def test_an_empty_phone_clears_it(manager, manager_a):
    manager_a.phone = "+966501234567"
    manager_a.save()
    manager.post(url("portal:account"), profile(phone=""))
    manager_a.refresh_from_db()
    assert manager_a.phone == ""


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_bad_phone_is_explained_in_the_page_language_and_nothing_is_saved(
    manager, manager_a, language
):
    response = manager.post(
        url("portal:account", language),
        profile(phone="12345", first_name="Changed", preferred_language="en"),
    )

    assert response.status_code == 200
    with translation.override(language):
        try:
            normalize_phone("12345")
        except ValidationError as error:
            expected = error.messages[0]
    assert response.context["form"].errors["phone"] == [expected]
    html = response.content.decode()
    assert expected in html
    assert 'aria-invalid="true"' in html
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    manager_a.refresh_from_db()
    assert (manager_a.first_name, manager_a.phone, manager_a.preferred_language) == (
        "manager-a",
        "",
        "ar",
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"first_name": "x" * 151},
        {"preferred_language": "fr"},
        {"phone": "+9665" + "1" * 40},
    ],
)
def test_other_bad_input_saves_nothing(manager, manager_a, changes):
    response = manager.post(url("portal:account", "en"), profile(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors
    manager_a.refresh_from_db()
    assert manager_a.first_name == "manager-a"


def test_markup_in_a_name_is_refused_and_nothing_is_saved(manager, manager_a):
    before = manager_a.first_name
    response = manager.post(url("portal:account"), profile(first_name="<script>alert(1)</script>"))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'aria-invalid="true"' in html
    manager_a.refresh_from_db()
    assert manager_a.first_name == before


def test_committee_people_have_no_portal_account_page(client, committee_admin, settings):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    client.force_login(committee_admin)
    assert client.get(url("portal:account")).status_code == 302


# --- the service ---------------------------------------------------------------------------


def test_the_service_refuses_a_bad_phone_and_leaves_the_person_unchanged(manager_a):
    with pytest.raises(ValidationError) as raised:
        user_update_profile(
            user=manager_a,
            first_name="New",
            last_name="",
            phone="not a phone",
            preferred_language="en",
        )
    assert "phone" in raised.value.message_dict
    manager_a.refresh_from_db()
    assert (manager_a.first_name, manager_a.preferred_language) == ("manager-a", "ar")


def test_the_service_refuses_an_unknown_language(manager_a):
    with pytest.raises(ValidationError) as raised:
        user_update_profile(
            user=manager_a, first_name="", last_name="", phone="", preferred_language="fr"
        )
    assert "preferred_language" in raised.value.message_dict

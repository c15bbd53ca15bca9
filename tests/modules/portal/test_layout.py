"""The shared layout: language and direction, the language switcher, landmarks, error pages
and allauth's pages drawn in our design."""

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from modules.accounts.models import User
from modules.accounts.roles import Role
from modules.accounts.services import invitation_url
from tests.support.fixtures import make_user

from .conftest import url

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


def switcher_targets(html: str) -> dict[str, str]:
    """{language: address} for every link of the language switcher."""
    links = re.findall(r'<a class="lang-switch"[^>]*>', html)
    return {
        re.search(r'hreflang="([^"]+)"', link).group(1): re.search(r'href="([^"]*)"', link).group(1)
        for link in links
    }


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_html_carries_the_language_and_its_direction(manager, season, language, direction):
    html = html_of(manager.get(f"/{language}/portal/"))
    assert f'<html lang="{language}" dir="{direction}">' in html


@pytest.mark.parametrize(
    ("path", "other", "expected"),
    [
        ("/ar/portal/", "en", "/en/portal/"),
        ("/en/portal/", "ar", "/ar/portal/"),
        ("/ar/portal/account/", "en", "/en/portal/account/"),
        ("/en/portal/?tab=2", "ar", "/ar/portal/?tab=2"),
    ],
)
def test_the_switcher_leads_to_the_same_page_in_the_other_language(
    manager, season, path, other, expected
):
    html = html_of(manager.get(path))
    assert switcher_targets(html) == {other: expected}
    # A plain link, named in its own language: no form to post, no CSRF token to carry.
    assert f'hreflang="{other}" lang="{other}">' in html
    assert 'action="/i18n/setlang/"' not in html


def test_switching_remembers_the_choice_and_lands_on_the_page(manager, season):
    response = manager.post("/i18n/setlang/", {"language": "en", "next": "/en/portal/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/portal/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_switcher_on_the_sign_in_page(client):
    html = html_of(client.get("/ar/accounts/login/"))
    assert switcher_targets(html) == {"en": "/en/accounts/login/"}


def test_landmarks_skip_link_and_current_page(manager, season):
    html = html_of(manager.get(url("portal:home", "en")))
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert html.count('id="main"') == 1
    assert '<header class="site-header">' in html and "<footer" in html
    assert '<nav class="portal-nav" aria-label="Agency portal">' in html
    home_link = re.search(r'<a class="portal-nav__link[^"]*"[^>]*href="/en/portal/"[^>]*>', html)
    assert 'aria-current="page"' in home_link.group(0)
    assert f'href="{url("roster:list", "en")}"' in html


def test_the_header_names_the_agency_and_offers_sign_out(manager, agency_a, season):
    html = html_of(manager.get(url("portal:home", "en")))
    assert agency_a.name_en in html
    assert 'action="/en/accounts/logout/"' in html
    assert "Agency manager" in html


def test_icons_that_point_are_mirrored_and_others_are_not():
    template = Template('{% load rifada_ui %}{% icon "arrow-end" %}|{% icon "home" label="Home" %}')
    arrow, home = template.render(Context()).split("|")
    assert 'class="icon icon--flip"' in arrow and 'aria-hidden="true"' in arrow
    assert 'class="icon"' in home and 'role="img" aria-label="Home"' in home
    assert "icons/sprite.svg#home" in home


# --- error pages ---------------------------------------------------------------------------


def test_not_found_uses_our_page(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = html_of(response)
    assert "We could not find this page" in html
    assert '<html lang="en" dir="ltr">' in html


def test_an_agency_user_in_the_wagtail_admin_gets_our_403(manager):
    response = manager.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "You cannot open this page" in html_of(response)


def test_the_500_page_needs_no_context():
    with translation.override("ar"):
        html = render_to_string("500.html")
    assert '<html lang="ar" dir="rtl">' in html
    assert "css/rifada.css" in html


# --- allauth pages -------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_sign_in_uses_our_layout_and_offers_no_sign_up(client, language, direction):
    html = html_of(client.get(url("account_login", language)))
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert 'class="auth-card"' in html
    assert 'class="wordmark"' in html
    assert 'name="login"' in html and 'name="password"' in html
    assert "/accounts/signup/" not in html
    assert f'href="{url("account_reset_password", language)}"' in html


def test_password_reset_request_uses_our_layout(client):
    html = html_of(client.get(url("account_reset_password", "en")))
    assert 'class="auth-card"' in html
    assert 'name="email"' in html


def test_the_invitation_link_asks_to_set_a_password(client, agency_a):
    from modules.accounts.services import user_create

    invited = user_create(
        email="new@example.org",
        role=Role.AGENCY_STAFF,
        agency=agency_a,
        invite=False,
        preferred_language="en",
    )
    link = invitation_url(invited).removeprefix(settings.SITE_URL)
    assert link.startswith("/en/")
    response = client.get(link, follow=True)
    html = html_of(response)
    assert "Set your password" in html
    assert "new@example.org" in html
    assert 'name="password1"' in html and 'name="password2"' in html


def test_a_used_or_bad_link_says_so(client):
    html = html_of(client.get("/en/accounts/password/reset/key/1-not-a-key/"))
    assert "This link no longer works" in html


@pytest.mark.parametrize("name", ["account_change_password", "mfa_index", "usersessions_list"])
def test_account_security_pages_sit_in_the_portal_shell(manager, season, name):
    response = manager.get(url(name, "en"))
    assert response.status_code == 200
    html = html_of(response)
    assert '<nav class="portal-nav"' in html
    account_link = re.search(
        r'<a class="portal-nav__link[^"]*"[^>]*href="/en/portal/account/"[^>]*>', html
    )
    assert 'aria-current="true"' in account_link.group(0)
    assert html.count("<h1") == 1


def test_committee_mfa_setup_uses_the_plain_layout_with_sign_out(client, db):
    admin = make_user("mfa-admin@example.org", Role.COMMITTEE_ADMIN)
    client.force_login(admin)
    response = client.get(url("portal:home", "en"), follow=True)
    html = html_of(response)
    # MFA set-up first asks for the password again (allauth's reauthentication).
    assert response.request["PATH_INFO"].startswith("/en/accounts/")
    assert '<nav class="portal-nav"' not in html
    assert 'action="/en/accounts/logout/"' in html


def test_a_person_with_no_role_sees_the_security_pages_without_the_portal_shell(client):
    nobody = User.objects.create_user(email="nobody@example.org", password="x" * 12)
    client.force_login(nobody)
    html = html_of(client.get(url("usersessions_list", "en")))
    assert '<nav class="portal-nav"' not in html
    assert "<h1" in html


def test_translated_path_without_a_request_falls_back_to_the_language_home():
    template = Template('{% load rifada_ui %}{% translated_path "en" %}')
    assert template.render(Context()) == "/en/"
    request = RequestFactory().get("/ar/portal/")
    with translation.override("ar"):
        assert template.render(Context({"request": request})) == "/en/portal/"


# --- the public landing page ---------------------------------------------------------------


def test_the_landing_page_shows_its_intro_and_a_way_into_the_portal(client):
    from wagtail.models import Locale, Page, Site

    from cms.home.models import HomePage

    Locale.objects.get_or_create(language_code="ar")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(
        instance=HomePage(title="لجنة الحج", slug="rifada-home", intro="<p>مرحبًا بضيوف الرحمن</p>")
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )

    html = html_of(client.get("/ar/"))

    assert '<h1 lang="ar" dir="auto">لجنة الحج</h1>' in html
    assert "<p>مرحبًا بضيوف الرحمن</p>" in html
    assert f'href="{url("account_login")}?next={url("portal:home")}"' in html
    assert '<html lang="ar" dir="rtl">' in html

"""The portal home: who may open it, and the cards it shows."""

import datetime

import pytest
from django.urls import reverse

from modules.accounts.models import User
from modules.agencies.models import Season
from modules.portal import cards
from modules.portal.cards import Card, Tone

from .conftest import add_staff, url

pytestmark = pytest.mark.django_db


def test_manager_sees_the_active_staff_of_this_season(manager, agency_a, agency_b, season):
    add_staff(agency_a, season, 3)
    add_staff(agency_a, season, 2, active=False)
    add_staff(agency_b, season, 4)
    last_season = Season.objects.create(
        hijri_year=1446, starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2025, 6, 10)
    )
    add_staff(agency_a, last_season, 5)

    response = manager.get(url("portal:home", "en"))

    assert response.status_code == 200
    [card] = response.context["cards"]
    assert card.title == "Active staff"
    assert card.value == 3
    assert card.url == reverse("roster:list")
    html = response.content.decode()
    assert '<p class="card__value">3</p>' in html
    assert f'href="{card.url}"' in html


def test_staff_members_see_their_agencys_card_too(client, staff_a, agency_a, season):
    add_staff(agency_a, season, 2)
    client.force_login(staff_a)
    response = client.get(url("portal:home"))
    assert [card.value for card in response.context["cards"]] == [2]


def test_without_an_active_season_there_is_no_card_and_no_placeholder(manager, agency_a):
    response = manager.get(url("portal:home", "en"))
    assert response.context["cards"] == []
    assert "There is nothing to show yet" in response.content.decode()


def test_the_agency_name_shows_in_the_active_language(manager, agency_a, season):
    assert agency_a.name_ar in manager.get(url("portal:home", "ar")).content.decode()
    assert agency_a.name_en in manager.get(url("portal:home", "en")).content.decode()


def test_committee_people_are_sent_to_the_wagtail_admin(client, committee_admin, settings):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    client.force_login(committee_admin)
    response = client.get(url("portal:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(url("portal:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{url('account_login')}?next={url('portal:home')}"


def test_a_person_with_no_role_gets_a_403_that_says_why(client, db):
    nobody = User.objects.create_user(email="nobody@example.org")
    client.force_login(nobody)
    response = client.get(url("portal:home", "en"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "not linked to an agency" in html
    assert 'action="/en/accounts/logout/"' in html


def test_portal_pages_are_never_cached(manager, season):
    response = manager.get(url("portal:home"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("roster_size", [5, 50])
def test_home_query_count_does_not_grow_with_the_roster(
    manager, agency_a, season, roster_size, django_assert_max_num_queries
):
    add_staff(agency_a, season, roster_size)
    manager.get(url("portal:home"))  # the session and its activity row exist from here on
    with django_assert_max_num_queries(HOME_QUERIES):
        response = manager.get(url("portal:home"))
    assert response.context["cards"][0].value == roster_size


# The session; the user with their membership and agency (one join); the user's and the
# groups' permissions; the active season; the staff count; the incident counts; the daily
# forms the agency reports.
HOME_QUERIES = 8


# --- the card registry ---------------------------------------------------------------------


@pytest.fixture
def only_these_providers(monkeypatch):
    monkeypatch.setattr(cards, "_providers", {})
    return cards


def test_cards_come_in_order_and_providers_may_decline(only_these_providers, rf):
    @cards.register(order=20)
    def second(request):
        return Card(title="Second", value=2)

    @cards.register
    def declines(request):
        return None

    @cards.register(order=1)
    def first(request):
        return Card(title="First", value=1, tone=Tone.DANGER)

    assert [card.title for card in cards.cards_for(rf.get("/"))] == ["First", "Second"]


def test_registering_the_same_provider_twice_keeps_one(only_these_providers, rf):
    def provider(request):
        return Card(title="Once")

    cards.register(provider)
    cards.register(provider, order=5)
    assert [card.title for card in cards.cards_for(rf.get("/"))] == ["Once"]

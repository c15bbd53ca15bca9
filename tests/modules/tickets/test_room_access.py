"""Who may open the operations room: committee people holding tickets.view_ticket read it,
operators act in it; anyone signed out goes to the sign-in page, agency people to their
portal, other committee people (editors) get a 403 that says why. Nothing is cached."""

import pytest
from django.urls import reverse

from modules.accounts.roles import Role
from tests.support.fixtures import make_user
from tests.support.tickets import at, make_operator, make_room, make_ticket

T0 = at("2026-05-20 10:00")


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False


@pytest.fixture
def ticket(agency_a):
    return make_ticket(make_room(agency=agency_a), now=T0)


def _pages(ticket) -> list[str]:
    return [
        reverse("tickets_room:board"),
        reverse("tickets_room:board-data"),
        reverse("tickets_room:tickets"),
        reverse("tickets_room:ticket", args=[ticket.reference]),
        reverse("tickets_room:metrics"),
        reverse("tickets_room:metrics-export") + "?format=csv",
    ]


def test_signed_out_people_are_sent_to_sign_in(client, ticket):
    for url in [*_pages(ticket), reverse("tickets_room:create")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
    response = client.post(reverse("tickets_room:action", args=[ticket.reference, "close"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.AGENCY_MANAGER, Role.AGENCY_STAFF])
def test_agency_people_are_sent_to_their_portal(client, ticket, agency_a, role):
    client.force_login(make_user(f"{role.value}@example.org", role, agency_a))
    for url in [*_pages(ticket), reverse("tickets_room:create")]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, reverse("portal:home")), url
    response = client.post(reverse("tickets_room:action", args=[ticket.reference, "acknowledge"]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.acknowledged_at is None, "the room's actions are not a way around the portal"


def test_committee_people_without_the_permission_get_a_403(client, ticket):
    client.force_login(make_user("editor@example.org", Role.EDITOR))
    for url in _pages(ticket):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "operations room" in response.content.decode().lower() or "غرفة" in (
            response.content.decode()
        )


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.REVIEWER, Role.COMMITTEE_ADMIN])
def test_operators_reviewers_and_administrators_read_every_page(client, ticket, role):
    client.force_login(make_user(f"{role.value}@example.org", role))
    for url in _pages(ticket):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-cache" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_only_operators_take_calls(client, ticket):
    client.force_login(make_user("reviewer@example.org", Role.REVIEWER))
    assert client.get(reverse("tickets_room:create")).status_code == 403
    client.force_login(make_operator())
    assert client.get(reverse("tickets_room:create")).status_code == 200
    html = client.get(reverse("tickets_room:board")).content.decode()
    assert reverse("tickets_room:create") in html


def test_the_reviewer_sees_no_action(client, ticket):
    client.force_login(make_user("reviewer@example.org", Role.REVIEWER))
    html = client.get(reverse("tickets_room:board")).content.decode()
    assert reverse("tickets_room:create") not in html
    detail = client.get(reverse("tickets_room:ticket", args=[ticket.reference]))
    assert detail.context["actions"] == []
    assert "/operations/tickets/" + ticket.reference + "/acknowledge/" not in (
        detail.content.decode()
    )
    for action in ("acknowledge", "assign", "comment", "pause"):
        url = reverse("tickets_room:action", args=[ticket.reference, action])
        assert client.post(url).status_code == 403

"""GET /api/v1/tickets/ and /api/v1/tickets/<id>/: the queue (scoped to the agency, sorted by
deadline, with clocks), one ticket with its timeline and files, the file download, and the
query budget at two data sizes. Another agency's ticket is a 404 by every route."""

import datetime

import pytest
import time_machine

from modules.accounts.roles import Role
from modules.tickets import services
from modules.tickets.models import Priority, SlaTarget, Source, Ticket
from tests.support.fixtures import make_user
from tests.support.mfa import activate_totp
from tests.support.tickets import make_category, make_rule, make_ticket, make_zone, photo

pytestmark = pytest.mark.django_db

API = "/api/v1/tickets/"
# Session, user with agency, count, page (QUALITY.md: ≤ 4 whatever the page size); the clocks
# read nothing more.
API_LIST_QUERIES = 4
# Committee people cost three more: the MFA middleware's check and their two permission
# lookups (the room's `tickets.view_ticket`).
COMMITTEE_API_LIST_QUERIES = API_LIST_QUERIES + 3
FEW, MANY = 5, 50


@pytest.fixture
def committee(operator):
    activate_totp(operator)
    return operator


@pytest.fixture
def b_category(room, agency_b):
    category = make_category("lost-child", priority=room.priority)
    make_rule(category, agency_b)
    return category


@pytest.fixture
def tickets(room, b_category, t0):
    """Two of agency A's tickets (one reported an hour later) and one of agency B's."""
    first = make_ticket(room, now=t0)
    later = make_ticket(room, now=t0 + datetime.timedelta(hours=1))
    foreign = make_ticket(room, now=t0, category=b_category, description="FOREIGN-TICKET")
    return {"first": first, "later": later, "foreign": foreign}


def listed(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["reference"] for item in response.json()["results"]]


# --- the queue ---------------------------------------------------------------------------


def test_an_agency_sees_its_own_queue_soonest_deadline_first(client, manager_a, tickets):
    client.force_login(manager_a)

    response = client.get(API)

    assert listed(response) == [tickets["first"].reference, tickets["later"].reference]
    assert "FOREIGN-TICKET" not in response.content.decode()


def test_the_committee_sees_every_agency_and_filters_by_agency(
    client, committee, tickets, agency_b
):
    client.force_login(committee)

    assert len(listed(client.get(API))) == 3
    assert listed(client.get(API, {"agency": agency_b.pk})) == [tickets["foreign"].reference]


def test_an_agency_asking_for_another_agency_gets_nothing_of_it(
    client, manager_a, tickets, agency_b
):
    client.force_login(manager_a)

    assert listed(client.get(API, {"agency": agency_b.pk})) == []


def test_filters_by_status_category_priority_and_zone(client, manager_a, room, tickets):
    client.force_login(manager_a)
    services.ticket_acknowledge(ticket=tickets["later"], actor=manager_a)
    other = make_category("noise", priority=room.priority)
    make_rule(other, tickets["first"].agency)
    elsewhere = make_zone("north", name_ar="الشمال", name_en="North")
    third = make_ticket(
        room, category=other, landmark=None, zone=elsewhere, latitude=21.4, longitude=39.8
    )

    assert listed(client.get(API, {"status": "acknowledged"})) == [tickets["later"].reference]
    assert listed(client.get(API, {"category": "noise"})) == [third.reference]
    assert listed(client.get(API, {"zone": "north"})) == [third.reference]
    assert len(listed(client.get(API, {"priority": room.priority.code}))) == 3
    assert listed(client.get(API, {"priority": "no-such"})) == []


def test_done_tickets_leave_the_queue_unless_asked_for(client, manager_a, tickets):
    client.force_login(manager_a)
    services.ticket_resolve(ticket=tickets["first"], actor=manager_a, note="تم")

    assert listed(client.get(API)) == [tickets["later"].reference]
    assert len(listed(client.get(API, {"open": "false"}))) == 2
    assert listed(client.get(API, {"status": "resolved"})) == [tickets["first"].reference]


@pytest.mark.parametrize(
    "query",
    [{"status": "lost"}, {"open": "maybe"}, {"agency": "abc"}, {"agency": "0"}],
)
def test_a_bad_filter_is_a_400_naming_it(client, manager_a, tickets, query):
    client.force_login(manager_a)

    response = client.get(API, query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_each_ticket_carries_its_clock(client, manager_a, room, t0):
    """15 minutes to acknowledge and 120 to resolve, 24/7; read 10 minutes after the report."""
    paused = make_ticket(room, now=t0)
    running = make_ticket(room, now=t0)
    services.ticket_pause(
        ticket=paused,
        actor=make_user("op2@example.org", Role.OPERATOR),
        reason="بانتظار الدفاع المدني",
        now=t0 + datetime.timedelta(minutes=2),
    )
    client.force_login(manager_a)

    with time_machine.travel(t0 + datetime.timedelta(minutes=10), tick=False):
        results = {item["reference"]: item for item in client.get(API).json()["results"]}

    clock = results[running.reference]["clock"]
    assert clock == {
        "target": "acknowledge",
        "due_at": "2026-05-20T10:15:00+03:00",
        "seconds_left": 300,
        "total_seconds": 900,
        "tone": "ok",
        "warning": 0.75,
        "paused": False,
        "met": False,
        "running": True,
        "acknowledge_seconds_left": 300,
        "resolve_seconds_left": 110 * 60,
    }
    held = results[paused.reference]["clock"]
    assert (held["paused"], held["seconds_left"], held["tone"]) == (True, 13 * 60, "ok")
    assert results[paused.reference]["status"] == "on_hold"


def test_a_breached_clock_is_negative_and_red(client, manager_a, room, t0):
    ticket = make_ticket(room, now=t0)
    client.force_login(manager_a)

    with time_machine.travel(t0 + datetime.timedelta(minutes=20), tick=False):
        item = client.get(f"{API}{ticket.pk}/").json()

    assert (item["clock"]["seconds_left"], item["clock"]["tone"]) == (-300, "breached")


def test_the_queue_needs_an_account_from_the_room_or_an_agency(client, tickets):
    assert client.get(API).status_code in (401, 403)
    editor = make_user("editor@example.org", Role.EDITOR)
    activate_totp(editor)
    client.force_login(editor)
    assert client.get(API).status_code == 403
    assert client.get(f"{API}{tickets['first'].pk}/").status_code == 403


# --- one ticket ----------------------------------------------------------------------------


def test_one_ticket_comes_with_its_timeline_files_and_actions(
    client, manager_a, committee, room, t0
):
    ticket = make_ticket(room, now=t0, attachments=[photo("gate.jpg")], reporter_phone="0501234567")
    services.ticket_comment(
        ticket=ticket,
        actor=committee,
        text="INTERNAL-NOTE",
        attachments=[photo("map.png", image_format="PNG")],
    )
    client.force_login(manager_a)

    response = client.get(f"{API}{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    item = response.json()
    assert item["reference"] == ticket.reference
    assert item["reporter_phone"] == "+966501234567"
    assert [event["kind"] for event in item["timeline"]] == ["created", "assigned", "commented"]
    created, assigned, comment = item["timeline"]
    assert created["kind_label"] == "Reported"
    assert assigned["to_agency"]["code"] == "agency-a"
    assert (comment["comment"], comment["actor"]) == ("INTERNAL-NOTE", str(committee))
    assert [file["name"] for file in comment["attachments"]] == ["map.png"]
    assert [file["name"] for file in created["attachments"]] == ["gate.jpg"]
    assert [file["name"] for file in item["attachments"]] == ["gate.jpg", "map.png"]
    assert item["actions"] == ["acknowledge", "comment", "request-reassign", "resolve", "start"]


def test_a_file_is_downloaded_through_the_api(client, manager_a, room, media):
    ticket = make_ticket(room, attachments=[photo("gate.jpg")])
    attachment = ticket.attachments.get()
    client.force_login(manager_a)

    response = client.get(f"{API}{ticket.pk}/attachments/{attachment.pk}/", HTTP_ACCEPT="image/*")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith('attachment; filename="gate.jpg"')
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_file_of_another_ticket_is_not_found_through_this_one(client, manager_a, room):
    mine = make_ticket(room)
    other = make_ticket(room, attachments=[photo()])
    client.force_login(manager_a)

    response = client.get(f"{API}{mine.pk}/attachments/{other.attachments.get().pk}/")

    assert response.status_code == 404


def test_a_ticket_the_agency_reported_elsewhere_is_readable_but_not_workable(
    client, manager_a, room, b_category, agency_b
):
    client.force_login(manager_a)
    created = client.post(
        API,
        {"category": b_category.code, "description": "طفل تائه", "landmark": room.landmark.pk},
        content_type="application/json",
    ).json()
    ticket = Ticket.objects.get(pk=created["id"])
    assert (ticket.agency, ticket.source) == (agency_b, Source.AGENCY)

    detail = client.get(f"{API}{ticket.pk}/").json()

    assert detail["reporting_agency"] == ticket.reporting_agency_id
    assert detail["actions"] == []
    assert client.post(f"{API}{ticket.pk}/acknowledge/").status_code == 403


# --- another agency's ticket: 404 by every route -----------------------------------------

DETAIL_ROUTES = [
    ("get", ""),
    ("get", "comments/"),
    ("post", "comments/"),
    ("get", "attachments/{attachment}/"),
    *[
        ("post", f"{name}/")
        for name in (
            "acknowledge",
            "start",
            "resolve",
            "close",
            "reopen",
            "pause",
            "resume",
            "assign",
            "priority",
            "request-reassign",
        )
    ],
]


@pytest.mark.parametrize(("method", "path"), DETAIL_ROUTES)
def test_another_agencys_ticket_is_404_by_every_route(
    client, manager_a, manager_b, tickets, agency_a, method, path
):
    foreign = tickets["foreign"]
    services.ticket_comment(
        ticket=foreign, actor=manager_b, text="FOREIGN-COMMENT", attachments=[photo()]
    )
    before = Ticket.objects.filter(pk=foreign.pk).values().get()
    url = f"{API}{foreign.pk}/" + path.format(attachment=foreign.attachments.get().pk)
    client.force_login(manager_a)
    payload = {"reason": "x", "note": "x", "text": "x", "agency": agency_a.pk, "priority": "high"}

    response = getattr(client, method)(
        url, payload, **({"content_type": "application/json"} if method == "post" else {})
    )

    assert response.status_code == 404, (url, response.status_code)
    assert "FOREIGN" not in response.content.decode()
    assert Ticket.objects.filter(pk=foreign.pk).values().get() == before
    assert foreign.events.count() == 3


def test_a_reassigned_ticket_leaves_the_old_agencys_view(
    client, manager_a, committee, tickets, agency_b
):
    services.ticket_assign(
        ticket=tickets["first"], agency=agency_b, actor=committee, reason="ليست من اختصاصنا"
    )
    client.force_login(manager_a)

    assert listed(client.get(API)) == [tickets["later"].reference]
    assert client.get(f"{API}{tickets['first'].pk}/").status_code == 404


# --- queries -------------------------------------------------------------------------------


def grow(size: int, room, t0) -> None:
    """`size` tickets for agency A, some with files and comments, under two priorities (so two
    SLA targets) and one extra policy."""
    urgent = Priority.objects.create(code="urgent", rank=0, name_ar="عاجلة", name_en="Urgent")
    SlaTarget.objects.create(
        policy=room.policy, priority=urgent, acknowledge_minutes=5, resolve_minutes=30
    )
    for number in range(size):
        ticket = make_ticket(
            room,
            now=t0 + datetime.timedelta(minutes=number),
            **({"attachments": [photo()]} if number % 10 == 0 else {}),
        )
        if number % 3 == 0:
            Ticket.objects.filter(pk=ticket.pk).update(priority=urgent)


@pytest.mark.parametrize("size", [FEW, MANY])
@pytest.mark.parametrize("role", ["agency", "committee"])
@pytest.mark.parametrize("query", ["", "?open=false&category=crowding", "?status=assigned"])
def test_the_queue_takes_constant_queries(
    client, manager_a, committee, room, t0, django_assert_max_num_queries, size, role, query
):
    grow(size, room, t0)
    client.force_login(manager_a if role == "agency" else committee)
    budget = API_LIST_QUERIES if role == "agency" else COMMITTEE_API_LIST_QUERIES

    with django_assert_max_num_queries(budget):
        response = client.get(API + query)

    assert response.status_code == 200
    assert len(response.json()["results"]) == size

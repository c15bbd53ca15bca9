"""POST /api/v1/tickets/<id>/<transition>/ and /comments/: each transition calls its service;
refused input is a 400 on its field, an action this person may not take a 403, and an action
the ticket's status does not allow a 409 with the reason — nothing changed in each case."""

import pytest

from modules.tickets.models import EventKind, Priority, SlaTarget, Status, Ticket, TicketEvent
from tests.support.mfa import activate_totp
from tests.support.tickets import make_ticket, photo

pytestmark = pytest.mark.django_db

API = "/api/v1/tickets/"


@pytest.fixture
def committee(operator):
    activate_totp(operator)
    return operator


@pytest.fixture
def ticket(room, agency_a):
    return make_ticket(room)


def act(client, ticket, name, data=None, *, language="en"):
    return client.post(
        f"{API}{ticket.pk}/{name}/",
        data or {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def state(ticket) -> dict:
    return {
        "ticket": Ticket.objects.filter(pk=ticket.pk).values().get(),
        "events": TicketEvent.objects.filter(ticket=ticket).count(),
    }


# --- the agency's work ---------------------------------------------------------------------


def test_the_agency_acknowledges_starts_and_resolves(client, manager_a, ticket):
    client.force_login(manager_a)

    acknowledged = act(client, ticket, "acknowledge")
    started = act(client, ticket, "start")
    resolved = act(client, ticket, "resolve", {"note": "نُظّم الدخول عبر البوابة ٢٢"})

    assert acknowledged.status_code == 200, acknowledged.content
    assert acknowledged.json()["status"] == "acknowledged"
    assert acknowledged.json()["clock"]["target"] == "resolve"
    assert started.json()["status"] == "in_progress"
    assert resolved.status_code == 200
    body = resolved.json()
    assert (body["status"], body["status_label"]) == ("resolved", "Resolved")
    assert body["resolution"] == "نُظّم الدخول عبر البوابة ٢٢"
    assert body["timeline"][-1]["kind"] == "resolved"
    assert body["actions"] == ["comment"]


def test_acknowledging_twice_is_a_409_with_the_reason(client, manager_a, ticket):
    client.force_login(manager_a)
    act(client, ticket, "acknowledge")
    before = state(ticket)

    response = act(client, ticket, "acknowledge")

    assert response.status_code == 409
    assert response.json() == {"detail": "This cannot be done while the report is “Acknowledged”."}
    assert state(ticket) == before


def test_resolving_needs_a_note(client, manager_a, ticket):
    client.force_login(manager_a)
    before = state(ticket)

    missing = act(client, ticket, "resolve")
    only_markup = act(client, ticket, "resolve", {"note": "<script>x</script>"})

    assert (missing.status_code, list(missing.json())) == (400, ["note"])
    assert only_markup.status_code == 400
    assert only_markup.json() == {"note": ["This field is required."]}
    assert state(ticket) == before


def test_the_agency_asks_the_room_to_reassign(client, manager_a, ticket):
    client.force_login(manager_a)

    refused = act(client, ticket, "request-reassign", {"reason": ""})
    asked = act(client, ticket, "request-reassign", {"reason": "البلاغ من اختصاص الدفاع المدني"})

    assert refused.status_code == 400
    assert asked.status_code == 200
    assert asked.json()["reassign_requested"] is True
    assert asked.json()["timeline"][-1]["kind"] == "reassign_requested"


@pytest.mark.parametrize(
    ("status", "name", "data"),
    [
        (Status.RESOLVED, "close", None),
        (Status.RESOLVED, "reopen", {"reason": "x"}),
        (Status.ASSIGNED, "pause", {"reason": "x"}),
        (Status.ON_HOLD, "resume", None),
        (Status.ASSIGNED, "priority", {"priority": "high"}),
    ],
)
def test_the_rooms_actions_are_403_for_an_agency(client, manager_a, ticket, status, name, data):
    """In a status that allows the action: the agency is refused for who it is."""
    Ticket.objects.filter(pk=ticket.pk).update(status=status)
    client.force_login(manager_a)
    before = state(ticket)

    response = act(client, ticket, name, data)

    assert response.status_code == 403, response.content
    assert state(ticket) == before


@pytest.mark.parametrize("name", ["close", "resume"])
def test_a_room_only_action_is_403_for_an_agency_whatever_the_status(
    client, manager_a, ticket, name
):
    """Not a 409: no status would let the agency do it, so the status is not the reason."""
    client.force_login(manager_a)

    response = act(client, ticket, name)

    assert response.status_code == 403, response.content


def test_an_agency_cannot_reassign_its_ticket(client, manager_a, ticket, agency_b):
    client.force_login(manager_a)

    response = act(client, ticket, "assign", {"agency": agency_b.pk, "reason": "x"})

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).agency_id == ticket.agency_id


# --- the operations room -------------------------------------------------------------------


def test_the_room_pauses_resumes_closes_and_reopens(client, committee, manager_a, ticket):
    client.force_login(committee)

    paused = act(client, ticket, "pause", {"reason": "بانتظار فرق الدفاع المدني"})
    assert paused.status_code == 200, paused.content
    assert (paused.json()["status"], paused.json()["clock"]["paused"]) == ("on_hold", True)
    resumed = act(client, ticket, "resume")
    assert (resumed.json()["status"], resumed.json()["clock"]["paused"]) == ("assigned", False)

    Ticket.objects.filter(pk=ticket.pk).update(status=Status.RESOLVED)
    assert act(client, ticket, "close").json()["status"] == "closed"
    assert act(client, ticket, "reopen").status_code == 400
    reopened = act(client, ticket, "reopen", {"reason": "عاد الازدحام"})
    assert reopened.json()["status"] == "assigned"


def test_resuming_a_ticket_that_is_not_paused_is_a_409(client, committee, ticket):
    client.force_login(committee)

    response = act(client, ticket, "resume")

    assert response.status_code == 409
    assert "Assigned" in response.json()["detail"]


def test_the_room_reassigns_with_a_reason_and_the_old_agency_loses_it(
    client, committee, manager_a, ticket, agency_b
):
    client.force_login(committee)
    before = state(ticket)

    without_reason = act(client, ticket, "assign", {"agency": agency_b.pk})
    unknown = act(client, ticket, "assign", {"agency": 999999, "reason": "x"})
    assert (without_reason.status_code, list(without_reason.json())) == (400, ["reason"])
    assert (unknown.status_code, list(unknown.json())) == (400, ["agency"])
    assert state(ticket) == before

    moved = act(client, ticket, "assign", {"agency": agency_b.pk, "reason": "اختصاص الجهة ب"})

    assert moved.status_code == 200
    assert moved.json()["agency"]["id"] == agency_b.pk
    assert moved.json()["timeline"][-1]["kind"] == "reassigned"
    client.force_login(manager_a)
    assert client.get(f"{API}{ticket.pk}/").status_code == 404


def test_the_room_changes_the_priority_by_code(client, committee, room, ticket):
    urgent = Priority.objects.create(code="urgent", rank=0, name_ar="عاجلة", name_en="Urgent")
    SlaTarget.objects.create(
        policy=room.policy, priority=urgent, acknowledge_minutes=5, resolve_minutes=30
    )
    client.force_login(committee)

    unknown = act(client, ticket, "priority", {"priority": "no-such"})
    same = act(client, ticket, "priority", {"priority": room.priority.code})
    changed = act(client, ticket, "priority", {"priority": "urgent"})

    assert (unknown.status_code, list(unknown.json())) == (400, ["priority"])
    assert same.status_code == 400
    assert same.json() == {"priority": ["The report already has this priority."]}
    assert changed.status_code == 200
    assert changed.json()["priority"]["code"] == "urgent"
    assert changed.json()["clock"]["total_seconds"] == 5 * 60


def test_a_huge_reason_is_refused_and_nothing_changes(client, committee, ticket):
    client.force_login(committee)
    before = state(ticket)

    response = act(client, ticket, "pause", {"reason": "س" * 4001})

    assert response.status_code == 400
    assert "4000" in response.json()["reason"][0]
    assert state(ticket) == before


# --- comments ------------------------------------------------------------------------------


def comment(client, ticket, data, **extra):
    return client.post(f"{API}{ticket.pk}/comments/", data, HTTP_ACCEPT_LANGUAGE="en", **extra)


def test_the_agency_comments_with_a_photo_and_reads_the_comments(client, manager_a, ticket):
    client.force_login(manager_a)

    added = comment(client, ticket, {"text": "<b>الفريق</b> وصل", "attachment": photo("team.jpg")})
    listed = client.get(f"{API}{ticket.pk}/comments/")

    assert added.status_code == 201, added.content
    event = added.json()
    assert (event["kind"], event["comment"], event["is_public"]) == (
        "commented",
        "الفريق وصل",
        False,
    )
    assert [file["name"] for file in event["attachments"]] == ["team.jpg"]
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["results"]] == [event["id"]]
    assert listed.json()["results"][0]["attachments"][0]["url"].endswith(
        f"/attachments/{event['attachments'][0]['id']}/"
    )


def test_only_the_room_makes_a_comment_public(client, manager_a, committee, ticket):
    client.force_login(manager_a)
    before = state(ticket)

    refused = comment(client, ticket, {"text": "للعموم", "is_public": True})

    assert refused.status_code == 400
    assert list(refused.json()) == ["is_public"]
    assert state(ticket) == before
    client.force_login(committee)
    shared = comment(client, ticket, {"text": "الفريق في الطريق", "is_public": True})
    assert (shared.status_code, shared.json()["is_public"]) == (201, True)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "ن" * 4001}, "text"),
        ({"text": "x", "attachment": photo("x.gif", image_format="GIF")}, "attachment"),
    ],
)
def test_a_bad_comment_is_refused_and_stores_nothing(
    client, manager_a, ticket, stored, data, field
):
    client.force_login(manager_a)
    before = stored()

    response = comment(client, ticket, data)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert stored() == before


def test_an_oversized_attachment_is_refused(client, manager_a, ticket, stored, settings):
    settings.TICKETS_MAX_UPLOAD_BYTES = 512
    client.force_login(manager_a)
    before = stored()

    response = comment(
        client,
        ticket,
        {"text": "x", "attachment": photo("big.png", size=(300, 300), image_format="PNG")},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["attachment"]
    assert stored() == before


def test_comments_list_only_comments(client, manager_a, committee, ticket):
    client.force_login(manager_a)
    act(client, ticket, "acknowledge")
    comment(client, ticket, {"text": "أول"})
    comment(client, ticket, {"text": "ثان"})

    results = client.get(f"{API}{ticket.pk}/comments/").json()["results"]

    assert [item["comment"] for item in results] == ["أول", "ثان"]
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ACKNOWLEDGED).exists()

"""One incident in the agency portal: its page, the agency's actions, attachments, isolation."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from modules.accounts.roles import Role
from modules.tickets import services
from modules.tickets.models import EventKind, Status, Ticket, TicketAttachment
from tests.support.fixtures import make_user
from tests.support.tickets import (
    at,
    make_calendar,
    make_operator,
    make_room,
    make_ticket,
    photo,
)

pytestmark = pytest.mark.django_db

NOON = at("2026-05-20 12:00")
ACTIONS = ("acknowledge", "start", "resolve", "comment", "request-reassign")


def url(name, *args, language="ar"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def ticket(room):
    return make_ticket(room, now=NOON - datetime.timedelta(minutes=5))


@pytest.fixture
def staff_b(agency_b):
    return make_user("staff-b@example.org", Role.AGENCY_STAFF, agency_b)


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return client


def fresh(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the page ------------------------------------------------------------------------------


def test_the_ticket_page_shows_the_report_its_clocks_and_its_timeline(
    manager, manager_a, ticket, room
):
    with time_machine.travel(NOON, tick=False):
        response = manager.get(url("tickets_portal:detail", ticket.pk, language="en"))

    assert response.status_code == 200
    html = response.content.decode()
    assert ticket.reference in html and ticket.description in html
    assert room.landmark.name_en in html and room.zone.name_en in html
    assert '<bdi dir="ltr" class="ticket-coordinates">24.467200, 39.611100</bdi>' in html
    assert "openstreetmap" not in html and "google" not in html
    # Both clocks: ten minutes left to acknowledge, 115 to resolve; acknowledging is current.
    assert 'data-due="2026-05-20T12:10:00+03:00" data-seconds="600" data-total="900"' in html
    assert 'data-due="2026-05-20T13:55:00+03:00" data-seconds="6900" data-total="7200"' in html
    assert response.context["current_clock"] == "acknowledge"
    # The timeline: reported (by the public), assigned, dates in Hijri and Gregorian.
    assert [event.kind for event in response.context["events"]] == [
        EventKind.CREATED,
        EventKind.ASSIGNED,
    ]
    assert "Dhu al-Hijjah 1447" in html and "May 20, 2026" in html
    assert response.context["actions"] >= {"acknowledge", "start", "resolve", "comment"}
    assert '<script src="/static/tickets/countdown.js" defer></script>' in html


def test_the_ticket_page_speaks_arabic(manager, ticket, room):
    html = manager.get(url("tickets_portal:detail", ticket.pk)).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert room.category.name_ar in html
    assert "ذو الحجة 1447 هـ" in html


def test_the_timeline_names_who_did_what(manager, manager_a, ticket):
    services.ticket_acknowledge(ticket=ticket, actor=manager_a)
    services.ticket_comment(ticket=ticket, actor=manager_a, text="الفريق في الطريق")
    html = manager.get(url("tickets_portal:detail", ticket.pk, language="en")).content.decode()
    assert html.count(manager_a.first_name) >= 2
    assert "الفريق في الطريق" in html
    assert '<p class="ticket-event__change">' in html


# --- the actions ---------------------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["manager_a", "staff_a"])
def test_acknowledge_then_start_then_resolve_through_the_pages(
    request, client, ticket, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)

    response = client.post(url("tickets_portal:acknowledge", ticket.pk, language="en"), follow=True)
    assert response.redirect_chain == [
        (url("tickets_portal:detail", ticket.pk, language="en"), 302)
    ]
    assert fresh(ticket).status == Status.ACKNOWLEDGED
    assert fresh(ticket).acknowledged_at is not None
    assert messages_of(response) == [
        f"You acknowledged {ticket.reference}; its clock now counts to the resolution."
    ]

    client.post(url("tickets_portal:start", ticket.pk))
    assert fresh(ticket).status == Status.IN_PROGRESS

    refused = client.post(url("tickets_portal:resolve", ticket.pk, language="en"), {"note": " "})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert fresh(ticket).status == Status.IN_PROGRESS

    client.post(url("tickets_portal:resolve", ticket.pk), {"note": "أعيد تنظيم الدخول"})
    resolved = fresh(ticket)
    assert resolved.status == Status.RESOLVED
    assert resolved.resolution == "أعيد تنظيم الدخول"
    assert resolved.events.filter(kind=EventKind.RESOLVED, actor=user).exists()


def test_an_action_the_status_no_longer_allows_is_explained(manager, ticket):
    manager.post(url("tickets_portal:acknowledge", ticket.pk), follow=True)
    response = manager.post(
        url("tickets_portal:acknowledge", ticket.pk, language="en"), follow=True
    )
    assert response.status_code == 200
    assert messages_of(response) == ["This cannot be done while the report is “Acknowledged”."]
    assert fresh(ticket).events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_actions_need_a_post(manager, ticket):
    for action in ACTIONS:
        assert manager.get(url(f"tickets_portal:{action}", ticket.pk)).status_code == 405
    assert fresh(ticket).status == Status.ASSIGNED


def test_a_comment_with_a_photo_is_stored_and_downloaded_as_an_attachment(
    manager, manager_a, ticket
):
    response = manager.post(
        url("tickets_portal:comment", ticket.pk, language="en"),
        {"text": "صورة من الموقع", "attachments": photo("site.jpg")},
        follow=True,
    )

    assert messages_of(response) == [f"Your comment was added to {ticket.reference}."]
    event = fresh(ticket).events.get(kind=EventKind.COMMENTED)
    assert event.actor == manager_a and event.comment == "صورة من الموقع"
    [stored] = TicketAttachment.objects.filter(event=event)
    link = url("tickets_portal:attachment", ticket.pk, stored.pk, language="en")
    assert f'href="{link}"' in response.content.decode()

    download = manager.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"] == 'attachment; filename="site.jpg"'
    assert b"".join(download.streaming_content)[:2] == b"\xff\xd8"


def test_a_comment_needs_text_or_a_file_and_a_bad_file_stores_nothing(manager, ticket, stored):
    before = stored()
    empty = manager.post(url("tickets_portal:comment", ticket.pk, language="en"), {"text": ""})
    assert "Write a comment or attach a file." in empty.content.decode()
    bad = manager.post(
        url("tickets_portal:comment", ticket.pk, language="en"),
        {
            "text": "ملف",
            "attachments": SimpleUploadedFile("x.pdf", b"MZ\x90\x00", "application/pdf"),
        },
    )
    assert bad.status_code == 200
    assert "is not a PDF document" in bad.content.decode()
    assert bad.context["comment_form"]["text"].value() == "ملف"
    assert stored() == before


def test_asking_to_reassign_needs_a_reason_and_sets_the_flag(manager, ticket):
    refused = manager.post(
        url("tickets_portal:request-reassign", ticket.pk, language="en"), {"reason": ""}
    )
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert not fresh(ticket).reassign_requested

    response = manager.post(
        url("tickets_portal:request-reassign", ticket.pk, language="en"),
        {"reason": "ليس من اختصاصنا"},
        follow=True,
    )
    assert fresh(ticket).reassign_requested
    assert (
        fresh(ticket)
        .events.filter(kind=EventKind.REASSIGN_REQUESTED, comment="ليس من اختصاصنا")
        .exists()
    )
    assert "Your agency asked the operations room" in response.content.decode()
    # Still in the queue, still the agency's to work.
    queue = manager.get(url("tickets_portal:queue"))
    assert [row.ticket.pk for row in queue.context["rows"]] == [ticket.pk]


# --- isolation -----------------------------------------------------------------------------


def every_route(ticket, attachment) -> list[tuple[str, str]]:
    routes = [("get", url("tickets_portal:detail", ticket.pk))]
    routes += [("post", url(f"tickets_portal:{action}", ticket.pk)) for action in ACTIONS]
    routes.append(("get", url("tickets_portal:attachment", ticket.pk, attachment.pk)))
    return routes


@pytest.mark.parametrize("user_fixture", ["manager_b", "staff_b"])
def test_another_agencys_ticket_is_a_404_on_every_route(
    request, client, ticket, manager_a, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    event = services.ticket_comment(
        ticket=ticket, actor=manager_a, text="سري", attachments=[photo()]
    )
    attachment = event.attachments.get()
    client.force_login(user)
    data = {"note": "x", "text": "x", "reason": "x"}
    for method, address in every_route(ticket, attachment):
        response = client.post(address, data) if method == "post" else client.get(address)
        assert response.status_code == 404, address
    assert fresh(ticket).status == Status.ASSIGNED
    assert fresh(ticket).events.count() == 3


def test_an_attachment_of_another_ticket_is_a_404_even_with_a_visible_ticket(
    manager, manager_a, room, ticket, agency_b
):
    other = make_ticket(room)
    event = services.ticket_comment(ticket=other, actor=manager_a, text="", attachments=[photo()])
    attachment = event.attachments.get()
    response = manager.get(url("tickets_portal:attachment", ticket.pk, attachment.pk))
    assert response.status_code == 404


def test_a_reassigned_ticket_leaves_the_old_agencys_queue_and_pages(
    client, manager_a, manager_b, ticket, agency_b
):
    services.ticket_assign(ticket=ticket, agency=agency_b, actor=make_operator(), reason="اختصاص")
    client.force_login(manager_a)
    assert client.get(url("tickets_portal:queue")).context["rows"] == []
    assert client.get(url("tickets_portal:detail", ticket.pk)).status_code == 404
    assert client.post(url("tickets_portal:acknowledge", ticket.pk)).status_code == 404
    client.force_login(manager_b)
    rows = client.get(url("tickets_portal:queue")).context["rows"]
    assert [(row.ticket.pk, row.awaiting) for row in rows] == [(ticket.pk, True)]
    client.post(url("tickets_portal:acknowledge", ticket.pk))
    assert fresh(ticket).status == Status.ACKNOWLEDGED


# --- queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("comments", [2, 20])
def test_ticket_page_queries_do_not_grow_with_the_timeline(
    manager, manager_a, agency_a, comments, django_assert_max_num_queries
):
    office_hours = make_calendar([(day, "00:00", "23:59") for day in range(7)])
    ticket = make_ticket(make_room(agency=agency_a, calendar=office_hours))
    for index in range(comments):
        attachments = [photo(f"p{index}.jpg")] if index % 2 else []
        services.ticket_comment(
            ticket=ticket, actor=manager_a, text=f"تعليق {index}", attachments=attachments
        )
    manager.get(url("tickets_portal:detail", ticket.pk))
    # The session; the user with membership and agency; user and group permissions; the
    # ticket; its policy, with its escalation steps and its calendar's working periods and
    # holidays; the events with their people and agencies; their attachments.
    with django_assert_max_num_queries(TICKET_QUERIES):
        response = manager.get(url("tickets_portal:detail", ticket.pk))
    assert len(response.context["events"]) == comments + 2


TICKET_QUERIES = 11

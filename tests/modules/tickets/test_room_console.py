"""The operator's console: a call recorded as a new incident (routed by the rules, or sent
where the operator says), a ticket's page with every action through its view, the list of
all tickets, and attachments served only to those who may see them."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from modules.tickets import services
from modules.tickets.models import EventKind, Source, Status, Ticket, TicketAttachment
from tests.support.fixtures import make_user
from tests.support.tickets import (
    at,
    make_category,
    make_operator,
    make_priority,
    make_room,
    make_rule,
    make_ticket,
    make_zone,
    photo,
)

T0 = at("2026-05-20 10:00")
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def operator(db):
    return make_operator()


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def room(agency_a):
    return make_room(agency=agency_a)


def _url(name, ticket=None, action=None):
    if action:
        return reverse("tickets_room:action", args=[ticket.reference, action])
    if ticket:
        return reverse(name, args=[ticket.reference])
    return reverse(name)


def _incident(room, **changes):
    return {
        "category": room.category.pk,
        "priority": "",
        "zone": room.zone.pk,
        "landmark": room.landmark.pk,
        "latitude": "",
        "longitude": "",
        "location_note": "قرب المدخل الشمالي",
        "description": "بلاغ هاتفي: حاج مفقود",
        "reporter_name": "أحمد",
        "reporter_phone": "0501234567",
        "agency": "",
        **changes,
    }


# --- new incident ---------------------------------------------------------------------------


def test_a_call_is_routed_by_the_rules(operator_client, room, agency_a, operator):
    response = operator_client.post(_url("tickets_room:create"), _incident(room))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("tickets_room:ticket", ticket)
    assert (ticket.source, ticket.agency, ticket.status) == (
        Source.OPERATOR,
        agency_a,
        Status.ASSIGNED,
    )
    assert ticket.created_by == operator
    assert ticket.reporter_phone == "+966501234567"
    assert ticket.priority == room.priority
    page = operator_client.get(response["Location"])
    assert ticket.reference in page.content.decode()


def test_the_operator_may_send_it_elsewhere_with_an_attachment(operator_client, room, agency_b):
    urgent = make_priority("urgent", rank=0, name_en="Urgent")
    data = _incident(
        room,
        agency=agency_b.pk,
        priority=urgent.pk,
        landmark="",
        latitude="٢١٫٤٢٢٤٨٧",
        longitude="39.826206",
        attachment=SimpleUploadedFile("report.pdf", b"%PDF-1.4 a call log", "application/pdf"),
    )
    response = operator_client.post(_url("tickets_room:create"), data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.agency, ticket.priority) == (agency_b, urgent)
    assert str(ticket.latitude) == "21.422487"
    attachment = ticket.attachments.get()
    assert attachment.original_name == "report.pdf"


def test_bad_calls_are_refused_and_nothing_is_stored(operator_client, room):
    elsewhere = make_zone("north", name_ar="الشمال", name_en="North")
    for changes in (
        {"zone": elsewhere.pk},  # the gate is in the central area
        {"description": ""},
        {"latitude": "95", "longitude": "39.8"},
        {"latitude": "21.4", "longitude": ""},
        {"reporter_phone": "not a phone"},
        {"description": "x" * 4001},
        {"attachment": SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")},
    ):
        response = operator_client.post(_url("tickets_room:create"), _incident(room, **changes))
        assert response.status_code == 200, changes
        form = response.context["form"]
        assert form.errors, changes
    assert not Ticket.objects.exists()
    assert not TicketAttachment.objects.exists()


def test_a_reviewer_reads_but_takes_no_calls_and_acts_on_nothing(client, room):
    from modules.accounts.roles import Role

    reviewer = make_user("reviewer@example.org", Role.REVIEWER)
    ticket = make_ticket(room, now=T0)
    client.force_login(reviewer)
    assert client.get(_url("tickets_room:create")).status_code == 403
    assert client.post(_url("tickets_room:create"), _incident(room)).status_code == 403
    page = client.get(_url("tickets_room:ticket", ticket))
    assert page.status_code == 200
    assert page.context["actions"] == []
    assert client.post(_url(None, ticket, "acknowledge")).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED


# --- the ticket's page and its actions --------------------------------------------------------


def test_the_page_shows_both_clocks_and_the_timeline(operator_client, room, staff_a):
    ticket = make_ticket(room, now=T0, attachments=[photo()])
    services.ticket_comment(ticket=ticket, actor=staff_a, text="في الطريق", now=T0 + MINUTE)
    services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=T0 + 5 * MINUTE)
    with time_machine.travel(T0 + 10 * MINUTE, tick=False):
        response = operator_client.get(_url("tickets_room:ticket", ticket))
    html = response.content.decode()
    assert response.status_code == 200
    titles = [clock["countdown"]["target"] for clock in response.context["clocks"]]
    assert titles == ["acknowledge", "resolve"]
    assert response.context["clocks"][0]["countdown"]["met"] is True
    assert response.context["clocks"][1]["countdown"]["seconds"] == 110 * 60
    assert "في الطريق" in html and "ازدحام شديد عند البوابة" in html
    attachment = ticket.attachments.get()
    assert reverse("tickets_room:attachment", args=[attachment.pk]) in html
    kinds = [event.kind for event in response.context["events"]]
    assert kinds == [
        EventKind.CREATED,
        EventKind.ASSIGNED,
        EventKind.COMMENTED,
        EventKind.ACKNOWLEDGED,
    ]
    offered = [item["name"] for item in response.context["actions"]]
    assert offered == ["assign", "start", "resolve", "priority", "pause", "comment"]


def test_another_agencys_or_an_unknown_ticket_is_a_404(operator_client, client, room, manager_b):
    assert operator_client.get("/ar/operations/tickets/1447-999999/").status_code == 404
    ticket = make_ticket(room, now=T0)
    client.force_login(manager_b)
    response = client.get(_url("tickets_room:ticket", ticket))
    assert response.status_code == 302, "agency people are sent to their portal"


def test_every_operator_action_through_its_view(operator_client, room, agency_a, agency_b):
    ticket = make_ticket(room, now=T0)
    low = make_priority("low", rank=5, name_en="Low")

    def post(action, data=None):
        response = operator_client.post(_url(None, ticket, action), data or {})
        assert response.status_code == 302, (
            action,
            response.context and [item["form"].errors for item in response.context["actions"]],
        )
        ticket.refresh_from_db()
        return response

    post("acknowledge")
    assert ticket.status == Status.ACKNOWLEDGED
    post("start")
    assert ticket.status == Status.IN_PROGRESS
    post("priority", {"priority-priority": low.pk, "priority-reason": "أقل خطورة"})
    assert ticket.priority == low
    post("pause", {"pause-reason": "بانتظار فريق"})
    assert ticket.status == Status.ON_HOLD and ticket.paused_at
    post("resume")
    assert ticket.status == Status.IN_PROGRESS and ticket.paused_at is None
    post("assign", {"assign-agency": agency_b.pk, "assign-reason": "ليست من اختصاصهم"})
    assert (ticket.agency, ticket.status) == (agency_b, Status.ASSIGNED)
    post("resolve", {"resolve-note": "عولج البلاغ"})
    assert ticket.status == Status.RESOLVED and ticket.resolution == "عولج البلاغ"
    post("close")
    assert ticket.status == Status.CLOSED
    post("reopen", {"reopen-reason": "عاد الازدحام"})
    assert ticket.status == Status.ASSIGNED
    response = post(
        "comment",
        {
            "comment-text": "تم التواصل مع المبلغ",
            "comment-is_public": "on",
            "comment-attachment": photo("scene.png", image_format="PNG"),
        },
    )
    event = ticket.events.filter(kind=EventKind.COMMENTED).get()
    assert event.is_public and event.attachments.count() == 1
    follow = operator_client.get(response["Location"])
    assert "تم التواصل مع المبلغ" in follow.content.decode()
    kinds = list(ticket.events.values_list("kind", flat=True))
    for kind in (
        EventKind.ACKNOWLEDGED,
        EventKind.STARTED,
        EventKind.PRIORITY_CHANGED,
        EventKind.PAUSED,
        EventKind.RESUMED,
        EventKind.REASSIGNED,
        EventKind.RESOLVED,
        EventKind.CLOSED,
        EventKind.REOPENED,
        EventKind.COMMENTED,
    ):
        assert kind in kinds


def test_an_unrouted_ticket_is_assigned_without_a_reason(operator_client, room, agency_b):
    lost = make_category("lost", priority=room.priority)
    ticket = make_ticket(room, now=T0, category=lost)
    assert ticket.agency is None
    response = operator_client.post(_url(None, ticket, "assign"), {"assign-agency": agency_b.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.agency, ticket.status) == (agency_b, Status.ASSIGNED)


def test_reassigning_needs_a_reason(operator_client, room, agency_a, agency_b):
    ticket = make_ticket(room, now=T0)
    with translation.override("en"):
        response = operator_client.post(
            _url(None, ticket, "assign"), {"assign-agency": agency_b.pk, "assign-reason": "  "}
        )
    assert response.status_code == 200
    form = next(item["form"] for item in response.context["actions"] if item["name"] == "assign")
    assert "reason" in form.errors
    assert response.context["open_action"] == "assign"
    assert 'class="room-action" open' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.agency == agency_a
    assert not ticket.events.filter(kind=EventKind.REASSIGNED).exists()


def test_the_agencys_request_to_reassign_is_shown_prominently(operator_client, room, staff_a):
    ticket = make_ticket(room, now=T0)
    services.ticket_request_reassign(
        ticket=ticket, actor=staff_a, reason="البلاغ خارج نطاقنا الجغرافي", now=T0 + MINUTE
    )
    html = operator_client.get(_url("tickets_room:ticket", ticket)).content.decode()
    alert = html.split('class="alert alert--warning room-request"')[1].split("</section>")[0]
    assert "البلاغ خارج نطاقنا الجغرافي" in alert
    assert "Reassign" in html or "إسناد" in html


def test_an_action_the_status_does_not_allow_is_refused(operator_client, room):
    ticket = make_ticket(room, now=T0)
    response = operator_client.post(_url(None, ticket, "close"))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED
    assert operator_client.post(_url(None, ticket, "explode")).status_code == 404
    assert operator_client.get(_url(None, ticket, "acknowledge")).status_code == 405


def test_a_required_note_comes_back_on_the_form(operator_client, room):
    ticket = make_ticket(room, now=T0)
    response = operator_client.post(_url(None, ticket, "resolve"), {"resolve-note": ""})
    assert response.status_code == 200
    form = next(item["form"] for item in response.context["actions"] if item["name"] == "resolve")
    assert "note" in form.errors
    response = operator_client.post(_url(None, ticket, "comment"), {"comment-text": ""})
    form = next(item["form"] for item in response.context["actions"] if item["name"] == "comment")
    assert form.non_field_errors()
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED
    assert not ticket.events.filter(kind=EventKind.COMMENTED).exists()


# --- the list of all tickets ---------------------------------------------------------------------


def test_the_list_searches_filters_and_pages(operator_client, room, operator, agency_b):
    north = make_zone("north", name_ar="الشمال", name_en="North")
    water = make_category("water", priority=room.priority)
    make_rule(water, agency_b)
    open_ticket = make_ticket(room, now=T0)
    done = make_ticket(room, now=T0)
    services.ticket_resolve(ticket=done, actor=operator, note="تم", now=T0 + MINUTE)
    north_ticket = make_ticket(
        room, now=T0, category=water, landmark=None, zone=north, latitude="21.4", longitude="39.8"
    )

    def references(**params):
        response = operator_client.get(_url("tickets_room:tickets"), params)
        assert response.status_code == 200
        return {ticket["reference"] for ticket in response.context["page_obj"].object_list}

    assert references() == {open_ticket.reference, north_ticket.reference}
    assert references(state="done") == {done.reference}
    assert references(state="all") == {
        open_ticket.reference,
        done.reference,
        north_ticket.reference,
    }
    assert references(state="all", q=done.reference[-3:]) == {done.reference}
    arabic_digits = done.reference.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert references(state="all", q=arabic_digits) == {done.reference}
    assert references(zone=north.pk) == {north_ticket.reference}
    assert references(agency=agency_b.pk) == {north_ticket.reference}
    assert references(state="all", status="resolved") == {done.reference}


@pytest.mark.parametrize("size", [5, 50])
def test_the_list_reads_a_fixed_number_of_queries(
    operator_client, room, size, django_assert_max_num_queries
):
    for index in range(size):
        make_ticket(room, now=T0 - index * MINUTE)
    with django_assert_max_num_queries(14):
        response = operator_client.get(_url("tickets_room:tickets"), {"state": "all"})
    assert len(response.context["page_obj"].object_list) == min(size, 50)


# --- attachments ---------------------------------------------------------------------------------


def test_attachments_are_served_to_those_who_may_see_them(
    client, operator, room, staff_a, manager_b
):
    ticket = make_ticket(room, now=T0, attachments=[photo("صورة الموقع.jpg")])
    attachment = ticket.attachments.get()
    url = reverse("tickets_room:attachment", args=[attachment.pk])

    assert client.get(url).status_code == 302, "anonymous: to the sign-in page"
    for person in (operator, staff_a):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=utf-8''" in disposition and ".jpg" in disposition
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    client.force_login(manager_b)
    assert client.get(url).status_code == 404, "another agency: not found, not forbidden"
    assert client.get(reverse("tickets_room:attachment", args=[99999])).status_code == 404


def test_a_strange_file_name_is_made_safe(operator_client, room):
    ticket = make_ticket(room, now=T0, attachments=[photo('../"..;.jpg')])
    attachment = ticket.attachments.get()
    response = operator_client.get(reverse("tickets_room:attachment", args=[attachment.pk]))
    disposition = response["Content-Disposition"]
    assert "/" not in disposition and '\\"' not in disposition
    assert disposition.endswith('.jpg"') or disposition.endswith(".jpg")

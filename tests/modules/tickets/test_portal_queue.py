"""The agency portal's incident queue, a new incident from the portal, and the home card."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from modules.portal.cards import Tone
from modules.tickets import services
from modules.tickets.models import Source, Status, Ticket, TicketAttachment
from tests.support.tickets import (
    at,
    make_calendar,
    make_category,
    make_operator,
    make_priority,
    make_room,
    make_rule,
    make_ticket,
    photo,
)

pytestmark = pytest.mark.django_db

NOON = at("2026-05-20 12:00")


def url(name, *args, language="ar", query=""):
    with translation.override(language):
        return reverse(name, args=args) + query


@pytest.fixture
def elsewhere(room, agency_b):
    """A category the rules send to agency B."""
    category = make_category("lost-person", priority=room.priority, order=1)
    make_rule(category, agency_b)
    return category


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return client


def queue_references(response) -> list[str]:
    return [row.ticket.reference for row in response.context["rows"]]


def reported_minutes_before_noon(room, *minutes, **fields) -> list[Ticket]:
    return [make_ticket(room, now=NOON - datetime.timedelta(minutes=m), **fields) for m in minutes]


# --- the queue -----------------------------------------------------------------------------


def test_the_queue_lists_the_agencys_open_tickets_new_first_then_by_deadline(
    manager, manager_a, room, elsewhere
):
    # 15 minutes to acknowledge, 120 to resolve, all reported in the last hour and a half.
    late, soon, fresh = reported_minutes_before_noon(room, 90, 30, 5)
    acknowledged_early, acknowledged_late = reported_minutes_before_noon(room, 60, 20)
    for ticket in (acknowledged_late, acknowledged_early):
        services.ticket_acknowledge(ticket=ticket, actor=manager_a, now=NOON)
    resolved = make_ticket(room, now=NOON - datetime.timedelta(minutes=80))
    services.ticket_resolve(ticket=resolved, actor=manager_a, note="تم", now=NOON)
    foreign = make_ticket(room, category=elsewhere, now=NOON)

    with time_machine.travel(NOON, tick=False):
        response = manager.get(url("tickets_portal:queue", language="en"))

    assert response.status_code == 200
    assert queue_references(response) == [
        late.reference,
        soon.reference,
        fresh.reference,
        acknowledged_early.reference,
        acknowledged_late.reference,
    ]
    rows = response.context["rows"]
    assert [row.awaiting for row in rows] == [True, True, True, False, False]
    html = response.content.decode()
    assert foreign.reference not in html
    assert resolved.reference not in html
    assert html.count("ticket-row--new") == 3
    assert '<script src="/static/tickets/countdown.js" defer></script>' in html


def test_each_row_has_a_live_countdown_to_the_deadline_that_matters(manager, manager_a, room):
    [waiting] = reported_minutes_before_noon(room, 20)  # 5 minutes past acknowledging
    [working] = reported_minutes_before_noon(room, 100)  # 20 minutes left to resolve
    services.ticket_acknowledge(ticket=working, actor=manager_a, now=NOON)

    with time_machine.travel(NOON, tick=False):
        html = manager.get(url("tickets_portal:queue", language="en")).content.decode()

    assert (
        '<span class="countdown countdown--breached" dir="ltr" '
        'data-due="2026-05-20T11:55:00+03:00" data-seconds="-300" data-total="900" '
        'data-warning="0.75" data-running="true" data-paused="false" data-met="false">'
        "\u221200:05:00</span>"
    ) in html
    assert (
        '<span class="countdown countdown--warning" dir="ltr" '
        'data-due="2026-05-20T12:20:00+03:00" data-seconds="1200" data-total="7200"'
    ) in html
    assert "to acknowledge" in html and "to resolve" in html


def test_filters_by_status_priority_and_category(manager, manager_a, room, agency_a):
    urgent = make_priority("urgent", rank=0, name_ar="عاجلة", name_en="Urgent")
    other = make_category("cleaning", priority=urgent, order=2)
    make_rule(other, agency_a)
    [plain] = reported_minutes_before_noon(room, 10)
    cleaning = make_ticket(room, category=other, now=NOON)
    done = make_ticket(room, now=NOON)
    services.ticket_resolve(ticket=done, actor=manager_a, note="تم", now=NOON)

    def shown(query):
        return queue_references(manager.get(url("tickets_portal:queue", query=query)))

    assert shown("") == [plain.reference, cleaning.reference]
    assert shown(f"?category={other.pk}") == [cleaning.reference]
    assert shown(f"?priority={urgent.pk}") == [cleaning.reference]
    assert shown("?status=resolved") == [done.reference]
    assert set(shown("?status=all")) == {plain.reference, cleaning.reference, done.reference}
    # A value that is not a choice is ignored, not an error page.
    assert shown("?status=nonsense&priority=abc&category=999999") == shown("")


def test_reported_by_us_lists_what_the_agency_sent_elsewhere_read_only(
    manager, manager_a, room, elsewhere, agency_b
):
    ours = services.ticket_create(
        source=Source.AGENCY,
        actor=manager_a,
        category=elsewhere,
        description="طفل تائه قرب البوابة",
        landmark=room.landmark,
    )
    assert ours.agency == agency_b and ours.reporting_agency_id == manager_a.agency_id

    assigned = manager.get(url("tickets_portal:queue"))
    reported = manager.get(url("tickets_portal:queue", language="en", query="?view=reported"))

    assert ours.reference not in queue_references(assigned)
    assert queue_references(reported) == [ours.reference]
    assert agency_b.name_en in reported.content.decode()
    detail = manager.get(url("tickets_portal:detail", ours.pk, language="en"))
    assert detail.status_code == 200
    assert detail.context["actions"] == set()
    assert "only they can act on it" in detail.content.decode()
    response = manager.post(url("tickets_portal:acknowledge", ours.pk))
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ours.pk).status == Status.ASSIGNED


def test_the_queue_is_paginated_keeping_the_filters(manager, room):
    reported_minutes_before_noon(room, *range(30))
    first = manager.get(url("tickets_portal:queue", query="?status=open"))
    second = manager.get(url("tickets_portal:queue", query="?status=open&page=2"))
    assert len(first.context["rows"]) == 25 and len(second.context["rows"]) == 5
    assert "?status=open&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_queue_queries_do_not_grow_with_the_tickets(
    manager, agency_a, count, django_assert_max_num_queries
):
    office_hours = make_calendar([(day, "00:00", "23:59") for day in range(7)])
    room = make_room(agency=agency_a, calendar=office_hours)
    reported_minutes_before_noon(room, *range(count))
    manager.get(url("tickets_portal:queue"))
    # The session; the user with membership and agency; user and group permissions; the
    # page count; the page of tickets; their policies, with their escalation steps and their
    # calendars' working periods and holidays; the counts; the priorities and categories of
    # the filter form.
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = manager.get(url("tickets_portal:queue"))
    assert len(response.context["rows"]) == min(count, 25)


QUEUE_QUERIES = 13


@pytest.mark.parametrize("user_fixture", ["manager_a", "staff_a"])
def test_managers_and_staff_both_work_the_queue(request, client, room, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    [ticket] = reported_minutes_before_noon(room, 1)
    assert queue_references(client.get(url("tickets_portal:queue"))) == [ticket.reference]


def test_the_queue_speaks_arabic_and_english(manager, room):
    reported_minutes_before_noon(room, 1)
    arabic = manager.get(url("tickets_portal:queue", language="ar")).content.decode()
    english = manager.get(url("tickets_portal:queue", language="en")).content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic and '<html lang="en" dir="ltr">' in english
    assert room.category.name_ar in arabic and room.category.name_en in english
    assert room.landmark.name_ar in arabic and room.landmark.name_en in english


def test_committee_people_and_strangers_do_not_get_the_queue(client, committee_admin, settings):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    assert client.get(url("tickets_portal:queue")).status_code == 302  # to sign in
    client.force_login(committee_admin)
    response = client.get(url("tickets_portal:queue"))
    assert response["Location"] == reverse("wagtailadmin_home")


# --- a new incident ------------------------------------------------------------------------


def test_an_agency_reports_an_incident_with_a_photo(manager, manager_a, room, agency_a):
    response = manager.post(
        url("tickets_portal:create", language="en"),
        {
            "category": room.category.pk,
            "description": "  <script>alert(1)</script>ازدحام عند <b>البوابة</b>  ",
            "landmark": room.landmark.pk,
            "latitude": "٢٤٫٤٦٧٢",
            "longitude": "39.6111",
            "location_note": "قرب الباب الشمالي",
            "photo": photo(),
        },
        follow=True,
    )

    ticket = Ticket.objects.get()
    assert response.redirect_chain == [
        (url("tickets_portal:detail", ticket.pk, language="en"), 302)
    ]
    assert ticket.source == Source.AGENCY
    assert ticket.created_by == manager_a
    assert ticket.agency == agency_a and ticket.reporting_agency == agency_a
    assert "<" not in ticket.description and "البوابة" in ticket.description
    assert str(ticket.latitude) == "24.467200"
    assert ticket.zone == room.zone
    [attachment] = TicketAttachment.objects.filter(ticket=ticket)
    assert attachment.content_type == "image/jpeg"
    html = response.content.decode()
    assert f"Incident {ticket.reference} was recorded and is in your queue." in html
    assert "photo.jpg" in html


def test_a_new_incident_needs_a_place(manager, room):
    response = manager.post(
        url("tickets_portal:create", language="en"),
        {"category": room.category.pk, "description": "شيء ما"},
    )
    assert response.status_code == 200
    assert "choose a zone or a landmark, or give the coordinates" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"latitude": "95", "longitude": "39"}, "between -90 and 90"),
        ({"latitude": "24.5"}, "both the latitude and the longitude"),
        ({"description": "x" * 4001}, "at most 4000 characters"),
        ({"description": "<p></p>"}, "This field is required."),
        (
            {"photo": SimpleUploadedFile("notes.jpg", b"not a picture", "image/jpeg")},
            "is not a readable image",
        ),
        (
            {"photo": SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/pdf")},
            "Attach a photo (JPEG, PNG or WebP) or a PDF document.",
        ),
    ],
)
def test_bad_input_is_refused_with_nothing_stored(manager, room, stored, fields, message):
    before = stored()
    data = {"category": room.category.pk, "description": "بلاغ", "zone": room.zone.pk, **fields}
    response = manager.post(url("tickets_portal:create", language="en"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored() == before


# --- the portal home card ------------------------------------------------------------------


def incidents_card(response):
    return next(card for card in response.context["cards"] if card.icon == "report")


def test_the_home_card_counts_open_awaiting_and_breached(manager, manager_a, room, agency_b):
    _overdue_ack, overdue_resolve, _fine = reported_minutes_before_noon(room, 20, 130, 1)
    services.ticket_acknowledge(
        ticket=overdue_resolve, actor=manager_a, now=NOON - datetime.timedelta(minutes=125)
    )
    # Paused five minutes after it came in, long before either deadline: it does not breach.
    paused = make_ticket(room, now=NOON - datetime.timedelta(minutes=300))
    services.ticket_pause(
        ticket=paused,
        actor=make_operator(),
        reason="بانتظار",
        now=NOON - datetime.timedelta(minutes=295),
    )
    unrouted = make_category("other", priority=room.priority, order=3)
    make_ticket(room, category=unrouted, now=NOON - datetime.timedelta(minutes=300))

    with time_machine.travel(NOON, tick=False):
        response = manager.get(url("portal:home", language="en"))

    card = incidents_card(response)
    assert card.value == 4
    assert card.tone == Tone.DANGER
    assert card.url == reverse("tickets_portal:queue")
    # Acknowledging is overdue on one, resolving on another; the paused one does not breach.
    assert card.description == ("2 are past their deadline. 3 wait for you to acknowledge them.")


def test_the_home_card_is_calm_when_all_is_in_hand_and_absent_when_nothing_is_open(
    manager, manager_a, room
):
    assert not any(
        card.icon == "report" for card in manager.get(url("portal:home")).context["cards"]
    )
    ticket = make_ticket(room)
    services.ticket_acknowledge(ticket=ticket, actor=manager_a)
    card = incidents_card(manager.get(url("portal:home", language="en")))
    assert (card.value, card.tone) == (1, Tone.INFO)
    assert card.description == "Every one is acknowledged and within its deadlines."


@pytest.mark.parametrize("count", [2, 20])
def test_the_home_page_stays_within_its_query_budget(
    manager, room, season, count, django_assert_max_num_queries
):
    reported_minutes_before_noon(room, *range(count))
    manager.get(url("portal:home"))
    # test_home.HOME_QUERIES (7) and the incident counts (one query).
    with django_assert_max_num_queries(8):
        response = manager.get(url("portal:home"))
    assert incidents_card(response).value == count

"""The operations board and its JSON: open tickets only, the countdowns' tones at frozen
times, the filters, the counts per agency, the wall screen, the map or its list, and a
number of queries that does not grow with the number of tickets."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from modules.tickets import services
from modules.tickets.models import Source, Ticket
from tests.support.tickets import (
    at,
    make_category,
    make_landmark,
    make_operator,
    make_priority,
    make_room,
    make_rule,
    make_ticket,
    make_zone,
)

BOARD = "tickets_room:board"
DATA = "tickets_room:board-data"
T0 = at("2026-05-20 10:00")
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    settings.TICKETS_MAP_TILES = ""


@pytest.fixture
def operator(db):
    return make_operator()


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def room(agency_a):
    """15 minutes to acknowledge, 120 to resolve, 24/7; amber from 75 % of the time."""
    return make_room(agency=agency_a)


def _data(client, **params) -> dict:
    response = client.get(reverse(DATA), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    return response.json()


def _by_reference(data: dict) -> dict:
    return {row["reference"]: row for row in data["tickets"]}


def test_open_tickets_only_with_their_tones_at_a_frozen_time(operator_client, room, operator):
    now = T0 + 30 * MINUTE
    fresh = make_ticket(room, now=now - 2 * MINUTE)  # 2 of 15 min used
    nearly = make_ticket(room, now=now - 12 * MINUTE)  # 80 % used: amber
    late = make_ticket(room, now=now - 20 * MINUTE)  # 5 min past the acknowledge deadline
    held = make_ticket(room, now=now - 10 * MINUTE)
    services.ticket_pause(ticket=held, actor=operator, reason="ينتظر", now=now - 5 * MINUTE)
    acknowledged = make_ticket(room, now=now - 25 * MINUTE)
    services.ticket_acknowledge(ticket=acknowledged, actor=operator, now=now - 20 * MINUTE)
    done = make_ticket(room, now=now - 25 * MINUTE)
    services.ticket_resolve(ticket=done, actor=operator, note="تم", now=now - 3 * MINUTE)

    with time_machine.travel(now, tick=False):
        data = _data(operator_client)
        page = operator_client.get(reverse(BOARD))

    rows = _by_reference(data)
    assert set(rows) == {t.reference for t in (fresh, nearly, late, held, acknowledged)}
    assert rows[fresh.reference]["countdown"]["tone"] == "ok"
    assert rows[fresh.reference]["countdown"]["seconds"] == 13 * 60
    assert rows[fresh.reference]["countdown"]["target"] == "acknowledge"
    assert rows[nearly.reference]["countdown"]["tone"] == "warning"
    assert rows[late.reference]["countdown"]["tone"] == "breached"
    assert rows[late.reference]["countdown"]["seconds"] == -5 * 60
    assert rows[late.reference]["countdown"]["text"] == "\u221200:05:00"
    paused = rows[held.reference]["countdown"]
    assert (paused["tone"], paused["paused"], paused["seconds"]) == ("paused", True, 10 * 60)
    # Acknowledged: the resolve clock is the one that counts now (120 − 25 = 95 min left).
    resolving = rows[acknowledged.reference]["countdown"]
    assert (resolving["target"], resolving["tone"], resolving["seconds"]) == (
        "resolve",
        "ok",
        95 * 60,
    )
    assert rows[fresh.reference]["countdown"]["running"] is True
    assert rows[fresh.reference]["countdown"]["due"] == "2026-05-20T10:43:00+03:00"
    # The most urgent first: the breached one leads.
    assert data["tickets"][0]["reference"] == late.reference

    assert page.status_code == 200
    html = page.content.decode()
    assert done.reference not in html
    for tone in ("ok", "warning", "breached", "paused"):
        assert f"countdown countdown--{tone}" in html
    assert 'data-seconds="-300"' in html
    assert 'dir="ltr" role="timer"' in html
    assert "tickets/countdown.js" in html and "tickets/board.js" in html


def test_the_json_carries_what_a_row_needs(operator_client, room, agency_a):
    ticket = make_ticket(room, now=T0, reporter_phone="")
    with time_machine.travel(T0 + MINUTE, tick=False), translation.override("en"):
        row = _data(operator_client)["tickets"][0]
    assert row["id"] == ticket.pk
    assert row["url"] == f"/en/operations/tickets/{ticket.reference}/"
    assert row["category"] == room.category.name_en
    assert row["priority"] == {"name": "High", "colour": "#b42318", "rank": 1}
    assert row["agency"] == "Agency agency-a" and row["agency_id"] == agency_a.pk
    assert row["zone"] == "Central area" and row["landmark"] == "Gate 21"
    assert (row["lat"], row["lng"]) == (24.4672, 39.6111)  # the gate's coordinates
    assert (row["status"], row["status_label"]) == ("assigned", "Assigned")
    assert set(row["countdown"]) >= {
        "due",
        "seconds",
        "total",
        "warning",
        "running",
        "paused",
        "met",
        "tone",
        "text",
    }
    assert row["countdown"]["total"] == 15 * 60 and row["countdown"]["warning"] == 0.75
    assert "description" not in row, "the board's JSON stays compact"


def test_filters_and_counts_per_agency(operator_client, room, agency_a, agency_b, operator):
    water = make_category("water", priority=room.priority)
    make_rule(water, agency_b)
    north = make_zone("north", name_ar="الشمال", name_en="North")
    low = make_priority("low", rank=5, name_ar="منخفضة", name_en="Low", colour="#0b6b4f")
    a_late = make_ticket(room, now=T0 - 30 * MINUTE)  # agency A, breached
    a_fresh = make_ticket(room, now=T0 - MINUTE)
    services.ticket_acknowledge(ticket=a_fresh, actor=operator, now=T0)
    b_fresh = make_ticket(
        room,
        now=T0 - MINUTE,
        category=water,
        landmark=None,
        zone=north,
        latitude="21.4",
        longitude="39.8",
    )
    services.ticket_change_priority(ticket=b_fresh, actor=operator, priority=low, now=T0)
    unrouted_category = make_category("other", priority=room.priority)
    unrouted = make_ticket(room, now=T0 - MINUTE, category=unrouted_category)
    assert unrouted.agency_id is None

    with time_machine.travel(T0 + MINUTE, tick=False):
        everything = _data(operator_client)
        only_b = _data(operator_client, agency=agency_b.pk)
        only_water = _data(operator_client, category=water.pk)
        only_low = _data(operator_client, priority=low.pk)
        only_north = _data(operator_client, zone=north.pk)
        bad = operator_client.get(reverse(DATA), {"agency": "not-a-number"})
        page = operator_client.get(reverse(BOARD), {"agency": agency_b.pk})

    assert len(everything["tickets"]) == 4
    assert [row["reference"] for row in only_b["tickets"]] == [b_fresh.reference]
    assert [row["reference"] for row in only_water["tickets"]] == [b_fresh.reference]
    assert [row["reference"] for row in only_low["tickets"]] == [b_fresh.reference]
    assert [row["reference"] for row in only_north["tickets"]] == [b_fresh.reference]
    assert bad.status_code == 400 and "agency" in bad.json()["errors"]

    counts = {count["id"]: count for count in everything["counts"]["agencies"]}
    assert counts[agency_a.pk] == {
        "id": agency_a.pk,
        "name": agency_a.name_ar,
        "open": 2,
        "breached": 1,
        "awaiting": 1,
    }
    assert (counts[agency_b.pk]["open"], counts[agency_b.pk]["breached"]) == (1, 0)
    assert counts[agency_b.pk]["awaiting"] == 1
    assert counts[None]["open"] == 1, "tickets no rule routed are counted on their own line"
    assert everything["counts"]["agencies"][0]["id"] is None, "they come first: act on them"
    assert everything["counts"]["total"] == {"open": 4, "breached": 1, "awaiting": 3}
    assert only_b["counts"]["total"] == {"open": 1, "breached": 0, "awaiting": 1}

    html = page.content.decode()
    assert b_fresh.reference in html and a_late.reference not in html
    assert f'<option value="{agency_b.pk}" selected>' in html
    # Rows carry their filter values, so board.js filters at once on the screen too.
    assert f'data-agency="{agency_b.pk}" data-category="{water.pk}"' in html


def test_the_wall_screen(operator_client, room):
    make_ticket(room, now=T0)
    with time_machine.travel(T0, tick=False):
        plain = operator_client.get(reverse(BOARD)).content.decode()
        wall = operator_client.get(reverse(BOARD), {"wall": "1"}).content.decode()
    assert "room--wall" in wall and "room--wall" not in plain
    assert "?wall=1" in plain, "the board links to its wall screen"
    config = json.loads(wall.split('id="board-config" type="application/json">')[1].split("<")[0])
    assert config["wall"] is True
    assert config["labels"]["offline"]


def test_without_tiles_the_located_tickets_are_listed(operator_client, room, settings):
    located = make_ticket(
        room, now=T0, landmark=None, zone=room.zone, latitude="21.422487", longitude="39.826206"
    )
    nowhere = make_ticket(
        room,
        now=T0,
        landmark=None,
        zone=room.zone,
        source=Source.OPERATOR,
        actor=make_operator("op2@example.org"),
    )
    with time_machine.travel(T0, tick=False):
        html = operator_client.get(reverse(BOARD)).content.decode()
    listed = html.split("data-board-located>")[1].split("</ul>")[0]
    assert located.reference in listed and nowhere.reference not in listed
    assert "21.42249, 39.82621" in listed
    assert "leaflet.js" not in html

    settings.TICKETS_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    with time_machine.travel(T0, tick=False):
        html = operator_client.get(reverse(BOARD)).content.decode()
    assert "vendor/leaflet/leaflet.js" in html and "data-board-map" in html
    markers = json.loads(html.split('id="board-located" type="application/json">')[1].split("<")[0])
    assert [marker["reference"] for marker in markers] == [located.reference]


def _many(room, count: int, agencies) -> None:
    landmark = make_landmark("Gate 9", zone=room.zone)
    for index in range(count):
        ticket = make_ticket(room, now=T0 - index * MINUTE, landmark=landmark)
        agency = agencies[index % len(agencies)]
        if ticket.agency_id != agency.pk:
            Ticket.objects.filter(pk=ticket.pk).update(agency=agency)


@pytest.mark.parametrize("size", [5, 50])
def test_the_data_endpoint_reads_a_fixed_number_of_queries(
    operator_client, room, agency_a, agency_b, size, django_assert_max_num_queries
):
    _many(room, size, [agency_a, agency_b])
    # Session, user, two for permissions; the counts per agency; the most urgent tickets;
    # their policies and escalation steps.
    with django_assert_max_num_queries(8), time_machine.travel(T0, tick=False):
        data = _data(operator_client)
    assert len(data["tickets"]) == size


@pytest.mark.parametrize("size", [5, 50])
def test_the_board_page_reads_a_fixed_number_of_queries(
    operator_client, room, agency_a, agency_b, size, django_assert_max_num_queries
):
    _many(room, size, [agency_a, agency_b])
    # The data's eight, and the choices of the four filters.
    with django_assert_max_num_queries(12), time_machine.travel(T0, tick=False):
        response = operator_client.get(reverse(BOARD))
    assert response.status_code == 200


def test_the_board_reads_in_english_too(operator_client, room):
    make_ticket(room, now=T0)
    with translation.override("en"), time_machine.travel(T0, tick=False):
        html = operator_client.get(reverse(BOARD)).content.decode()
    assert "Operations board" in html and "Awaiting acknowledgement" in html
    with time_machine.travel(T0, tick=False):
        arabic = operator_client.get(reverse(BOARD)).content.decode()
    assert 'dir="rtl"' in arabic


def test_a_surge_lists_the_most_urgent_and_counts_them_all(operator_client, room, monkeypatch):
    monkeypatch.setattr("modules.tickets.room.board.BOARD_LIMIT", 2)
    for _ in range(3):
        make_ticket(room)

    data = _data(operator_client)
    page = operator_client.get(reverse("tickets_room:board"))

    assert (data["shown"], data["total"], len(data["tickets"])) == (2, 3, 2)
    assert data["counts"]["total"]["open"] == 3
    more = page.text.split("data-board-more", 1)[1].split(">", 1)
    assert " hidden" not in more[0]

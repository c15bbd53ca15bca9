"""The board in Chromium: countdowns tick, board.js redraws from the JSON, survives a lost
connection and says so, and filters the rows at once. Screenshots go to
test-artifacts/screenshots/."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from modules.tickets import services
from modules.tickets.room import views as room_views
from tests.support.tickets import make_category, make_operator, make_room, make_rule, make_ticket

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DATA_URL = re.compile(r".*/operations/board/data/.*")


@pytest.fixture
def page(browser, live_server, client, settings):
    """A signed-in operator's tab on the shared browser (tests/e2e/conftest.py)."""
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    settings.TICKETS_MAP_TILES = ""
    client.force_login(make_operator())
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1400, "height": 1000}
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"room-{name}.png"), full_page=True)


def _seconds(text: str) -> int:
    sign = -1 if text.startswith("\u2212") else 1
    hours, minutes, seconds = (int(part) for part in text.lstrip("\u2212").split(":"))
    return sign * (hours * 3600 + minutes * 60 + seconds)


def test_the_board_lives_in_the_browser(page, agency_a, agency_b, monkeypatch):
    from playwright.sync_api import expect

    monkeypatch.setattr(room_views, "BOARD_REFRESH_SECONDS", 1)  # a wall screen's 15 s, sped up

    room = make_room(agency=agency_a)
    water = make_category("water", priority=room.priority)
    make_rule(water, agency_b)
    now = timezone.now()
    late = make_ticket(room, now=now - datetime.timedelta(minutes=20))
    fresh = make_ticket(room, now=now - datetime.timedelta(minutes=1))
    elsewhere = make_ticket(room, now=now, category=water)

    page.goto("/ar/operations/")
    clock = page.locator(f'tr[data-ticket="{fresh.pk}"] .countdown')
    expect(clock).to_have_class(re.compile("countdown--ok"))
    before = _seconds(clock.inner_text())
    page.wait_for_timeout(2300)
    after = _seconds(clock.inner_text())
    # Each fresh answer re-syncs the clock with the server (to within a second).
    assert 1 <= before - after <= 4, "the clock ticks once a second"
    expect(page.locator(f'tr[data-ticket="{late.pk}"] .countdown')).to_have_class(
        re.compile("countdown--breached")
    )
    expect(page.locator(f'tr[data-ticket="{late.pk}"] .countdown')).to_have_text(
        re.compile("^\u2212")
    )
    _shot(page, "board-ar")

    # A new report appears without a reload; one resolved meanwhile leaves.
    newcomer = make_ticket(room, now=timezone.now())
    services.ticket_resolve(
        ticket=fresh, actor=make_operator("op2@example.org"), note="تم", now=timezone.now()
    )
    expect(page.locator(f'tr[data-ticket="{newcomer.pk}"]')).to_be_visible()
    expect(page.locator(f'tr[data-ticket="{fresh.pk}"]')).to_have_count(0)
    expect(page.locator(f'tr[data-ticket="{newcomer.pk}"] .countdown')).to_have_class(
        re.compile("countdown--ok")
    )
    expect(page.locator('[data-board-total="open"]')).to_have_text("3")

    # The connection drops: the rows stay, the board says so, then recovers by itself.
    page.route(DATA_URL, lambda route: route.abort())
    expect(page.locator("[data-board-connection]")).to_be_visible()
    expect(page.locator(f'tr[data-ticket="{newcomer.pk}"]')).to_be_visible()
    _shot(page, "board-offline")
    page.unroute(DATA_URL)
    # The first retry comes 4–6 s later.
    expect(page.locator("[data-board-connection]")).to_be_hidden(timeout=10_000)
    expect(page.locator("[data-board-updated]")).to_contain_text(re.compile(r"\d\d:\d\d:\d\d"))

    # Filters narrow the rows at once and go into the address.
    page.select_option("#id_agency", str(agency_b.pk))
    expect(page.locator(f'tr[data-ticket="{late.pk}"]')).to_be_hidden()
    expect(page.locator(f'tr[data-ticket="{elsewhere.pk}"]')).to_be_visible()
    assert f"agency={agency_b.pk}" in page.url

    page.goto("/en/operations/?wall=1")
    expect(page.locator("body.room--wall")).to_be_visible()
    expect(page.locator(".site-header")).to_be_hidden()
    _shot(page, "board-wall-en")


def test_the_map_marks_located_tickets_by_tone(page, agency_a, settings, monkeypatch):
    from playwright.sync_api import expect

    monkeypatch.setattr(room_views, "BOARD_REFRESH_SECONDS", 1)
    # Tiles from nowhere: the room may be offline; the markers must still be drawn.
    settings.TICKETS_MAP_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    room = make_room(agency=agency_a)
    now = timezone.now()
    make_ticket(room, now=now - datetime.timedelta(minutes=20))
    make_ticket(room, now=now, landmark=None, zone=room.zone, latitude="24.47", longitude="39.6")
    page.goto("/ar/operations/")
    markers = page.locator(".room-map path.leaflet-interactive")
    expect(markers).to_have_count(2)
    colours = sorted(markers.evaluate_all("nodes => nodes.map(n => n.getAttribute('stroke'))"))
    assert colours == ["#0b6b4f", "#b42318"], "green for the fresh one, red for the breached one"
    make_ticket(
        room, now=timezone.now(), landmark=None, zone=room.zone, latitude="24.5", longitude="39.7"
    )
    expect(markers).to_have_count(3)  # the next answer adds its marker, keeping the others
    _shot(page, "board-map")


def test_an_operator_works_a_ticket_in_the_browser(page, agency_a, staff_a):
    from playwright.sync_api import expect

    room = make_room(agency=agency_a)
    ticket = make_ticket(room, now=timezone.now() - datetime.timedelta(minutes=5))
    services.ticket_request_reassign(
        ticket=ticket, actor=staff_a, reason="خارج نطاقنا", now=timezone.now()
    )
    page.goto(f"/en/operations/tickets/{ticket.reference}/")
    expect(page.locator(".room-request")).to_contain_text("خارج نطاقنا")
    page.get_by_role("button", name="Acknowledge on the agency's behalf").click()
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator(".room-clock").first.locator(".countdown")).to_have_class(
        re.compile("countdown--done")
    )
    page.locator("summary", has_text="Put on hold").click()
    page.get_by_label("Reason").last.fill("بانتظار الدفاع المدني")
    page.get_by_role("button", name="Put on hold").click()
    paused = page.locator(".room-clock").last.locator(".countdown")
    expect(paused).to_have_class(re.compile("countdown--paused"))
    frozen = paused.inner_text()
    page.wait_for_timeout(1500)
    assert paused.inner_text() == frozen, "a stopped clock does not tick"
    _shot(page, "ticket-en")
    page.goto("/ar/operations/tickets/new/")
    _shot(page, "new-incident-ar")
    page.goto("/ar/operations/metrics/")
    _shot(page, "metrics-ar")
    page.goto("/ar/operations/tickets/?state=all")
    expect(page.locator(f"text={ticket.reference}")).to_be_visible()
    _shot(page, "list-ar")

"""An incident's whole journey in Chromium, in Arabic (issue #5): a member of the public
reports it on the report page; an operator sees it on the operations board with a running
countdown (and on the wall screen); the agency it was routed to acknowledges and resolves it
in the portal; the reporter's private link then shows it resolved, with what was done — in
Arabic, and briefly in English."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from modules.accounts.roles import Role
from modules.core.demo.report_page import ensure_report_page
from modules.tickets.models import Category, Landmark, Status, Ticket
from tests.support.fixtures import PASSWORD, ensure_role_groups
from tests.support.mfa import activate_totp, totp_code
from tests.support.pages import ensure_page_tree_root, make_public_site
from tests.support.tickets import make_operator, make_room

# The live server flushes the database after each test; serialized rollback puts back what
# the data migrations created for the next one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESCRIPTION = "ازدحام شديد عند البوابة ٢١ وتدافع بين الزوار، ونحتاج إلى تنظيم الدخول."
RESOLUTION = "نُظِّم الدخول عبر البوابتين ٢٠ و٢٢ وخفّ الازدحام."


@pytest.fixture
def incident_room(settings, agency_a):
    """The report page in both languages, a public category routed to agency A, and a gate;
    no map tiles (the list of places is the way to say where)."""
    settings.TICKETS_MAP_TILES = ""
    ensure_role_groups()
    ensure_page_tree_root()
    site = make_public_site()
    report_page = ensure_report_page(site.ar.home)
    room = make_room(agency=agency_a)
    Category.objects.filter(pk=room.category.pk).update(name_ar="ازدحام", name_en="Crowding")
    Landmark.objects.filter(pk=room.landmark.pk).update(name_ar="البوابة ٢١", name_en="Gate 21")
    room.category.refresh_from_db()
    room.landmark.refresh_from_db()
    return report_page, room


def _rtl(page) -> None:
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def _sign_in(page, email: str, *, next_url: str = "", secret: str = "") -> None:
    page.context.clear_cookies()
    page.goto(f"/ar/accounts/login/{f'?next={next_url}' if next_url else ''}")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.click(".auth-card button[type=submit]")
    if secret:
        page.fill("#id_code", totp_code(secret))
        page.click("button[type=submit]")


def test_an_incident_from_the_public_report_to_its_resolution(
    page, screenshot, incident_room, agency_a, manager_a
):
    report_page, room = incident_room

    def shot(label: str) -> None:
        # A page that is still settling (web fonts, a late layout) makes a full-page capture
        # of the wrong height.
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready.then(() => true)")
        screenshot(label)

    # 1. A member of the public reports the incident, without an account.
    page.goto(report_page.url)
    _rtl(page)
    expect(page.locator("h1")).to_have_text("الإبلاغ عن حالة")
    page.get_by_label("ازدحام", exact=True).check()
    page.fill("#id_description", DESCRIPTION)
    page.select_option("#id_landmark", str(room.landmark.pk))
    expect(page.locator("[data-report-map]")).to_have_count(0)  # no tiles, no map
    shot("1-report-filled")
    page.click("form[data-report-form] .form__actions button[type=submit]")

    expect(page).to_have_url(re.compile(r"/ar/incidents/thanks/[\w-]+/[\w-]+/$"))
    _rtl(page)
    reference = page.locator("#report-reference").input_value()
    ticket = Ticket.objects.get(reference=reference)
    status_path = f"/ar/incidents/status/{ticket.reference}/{ticket.status_token}/"
    expect(page.locator("#report-status-url")).to_have_value(re.compile(re.escape(status_path)))
    expect(page.locator(f".report-done__actions a[href='{status_path}']")).to_be_visible()
    shot("2-thanks")

    assert ticket.description == DESCRIPTION
    assert (ticket.category_id, ticket.landmark_id) == (room.category.pk, room.landmark.pk)
    assert ticket.agency_id == agency_a.pk, "routed by the category's rule"
    assert ticket.status == Status.ASSIGNED

    # 2. An operator (second factor and all) finds it on the board, its clock ticking.
    operator = make_operator()
    assert operator.role == Role.OPERATOR
    _sign_in(page, operator.email, next_url="/ar/operations/", secret=activate_totp(operator))
    expect(page).to_have_url(re.compile(r"/ar/operations/$"))
    _rtl(page)
    row = page.locator(f'tr[data-ticket="{ticket.pk}"]')
    expect(row.locator(".room-ref")).to_have_text(reference)
    expect(row).to_contain_text("ازدحام")
    expect(row).to_contain_text(agency_a.name_ar)
    expect(row).to_contain_text("البوابة ٢١")
    clock = row.locator(".countdown")
    expect(clock).to_have_class(re.compile(r"\bcountdown--ok\b"))
    expect(clock).to_have_text(re.compile(r"^\d{2}:\d{2}:\d{2}$"))
    shown = clock.inner_text()
    expect(clock).not_to_have_text(shown, timeout=3_000)  # it ticks, once a second
    expect(clock).to_have_class(re.compile(r"\bcountdown--ok\b"))
    # A no-tiles board lists the located reports with their coordinates instead of a map.
    expect(page.locator("[data-board-located]")).to_contain_text(reference)
    shot("3-board")

    page.goto("/ar/operations/?wall=1")
    expect(page.locator("body.room--wall")).to_be_visible()
    _rtl(page)
    wall_clock = page.locator(f'tr[data-ticket="{ticket.pk}"] .countdown')
    expect(wall_clock).to_have_class(re.compile(r"\bcountdown--ok\b"))
    shown = wall_clock.inner_text()
    expect(wall_clock).not_to_have_text(shown, timeout=3_000)
    shot("4-wall")

    # 3. The agency it was routed to acknowledges it, then resolves it, in the portal.
    _sign_in(page, manager_a.email)
    expect(page).to_have_url(re.compile(r"/ar/portal/$"))
    page.click("a.portal-nav__link[href='/ar/portal/incidents/']")
    expect(page).to_have_url(re.compile(r"/ar/portal/incidents/$"))
    _rtl(page)
    queue_row = page.locator("tr.ticket-row", has_text=reference)
    expect(queue_row.locator(".countdown")).to_have_class(re.compile(r"\bcountdown--ok\b"))
    shot("5-portal-queue")

    queue_row.locator(f"a[href='/ar/portal/incidents/{ticket.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/ar/portal/incidents/{ticket.pk}/$"))
    _rtl(page)
    expect(page.locator(".ticket-text").first).to_have_text(DESCRIPTION)
    shot("6-portal-ticket")
    page.click(f"form[action='/ar/portal/incidents/{ticket.pk}/acknowledge/'] button")
    expect(page.locator(".message--success")).to_contain_text(reference)
    expect(page.locator(f"form[action$='/{ticket.pk}/acknowledge/']")).to_have_count(0)
    ticket.refresh_from_db()
    assert ticket.status == Status.ACKNOWLEDGED
    assert ticket.acknowledged_at is not None
    shot("7-portal-acknowledged")

    page.fill("#id_note", RESOLUTION)
    page.click("#resolve button[type=submit]")
    expect(page.locator(".message--success")).to_contain_text(reference)
    expect(page.locator("#resolve")).to_have_count(0)
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.resolution == RESOLUTION
    shot("8-portal-resolved")

    # 4. The reporter's private link, in a browser that never signed in.
    page.context.clear_cookies()
    page.goto(status_path)
    _rtl(page)
    expect(page.locator("h1")).to_contain_text(reference)
    state = page.locator(".report-state")
    expect(state).to_have_class(re.compile(r"\breport-state--success\b"))
    with translation.override("ar"):
        resolved_ar = str(Status.RESOLVED.label)
    expect(state.locator(".report-state__badge")).to_have_text(resolved_ar)
    expect(state.locator(".report-state__note")).to_have_text(RESOLUTION)
    expect(page.locator(".report-timeline__item--resolved")).to_contain_text(RESOLUTION)
    expect(page.locator(".report-timeline__item--acknowledged")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(DESCRIPTION)  # never shown publicly
    expect(page.locator("body")).not_to_contain_text(manager_a.email)
    shot("9-status-ar")

    page.goto(status_path.replace("/ar/", "/en/", 1))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(state.locator(".report-state__badge")).to_have_text("Resolved")
    expect(state.locator(".report-state__note")).to_have_text(RESOLUTION)
    expect(page.locator(".report-timeline__item--created")).to_contain_text("Report received")
    shot("10-status-en")

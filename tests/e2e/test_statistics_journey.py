"""An agency manager fills and submits today's figures in Arabic, in Chromium; a committee
administrator then finds the new figure on the indicators dashboard (issue #4)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from modules.accounts.roles import Role
from modules.agencies.models import Season
from modules.statistics.models import ReportStatus, ReportValue, ValueType
from tests.support.fixtures import PASSWORD, make_user
from tests.support.mfa import activate_totp, totp_code
from tests.support.statistics import make_indicator, make_set, save_day

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def health_form(agency_a, agency_b, manager_a, manager_b):
    today = timezone.localdate()
    Season.objects.create(
        hijri_year=1448,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        is_active=True,
    )
    admitted = make_indicator(
        "admitted", name_ar="المرضى المنومون", name_en="Patients admitted", unit_ar="مريض"
    )
    discharged = make_indicator("discharged", name_ar="حالات الخروج", name_en="Discharges")
    occupancy = make_indicator(
        "occupancy",
        name_ar="نسبة إشغال الأسرة",
        name_en="Bed occupancy",
        value_type=ValueType.PERCENTAGE,
    )
    form = make_set(
        indicators=[admitted, discharged, occupancy],
        agencies=[agency_a, agency_b],
        sections={0: ("حركة المرضى", "Patients"), 2: ("الأسرة", "Beds")},
    )
    yesterday = today - datetime.timedelta(days=1)
    # Yesterday's figures give the screen something to compare with.
    for manager, agency in ((manager_a, agency_a), (manager_b, agency_b)):
        save_day(
            manager,
            agency,
            form,
            yesterday,
            {"admitted": "40", "discharged": "30", "occupancy": "70"},
        )
    # Agency B has already sent today's figures; agency A's will be added in the browser.
    save_day(
        manager_b,
        agency_b,
        form,
        today,
        {"admitted": "60", "discharged": "20", "occupancy": "75"},
        now=timezone.now(),
    )
    return form


def test_agency_submits_a_day_in_arabic_and_the_dashboard_shows_it(
    page, screenshot, health_form, manager_a, agency_a
):
    page.goto("/ar/accounts/login/")
    page.fill("#id_login", manager_a.email)
    page.fill("#id_password", PASSWORD)
    page.click(".auth-card button[type=submit]")
    expect(page).to_have_url(re.compile("/ar/portal/$"))
    screenshot("portal-home")

    page.click("a.portal-nav__link[href='/ar/portal/statistics/']")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot("statistics-index")
    today = timezone.localdate()
    page.click(f"a[href='/ar/portal/statistics/{health_form.pk}/{today.isoformat()}/']")

    # Arabic-Indic digits, typed field after field with Enter, never submitting early.
    admitted = page.locator("input[name='value-admitted']")
    admitted.fill("٤٥")
    admitted.press("Enter")
    expect(page.locator("input[name='value-discharged']")).to_be_focused()
    page.locator("input[name='value-discharged']").fill("٣٢")
    page.locator("input[name='value-discharged']").press("Enter")
    page.locator("input[name='value-occupancy']").fill("٧٢٫٥")
    assert not ReportValue.objects.filter(agency=agency_a, day=today).exists()
    screenshot("entry-filled")
    page.click("button[name=action][value=submit]")
    expect(page.locator(".message--success")).to_be_visible()
    screenshot("entry-submitted")

    report = agency_a.daily_reports.get(day=today)
    assert report.status == ReportStatus.SUBMITTED
    figures = {value.indicator.code: value.value for value in report.values.all()}
    assert figures == {"admitted": 45, "discharged": 32, "occupancy": 72.5}

    # The committee's dashboard: today's admissions are agency A's 45 plus agency B's 60.
    page.context.clear_cookies()
    admin = make_user("stats-admin@example.org", Role.COMMITTEE_ADMIN)
    secret = activate_totp(admin)
    page.goto("/ar/accounts/login/")
    page.fill("#id_login", admin.email)
    page.fill("#id_password", PASSWORD)
    page.click(".auth-card button[type=submit]")
    page.fill("#id_code", totp_code(secret))
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile("/admin/"))

    page.goto("/admin/statistics/dashboard/")
    tile = page.locator(".sd-tile", has_text="المرضى المنومون")
    expect(tile.locator(".sd-tile__value")).to_have_text("105")
    screenshot("dashboard")

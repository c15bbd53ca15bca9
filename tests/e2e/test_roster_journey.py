"""The issue's journey: an agency manager signs in, sees the portal in Arabic (RTL), switches
to English and opens the roster, in Chromium. Screenshots go to test-artifacts/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from modules.agencies.models import StaffMember
from tests.support.fixtures import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_manager_opens_the_roster_in_arabic_then_english(
    page, screenshot, manager_a, agency_a, season
):
    StaffMember.objects.create(
        agency=agency_a,
        season=season,
        name_ar="عبدالله الحربي",
        name_en="Abdullah Al-Harbi",
        national_id="1000000008",
        phone="+966501234567",
        gender="male",
        job_title="مسعف",
    )

    page.goto("/ar/accounts/login/")
    page.fill("#id_login", manager_a.email)
    page.fill("#id_password", PASSWORD)
    page.click(".auth-card button[type=submit]")
    expect(page).to_have_url(re.compile(r"/ar/portal/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    screenshot("ar-home")

    page.click("a.portal-nav__link[href='/ar/portal/roster/']")
    expect(page).to_have_url(re.compile(r"/ar/portal/roster/$"))
    expect(page.locator("table.table")).to_contain_text("عبدالله الحربي")
    screenshot("ar-roster")

    page.click("a.lang-switch[hreflang=en]")
    expect(page).to_have_url(re.compile(r"/en/portal/roster/$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("table.table")).to_contain_text("Abdullah Al-Harbi")
    expect(page.locator("table.table")).to_contain_text("1000000008")
    screenshot("en-roster")

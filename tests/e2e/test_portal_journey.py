"""An agency manager signs in, reads the portal home, switches language and edits their
account — in Arabic and in English, in Chromium. Proposed home: tests/e2e/."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.fixtures import PASSWORD

# The live server flushes the database after each test; serialized rollback puts back what
# the data migrations created (the role groups) for the next one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    ("language", "direction", "other"), [("ar", "rtl", "en"), ("en", "ltr", "ar")]
)
def test_manager_signs_in_reads_the_home_and_edits_the_account(
    page, screenshot, manager_a, agency_a, season, language, direction, other
):
    page.goto(f"/{language}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    screenshot("login")
    page.fill("#id_login", manager_a.email)
    page.fill("#id_password", PASSWORD)
    page.click(".auth-card button[type=submit]")

    expect(page).to_have_url(re.compile(f"/{language}/portal/$"))
    expect(page.locator(".card__value")).to_have_text("0")
    expect(page.locator(".context-bar")).to_contain_text(
        agency_a.name_ar if language == "ar" else agency_a.name_en
    )
    screenshot("home")

    page.click(f"a.lang-switch[hreflang={other}]")
    expect(page).to_have_url(re.compile(f"/{other}/portal/$"))
    page.click(f"a.lang-switch[hreflang={language}]")
    expect(page).to_have_url(re.compile(f"/{language}/portal/$"))

    page.click("details.menu summary")
    page.click(f"a.menu__item[href='/{language}/portal/account/']")
    page.fill("#id_phone", "12345")
    page.click("form.form button[type=submit]")
    expect(page.locator("#id_phone")).to_have_attribute("aria-invalid", "true")
    screenshot("account-error")

    page.fill("#id_phone", "٠٥٠١٢٣٤٥٦٧")
    page.click("form.form button[type=submit]")
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator("#id_phone")).to_have_value("+966501234567")
    screenshot("account-saved")

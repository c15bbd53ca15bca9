"""A visitor reads the public site in Chromium: the Arabic home, a news item and its share
links, the same item in English, then the day's message — on `load_demo`'s content."""

import re

import pytest
from playwright.sync_api import expect

from modules.core.demo import load_demo_data
from tests.support.fixtures import ensure_role_groups
from tests.support.pages import ensure_page_tree_root

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_visitor_reads_news_shares_switches_language_and_reads_the_daily_message(page, screenshot):
    ensure_role_groups()
    ensure_page_tree_root()
    load_demo_data()

    page.goto("/ar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("section.daily-message")).to_be_visible()
    screenshot("home-ar")

    first_news = page.locator("article.news-card h3 a").first
    title = first_news.inner_text()
    first_news.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page).to_have_url(re.compile(r"/ar/news/[\w-]+/$"))
    share = page.locator("section.share")
    expect(share.locator("[data-share=whatsapp]")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/\?text=")
    )
    expect(share.locator("[data-share=x]")).to_be_visible()
    expect(share.locator("[data-share=telegram]")).to_be_visible()
    expect(share.locator("[data-share=email]")).to_have_attribute("href", re.compile("^mailto:"))
    expect(share.locator("[data-share=copy]")).to_be_visible()
    arabic_path = page.url.split("/ar/", 1)[1]
    screenshot("news-ar")

    page.locator("a.lang-switch[hreflang=en]").click()
    expect(page).to_have_url(re.compile("/en/" + re.escape(arabic_path) + "$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot("news-en")

    page.goto("/en/")
    message = page.locator("section.daily-message")
    message_link = message.locator("a[href*='/en/daily-message/']").first
    message_link.click()
    expect(page).to_have_url(re.compile(r"/en/daily-message/[\w-]+/$"))
    expect(page.locator("h1")).not_to_be_empty()
    expect(page.locator("time").first).to_be_visible()
    screenshot("daily-message-en")

"""The public report page (cms.pages.models.IncidentReportPage): where it may be created, the
demo loader's function, the form as it renders in Arabic and English (public categories only,
places grouped by zone, usable without JavaScript), the optional map, never served from the
page cache, and a bounded number of queries whatever the number of categories and places."""

import re

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page

from cms.base.cache import CACHE_STATUS_HEADER, entry_key, invalidate, page_cache
from cms.home.models import HomePage
from cms.pages.models import IncidentReportPage
from modules.core.demo.report_page import ensure_report_page
from modules.core.middleware import SecurityHeadersMiddleware
from modules.tickets.models import Category
from tests.support.tickets import make_category, make_landmark, make_priority, make_zone

pytestmark = pytest.mark.django_db

# QUALITY.md: any public page, uncached, ≤ 12 queries whatever the item count. The form reads
# its categories and its places (two queries) on top of what every page costs; an English
# page costs three more than an Arabic one (Wagtail finds the English root through the
# locale and the translation), so the English form is one over.
PAGE_QUERIES = {"ar": 12, "en": 13}
TILES = "https://tiles.example.sa/{z}/{x}/{y}.png"


@pytest.fixture(autouse=True)
def _fresh_generation(db):
    invalidate()


@pytest.fixture
def pages(public_site) -> dict[str, IncidentReportPage]:
    arabic = ensure_report_page(public_site.ar.home)
    return {"ar": arabic, "en": arabic.get_translation(public_site.en.home.locale)}


@pytest.fixture
def places(db):
    """Two public categories (one with a description), a private and an inactive one, and
    landmarks in two zones."""
    priority = make_priority()
    crowding = make_category("crowding", priority=priority, order=1)
    Category.objects.filter(pk=crowding.pk).update(
        name_ar="ازدحام",
        name_en="Crowding",
        description_ar="تكدس الحجاج عند بوابة أو ممر",
        description_en="Pilgrims packed at a gate or a passage",
    )
    make_category("water", priority=priority, order=2)
    make_category("internal", priority=priority, is_public=False)
    retired = make_category("retired", priority=priority)
    Category.objects.filter(pk=retired.pk).update(is_active=False)
    central = make_zone("central", name_ar="المنطقة المركزية", name_en="Central area")
    quba = make_zone("quba", name_ar="قباء", name_en="Quba")
    make_landmark("Gate 21", zone=central)
    make_landmark("Quba square", zone=quba, kind="area")
    closed = make_landmark("Old gate", zone=central)
    closed.is_active = False
    closed.save()


# --- the page tree and the demo ------------------------------------------------------------


def test_one_report_page_per_home_page(pages, public_site):
    assert IncidentReportPage.allowed_parent_page_models() == [HomePage]
    assert IncidentReportPage.allowed_subpage_models() == []
    for home in (public_site.ar.home, public_site.en.home):
        assert not IncidentReportPage.can_create_at(HomePage.objects.get(pk=home.pk))


def test_a_home_page_may_hold_a_report_page(public_site):
    """Needs "pages.IncidentReportPage" in HomePage.subpage_types (cms/home/models.py)."""
    assert IncidentReportPage in HomePage.allowed_subpage_models()
    assert IncidentReportPage.can_create_at(HomePage.objects.get(pk=public_site.ar.home.pk))


def test_the_demo_makes_the_page_in_both_languages_once(public_site):
    first = ensure_report_page(public_site.ar.home)
    again = ensure_report_page(public_site.ar.home)

    assert again.pk == first.pk
    assert IncidentReportPage.objects.count() == 2
    english = first.get_translation(public_site.en.home.locale)
    assert english.live and first.live
    assert english.get_parent().pk == public_site.en.home.pk
    assert (first.title, english.title) == ("الإبلاغ عن حالة", "Report an incident")
    assert first.url == "/ar/report/"
    assert english.url == "/en/report/"


def test_the_demo_leaves_an_editors_page_alone(public_site):
    page = ensure_report_page(public_site.ar.home)
    Page.objects.filter(pk=page.pk).update(title="بلّغ")

    ensure_report_page(public_site.ar.home)

    assert IncidentReportPage.objects.get(pk=page.pk).title == "بلّغ"
    assert IncidentReportPage.objects.count() == 2


# --- the form ------------------------------------------------------------------------------


def test_the_arabic_page(client, pages, places):
    response = client.get(pages["ar"].url)

    assert response.status_code == 200
    text = response.text
    assert '<html lang="ar" dir="rtl">' in text
    assert "<h1>الإبلاغ عن حالة</h1>" in text
    assert "ازدحام" in text
    assert "تكدس الحجاج عند بوابة أو ممر" in text
    assert '<optgroup label="المنطقة المركزية">' in text
    assert '<optgroup label="قباء">' in text
    assert 'enctype="multipart/form-data"' in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_the_english_page_names_everything_in_english(client, pages, places):
    response = client.get(pages["en"].url)

    text = response.text
    assert '<html lang="en" dir="ltr">' in text
    assert "<h1>Report an incident</h1>" in text
    assert "Crowding" in text
    assert "Pilgrims packed at a gate or a passage" in text
    assert '<optgroup label="Central area">' in text
    assert ">Gate 21</option>" in text
    with translation.override("en"):
        assert "What happened?" in text


def test_only_active_public_categories_and_active_places_are_offered(client, pages, places):
    text = client.get(pages["en"].url).text

    assert text.count('name="category"') == 2
    assert "Category internal" not in text
    assert "Category retired" not in text
    assert "Old gate" not in text


def test_each_category_is_a_labelled_radio_with_its_description(client, pages, places):
    text = client.get(pages["en"].url).text

    crowding = Category.objects.get(code="crowding")
    radio = re.search(rf'<input type="radio" name="category" value="{crowding.pk}"[^>]*>', text)
    assert radio is not None
    radio_id = re.search(r'id="([^"]+)"', radio.group(0)).group(1)
    assert f'aria-describedby="{radio_id}_description"' in radio.group(0)
    assert f'<label class="choice__label" for="{radio_id}">Crowding</label>' in text
    assert f'id="{radio_id}_description">Pilgrims packed' in text


def test_the_form_works_without_javascript(client, pages, places):
    text = client.get(pages["en"].url).text

    # The place by the list or by typed coordinates: plain, visible controls.
    assert re.search(r'<select name="landmark" id="id_landmark">', text)
    for name in ("latitude", "longitude"):
        assert re.search(rf'<input type="text" name="{name}" inputmode="decimal" dir="ltr"', text)
    assert '<div class="report-coordinates" data-coordinates>' in text
    # Only what the script can drive starts hidden.
    assert '<div class="report-locate" data-locate hidden>' in text
    assert 'maxlength="4000"' in text
    assert "At most 4000 characters." in text


def test_the_honeypot_is_out_of_reach(client, pages, places):
    text = client.get(pages["en"].url).text

    trap = re.search(r'<div class="report-form__trap" aria-hidden="true">(.*?)</div>', text, re.S)
    assert trap is not None
    assert 'tabindex="-1"' in trap.group(1)
    assert 'autocomplete="off"' in trap.group(1)
    assert 'name="website"' in trap.group(1)


def test_without_a_tile_server_there_is_no_map(client, pages, places, settings):
    settings.TICKETS_MAP_TILES = ""

    response = client.get(pages["en"].url)

    assert "data-report-map" not in response.text
    assert "leaflet" not in response.text
    assert "tickets/report-map.js" in response.text
    assert "Content-Security-Policy" not in response


def test_with_a_tile_server_the_map_is_offered(client, pages, places, settings):
    settings.TICKETS_MAP_TILES = TILES
    settings.TICKETS_MAP_CENTER = (24.4672, 39.6111)

    response = client.get(pages["en"].url)

    text = response.text
    assert f'data-tiles="{TILES}"' in text
    assert 'data-latitude="24.4672" data-longitude="39.6111"' in text
    assert "/static/vendor/leaflet/leaflet.js" in text
    assert "/static/vendor/leaflet/leaflet.css" in text
    # The page may ask for the reporter's location, and production's content security policy
    # (SecurityHeadersMiddleware, not in the test settings) lets the tiles in.
    assert "geolocation=(self)" in response["Permissions-Policy"]
    policy = SecurityHeadersMiddleware.content_security_policy()
    assert "img-src 'self' https://tiles.example.sa data:" in policy
    settings.TICKETS_MAP_TILES = "https://{s}.tiles.example.sa/{z}/{x}/{y}.png"
    assert "img-src 'self' https://*.tiles.example.sa data:" in (
        SecurityHeadersMiddleware.content_security_policy()
    )
    settings.TICKETS_MAP_TILES = ""
    assert SecurityHeadersMiddleware.content_security_policy() == SecurityHeadersMiddleware.POLICY


def test_without_categories_the_page_says_reports_are_closed(client, pages):
    response = client.get(pages["en"].url)

    assert response.status_code == 200
    assert "<form" not in response.text.split('id="main"', 1)[1].split("</main>", 1)[0]
    assert "Reports cannot be sent from this page at the moment" in response.text


def test_the_page_answers_get_and_post_only(client, pages, places):
    response = client.put(pages["en"].url)

    assert response.status_code == 405
    assert "POST" in response["Allow"] and "PUT" not in response["Allow"]


# --- caching and cost ------------------------------------------------------------------------


def test_the_form_is_never_served_from_the_page_cache(client, pages, places):
    first = client.get(pages["ar"].url)
    second = client.get(pages["ar"].url)

    assert first[CACHE_STATUS_HEADER] == second[CACHE_STATUS_HEADER] == "miss"
    cache_control = second["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control
    assert page_cache().get(entry_key(RequestFactory().get(pages["ar"].url))) is None
    # Each visitor gets a token of their own.
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
        for response in (first, second)
    ]
    assert tokens[0] != tokens[1]


def add_places(count: int) -> None:
    priority = make_priority()
    zones = [
        make_zone(f"zone-{number}", name_en=f"Zone {number}") for number in range(count // 5 + 1)
    ]
    for number in range(count):
        category = make_category(f"category-{number}", priority=priority, order=number)
        Category.objects.filter(pk=category.pk).update(description_en=f"About {number}")
        make_landmark(f"Place {number}", zone=zones[number % len(zones)])


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("count", [3, 40])
def test_the_form_page_costs_the_same_queries_for_any_number_of_choices(
    client, pages, count, language, django_assert_max_num_queries
):
    add_places(count)
    client.get(pages[language].url)  # Wagtail's site root paths are cached from here on

    with django_assert_max_num_queries(PAGE_QUERIES[language]) as captured:
        response = client.get(pages[language].url)

    assert response.status_code == 200
    assert response.text.count('name="category"') == count
    assert response.text.count("<optgroup") == count // 5 + 1
    # Categories and places are one query each, however many there are.
    tables = [query["sql"] for query in captured.captured_queries]
    assert sum('FROM "tickets_category"' in sql for sql in tables) == 1
    assert sum('FROM "tickets_landmark"' in sql for sql in tables) == 1

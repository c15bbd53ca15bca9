"""The public indicators page (cms.pages.models.IndicatorsPage) and the home page's key
figures: public indicators only, anonymous, cached, a bounded number of queries, both
languages."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import number_format

from cms.base.cache import CACHE_STATUS_HEADER, invalidate
from cms.pages.models import IndicatorsPage
from modules.core.hijri import format_dual
from modules.statistics.models import Aggregation, ValueType
from tests.support.statistics import make_category, make_indicator, make_set, save_day

pytestmark = pytest.mark.django_db

# QUALITY.md: any public page, uncached, ≤ 12 queries whatever the item count.
PAGE_QUERIES = 12
LANGUAGES = ["ar", "en"]
DAYS = [datetime.date(2026, 5, 20) + datetime.timedelta(days=number) for number in range(3)]


@pytest.fixture(autouse=True)
def _fresh_generation(db):
    invalidate()


def add_indicators_page(public_site) -> tuple[IndicatorsPage, IndicatorsPage]:
    page = IndicatorsPage(
        title="المؤشرات",
        slug="indicators",
        intro="<p>أرقام موسم الحج كما ترفعها الجهات.</p>",
    )
    public_site.ar.home.add_child(instance=page)
    page.save_revision().publish()
    english = page.copy_for_translation(public_site.en.home.locale)
    english.title = "Indicators"
    english.intro = "<p>The season's figures as the agencies report them.</p>"
    english.save_revision().publish()
    return page, english


@pytest.fixture
def pages(public_site):
    return add_indicators_page(public_site)


@pytest.fixture
def figures(season, agency_a, agency_b, manager_a, manager_b):
    """Two public indicators and a private one, reported by two agencies over three days."""
    crowds = make_category("crowds", name_ar="الحشود", name_en="Crowds")
    served = make_indicator(
        "pilgrims-served",
        category=crowds,
        name_ar="الحجاج المخدومون",
        name_en="Pilgrims served",
        is_public=True,
    )
    occupancy = make_indicator(
        "camp-occupancy",
        category=crowds,
        name_ar="إشغال المخيمات",
        name_en="Camp occupancy",
        value_type=ValueType.PERCENTAGE,
        day_aggregation=Aggregation.AVERAGE,
        agency_aggregation=Aggregation.AVERAGE,
        is_public=True,
    )
    internal = make_indicator(
        "staff-incidents",
        category=crowds,
        name_ar="حوادث العاملين الداخلية",
        name_en="Internal staff incidents",
    )
    form = make_set(
        "crowds", indicators=[served, occupancy, internal], agencies=[agency_a, agency_b]
    )
    for number, day in enumerate(DAYS):
        save_day(
            manager_a,
            agency_a,
            form,
            day,
            {"pilgrims-served": 400 + number, "camp-occupancy": 80, "staff-incidents": 7},
        )
        save_day(
            manager_b,
            agency_b,
            form,
            day,
            {"pilgrims-served": 1000, "camp-occupancy": 90, "staff-incidents": 3},
        )
    return {"served": served, "occupancy": occupancy, "internal": internal}


def public_indicators(start: int, stop: int, *, agency, actor) -> None:
    """Public indicators numbered start…stop - 1 on one form, reported by `agency` on DAYS."""
    indicators = [
        make_indicator(f"public-{number}", name_ar=f"مؤشر عام {number}", is_public=True)
        for number in range(start, stop)
    ]
    form = make_set(f"public-{start}", indicators=indicators, agencies=[agency])
    for day in DAYS:
        save_day(actor, agency, form, day, {indicator.code: 10 for indicator in indicators})


def test_only_public_indicators_are_shown(client, pages, figures, agency_a):
    arabic, english = pages
    response = client.get(arabic.url)
    assert response.status_code == 200
    text = response.text
    assert "الحجاج المخدومون" in text
    assert "إشغال المخيمات" in text
    assert "حوادث العاملين الداخلية" not in text
    assert "staff-incidents" not in text
    # Figures over all agencies, never one agency's own.
    assert agency_a.name_ar not in text

    english_text = client.get(english.url).text
    assert "Pilgrims served" in english_text
    assert "Internal staff incidents" not in english_text


def test_the_tiles_show_the_season_and_the_latest_day_in_english(client, pages, figures):
    _arabic, english = pages
    text = client.get(english.url).text
    # 3 × 1000 + 400 + 401 + 402 over the season; 1402 on the latest day.
    assert "Season total so far" in text
    assert ">4,203<" in text
    assert "1,402" in text
    # Averages over agencies, then over days: (80 + 90) / 2.
    assert "Daily average this season" in text
    assert ">85.00<" in text
    with translation.override("en"):
        assert format_dual(DAYS[-1]) in text
    assert '<time datetime="2026-05-22">' in text


def test_arabic_page_reads_right_to_left_in_arabic(client, pages, figures):
    arabic, _english = pages
    response = client.get(arabic.url)
    text = response.text
    assert '<html lang="ar" dir="rtl">' in text
    assert "أرقام موسم الحج" in text
    with translation.override("ar"):
        assert format_dual(DAYS[-1]) in text
        assert number_format(4203, 0, force_grouping=True) in text
        assert "الحشود" in text


def test_the_series_is_always_a_table_and_the_chart_an_extra(client, pages, figures):
    arabic, _english = pages
    text = client.get(arabic.url).text
    tile = text[text.index('id="figure-pilgrims-served-title"') :]
    table = tile[tile.index("<table") : tile.index("</table>")]
    assert table.count("<tr>") == 1 + len(DAYS)
    assert re.search(r'data-figure-chart="figure-pilgrims-served-series" hidden', text)
    assert '<script id="figure-pilgrims-served-series" type="application/json">' in text
    assert "vendor/chartjs/chart.umd.js" in text
    assert "js/statistics-public.js" in text


def test_without_public_figures_the_page_says_so(client, pages, season):
    _arabic, english = pages
    response = client.get(english.url)
    assert response.status_code == 200
    assert "No figures have been published for this season yet." in response.text
    assert "chart.umd.js" not in response.text


def test_anonymous_visitors_get_the_cached_page(client, pages, figures):
    arabic, _english = pages
    first = client.get(arabic.url)
    assert first.status_code == 200
    assert first.headers[CACHE_STATUS_HEADER] == "miss"
    assert not first.cookies
    assert "csrfmiddlewaretoken" not in first.text
    second = client.get(arabic.url)
    assert second.headers[CACHE_STATUS_HEADER] == "hit"
    assert second.content == first.content


def queries_to_render(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("language", LANGUAGES)
def test_queries_do_not_grow_with_the_public_indicators(
    client, settings, public_site, season, agency_a, manager_a, language
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    arabic, english = add_indicators_page(public_site)
    url = arabic.url if language == "ar" else english.url

    public_indicators(0, 2, agency=agency_a, actor=manager_a)
    few = queries_to_render(client, url)
    public_indicators(2, 8, agency=agency_a, actor=manager_a)
    many = queries_to_render(client, url)

    assert client.get(url).text.count('class="figure-tile"') == 8
    assert few == many
    assert many <= PAGE_QUERIES


def test_home_shows_a_few_public_figures_and_links_to_the_page(client, pages, figures):
    arabic, english = pages
    text = client.get("/en/").text
    section = text[
        text.index('id="indicators-title"') : text.index(
            "</section>", text.index('id="indicators-title"')
        )
    ]
    assert "Pilgrims served" in section
    assert "4,203" in section
    assert "Internal staff incidents" not in section
    assert f'href="{english.url}"' in section

    arabic_home = client.get("/ar/").text
    assert f'href="{arabic.url}"' in arabic_home
    assert "الحجاج المخدومون" in arabic_home


def test_home_without_an_indicators_page_has_no_link(client, public_site, figures):
    text = client.get("/en/").text
    assert "Pilgrims served" in text
    assert "All indicators" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_queries_stay_within_budget_with_public_figures(
    client, settings, public_site, season, agency_a, manager_a, language
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    add_indicators_page(public_site)
    public_indicators(0, 2, agency=agency_a, actor=manager_a)
    few = queries_to_render(client, f"/{language}/")
    public_indicators(2, 8, agency=agency_a, actor=manager_a)
    many = queries_to_render(client, f"/{language}/")
    assert few == many
    assert many <= PAGE_QUERIES


def test_the_pages_api_gives_the_figures(client, pages, figures):
    arabic, _english = pages
    body = client.get(f"/api/v2/pages/{arabic.pk}/?fields=intro,figures").json()
    by_code = {figure["code"]: figure for figure in body["figures"]}
    assert set(by_code) == {"pilgrims-served", "camp-occupancy"}
    served = by_code["pilgrims-served"]
    assert (served["season_value"], served["latest_day"], served["latest_value"]) == (
        "4203",
        "2026-05-22",
        "1402",
    )
    assert served["series"][0] == ["2026-05-20", "1400"]


def test_one_indicators_page_per_home():
    assert IndicatorsPage.parent_page_types == ["home.HomePage"]
    assert IndicatorsPage.max_count_per_parent == 1
    assert IndicatorsPage.allowed_subpage_models() == []

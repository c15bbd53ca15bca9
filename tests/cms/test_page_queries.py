"""Every public page type renders in a bounded number of queries that does not grow with the
number of items it lists.

Each test renders a page with 5 items, adds 45 more, and renders it again: the two counts
must be equal and within the page type's budget. Renditions are made on a page's first view,
so each count is taken on a second view; the full-page cache is off, so the page renders.

Where the queries go (SQLite and PostgreSQL alike):
- Wagtail serving the page: the site, the active locale, the home page (two), the page on
  the path (two: `HomePage.route` finds the deepest page in one query, then its specific
  row) and the view restrictions (one, `PublicPageMixin.get_view_restrictions`).
- The shell (base.html): the home's sections with the page's translations (one query),
  the committee's settings (one), and Wagtail's site root paths, read from the cache — a
  query only on the database cache (so 11 with Redis).
- The page: its listing (count and rows), the listed images' renditions, the page's own
  images with their renditions, tags, the neighbouring days, the search (one per type).
QUALITY.md's target is 12 whatever the item count; every type is within it.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.pages import (
    add_standard_page,
    make_daily_message,
    make_image,
    make_news,
)

pytestmark = pytest.mark.django_db

BUDGET = 12
BUDGETS = dict.fromkeys(
    [
        "home",
        "daily message index",
        "daily message",
        "news index",
        "news item",
        "standard page",
        "search",
    ],
    BUDGET,
)
FEW, MANY = 5, 50
TODAY = datetime.date(2026, 5, 25)


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def image(db):
    return make_image("صورة الخبر")


def small_image(number: int):
    return make_image(f"صورة {number}", size=(800, 450), color=(number % 256, 116, 104))


def queries_to_render(client, url: str, budget: int, django_assert_max_num_queries) -> int:
    client.get(url)
    with (
        CaptureQueriesContext(connection) as captured,
        django_assert_max_num_queries(budget),
    ):
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_news(public_site, start: int, stop: int) -> None:
    for number in range(start, stop):
        make_news(
            public_site.ar.news,
            title=f"خبر الحجاج رقم {number}",
            date=TODAY - datetime.timedelta(days=number),
            image=small_image(number),
            tags=[f"وسم-{number % 3}", "الحج"],
            slug=f"news-{number}",
        )


def add_messages(public_site, start: int, stop: int) -> None:
    for number in range(start, stop):
        make_daily_message(
            public_site.ar.messages,
            date=TODAY - datetime.timedelta(days=number),
            title=f"رسالة الحجاج {number}",
            image=small_image(number),
        )


def assert_bounded(client, url, grow, budget, django_assert_max_num_queries) -> None:
    grow(0, FEW)
    few = queries_to_render(client, url, budget, django_assert_max_num_queries)
    grow(FEW, MANY)
    many = queries_to_render(client, url, budget, django_assert_max_num_queries)
    assert few == many


def test_home(client, public_site, django_assert_max_num_queries):
    home = public_site.ar.home
    home.quick_links = [
        ("link", {"title": "الأخبار", "page": public_site.ar.news, "url": "", "icon": "news"}),
        ("link", {"title": "بلاغ", "page": None, "url": "https://example.org/", "icon": "report"}),
    ]
    home.save_revision().publish()

    def grow(start, stop):
        add_news(public_site, start, stop)
        add_messages(public_site, start, stop)

    assert_bounded(client, "/ar/", grow, BUDGETS["home"], django_assert_max_num_queries)


def test_daily_message_index(client, public_site, django_assert_max_num_queries):
    assert_bounded(
        client,
        public_site.ar.messages.url,
        lambda start, stop: add_messages(public_site, start, stop),
        BUDGETS["daily message index"],
        django_assert_max_num_queries,
    )


def test_daily_message_page(client, public_site, image, django_assert_max_num_queries):
    # The message of the middle day has one before and one after it, whatever the count.
    shown = make_daily_message(
        public_site.ar.messages, date=TODAY + datetime.timedelta(days=1), image=image
    )
    make_daily_message(public_site.ar.messages, date=TODAY + datetime.timedelta(days=2))
    assert_bounded(
        client,
        shown.url,
        lambda start, stop: add_messages(public_site, start, stop),
        BUDGETS["daily message"],
        django_assert_max_num_queries,
    )


def test_news_index(client, public_site, django_assert_max_num_queries):
    assert_bounded(
        client,
        public_site.ar.news.url,
        lambda start, stop: add_news(public_site, start, stop),
        BUDGETS["news index"],
        django_assert_max_num_queries,
    )


def test_news_index_filtered_by_tag(client, public_site, django_assert_max_num_queries):
    assert_bounded(
        client,
        f"{public_site.ar.news.url}?tag=%D8%A7%D9%84%D8%AD%D8%AC",
        lambda start, stop: add_news(public_site, start, stop),
        BUDGETS["news index"],
        django_assert_max_num_queries,
    )


def test_news_page(client, public_site, image, django_assert_max_num_queries):
    shown = make_news(
        public_site.ar.news,
        title="خبر بالصور",
        image=image,
        tags=["الحج", "منى", "عرفات"],
        slug="with-pictures",
    )
    shown.body = [
        ("paragraph", "<p>نص الخبر</p>"),
        ("image", {"image": make_image("صورة أولى"), "caption": "الأولى"}),
        ("quote", {"text": "خدمة ضيوف الرحمن شرف", "attribution": "اللجنة"}),
        ("image", {"image": make_image("صورة ثانية"), "caption": "الثانية"}),
    ]
    shown.save_revision().publish()
    assert_bounded(
        client,
        shown.url,
        lambda start, stop: add_news(public_site, start, stop),
        BUDGETS["news item"],
        django_assert_max_num_queries,
    )


def test_standard_page(client, public_site, image, django_assert_max_num_queries):
    page = add_standard_page(public_site.ar.home, title="عن اللجنة", slug="about")

    def grow(start, stop):
        page.body = [
            *[("paragraph", f"<p>فقرة {number}</p>") for number in range(stop)],
            ("image", {"image": image, "caption": ""}),
        ]
        page.save_revision().publish()
        add_standard_page(public_site.ar.home, title=f"صفحة {stop}", slug=f"page-{stop}")

    assert_bounded(client, page.url, grow, BUDGETS["standard page"], django_assert_max_num_queries)


def test_search_page_with_a_query(client, public_site, django_assert_max_num_queries):
    def grow(start, stop):
        add_news(public_site, start, stop)
        add_messages(public_site, start, stop)

    assert_bounded(
        client,
        f"{public_site.ar.search.url}?q=%D8%A7%D9%84%D8%AD%D8%AC%D8%A7%D8%AC",
        grow,
        BUDGETS["search"],
        django_assert_max_num_queries,
    )

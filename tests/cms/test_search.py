"""Search over the public news and daily messages, in each language's own way."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.news.models import NewsPage
from cms.pages import search
from cms.pages.search import search_public_pages
from tests.support.pages import make_daily_message, make_news

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the arabic text-search configuration"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback")

DAY = datetime.date(2026, 5, 20)


def _pages(query: str, tree) -> list:
    return [hit.page for hit in search_public_pages(query=query, locale=tree.home.locale)]


def test_arabic_query_finds_a_word_in_an_arabic_news_body_only(public_site):
    arabic = make_news(
        public_site.ar.news,
        title="خبر اليوم",
        summary="ملخص قصير",
        body="بدأ توزيع المياه الباردة في مشعر منى",
    )
    make_news(public_site.en.news, title="Today", body="Cold water in Mina (المياه)")
    make_news(public_site.ar.news, title="خبر آخر", body="نقل الحجاج بالقطار")

    assert _pages("المياه", public_site.ar) == [arabic]
    assert isinstance(_pages("المياه", public_site.ar)[0], NewsPage)


def test_english_query_finds_english_pages_whatever_the_case(public_site):
    english = make_news(
        public_site.en.news, title="Transport", body="Trains carry PILGRIMS to Arafat"
    )
    make_news(public_site.ar.news, title="النقل", body="pilgrims")

    assert _pages("pilgrims arafat", public_site.en) == [english]
    assert _pages("pilgrims trucks", public_site.en) == []


def test_daily_messages_are_found(public_site):
    message = make_daily_message(
        public_site.ar.messages,
        date=DAY,
        title="رسالة اليوم",
        summary="تعليمات",
        body="يرجى الالتزام بمواعيد التفويج إلى الجمرات",
    )

    hits = search_public_pages(query="التفويج", locale=public_site.ar.home.locale)

    assert [hit.page for hit in hits] == [message]
    assert "<mark>التفويج</mark>" in hits[0].excerpt_html


def test_quotes_of_a_news_body_are_searched(public_site):
    page = make_news(public_site.en.news, title="Visit")
    page.body = [("quote", {"text": "We serve every guest of Rahman", "attribution": "Chair"})]
    page.save_revision().publish()

    assert _pages("guest", public_site.en) == [page]


def test_drafts_and_unpublished_pages_are_not_found(public_site):
    withdrawn = make_news(public_site.en.news, title="Withdrawn", body="secret harbour")
    withdrawn.unpublish()
    draft = NewsPage(title="Draft", summary="draft", body=[("paragraph", "<p>secret harbour</p>")])
    public_site.en.news.add_child(instance=draft)
    draft.unpublish()
    draft.save_revision()
    changed = make_news(public_site.en.news, title="Changed", body="old words")
    changed.body = [("paragraph", "<p>secret harbour</p>")]
    changed.save_revision()  # a new draft revision: the live page still reads "old words"

    assert _pages("harbour", public_site.en) == []


def test_pages_in_a_restricted_section_are_not_found(public_site):
    secret = make_news(public_site.ar.news, title="خبر داخلي", body="اجتماع التنسيق المغلق")
    PageViewRestriction.objects.create(
        page=public_site.ar.news, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert _pages("التنسيق", public_site.ar) == []
    PageViewRestriction.objects.all().delete()
    assert _pages("التنسيق", public_site.ar) == [secret]


def test_matches_are_marked_and_the_text_is_escaped(public_site):
    make_news(
        public_site.en.news,
        title="Pilgrims & <b>guests</b>",
        summary="Summary",
        body="Water for pilgrims &lt;script&gt;alert(1)&lt;/script&gt; in Mina",
    )

    [hit] = search_public_pages(query="pilgrims", locale=public_site.en.home.locale)

    assert "<mark>Pilgrims</mark>" in hit.title_html
    assert "&amp;" in hit.title_html
    assert "&lt;b&gt;guests&lt;/b&gt;" in hit.title_html
    assert "<mark>pilgrims</mark>" in hit.excerpt_html
    assert "&lt;script&gt;" in hit.excerpt_html
    assert "<script" not in hit.excerpt_html
    assert hit.excerpt_html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_markup_in_the_body_never_reaches_the_excerpt(public_site):
    page = make_news(public_site.en.news, title="Tags", body="pilgrims")
    page.body = [("paragraph", '<p>pilgrims <a href="/x">link</a><script>alert(1)</script></p>')]
    page.save_revision().publish()

    [hit] = search_public_pages(query="pilgrims", locale=public_site.en.home.locale)

    assert hit.excerpt_html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


@pytest.mark.parametrize("query", ["", "   ", "!!", "«»"])
def test_an_empty_query_searches_nothing(public_site, query):
    make_news(public_site.en.news, title="Anything")

    assert search_public_pages(query=query, locale=public_site.en.home.locale) == []


def test_title_matches_rank_first_then_newer(public_site):
    body_old = make_news(public_site.en.news, title="Old", body="shuttle", date=DAY.replace(day=1))
    body_new = make_news(public_site.en.news, title="New", body="shuttle", date=DAY)
    in_title = make_news(
        public_site.en.news, title="Shuttle", body="buses", date=DAY.replace(day=2)
    )

    assert _pages("shuttle", public_site.en) == [in_title, body_new, body_old]


def test_results_are_capped(public_site, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    for number in range(3):
        make_news(public_site.en.news, title=f"Bus {number}", body="shuttle")
        make_daily_message(
            public_site.en.messages, date=DAY.replace(day=number + 1), body="shuttle"
        )

    assert len(_pages("shuttle", public_site.en)) == 3


def test_arabic_letter_variants_tashkeel_and_digits_are_folded(public_site):
    page = make_news(public_site.ar.news, title="إسعاف", body="خدمة الْحُجَّاجُ في موسم ١٤٤٧ بإذن الله")

    assert _pages("اسعاف", public_site.ar) == [page]
    assert _pages("الحجاج", public_site.ar) == [page]
    assert _pages("1447", public_site.ar) == [page]
    assert _pages("١٤٤٧", public_site.ar) == [page]


@on_sqlite
def test_ta_marbuta_and_alef_maqsura_are_folded(public_site):
    page = make_news(public_site.ar.news, title="مكة", body="المبيت في منى")

    assert _pages("مكه", public_site.ar) == [page]
    assert _pages("مني", public_site.ar) == [page]
    [hit] = search_public_pages(query="الحجاج", locale=public_site.ar.home.locale) or [None]
    assert hit is None


@on_sqlite
def test_the_excerpt_marks_the_original_letters(public_site):
    make_news(public_site.ar.news, title="عنوان", body="خدمة الْحُجَّاجِ في مِنى")

    [hit] = search_public_pages(query="الحجاج منى", locale=public_site.ar.home.locale)

    assert "<mark>الْحُجَّاجِ</mark>" in hit.excerpt_html
    assert "<mark>مِنى</mark>" in hit.excerpt_html


@on_sqlite
def test_a_long_body_is_cut_around_the_match(public_site):
    filler = " ".join(["كلمة"] * 200)
    make_news(public_site.ar.news, title="طويل", body=f"{filler} التفويج {filler}")

    [hit] = search_public_pages(query="التفويج", locale=public_site.ar.home.locale)

    assert "<mark>التفويج</mark>" in hit.excerpt_html
    assert hit.excerpt_html.startswith("… ") and hit.excerpt_html.endswith(" …")
    assert len(hit.excerpt_html) < 400


@on_postgresql
@pytest.mark.parametrize(
    ("written", "searched"),
    [("المعتمرين", "معتمرون"), ("للحجاج", "الحجاج"), ("بالحجاج", "حجاج")],
)
def test_arabic_word_is_found_in_another_inflected_form(public_site, written, searched):
    page = make_news(public_site.ar.news, title="خبر", body=f"تقديم الخدمات {written} في مكة")
    make_news(public_site.en.news, title="News", body=f"services {written}")

    hits = search_public_pages(query=searched, locale=public_site.ar.home.locale)

    assert [hit.page for hit in hits] == [page]
    assert f"<mark>{written}</mark>" in hits[0].excerpt_html


@on_postgresql
def test_english_word_is_found_in_another_inflected_form(public_site):
    page = make_news(public_site.en.news, title="News", body="Serving the pilgrims of Hajj")

    assert _pages("pilgrim served", public_site.en) == [page]


def _search_queries(public_site) -> int:
    locale = public_site.en.home.locale
    with CaptureQueriesContext(connection) as queries:
        hits = search_public_pages(query="shuttle", locale=locale)
    assert all("<mark>" in hit.excerpt_html for hit in hits)
    return len(queries)


def test_search_queries_do_not_grow_with_the_results(public_site):
    def add(count, start):
        for number in range(start, start + count):
            make_news(public_site.en.news, title=f"Bus {number}", body="shuttle")
            make_daily_message(
                public_site.en.messages,
                date=DAY - datetime.timedelta(days=number),
                body="shuttle",
            )

    add(5, 0)
    with_5 = _search_queries(public_site)
    add(45, 5)
    with_50 = _search_queries(public_site)

    assert with_5 == with_50 <= 4


def test_search_page_marks_the_query(client, public_site):
    make_news(public_site.ar.news, title="خبر", body="بدأ توزيع المياه الباردة")

    response = client.get(public_site.ar.search.url, {"q": "المياه"})

    assert response.status_code == 200
    assert "<mark>المياه</mark>" in response.content.decode()

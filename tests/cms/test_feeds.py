"""The RSS 2.0 feeds at each index page's feed/, per language."""

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.base.models import SHARE_IMAGE_SPEC
from cms.daily_messages.models import DailyMessagePage
from tests.support.pages import make_daily_message, make_image, make_news

pytestmark = pytest.mark.django_db

# The bar for an uncached public page (QUALITY.md); Wagtail's routing takes seven of them.
FEED_QUERIES = 12
DAY = datetime.date(2026, 5, 20)


def _feed(client, index) -> ET.Element:
    return _parse(client.get(index.url + "feed/"))


def _parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert rss.tag == "rss"
    assert rss.get("version") == "2.0"
    return rss.find("channel")


def _titles(channel) -> list[str]:
    return [item.findtext("title") for item in channel.findall("item")]


def _fill(site, language: str, kind: str):
    tree = getattr(site, language)
    if kind == "news":
        make_news(tree.news, title=f"{language} older news", date=DAY - datetime.timedelta(1))
        make_news(tree.news, title=f"{language} newer news", date=DAY)
        return tree.news
    make_daily_message(
        tree.messages, title=f"{language} older message", date=DAY - datetime.timedelta(1)
    )
    make_daily_message(tree.messages, title=f"{language} newer message", date=DAY)
    return tree.messages


@pytest.mark.parametrize("kind", ["news", "messages"])
@pytest.mark.parametrize("language", ["ar", "en"])
def test_each_feed_is_rss_2_with_its_pages_channel_and_items(client, public_site, language, kind):
    index = _fill(public_site, language, kind)

    channel = _feed(client, index)

    assert channel.findtext("title") == index.title
    assert channel.findtext("link") == index.full_url
    assert channel.findtext("link").startswith("http")
    assert channel.findtext("description")
    assert channel.findtext("language") == language
    items = channel.findall("item")
    assert len(items) == 2
    for item in items:
        link = item.findtext("link")
        assert link.startswith("http")
        assert item.findtext("guid") == link
        assert item.findtext("title")
        assert item.findtext("description")
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert published.tzinfo is not None


@pytest.mark.parametrize("kind", ["news", "messages"])
def test_feed_lists_its_languages_items_newest_first(client, public_site, kind):
    _fill(public_site, "en", kind)
    arabic_index = _fill(public_site, "ar", kind)

    channel = _feed(client, arabic_index)

    noun = "news" if kind == "news" else "message"
    assert _titles(channel) == [f"ar newer {noun}", f"ar older {noun}"]
    links = [item.findtext("link") for item in channel.findall("item")]
    assert all("/ar/" in link for link in links)


def test_feed_lists_the_latest_20(client, public_site):
    for offset in range(22):
        make_daily_message(
            public_site.ar.messages,
            title=f"day {offset}",
            date=DAY - datetime.timedelta(days=offset),
        )

    titles = _titles(_feed(client, public_site.ar.messages))

    assert titles == [f"day {offset}" for offset in range(20)]


def test_unpublished_item_is_not_in_the_feed(client, public_site):
    kept = make_news(public_site.en.news, title="Kept")
    withdrawn = make_news(public_site.en.news, title="Withdrawn")
    withdrawn.unpublish()

    assert _titles(_feed(client, public_site.en.news)) == [kept.title]


def test_pub_date_is_the_items_day_at_its_publication_time_in_riyadh(client, public_site):
    message = make_daily_message(public_site.en.messages, title="Day", date=DAY)
    # Written two days ahead, at 07:15 UTC, which is 10:15 in Riyadh.
    DailyMessagePage.objects.filter(pk=message.pk).update(
        first_published_at=datetime.datetime(2026, 5, 18, 7, 15, tzinfo=datetime.UTC)
    )

    item = _feed(client, public_site.en.messages).find("item")

    published = parsedate_to_datetime(item.findtext("pubDate"))
    assert published == datetime.datetime(2026, 5, 20, 10, 15, tzinfo=ZoneInfo("Asia/Riyadh"))
    assert published.utcoffset() == datetime.timedelta(hours=3)


def test_item_text_is_escaped_once_more_as_feed_readers_expect(client, public_site):
    make_news(public_site.en.news, title="Tom & Jerry <b>", summary="<script>x</script>")

    item = _feed(client, public_site.en.news).find("item")

    assert item.findtext("title") == "Tom &amp; Jerry &lt;b&gt;"
    assert item.findtext("description") == "&lt;script&gt;x&lt;/script&gt;"


def test_news_tags_are_categories(client, public_site):
    make_news(public_site.en.news, title="Tagged", tags=["Mina", "Transport"])

    item = _feed(client, public_site.en.news).find("item")

    assert sorted(category.text for category in item.findall("category")) == [
        "Mina",
        "Transport",
    ]


@pytest.mark.parametrize("kind", ["news", "messages"])
def test_image_is_an_enclosure_with_absolute_url_length_and_type(client, public_site, kind):
    image = make_image("Arafat")
    if kind == "news":
        index = public_site.ar.news
        make_news(index, title="بلا صورة", date=DAY - datetime.timedelta(1))
        make_news(index, title="بصورة", image=image, date=DAY)
    else:
        index = public_site.ar.messages
        make_daily_message(index, title="بلا صورة", date=DAY - datetime.timedelta(1))
        make_daily_message(index, title="بصورة", image=image, date=DAY)

    with_image, without_image = _feed(client, index).findall("item")

    assert without_image.find("enclosure") is None
    enclosure = with_image.find("enclosure")
    rendition = image.get_rendition(SHARE_IMAGE_SPEC)
    assert enclosure.get("url").startswith("http")
    assert enclosure.get("url").endswith(rendition.url)
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == rendition.file.size > 0
    assert (rendition.width, rendition.height) == (1200, 630)


def _add_items(site, kind: str, count: int, start: int) -> None:
    for number in range(start, start + count):
        image = make_image(f"image {number}", size=(1200, 630))
        image.get_rendition(SHARE_IMAGE_SPEC)
        date = DAY - datetime.timedelta(days=number)
        if kind == "news":
            make_news(site.ar.news, title=f"news {number}", image=image, tags=[f"t{number}"])
        else:
            make_daily_message(site.ar.messages, title=f"message {number}", image=image, date=date)


def _count_feed_queries(client, index, other_index) -> int:
    _feed(client, other_index)  # Wagtail's own caches (site root paths) are warm, as in use
    url = index.url + "feed/"
    with CaptureQueriesContext(connection) as queries:
        channel = _parse(client.get(url))
    assert all(item.find("enclosure") is not None for item in channel.findall("item"))
    return len(queries)


@pytest.fixture
def memory_caches(settings):
    """Caches in memory, as Redis is in production: with the database cache every cache
    round trip (Wagtail's site root paths, each rendition it hands out, the page cache)
    would count as queries."""
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {
        alias: {**memory, "LOCATION": alias} for alias in ("default", "renditions", "public_pages")
    }
    # Process memory outlives the test's database: nothing of an earlier test's pages.
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.mark.parametrize("kind", ["news", "messages"])
def test_feed_queries_do_not_grow_with_the_items(client, public_site, memory_caches, kind):
    index = public_site.ar.news if kind == "news" else public_site.ar.messages
    other_index = public_site.en.news if kind == "news" else public_site.en.messages
    _add_items(public_site, kind, 5, start=0)
    with_5 = _count_feed_queries(client, index, other_index)

    _add_items(public_site, kind, 45, start=5)
    with_50 = _count_feed_queries(client, index, other_index)

    assert with_5 == with_50 <= FEED_QUERIES


def test_channel_description_is_the_intro_as_text(client, public_site):
    index = public_site.en.news
    index.intro = "<p>Committee <b>news</b> &amp; notices</p>"
    index.save_revision().publish()

    assert _feed(client, index).findtext("description") == "Committee news & notices"

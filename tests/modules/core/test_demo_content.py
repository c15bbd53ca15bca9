"""The public site's demo content: a week of daily messages, news, pages, images, contacts.

Loading the demo takes seconds, so it is loaded once for this module inside a transaction
that is rolled back at the end; each test runs in a savepoint within it, so a test that
changes the content (and loads the demo again) leaves nothing behind for the next.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone, translation
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, ReferenceIndex

from cms.base.models import CommitteeSettings
from cms.daily_messages.models import DailyMessageIndexPage, DailyMessagePage
from cms.home.models import HomePage
from cms.news.models import NewsIndexPage, NewsPage
from cms.pages.models import IncidentReportPage, IndicatorsPage, SearchPage, StandardPage
from modules.agencies.models import Season

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def tree(code: str) -> HomePage:
    return HomePage.objects.get(locale__language_code=code)


def messages_of(code: str) -> list[DailyMessagePage]:
    index = DailyMessageIndexPage.objects.child_of(tree(code)).get()
    return list(DailyMessagePage.objects.child_of(index).live().order_by("date"))


def news_of(code: str) -> list[NewsPage]:
    index = NewsIndexPage.objects.child_of(tree(code)).get()
    return list(NewsPage.objects.child_of(index).live().prefetch_related("tags").order_by("date"))


def paragraphs(html: str) -> int:
    return html.count("<p>")


@pytest.mark.parametrize("code", ["ar", "en"])
def test_a_week_of_daily_messages_ending_on_the_seasons_last_day(code):
    season = Season.objects.get(is_active=True)
    last_day = min(season.ends_on, timezone.localdate())

    messages = messages_of(code)

    assert len(messages) >= 7
    week = [last_day - datetime.timedelta(days=n) for n in range(len(messages) - 1, -1, -1)]
    assert [message.date for message in messages] == week
    for message in messages:
        assert message.title and message.summary and len(message.summary) <= 300
        assert 2 <= paragraphs(message.body) <= 4
        assert not message.notify_subscribers
        assert bool(ARABIC_LETTER.search(message.title)) == (code == "ar")
    assert sum(message.image_id is not None for message in messages) >= 3


@pytest.mark.parametrize("code", ["ar", "en"])
def test_twelve_news_items_with_pictures_tags_and_rich_bodies(code):
    season = Season.objects.get(is_active=True)
    last_day = min(season.ends_on, timezone.localdate())
    first_day = min(season.starts_on, last_day - datetime.timedelta(days=60))

    news = news_of(code)

    assert len(news) == 12
    assert len({item.hero_image_id for item in news}) == 12
    block_types = set()
    for item in news:
        assert item.hero_image_id is not None
        assert first_day <= item.date <= last_day
        assert len(item.summary) <= 300
        assert [block.block_type for block in item.body].count("paragraph") >= 1
        block_types |= {block.block_type for block in item.body}
        tags = [tag.name for tag in item.tags.all()]
        assert tags
        assert all(bool(ARABIC_LETTER.search(tag)) == (code == "ar") for tag in tags)
    assert {"paragraph", "quote", "image"} <= block_types


def test_body_images_carry_alt_text_in_the_pages_language():
    for code in ("ar", "en"):
        images = [
            block.value["image"]
            for item in news_of(code)
            for block in item.body
            if block.block_type == "image"
        ]
        assert len(images) >= 3
        for image in images:
            assert bool(ARABIC_LETTER.search(image.contextual_alt_text)) == (code == "ar")


def test_images_are_distinct_drawn_jpegs_with_arabic_titles_and_descriptions():
    images = list(get_image_model().objects.all())

    assert len(images) == 20
    assert len({image.file_hash for image in images}) == 20
    for image in images:
        assert ARABIC_LETTER.search(image.title) and ARABIC_LETTER.search(image.description)
        with image.open_file() as handle:
            picture = PILImage.open(handle)
            assert picture.format == "JPEG"
            assert picture.size == (1600, 900) == (image.width, image.height)
        assert image.file_size == len(image.file.storage.open(image.file.name).read())


def test_the_reference_index_knows_where_each_picture_is_used():
    item = news_of("ar")[0]

    translation = item.get_translation(Locale.objects.get(language_code="en"))

    pages = {reference.object_id for reference in ReferenceIndex.get_references_to(item.hero_image)}

    assert pages == {str(item.pk), str(translation.pk)}


def test_sections_are_in_the_menu_with_ascii_slugs_and_quick_links_to_them():
    for code in ("ar", "en"):
        home = tree(code)
        children = {page.slug: page.specific for page in home.get_children().live()}

        assert set(children) == {
            "daily-message",
            "news",
            "indicators",
            "report",
            "about",
            "contact",
            "search",
        }
        assert isinstance(children["about"], StandardPage)
        assert isinstance(children["search"], SearchPage)
        assert isinstance(children["indicators"], IndicatorsPage)
        assert isinstance(children["report"], IncidentReportPage)
        menu = {slug for slug, page in children.items() if page.show_in_menus}
        assert menu == {"daily-message", "news", "indicators", "report", "about", "contact"}
        assert len(children["about"].body) >= 3
        contact = "".join(str(block.value) for block in children["contact"].body)
        assert "920000000" in contact and "info@hajj-committee.example" in contact

        links = [block.value for block in home.quick_links]
        assert [link["page"].slug for link in links if link["page"]] == [
            "daily-message",
            "news",
            "indicators",
            "about",
            "contact",
        ]
        assert all(link["page"].locale.language_code == code for link in links if link["page"])
        assert [link["url"] for link in links if not link["page"]] == ["https://www.haj.gov.sa/"]


def test_every_arabic_page_has_a_live_english_translation_with_the_same_slug():
    english = Locale.objects.get(language_code="en")
    arabic_pages = list(tree("ar").get_descendants(inclusive=True).specific())

    # The home page, its 7 sections, 7 daily messages and 12 news items.
    assert len(arabic_pages) == 1 + 7 + 7 + 12
    for page in arabic_pages:
        translation = page.get_translation(english)
        assert translation.live and not translation.has_unpublished_changes
        assert translation.slug == page.slug or page.depth == 2
        assert not ARABIC_LETTER.search(translation.title), translation.title


def test_committee_settings_are_filled_and_an_edited_field_is_kept():
    settings = CommitteeSettings.objects.get()

    assert settings.email == "info@hajj-committee.example"
    assert settings.toll_free.startswith("9200")
    assert ARABIC_LETTER.search(settings.address_ar) and settings.address_en
    assert settings.x_handle
    assert [icon for icon, _name, _url in settings.social_links] == [
        "x",
        "instagram",
        "youtube",
        "snapchat",
        "whatsapp",
        "telegram",
    ]
    hosts = ["x.com", "instagram.com", "youtube.com", "snapchat.com", "whatsapp.com", "t.me"]
    for (_icon, _name, url), host in zip(settings.social_links, hosts, strict=True):
        assert url.startswith("https://") and host in url

    CommitteeSettings.objects.update(phone="+966 14 123 4567", telegram_url="")
    load_demo()

    settings = CommitteeSettings.objects.get()
    assert settings.phone == "+966 14 123 4567"
    assert settings.telegram_url.startswith("https://t.me/")


def test_a_deleted_page_comes_back_in_both_languages_with_its_old_picture():
    pages, images = Page.objects.count(), get_image_model().objects.count()
    item = news_of("ar")[0]
    image_id = item.hero_image_id
    item.get_translation(Locale.objects.get(language_code="en")).delete()
    item.delete()

    output = load_demo()

    assert Page.objects.count() == pages
    assert get_image_model().objects.count() == images
    recreated = news_of("ar")[0]
    assert recreated.slug == item.slug and recreated.hero_image_id == image_id
    assert news_of("en")[0].translation_key == recreated.translation_key
    assert "loaded" in output


def test_no_demo_message_is_made_for_a_day_an_editor_wrote_one_for():
    ours = messages_of("ar")[-1]
    ours.get_translation(Locale.objects.get(language_code="en")).delete()
    ours.delete()
    index = DailyMessageIndexPage.objects.child_of(tree("ar")).get()
    editors = DailyMessagePage(
        title="رسالة المحرر",
        slug="editors-message",
        date=ours.date,
        summary="ملخص",
        body="<p>نص</p>",
    )
    index.add_child(instance=editors)
    editors.save_revision().publish()

    load_demo()

    assert [message.slug for message in messages_of("ar")][-1] == "editors-message"
    assert not DailyMessagePage.objects.filter(slug=ours.slug).exists()
    assert len(messages_of("en")) == len(messages_of("ar")) - 1


def test_an_edited_page_is_left_as_the_editor_published_it():
    item = news_of("en")[0]
    item.title = "Edited by the committee"
    item.save_revision().publish()

    load_demo()

    assert news_of("en")[0].title == "Edited by the committee"


def test_the_home_pages_show_the_latest_daily_message(client):
    for code in ("ar", "en"):
        latest = messages_of(code)[-1]

        response = client.get(f"/{code}/")

        assert response.status_code == 200
        assert latest.title in response.content.decode()


def test_every_demo_page_is_reached_at_its_address():
    """Wagtail routes each address to the page; a stale child count would hide a subtree."""
    pages = Page.objects.live().filter(depth__gte=2).specific()

    assert len(pages) == 2 * (1 + 7 + 7 + 12)
    for page in pages:
        code = page.locale.language_code
        prefix, _, path = page.url.partition(f"/{code}/")
        assert prefix == ""
        request = RequestFactory().get(page.url, HTTP_HOST="localhost")
        with translation.override(code):
            assert Page.find_for_request(request, path) == page, page.url

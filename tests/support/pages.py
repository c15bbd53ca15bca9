"""A public site in both languages, and factories for its content.

`public_site` builds what `load_demo` builds, minimally: an Arabic home page as the default
site's root with its English translation, each with a daily-message index, a news index and
a search page. Content pages are made with `make_news`/`make_daily_message` in either tree.
"""

import datetime
import io
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from cms.daily_messages.models import DailyMessageIndexPage, DailyMessagePage
from cms.home.models import HomePage
from cms.news.models import NewsIndexPage, NewsPage
from cms.pages.models import SearchPage, StandardPage


@dataclass
class Tree:
    home: HomePage
    messages: DailyMessageIndexPage
    news: NewsIndexPage
    search: SearchPage


@dataclass
class PublicSite:
    site: Site
    ar: Tree
    en: Tree


def make_image(title: str = "صورة", *, size=(1600, 900), color=(14, 116, 104)):
    """A real PNG drawn in memory, stored as a Wagtail image."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name="test.png"), description=title
    )


def ensure_page_tree_root() -> None:
    """What Wagtail's migrations create: the default locale, the root page and collection.

    Like the role groups, they are gone after a test that commits ends with a flush, and
    serialized rollback does not reliably put them back for the next live-server test.
    """
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def _publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page: Page, locale: Locale, **fields) -> Page:
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def make_public_site() -> PublicSite:
    arabic, _ = Locale.objects.get_or_create(language_code="ar")
    english, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    welcome = Page.objects.filter(depth=2, slug="home").first()
    if welcome is not None:
        # Wagtail's install puts a bare "Welcome" page at the site root, with our slug.
        if site is not None:
            site.root_page = root
            site.save()
        welcome.delete()
    home_ar = _publish_child(
        root, HomePage(title="لجنة الحج", slug="home", locale=arabic, intro="<p>مرحبا</p>")
    )
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home_ar, is_default_site=True
        )
    else:
        site.root_page = home_ar
        site.save()
    messages_ar = _publish_child(
        home_ar, DailyMessageIndexPage(title="الرسالة اليومية", slug="daily-message")
    )
    news_ar = _publish_child(home_ar, NewsIndexPage(title="الأخبار", slug="news"))
    search_ar = _publish_child(home_ar, SearchPage(title="البحث", slug="search"))

    home_en = _translate(home_ar, english, title="Hajj Committee", intro="<p>Welcome</p>")
    trees = {"ar": Tree(home_ar, messages_ar, news_ar, search_ar)}
    trees["en"] = Tree(
        home_en,
        _translate(messages_ar, english, title="Daily message"),
        _translate(news_ar, english, title="News"),
        _translate(search_ar, english, title="Search"),
    )
    return PublicSite(site=site, ar=trees["ar"], en=trees["en"])


def make_news(
    index: NewsIndexPage,
    *,
    title: str,
    summary: str = "",
    body: str = "",
    date: datetime.date | None = None,
    image=None,
    tags=(),
    slug: str | None = None,
) -> NewsPage:
    page = NewsPage(
        title=title,
        slug=slug or "",
        date=date or datetime.date.today(),
        summary=summary or title,
        hero_image=image,
        body=[("paragraph", f"<p>{body or title}</p>")],
    )
    index.add_child(instance=page)
    page.tags.add(*tags)
    page.save_revision().publish()
    return page


def make_daily_message(
    index: DailyMessageIndexPage,
    *,
    date: datetime.date,
    title: str = "",
    summary: str = "",
    body: str = "",
    image=None,
) -> DailyMessagePage:
    page = DailyMessagePage(
        title=title or f"رسالة {date.isoformat()}",
        date=date,
        summary=summary or title or date.isoformat(),
        body=f"<p>{body or summary or date.isoformat()}</p>",
        image=image,
    )
    return _publish_child(index, page)


def add_standard_page(parent: Page, *, title: str, slug: str, intro: str = "") -> StandardPage:
    return _publish_child(parent, StandardPage(title=title, slug=slug, intro=intro))


@pytest.fixture
def public_site(db) -> PublicSite:
    return make_public_site()

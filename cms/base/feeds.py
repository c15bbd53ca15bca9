"""RSS 2.0 feeds of the index pages (daily messages, news), one per language.

Django's syndication framework writes the XML; this module only says what goes in it. The
index page passes its newest items with their images and renditions already fetched, so a
feed costs the same few queries whatever its length.
"""

import datetime
import html
import mimetypes
from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape

from cms.base.models import SHARE_IMAGE_SPEC
from modules.core.sanitize import strip_html


class IndexPageFeed(Feed):
    """The feed of one index page. Built per request: it holds the page and its items."""

    feed_type = Rss201rev2Feed

    def __init__(self, request: HttpRequest, index_page, items):
        self.request = request
        self.index_page = index_page
        self.items_list = list(items)
        self.language = index_page.locale.language_code

    def _url(self, page) -> str:
        return page.get_full_url(self.request)

    def title(self) -> str:
        return self.index_page.title

    def link(self) -> str:
        return self._url(self.index_page)

    def feed_url(self) -> str:
        return self.link() + self.index_page.reverse_subpage("feed")

    def description(self) -> str:
        page = self.index_page
        intro = " ".join(html.unescape(strip_html(getattr(page, "intro", ""))).split())
        return page.search_description or intro or page.title

    def items(self):
        return self.items_list

    def item_title(self, item) -> str:
        # Escaped once more, as Django does by default: readers treat titles as HTML.
        return escape(item.title)

    def item_description(self, item) -> str:
        return escape(item.summary)

    def item_link(self, item) -> str:
        return self._url(item)

    def item_guid(self, item) -> str:
        return self._url(item)

    def item_pubdate(self, item) -> datetime.datetime:
        """The item's day, at the time it was first published (Riyadh time)."""
        published = item.first_published_at or timezone.now()
        published_time = timezone.localtime(published, timezone.get_default_timezone()).time()
        return datetime.datetime.combine(
            item.date, published_time, tzinfo=timezone.get_default_timezone()
        )

    def item_categories(self, item) -> list[str]:
        tags = getattr(item, "tags", None)
        return [tag.name for tag in tags.all()] if tags is not None else []

    def item_enclosures(self, item) -> list[Enclosure]:
        """The share image (a 1200×630 JPEG, as for Open Graph): one rendition for both."""
        image = item.share_image
        if image is None:
            return []
        rendition = image.get_rendition(SHARE_IMAGE_SPEC)
        return [
            Enclosure(
                url=urljoin(self._url(item), rendition.url),
                length=str(rendition.file.size),
                mime_type=mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg",
            )
        ]


def index_feed_response(request: HttpRequest, *, index_page, items) -> HttpResponse:
    """The RSS 2.0 feed of `index_page` listing `items` (newest first, already limited)."""
    return IndexPageFeed(request, index_page, items)(request)

"""The page types the public sections are built on."""

from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from .blocks import PARAGRAPH_FEATURES
from .feeds import index_feed_response
from .models import PublicPageMixin

FEED_LENGTH = 20


class FeedIndexPage(RoutablePageMixin, PublicPageMixin, Page):
    """A section of dated pages in one language (news, daily messages): an introduction, the
    list, and an RSS feed of the latest at feed/. Subclasses say what `feed_items` are."""

    intro = RichTextField(_("introduction"), blank=True, features=PARAGRAPH_FEATURES)

    content_panels = [*Page.content_panels, "intro"]
    api_fields = [APIField("intro")]
    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def feed_items(self):
        """The live pages of the section, newest first."""
        raise NotImplementedError

    @path("feed/", name="feed")
    def feed(self, request):
        return index_feed_response(request, index_page=self, items=self.feed_items()[:FEED_LENGTH])

"""The public home page: the day's message, the latest news, quick links, indicators."""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.base.blocks import QuickLinkBlock
from cms.base.models import PublicPageMixin
from cms.daily_messages.models import DailyMessagePage
from cms.news.models import NewsPage

from .indicators import public_indicators

LATEST_NEWS_COUNT = 6


class HomePage(PublicPageMixin, Page):
    """The root of each language's public site: one home page per content language."""

    intro = RichTextField(_("introduction"), blank=True)
    quick_links = StreamField(
        [("link", QuickLinkBlock())], verbose_name=_("quick links"), blank=True, max_num=8
    )

    content_panels = [*Page.content_panels, "intro", "quick_links"]
    api_fields = [APIField("intro"), APIField("quick_links")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "daily_messages.DailyMessageIndexPage",
        "news.NewsIndexPage",
        "pages.StandardPage",
        "pages.SearchPage",
        "pages.IndicatorsPage",
        "pages.IncidentReportPage",
    ]
    max_count = len(settings.WAGTAIL_CONTENT_LANGUAGES)
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        """Find the deepest page on the path in one query, not two per level as Wagtail does.

        The rest of the path, if any, goes to that page's own routing (an index's `feed/`).
        """
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "".join(f"{part}/" for part in path_components[:depth])
            for depth in range(1, len(path_components) + 1)
        ]
        deepest = (
            Page.objects.filter(path__startswith=self.path, url_path__in=prefixes)
            .order_by("-depth")
            .first()
        )
        if deepest is None:
            raise Http404
        remaining = path_components[deepest.depth - self.depth :]
        return deepest.specific.route(request, remaining)

    def daily_message(self) -> DailyMessagePage | None:
        """Today's message, or the latest one before today when today's is not out yet."""
        return (
            DailyMessagePage.objects.live()
            .descendant_of(self)
            .filter(date__lte=timezone.localdate())
            .select_related("image")
            .prefetch_related("image__renditions")
            .order_by("-date", "-first_published_at")
            .first()
        )

    def latest_news(self):
        return (
            NewsPage.objects.live()
            .descendant_of(self)
            .select_related("hero_image")
            .prefetch_related("hero_image__renditions")
            .order_by("-date", "-first_published_at")[:LATEST_NEWS_COUNT]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["daily_message"] = self.daily_message()
        context["latest_news"] = self.latest_news()
        context["indicators"] = public_indicators(request)
        context["today"] = timezone.localdate()
        return context

"""Free-form pages (about, contact) and the search page."""

from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.base.blocks import PARAGRAPH_FEATURES, BodyBlock
from cms.base.listing import paginate
from cms.base.models import PublicPageMixin

from .search import search_public_pages


class StandardPage(PublicPageMixin, Page):
    """A page of text and media, such as "About the committee" or "Contact us"."""

    intro = RichTextField(_("introduction"), blank=True, features=PARAGRAPH_FEATURES)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, "intro", "body"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]
    parent_page_types = ["home.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]
    template = "pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class SearchPage(PublicPageMixin, Page):
    """Searches the news and daily messages of the page's own language."""

    content_panels = Page.content_panels
    api_fields = []
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "pages/search_page.html"

    class Meta:
        verbose_name = _("search page")
        verbose_name_plural = _("search pages")

    def get_sitemap_urls(self, request=None):
        """Search results are not content for search engines to index."""
        return []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:200]
        context["query"] = query
        if query:
            results = search_public_pages(query=query, locale=self.locale)
            context["results_page"] = paginate(request, results, per_page=10)
        return context

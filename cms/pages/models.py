"""Free-form pages (about, contact), the search page and the public indicators page."""

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.base.blocks import PARAGRAPH_FEATURES, BodyBlock
from cms.base.listing import paginate
from cms.base.models import PublicPageMixin
from modules.statistics.checks import format_number
from modules.statistics.public_indicators import PublicFigure, public_figures

from .search import search_public_pages

# Vendored by scripts/vendor-assets.mjs (npm run vendor); the page works without it.
CHART_LIBRARY = "vendor/chartjs/chart.umd.js"


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


def _chart_library_url() -> str | None:
    """Chart.js's address, or None while it is not installed: the manifest storage of
    production refuses to name a file it does not hold, and the page must still render."""
    try:
        return static(CHART_LIBRARY)
    except ValueError:
        return None


class IndicatorsPage(PublicPageMixin, Page):
    """The figures of the active season that the committee made public: for each public
    indicator its figure over the season so far, the latest day's figure, and the daily
    series as a chart (when Chart.js is installed and scripts run) over a plain table.

    Served to anonymous visitors from the page cache like every public page, so it shows
    only what `public_figures` reads from the rollup: submitted and approved figures, summed
    over agencies, never one agency's own.
    """

    intro = RichTextField(_("introduction"), blank=True, features=PARAGRAPH_FEATURES)

    content_panels = [*Page.content_panels, "intro"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("figures")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "pages/indicators_page.html"

    class Meta:
        verbose_name = _("indicators page")
        verbose_name_plural = _("indicators pages")

    @property
    def figures(self) -> list[dict]:
        """The public figures for the pages API: codes, both languages, plain numbers."""
        return [self._api_figure(figure) for figure in public_figures()]

    @staticmethod
    def _api_figure(figure: PublicFigure) -> dict:
        indicator = figure.indicator

        def text(value):
            return None if value is None else format_number(value, indicator)

        return {
            "code": indicator.code,
            "name_ar": indicator.name_ar,
            "name_en": indicator.name_en,
            "unit_ar": indicator.unit_ar,
            "unit_en": indicator.unit_en,
            "value_type": indicator.value_type,
            "category": indicator.category.code,
            "season_value": text(figure.period_value),
            "latest_day": figure.latest_day.isoformat() if figure.latest_day else None,
            "latest_value": text(figure.latest_value),
            "series": [[day.isoformat(), text(value)] for day, value in figure.series],
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["figures"] = public_figures()
        context["chart_library"] = _chart_library_url()
        return context

"""Free-form pages (about, contact), the search page, the public indicators page and the
public's incident report form."""

from http import HTTPMethod

from django.conf import settings
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers
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
from modules.tickets.public.views import serve_report_page

from .search import search_public_pages

# Vendored by scripts/vendor-assets.mjs (npm run vendor); the pages work without them.
CHART_LIBRARY = "vendor/chartjs/chart.umd.js"
MAP_LIBRARY = "vendor/leaflet/leaflet.js"
MAP_STYLESHEET = "vendor/leaflet/leaflet.css"


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


def _vendored_url(path: str) -> str | None:
    """A vendored library's address, or None while it is not installed: the manifest storage
    of production refuses to name a file it does not hold, and the page must still render."""
    try:
        return static(path)
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
        context["chart_library"] = _vendored_url(CHART_LIBRARY)
        return context


def report_map() -> dict | None:
    """The report form's map: only with a tile server configured (the site may have no
    internet) and Leaflet installed. Without it the form offers the landmark list and typed
    coordinates, which it always offers."""
    if not settings.TICKETS_MAP_TILES:
        return None
    script, stylesheet = _vendored_url(MAP_LIBRARY), _vendored_url(MAP_STYLESHEET)
    if script is None or stylesheet is None:
        return None
    latitude, longitude = settings.TICKETS_MAP_CENTER
    return {
        "tiles": settings.TICKETS_MAP_TILES,
        "attribution": settings.TICKETS_MAP_ATTRIBUTION,
        "latitude": latitude,
        "longitude": longitude,
        "script": script,
        "stylesheet": stylesheet,
    }


class IncidentReportPage(PublicPageMixin, Page):
    """The public's incident report form (بلاغ): a category, a description, a place (a point
    on the map or a landmark, gate or area), and optionally a photo, a name and a phone.

    No account is needed. A valid report becomes a ticket through `services.ticket_create`,
    routed to the agency responsible, and the reporter is sent (POST, redirect, GET) to a page
    with the reference and the private status link. The form and its handling live in
    `modules.tickets.public`; this page holds the editors' title and introduction.

    Never served from the page cache: the form carries a CSRF token (with its cookie) and,
    after a refused report, the visitor's own answers; every response says no-cache, so
    neither the site's page cache nor a shared proxy keeps it.
    """

    intro = RichTextField(_("introduction"), blank=True, features=PARAGRAPH_FEATURES)

    content_panels = [*Page.content_panels, "intro"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "pages/incident_report_page.html"
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS, HTTPMethod.POST]

    class Meta:
        verbose_name = _("incident report page")
        verbose_name_plural = _("incident report pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["report_map"] = report_map()
        return context

    def serve(self, request, *args, **kwargs):
        response = serve_report_page(self, request)
        add_never_cache_headers(response)
        return response

"""What crawlers read: robots.txt and a sitemap of both language trees."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.models import Locale, Page

# Everything that is not the public site. The portal and account pages live under the
# language prefixes; the unprefixed forms only redirect, but crawlers need not follow them.
PRIVATE_PREFIXES = ("admin", "api", "_allauth")
PRIVATE_PREFIXES_PER_LANGUAGE = ("portal", "accounts")


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def robots_txt(request: HttpRequest) -> HttpResponse:
    paths = [f"/{prefix}/" for prefix in PRIVATE_PREFIXES + PRIVATE_PREFIXES_PER_LANGUAGE]
    paths += [
        f"/{code}/{prefix}/"
        for code, _name in settings.LANGUAGES
        for prefix in PRIVATE_PREFIXES_PER_LANGUAGE
    ]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in paths),
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, over the site's home page and all its translations.

    Wagtail lists the descendants of the site's root page only, which is the Arabic home;
    the English home is its translation, a sibling. Each address also names its language
    versions (`xhtml:link rel="alternate" hreflang=…`, and x-default for the default
    language), as the pages' own `<link rel="alternate">` tags do.
    """

    def items(self):
        in_any_tree = Q()
        for root in self.get_wagtail_site().root_page.get_translations(inclusive=True):
            in_any_tree |= Page.objects.descendant_of_q(root, inclusive=True)
        return (
            Page.objects.filter(in_any_tree)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        entries, versions = [], defaultdict(list)
        for item in self.paginator.page(page).object_list:
            for url_info in item.get_sitemap_urls(self.request):
                entries.append((item.translation_key, url_info))
                versions[item.translation_key].append(
                    {"lang_code": languages[item.locale_id], "location": url_info["location"]}
                )
        for translation_key, url_info in entries:
            if len(versions[translation_key]) > 1:
                url_info.setdefault("alternates", _with_default(versions[translation_key]))
        last_mods = {url_info.get("lastmod") for _key, url_info in entries}
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return [url_info for _key, url_info in entries]


def _with_default(versions: list[dict]) -> list[dict]:
    default = next((v for v in versions if v["lang_code"] == settings.LANGUAGE_CODE), None)
    if default is None:
        return versions
    return [*versions, {**default, "lang_code": "x-default"}]


def sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap_views.sitemap(request, {"pages": PublicSitemap})

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.base.views import robots_txt, sitemap
from modules.core.views import healthz

from .api import api_router

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through allauth (rate limits, MFA) rather than its own form.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/schema/ui/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"
    ),
    path("api/v1/", include("cms.api_router")),
    path("api/v2/", api_router.urls),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("portal/roster/", include("modules.agencies.urls")),
    path("portal/statistics/", include("modules.statistics.urls")),
    path("portal/incidents/", include("modules.tickets.portal.urls")),
    path("operations/", include("modules.tickets.room.urls")),
    path("incidents/", include("modules.tickets.public.urls")),
    path("portal/", include("modules.portal.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

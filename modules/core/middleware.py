from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


def tile_origin(address: str) -> str:
    """The origin of a tile address such as https://{s}.tiles.example/{z}/{x}/{y}.png, as a
    CSP source ("https://*.tiles.example"); empty when there is none."""
    parts = urlsplit(address or "")
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: a conservative permissions policy
    and a content security policy that allows only this site's own assets."""

    POLICY = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )

    @classmethod
    def content_security_policy(cls) -> str:
        """The policy, with the map tile server's images allowed when one is configured."""
        tiles = tile_origin(settings.TICKETS_MAP_TILES)
        if not tiles:
            return cls.POLICY
        return cls.POLICY.replace("img-src 'self'", f"img-src 'self' {tiles}", 1)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.content_security_policy())
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, minus its 404 → /<lang>/… redirect for the paths that live
    outside the language prefixes (APIs, admin, health). The public page tree under /<lang>/
    matches any path, so without this an API's 404 would turn into a redirect to a page."""

    UNPREFIXED = ("/api/", "/_allauth/", "/admin/", "/documents/", "/healthz", "/i18n/")

    def process_response(self, request, response):
        if request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)

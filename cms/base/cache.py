"""Full-page cache for anonymous public pages.

A visitor without a session reads the same page as every other such visitor, so the page is
rendered once and served from the cache until it changes or `PUBLIC_PAGE_CACHE_SECONDS`
pass (the home page's "today's message" rolls over at midnight without a publish).

Why written here rather than taken from a library:
- Django's cache middleware varies every entry on the Cookie header, so each visitor (who
  may carry a language or CSRF cookie) would get an entry of their own, and a hit would
  still run the session and authentication middleware.
- wagtail-cache (3.0.0) requires wagtail<8.0 and cannot be installed beside Wagtail 8.

How it works:
- `PublicPageCacheMiddleware` sits right after WhiteNoise, so a hit costs one cache round
  trip and no session, user or site lookup. It answers GET and HEAD requests that carry no
  session or messages cookie, outside the admin, the APIs, accounts and the portal, and
  never Wagtail's previews (made-up requests for the page's own address).
- Only Wagtail pages served to an anonymous visitor are stored: the `before_serve_page`
  hook in `wagtail_hooks.py` marks the request, so previews (not served by Wagtail's page
  view), portal and API views are never stored. A response is stored only
  when it is a plain 200 with no cookie and no private/no-store/no-cache header, so a page
  that put a CSRF token or a message in front of one visitor is never shown to another.
- The key ignores cookies: scheme, host and the full path with its query string (the
  language is in the path). Entries live in the cache named by `PUBLIC_PAGE_CACHE_ALIAS`.
- Invalidation is by generation: every entry records the generation it was rendered in,
  and publishing, unpublishing, moving or deleting a page, saving the committee's settings,
  a site, an image or a document starts a new generation. The entry and the current
  generation are read with one `get_many`, so a hit is one round trip; an entry from another
  generation is a miss. The generation is read before the page is rendered, so a page that
  was being rendered while something was published is stored under the old generation and
  is never served.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import CommitteeSettings

GENERATION_KEY = "public-page-cache:generation"
ENTRY_KEY_PREFIX = "public-page-cache:page:"
CACHEABLE_REQUEST_ATTRIBUTE = "public_page_cacheable"
CACHE_STATUS_HEADER = "X-Cache"

# Search results: every query would be an entry of its own, read once, crowding out the pages
# everyone reads; and results should follow the search index at once. The incident report
# form carries a CSRF token of its own for each visitor.
NEVER_CACHED_PAGE_TYPES = frozenset({"pages.SearchPage", "pages.IncidentReportPage"})

# Outside the language prefix: paths that are never public pages.
_EXCLUDED_PREFIXES = ("/admin/", "/api/", "/_allauth/", "/documents/", "/i18n/", "/healthz")
# Under /<language>/: the sign-in pages, the agency portal, the reporters' private status
# pages and the operations room.
_EXCLUDED_UNDER_LANGUAGE = ("accounts/", "portal/", "incidents/", "operations/")
_UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})


def cache_seconds() -> int:
    return settings.PUBLIC_PAGE_CACHE_SECONDS


def page_cache():
    return caches[settings.PUBLIC_PAGE_CACHE_ALIAS]


def mark_cacheable(request, page) -> None:
    """Called as Wagtail is about to serve `page`: allow storing the response if a visitor
    without an account asked for it."""
    if (
        request.method == "GET"
        and page.live
        and page._meta.label not in NEVER_CACHED_PAGE_TYPES
        and not request.user.is_authenticated
    ):
        setattr(request, CACHEABLE_REQUEST_ATTRIBUTE, True)


def invalidate() -> None:
    """Start a new generation, so every stored page is a miss.

    At once, so that later requests of this transaction (and tests) see the change, and again
    after commit: a page rendered elsewhere from the data as it was before the commit may have
    been stored under the first new generation.
    """
    _new_generation()
    transaction.on_commit(_new_generation, robust=True)


def _new_generation() -> None:
    page_cache().set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def _start_generation() -> str | None:
    """A generation for an empty (or evicted) cache; None when another process started one
    meanwhile, which this request then does not store under."""
    generation = secrets.token_hex(8)
    return generation if page_cache().add(GENERATION_KEY, generation, timeout=None) else None


def entry_key(request) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return ENTRY_KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def _is_excluded_path(path: str) -> bool:
    if path.startswith((*_EXCLUDED_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)):
        return True
    _language, _slash, rest = path.lstrip("/").partition("/")
    return rest.startswith(_EXCLUDED_UNDER_LANGUAGE)


def may_serve_from_cache(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        # Wagtail's previews run a made-up request for the page's own address through the
        # middleware; it must see the draft, not the stored live page.
        and not getattr(request, "is_dummy", False)
        and cache_seconds() > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not _is_excluded_path(request.path)
    )


def is_storable(request, response) -> bool:
    if not getattr(request, CACHEABLE_REQUEST_ATTRIBUTE, False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {
        directive.split("=", 1)[0].strip().lower()
        for directive in response.get("Cache-Control", "").split(",")
    }
    return not directives & _UNCACHEABLE_DIRECTIVES


def _response_from(entry) -> HttpResponse:
    _generation, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[CACHE_STATUS_HEADER] = "hit"
    return response


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_serve_from_cache(request):
            return self.get_response(request)

        cache = page_cache()
        key = entry_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if entry is not None and generation is not None and entry[0] == generation:
            return _response_from(entry)
        if generation is None:
            generation = _start_generation()

        response = self.get_response(request)
        if generation is not None and is_storable(request, response):
            entry = (generation, response.status_code, tuple(response.items()), response.content)
            cache.set(key, entry, timeout=cache_seconds())
        response[CACHE_STATUS_HEADER] = "miss"
        return response


@receiver(page_published, dispatch_uid="public_page_cache_page_published")
@receiver(page_unpublished, dispatch_uid="public_page_cache_page_unpublished")
@receiver(post_page_move, dispatch_uid="public_page_cache_page_moved")
@receiver(post_delete, sender=Page, dispatch_uid="public_page_cache_page_deleted")
@receiver(post_save, sender=Site, dispatch_uid="public_page_cache_site_saved")
@receiver(post_delete, sender=Site, dispatch_uid="public_page_cache_site_deleted")
@receiver(post_delete, sender=get_image_model(), dispatch_uid="public_page_cache_image_deleted")
@receiver(post_delete, sender=get_document_model(), dispatch_uid="public_page_cache_doc_deleted")
def _content_changed(**kwargs) -> None:
    invalidate()


# A new image or document is on no page yet, and the settings row is created empty the first
# time a page reads it; only changes to existing ones show.
@receiver(post_save, sender=CommitteeSettings, dispatch_uid="public_page_cache_settings_saved")
@receiver(post_save, sender=get_image_model(), dispatch_uid="public_page_cache_image_saved")
@receiver(post_save, sender=get_document_model(), dispatch_uid="public_page_cache_doc_saved")
def _record_changed(created: bool, **kwargs) -> None:
    if not created:
        invalidate()

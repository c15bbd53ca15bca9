"""Wagtail hooks of the public site."""

from wagtail import hooks

from .cache import mark_cacheable


# After Wagtail's request-method check, so a page that answers 405 is not marked. Private
# pages need nothing here: Wagtail sends them with never-cache headers, which the cache
# refuses to store.
@hooks.register("before_serve_page", order=100)
def allow_public_page_cache(page, request, serve_args, serve_kwargs):
    mark_cacheable(request, page)

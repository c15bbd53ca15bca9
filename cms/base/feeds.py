"""RSS 2.0 feeds of the index pages (daily messages, news), one per language."""

from django.http import HttpRequest, HttpResponse


def index_feed_response(request: HttpRequest, *, index_page, items) -> HttpResponse:
    raise NotImplementedError

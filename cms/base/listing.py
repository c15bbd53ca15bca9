"""Pagination for the public index pages: a bad or out-of-range page number shows a page."""

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator


def paginate(request, items, *, per_page: int) -> PaginatorPage:
    return Paginator(items, per_page).get_page(request.GET.get("page"))

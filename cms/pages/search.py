"""Search over the public news and daily messages of one language."""

from dataclasses import dataclass

from wagtail.models import Page


@dataclass(frozen=True)
class SearchHit:
    """One result: the specific page, and safe HTML excerpts with the query's words marked."""

    page: Page
    title_html: str
    excerpt_html: str


def search_public_pages(*, query: str, locale) -> list[SearchHit]:
    raise NotImplementedError

"""The full-page cache of anonymous public pages (cms/base/cache.py)."""

import time

import pytest
from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.test import Client, RequestFactory
from wagtail import hooks
from wagtail.models import PageViewRestriction

from cms.base.cache import (
    CACHE_STATUS_HEADER,
    GENERATION_KEY,
    entry_key,
    invalidate,
    mark_cacheable,
    page_cache,
)
from cms.base.models import CommitteeSettings
from cms.news.models import NewsPage
from modules.accounts.roles import Role
from tests.support.fixtures import make_user
from tests.support.pages import make_image, make_news

# A hit reads the entry and the generation in one round trip: on the database cache that is
# its one SELECT on the cache table, on Redis no query at all.
HIT_QUERIES = 1 if isinstance(page_cache(), DatabaseCache) else 0


@pytest.fixture(autouse=True)
def _fresh_generation(db):
    """Entries stored by an earlier test (on Redis they outlive its transaction) are misses."""
    invalidate()


@pytest.fixture
def news(public_site):
    return make_news(public_site.en.news, title="Camp opening times", slug="camp-opening")


def cache_status(response) -> str | None:
    return response.headers.get(CACHE_STATUS_HEADER)


def stored(path: str) -> bool:
    """Whether a page for `path` is stored in the current generation (so would be served)."""
    entry = page_cache().get(entry_key(RequestFactory().get(path)))
    return entry is not None and entry[0] == page_cache().get(GENERATION_KEY)


def test_second_anonymous_request_is_a_hit_without_queries(client, news, django_assert_num_queries):
    first = client.get(news.url)
    assert first.status_code == 200
    assert cache_status(first) == "miss"

    with django_assert_num_queries(HIT_QUERIES) as captured:
        second = client.get(news.url)
    assert cache_status(second) == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert all(
        settings.CACHES[settings.PUBLIC_PAGE_CACHE_ALIAS].get("LOCATION", "") in query["sql"]
        for query in captured.captured_queries
    )


def test_head_is_answered_from_the_stored_page(client, news):
    client.get(news.url)
    response = client.head(news.url)
    assert cache_status(response) == "hit"
    assert response.status_code == 200


def test_signed_in_user_is_never_served_the_cached_page(client, news, staff_a):
    client.get(news.url)
    # Changed behind the cache's back: the stored page stays current for anonymous visitors.
    NewsPage.objects.filter(pk=news.pk).update(title="Changed behind the cache")

    signed_in = Client()
    signed_in.force_login(staff_a)
    response = signed_in.get(news.url)
    assert response.status_code == 200
    assert cache_status(response) is None
    assert "Changed behind the cache" in response.text

    anonymous = client.get(news.url)
    assert cache_status(anonymous) == "hit"
    assert "Camp opening times" in anonymous.text


def test_signed_in_response_is_never_stored(client, news, staff_a):
    signed_in = Client()
    signed_in.force_login(staff_a)
    signed_in.get(news.url)
    signed_in.get(news.url)
    assert not stored(news.url)
    assert cache_status(client.get(news.url)) == "miss"


def test_page_served_to_a_signed_in_user_is_not_marked_cacheable(news):
    # However the user was recognised (the session cookie is the only way today), the
    # response of a signed-in request must not be stored.
    request = RequestFactory().get(news.url)
    request.user = make_user("reviewer@example.org", Role.REVIEWER)
    mark_cacheable(request, news)
    assert not getattr(request, "public_page_cacheable", False)


def test_visitor_with_a_session_cookie_is_not_served_from_the_cache(client, news):
    client.get(news.url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale-session"
    response = client.get(news.url)
    assert response.status_code == 200
    assert cache_status(response) is None


def test_publishing_invalidates(client, public_site, news):
    for path in (news.url, public_site.en.news.url, public_site.en.home.url):
        client.get(path)
        assert cache_status(client.get(path)) == "hit"

    news.title = "Camp opening times changed"
    news.save_revision().publish()

    page = client.get(news.url)
    assert cache_status(page) == "miss"
    assert "Camp opening times changed" in page.text
    index = client.get(public_site.en.news.url)
    assert cache_status(index) == "miss"
    assert "Camp opening times changed" in index.text


def test_publishing_a_new_page_invalidates_its_index(client, public_site, news):
    client.get(public_site.en.news.url)
    make_news(public_site.en.news, title="Second bulletin")
    index = client.get(public_site.en.news.url)
    assert cache_status(index) == "miss"
    assert "Second bulletin" in index.text


def test_unpublishing_invalidates(client, news):
    client.get(news.url)
    news.unpublish()
    assert client.get(news.url).status_code == 404


def test_deleting_invalidates(client, news):
    url = news.url
    client.get(url)
    news.delete()
    assert client.get(url).status_code == 404


def test_moving_invalidates(client, public_site, news):
    client.get(news.url)
    old_url = news.url
    other_index = public_site.ar.news
    news.move(other_index, pos="last-child")
    # Wagtail leaves a redirect from the old address.
    moved = client.get(old_url)
    assert moved.status_code == 301
    assert moved["Location"] == NewsPage.objects.get(pk=news.pk).url


def test_committee_settings_and_images_invalidate(client, public_site, news):
    client.get(news.url)
    committee = CommitteeSettings.for_site(public_site.site)
    committee.phone = "920000000"
    committee.save()
    assert cache_status(client.get(news.url)) == "miss"

    assert cache_status(client.get(news.url)) == "hit"
    image = make_image("New picture")
    image.title = "Renamed picture"
    image.save()
    assert cache_status(client.get(news.url)) == "miss"


def test_feeds_are_cached_and_invalidated(client, public_site, news):
    feed = f"{public_site.en.news.url}feed/"
    assert client.get(feed).status_code == 200
    assert cache_status(client.get(feed)) == "hit"
    make_news(public_site.en.news, title="Feed item")
    response = client.get(feed)
    assert cache_status(response) == "miss"
    assert "Feed item" in response.text


def test_query_strings_are_separate_entries(client, public_site, news):
    index = public_site.en.news.url
    client.get(index)
    assert cache_status(client.get(index)) == "hit"
    tagged = client.get(f"{index}?tag=camps")
    assert cache_status(tagged) == "miss"
    assert cache_status(client.get(f"{index}?tag=camps")) == "hit"
    assert cache_status(client.get(f"{index}?tag=other")) == "miss"


def test_search_results_are_not_stored(client, public_site, news):
    url = f"{public_site.en.search.url}?q=camp"
    assert client.get(url).status_code == 200
    assert cache_status(client.get(url)) == "miss"
    assert not stored(url)


@pytest.mark.parametrize(
    "path",
    [
        "/ar/portal/",
        "/en/portal/roster/",
        "/ar/accounts/login/",
        "/admin/",
        "/api/v1/seasons/",
        "/api/v2/pages/",
        "/_allauth/app/v1/config",
        "/healthz",
    ],
)
def test_portal_admin_accounts_and_apis_are_never_cached(client, public_site, path):
    for _ in range(2):
        response = client.get(path)
        assert cache_status(response) is None
    assert not stored(path)


def test_portal_is_never_stored_for_a_signed_in_user_either(client, agency_a):
    client.force_login(make_user("manager@example.org", Role.AGENCY_MANAGER, agency_a))
    assert client.get("/ar/portal/").status_code == 200
    assert not stored("/ar/portal/")


def test_response_that_sets_a_cookie_is_not_stored(client, news):
    def set_a_cookie(serve):
        def wrapped(page, request, args, kwargs):
            response = serve(page, request, args, kwargs)
            response.set_cookie("visitor", "one")
            return response

        return wrapped

    with hooks.register_temporarily("on_serve_page", set_a_cookie):
        client.get(news.url)
        response = client.get(news.url)
    assert cache_status(response) == "miss"
    assert not stored(news.url)


def test_private_page_is_not_stored(client, news):
    PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.PASSWORD, password="pilgrims"
    )
    first = client.get(news.url)
    assert first.status_code == 200
    assert "Camp opening times" not in first.text
    assert cache_status(client.get(news.url)) == "miss"
    assert not stored(news.url)


def test_preview_is_never_served_from_the_cache_nor_stored(client, news):
    # A preview asks for the page's own address on the site's host name.
    live_host = {"HTTP_HOST": news.get_site().hostname}
    client.get(news.url, **live_host)
    assert cache_status(client.get(news.url, **live_host)) == "hit"
    news.title = "Unpublished draft title"
    news.save_revision()

    draft = NewsPage.objects.get(pk=news.pk).get_latest_revision_as_object()
    preview = draft.make_preview_request()
    assert preview.status_code == 200
    assert "Unpublished draft title" in preview.content.decode()
    assert cache_status(preview) is None
    assert "private" in preview["Cache-Control"]

    live = client.get(news.url, **live_host)
    assert cache_status(live) == "hit"
    assert "Unpublished draft title" not in live.text


def test_cache_can_be_turned_off(client, news, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(news.url)
    assert cache_status(client.get(news.url)) is None


def test_entry_expires_with_the_timeout(client, news, settings):
    # The entry's own timeout is what rolls "today's message" over without a publish.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 2
    client.get(news.url)
    assert cache_status(client.get(news.url)) == "hit"
    time.sleep(2.1)
    assert cache_status(client.get(news.url)) == "miss"

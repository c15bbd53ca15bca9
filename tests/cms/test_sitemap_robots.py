"""What crawlers read: sitemap.xml (both language trees) and robots.txt."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.pages import make_news

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def _sitemap(client) -> dict[str, ET.Element]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    urlset = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return {url.findtext("s:loc", namespaces=NS): url for url in urlset.findall("s:url", NS)}


def _alternates(url: ET.Element) -> dict[str, str]:
    return {
        link.get("hreflang"): link.get("href")
        for link in url.findall("xhtml:link", NS)
        if link.get("rel") == "alternate"
    }


def test_sitemap_lists_both_language_trees_with_alternates(client, public_site):
    arabic = make_news(public_site.ar.news, title="خبر", slug="water")
    english = arabic.copy_for_translation(public_site.en.home.locale)
    english.title = "Water"
    english.save_revision().publish()
    arabic_only = make_news(public_site.ar.news, title="خبر عربي فقط", slug="arabic-only")

    urls = _sitemap(client)

    for tree in (public_site.ar, public_site.en):
        for page in (tree.home, tree.news, tree.messages):
            assert page.full_url in urls
    assert urls[arabic.full_url].findtext("s:lastmod", namespaces=NS)
    expected = {"ar": arabic.full_url, "en": english.full_url, "x-default": arabic.full_url}
    assert _alternates(urls[arabic.full_url]) == expected
    assert _alternates(urls[english.full_url]) == expected
    assert _alternates(urls[public_site.en.home.full_url]) == {
        "ar": public_site.ar.home.full_url,
        "en": public_site.en.home.full_url,
        "x-default": public_site.ar.home.full_url,
    }
    assert _alternates(urls[arabic_only.full_url]) == {}
    assert all(loc.startswith("http") for loc in urls)


def test_sitemap_leaves_out_unpublished_pages(client, public_site):
    withdrawn = make_news(public_site.en.news, title="Withdrawn")
    withdrawn.unpublish()

    assert withdrawn.full_url not in _sitemap(client)


def test_sitemap_leaves_out_the_search_page(client, public_site):
    urls = _sitemap(client)

    assert public_site.ar.search.full_url not in urls
    assert public_site.en.search.full_url not in urls


def test_sitemap_queries_do_not_grow_with_the_pages(client, public_site):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _sitemap(client)
        return len(queries)

    for number in range(5):
        make_news(public_site.en.news, title=f"News {number}")
    count()  # Wagtail's site root paths are cached, as in use
    with_5 = count()
    for number in range(5, 50):
        make_news(public_site.en.news, title=f"News {number}")

    assert count() == with_5


def test_robots_txt_allows_the_site_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    assert {
        "/admin/",
        "/api/",
        "/_allauth/",
        "/ar/portal/",
        "/en/portal/",
        "/ar/accounts/",
        "/en/accounts/",
    } <= disallowed
    assert "/" not in disallowed
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_only_answers_get(client):
    assert client.post("/robots.txt").status_code == 405
